"""Refresh one workbook in this process: evaluate with formualizer, write cached values."""

from __future__ import annotations

import re
import time
from itertools import repeat
from pathlib import Path
from typing import Any, Callable

from ..errors import EngineFailed
from ..fileio import WriteError
from . import (
    aggregate_gaps,
    arrays,
    cell_info,
    conditional_guard,
    engine_gaps,
    engine_input,
    lambdas,
    near_zero,
    number_text,
    xlsx,
)
from .report import FAILED, FileReport, KeptCell
from .sheet import SheetScan, col_name, col_row, scan, split_ahead, write_sheet
from .values import Value, number_texts, same
from .xlsx import UnreadableWorkbook


def lock_file(path: Path) -> Path | None:
    """Excel's ``~$`` owner file beside ``path`` (Excel drops two letters of long names)."""
    for name in ("~$" + path.name, "~$" + path.name[2:]):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def refresh_file(
    path: str | Path, *, backup: bool = True, dry_run: bool = False, cores: int = 1
) -> FileReport:
    """Recompute every formula of one workbook and write the results as cached values.

    Runs in the calling process with no time or memory bound (the batch runner adds those);
    fast enough to call on a workbook openpyxl has just written. Never raises for a bad
    file: the report's ``status`` is ``"failed"`` and ``reason`` says why. ``cores``: the
    cores this refresh may keep busy (the batch gives a lone file every core): a big
    workbook's evaluation then runs on them all.

    >>> from roi_xl.templates import write
    >>> import pathlib, tempfile
    >>> path = write("roi", pathlib.Path(tempfile.mkdtemp()) / "roi.xlsx", "en")
    >>> refresh_file(path, backup=False).status  # new templates are refreshed already
    'unchanged'
    """
    path = Path(path)
    start = time.perf_counter()
    try:
        report = _refresh(path, backup, dry_run, cores)
    except UnreadableWorkbook as exc:
        report = FileReport(str(path), FAILED, reason=str(exc))
    except MemoryError:
        report = FileReport(
            str(path),
            FAILED,
            reason="ran out of memory: the workbook is too large for the memory limit",
        )
    except WriteError as exc:
        report = FileReport(
            str(path), FAILED, reason=f"cannot write it: {exc.why}; file left untouched"
        )
    except OSError as exc:
        report = FileReport(str(path), FAILED, reason=f"the engine could not load it: {exc}")
    except Exception as exc:  # one bad file must never stop a batch
        report = FileReport(str(path), FAILED, reason=f"unexpected {type(exc).__name__}: {exc}")
    report.seconds = time.perf_counter() - start
    return report


def _refresh(path: Path, backup: bool, dry_run: bool, cores: int = 1) -> FileReport:
    lock = lock_file(path)
    if lock is not None:
        return FileReport(
            str(path),
            "skipped",
            reason=f"open in Excel ({lock.name} exists): close it there and run again",
        )
    xlsx.sniff(path)
    with xlsx.Package(path) as pkg:
        sheets = pkg.sheets()
        parts = {part for _, part in sheets}
        for name in sorted(pkg.names - parts):
            if name.endswith((".xml", ".rels", ".vml")):
                pkg.refuse_dtds(name)  # before any other parser sees them
        texts: dict[str, str] = {}
        for sheet, part in sheets:  # each sheet's XML is read once
            data = pkg.read(part)
            pkg.refuse_dtds(part, data)
            try:
                texts[sheet] = data.decode("utf-8")
            except UnicodeDecodeError:
                raise UnreadableWorkbook(f"{part} is not UTF-8: save the file in Excel") from None
            del data
        with EarlyEngine.start(path, pkg, texts, threads=cores) as early:
            scans = {sheet: scan(text, formulas=True) for sheet, text in texts.items()}
            del texts
            report = FileReport(str(path), "unchanged")
            if not any(len(s) for s in scans.values()):
                return report
            view = engine_input.build(pkg, sheets, scans)
            ready = early.result if view.data is None else early.drop()
            for sc in scans.values():  # while the engine still evaluates
                split_ahead(sc, early.busy)
        added: dict[str, dict[tuple[int, int], Value]] = {}  # block cells with no <c>
        try:
            changes = _evaluate(view.data or path, scans, report, view, added, ready)
        except OSError as exc:
            if not engine_input.engine_refused_zip64(exc):
                raise
            changes = _evaluate(engine_input.repack(pkg), scans, report, view, added)
        except EngineFailed:  # once more, every formula put as Excel reads it
            view = engine_input.build(pkg, sheets, scans, every_formula=True)
            changes = _evaluate(view.data or engine_input.repack(pkg), scans, report, view, added)
        replaced: dict[str, bytes] = {}
        for sheet, part in sheets:
            if changes.get(sheet) and "s" in scans[sheet].t:
                changes[sheet] = _same_shared_strings_left(pkg, scans[sheet], changes[sheet])
            if changes.get(sheet) or added.get(sheet):
                report.changed += len(changes.get(sheet, ())) + len(added.get(sheet, ()))
                data = write_sheet(scans[sheet], changes.pop(sheet, []))
                if added.get(sheet):
                    data = arrays.insert(data.decode("utf-8"), added[sheet]).encode("utf-8")
                replaced[part] = data
        if not replaced:
            return report
        if dry_run:
            report.status = "would refresh"
            return report
        del scans
        xlsx.write_package(pkg, replaced, path, backup)
    report.status = "refreshed"
    return report


