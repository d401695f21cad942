"""A table entry that is not in the table: ``test_one_table.py`` adds it and looks for it
in every runtime. Its arithmetic is written here, the way a library function is."""

import numpy as np

from roi_xl._checked import Rule, as_array, finish
from roi_xl.excel_functions.kinds import grid, option
from roi_xl.excel_functions.spec import ExcelFunction, each

WORDS = {"up": "up", "down": "down", "上": "up", "下": "down"}


def scale_checked(amount, factor, direction):
    a = as_array("scale", "amount", amount)
    f = as_array("scale", "factor", factor)
    with np.errstate(all="ignore"):
        out = a * f if direction == "up" else a / f
    return finish(out, [Rule("factor", f, "positive")])


SCALE = ExcelFunction(
    "SCALE_BY",
    ja="金額を係数で拡大・縮小します。",
    en="Scale an amount up or down by a factor.",
    params=(
        grid("amount", ja="金額", en="Amount to scale"),
        grid("factor", ja="係数(既定 2)", en="Factor (default 2, must be > 0)", default=2.0),
        option(
            "direction",
            ja='"up"(既定)または "down"',
            en='"up" (default) or "down"',
            words=WORDS,
            default="up",
        ),
    ),
    kernel=each(scale_checked),
    shows="number",
    example=((21,), "42"),
)


def register():
    """Add SCALE_BY to the table (in a fresh interpreter, before importing roi_udfs)."""
    from roi_xl.excel_functions import FUNCTIONS

    FUNCTIONS[SCALE.name] = SCALE
