"""Excel's complex-number functions (COMPLEX, IMABS ... IMTAN) with Python's ``cmath``.

Excel writes a complex number as text: ``"3+4i"``, ``"-2.5j"``, ``"i"`` for 1i, ``"0"``,
each part with 15 significant digits and the suffix (``i`` or ``j``) of its inputs; all
inputs of one call must share a suffix (Microsoft: "all suffixes match", else
``#VALUE!``). An input that is not a complex number is ``#NUM!``.

Not computed (the cell keeps Excel's value), because Excel's answer is not certain:

* a part that 15 digits write in exponent form (|x| ≥ 1e15 or < 1e-4): Excel writes
  ``1E+20`` where LibreOffice writes ``1e+20``; and such tiny parts are mostly rounding
  noise (``IMPOWER("i",2)``'s imaginary part 1.2e-16) whose digits no two libraries share;
* a part whose 15-digit text changes within a few units in the last place of the
  result (two libraries' ``sin`` or ``exp`` may round it either way);
* a part that is -0 (LibreOffice writes ``-0``);
* inputs LibreOffice accepts in forms we cannot check against Excel: ``"+3"``,
  ``".5"``, ``"5."``, ``"1e"``, ``"1,5"``, text with spaces, ``""``, blanks, logicals;
  and mantissas of more than 15 digits.
"""

from __future__ import annotations

import cmath
import math
import re
from fractions import Fraction
from typing import Any, Iterable

from ._args import ExcelError, NotComputed, check_errors, error_kind, excel_function, number

_NUM = r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
#: The forms we compute: a real part, an imaginary part, or both (1 may be left out).
_FORM = re.compile(
    rf"(?P<re>-?{_NUM})?(?:(?P<sign>(?(re)[+-]|-?))(?P<im>{_NUM})?(?P<unit>[ij]))?\Z"
)
#: What a looser parser (LibreOffice's) also reads: we cannot check Excel's answer there.
_LOOSE = re.compile(r"[0-9.,eE+\-ij\s]*\Z")


class Inumber:
    """A parsed complex argument: its value and its suffix (None: a real number)."""

    __slots__ = ("value", "unit")

    def __init__(self, value: complex, unit: str | None) -> None:
        self.value, self.unit = value, unit


def parse(value: Any) -> Inumber:
    """An argument read as Excel reads an inumber.

    >>> [(p.value, p.unit) for p in map(parse, ["3+4i", "-j", "i", "1e3-2.5i", "7", 2.0])]
    [((3+4j), 'i'), (-1j, 'j'), (1j, 'i'), ((1000-2.5j), 'i'), ((7+0j), None), ((2+0j), None)]
    >>> parse("3+4I")
    Traceback (most recent call last):
    ...
    roi_xl.errors.ErrorValue: Num
    """
    kind = error_kind(value)
    if kind:
        raise ExcelError(kind)
    if isinstance(value, bool) or value is None:
        raise NotComputed("a logical or a blank where Excel takes a complex number")
    if isinstance(value, (int, float)):
        return Inumber(complex(float(value), 0.0), None)
    if isinstance(value, list):
        raise NotComputed("an array where Excel takes one complex number")
    s = str(value)
    m = _FORM.match(s) if s else None
    if m is None or not (m.group("re") or m.group("unit")):
        if _LOOSE.match(s):
            raise NotComputed(f"{s!r}: a form Excel may read otherwise than we do")
        raise ExcelError("Num")
    if any(len(re.sub(r"[^0-9]", "", p.split("e")[0].split("E")[0]).lstrip("0")) > 15
           for p in (m.group("re"), m.group("im")) if p):  # fmt: skip
        raise NotComputed("more than 15 digits")
    real = float(m.group("re")) + 0.0 if m.group("re") else 0.0  # + 0.0: no -0 in Excel
    imag = 0.0
    if m.group("unit"):
        imag = float(m.group("im")) if m.group("im") else 1.0
        imag = -imag + 0.0 if m.group("sign") == "-" else imag
    if not (math.isfinite(real) and math.isfinite(imag)):
        raise ExcelError("Num")
    if re.match(r"-0*(\.0*)?(e|$)", m.group("re") or "") or (m.group("sign") == "-" and imag == 0):
        raise NotComputed("a part written -0 (LibreOffice keeps its sign)")
    return Inumber(complex(real, imag), m.group("unit"))


def unit_of(numbers: Iterable[Inumber]) -> str:
    """The suffix of a result: the inputs' (all the same, else #VALUE!), "i" if none."""
    units = {n.unit for n in numbers if n.unit}
    if len(units) > 1:
        raise ExcelError("Value")
    return units.pop() if units else "i"