def _same_shared_strings_left(
    pkg: xlsx.Package, sc: SheetScan, changes: list[tuple[int, tuple[str | None, str]]]
) -> list[tuple[int, tuple[str | None, str]]]:
    """``changes`` without the texts a cell already holds as a shared string (``t="s"``:
    Excel stores the text of an array block's other cells so, 66365.xlsx)."""
    out = []
    for i, (t, text) in changes:
        if t == "str" and sc.t[i] == "s":
            strings = pkg.shared_strings()
            raw = sc.v[i]
            if raw is not None and raw.strip().isdigit() and int(raw) < len(strings):
                if strings[int(raw)] == text:
                    continue
        out.append((i, (t, text)))
    return out


def _evaluate(
    source: Path | bytes,
    scans: dict[str, SheetScan],
    report: FileReport,
    view: engine_input.EngineView,
    added: dict[str, dict[tuple[int, int], Value]],
    ready: Callable[[], Any] | None = None,
) -> dict[str, list[tuple[int, tuple[str | None, str]]]]:
    """Evaluate the workbook; for each sheet, the cells whose cached value must change, as
    (scan index, (t, text)). The cells of array blocks that the sheet XML lacks
    (:func:`arrays.missing`) and the engine computed go into ``added``, by (row, column).
    ``ready``: gives the workbook evaluated already from ``source`` (:class:`EarlyEngine`),
    or None.

    One ``get_value`` per formula cell (formualizer answers in ~0.2 µs; its range getter
    is no faster); a finite number, the common case, takes a short path: compared with the
    cached number as a number, and written out only when it differs.
    """
    from . import engine

    wb = ready() if ready is not None else None
    if wb is None:
        texts = [text for s in scans.values() for text in s.formula_text]
        source = source if isinstance(source, bytes) else str(source)
        wb = engine.load(source, texts, date_system=view.date_system)
        del texts
        evaluate_all(wb)
    summing = _summing(wb, scans, view)  # SUMIF & co., checked once the errors are known
    errors: dict[str, set[tuple[int, int]]] = {}  # by the engine's sheet name
    if any(":" in ref for s in scans.values() for ref in s.array_refs.values()):
        # CSE blocks as Excel fits them, in the engine's sheet names
        to_engine = view.renamed
        back = {new: old for old, new in to_engine.items()}
        settled = arrays.settle(
            wb,
            {to_engine.get(n, n): sc for n, sc in scans.items()},
            {(to_engine.get(n, n), ref): why for (n, ref), why in view.kept.items()},
        )
        view.kept.update({(back.get(n, n), ref): why for (n, ref), why in settled.items()})
    for s in scans.values():
        s.formula_text = []
    get_value = wb.get_value
    out: dict[str, list[tuple[int, tuple[str | None, str]]]] = {}
    roots: list[str] = []  # cells the engine did not compute (they keep Excel's value)
    for name, sc in scans.items():
        changes: list[tuple[int, tuple[str | None, str]]] = []
        out[name] = changes
        sheet = view.renamed.get(name, name)  # as the engine knows it
        ts, vs, rows, cols = sc.t, sc.v, sc.rows, sc.cols
        formulas = len(sc) - len(sc.spilled_starts)  # spilled cells come last
        others = []
        numbers: list[int] = []  # changed cells with a finite number, formatted in bulk below
        floats: list[float] = []
        kept = view.kept_at(name) if view.kept else None  # cells that keep Excel's value
        for i in range(formulas):
            value = get_value(sheet, rows[i], cols[i])
            if kept and (rows[i], cols[i]) in kept:
                others.append((i, engine_input.Kept(kept[rows[i], cols[i]])))
            elif type(value) is float and value - value == 0.0:  # finite
                raw = vs[i]
                if raw is not None and (ts[i] is None or ts[i] == "n"):
                    try:
                        if float(raw) == value:
                            continue
                    except ValueError:
                        pass
                if -near_zero.TINY < value < near_zero.TINY and value != 0.0:
                    if near_zero.last_is_sum(wb.get_formula(sheet, rows[i], cols[i]) or ""):
                        others.append((i, engine_input.Kept(near_zero.REASON)))
                        continue
                numbers.append(i)
                floats.append(value)
            else:
                others.append((i, value))
        changes += zip(numbers, zip(repeat(None), number_texts(floats)))
        del numbers, floats
        report.computed += formulas - len(others)  # the finite numbers; _other counts the rest
        others += [
            (i, engine_input.Kept(kept[rows[i], cols[i]]))
            if kept and (rows[i], cols[i]) in kept
            else (i, get_value(sheet, rows[i], cols[i]))
            for i in range(formulas, len(sc))
        ]
        before = len(changes)
        if summing:
            held = errors.setdefault(sheet, conditional_guard.constant_errors(sc.xml))
            held.update(
                (rows[i], cols[i])
                for i, value in others
                if isinstance(value, dict)
                and value.get("type") == "Error"
                or isinstance(value, engine_input.Kept)
                and ts[i] == "e"
            )
        for i, value in others:
            if isinstance(value, dict) and value.get("kind") in engine.NOT_COMPUTED:
                roots.append(f"{_quoted(sheet)}!{col_name(cols[i])}{rows[i]}")
            elif isinstance(value, engine_input.Kept) and value.why is near_zero.REASON:
                roots.append(f"{_quoted(sheet)}!{col_name(cols[i])}{rows[i]}")
            elif type(value) is str and number_text.suspect(value):
                value = engine_input.Kept(number_text.REASON)
                roots.append(f"{_quoted(sheet)}!{col_name(cols[i])}{rows[i]}")
            elif isinstance(value, dict) and _collapsed(wb, sheet, sc, i, value):
                value = engine_input.Kept(lambdas.COLLAPSED_REASON)
                roots.append(f"{_quoted(sheet)}!{col_name(cols[i])}{rows[i]}")
            _other(wb, sheet, sc, i, value, report, changes, name)
        if len(changes) > before:
            changes.sort(key=lambda c: c[0])
        for row, col in arrays.missing(sc):
            new = _block_cell(wb, sheet, name, row, col, report, kept)
            if new is not None:
                added.setdefault(name, {})[row, col] = new
    if summing:
        _keep_summing_errors(summing, errors, scans, out, report, roots)
    if roots:
        _keep_dependents(wb, roots, scans, view, out, report)
    return out


