"""Dates and times written as text, where Excel reads them the same in every locale.

Excel turns a text argument of DAY, HOUR, DAYS, ... (and DATEVALUE, TIMEVALUE) into a
serial number by the machine's regional settings, so ``"3/4/2024"`` is the 4th of March
in the United States and the 3rd of April in Britain: the file does not say which Excel
computed it, and such a cell keeps Excel's value ("depends on the locale"). Some forms
read the same everywhere: a four-digit year first, then month and day (ISO
``2024-03-15``, and ``2024/3/15``, the order Japanese Excel writes), and a time of hours
and minutes (``10:30``, ``10:30:15.5``, ``6:35 PM``). Microsoft's DATEVALUE page:
"Using the default date system in Microsoft Excel for Windows, the date_text argument
must represent a date between January 1, 1900 and December 31, 9999"; its TIMEVALUE
page: "Date information in time_text is ignored".

formualizer's own DAY, HOUR, ... answer ``#VALUE!`` for any text, and its TIMEVALUE
drops fractions of seconds and a date before the time, so the engine's copy of such a
call gets the number instead (:func:`serial`), worked out here.

>>> serial("2024-03-15"), serial("2024/3/15 18:00"), serial("6:35 PM")
(45366.0, 45366.75, 0.7743055555555556)
>>> serial("3/4/2024") is None, ambiguous("3/4/2024"), ambiguous("2024-03-04")
(True, True, False)
"""

from __future__ import annotations

import datetime as dt
import re

_DATE = r"(?P<y>\d{4})(?P<s>[-/])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})"
_TIME = (
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<sec>\d{2}(?:\.\d+)?))?"
    r"(?: (?P<ampm>AM|PM))?"
)
#: One space between the date and the time, and before AM or PM; none around (other
#: spacings are not checked against Excel here).
_FORM = re.compile(rf"(?:{_DATE})?(?:(?(y) ){_TIME})?")
#: Day and month in an order the locale decides (``3/4``, ``03-04-2024``, ``3.4.24``).
_AMBIGUOUS = re.compile(r"\s*\d{1,2}([-/.])\d{1,2}(?:\1\d{2,4})?(?:\s.*)?")

_EPOCH = {"1900": dt.date(1899, 12, 30), "1904": dt.date(1904, 1, 1)}


def ambiguous(text: str) -> bool:
    """Whether ``text`` is a date whose day and month order depends on the locale."""
    return _AMBIGUOUS.fullmatch(text) is not None


def serial(text: str, date_system: str = "1900") -> float | None:
    """The serial number Excel reads ``text`` as, in every locale (:func:`read`), or None."""
    found = read(text, date_system)
    return None if found is None else found[0]


def read(text: str, date_system: str = "1900") -> tuple[float, bool, bool] | None:
    """The serial number Excel reads ``text`` as, in every locale, and whether the text
    has a date and a time; None when this module
    does not know it the same everywhere (another form, an impossible date, the 29th of
    February 1900 that only Excel's calendar has, a date before the date system's first
    day).

    >>> read("1900-03-01"), read("1900-01-01 6:00"), read("2024-02-30"), read("10:30:15.5")
    ((61.0, True, False), (1.25, True, True), None, (0.43767939814814816, False, True))
    >>> serial("12:00 AM"), serial("12:30 PM"), serial("13:00 PM"), serial("24:00")
    (0.0, 0.5208333333333334, None, None)
    """
    m = _FORM.fullmatch(text)
    if m is None or not (m.group("y") or m.group("h")):
        return None
    day = 0.0
    if m.group("y"):
        try:
            date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
        epoch = _EPOCH[date_system]
        if date_system == "1900" and date < dt.date(1900, 3, 1):
            epoch = dt.date(1899, 12, 31)  # before Excel's 29 February 1900
        if date < dt.date(1900 if date_system == "1900" else 1904, 1, 1):
            return None
        day = float((date - epoch).days)
    if m.group("h") is None:
        return day, True, False
    hour, minute = int(m.group("h")), int(m.group("mi"))
    second = float(m.group("sec") or 0)
    if m.group("ampm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group("ampm") == "PM" else 0)
    if hour > 23 or minute > 59 or second >= 60:
        return None
    return day + (hour * 3600 + minute * 60 + second) / 86400, bool(m.group("y")), True
