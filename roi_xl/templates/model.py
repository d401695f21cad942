"""What a template *is*: the declarative vocabulary of ``workbook_templates/``.

A template is a title, a few lines of explanation and a list of blocks laid out top to
bottom on one sheet. Cells are named by *keys* (``revenue_total``); formulas name a metric
of :mod:`roi_xl.templates.formulas` and which key fills each of its parameters. Keys of
inputs and key outputs become workbook-level defined names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import Language


@dataclass(frozen=True)
class T:
    """A text in both languages."""

    ja: str
    en: str

    def __call__(self, lang: Language) -> str:
        return self.ja if lang == "ja" else self.en


#: What an input holds; decides its number format, validation and help message.
INPUT_KINDS = (
    "money",
    "money_pos",
    "count",
    "count_pos",
    "rate",
    "margin",
    "prob",
    "number_pos",
    "text",
    "date",
)
#: How a result is shown.
RESULT_KINDS = (
    "money",
    "count",
    "expected",
    "percent",
    "percent2",
    "percent4",
    "roi",
    "roi_gross",
    "pvalue",
    "number",
)


def _known(key: str, kind: str, kinds: tuple[str, ...]) -> None:
    """A template's typo is caught when it is defined, not when a workbook is built."""
    if kind not in kinds:
        raise ValueError(f"{key}: kind {kind!r} is not one of {', '.join(kinds)}")


@dataclass(frozen=True)
class Input:
    """A cell the user types into (blue, unlocked, validated, named ``key``)."""

    key: str
    label: T
    value: float | str
    kind: str = "money"
    note: T | None = None
    at_most: str | None = None  # key of a cell this input may not exceed (conversions ≤ size)

    def __post_init__(self) -> None:
        _known(self.key, self.kind, INPUT_KINDS)


@dataclass(frozen=True)
class Calc:
    """A calculated cell: ``metric`` with its parameters taken from other keys.

    ``args`` maps a metric parameter to a key, to ``"key[]"`` (the whole column of a
    table) or to a literal (``int``/``str`` starting with ``=``: written as is).
    ``named`` puts a defined name on it (every key output of SPEC §4 is named).
    """

    key: str
    label: T
    metric: str
    args: dict[str, str | int]
    kind: str = "money"
    note: T | None = None
    named: bool = False
    bad_below: float | None = None  # shown red below this (default: ROI 0, gross ROI 1)

    def __post_init__(self) -> None:
        _known(self.key, self.kind, RESULT_KINDS)


Cell = Input | Calc | None


@dataclass(frozen=True)
class Section:
    """A heading and one row per cell: label, value, note."""

    title: T
    rows: list[Input | Calc]
    results: bool = False  # set apart as results (bold, shaded, framed)


@dataclass(frozen=True)
class Grid:
    """A small table: a header row, then rows of a label and cells in columns B, C, …"""

    title: T
    headers: list[T]  # first header is over the labels column
    rows: list[tuple[T, list[Cell]]]
    results: bool = False
    note: T | None = None


@dataclass(frozen=True)
class Column:
    """A column of a :class:`Table`: an input (values per row) or a formula."""

    key: str
    header: T
    kind: str
    calc: Calc | None = None  # args name other columns of the same row
    fixed: bool = False  # values per row, shown as results and locked (a stated truth)

    def __post_init__(self) -> None:
        is_input = self.calc is None and not self.fixed
        _known(self.key, self.kind, INPUT_KINDS if is_input else RESULT_KINDS)

    @property
    def is_input(self) -> bool:
        """A column the user types into (not a formula, not a stated value)."""
        return self.calc is None and not self.fixed


@dataclass(frozen=True)
class Table:
    """An Excel table (``name``) with one row per item; column keys get ``name_key``
    defined names over the whole column."""

    name: str
    title: T
    columns: list[Column]
    rows: list[list[float | str | T]]  # input (then fixed) values, in column order


@dataclass(frozen=True)
class Lines:
    """Notes under a heading (benchmark bands, reading help)."""

    title: T
    lines: list[T]


Block = Section | Grid | Table | Lines


def items(block: Block) -> list[Input | Calc]:
    """The inputs and results of a section or a grid, in reading order; a table's cells
    are described by its columns and lines have none, so both give ``[]``."""
    if isinstance(block, Section):
        return list(block.rows)
    if isinstance(block, Grid):
        return [c for _, cells in block.rows for c in cells if c is not None]
    return []


@dataclass(frozen=True)
class Chart:
    """A native chart. ``values``: keys of the first and last cell of a series (a row
    or column run) or ``"col[]"`` of a table; ``categories`` likewise, where ``"@key"``
    is the label of ``key``'s row and ``"^key"`` the header of ``key``'s column."""

    title: T
    kind: str  # "bar" (horizontal) | "col" (vertical) | "line" (x-y lines) | "area" (stacked)
    series: list[tuple[T, tuple[str, str] | str]]
    categories: tuple[str, str] | str
    percent: bool = False
    y_title: T | None = None
    x_title: T | None = None


@dataclass(frozen=True)
class Template:
    name: str  # what `roi-xl new NAME` takes
    title: T
    sheet: T
    summary: T  # one line for `roi-xl list`
    explanation: list[T]
    blocks: list[Block]
    charts: list[Chart] = field(default_factory=list)
    ranges: dict[str, list[str]] = field(default_factory=dict)  # name → keys, contiguous
    seed: str = ""
    landscape: bool = False  # wide sheets print across the page
    charts_at: int | None = None  # charts go before this block (default: after the last)