_Summing = tuple[str, str, int, int, list[conditional_guard.Rect], str]


def _summing(wb: Any, scans: dict[str, SheetScan], view: engine_input.EngineView) -> list[_Summing]:
    """The cells that call SUMIF & co. whose summed ranges the engine's printing names
    plainly, with those ranges: (sheet, the engine's name of it, row, column, blocks, the
    function); the
    others are guarded in the engine and evaluated again (:func:`conditional_guard.apply`)."""
    found = {}
    for name, sc in scans.items():
        cells = conditional_guard.cells_calling(sc)
        if cells:
            found[name] = cells
    if not found:
        return []
    names = conditional_guard.named_rects(wb)
    plain, slow = [], {}
    for name, cells in found.items():
        sheet = view.renamed.get(name, name)
        for (row, col), union in cells:
            text = wb.get_formula(sheet, row, col)
            if not text:
                continue
            blocks = None if union else conditional_guard.summed_rects(text, sheet, names)
            if blocks is None:
                slow.setdefault(sheet, []).append(((row, col), union))
            elif blocks:
                called = re.search(r"(SUMIFS|SUMIF|AVERAGEIFS|AVERAGEIF)\s*\(", text.upper())
                plain.append(
                    (name, sheet, row, col, blocks, called.group(1) if called else "SUMIF")
                )
    conditional_guard.apply(wb, slow)
    return plain


