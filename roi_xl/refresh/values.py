"""Value encoding: a Python result ↔ a cell's cached value as OOXML stores it (``t`` and
the text of ``<v>``).

Text goes through two encodings on its way into ``<v>``:

1. ECMA-376 ``ST_Xstring`` (Part 1, §22.9.2.19): a character XML 1.0 cannot carry (C0
   controls other than tab and line feed, lone surrogates, U+FFFE, U+FFFF) is written
   ``_xHHHH_`` (its UTF-16 code unit in hex), carriage return too (a parser would turn a raw
   one into a line feed), and an underscore that would otherwise start such an escape is
   written ``_x005F_``, so the text ``_x0041_`` stays ``_x0041_`` and is not read as "A".
2. XML's own escapes for ``&``, ``<`` and ``>``.

:func:`decode_text` undoes both, for cached values read from a sheet.

>>> encode_text('a\\x07<b>_x0041_')
'a_x0007_&lt;b&gt;_x005F_x0041_'
>>> decode_text(encode_text('a\\x07<b>_x0041_\\ud800'))
'a\\x07<b>_x0041_\\ud800'
>>> number_text(1e20), number_text(-0.0), number_text(float(2**53 + 1)), number_text(0.1)
('1E+20', '0', '9007199254740992', '0.1')
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple


class Value(NamedTuple):
    """A cached value as the sheet XML stores it: ``t`` (None = number) and the text of
    ``<v>`` as a Python string (before :func:`encode_text`). A tuple: lean at 10⁶ cells."""

    t: str | None
    text: str


#: Characters ST_Xstring writes as ``_xHHHH_``: not allowed in XML 1.0 (C0 controls but
#: tab and line feed, surrogates, U+FFFE/U+FFFF) and carriage return (parsers normalise it).
_UNSAFE = "\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff"
# An underscore is escaped when it would start an ``_xHHHH_`` run in the output: followed by
# x, four hex digits, and an underscore or a character that is itself written ``_x..._``.
_TO_ESCAPE = re.compile(f"[{_UNSAFE}]|_(?=x[0-9A-Fa-f]{{4}}(?:_|[{_UNSAFE}]))")
_NEEDS = re.compile(f"[{_UNSAFE}&<>]|_x")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _escape_char(m: re.Match[str]) -> str:
    ch = m.group()
    return "_x005F_" if ch == "_" else f"_x{ord(ch):04X}_"


def encode_text(text: str) -> str:
    """``text`` as the content of a ``<v>`` (or ``<t>``) element: ST_Xstring, then XML."""
    if not _NEEDS.search(text):
        return text
    text = _TO_ESCAPE.sub(_escape_char, text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entity(m: re.Match[str]) -> str:
    hex_, dec, name = m.groups()
    if name:
        return _NAMED[name]
    return chr(int(hex_, 16) if hex_ else int(dec))


def decode_text(xml_text: str) -> str:
    """The Python text of an element's XML content (the inverse of :func:`encode_text`)."""
    if "&" in xml_text:
        xml_text = _ENTITY.sub(_entity, xml_text)
    if "_x" in xml_text:
        xml_text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), xml_text)
    return xml_text


def number_text(x: float) -> str:
    """A finite number as Excel writes it in ``<v>``: the shortest text that reads back as
    the same double (Python's ``repr``), integral values without ``.0``, exponents as
    ``E+20``/``E-7``, and zero (also −0, which Excel does not keep) as ``0``."""
    text = repr(x)
    if text[-2:] == ".0":
        return text[:-2] if x else "0"
    if "e" not in text:
        return text
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa.removesuffix('.0')}E{int(exponent):+d}"


def number_texts(values: list[float]) -> list[str]:
    """:func:`number_text` of many finite numbers (``repr`` in bulk; only integral values
    and exponents need more).

    >>> number_texts([0.5, 3.0, 1e-07, -0.0, -12.0, 1e16])
    ['0.5', '3', '1E-7', '0', '-12', '1E+16']
    """
    texts = list(map(float.__repr__, values))
    return [
        t  # the common case: repr is the text
        if "e" not in t and t[-2:] != ".0"
        else t[:-2]  # integral: without ".0" (zero and -0 below, as "0")
        if x and "e" not in t
        else number_text(x)
        for t, x in zip(texts, values)
    ]


def to_value(result: Any) -> Value:
    """A Python result (number, bool, text, or an error flagged by the caller as
    ``("e", "#DIV/0!")``) as a cached value. NaN, ±inf and numbers past a double's range
    become ``#NUM!``, as in Excel."""
    if isinstance(result, tuple) and result[0] == "e":
        return Value("e", result[1])
    if isinstance(result, bool):
        return Value("b", "1" if result else "0")
    if isinstance(result, (int, float)):
        try:
            x = float(result)
        except OverflowError:
            return Value("e", "#NUM!")
        if not math.isfinite(x):
            return Value("e", "#NUM!")
        return Value(None, number_text(x))
    return Value("str", "" if result is None else str(result))


def same(t: str | None, raw: str | None, new: Value) -> bool:
    """Whether a cached value (``t`` attribute and raw XML text of ``<v>``, None when
    absent) already says ``new``; numbers compare as numbers, text after decoding."""
    if raw is None:
        return False
    if new.t is None:
        if t not in (None, "n"):
            return False
        if raw == new.text:
            return True
        try:
            return float(raw) == float(new.text)
        except ValueError:
            return False
    if t != new.t:
        return False
    return raw == new.text or decode_text(raw) == new.text
