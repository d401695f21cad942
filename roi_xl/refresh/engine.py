"""formualizer as the evaluator, with roi_xl's Excel functions registered in it.

The functions come from :data:`roi_xl.excel_functions.FUNCTIONS`; this module only
translates values at the boundary: formualizer hands errors over as
``{"type": "Error", "kind": "Div"}`` and receives them back as
``formualizer.LiteralValue.error(kind)``, so an error TEXT from one of our functions becomes
a real error value that propagates through the sheet as Excel's would.
"""

from __future__ import annotations

import math
import os
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable

import formualizer as fz

from ..excel_functions.table import FUNCTIONS
from .builtins import NAMES as BUILTIN_NAMES

if TYPE_CHECKING:
    from ..excel_functions import ExcelFunction

#: Excel's error text ↔ formualizer's error kind.
KIND_OF_TEXT = {
    "#DIV/0!": "Div",
    "#N/A": "Na",
    "#NAME?": "Name",
    "#NULL!": "Null",
    "#NUM!": "Num",
    "#REF!": "Ref",
    "#VALUE!": "Value",
    "#SPILL!": "Spill",
    "#CALC!": "Calc",
}
TEXT_OF_KIND = {v: k for k, v in KIND_OF_TEXT.items()}
#: Kinds that mean "the engine could not compute this", not an answer Excel would give.
NOT_COMPUTED = {"Name", "NImpl", "Circ", "Cancelled", "Error", "Spill"}

#: Test hook: seconds every roi_xl function call sleeps (simulates a hanging engine).
SLOW_HOOK = "ROI_XL_REFRESH_TEST_SLOW_SECONDS"


def to_ours(value: Any) -> Any:
    """An engine argument as xlwings would hand it to our function (errors as text)."""
    if isinstance(value, dict) and value.get("type") == "Error":
        return TEXT_OF_KIND.get(value.get("kind", ""), "#VALUE!")
    if isinstance(value, list):
        return [to_ours(v) for v in value]
    return value


def to_engine(value: Any) -> Any:
    """Our function's result for the engine: error texts and NaN/inf become real errors."""
    if isinstance(value, str) and value in KIND_OF_TEXT:
        return fz.LiteralValue.error(KIND_OF_TEXT[value], None)
    if isinstance(value, float) and not math.isfinite(value):
        return fz.LiteralValue.error("Num", None)
    if isinstance(value, (list, tuple)):
        return [to_engine(v) for v in value]
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return to_engine(value.tolist())
    return value


#: Calls remembered per workbook (see :func:`callback`), and the longest argument text kept.
MEMO_CALLS = 4096
MEMO_KEY_CHARS = 1 << 16


def callback(function: "ExcelFunction") -> Callable[..., Any]:
    """The engine's callable for one of our functions, made anew for each workbook.

    Our functions are pure, and a template calls the same one with the same ranges from
    many cells (the attribution template: 108 ATTRIBUTION calls, 12 distinct), so each
    answer is remembered for the workbook, keyed by the arguments' text (small arguments
    only: a key past ``MEMO_KEY_CHARS`` characters is not kept).
    """
    slow = float(os.environ.get(SLOW_HOOK, "0") or 0)
    memo: dict[str, Any] = {}

    def call(*args: Any) -> Any:
        if slow:
            time.sleep(slow)
        if not _few_cells(args):  # whole columns: no key text of megabytes
            return to_engine(function(*(to_ours(a) for a in args)))
        key = repr(args)
        if key in memo:
            return memo[key]
        result = to_engine(function(*(to_ours(a) for a in args)))
        if len(key) <= MEMO_KEY_CHARS and len(memo) < MEMO_CALLS and _plain(args):
            memo[key] = result
        return result

    call.__name__ = function.name
    return call


_PLAIN = (float, int, str, bool, type(None))


def _few_cells(args: tuple[Any, ...], most: int = 4096) -> bool:
    """Whether the arguments hold at most ``most`` cells (ranges are lists of rows)."""
    cells = 0
    for a in args:
        if isinstance(a, list):
            cells += len(a) * (len(a[0]) if a and isinstance(a[0], list) else 1)
    return cells <= most


def _plain(value: Any) -> bool:
    """Whether ``repr(value)`` tells the value: numbers, text, booleans, blanks, error
    dicts and lists of them (no object whose text is its address).

    >>> _plain([[1.0, "a", None], {"type": "Error", "kind": "Div"}]), _plain([object()])
    (True, False)
    """
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(type(k) is str and isinstance(v, _PLAIN) for k, v in value.items())
    return isinstance(value, _PLAIN)


#: Most threads one evaluation gets (measured on 2 cores only; each thread also costs
#: address space under the worker's memory limit).
MAX_THREADS = 4