def _keep_summing_errors(
    summing: list[_Summing],
    errors: dict[str, set[tuple[int, int]]],
    scans: dict[str, SheetScan],
    out: dict[str, list[tuple[int, tuple[str | None, str]]]],
    report: FileReport,
    roots: list[str],
) -> None:
    """SUMIF & co. over a summed range that holds an error keep Excel's value (Excel
    answers the error, formualizer skips it; :mod:`conditional_guard`): the cells computed
    already are taken back, and their readers follow them (``roots``)."""
    kept_refs = {k.cell for k in report.kept_cells}
    hits: dict[str, dict[tuple[int, int], tuple[str, str]]] = {}
    for name, sheet, row, col, blocks, function in summing:
        if any(
            block.holds(block.sheet, r, c)
            for block in blocks
            for r, c in errors.get(block.sheet, ())
        ):
            hits.setdefault(name, {})[row, col] = (sheet, function)
    for name, cells in hits.items():
        sc = scans[name]
        index = {(sc.rows[i], sc.cols[i]): i for i in range(len(sc))}
        taken = set()
        for (row, col), (sheet, function) in cells.items():
            i = index.get((row, col))
            if i is None or f"{name}!{sc.ref(i)}" in kept_refs:
                continue
            taken.add(i)
            report.computed -= 1
            report.kept += 1
            report.kept_cells.append(
                KeptCell(f"{name}!{sc.ref(i)}", (), aggregate_gaps.REASON.format(name=function))
            )
            roots.append(f"{_quoted(sheet)}!{sc.ref(i)}")
        if taken:
            out[name] = [c for c in out[name] if c[0] not in taken]


def _collapsed(wb: Any, sheet: str, sc: SheetScan, i: int, value: dict[str, Any]) -> bool:
    """:func:`lambdas.collapsed` for the scan's cell ``i`` (an error value)."""
    block = sc.array_refs.get(i)
    if value.get("type") != "Error" or not block or ":" not in block:
        return False
    first, _, last = block.partition(":")
    (c1, r1), (_, r2) = col_row(first), col_row(last)
    row, col = (r1 + 1, c1) if r2 > r1 else (r1, c1 + 1)
    formula = sc.formula(i)
    if not formula or not engine_gaps.calls_raiser(formula):
        return False  # only a built-in that raises its error argument breaks the array
    return lambdas.collapsed(formula, value, block, wb.get_value(sheet, row, col))


def _quoted(sheet: str) -> str:
    if sheet.replace("_", "a").isalnum() and not sheet[:1].isdigit():
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _keep_dependents(
    wb: Any,
    roots: list[str],
    scans: dict[str, SheetScan],
    view: engine_input.EngineView,
    out: dict[str, list[tuple[int, tuple[str | None, str]]]],
    report: FileReport,
) -> None:
    """A cell that reads a cell the engine did not compute answers from the engine's "not
    computed" error, not from Excel's value (``=IFERROR(C1,"x")`` wrote "x"): it keeps
    Excel's value too (:mod:`kept_dependents` follows formualizer's dependency graph).
    Dependents that passed the error on are kept already; the others are taken back."""
    from . import kept_dependents

    found = kept_dependents.dependents_of(wb, roots)
    if not found:
        return
    back = {new: old for old, new in view.renamed.items()}
    kept_refs = {k.cell: k for k in report.kept_cells}
    wanted: dict[str, dict[tuple[int, int], str]] = {}
    for cell, root in found.items():
        sheet, _, ref = cell.rpartition("!")
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        name = back.get(sheet, sheet)
        passed_on = kept_refs.get(f"{name}!{ref}")
        if passed_on is not None and not passed_on.functions and passed_on.why in _PASSED_ON:
            # it answered the engine's "not computed" of what it reads: say so
            passed_on.why = _reads(root)
        if name not in scans or passed_on is not None:
            continue
        col, row = col_row(ref)
        wanted.setdefault(name, {})[row, col] = root
    for name, cells in wanted.items():
        sc = scans[name]
        index = {(sc.rows[i], sc.cols[i]): i for i in range(len(sc))}
        take_back = set()
        for (row, col), root in cells.items():
            i = index.get((row, col))
            if i is None:
                continue
            take_back.add(i)
            report.computed -= 1
            report.kept += 1
            report.kept_cells.append(KeptCell(f"{name}!{sc.ref(i)}", (), _reads(root)))
        if take_back:
            out[name] = [c for c in out[name] if c[0] not in take_back]


