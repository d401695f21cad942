"""Omitted arguments of our functions, as the engine must see them.

Excel hands an add-in function an omitted argument (``=MMM(A2:A61,B2:C61,,,"fit")``) as
missing, and the function takes its default. formualizer hands a registered function
``0.0`` for it, the same as a typed 0, so ``controls``, ``min_spend`` or ``stage_names``
would silently become 0 and the refresh would write a value Excel never shows. The
engine's copy of such a formula therefore gets ``""`` in each empty slot of a call of our
functions: a blank, which every optional parameter reads as "use the default", exactly as
the add-in does. The file keeps its formula as written.

>>> fill('=MMM(A2:A61,B2:C61,,,"fit")', {"MMM"})
'=MMM(A2:A61,B2:C61,"","","fit")'
>>> fill('=SUM(1,,2)+_xludf.LIFT(1,2,3,4, ,0.9)', {"LIFT"})
'=SUM(1,,2)+_xludf.LIFT(1,2,3,4,"",0.9)'
>>> fill('=ROI(A1,B1,C1,)&",,"', {"ROI"}), fill("=ROI()", {"ROI"})
('=ROI(A1,B1,C1,"")&",,"', '=ROI()')
"""

from __future__ import annotations

from typing import Collection

from .tables import quoted_end

_SLOTS = (",,", "(,", ",)", ", ,", "( ,", ", )")


def may_have(text: str) -> bool:
    """A cheap test: could ``text`` hold an omitted argument? (False positives only cost
    a look at the formula.)"""
    return any(s in text for s in _SLOTS)


def _name_before(formula: str, at: int) -> str:
    start = at
    while start > 0 and (formula[start - 1].isalnum() or formula[start - 1] in "_."):
        start -= 1
    name = formula[start:at].upper()
    for prefix in ("_XLUDF.", "_XLFN."):
        name = name.removeprefix(prefix)
    return name


def fill(formula: str, ours: Collection[str], blank: str = '""') -> str:
    """``formula`` with ``blank`` (``""``: a blank) in every empty argument slot of a call
    of a function in ``ours`` (names in capitals); other functions, texts, quoted sheet
    names and array constants are left as they are."""
    if not may_have(formula):
        return formula
    out: list[str] = []
    frames: list[bool] = []  # one per open parenthesis: is it a call of ours?
    braces = 0
    i, n = 0, len(formula)
    while i < n:
        ch = formula[i]
        if ch in "\"'":  # a text or a quoted sheet name: copy it whole
            j = quoted_end(formula, i)
            out.append(formula[i:j])
            i = j
            continue
        if ch == "{":
            braces += 1
        elif ch == "}":
            braces -= 1
        elif ch == "(":
            name = _name_before(formula, i)
            frames.append(bool(name) and name in ours)
            out.append(ch)
            i += 1
            if frames[-1]:
                j = i
                while j < n and formula[j] == " ":
                    j += 1
                if j < n and formula[j] == ",":  # the first argument is omitted
                    out.append(blank)
            continue
        elif ch == ")":
            if frames:
                frames.pop()
        elif ch == "," and braces == 0 and frames and frames[-1]:
            out.append(ch)
            i += 1
            j = i
            while j < n and formula[j] == " ":
                j += 1
            if j < n and formula[j] in ",)":  # an empty slot
                out.append(blank)
                i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)
