"""Refresh one workbook in this process: evaluate with formualizer, write cached values."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from ..fileio import WriteError
from . import xlsx
from .report import FAILED, FileReport, KeptCell
from .xlsx import FormulaCell, UnreadableWorkbook, Value


def lock_file(path: Path) -> Path | None:
    """Excel's ``~$`` owner file beside ``path`` (Excel drops two letters of long names)."""
    for name in ("~$" + path.name, "~$" + path.name[2:]):
        candidate = path.with_name(name)
        if candidate.exists():
            return candidate
    return None


def refresh_file(path: str | Path, *, backup: bool = True, dry_run: bool = False) -> FileReport:
    """Recompute every formula of one workbook and write the results as cached values.

    Runs in the calling process with no time or memory bound (the batch runner adds those);
    fast enough to call on a workbook openpyxl has just written. Never raises for a bad
    file: the report's ``status`` is ``"failed"`` and ``reason`` says why.

    >>> from roi_xl.templates import write
    >>> import pathlib, tempfile
    >>> path = write("roi", pathlib.Path(tempfile.mkdtemp()) / "roi.xlsx", "en")
    >>> refresh_file(path, backup=False).status  # new templates are refreshed already
    'unchanged'
    """
    path = Path(path)
    start = time.perf_counter()
    try:
        report = _refresh(path, backup, dry_run)
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


def _refresh(path: Path, backup: bool, dry_run: bool) -> FileReport:
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
        for name in sorted(pkg.names):
            if name.endswith((".xml", ".rels", ".vml")):
                pkg.refuse_dtds(name)  # before any other parser sees them
        texts: dict[str, str] = {}
        cells: dict[str, list[FormulaCell]] = {}
        for sheet, part in sheets:
            try:
                texts[part] = pkg.read(part).decode("utf-8")
            except UnicodeDecodeError:
                raise UnreadableWorkbook(f"{part} is not UTF-8: save the file in Excel") from None
            cells[sheet] = xlsx.formula_cells(texts[part])
        report = FileReport(str(path), "unchanged")
        if not any(cells.values()):
            return report
        engine_input = _engine_input(pkg, sheets, texts, cells)
        results = _evaluate(engine_input or path, cells, report)
        replaced: dict[str, bytes] = {}
        for sheet, part in sheets:
            updates = {
                ref: v
                for ref, v in results.get(sheet, {}).items()
                if v != _cached(cells[sheet], ref)
            }
            report.changed += len(updates)
            if updates:
                replaced[part] = xlsx.rewrite(texts[part], updates).encode("utf-8")
        if not replaced:
            return report
        if dry_run:
            report.status = "would refresh"
            return report
        xlsx.write_package(pkg, replaced, path, backup)
    report.status = "refreshed"
    return report


def _cached(cells: list[FormulaCell], ref: str) -> Value | None:
    for c in cells:
        if c.ref == ref:
            return c.cached
    return None


def _engine_input(
    pkg: xlsx.Package,
    sheets: list[tuple[str, str]],
    texts: dict[str, str],
    cells: dict[str, list[FormulaCell]],
) -> bytes | None:
    """The package with array blocks turned into spilling formulas (see
    :func:`xlsx.as_dynamic_arrays`), in memory for the engine; ``None`` when it has none."""
    changed = {}
    for sheet, part in sheets:
        text = xlsx.as_dynamic_arrays(texts[part], cells[sheet])
        if text is not texts[part]:
            changed[part] = text.encode("utf-8")
    if not changed:
        return None
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in pkg.infos:
            out.writestr(info.filename, changed.get(info.filename) or pkg.read(info.filename))
    return buf.getvalue()


def _evaluate(
    source: Path | bytes, cells: dict[str, list[FormulaCell]], report: FileReport
) -> dict[str, dict[str, Value]]:
    from . import engine

    formulas = [c.formula for sheet_cells in cells.values() for c in sheet_cells if c.formula]
    wb = engine.load(source if isinstance(source, bytes) else str(source), formulas)
    wb.evaluate_all()
    out: dict[str, dict[str, Value]] = {}
    for sheet, sheet_cells in cells.items():
        values = out.setdefault(sheet, {})
        for c in sheet_cells:
            col, row = xlsx.col_row(c.ref)
            value = wb.get_value(sheet, row, col)
            formula = c.formula if c.kind == "spilled" else wb.get_formula(sheet, row, col)
            why = _not_computed(c, formula, value)
            if why:
                report.kept += 1
                names = tuple(
                    n for n in engine.function_names(formula or "") if not engine.engine_knows(n)
                )
                report.kept_cells.append(KeptCell(f"{sheet}!{c.ref}", names, why))
                continue
            new = xlsx.to_value(_as_result(value))
            report.computed += 1
            report.errors += new.t == "e"
            values[c.ref] = new
    return out


def _not_computed(c: FormulaCell, formula: str | None, value: Any) -> str:
    from .engine import NOT_COMPUTED

    if c.kind == "spilled":
        return "" if value is not None else "array-formula cell the engine left empty"
    if formula is None:
        return "the engine did not load this formula"
    if isinstance(value, dict) and value.get("kind") in NOT_COMPUTED:
        return {
            "Name": "unknown function or name",
            "NImpl": "not implemented by the engine",
            "Circ": "circular reference",
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
