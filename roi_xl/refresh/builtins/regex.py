"""Excel's REGEXTEST, REGEXEXTRACT and REGEXREPLACE, by Python's ``re``.

Excel uses PCRE2, whose syntax differs from ``re`` in places (``\\Z``, ``\\v``, ``\\h``,
``\\p{..}``, POSIX classes ``[[:alpha:]]``, ``(?<name>..)``, ``$1`` in replacements...).
Only patterns built from the syntax both read alike are computed: literals, ``.``,
classes ``[...]``, ``\\d \\w \\s \\b`` and their negations, anchors, groups, lookaround,
alternation, quantifiers, back references. Anything else, and class escapes or case-
insensitive matching over text beyond printable ASCII (where the two engines' Unicode
tables may differ), is not computed.
"""

from __future__ import annotations

import re
from typing import Any

from ._args import ExcelError, NotComputed, check_errors, excel_function, integer, text

#: Escapes that mean the same in PCRE2 and ``re``: class escapes, word boundaries, \A.
_SAME_ESCAPES = set("dDwWsSbBAnrtf")
_CLASS_ESCAPES = set("dDwWsSbB")


def _portable(pattern: str) -> bool:
    """Whether the pattern means the same to PCRE2 and to Python's ``re``.

    >>> _portable(r"\\d{3}-\\d{4}"), _portable(r"[[:alpha:]]"), _portable(r"a\\Z")
    (True, False, False)
    """
    if (
        "[:" in pattern
        or "{," in pattern
        or "(?<" in pattern.replace("(?<=", "").replace("(?<!", "")
    ):
        return False
    if "(?P" in pattern or "(?#" in pattern or "(?|" in pattern or "(?R" in pattern:
        return False
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            nxt = pattern[i + 1 : i + 2]
            if not nxt:
                return False
            if nxt.isalpha() and nxt not in _SAME_ESCAPES:
                return False
            if nxt == "0":
                return False  # octal escapes differ
            i += 2
            continue
        i += 1
    return True


def _compile(pattern: str, insensitive: bool, subject: str) -> re.Pattern[str]:
    if not _portable(pattern):
        raise NotComputed("the pattern uses syntax PCRE2 and Python read differently")
    plain = all(" " <= ch <= "~" or ch in "\n\t" for ch in subject + pattern)
    classes = any(pattern[i + 1 : i + 2] in _CLASS_ESCAPES for i in _escapes(pattern))
    if not plain and (insensitive or classes):
        raise NotComputed("Unicode text with class escapes or case-insensitive matching")
    try:
        return re.compile(pattern, re.IGNORECASE if insensitive else 0)
    except re.error:
        raise NotComputed("a pattern Python cannot read (PCRE2 may)") from None


def _escapes(pattern: str) -> list[int]:
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(i)
            i += 2
        else:
            i += 1
    return out


def _case(value: Any) -> bool:
    check_errors(value)
    mode = integer(value, "case_sensitivity")
    if mode not in (0, 1):
        raise ExcelError("Value")
    return mode == 1


def _scalars(*values: Any) -> None:
    if any(isinstance(v, list) for v in values):
        raise NotComputed("an array argument (Excel computes each element)")
    check_errors(*values)


@excel_function("REGEXTEST")
def regextest(text_: Any, pattern: Any, case_sensitivity: Any = 0.0) -> bool:
    """Whether any part of the text matches.

    >>> regextest("abc123", r"\\d+"), regextest("ABC", "abc"), regextest("ABC", "abc", 1.0)
    (True, False, True)
    """
    _scalars(text_, pattern, case_sensitivity)
    subject = text(text_, "text")
    return (
        _compile(text(pattern, "pattern"), _case(case_sensitivity), subject).search(subject)
        is not None
    )


@excel_function("REGEXEXTRACT")
def regexextract(
    text_: Any, pattern: Any, return_mode: Any = 0.0, case_sensitivity: Any = 0.0
) -> str:
    """The first match (``#N/A`` when none); modes 1 and 2 (arrays) are not computed.

    >>> regexextract("Sonia (378) 555-4195", r"\\d{3}-\\d{4}")
    '555-4195'
    """
    _scalars(text_, pattern, return_mode, case_sensitivity)
    subject = text(text_, "text")
    mode = integer(return_mode, "return_mode")
    if mode not in (0, 1, 2):
        raise ExcelError("Value")
    compiled = _compile(text(pattern, "pattern"), _case(case_sensitivity), subject)
    if mode != 0:
        raise NotComputed("return_mode 1 or 2: the shape Excel spills is not documented")
    m = compiled.search(subject)
    if m is None:
        raise ExcelError("Na")
    return m.group(0)


_REPLACEMENT = re.compile(r"\$(\d+)|\$\{(\d+)\}")


def _replacement(replacement: str) -> str:
    """PCRE2's replacement (``$1``, ``${1}``) as ``re``'s (``\\g<1>``); other ``$`` or
    ``\\`` syntax is not computed."""
    rest = _REPLACEMENT.sub("", replacement)
    if "$" in rest or "\\" in rest:
        raise NotComputed("a replacement with syntax other than $n")
    return _REPLACEMENT.sub(lambda m: rf"\g<{m.group(1) or m.group(2)}>", replacement)


@excel_function("REGEXREPLACE")
def regexreplace(
    text_: Any, pattern: Any, replacement: Any, occurrence: Any = 0.0, case_sensitivity: Any = 0.0
) -> str:
    """The text with matches replaced: all (occurrence 0), the n-th, or the n-th from the
    end (negative).

    >>> regexreplace("Sonia 555-4195", r"(\\d{3})-(\\d{4})", "$2-$1"), regexreplace("a1b2", r"\\d", "#", -1.0)
    ('Sonia 4195-555', 'a1b#')
    """
    _scalars(text_, pattern, replacement, occurrence, case_sensitivity)
    subject = text(text_, "text")
    compiled = _compile(text(pattern, "pattern"), _case(case_sensitivity), subject)
    repl = _replacement(text(replacement, "replacement"))
    n = integer(occurrence, "occurrence")
    matches = list(compiled.finditer(subject))
    if any(m.start() == m.end() for m in matches):
        raise NotComputed("an empty match (engines differ on where the next one starts)")
    if n == 0:
        return compiled.sub(repl, subject)
    index = n - 1 if n > 0 else len(matches) + n
    if not 0 <= index < len(matches):
        return subject
    m = matches[index]
    return subject[: m.start()] + m.expand(repl) + subject[m.end() :]


FUNCTIONS = {"REGEXTEST": (regextest, 2, 3), "REGEXEXTRACT": (regexextract, 2, 4),
             "REGEXREPLACE": (regexreplace, 3, 5)}  # fmt: skip