def _digits(x: float, slack: float) -> str:
    """``x`` with 15 significant digits, if that text is certain within ``slack``."""
    if x == 0.0 and math.copysign(1.0, x) < 0:
        raise NotComputed("a part is -0")
    out = "%.15g" % x
    if "e" in out:
        raise NotComputed("a part Excel writes in exponent form")
    if slack and x and ("%.15g" % (x - slack) != out or "%.15g" % (x + slack) != out):
        raise NotComputed("a part at a 15-digit rounding boundary")
    return out


def text(z: complex, unit: str = "i", ulp_each: bool = False) -> str:
    """``z`` as Excel writes it; ``ulp_each``: only if each part, an ulp either way,
    writes the same digits (a computed result: another library may round it so).

    >>> [text(z) for z in (3 + 4j, 3 - 1j, 1j, -1j, 0j, 2.5 + 0j, complex(0, -2.5))]
    ['3+4i', '3-i', 'i', '-i', '0', '2.5', '-2.5i']
    >>> text(complex(-46, 9.000000000000007), "j", True)
    '-46+9.00000000000001j'
    >>> text(complex(1, 2.0000000000000053), "i", True)
    Traceback (most recent call last):
    ...
    roi_xl.errors.NotComputed: a part at a 15-digit rounding boundary
    """
    r, i = z.real, z.imag
    if not (math.isfinite(r) and math.isfinite(i)):
        raise ExcelError("Num")
    has_imag = i != 0.0
    out = _digits(r, ulp_each and math.ulp(r)) if (r != 0.0 or not has_imag) else ""
    if has_imag:
        im = _digits(i, ulp_each and math.ulp(i))
        if im == "1":
            im = ""
        elif im == "-1":
            im = "-"
        if out and not im.startswith("-"):
            im = "+" + im
        out += im + unit
    return out


def _one(name: str, functions: tuple[Any, Any]) -> Any:
    @excel_function(name)
    def call(inumber: Any) -> str:
        z = parse(inumber)
        return _agreed([f(v[0]) for f in functions for v in _nudged([z.value])], unit_of([z]))

    call.__doc__ = f"Excel's {name} of one complex number."
    return call


def _nudged(values: list[complex]) -> list[list[complex]]:
    """The inputs, and the inputs an ulp off each way: an engine may read a decimal input
    an ulp off (LibreOffice's own parser does), and near a rounding boundary, or where
    the function is steep (cos near pi/2), that changes the 15 digits.

    >>> _nudged([complex(2, 0.5)])[1]
    [(2+0.5000000000000001j)]
    """
    up, down = (lambda x: math.nextafter(x, math.inf)), (lambda x: math.nextafter(x, -math.inf))

    def nudge(x: float, f: Any) -> float:
        return x if x.is_integer() else f(x)  # integers are read exactly

    return [values] + [
        [complex(nudge(v.real, fr), nudge(v.imag, fi)) for v in values]
        for fr, fi in ((up, up), (down, down), (up, down), (down, up))
    ]


def _agreed(results: list[complex], unit: str) -> str:
    """The text of a result computed several ways (``cmath``'s and the textbook formula
    Excel's analysis functions and LibreOffice use, from the inputs and from inputs an
    ulp off), when all, and each part an ulp either way, write the same 15 digits: else
    they are too close to a rounding boundary for us to know which way Excel's went."""
    texts = {text(_check(w), unit, ulp_each=True) for w in results}
    if len(texts) > 1:
        raise NotComputed("two ways of computing it write different 15 digits")
    return texts.pop()


def _check(z: complex) -> complex:
    if not (math.isfinite(z.real) and math.isfinite(z.imag)):
        raise ExcelError("Num")
    return z


def _nonzero(z: complex) -> complex:
    if z == 0:
        raise ExcelError("Num")
    return z


def _arg(z: complex) -> float:
    """The argument as LibreOffice takes it (from acos, poorly conditioned near the real
    axis: where it parts from atan2, the two ways disagree and the cell is kept)."""
    p = abs(_nonzero(z))
    phi = math.acos(max(-1.0, min(1.0, z.real / p)))
    return -phi if z.imag < 0 else phi


def _ln(z: complex) -> complex:
    return cmath.log(_nonzero(z))


def _ln_polar(z: complex) -> complex:
    return complex(math.log(abs(z)), _arg(z))


def _sqrt(z: complex) -> complex:
    """The principal root from |z| (LibreOffice's way): ``IMSQRT("-4")`` is ``2i``."""
    p = abs(z)
    imag = math.sqrt(max(p - z.real, 0.0)) * math.sqrt(0.5)
    return complex(math.sqrt(p + z.real) * math.sqrt(0.5), -imag if z.imag < 0 else imag)


