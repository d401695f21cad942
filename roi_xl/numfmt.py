"""Excel's number formats (ECMA-376 Part 1, §18.8.31 ``numFmt``) rendered as Excel's
``TEXT()`` renders them: sections and conditions, colours and locale codes, ``General``,
digit placeholders (``0 # ?``), grouping and thousands scaling, percent, decimals,
exponents (with engineering steps), fractions, literal text and escapes, ``_`` spacing,
``@``, and dates and times (``AM/PM``, fractional seconds, elapsed ``[h] [m] [s]``).

Pure: no Excel, no files. What this module does not know how to render exactly raises
:class:`FormatNotSupported` rather than guess; the caller keeps Excel's own value. The
behaviour follows the text Excel stored in Apache POI's number-format test books
(``tests/data/poi/*Format*Tests.xlsx``), which the tests compare against.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from .errors import FormatNotSupported

__all__ = ["FormatNotSupported", "text"]


def text(value: float | int | str | bool | None, fmt: str, date1904: bool = False) -> str:
    """Excel's ``TEXT(value, fmt)``.

    Parameters
    ----------
    value : float, int, str, bool or None
        A number (a date or time is its serial number), a text or a logical (both
        formatted as text: ``TRUE``), or None (an empty cell, formatted as 0).
    fmt : str
        The number format, e.g. ``"#,##0.00;[Red](#,##0.00)"``.
    date1904 : bool
        Whether serial numbers count from 1904-01-01 (Excel for Mac's old default)
        rather than from 1900-01-00.

    Returns
    -------
    str
        The text Excel shows.

    Raises
    ------
    FormatNotSupported
        Where the rendering would not be certain to equal Excel's.

    Examples
    --------
    >>> text(1234.5, "#,##0.00;(#,##0.00)"), text(-1234.5, "#,##0.00;(#,##0.00)")
    ('1,234.50', '(1,234.50)')
    >>> text(0.125, "# ?/?"), text(123456.789, "##0.0E+0"), text(1234567, '0.0,,"M"')
    (' 1/8', '123.5E+3', '1.2M')
    >>> text(44927.75, "dddd d mmm yyyy h:mm AM/PM"), text(1.5, "[h]:mm")
    ('Sunday 1 Jan 2023 6:00 PM', '36:00')
    >>> text(112345900000, "General"), text(True, '"ok: "@')
    ('1.12346E+11', 'ok: TRUE')
    """
    sections = _split_sections(fmt)
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
        if len(sections) == 4 or "@" in _unquoted(fmt):
            raise FormatNotSupported("a number given as text, with a text section")
        value = float(value)  # Excel reads a number typed as text as the number
    if isinstance(value, bool) or isinstance(value, str):
        word = value if isinstance(value, str) else ("TRUE" if value else "FALSE")
        return _text_value(word, sections)
    number = 0.0 if value is None else float(value)
    if not math.isfinite(number) or 0 < abs(number) < 2.2250738585072014e-308:
        raise FormatNotSupported("not a finite number, or one Excel cannot hold")
    section, signed = _choose(number, sections)
    return _render(section, number, signed, date1904)


# Sections and conditions ------------------------------------------------------------------


_PLAIN_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


_MAYBE_NUMBER = re.compile(
    r"(?:[\d\s.,:/$%+\-()e£€¥]|am|pm|a|p|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|[a-z]*day|[a-z]*uary|ch|il|e|ly|ust|"
    r"tember|ober|ember)*"
)


@functools.lru_cache(maxsize=512)
def _split_sections(fmt: str) -> tuple[str, ...]:
    out, cur, i = [], [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            j = fmt.find('"', i + 1)
            if j < 0:
                raise FormatNotSupported("unclosed quote")
            cur.append(fmt[i : j + 1])
            i = j + 1
            continue
        if ch in "\\_*":
            cur.append(fmt[i : i + 2])
            i += 2
            continue
        if ch == "[":
            j = fmt.find("]", i)
            if j < 0:
                raise FormatNotSupported("unclosed [")
            cur.append(fmt[i : j + 1])
            i = j + 1
            continue
        if ch == ";":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
        i += 1
    out.append("".join(cur))
    if len(out) > 4:
        raise FormatNotSupported("more than four sections")
    return tuple(out)


_CONDITION = re.compile(r"\[\s*(<=|>=|<>|<|>|=)\s*(-?[\d.]+(?:[eE][+-]?\d+)?)\s*\]")
_OPS = {
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "=": lambda a, b: a == b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<>": lambda a, b: a != b,
}


def _condition(section: str) -> tuple[str, float] | None:
    m = _CONDITION.search(_unquoted(section))
    return (m.group(1), float(m.group(2))) if m else None


def _unquoted(section: str) -> str:
    return re.sub(r'"[^"]*"|\\.', "", section)


def _choose(x: float, sections: tuple[str, ...]) -> tuple[str, bool]:
    """The section for number ``x``, and whether its text is preceded by a minus sign."""
    numeric = sections[:3]
    conditions = [_condition(s) for s in numeric]
    if not any(conditions):
        if len(numeric) == 1 or x > 0 or (x == 0 and len(numeric) == 2):
            return numeric[0], x < 0
        if x < 0:
            return numeric[1], False
        return numeric[2], False
    # conditional formats: [cond1]a;[cond2]b;c
    c1 = conditions[0]
    if c1 is None or len(numeric) > 1 and conditions[1] is None and len(numeric) > 2:
        raise FormatNotSupported("a condition on a section other than the first two")
    if _OPS[c1[0]](x, c1[1]):
        if x < 0 and c1[0] in ("<", "<="):
            raise FormatNotSupported("a negative number under a [<] condition (its sign)")
        return numeric[0], x < 0
    if len(numeric) == 1:
        if x != int(x):
            raise FormatNotSupported("a number no condition matches")
        return "General", x < 0
    c2 = conditions[1]
    if c2 is not None and _OPS[c2[0]](x, c2[1]) or len(numeric) == 2 and c2 is None:
        if x < 0:
            raise FormatNotSupported("a negative number in a second conditional section")
        return numeric[1], False
    if len(numeric) == 3:
        if x < 0:
            raise FormatNotSupported("a negative number in a third conditional section")
        return numeric[2], False
    raise FormatNotSupported("a number no condition matches")


def _text_value(word: str, sections: tuple[str, ...]) -> str:
    if len(sections) == 4:
        section = sections[3]
    elif len(sections) == 1 and "@" in _unquoted(sections[0]):
        section = sections[0]
    elif any("@" in _unquoted(s) for s in sections):
        raise FormatNotSupported("@ in a format of two or three sections")
    elif re.search(r"\d", word) and _MAYBE_NUMBER.fullmatch(word.lower()):
        # "1,234", "50%", "($5)", "1/2/2020", "12:30 pm", "5-Jan": Excel may read a number
        raise FormatNotSupported("a text Excel may read as a number or a date")
    else:
        return word  # a text shown as it is
    out = []
    for kind, tok in _tokens(section):
        if kind == "lit":
            out.append(tok)
        elif tok == "@":
            out.append(word)
        elif kind in ("color", "locale", "foreign"):
            continue
        else:
            raise FormatNotSupported(f"{tok!r} in a text section")
    return "".join(out)


# Tokens -------------------------------------------------------------------------------------

_COLOR = re.compile(r"\[(?:black|blue|cyan|green|magenta|red|white|yellow|color\s*\d+)\]", re.I)
_LOCALE = re.compile(r"\[\$([^\]-]*)(?:-([0-9A-Fa-f]+))?\]")
_ELAPSED = re.compile(r"\[(h+|m+|s+)\]", re.I)
#: Format characters that are a token by themselves, and the token's kind.
_ONE_CHAR_TOKENS = {
    "0": "digit",
    "#": "digit",
    "?": "digit",
    ".": "point",
    ",": "comma",
    "%": "percent",
    "/": "slash",
    "@": "at",
}

_DATE_WORD = re.compile(r"am/pm|a/p", re.I)
#: Characters shown as they are without quotes (ECMA-376 and Excel's documented set, plus
#: the currency signs and punctuation Excel accepts).
_LITERALS = set("$-+/():!^&'~{}<>= |£¥€¢%,.")


@functools.lru_cache(maxsize=512)
def _tokens(section: str) -> tuple[tuple[str, str], ...]:
    """(kind, text) pairs: lit, digit (0 # ?), point, comma, percent, exp (E+ E-),
    slash, at, general, date (y m d h s AM/PM A/P and runs), elapsed ([h] ...),
    color, locale, cond."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(section)
    while i < n:
        ch = section[i]
        rest = section[i:]
        if ch == '"':
            j = section.index('"', i + 1)
            out.append(("lit", section[i + 1 : j]))
            i = j + 1
        elif ch == "\\":
            out.append(("lit", section[i + 1 : i + 2]))
            i += 2
        elif ch == "_":
            if i + 1 >= n:
                raise FormatNotSupported("_ at the end of a section")
            out.append(("lit", " "))
            i += 2
        elif ch == "*":
            raise FormatNotSupported("* (fill)")
        elif ch == "[":
            j = section.index("]", i)
            br = section[i : j + 1]
            if _COLOR.fullmatch(br):
                out.append(("color", br))
            elif _ELAPSED.fullmatch(br):
                out.append(("elapsed", br[1:-1].lower()))
            elif _CONDITION.fullmatch(br):
                out.append(("cond", br))
            else:
                m = _LOCALE.fullmatch(br)
                if not m:
                    raise FormatNotSupported(f"{br} in a format")
                lcid = int(m.group(2) or "0", 16)
                if lcid > 0xFFFF or lcid >= 0xF000:
                    # a calendar or other digits (high bits), the system's own long date
                    # or time ([$-F800], [$-F400]): not known here
                    raise FormatNotSupported(f"{br}: a system format, calendar or numeral")
                if lcid and lcid & 0x3FF != 0x09:  # another language's month and day names
                    out.append(("foreign", br))
                if m.group(1):
                    out.append(("lit", m.group(1)))
                else:
                    out.append(("locale", br))
            i = j + 1
        elif rest[:7].lower() == "general":
            out.append(("general", rest[:7]))
            i += 7
        elif ch in _ONE_CHAR_TOKENS:
            out.append((_ONE_CHAR_TOKENS[ch], ch))
            i += 1
        elif ch in "Ee" and rest[1:2] in ("+", "-"):
            out.append(("exp", rest[:2]))
            i += 2
        elif _DATE_WORD.match(rest):
            word = _DATE_WORD.match(rest).group(0)  # type: ignore[union-attr]
            out.append(("ampm", word))
            i += len(word)
        elif ch.lower() in "ymdhs":
            j = i
            while j < n and section[j].lower() == ch.lower():
                j += 1
            out.append(("date", section[i:j].lower()))
            i = j
        elif ch in _LITERALS or ch.isdigit() or ch.isspace():
            out.append(("lit", ch))
            i += 1
        else:
            raise FormatNotSupported(f"{ch!r} in a format")
    return tuple(out)


# Rendering ------------------------------------------------------------------------------------


def _render(section: str, x: float, signed: bool, date1904: bool) -> str:
    toks = [t for t in _tokens(section) if t[0] not in ("color", "locale", "cond")]
    kinds = {k for k, _ in toks}
    if "foreign" in kinds:
        if kinds & {"date", "elapsed", "ampm"}:
            raise FormatNotSupported("dates in a locale other than English")
        toks = [t for t in toks if t[0] != "foreign"]
        kinds.discard("foreign")
    if toks == [("at", "@")]:
        return general(x)  # a number under the text format: as General shows it
    if "at" in kinds:
        raise FormatNotSupported("@ in a number section")
    if kinds & {"date", "elapsed", "ampm"}:
        if x < 0 and not signed:
            raise FormatNotSupported("a negative date or time in a section for negatives")
        body = _render_date(toks, x, date1904)
    elif "general" in kinds:
        if kinds & {"digit", "exp", "slash"}:
            raise FormatNotSupported("General with digit placeholders")
        parts = [general(abs(x)) if k == "general" else _literal(k, t) for k, t in toks]
        body = "".join(parts)
    elif "digit" not in kinds:
        if signed and toks:
            raise FormatNotSupported("a negative number in a section of text only")
        return "".join(_literal(k, t) for k, t in toks)
    elif "exp" in kinds:
        body = _render_exponent(toks, abs(x))
    elif "slash" in kinds:
        body = _render_fraction(toks, abs(x))
    else:
        body = _render_decimal(toks, abs(x))
    if signed and not any(ch in "123456789" for ch in body):
        raise FormatNotSupported("a negative number shown as zero (with or without its sign)")
    return ("-" + body) if signed else body


def _literal(kind: str, tok: str) -> str:
    if kind in ("lit", "comma", "point", "percent", "slash"):
        return tok
    raise FormatNotSupported(f"{tok!r} out of place")


def _dec(x: float) -> Decimal:
    """``x`` as Excel holds it for display: 15 significant digits."""
    return Decimal(f"{x:.15g}")


_WIDE = Context(prec=700)  # every digit of any double


def _round(d: Decimal, places: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


@dataclass(frozen=True)
class _Number:
    """A decimal section split around its point: placeholders and literals in order."""

    integer: list[tuple[str, str]]
    fraction: list[tuple[str, str]] | None  # None: no decimal point
    scale: int  # powers of 1000 to divide by
    percent: int
    grouping: bool


def _split_number(toks: list[tuple[str, str]], exponent: bool = False) -> _Number:
    return _split_number_cached(tuple(toks), exponent)


@functools.lru_cache(maxsize=512)
def _split_number_cached(toks: tuple[tuple[str, str], ...], exponent: bool) -> _Number:
    point = next((i for i, (k, _) in enumerate(toks) if k == "point"), None)
    if point is not None and any(k == "point" for k, _ in toks[point + 1 :]):
        raise FormatNotSupported("two decimal points")
    integer = toks if point is None else toks[:point]
    fraction = None if point is None else toks[point + 1 :]
    digits = [i for i, (k, _) in enumerate(integer) if k == "digit"]
    scale, grouping, int_out = 0, False, []
    for i, (k, t) in enumerate(integer):
        if k != "comma":
            int_out.append((k, t))
        elif digits and digits[0] < i < digits[-1]:
            grouping = True
        elif digits and i > digits[-1]:
            if any(kk != "comma" for kk, _ in integer[digits[-1] + 1 : i]):
                int_out.append(("lit", ","))  # after literal text: shown
            elif not exponent:
                scale += 1  # right after the last digit: thousands
        else:
            int_out.append(("lit", ","))
    frac_out = None
    if fraction is not None:
        fdigits = [i for i, (k, _) in enumerate(fraction) if k == "digit"]
        frac_out = []
        for i, (k, t) in enumerate(fraction):
            if k == "comma":
                if (
                    fdigits
                    and i > fdigits[-1]
                    and all(kk == "comma" for kk, _ in fraction[fdigits[-1] + 1 : i])
                ):
                    if not exponent:
                        scale += 1
                    continue
                raise FormatNotSupported("a comma among decimals")
            frac_out.append((k, t))
    percent = sum(k == "percent" for k, _ in toks)
    return _Number(int_out, frac_out, scale, percent, grouping)


def _render_decimal(toks: list[tuple[str, str]], x: float) -> str:
    num = _split_number(toks)
    d = _dec(x) * Decimal(100) ** num.percent / Decimal(1000) ** num.scale
    places = sum(k == "digit" for k, _ in num.fraction or [])
    d = _round(d, places)
    whole = int(d)
    frac_digits = f"{d - whole:.{places}f}"[2:] if places else ""
    return _integer_part(num.integer, whole, num.grouping) + _fraction_part(
        num.fraction, frac_digits
    )


def _integer_part(
    toks: list[tuple[str, str]], whole: int, grouping: bool, zero: str = "", digits: str = ""
) -> str:
    """Digits of ``whole`` (or ``digits``) into the integer placeholders, right to left; the
    first placeholder takes the digits left over. ``zero``: what a ``#`` without a digit
    shows."""
    slots = [i for i, (k, _) in enumerate(toks) if k == "digit"]
    digits = digits or (str(whole) if whole else "")
    if grouping and len(slots) != len([k for k, _ in toks if k == "digit"]):
        raise FormatNotSupported("grouping with literals among the digits")
    if grouping and any(
        k != "digit" for k, _ in toks[slots[0] : slots[-1] + 1] if slots
    ):  # literal text among grouped digits
        raise FormatNotSupported("grouping with literals among the digits")
    # the character each slot shows, right to left
    shown: list[str] = []
    for n, i in enumerate(reversed(slots)):
        ph = toks[i][1]
        if n < len(digits):
            shown.append(digits[len(digits) - 1 - n])
        else:
            shown.append({"0": "0", "?": " ", "#": zero}[ph])
    extra = digits[: max(0, len(digits) - len(slots))]
    if grouping:
        field = _group(list(reversed(shown)), extra)
        out = []
        for i, (k, t) in enumerate(toks):
            if k == "digit":
                if i == slots[0]:
                    out.append(field)
            else:
                out.append(t)
        return "".join(out)
    out = []
    shown_ltr = iter(reversed(shown))
    for i, (k, t) in enumerate(toks):
        if k == "digit":
            out.append((extra if i == slots[0] else "") + next(shown_ltr))
        else:
            out.append(t)
    return "".join(out)


def _group(shown: list[str], extra: str) -> str:
    """Placeholders' characters (left to right, after the leftover ``extra`` digits) with
    a separator every three from the right: a comma between digits, a space next to a
    ``?``'s space, nothing next to an empty ``#``."""
    cells = list(extra) + shown
    out = []
    for n, ch in enumerate(reversed(cells)):
        if n and n % 3 == 0:
            out.append("," if ch not in (" ", "") else ch)
        out.append(ch)
    return "".join(reversed(out))


def _fraction_part(toks: list[tuple[str, str]] | None, digits: str) -> str:
    if toks is None:
        return ""
    slots = [i for i, (k, _) in enumerate(toks) if k == "digit"]
    shown = list(digits)
    # trailing zeros under # vanish and under ? become spaces, back to the first 0 or digit
    for n in range(len(slots) - 1, -1, -1):
        ph = toks[slots[n]][1]
        if shown[n] != "0" or ph == "0":
            break
        shown[n] = "" if ph == "#" else " "
    out = ["."]
    shown_ltr = iter(shown)
    for k, t in toks:
        out.append(next(shown_ltr) if k == "digit" else t)
    return "".join(out)


def _render_exponent(toks: list[tuple[str, str]], x: float) -> str:
    e_at = next(i for i, (k, _) in enumerate(toks) if k == "exp")
    if sum(k == "exp" for k, _ in toks) > 1 or any(k == "slash" for k, _ in toks):
        raise FormatNotSupported("two exponents, or an exponent with a fraction")
    # % and , beside the mantissa are shown as they are, and do not scale
    mantissa = [(("lit", t) if k == "percent" else (k, t)) for k, t in toks[:e_at]]
    num = _split_number(mantissa, exponent=True)
    width = sum(k == "digit" for k, _ in num.integer)
    if width == 0:
        raise FormatNotSupported("an exponent without integer digits")
    places = sum(k == "digit" for k, _ in num.fraction or [])
    d = _dec(x)
    if d == 0:
        power, m = 0, Decimal(0)
    else:
        k = d.adjusted()
        power = math.floor(k / width) * width
        m = _round(d.scaleb(-power), places)
        if m >= Decimal(10) ** width:  # rounding carried into another digit
            power += width
            m = _round(d.scaleb(-power), places)
    whole = int(m)
    frac_digits = f"{m - whole:.{places}f}"[2:] if places else ""
    # zero shows a 0 in every integer placeholder, # and ? too ("##0.0E+0" → "000.0E+0",
    # as Excel stored "|####.####|e-|#|" → "|0000.|e|0|", "|?.?|e-|?|" → "|0. |e|0|")
    integer = num.integer
    if d == 0:
        integer = [("digit", "0") if k == "digit" else (k, t) for k, t in integer]
    body = _integer_part(integer, whole, num.grouping)
    body += _fraction_part(num.fraction, frac_digits)
    # the exponent: E, literals, then the sign right before its digit placeholders
    sign_always = toks[e_at][1][1] == "+"
    after = toks[e_at + 1 :]
    slots = [i for i, (k, _) in enumerate(after) if k == "digit"]
    if not slots:
        raise FormatNotSupported("an exponent without digits")
    sign = "-" if power < 0 else ("+" if sign_always else "")
    exp_toks = [(k, t) for k, t in after[slots[0] : slots[-1] + 1] if k != "comma"]
    if any(k != "digit" for k, _ in exp_toks):
        raise FormatNotSupported("literal text among the exponent's digits")
    digits = str(abs(power))
    n = len(exp_toks)
    pad = "".join({"0": "0", "?": " ", "#": ""}[t] for _, t in exp_toks[: max(0, n - len(digits))])
    out = [body, toks[e_at][1][0]]
    out += [_literal(k, t) for k, t in after[: slots[0]]]
    out.append(sign + pad + digits)
    out += [_literal(k, t) for k, t in after[slots[-1] + 1 :] if k != "comma"]
    return "".join(out)


def _render_fraction(toks: list[tuple[str, str]], x: float) -> str:
    """``# ?/?``, ``?/8``, ``# ??/100`` and their variants with literal text: a whole part
    (if the format has placeholders before the numerator), a numerator (the run of
    placeholders before the bar) and a denominator (placeholders or a number after it).

    What Excel shows when a part is zero follows its stored results: a zero whole part under
    ``#`` vanishes with the text after it; a zero fraction vanishes, or becomes spaces where
    ``?`` asks for alignment, or shows ``0/1`` when the numerator has a ``0``.
    """
    if any(k in ("point", "percent", "comma") for k, _ in toks):
        raise FormatNotSupported("a fraction with decimals, percent or grouping")
    if sum(k == "slash" for k, _ in toks) > 1:
        raise FormatNotSupported("two fraction bars")
    s = next(i for i, (k, _) in enumerate(toks) if k == "slash")
    before, after = toks[:s], toks[s + 1 :]
    # the numerator: the last run of placeholders before the bar
    last = max((i for i, (k, _) in enumerate(before) if k == "digit"), default=-1)
    if last < 0:
        raise FormatNotSupported("a fraction without a numerator")
    first = last
    while first and before[first - 1][0] == "digit":
        first -= 1
    num = [t for _, t in before[first : last + 1]]
    mid = "".join(_literal(k, t) for k, t in before[last + 1 :])  # between it and the bar
    head = before[:first]
    int_at = [i for i, (k, _) in enumerate(head) if k == "digit"]
    if int_at:
        prefix = "".join(_literal(k, t) for k, t in head[: int_at[0]])
        int_toks = head[int_at[0] : int_at[-1] + 1]
        sep = "".join(_literal(k, t) for k, t in head[int_at[-1] + 1 :])
    else:
        prefix, int_toks, sep = "".join(_literal(k, t) for k, t in head), [], ""
    # the denominator: literals, then digits (a fixed one) or placeholders
    j = 0
    while j < len(after) and after[j][0] == "lit" and not after[j][1].isdigit():
        j += 1
    lead = "".join(t for _, t in after[:j])
    fixed = ""
    while j < len(after) and (
        after[j][0] == "lit" and after[j][1].isdigit() or fixed and after[j] == ("digit", "0")
    ):
        fixed += after[j][1]
        j += 1
    den: list[str] = []
    if not fixed:
        while j < len(after) and after[j][0] == "digit":
            den.append(after[j][1])
            j += 1
    if not (fixed or den) or any(k == "digit" for k, _ in after[j:]):
        raise FormatNotSupported("a fraction's denominator")
    suffix = "".join(_literal(k, t) for k, t in after[j:])
    if fixed and int(fixed) == 0:
        raise FormatNotSupported("a zero denominator")
    if den and len(set(den)) > 1:
        raise FormatNotSupported("a denominator of mixed placeholders")

    if x >= 1e10:
        raise FormatNotSupported("a fraction of a number this large")
    value = Fraction(_dec(x))
    whole = int(value) if int_toks else 0
    rest = value - whole
    if fixed:
        denominator = int(fixed)
        scaled = rest * denominator
        if scaled.denominator == 2:
            raise FormatNotSupported("a numerator exactly halfway (Excel's rounding unknown)")
        numerator = round(scaled)
    else:
        approx = rest.limit_denominator(10 ** len(den) - 1)
        numerator, denominator = approx.numerator, approx.denominator
    if int_toks and numerator == denominator:  # the fraction rounded up to a whole
        whole, numerator = whole + 1, 0
    if value != 0 and whole == 0 and numerator == 0:
        raise FormatNotSupported("a small number that rounds to a zero fraction")

    def fraction(n: int, d: int) -> str:
        denom = fixed or _denominator(den, str(d))
        return _pad(num, str(n)) + mid + "/" + lead + denom

    def blank() -> str:  # the fraction as spaces, one per character of the format
        return " " * (len(sep) + len(num) + len(mid) + 1 + len(lead) + (len(fixed) or len(den)))

    if not int_toks:
        return prefix + fraction(numerator, denominator) + suffix
    last_int = int_toks[-1][1]
    if numerator == 0:  # a whole number, or zero
        if "0" in num:
            if value == 0:
                if last_int == "#":
                    if len(int_toks) > 1:
                        raise FormatNotSupported("zero in a whole part of several placeholders")
                    return prefix + fraction(0, 1) + suffix
                return (
                    prefix
                    + _integer_part(int_toks, 0, False, "", "0")
                    + sep
                    + fraction(0, 1)
                    + suffix
                )
            return prefix + _integer_part(int_toks, whole, False) + sep + fraction(0, 1) + suffix
        spaces = "?" in num or "?" in den or last_int == "?"
        shown = _integer_part(int_toks, whole, False, "", str(whole))
        return prefix + shown + (blank() if spaces else "") + suffix
    if whole == 0:
        shown = _integer_part(int_toks, 0, False)
        if last_int == "0":
            gap = sep
        elif last_int == "?" or "?" in num:
            gap = " " * len(sep)
        else:
            gap = ""
        return prefix + shown + gap + fraction(numerator, denominator) + suffix
    shown = _integer_part(int_toks, whole, False)
    return prefix + shown + sep + fraction(numerator, denominator) + suffix


def _denominator(slots: list[str], digits: str) -> str:
    """A denominator under ``?`` is aligned left (spaces after), under ``0`` padded with
    zeros before, under ``#`` not padded."""
    missing = max(0, len(slots) - len(digits))
    if not slots or slots[0] == "#":
        return digits
    return digits + " " * missing if slots[0] == "?" else "0" * missing + digits


def _pad(slots: list[str], digits: str) -> str:
    pad = "".join(
        {"0": "0", "?": " ", "#": ""}[t] for t in slots[: max(0, len(slots) - len(digits))]
    )
    return pad + digits


# General ----------------------------------------------------------------------------------


def general(x: float) -> str:
    """Excel's ``General`` for a number, as ``TEXT`` writes it: up to 11 characters
    besides the sign, else scientific with six significant digits.

    >>> general(1.2345678912), general(1e-9), general(-1.123459e-10), general(12345678901)
    ('1.234567891', '0.000000001', '-1.12346E-10', '12345678901')
    """
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    a = _dec(abs(x))
    k = a.adjusted()
    if k >= 11 or k < -9:
        return sign + _scientific(a)
    int_len = max(k + 1, 1)
    places = max(10 - int_len, 0)
    r = _round(a, places)
    if r.adjusted() + 1 > int_len and r.adjusted() >= 11:
        return sign + _scientific(a)
    if k < -1 and r != a:  # 0.000123457 or 1.23457E-04: not known
        raise FormatNotSupported("General for a small number with more digits than fit")
    s = f"{r:f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return sign + s


def _scientific(a: Decimal) -> str:
    k = a.adjusted()
    m = _round(a.scaleb(-k), 5)
    if m >= 10:
        k += 1
        m = _round(a.scaleb(-k), 5)
    s = f"{m:f}".rstrip("0").rstrip(".")
    return f"{s}E{'-' if k < 0 else '+'}{abs(k):02d}"


# Dates and times --------------------------------------------------------------------------

_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _render_date(toks: list[tuple[str, str]], x: float, date1904: bool) -> str:
    if any(k in ("exp", "general", "percent") for k, _ in toks):
        raise FormatNotSupported("date and number codes in one section")
    toks = [("lit", t) if k == "slash" else (k, t) for k, t in toks]
    # fractional seconds: a point and 0s right after seconds
    toks = _mark_subseconds(toks)
    if any(k in ("digit", "point") for k, _ in toks):
        raise FormatNotSupported("digits in a date format other than fractional seconds")
    places = max((len(t) for k, t in toks if k == "subsec"), default=0)
    elapsed = {t[0] for k, t in toks if k == "elapsed"}
    roles = _roles(toks)
    has_date = any(k == "date" and (t[0] in "yd" or role == "month") for (k, t), role in roles)
    if x < 0 and (has_date or not elapsed):
        raise FormatNotSupported("a negative date or time")
    if abs(x) >= 2958466:
        raise FormatNotSupported("a date or time past 9999-12-31")
    ticks = int(_round(abs(_dec(x)) * 86400 * 10**places, 0))  # in units of 10^-places s
    unit = 10**places
    total_seconds, sub = divmod(ticks, unit)
    days, secs = divmod(total_seconds, 86400)
    hour, rem = divmod(secs, 3600)
    minute, second = divmod(rem, 60)
    if has_date:
        date = _date(days, date1904)
    twelve = any(k == "ampm" for k, _ in toks)
    out = []
    for (k, t), role in roles:
        if k == "lit" or k == "comma":
            out.append(t)
        elif k == "elapsed":
            total = {"h": total_seconds // 3600, "m": total_seconds // 60, "s": total_seconds}
            out.append(f"{total[t[0]]:0{len(t)}d}")
        elif k == "subsec":
            out.append("." + f"{sub:0{places}d}"[: len(t)])
        elif k == "ampm":
            pm = hour >= 12
            if t.lower() == "am/pm":
                out.append("PM" if pm else "AM")
            else:
                a, p = t.split("/")
                out.append(p if pm else a)
        elif k == "date":
            out.append(_date_part(t, role, date if has_date else None, hour, minute, second,
                                  twelve, elapsed, total_seconds))  # fmt: skip
        else:
            raise FormatNotSupported(f"{t!r} in a date format")
    return "".join(out)


def _mark_subseconds(toks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(toks):
        k, t = toks[i]
        if (
            k == "point"
            and out
            and (
                out[-1][0] == "date"
                and out[-1][1][0] == "s"
                or out[-1] == ("elapsed", "s")
                or out[-1][0] == "elapsed"
                and out[-1][1][0] == "s"
            )
        ):
            j = i + 1
            while j < len(toks) and toks[j] == ("digit", "0"):
                j += 1
            if j > i + 1:
                if j - i - 1 > 3:
                    raise FormatNotSupported("more than three decimals of a second")
                out.append(("subsec", "0" * (j - i - 1)))
                i = j
                continue
        out.append((k, t))
        i += 1
    return out


def _roles(toks: list[tuple[str, str]]) -> list[tuple[tuple[str, str], str]]:
    """Each token with its role; an ``m`` is minutes right after hours (or seconds) or
    right before seconds, else months."""
    dated = [i for i, (k, _) in enumerate(toks) if k in ("date", "elapsed")]
    out = []
    for i, (k, t) in enumerate(toks):
        role = ""
        if k == "date" and t[0] == "m":
            pos = dated.index(i)
            prev = toks[dated[pos - 1]][1][0] if pos else ""
            nxt = toks[dated[pos + 1]][1][0] if pos + 1 < len(dated) else ""
            role = "minute" if prev in ("h", "s") or nxt == "s" else "month"
            if len(t) > 2 and role == "minute":
                raise FormatNotSupported("mmm among times")
        out.append(((k, t), role))
    return out


@dataclass(frozen=True)
class _Day:
    year: int
    month: int
    day: int
    weekday: int  # Monday 0


def _date(days: int, date1904: bool) -> _Day:
    """The calendar day of serial ``days``. In the 1900 system Excel counts 1900 as a leap
    year: serial 0 is "1900-01-00", 60 is "1900-02-29", and weekdays run on without a gap
    (serial 1, 1900-01-01, is a Sunday to Excel)."""
    if days > 2958465:
        raise FormatNotSupported("a date after 9999-12-31")
    if date1904:
        d = dt.date(1904, 1, 1) + dt.timedelta(days=days)
        return _Day(d.year, d.month, d.day, d.weekday())
    weekday = (dt.date(1899, 12, 30) + dt.timedelta(days=days)).weekday()
    if days == 0:
        return _Day(1900, 1, 0, weekday)
    if days == 60:
        return _Day(1900, 2, 29, weekday)
    d = dt.date(1899, 12, 31 if days < 60 else 30) + dt.timedelta(days=days)
    return _Day(d.year, d.month, d.day, weekday)


def _date_part(
    t: str,
    role: str,
    date: _Day | None,
    hour: int,
    minute: int,
    second: int,
    twelve: bool,
    elapsed: set[str],
    total_seconds: int,
) -> str:
    c, n = t[0], len(t)
    if c == "h":
        if "h" in elapsed:
            return f"{total_seconds // 3600:0{min(n, 2)}d}"
        h = hour % 12 or 12 if twelve else hour
        return f"{h:0{min(n, 2)}d}"
    if c == "s":
        if "s" in elapsed:
            return f"{total_seconds:0{min(n, 2)}d}"
        return f"{second:0{min(n, 2)}d}"
    if c == "m" and role == "minute":
        if "m" in elapsed:
            return f"{total_seconds // 60:0{n}d}"
        return f"{minute:0{n}d}"
    if date is None:
        raise FormatNotSupported("a date code without a date")
    if c == "y":
        return f"{date.year % 100:02d}" if n <= 2 else f"{date.year:04d}"
    if c == "m":
        name = _MONTHS[date.month - 1]
        return {1: str(date.month), 2: f"{date.month:02d}", 3: name[:3], 5: name[0]}.get(n, name)
    if c == "d":
        day = _DAYS[date.weekday]
        return {1: str(date.day), 2: f"{date.day:02d}", 3: day[:3]}.get(n, day)
    raise FormatNotSupported(f"{t!r} in a date format")
