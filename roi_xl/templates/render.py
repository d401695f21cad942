"""Render every template in both languages to PNG (docs/templates/) through LibreOffice.

    python -m roi_xl.templates.render [OUTDIR]

One LibreOffice run converts all workbooks to PDF (recalculating them), then
``pdftoppm -png -r 70 -singlefile`` keeps the first page of each.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import libreoffice
from ..i18n import LANGUAGES
from .builder import write
from .catalog import NAMES


def render(outdir: str | Path = "docs/templates", resolution: int = 70) -> list[Path]:
    """Write ``NAME-LANG.png`` for every template and language into ``outdir``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm is missing: apt-get install -y poppler-utils")
    pngs = []
    with tempfile.TemporaryDirectory(prefix="roi_xl_render_") as tmp:
        books = [write(n, Path(tmp) / f"{n}-{lang}.xlsx", lang)
                 for n in NAMES for lang in LANGUAGES]
        pdfs = libreoffice.convert(books, Path(tmp) / "pdf", "pdf")
        for pdf in pdfs:
            target = outdir / pdf.stem
            subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-singlefile",
                            str(pdf), str(target)], check=True)
            pngs.append(target.with_suffix(".png"))
    return pngs


if __name__ == "__main__":
    for png in render(*sys.argv[1:2]):
        print(png, f"{png.stat().st_size // 1024} KB")
