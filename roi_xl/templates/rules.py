"""What a template's sheet checks: data validation on every input, red for bad results."""

from __future__ import annotations

from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..i18n import Language
from . import styles
from .addressing import Addresses
from .model import Calc, Input, T, Table, Template, items

RED_FONT = Font(color="9C0006", bold=True)
#: Result kinds that are bad below a line: ROI below 0 % (net) or 100 % (gross).
BAD_BELOW = {"roi": 0.0, "roi_gross": 1.0}


def add_validations(ws: Worksheet, template: Template, lang: Language, at: Addresses) -> None:
    """Data validation with an input message and an error alert on every input cell."""
    for block in template.blocks:
        if isinstance(block, Table):
            for col in block.columns:
                if col.is_input:
                    c, r0, r1 = at.columns[f"{block.name}.{col.key}"]
                    top = f"{get_column_letter(c)}{r0}"
                    dv = styles.validation(col.kind, top, lang)
                    dv.add(f"{top}:{get_column_letter(c)}{r1}")
                    ws.add_data_validation(dv)
            continue
        for item in items(block):
            if isinstance(item, Input):
                cell = at.ref(item.key, absolute=False)
                extra = extra_text = None
                if item.at_most:
                    extra = f"{cell}<={at.ref(item.at_most)}"
                    extra_text = T("(人数以下)", "(not more than the group size)")
                dv = styles.validation(item.kind, cell, lang, extra, extra_text)
                dv.add(cell)
                ws.add_data_validation(dv)


def add_bad_value_formats(ws: Worksheet, template: Template, at: Addresses) -> None:
    """Conditional formatting: a result below its line shows red."""
    for block in template.blocks:
        if isinstance(block, Table):
            for col in block.columns:
                if col.calc is not None:
                    where = at.column_ref(f"{block.name}.{col.key}")
                    _red_below(ws, col.calc, where.replace("$", ""))
            continue
        for item in items(block):
            if isinstance(item, Calc):
                _red_below(ws, item, at.ref(item.key, absolute=False))


def _red_below(ws: Worksheet, calc: Calc, where: str) -> None:
    limit = calc.bad_below if calc.bad_below is not None else BAD_BELOW.get(calc.kind)
    if limit is not None:
        rule = CellIsRule(
            operator="lessThan", formula=[repr(limit)], font=RED_FONT, fill=styles.BAD_FILL
        )
        ws.conditional_formatting.add(where, rule)
