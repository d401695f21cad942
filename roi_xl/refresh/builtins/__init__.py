"""Excel functions formualizer lacks, computed in Python and registered through the
engine's own extension point (``Workbook.register_function``), one module per family.

Only the functions a workbook's formulas call are registered (and their module imported),
so a workbook that calls none pays one substring scan. Each is registered twice: under
its name and under the ``_xlfn.`` name Excel writes for functions newer than 2007 (the
engine resolves that prefix for its built-ins, not for registered functions).
"""

from __future__ import annotations

import importlib
from typing import Any, Iterable

#: Our function name → the module (in this package) that computes it.
MODULES = {
    **dict.fromkeys(("MMULT", "MINVERSE", "MDETERM", "MUNIT"), "matrices"),
    **dict.fromkeys(("WRAPROWS", "WRAPCOLS", "EXPAND", "TRIMRANGE"), "shapers"),
    **dict.fromkeys(("VDB", "FVSCHEDULE"), "finance"),
    **dict.fromkeys(
        ("COUPDAYBS", "COUPDAYS", "COUPDAYSNC", "COUPNCD", "COUPNUM", "COUPPCD")
        + ("DURATION", "MDURATION"),
        "bonds",
    ),
    **dict.fromkeys(("REGEXTEST", "REGEXEXTRACT", "REGEXREPLACE"), "regex"),
    **dict.fromkeys(("ENCODEURL",), "text_ja"),
    **dict.fromkeys(("FILTERXML",), "web"),
    **dict.fromkeys(("PERCENTOF",), "aggregates"),
    **dict.fromkeys(
        ("COMPLEX", "IMABS", "IMAGINARY", "IMREAL", "IMARGUMENT", "IMCONJUGATE", "IMCOS")
        + ("IMCOSH", "IMCOT", "IMCSC", "IMCSCH", "IMDIV", "IMEXP", "IMLN", "IMLOG10", "IMLOG2")
        + ("IMPOWER", "IMPRODUCT", "IMSEC", "IMSECH", "IMSIN", "IMSINH", "IMSQRT", "IMSUB")
        + ("IMSUM", "IMTAN"),
        "complex_numbers",
    ),
    **dict.fromkeys(
        ("DISC", "INTRATE", "RECEIVED", "PRICEDISC", "YIELDDISC", "PRICEMAT", "YIELDMAT"),
        "discount",
    ),
    **dict.fromkeys(("PERMUTATIONA", "PROB"), "probability"),
    **dict.fromkeys(("AMORLINC", "AMORDEGRC"), "amortization"),
    **dict.fromkeys(("ODDLPRICE", "ODDLYIELD", "ODDFPRICE", "ODDFYIELD"), "odd_coupons"),
    **dict.fromkeys(("BAHTTEXT",), "thai"),
}
#: Every name we compute (what :func:`roi_xl.refresh.engine.engine_knows` adds to the engine's).
NAMES = frozenset(MODULES)


def called(formulas: Iterable[str]) -> tuple[str, ...]:
    """Which of our functions the formulas (or whole sheet XML texts) call.

    >>> called(["=_xlfn.WRAPROWS(A1:A9,3)", "MMULT (A1:B2,C1:D2)", "=XMMULT(1)", "=MMULTX(1)"])
    ('MMULT', 'WRAPROWS')
    """
    found: set[str] = set()
    for text in formulas:
        upper = (text or "").upper()
        found.update(n for n in NAMES if n not in found and _calls(upper, n))
    return tuple(sorted(found))


def _calls(upper: str, name: str) -> bool:
    """Whether ``name(`` occurs as a call: not inside a longer name, except after the
    ``_XLFN.`` (or ``_XLFN._XLWS.``) prefix Excel writes."""
    at = upper.find(name)
    while at >= 0:
        end = at + len(name)
        while upper[end : end + 1].isspace():
            end += 1
        before = upper[at - 1] if at else ""
        if upper[end : end + 1] == "(" and (
            not before
            or not (before.isalnum() or before in "_.")
            or upper.endswith(("_XLFN.", "_XLWS."), 0, at)
        ):
            return True
        at = upper.find(name, at + 1)
    return False


def callbacks(names: Iterable[str], date_system: str = "1900") -> dict[str, tuple[Any, int, int]]:
    """name → (callback, min_args, max_args) for the given names of ours."""
    out = {}
    for name in names:
        module = importlib.import_module(f"{__name__}.{MODULES[name]}")
        function, lo, hi = module.FUNCTIONS[name]
        if getattr(function, "needs_date_system", False):
            function = function(date_system)
        out[name] = (function, lo, hi)
    return out


def register(
    wb: Any,
    formulas: Iterable[str] | None,
    date_system: str = "1900",
    seen: set[str] | None = None,
) -> tuple[str, ...]:
    """Register in ``wb`` those of our functions the formulas call (all when None);
    ``seen``: the names the formulas call (``engine_gaps.names_called``), when known."""
    if formulas is None:
        names = tuple(sorted(NAMES))
    elif seen is not None:
        names = tuple(sorted(n for n in NAMES if n in seen))
    else:
        names = called(formulas)
    for name, (function, lo, hi) in callbacks(names, date_system).items():
        for spelled in (name, "_XLFN." + name):
            # the engine has its own complex-number functions (17 digits, where Excel
            # writes 15): ours replace them
            wb.register_function(
                spelled, function, min_args=lo, max_args=hi, allow_override_builtin=True
            )
    return names