def _inverse(f: Any) -> Any:
    return lambda z: 1.0 / _nonzero(f(z))


def _cos(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.cos(a) * math.cosh(b), -math.sin(a) * math.sinh(b))


def _sin(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.sin(a) * math.cosh(b), math.cos(a) * math.sinh(b))


def _cosh(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.cosh(a) * math.cos(b), math.sinh(a) * math.sin(b))


def _sinh(z: complex) -> complex:
    a, b = z.real, z.imag
    return complex(math.sinh(a) * math.cos(b), math.cosh(a) * math.sin(b))


def _tan(z: complex) -> complex:
    scale = 1.0 / _nonzero(complex(math.cos(2 * z.real) + math.cosh(2 * z.imag))).real
    return complex(math.sin(2 * z.real) * scale, math.sinh(2 * z.imag) * scale)


def _cot(z: complex) -> complex:
    scale = 1.0 / _nonzero(complex(math.cosh(2 * z.imag) - math.cos(2 * z.real))).real
    return complex(math.sin(2 * z.real) * scale, -math.sinh(2 * z.imag) * scale)


def _exp(z: complex) -> complex:
    m = math.exp(z.real)
    return complex(m * math.cos(z.imag), m * math.sin(z.imag))


_LN10, _LN2 = math.log(10.0), math.log(2.0)

#: name -> (cmath's way, the textbook way)
_ONE_ARG = {
    "IMCONJUGATE": (lambda z: z.conjugate(), lambda z: z.conjugate()),
    "IMCOS": (cmath.cos, _cos),
    "IMCOSH": (cmath.cosh, _cosh),
    "IMCOT": (lambda z: cmath.cos(z) / _nonzero(cmath.sin(z)), _cot),
    "IMCSC": (_inverse(cmath.sin), _inverse(_sin)),
    "IMCSCH": (_inverse(cmath.sinh), _inverse(_sinh)),
    "IMEXP": (cmath.exp, _exp),
    "IMLN": (_ln, _ln_polar),
    "IMLOG10": (lambda z: _ln(z) / _LN10, lambda z: _ln_polar(z) * math.log10(math.e)),
    "IMLOG2": (lambda z: _ln(z) / _LN2, lambda z: _ln_polar(z) * math.log2(math.e)),
    "IMSEC": (_inverse(cmath.cos), _inverse(_cos)),
    "IMSECH": (_inverse(cmath.cosh), _inverse(_cosh)),
    "IMSIN": (cmath.sin, _sin),
    "IMSINH": (cmath.sinh, _sinh),
    "IMSQRT": (cmath.sqrt, _sqrt),
    "IMTAN": (cmath.tan, _tan),
}


@excel_function("COMPLEX")
def complex_(real_num: Any, i_num: Any, suffix: Any = "i") -> str:
    """A complex number from its parts (Microsoft's examples: 3+4i, 3+4j, i).

    >>> complex_(3.0, 4.0), complex_(3.0, 4.0, "j"), complex_(0.0, 1.0)
    ('3+4i', '3+4j', 'i')
    """
    check_errors(real_num, i_num, suffix)
    if isinstance(real_num, bool) or isinstance(i_num, bool):
        raise NotComputed("a logical where Excel takes a number")
    r, i = number(real_num, "real_num"), number(i_num, "i_num")
    if not isinstance(suffix, str):  # an omitted suffix (COMPLEX(3,4,)) arrives as 0
        raise NotComputed("a suffix that is not text")
    if suffix not in ("", "i", "j"):
        raise ExcelError("Value")
    return text(complex(r + 0.0, i + 0.0), suffix or "i")


def _real_result(name: str, function: Any) -> Any:
    @excel_function(name)
    def call(inumber: Any) -> float:
        return float(function(parse(inumber).value))

    call.__doc__ = f"Excel's {name}: a number."
    return call


def _argument(z: complex) -> float:
    if z == 0:
        raise ExcelError("Div")
    phi = math.atan2(z.imag, z.real)
    if not math.isclose(phi, _arg(z), rel_tol=1e-12):  # near the real axis: see _arg
        raise NotComputed("an angle near 0 or pi, where two ways of computing it part")
    return phi


def _exact(exact: tuple[Fraction, Fraction], naive: Any, values: list[complex], unit: str) -> str:
    """The text of an exact result, if the textbook double arithmetic (``naive``: what
    LibreOffice, and presumably Excel, compute) writes the same, from the inputs and
    from inputs an ulp off."""
    try:
        w = complex(float(exact[0]), float(exact[1]))
        return _agreed([w] + [naive(v) for v in _nudged(values)], unit)
    except OverflowError:
        raise ExcelError("Num") from None


