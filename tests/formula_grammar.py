"""Random Excel formulas over the functions and operators both formualizer and LibreOffice 7.4
know, and random data for them to read (tests/test_refresh_differential.py).

The data sheet ``D`` holds a mix Excel users have: numbers, text, blanks, errors, logicals,
dates, sorted and unsorted columns. Each generator returns formula text of one type
(number, text, logical), built from a small grammar with a depth limit.

>>> import random
>>> g = Grammar(random.Random(1))
>>> all(isinstance(g.formula(), str) for _ in range(50))
True
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, Callable

ROWS = 12
WORDS = ["apple", "Banana", "cherry", "date", "Apple", "kiwi", "b", "a b", " pad ", "x1", "10"]
#: (No empty text in the data: openpyxl writes it as ``<c t="inlineStr"/>``, which the
#: engines read differently; formulas make empty text instead, e.g. ``LEFT(x,0)``.)

#: column → what it holds (rows 1..ROWS of sheet D)
COLUMNS = {
    "A": "numbers",  # unsorted numbers, some negative, some fractional
    "B": "text",  # unsorted words, case and spaces mixed
    "C": "mixed",  # numbers, text, blanks, logicals, errors
    "D": "sorted",  # ascending numbers
    "E": "dates",  # date serials
    "F": "small",  # small unsorted integers
    "G": "sorted text",  # ascending words
    "H": "descending",  # descending numbers
    "I": "logicals",  # TRUE, FALSE and others: read one cell at a time (see below)
}
#: LibreOffice keeps a logical as a number with a boolean format: in a range it is counted
#: (COUNT, SUM, MATCH, criteria), which Excel never does ("logical values ... in a
#: reference are not counted", support.microsoft.com COUNT function). So logicals sit in
#: their own column, which ranges never cover; single cells and expressions still test them.
IN_RANGES = "ABCDEFGH"


def data(rng: random.Random) -> dict[str, list[Any]]:
    """Column letter → ROWS values (``"=NA()"`` and ``"=1/0"`` are error-making formulas)."""
    cols: dict[str, list[Any]] = {}
    cols["A"] = [
        rng.choice([rng.randint(-50, 100), round(rng.uniform(-10, 10), 3)]) for _ in range(ROWS)
    ]
    cols["B"] = [rng.choice(WORDS) for _ in range(ROWS)]
    mixed: list[Any] = []
    for _ in range(ROWS):
        mixed.append(
            rng.choice([rng.randint(0, 9), rng.choice(WORDS[:6]), None, "=NA()", "=1/0", 2.5])
        )
    cols["C"] = mixed
    cols["D"] = sorted(rng.randint(0, 60) for _ in range(ROWS))
    start = dt.date(2019, 1, 1)
    cols["E"] = [start + dt.timedelta(days=rng.randint(0, 1500)) for _ in range(ROWS)]
    cols["F"] = [rng.randint(1, 6) for _ in range(ROWS)]
    cols["G"] = sorted(
        (rng.choice(["ant", "bee", "cat", "dog", "eel", "fox", "gnu"]) for _ in range(ROWS)),
        key=str.lower,
    )
    cols["H"] = sorted((rng.randint(0, 99) for _ in range(ROWS)), reverse=True)
    cols["I"] = [rng.choice([True, False, True, 7, "yes", None]) for _ in range(ROWS)]
    return cols


class Grammar:
    """Formula texts of a given type, from ``rng``."""

    def __init__(self, rng: random.Random, depth: int = 3) -> None:
        self.rng = rng
        self.depth = depth

    # pieces ---------------------------------------------------------------------------------

    def col(self, *kinds: str, ranged: bool = False) -> str:
        letters = [
            c
            for c, k in COLUMNS.items()
            if (not kinds or k in kinds) and (not ranged or c in IN_RANGES)
        ]
        return self.rng.choice(letters)

    def cell(self, *kinds: str) -> str:
        """A cell of a column of ``kinds`` (any but the logicals' column when none)."""
        if not kinds:
            kinds = tuple(k for k in COLUMNS.values() if k != "logicals")
        return f"D!{self.col(*kinds)}{self.rng.randint(1, ROWS)}"

    def vector(self, *kinds: str) -> str:
        c = self.col(*kinds, ranged=True)
        a = self.rng.randint(1, ROWS // 2)
        b = self.rng.randint(a, ROWS)
        return f"D!{c}{a}:{c}{b}"

    def table(self) -> str:
        first = self.rng.choice("ABCDEFG")
        last = chr(min(ord("H"), ord(first) + self.rng.randint(1, 3)))
        return f"D!{first}1:{last}{self.rng.randint(4, ROWS)}"

    def number_literal(self) -> str:
        return self.rng.choice(
            [str(self.rng.randint(-5, 60)), str(round(self.rng.uniform(-3, 30), 2)), "0", "1", "2"]
        )

    def text_literal(self) -> str:
        word = self.rng.choice(WORDS + ["", "a*", "?pple", "an", "e", "A", ">5", "<=3", "<>apple"])
        return '"' + word.replace('"', '""') + '"'

    def criteria(self) -> str:
        return self.rng.choice(
            [
                self.text_literal(),
                self.number_literal(),
                f'">"&{self.number_literal()}',
                f'"<="&{self.number_literal()}',
                '"<>"&' + self.text_literal(),
                self.cell("numbers", "text", "small"),
            ]
        )

    # typed expressions ----------------------------------------------------------------------

    def formula(self) -> str:
        kind = self.rng.choice([self.number, self.number, self.text, self.logical])
        return "=" + kind(self.depth)

    def _pick(self, options: list[Callable[[], str]]) -> str:
        return self.rng.choice(options)()

    def number(self, depth: int) -> str:
        r, n, t, b = (
            self.rng,
            lambda: self.number(depth - 1),
            lambda: self.text(depth - 1),
            lambda: self.logical(depth - 1),
        )
        leaves = [
            self.number_literal,
            lambda: self.cell("numbers", "sorted", "small", "dates", "descending"),
        ]
        if depth <= 0:
            return self._pick(leaves + [lambda: self.cell()])
        v = self.vector
        options: list[Callable[[], str]] = leaves + [
            lambda: self.cell(),
            lambda: f"{n()}{r.choice(['+', '-', '*', '/'])}{n()}",
            lambda: f"({n()})^{r.choice(['2', '0.5', '3', '-1'])}",
            lambda: f"-{n()}",
            lambda: f"SUM({v()})",
            lambda: f"SUM({v()},{n()})",
            lambda: f"AVERAGE({v()})",
            lambda: f"MIN({v()})",
            lambda: f"MAX({v()},{n()})",
            lambda: f"COUNT({v()})",
            lambda: f"COUNTA({v()})",
            lambda: f"COUNTBLANK({v()})",
            lambda: f"COUNTIF({v()},{self.criteria()})",
            lambda: self._same_size("SUMIF"),
            lambda: self._same_size("AVERAGEIF"),
            lambda: self._same_size("SUMPRODUCT"),
            lambda: f"ROUND({n()},{r.randint(-1, 3)})",
            lambda: f"INT({n()})",
            lambda: f"MOD({n()},{r.choice(['3', '-4', '2.5', n()])})",
            lambda: f"ABS({n()})",
            lambda: f"POWER({n()},{r.choice(['2', '0.5', '3'])})",
            lambda: f"SQRT({n()})",
            lambda: f"LEN({t()})",
            lambda: f"FIND({t()},{t()})",
            lambda: f"SEARCH({t()},{t()})",
            lambda: "VALUE(" + r.choice([t(), '"12.5"', '"1e3"', '"-4"']) + ")",
            lambda: f"DATE({r.randint(1990, 2030)},{r.randint(-2, 14)},{r.randint(-3, 33)})",
            lambda: f"{r.choice(['YEAR', 'MONTH', 'DAY'])}({self.cell('dates')})",
            lambda: f"WEEKDAY({self.cell('dates')}{r.choice(['', ',1', ',2', ',3'])})",
            lambda: f"EDATE({self.cell('dates')},{r.randint(-14, 14)})",
            lambda: f"EOMONTH({self.cell('dates')},{r.randint(-14, 14)})",
            lambda: f"MATCH({self._lookup_value()},{v()}{r.choice(['', ',1', ',0', ',-1'])})",
            lambda: (
                f"MATCH({self._lookup_value()},{v('sorted', 'sorted text', 'descending')}{r.choice(['', ',1', ',-1'])})"
            ),
            lambda: f"INDEX({self.table()},{r.randint(1, 6)},{r.randint(1, 3)})",
            lambda: f"INDEX({v()},{r.randint(1, 6)})",
            lambda: (
                f"VLOOKUP({self._lookup_value()},{self.table()},{r.randint(1, 3)},{r.choice(['TRUE', 'FALSE', '0', '1'])})"
            ),
            lambda: f"VLOOKUP({self._lookup_value()},{self.table()},{r.randint(1, 3)})",
            lambda: (
                f"HLOOKUP({self._lookup_value()},{self.table()},{r.randint(1, 4)},{r.choice(['TRUE', 'FALSE'])})"
            ),
            lambda: f"IF({b()},{n()},{n()})",
            lambda: f"IFERROR({n()},{n()})",
            lambda: f"({n()})",
            # everyday array idioms: a function of one value over a range inside
            # SUMPRODUCT, criteria given as a range (refresh keeps what the engine cannot)
            lambda: f"SUMPRODUCT(--ISNUMBER({v()}))",
            lambda: f"SUMPRODUCT({r.choice(['ABS', 'LEN', 'INT', 'SIGN'])}({v()}))",
            lambda: f"SUMPRODUCT(({v('numbers')}>{self.number_literal()})*1)",
            lambda: (lambda x: f"SUMPRODUCT(1/COUNTIF({x},{x}))")(self.vector("small", "text")),
            lambda: f"COMBIN({r.randint(4, 9)},{r.randint(0, 4)})",
            lambda: self._cancelling(n),
        ]
        return self._pick(options)

    def _cancelling(self, n: Callable[[], str]) -> str:
        """A sum that cancels (``a+c-c-a``): Excel shows 0 where the doubles leave a
        trace (refresh keeps it: near_zero)."""
        a, c = n(), n()
        return f"({a})+({c})-({c})-({a})"

    def _same_size(self, name: str) -> str:
        r = self.rng
        a = r.randint(1, ROWS // 2)
        b = r.randint(a, ROWS)
        c1, c2 = self.col(ranged=True), self.col("numbers", "sorted", "small", "mixed", "dates")
        if name == "SUMPRODUCT":
            return f"SUMPRODUCT(D!{c1}{a}:{c1}{b},D!{c2}{a}:{c2}{b})"
        return f"{name}(D!{c1}{a}:{c1}{b},{self.criteria()},D!{c2}{a}:{c2}{b})"

    def _as_text_number(self, depth: int) -> str:
        """A number for a text context, rounded: formualizer writes a computed number as
        text with 17 digits where Excel writes 15 (a known wrong, OPEN in the differential
        test), and what is then cut from it (RIGHT, LEN) cannot be triaged."""
        # "+0": ROUND of a small negative is -0, which formualizer writes "-0" (OPEN too)
        return f"(ROUND({self.number(depth - 1)},{self.rng.randint(0, 3)})+0)"

    def _lookup_value(self) -> str:
        return self.rng.choice([self.number_literal, self.text_literal, lambda: self.cell()])()

    def text(self, depth: int) -> str:
        r, n, t, b = (
            self.rng,
            lambda: self.number(depth - 1),
            lambda: self.text(depth - 1),
            lambda: self.logical(depth - 1),
        )
        leaves = [self.text_literal, lambda: self.cell("text", "sorted text")]
        if depth <= 0:
            return self._pick(leaves)
        options: list[Callable[[], str]] = leaves + [
            lambda: f"LEFT({t()}{r.choice(['', ',2', ',0', ',10'])})",
            lambda: f"RIGHT({t()}{r.choice(['', ',3', ',0'])})",
            lambda: f"MID({t()},{r.randint(1, 4)},{r.randint(0, 4)})",
            lambda: f"UPPER({t()})",
            lambda: f"LOWER({t()})",
            lambda: f"TRIM({t()})",
            lambda: f"CONCATENATE({t()},{r.choice([t(), self._as_text_number(depth)])})",
            lambda: f"{t()}&{r.choice([t(), self._as_text_number(depth)])}",
            lambda: f"SUBSTITUTE({t()},{self.text_literal()},{self.text_literal()})",
            lambda: f"REPT({t()},{r.randint(0, 3)})",
            lambda: f'TEXT({n()},"{r.choice(["0", "0.00", "#,##0", "0%", "0.0"])}")',
            lambda: f'TEXT({self.cell("dates")},"yyyy-mm-dd")',
            lambda: f"IF({b()},{t()},{t()})",
            lambda: f"IFERROR({t()},{self.text_literal()})",
            lambda: f"INDEX({self.vector('text', 'sorted text')},{r.randint(1, 4)})",
            lambda: f"VLOOKUP({self._lookup_value()},D!G1:H{ROWS},1,{r.choice(['TRUE', 'FALSE'])})",
            lambda: f'{self.cell()}&""',
        ]
        return self._pick(options)

    def logical(self, depth: int) -> str:
        r, n, t, b = (
            self.rng,
            lambda: self.number(depth - 1),
            lambda: self.text(depth - 1),
            lambda: self.logical(depth - 1),
        )
        op = lambda: r.choice(["=", "<>", "<", ">", "<=", ">="])  # noqa: E731
        if depth <= 0:
            return self._pick(
                [
                    lambda: r.choice(["TRUE", "FALSE"]),
                    lambda: f"{self.cell()}{op()}{self.number_literal()}",
                ]
            )
        options: list[Callable[[], str]] = [
            lambda: f"{n()}{op()}{n()}",
            lambda: f"{t()}{op()}{t()}",
            lambda: f"{self.cell()}{op()}{r.choice([n(), t()])}",
            lambda: f"AND({b()},{b()})",
            lambda: f"OR({b()},{b()},{b()})",
            lambda: f"NOT({b()})",
            lambda: f"ISNUMBER({self.cell()})",
            lambda: f"{self.cell('logicals')}{op()}{r.choice([n(), t(), 'TRUE'])}",
            lambda: f"IF({self.cell('logicals')},{b()},{b()})",
            lambda: f"ISNUMBER({self.cell('logicals')})",
            lambda: f"ISTEXT({self.cell()})",
            lambda: f"ISBLANK({self.cell()})",
            lambda: f"ISERROR({r.choice([n(), t(), self.cell()])})",
            lambda: f"IF({b()},{b()},{b()})",
            # a check that should hold: Excel compares at 15 digits (OPEN: the engine does not)
            lambda: (lambda a, c: f"({a})+({c})-({c})=({a})")(n(), n()),
        ]
        return self._pick(options)