#: the reasons of a cell that only passed on a precedent's "not computed"
_PASSED_ON = (engine_gaps.NOT_IMPLEMENTED, "unknown function or name")


def _reads(root: str) -> str:
    return f"reads {root}, which keeps Excel's value (the engine could not compute it)"


def evaluate_all(wb: Any) -> None:
    """``wb.evaluate_all()``; a failure of the engine's own raises
    :class:`EngineFailed` (the caller tries once more, every formula put as
    Excel reads it)."""
    try:
        wb.evaluate_all()
    except Exception as exc:
        if type(exc).__name__ != "ExcelEvaluationError":
            raise
        raise EngineFailed(str(exc)) from None


#: Sheet XML, in characters, from which the engine evaluates while the sheets are scanned.
EARLY_ENGINE_CHARS = 1 << 20


class EarlyEngine:
    """The workbook loaded and evaluating in a thread while this one scans the sheets.

    formualizer holds the GIL while it loads a file but lets go of it while it evaluates,
    so a big workbook's evaluation (0.3 s for 100 000 formulas) runs beside the scan of
    its sheets (0.2 s). It loads the file itself, with every one of our functions and
    overrides registered (the scan has not yet said which the formulas call; an unused
    registration changes no value). Its workbook is used only when the engine needs to
    see nothing but the file (``view.data is None``); else it is dropped and the usual
    route runs. Small workbooks (under :data:`EARLY_ENGINE_CHARS` of sheet XML) and a
    load that fails (the usual route then reports it) get an idle one, whose
    :meth:`result` is None. A context manager: on leaving, the thread is waited for.
    """

    def __init__(self, wb: Any = None) -> None:
        self.wb = wb
        self.error: BaseException | None = None
        self.thread: Any = None
        if wb is not None:
            import threading

            self.thread = threading.Thread(target=self._run, name="roi-xl-engine", daemon=True)
            self.thread.start()

    @classmethod
    def start(
        cls, path: Path, pkg: xlsx.Package, texts: dict[str, str], threads: int = 1
    ) -> "EarlyEngine":
        """Load ``path`` and start evaluating it, when its sheets (``texts``: name → XML)
        are big and the engine will likely load the file itself
        (:func:`engine_input.may_load_as_is`); else an idle one. ``threads``: evaluating on
        that many cores (this thread mostly waits for it: 0.06 s off 100 000 formulas with
        2)."""
        if sum(map(len, texts.values())) < EARLY_ENGINE_CHARS:
            return cls()
        if not any("<f" in x for x in texts.values()):
            return cls()  # no formula (a data sheet): the usual route never loads the engine
        if not engine_input.may_load_as_is(pkg, list(texts), texts.values()):
            return cls()  # a copy for the engine: loading the file would be for nothing
        from . import engine

        try:
            wb = engine.load(
                str(path), None, date_system=engine_input.date_system(pkg), threads=threads
            )
            return cls(wb)
        except Exception:  # the usual route loads it again and says what is wrong
            return cls()

    def _run(self) -> None:
        try:
            evaluate_all(self.wb)
        except BaseException as exc:  # MemoryError, EngineFailed: raised by result()
            self.error = exc

    def result(self) -> Any:
        """The evaluated workbook (None if none was started), handed over (this object
        lets it go, so that it is freed with the caller's last use), or what the
        evaluation raised."""
        if self.thread is not None:
            self.thread.join()
        if self.error is not None:
            raise self.error
        wb, self.wb = self.wb, None
        return wb

    def busy(self) -> bool:
        """Whether the evaluation is still running."""
        return self.thread is not None and self.thread.is_alive()

    def drop(self) -> None:
        """Wait for the thread and let the workbook go (the engine must see another
        package); returns None."""
        if self.thread is not None:
            self.thread.join()
        self.wb = self.error = None

    def __enter__(self) -> "EarlyEngine":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.thread is not None:
            self.thread.join()  # it never runs on past the scan, on any route


