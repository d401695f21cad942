"""Excel's FILTERXML: the values an XPath selects in an XML text, with the standard
library's ElementTree (its XPath subset) behind defusedxml's parser.

What people write is computed: a path of element names (``//s``, ``/a/b``, ``*``), with
ElementTree's predicates (``[2]``, ``[last()]``, ``[@id='x']``, ``[tag='v']``), a final
``/@name`` (an attribute) or ``/text()``, and one numeric comparison of the last step's
value (``//s[.>2]``, ``//s[.!=0]``). One value is a value, several spill down a column;
no match, or XML that does not parse, is ``#VALUE!`` (Microsoft:
https://support.microsoft.com/en-us/excel/functions/filterxml-function).

Excel parses each value "via the user specified data locale", as if typed in a cell: a
plain decimal (``12``, ``-0.5``) is a number. Not computed (the cell keeps Excel's
value), because Excel's answer is not certain: any other value holding a digit (dates,
``1,234``, ``1e3``, ``007``, percentages), ``TRUE``/``FALSE``, values with surrounding
spaces or starting ``=``, ``+``, ``-``, ``#``, ``'``; empty values; an element with child
elements (its text is the concatenation of theirs: how Excel joins them is unchecked);
namespaces; a DTD; a relative XPath (``s``: LibreOffice answers #N/A); and any XPath
beyond the subset above (functions such as ``contains()``, axes, ``(//s)[2]``, unions).
LibreOffice returns every value as text, so Microsoft's documentation is the reference
where a value is a number.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ._args import ExcelError, NotComputed, excel_function, text

#: One step ElementTree evaluates as XPath does: a name (or ``*``, ``.``, ``..``) and its
#: predicates.
_NAME = r"(?:[A-Za-z_][\w.\-]*|\*)"
_PREDICATE = (
    r"\[(?:\d+|last\(\)(?:-\d+)?|@[A-Za-z_][\w.\-]*(?:\s*=\s*(?:'[^']*'|\"[^\"]*\"))?|"
    r"[A-Za-z_][\w.\-]*(?:\s*=\s*(?:'[^']*'|\"[^\"]*\"))?|\.\s*=\s*(?:'[^']*'|\"[^\"]*\"))\]"
)
_STEP = re.compile(rf"(?:{_NAME}(?:{_PREDICATE})*|\.|\.\.)\Z")
#: The last step's numeric comparison, which ElementTree lacks: ``[. > 2]``.
_COMPARE = re.compile(r"\[\s*\.\s*(<=|>=|!=|<|>|=)\s*(-?\d+(?:\.\d+)?)\s*\]\Z")
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?\Z")


def _steps(path: str) -> tuple[str, str, tuple[str, float] | None, str]:
    """(ElementTree path, what to take: ``""`` the element, ``@name``, or ``text()``, the
    comparison of the last step, the path as written) for an XPath we evaluate exactly."""
    take, compare = "", None
    if "/@" in path and re.search(r"/@[A-Za-z_][\w.\-]*\Z", path):
        path, take = path.rsplit("/", 1)
    elif path.endswith("/text()"):
        path, take = path[: -len("/text()")], "text()"
    m = _COMPARE.search(path)
    if m:
        compare = (m.group(1), float(m.group(2)))
        path = path[: m.start()]
    if path.startswith("//"):
        etree, rest = ".//", path[2:]
    elif path.startswith("/"):
        etree, rest = "./", path[1:]
    else:  # from which node Excel starts a relative path is unchecked (LibreOffice: #N/A)
        raise NotComputed("a relative XPath")
    steps = rest.split("/")
    for i, step in enumerate(steps):
        if step == "" and 0 < i < len(steps) - 1:  # a // inside the path
            continue
        if not _STEP.match(step):
            raise NotComputed(f"an XPath beyond what we evaluate exactly: {step!r}")
    return etree + rest, take, compare, path


def _compared(value: str, compare: tuple[str, float]) -> bool:
    """XPath's ``. op n``: the value as a number (NaN unless it reads as one)."""
    op, n = compare
    try:
        x = float(value) if re.fullmatch(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*", value) else math.nan
    except ValueError:
        x = math.nan
    return {
        "=": x == n,
        "!=": x != n,
        "<": x < n,
        ">": x > n,
        "<=": x <= n,
        ">=": x >= n,
    }[op]


def _cell_value(value: str) -> Any:
    """A selected value as Excel enters it in a cell (only where that is certain)."""
    if _PLAIN_NUMBER.match(value):
        digits = value.lstrip("-").replace(".", "").lstrip("0")
        if len(digits) <= 15:
            return float(value) + 0.0  # "-0" is 0
    if not value or value != value.strip():
        raise NotComputed("an empty value, or one with surrounding spaces")
    if any(c.isdigit() for c in value) or value.upper() in ("TRUE", "FALSE"):
        raise NotComputed(f"{value[:20]!r}: a value Excel's parser may read as a number")
    if value[0] in "=+-#'":
        raise NotComputed(f"{value[:20]!r}: a value Excel's parser may read otherwise")
    return value


def _element_value(element: Any) -> str:
    if len(element):
        raise NotComputed("an element with child elements")
    return element.text or ""


@excel_function("FILTERXML")
def filterxml(xml: Any, xpath: Any) -> Any:
    """The values ``xpath`` selects in ``xml`` (one value, or a column of them).

    >>> filterxml("<a><b>1</b><b>2</b></a>", "//b")
    [[1.0], [2.0]]
    >>> filterxml("<t><s>x</s><s>y</s><s>z</s></t>", "//s[2]"), filterxml("<t><s>3</s></t>", "//s[.>2]")
    ('y', 3.0)
    >>> filterxml("<a><b>5</b></a>", "//c")  # no match
    LiteralValue.error(Value)
    """
    if isinstance(xml, list) or isinstance(xpath, list):
        raise NotComputed("an array argument (Excel computes each element)")
    doc, path = text(xml, "xml"), text(xpath, "xpath")
    if len(path) > 1024 or ":" in path or "xmlns" in doc or "<!" in doc.replace("<![CDATA[", ""):
        raise NotComputed("a long XPath, a namespace or a DTD")
    etree_path, take, compare, _ = _steps(path.strip())
    import xml.etree.ElementTree as ET

    import defusedxml.ElementTree as SafeET

    try:
        root = SafeET.fromstring(doc)
    except ET.ParseError:
        raise ExcelError("Value") from None
    wrapper = ET.Element("document")  # the document node: //s and /a see the root too
    wrapper.append(root)
    try:
        found = wrapper.findall(etree_path)
    except (SyntaxError, KeyError) as exc:
        raise NotComputed(f"an XPath ElementTree does not read: {exc}") from None
    values = []
    for element in found:
        if element is wrapper:
            raise NotComputed("the document node itself")
        if take.startswith("@"):
            if take[1:] not in element.attrib:
                continue
            value = element.attrib[take[1:]]
        else:
            value = _element_value(element)
        if compare and not _compared(_element_value(element), compare):
            continue
        if take == "text()" and not value:
            continue  # an empty element has no text node
        values.append(value)
    if not values:
        raise ExcelError("Value")
    cells = [_cell_value(v) for v in values]
    return cells[0] if len(cells) == 1 else [[c] for c in cells]


FUNCTIONS = {"FILTERXML": (filterxml, 2, 2)}