def load(
    source: str | bytes,
    formulas: Iterable[str] | None = None,
    date_system: str = "1900",
    threads: int = 1,
) -> fz.Workbook:
    """Load a path (or a package in memory) into formualizer with our functions registered.

    With ``formulas`` (the workbook's formula texts), only the functions they call are
    registered, and a workbook that calls none never imports the numeric library.
    ``threads``: evaluate on that many cores, at most :data:`MAX_THREADS` (only when no
    other refresh runs beside it).
    """
    from .xlsx import MAX_PART_BYTES, MAX_TOTAL_BYTES

    limits = {"max_part_bytes": MAX_PART_BYTES, "max_expanded_bytes": MAX_TOTAL_BYTES}
    # One thread per workbook unless asked: the batch already runs a worker per core, and
    # formualizer's parallel evaluation cost 20-30 % more CPU here for no gain (templates:
    # 0.9 vs 1.4 ms per file; 100 000 formulas: 0.43 vs 0.53 s, both on 2 cores). A lone
    # big workbook (recalc.EarlyEngine) gains from it: its thread waits for the evaluation.
    evaluation = fz.EvaluationConfig()
    evaluation.enable_parallel = threads > 1
    if threads > 1:
        evaluation.max_threads = min(threads, MAX_THREADS)
    evaluation.date_system = date_system  # "1904": Excel for Mac's old default
    config = fz.WorkbookConfig(eval_config=evaluation)
    if isinstance(source, bytes):
        wb = fz.Workbook.from_bytes(source, config=config, load_limits=limits)
    else:
        wb = fz.Workbook.from_path(source, config=config, load_limits=limits)
    wb.set_temporal_egress("serial")
    from . import builtins, conditional_guard, engine_gaps, lambdas, reference_rewrites, typed_args

    # the names the formulas call, in one pass (each register scanning 10⁵ formulas for its
    # own names took 0.1-0.27 s)
    upper = None if formulas is None else "\n".join(f for f in formulas if f).upper()
    seen = None if upper is None else engine_gaps.names_called(upper)
    engine_gaps.register(wb, formulas, date_system, upper=upper, seen=seen)
    conditional_guard.register(wb, formulas)
    lambdas.register(wb, formulas, upper=upper)
    reference_rewrites.register(wb, seen)  # ROIXL_R1C1 for INDIRECT's R1C1 texts
    typed_args.register(wb, seen)  # ROIXL_NUMERIC for DOLLAR's argument
    builtins.register(wb, formulas, date_system, seen=seen)  # Excel functions it lacks
    if seen is None:
        names: tuple[str, ...] = tuple(FUNCTIONS)
    else:
        names = tuple(sorted(n for n in FUNCTIONS if n in seen))
    if names:
        for name in names:
            function = FUNCTIONS[name]
            wb.register_function(
                name, callback(function), min_args=function.min_args, max_args=function.max_args
            )
    return wb


def called(formulas: Iterable[str]) -> tuple[str, ...]:
    """Which of our functions the formulas (or whole sheet XML texts) call.

    A plain substring search per name, then a look at the characters around each hit: a
    sheet of 10⁶ formulas is searched in milliseconds, where one regex alternation over
    the text took seconds.

    >>> called(["SUM(A1:A3)", "roi(B1,B2,B3)*2", "_xludf.LIFT(1,2,3,4)", "MYROI(1)"])
    ('LIFT', 'ROI')
    """
    found = set()
    for text in formulas:
        upper = (text or "").upper()
        for name in FUNCTIONS:
            if name not in found and _calls(upper, name):
                found.add(name)
    return tuple(sorted(found))


def _calls(upper: str, name: str) -> bool:
    at = upper.find(name)
    while at >= 0:
        end = at + len(name)
        before = upper[at - 1] if at else ""
        while upper[end : end + 1].isspace():
            end += 1
        if upper[end : end + 1] == "(" and (
            not before
            or not (before.isalnum() or before in "_.")
            or upper.endswith("_XLUDF.", 0, at)
        ):
            return True
        at = upper.find(name, end)
    return False


@lru_cache(maxsize=None)
def engine_knows(name: str) -> bool:
    """Whether formualizer has a function called ``name`` (built in or ours)."""
    if name.upper() in FUNCTIONS or name.upper() in BUILTIN_NAMES:
        return True
    if name.upper() in (
        "ROIXL_KEPT",
        "ROIXL_ONE",
        "ROIXL_OMITTED",
        "ROIXL_AGGREGATE",
        "ROIXL_R1C1",
        "ROIXL_NUMERIC",
    ):
        return True  # ours, in the engine's copy only
    wb = fz.Workbook()
    wb.sheet("S").set_formula(1, 1, f"={name}()")
    try:
        value = wb.evaluate_cell("S", 1, 1)
    except Exception:
        return False
    return not (isinstance(value, dict) and value.get("kind") in ("Name", "NImpl"))


def function_names(formula: str) -> list[str]:
    """Names of the functions a formula calls, in order, without repeats."""
    try:
        from formualizer.visitor import collect_function_names

        names = collect_function_names(fz.parse(formula))
    except Exception:
        import re

        names = re.findall(r"([A-Za-z_][\w.]*)\s*\(", formula)
    return list(
        dict.fromkeys(n.upper().removeprefix("_XLFN.").removeprefix("_XLWS.") for n in names)
    )
