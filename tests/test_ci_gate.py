"""A LibreOffice test skips on a laptop without LibreOffice, but fails under
ROI_XL_REQUIRE_LIBREOFFICE=1 (CI), so a missing install never passes as a skip."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("required, outcome", [("0", "1 skipped"), ("1", "1 error")])
def test_libreoffice_gate(tmp_path, required, outcome):
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "test_needs_lo.py").write_text(
        "import pytest\n\n@pytest.mark.libreoffice\ndef test_lo():\n    pass\n"
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    libreoffice: needs LO\n")
    env = {
        **os.environ,
        "PATH": str(Path(sys.executable).parent),  # no soffice on PATH
        "ROI_XL_REQUIRE_LIBREOFFICE": required,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "udfs")]),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert outcome in proc.stdout, proc.stdout
    assert (proc.returncode == 0) == (required == "0")
