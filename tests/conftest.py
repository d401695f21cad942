"""Shared test setup: run from the worktree root; LibreOffice-marked tests skip when
LibreOffice is missing, unless ROI_XL_REQUIRE_LIBREOFFICE=1 makes that a failure."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("libreoffice") is None:
        return
    from roi_xl.libreoffice import executable

    if executable() is not None:
        return
    if os.environ.get("ROI_XL_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail("LibreOffice (soffice) is required (ROI_XL_REQUIRE_LIBREOFFICE=1) but "
                    "not installed", pytrace=False)
    pytest.skip("LibreOffice is not installed (set ROI_XL_REQUIRE_LIBREOFFICE=1 to fail)")
