"""Value encoding: a Python result ↔ a cell's cached value as OOXML stores it (``t`` and
the text of ``<v>``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Value:
    """A cached value as the sheet XML stores it: ``t`` (None = number) and ``<v>`` text."""

    t: str | None
    text: str


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_value(result: Any) -> Value:
    """A Python result (number, bool, text, or an error TEXT flagged by the caller as an
    error) as a cached value. Errors are passed as ``("e", "#DIV/0!")``."""
    if isinstance(result, tuple) and result[0] == "e":
        return Value("e", result[1])
    if isinstance(result, bool):
        return Value("b", "1" if result else "0")
    if isinstance(result, (int, float)):
        x = float(result)
        if not math.isfinite(x):
            return Value("e", "#NUM!")
        if x.is_integer() and abs(x) < 1e15:
            return Value(None, str(int(x)))
        return Value(None, repr(x).upper() if "e" in repr(x) else repr(x))
    return Value("str", "" if result is None else str(result))
