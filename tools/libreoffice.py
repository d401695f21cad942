"""LibreOffice headless as an independent spreadsheet engine (tests, benchmarks, renders).

LibreOffice trusts the cached values in an .xlsx by default; :func:`profile` makes a
throw-away user profile whose ``OOXMLRecalcMode`` is 0 ("always recalculate"), so every
formula is computed by LibreOffice itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class LibreOfficeMissing(RuntimeError):
    """No ``soffice``/``libreoffice`` on PATH."""


def executable() -> str | None:
    """Path of LibreOffice's command, or ``None``."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def profile(directory: str | os.PathLike[str], recalculate: bool = True) -> str:
    """Create an always-recalculate profile in ``directory`` (``recalculate=False``: a
    never-recalculate one, which shows the cached values); return its file URL."""
    user = Path(directory) / "user"
    user.mkdir(parents=True, exist_ok=True)
    xcu = _XCU.replace("{mode}", "0" if recalculate else "1")
    (user / "registrymodifications.xcu").write_text(xcu, encoding="utf-8")
    return Path(directory).resolve().as_uri()


def convert(
    files: Iterable[str | os.PathLike[str]],
    outdir: str | os.PathLike[str],
    fmt: str = "xlsx",
    timeout: float = 600,
    recalculate: bool = True,
) -> list[Path]:
    """Open ``files`` in LibreOffice (recalculating every formula; ``recalculate=False``
    keeps the cached values) and save them as ``fmt`` (``"xlsx"``, ``"pdf"``, ``"ods"``)
    into ``outdir``, in one LibreOffice process.

    Returns the output paths, in the order of ``files``.
    """
    exe = executable()
    if exe is None:
        raise LibreOfficeMissing(
            "LibreOffice is not installed: apt-get install -y libreoffice-calc-nogui"
        )
    files = [Path(f).resolve() for f in files]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    target = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "pdf": "pdf:calc_pdf_Export"}.get(fmt, fmt)
    with tempfile.TemporaryDirectory(prefix="roi_xl_lo_") as prof:
        cmd = [
            exe,
            f"-env:UserInstallation={profile(prof, recalculate)}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            *map(str, files),
        ]
        subprocess.run(
            cmd,
            check=True,
            timeout=timeout,
            capture_output=True,
            env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"},
        )
    suffix = "." + fmt.split(":")[0]
    outs = [outdir / (f.stem + suffix) for f in files]
    missing = [str(o) for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {', '.join(missing)}")
    return outs


def recalculated_values(path: str | os.PathLike[str], workdir: str | os.PathLike[str]):
    """Recalculate ``path`` in LibreOffice and return the openpyxl workbook of its values
    (``data_only=True``): what LibreOffice computed, not what the file had cached."""
    import openpyxl

    (out,) = convert([path], workdir)
    return openpyxl.load_workbook(out, data_only=True)
