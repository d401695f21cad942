"""The package as the engine should see it, built in memory; the file is never changed.

formualizer reads transitional OOXML in a plain (not ZIP64) zip, and Excel's legacy array
blocks as it reads them would not spill. So, only for the engine's eyes:

- every multi-cell array formula becomes one spilling formula (:func:`sheet.as_dynamic_arrays`);
- a strict package gets transitional namespaces (:mod:`.strict`);
- a ZIP64 package is repacked as a plain zip (:func:`repack`), which formualizer refuses
  otherwise ("Unsupported feature: ZIP64 member").

The written file keeps its own structure: the writer works from the original members.
"""

from __future__ import annotations

import io
import zipfile
from typing import Callable

from . import strict
from .package import Package
from .sheet import FormulaCell, as_dynamic_arrays


def build(
    pkg: Package,
    sheets: list[tuple[str, str]],
    texts: dict[str, str],
    cells: dict[str, list[FormulaCell]],
) -> bytes | None:
    """The package for the engine, or ``None`` when the file itself will do."""
    changed: dict[str, bytes] = {}
    for sheet, part in sheets:
        text = as_dynamic_arrays(texts[part], cells[sheet])
        if text is not texts[part]:
            changed[part] = text.encode("utf-8")
    transform: Callable[[bytes], bytes] | None = None
    if "_rels/.rels" in pkg.names and strict.is_strict(pkg.read("_rels/.rels")):
        transform = strict.to_transitional
    if not changed and transform is None:
        return None
    return _pack(pkg, changed, transform)


def repack(pkg: Package) -> bytes:
    """The package's members in a new, plain zip (for an engine that refuses ZIP64)."""
    return _pack(pkg, {}, None)


def _pack(
    pkg: Package, changed: dict[str, bytes], transform: Callable[[bytes], bytes] | None
) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in pkg.infos:
            data = changed.get(info.filename) or pkg.read(info.filename)
            if transform is not None and info.filename.endswith((".xml", ".rels")):
                data = transform(data)
            out.writestr(info.filename, data)
    return buf.getvalue()


def engine_refused_zip64(exc: BaseException) -> bool:
    """Whether the engine's load error is its refusal of ZIP64 members."""
    return "ZIP64" in str(exc)
