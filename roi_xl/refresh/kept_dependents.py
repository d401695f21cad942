"""The cells that depend on a cell the engine did not compute.

A cell the engine cannot compute holds the engine's "not computed" error (``#N/IMPL``
from an override, ``#NAME?`` for a function it lacks) and keeps Excel's value in the file.
A cell that reads it through IFERROR, ISNUMBER, COUNT, COUNTIF... answers from that error
instead of from Excel's value: ``=IFERROR(C1,"x")`` is "x" where Excel shows C1's number.
Such a dependent must keep Excel's value too. :func:`dependents_of` finds them all,
through any number of cells, with formualizer's dependency graph.

>>> import formualizer as fz
>>> wb = fz.Workbook(); s = wb.sheet("S")
>>> wb.register_function("KEPT", lambda: fz.LiteralValue.error("NImpl", None), min_args=0, max_args=0)
>>> s.set_formula(1, 1, "=KEPT()"); s.set_formula(1, 2, '=IFERROR(A1,"x")')
>>> s.set_formula(1, 3, "=B1&1"); s.set_formula(2, 1, "=COUNT(A1:A1)"); s.set_value(3, 1, 5)
>>> wb.evaluate_all()
>>> sorted(dependents_of(wb, ["S!A1"]).items())
[('S!A2', 'S!A1'), ('S!B1', 'S!A1'), ('S!C1', 'S!A1')]
"""

from __future__ import annotations

from collections import deque
from typing import Any, Iterable

#: Most cells followed (a bound on the work); past it, every remaining one is reported.
MOST = 1_000_000


def dependents_of(wb: Any, kept: Iterable[str], most: int = MOST) -> dict[str, str]:
    """Every cell (``Sheet!A1`` as the engine writes it) that depends, directly or not, on
    one of ``kept``, with the kept cell it was reached from; a ``kept`` cell is in only when
    it reads another (it may have passed that one's error on). ``wb``: an evaluated
    formualizer workbook."""
    roots = list(kept)
    start = set(roots)
    found: dict[str, str] = {}
    queue = deque((r, r) for r in roots)
    while queue:
        cell, root = queue.popleft()
        report = wb.dependents(cell, max_results=most, max_work=most * 4)
        for dep in report.dependents:
            name = dep.cell
            if name in found or name == root:
                continue
            found[name] = root
            if name not in start:  # a kept cell is followed as a root already
                queue.append((name, root))
        if len(found) >= most:
            break
    return found