def _product(values: list[complex]) -> complex:
    z = complex(1.0, 0.0)
    for v in values:
        z = complex(z.real * v.real - z.imag * v.imag, z.real * v.imag + z.imag * v.real)
    return z


def _quotient(values: list[complex]) -> complex:
    (x, y), (c, d) = ((v.real, v.imag) for v in values)
    m = c * c + d * d
    return complex((x * c + y * d) / m, (y * c - x * d) / m)


def _flat(values: tuple[Any, ...]) -> list[Inumber]:
    out = []
    for v in values:
        rows = v if isinstance(v, list) else [[v]]
        for row in rows:
            for cell in row if isinstance(row, list) else [row]:
                out.append(parse(cell))
    return out


@excel_function("IMSUM")
def imsum(*inumbers: Any) -> str:
    """The sum (Microsoft's example: 8+4i).

    >>> imsum("3+6i", "5-2i")
    '8+4i'
    """
    numbers = _flat(inumbers)
    values = [n.value for n in numbers]
    total = (sum(Fraction(v.real) for v in values), sum(Fraction(v.imag) for v in values))
    return _exact(total, lambda vs: sum(vs, 0j), values, unit_of(numbers))


@excel_function("IMPRODUCT")
def improduct(*inumbers: Any) -> str:
    """The product (Microsoft's examples: 27+11i, 30+24i).

    >>> improduct("3+4i", "5-3i"), improduct("1+2i", 30.0)
    ('27+11i', '30+60i')
    """
    numbers = _flat(inumbers)
    re_, im = Fraction(1), Fraction(0)
    for n in numbers:
        a, b = Fraction(n.value.real), Fraction(n.value.imag)
        re_, im = re_ * a - im * b, re_ * b + im * a
    return _exact((re_, im), _product, [n.value for n in numbers], unit_of(numbers))


@excel_function("IMSUB")
def imsub(inumber1: Any, inumber2: Any) -> str:
    """The difference (Microsoft's example: 8+i).

    >>> imsub("13+4i", "5+3i")
    '8+i'
    """
    a, b = parse(inumber1), parse(inumber2)
    exact = (Fraction(a.value.real) - Fraction(b.value.real),
             Fraction(a.value.imag) - Fraction(b.value.imag))  # fmt: skip
    return _exact(exact, lambda vs: vs[0] - vs[1], [a.value, b.value], unit_of([a, b]))


@excel_function("IMDIV")
def imdiv(inumber1: Any, inumber2: Any) -> str:
    """The quotient (Microsoft's example: 5+12i).

    >>> imdiv("-238+240i", "10+24i")
    '5+12i'
    """
    a, b = parse(inumber1), parse(inumber2)
    c, d = Fraction(_nonzero(b.value).real), Fraction(b.value.imag)
    x, y, m = Fraction(a.value.real), Fraction(a.value.imag), c * c + d * d
    exact = ((x * c + y * d) / m, (y * c - x * d) / m)
    return _exact(exact, _quotient, [a.value, b.value], unit_of([a, b]))


@excel_function("IMPOWER")
def impower(inumber: Any, power: Any) -> str:
    """``inumber`` to a real power, in polar form as Excel computes it (Microsoft's
    example: -46+9.00000000000001i, where exact arithmetic gives -46+9i; an ulp of the
    angle moves that 15th digit, so that one is not computed).

    >>> impower("1+i", 3.0), impower("2-i", 2.0), impower("4", 0.5)
    ('-2+2i', '3-4i', '2')
    """
    z, n = parse(inumber), number(power, "number")
    if z.value == 0:
        if n <= 0:
            raise ExcelError("Num")
        return text(0j, unit_of([z]))
    results = []
    for (v,) in _nudged([z.value]):
        for phi in (_arg(v), cmath.phase(v)):
            try:
                results.append(cmath.rect(abs(v) ** n, phi * n))
            except OverflowError:
                raise ExcelError("Num") from None
    return _agreed(results, unit_of([z]))


FUNCTIONS: dict[str, tuple[Any, int, int]] = {
    "COMPLEX": (complex_, 2, 3),
    "IMABS": (_real_result("IMABS", abs), 1, 1),
    "IMAGINARY": (_real_result("IMAGINARY", lambda z: z.imag), 1, 1),
    "IMREAL": (_real_result("IMREAL", lambda z: z.real), 1, 1),
    "IMARGUMENT": (_real_result("IMARGUMENT", _argument), 1, 1),
    "IMSUM": (imsum, 1, 255),
    "IMPRODUCT": (improduct, 1, 255),
    "IMSUB": (imsub, 2, 2),
    "IMDIV": (imdiv, 2, 2),
    "IMPOWER": (impower, 2, 2),
    **{name: (_one(name, ways), 1, 1) for name, ways in _ONE_ARG.items()},
}
