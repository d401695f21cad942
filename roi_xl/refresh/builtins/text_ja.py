"""ENCODEURL: text percent-encoded as UTF-8, letters, digits, ``-``, ``_`` and ``.`` kept
(Microsoft's example keeps the dots of ``contoso.sharepoint.com``; LibreOffice encodes
them). Whether Excel keeps ``~`` (RFC 3986's other unreserved character) is not settled
here, so a text holding it is not computed.

(JIS, DBCS and ASC convert between half- and full-width forms only in an Excel whose
language is Japanese, Chinese or Korean: the answer depends on the Excel that wrote the
file, so refresh keeps Excel's value for them. PHONETIC reads the furigana runs stored
with a cell, which the engine does not load.)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ._args import NotComputed, excel_function, text


@excel_function("ENCODEURL")
def encodeurl(text_: Any) -> str:
    """Microsoft's example: ``http://contoso.sharepoint.com/teams/Finance/Documents/April
    Reports/Profit and Loss Statement.xlsx``'s spaces become ``%20``, ``:`` ``%3A``, ``/`` ``%2F``.

    >>> encodeurl("a b/\u00e9"), encodeurl("Loss Statement.xlsx")
    ('a%20b%2F%C3%A9', 'Loss%20Statement.xlsx')
    """
    if isinstance(text_, list):
        raise NotComputed("an array argument (Excel computes each element)")
    value = text(text_, "text")
    if "~" in value:
        raise NotComputed("text with '~' (kept by RFC 3986, encoded by LibreOffice)")
    return quote(value, safe="-_.")


FUNCTIONS = {"ENCODEURL": (encodeurl, 1, 1)}
