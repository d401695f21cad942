"""Excel's BAHTTEXT: a number as Thai words for baht and satang ("บาทถ้วน" when there
are no satang), in the Thai counting of tens (สิบ, ยี่สิบ) and of a final one (เอ็ด
after a tens digit). A final one after a zero tens digit (101) is not computed: Thai
usage says เอ็ด, LibreOffice หนึ่ง, and Excel's answer is not checked here."""

from __future__ import annotations

import decimal
from typing import Any

from ._args import NotComputed, excel_function, number

_DIGITS = ["", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"]
_PLACES = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"]
_MILLION, _BAHT, _SATANG, _EXACT = "ล้าน", "บาท", "สตางค์", "ถ้วน"
_ZERO, _MINUS = "ศูนย์", "ลบ"


def _block(n: int, after_higher: bool) -> str:
    """0 <= n < 10**6 in words; ``after_higher``: a higher block precedes it."""
    out = []
    digits = str(n).rjust(6, "0")
    for i, ch in enumerate(digits):
        d, place = int(ch), 5 - i
        if d == 0:
            continue
        if place == 1:
            out.append({1: "", 2: "ยี่"}.get(d, _DIGITS[d]) + _PLACES[1])
        elif place == 0 and d == 1 and digits[4] != "0":
            out.append("เอ็ด")  # 11, 21 ... (LibreOffice and Thai usage agree)
        elif place == 0 and d == 1 and (n > 1 or after_higher):
            # 101, 1001: เอ็ด in Thai usage, หนึ่ง in LibreOffice; Excel's not checked
            raise NotComputed("a final one after a zero tens digit (101, 1001...)")
        else:
            out.append(_DIGITS[d] + _PLACES[place])
    return "".join(out)


def words(n: int) -> str:
    """A whole number in Thai words.

    >>> words(1234), words(21), words(111), words(11)
    ('หนึ่งพันสองร้อยสามสิบสี่', 'ยี่สิบเอ็ด', 'หนึ่งร้อยสิบเอ็ด', 'สิบเอ็ด')
    """
    blocks = []
    while True:
        n, low = divmod(n, 10**6)
        blocks.append(low)
        if n == 0:
            break
    out = ""
    for k, low in enumerate(reversed(blocks)):
        higher = k > 0 and any(blocks[len(blocks) - k :])
        out += _block(low, higher) + (_MILLION if k < len(blocks) - 1 else "")
    return out


@excel_function("BAHTTEXT")
def bahttext(value: Any) -> str:
    """Microsoft's example: 1234 is หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน.

    >>> bahttext(1234.0), bahttext(0.0), bahttext(0.5)
    ('หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน', 'ศูนย์บาทถ้วน', 'ห้าสิบสตางค์')
    """
    x = number(value, "number")
    if abs(x) >= 1e15:
        raise NotComputed("a number of 15 digits or more")
    cents = int(
        decimal.Decimal(repr(abs(x))).quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP) * 100
    )
    baht, satang = divmod(cents, 100)
    if baht == 0 and satang == 0:
        return _ZERO + _BAHT + _EXACT
    out = _MINUS if x < 0 else ""
    if baht:
        out += words(baht) + _BAHT
    out += words(satang) + _SATANG if satang else _EXACT
    return out


FUNCTIONS = {"BAHTTEXT": (bahttext, 1, 1)}