def _block_cell(
    wb: Any,
    sheet: str,
    name: str,
    row: int,
    col: int,
    report: FileReport,
    kept: dict[tuple[int, int], str] | None,
) -> Value | None:
    """The value of a cell of an array block that has no ``<c>`` in the sheet (openpyxl
    writes the top-left cell only), or None, reported, when the engine has none for it.
    ``sheet``: the engine's name of the sheet, ``name``: the workbook's."""
    from .sheet import col_name

    value = wb.get_value(sheet, row, col)
    why = kept.get((row, col)) if kept else None
    if why is None:
        why = _not_computed("spilled", value)
    if why:
        report.kept += 1
        report.kept_cells.append(KeptCell(f"{name}!{col_name(col)}{row}", (), why))
        return None
    new = xlsx.to_value(_as_result(value))
    report.computed += 1
    report.errors += new.t == "e"
    return new


def _other(
    wb: Any,
    sheet: str,
    sc: SheetScan,
    i: int,
    value: Any,
    report: FileReport,
    changes: list[tuple[int, tuple[str | None, str]]],
    name: str = "",
) -> None:
    """Any result but a finite number: text, booleans, errors, arrays, empty, not computed.
    ``sheet`` is the engine's name of the sheet, ``name`` the file's (if other)."""
    from . import engine

    kind, row, col = sc.kind(i), sc.rows[i], sc.cols[i]
    if isinstance(value, engine_input.Kept):
        why = value.why
    elif value is None and kind != "spilled" and wb.get_formula(sheet, row, col) is None:
        why = "the engine did not load this formula"  # asked only of empty results
    else:
        why = _not_computed(kind, value)
        if why == cell_info.CIRCULAR:  # or ROW(A1) in A1, which Excel computes
            formula = wb.get_formula(sheet, row, col) or "=" + (sc.formula(i) or "")
            why = cell_info.circular_reason(wb, formula, sheet, row, col)
    if why:
        report.kept += 1
        formula = wb.get_formula(sheet, row, col) or "=" + (sc.formula(i) or "")
        names = tuple(n for n in engine.function_names(formula) if not engine.engine_knows(n))
        why = engine_gaps.kept_reason(formula, why, names)
        report.kept_cells.append(KeptCell(f"{name or sheet}!{sc.ref(i)}", names, why))
        return
    new = xlsx.to_value(_as_result(value))
    report.computed += 1
    report.errors += new.t == "e"
    if not same(sc.t[i], sc.v[i], new):
        changes.append((i, new))


def _not_computed(kind: str, value: Any) -> str:
    from .engine import NOT_COMPUTED

    if kind == "spilled":
        return "" if value is not None else "array-formula cell the engine left empty"
    if value is None:  # a blank result is 0 or ""; None means it never evaluated the cell
        return "the engine left this formula unevaluated"
    if isinstance(value, dict) and value.get("kind") in NOT_COMPUTED:
        return {
            "Name": "unknown function or name",
            "NImpl": engine_gaps.NOT_IMPLEMENTED,
            "Circ": cell_info.CIRCULAR,
            "Spill": "the engine's array result runs into cells that are not empty",
        }.get(value["kind"], f"engine {value['kind']}")
    return ""


def _as_result(value: Any) -> Any:
    from .engine import TEXT_OF_KIND

    while isinstance(value, list):  # an anchor handed back whole: Excel caches its corner
        value = value[0] if value else None
    if isinstance(value, dict) and value.get("type") == "Error":
        return ("e", TEXT_OF_KIND.get(value.get("kind", ""), "#VALUE!"))
    if value is None:
        return 0.0
    if hasattr(value, "timestamp") or hasattr(value, "isoformat"):
        return str(value)
    return value
