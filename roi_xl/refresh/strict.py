"""Strict OOXML (ISO/IEC 29500 Strict, ``http://purl.oclc.org/ooxml/...`` namespaces).

Excel writes it on "Save As → Strict Open XML Spreadsheet". The cells and formulas are the
same as in the transitional dialect; only the namespace and relationship-type URIs differ.
The scanner accepts both; the engine (formualizer reads only transitional packages) gets a
transitional copy of the parts in memory, and the cached values are written back into the
strict parts, which otherwise stay as they were.
"""

from __future__ import annotations

import re

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
    BETA_MAIN := "http://schemas.microsoft.com/office/excel/2006/2",  # Excel 2007 beta
)
REL_NAMESPACES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)

_STRICT = re.compile(rb"http://purl\.oclc\.org/ooxml/(\w+)/(\w+)(/\w+)?")
#: Strict names whose transitional spelling is not the same word (ECMA-376 Part 1, §A).
_RENAMED = {
    b"extendedProperties": b"extended-properties",
    b"customProperties": b"custom-properties",
}


def is_strict(part: bytes) -> bool:
    """Whether a part (``_rels/.rels`` says it for the package) uses strict URIs."""
    return b"http://purl.oclc.org/ooxml/" in part


def is_beta(workbook: bytes) -> bool:
    """Whether the workbook part is in Excel 2007 beta's namespace (files of 2006)."""
    return BETA_MAIN.encode() in workbook


def to_transitional(part: bytes) -> bytes:
    """A strict part with every strict namespace and relationship type spelled the
    transitional way (only for the engine's eyes).

    >>> to_transitional(b'<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"/>')
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    >>> to_transitional(b'Type="http://purl.oclc.org/ooxml/officeDocument/relationships/'
    ...                 b'extendedProperties"')
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"'
    """

    def uri(m: re.Match[bytes]) -> bytes:
        area, name, rel_type = m.group(1), m.group(2), m.group(3)
        out = b"http://schemas.openxmlformats.org/%s/2006/%s" % (area, _RENAMED.get(name, name))
        if rel_type:
            out += b"/" + _RENAMED.get(rel_type[1:], rel_type[1:])
        return out

    return _STRICT.sub(uri, part)


def beta_to_transitional(part: bytes) -> bytes:
    """An Excel 2007 beta part in the final namespace (its shared strings were
    ``<sstItem>``, later ``<si>``).

    >>> beta_to_transitional(b'<sst xmlns="http://schemas.microsoft.com/office/excel/2006/2">'
    ...                      b'<sstItem><t>a</t></sstItem></sst>')
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></sst>'
    """
    if BETA_MAIN.encode() not in part:
        return part
    part = part.replace(BETA_MAIN.encode(), MAIN_NAMESPACES[0].encode())
    return part.replace(b"<sstItem>", b"<si>").replace(b"</sstItem>", b"</si>")
