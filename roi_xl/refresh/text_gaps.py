"""The text functions whose answer depends on Excel's language: computed on ASCII text,
"not computed" beyond it.

``LENB``, ``LEFTB``, ``RIGHTB``, ``MIDB``, ``FINDB``, ``SEARCHB`` and ``REPLACEB`` count
bytes only "when you enable the editing of a language that supports DBCS and then set it
as the default language" (Japanese, Chinese, Korean); else they count characters
(https://support.microsoft.com/office/len-lenb-functions-29236f94-cedc-429d-affd-b5e33d2c67cb).
``CODE`` and ``CHAR`` use "the character set used by your computer" (Windows ANSI code
page: 932 in Japan, 1252 in western Europe;
https://support.microsoft.com/office/code-function-c32b692b-2ed0-4a04-bdd9-75640144b928).
The engine cannot know either, so beyond ASCII (and for ``CHAR`` above 127) the cell
keeps Excel's value; on ASCII every language agrees, and the functions are computed
(formualizer counts characters and code points everywhere: ``LENB("あ")`` gave 1).
"""

from __future__ import annotations

import math
import re
from typing import Any

import formualizer as fz
from ..errors import EarlyAnswer as _Stop

NOT_COMPUTED_ERROR = "NImpl"
REASON = "{name} of text beyond ASCII: the answer depends on Excel's language and code page"
NAMES = ("LENB", "LEFTB", "RIGHTB", "MIDB", "FINDB", "SEARCHB", "REPLACEB", "CODE", "CHAR")


def _error(kind: str) -> Any:
    return fz.LiteralValue.error(kind, None)


def _text(value: Any) -> str:
    """An argument as text, the way Excel turns a value into text; ASCII only."""
    if isinstance(value, dict) and value.get("type") == "Error":
        raise _Stop(value)
    if isinstance(value, list):
        raise _Stop(_error(NOT_COMPUTED_ERROR))  # arrays: not handled here
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, (int, float)):
        from .. import numfmt

        text = numfmt.general(float(value))
    else:
        text = str(value)
    if not text.isascii():
        raise _Stop(_error(NOT_COMPUTED_ERROR))
    return text


def _integer(value: Any, lowest: int) -> int:
    if isinstance(value, dict) and value.get("type") == "Error":
        raise _Stop(value)
    if isinstance(value, list) or isinstance(value, str):
        raise _Stop(_error(NOT_COMPUTED_ERROR))  # a number as text: leave it to Excel
    number = float(value or 0)
    if not math.isfinite(number) or number < lowest:
        raise _Stop(_error("Value"))
    return math.trunc(number)


def _guarded(fn: Any) -> Any:
    def call(*args: Any) -> Any:
        try:
            return fn(*args)
        except _Stop as stop:
            return stop.value

    call.__name__ = fn.__name__
    return call


@_guarded
def lenb(text: Any) -> Any:
    """``LENB``: ``lenb("abc") == 3``; beyond ASCII, not computed.

    >>> lenb("abc"), lenb(12.5), lenb("あ")["kind"] if isinstance(lenb("あ"), dict) else "kept"
    (3, 4, 'kept')
    """
    return len(_text(text))


@_guarded
def leftb(text: Any, count: Any = 1.0) -> Any:
    """``LEFTB``.

    >>> leftb("abc", 2.0)
    'ab'
    """
    return _text(text)[: _integer(count, 0)]


@_guarded
def rightb(text: Any, count: Any = 1.0) -> Any:
    """``RIGHTB``.

    >>> rightb("abc", 2.0), rightb("abc", 0.0)
    ('bc', '')
    """
    s, n = _text(text), _integer(count, 0)
    return s[len(s) - n :] if n else ""


@_guarded
def midb(text: Any, start: Any, count: Any) -> Any:
    """``MIDB``.

    >>> midb("abcd", 2.0, 2.0)
    'bc'
    """
    s, i, n = _text(text), _integer(start, 1), _integer(count, 0)
    return s[i - 1 : i - 1 + n]


@_guarded
def replaceb(text: Any, start: Any, count: Any, new: Any) -> Any:
    """``REPLACEB``.

    >>> replaceb("abcd", 2.0, 2.0, "X")
    'aXd'
    """
    s, i, n, t = _text(text), _integer(start, 1), _integer(count, 0), _text(new)
    return s[: i - 1] + t + s[i - 1 + n :]


def _find(needle: str, haystack: str, start: int, pattern: re.Pattern[str] | None) -> Any:
    if start > len(haystack) + (1 if needle == "" else 0) or start < 1:
        return _error("Value")
    if pattern is None:
        at = haystack.find(needle, start - 1)
    else:
        m = pattern.search(haystack, start - 1)
        at = m.start() if m else -1
    return _error("Value") if at < 0 else at + 1


@_guarded
def findb(needle: Any, haystack: Any, start: Any = 1.0) -> Any:
    """``FINDB`` (case-sensitive, no wildcards).

    >>> findb("b", "abcb", 3.0), findb("", "abc")
    (4, 1)
    """
    return _find(_text(needle), _text(haystack), _integer(start, 1), None)


def _search_pattern(needle: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(needle):
        ch = needle[i]
        if ch == "~" and i + 1 < len(needle) and needle[i + 1] in "*?~":
            out.append(re.escape(needle[i + 1]))
            i += 2
            continue
        out.append(".*?" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.I | re.S)


@_guarded
def searchb(needle: Any, haystack: Any, start: Any = 1.0) -> Any:
    """``SEARCHB`` (case-insensitive, with ``*``, ``?`` and ``~``).

    >>> searchb("B?", "abcb"), searchb("~*", "a*b")
    (2, 2)
    """
    text = _text(needle)
    return _find(text, _text(haystack), _integer(start, 1), _search_pattern(text))


@_guarded
def code(text: Any) -> Any:
    """``CODE``: the first character's code, for ASCII.

    >>> code("A"), code("")["kind"] if isinstance(code(""), dict) else code("")
    (65, 'kept')
    """
    s = _text(text)
    if not s:
        return _error("Value")
    return ord(s[0])


@_guarded
def char(number: Any) -> Any:
    """``CHAR``: 1 to 127 are ASCII everywhere; 128 to 255 depend on the code page.

    >>> char(65.0)
    'A'
    """
    n = _integer(number, 1)
    if n > 255:
        return _error("Value")
    if n > 127:
        return _error(NOT_COMPUTED_ERROR)
    return chr(n)


#: name → (callback, min_args, max_args)
TEXTS = {
    "LENB": (lenb, 1, 1),
    "LEFTB": (leftb, 1, 2),
    "RIGHTB": (rightb, 1, 2),
    "MIDB": (midb, 3, 3),
    "FINDB": (findb, 2, 3),
    "SEARCHB": (searchb, 2, 3),
    "REPLACEB": (replaceb, 4, 4),
    "CODE": (code, 1, 1),
    "CHAR": (char, 1, 1),
}
