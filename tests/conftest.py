"""Shared test set-up.

- ``udfs/`` is importable as ``roi_udfs`` even before ``pip install .``.
- Tests marked ``libreoffice`` skip when LibreOffice is missing, except when
  ``ROI_XL_REQUIRE_LIBREOFFICE=1`` (as in CI): then they fail, so a missing install can
  never pass as a skip.
"""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # workbook_templates/ and roi_xl/ from the checkout
    sys.path.insert(0, str(ROOT))
try:
    import roi_udfs  # noqa: F401
except ImportError:
    sys.path.insert(0, str(ROOT / "udfs"))


def pytest_runtest_setup(item):
    if "libreoffice" not in item.keywords:
        return
    from tools import libreoffice

    if libreoffice.executable() is not None:
        return
    if os.environ.get("ROI_XL_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(
            "ROI_XL_REQUIRE_LIBREOFFICE=1 but LibreOffice (soffice) is not on PATH: "
            "apt-get install -y libreoffice-calc-nogui",
            pytrace=False,
        )
    pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-calc-nogui)")


@pytest.fixture(autouse=True)
def _language_from_environment():
    """``--lang`` and set_language() fix the language for the process; undo it per test."""
    import roi_xl

    yield
    roi_xl.set_language(None)
