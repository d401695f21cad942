"""Point the classic xlwings add-in (Excel for Windows) at our UDF module.

xlwings reads ``~/.xlwings/xlwings.conf``: one ``"KEY","value"`` line per setting. We set
``UDF MODULES`` to ``roi_udfs`` (keeping any modules already listed) and leave every other
line as it was. The write is atomic.
"""

from __future__ import annotations

import re
from pathlib import Path

UDF_MODULE = "roi_udfs"
KEY = "UDF MODULES"


def config_path() -> Path:
    """Where xlwings keeps the user's settings."""
    return Path.home() / ".xlwings" / "xlwings.conf"  # xlwings.USER_CONFIG_FILE


def updated_config(text: str, module: str = UDF_MODULE) -> str:
    """``text`` with ``module`` added to the UDF MODULES line (created if absent).

    >>> updated_config('"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\\n')
    '"INTERPRETER_WIN","C:\\\\py\\\\python.exe"\\n"UDF MODULES","roi_udfs"\\n'
    >>> updated_config('"UDF MODULES","mine"\\n')
    '"UDF MODULES","mine;roi_udfs"\\n'
    >>> updated_config('"UDF MODULES","roi_udfs"\\n')
    '"UDF MODULES","roi_udfs"\\n'
    """
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        values = re.findall(r'"([^"]*)"', line)
        if len(values) >= 2 and values[0].strip().upper() == KEY:
            modules = [m for m in values[1].split(";") if m.strip()]
            if module not in modules:
                modules.append(module)
            lines[i] = f'"{KEY}","{";".join(modules)}"\n'
            return "".join(lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return "".join(lines) + f'"{KEY}","{module}"\n'


def with_interpreter(text: str, executable: str) -> str:
    r"""Add ``INTERPRETER_WIN`` (the Python that has roi_udfs) unless the file already names
    an interpreter or a conda environment. ``xlwings addin install`` writes it only when no
    config file exists yet, so running our setup first must not leave it out.

    >>> with_interpreter('"UDF MODULES","roi_udfs"\n', "C:/venv/python.exe")
    '"UDF MODULES","roi_udfs"\n"INTERPRETER_WIN","C:/venv/python.exe"\n'
    >>> with_interpreter('"CONDA ENV","base"\n', "python.exe")
    '"CONDA ENV","base"\n'
    """
    keys = {v.strip().upper() for v in re.findall(r'^"([^"]*)"', text, flags=re.M)}
    if keys & {"INTERPRETER_WIN", "INTERPRETER", "CONDA PATH", "CONDA ENV"}:
        return text
    return text + f'"INTERPRETER_WIN","{executable}"\n'


def install(path: Path | None = None, dry_run: bool = False) -> tuple[Path, str]:
    """Add ``roi_udfs`` to the user's xlwings.conf (and, on Windows, this Python as the
    interpreter if none is set); return the path and the new text."""
    import sys

    path = path or config_path()
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    new = updated_config(old)
    if sys.platform == "win32":
        new = with_interpreter(new, sys.executable)
    if not dry_run and new != old:
        path.parent.mkdir(parents=True, exist_ok=True)
        from .fileio import atomic_open

        # private when new (xlwings.conf may hold a license key); an existing one keeps its mode
        with atomic_open(path, "w", encoding="utf-8", new_mode=0o600) as f:
            f.write(new)
    return path, new


NEXT_STEPS = """\
Next steps in Excel for Windows (classic xlwings add-in):
  1. xlwings addin install          (once, if not done yet: installs the xlwings ribbon)
  2. Open Excel, xlwings tab → check that "UDF Modules" shows roi_udfs
  3. xlwings tab → Import Functions
  4. Type =ROI(B2,B3,B4) in a cell (functions are in the "roi_xl" category of the wizard)

On a Mac or in Excel on the web use xlwings Lite instead: in the xlwings Lite editor add
roi-xl to the workbook's requirements.txt, write this line in main.py
    from roi_udfs import *
and restart (see README, "Mac and the web").
"""
