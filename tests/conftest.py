"""LibreOffice tests: skipped without LibreOffice, failed when ROI_XL_REQUIRE_LIBREOFFICE=1."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    from roi_xl.libreoffice import executable

    if executable() is not None:
        return
    required = os.environ.get("ROI_XL_REQUIRE_LIBREOFFICE") == "1"
    for item in items:
        if "libreoffice" in item.keywords:
            if required:
                item.add_marker(pytest.mark.usefixtures("_libreoffice_required"))
            else:
                item.add_marker(pytest.mark.skip(reason="LibreOffice is not installed"))


@pytest.fixture
def _libreoffice_required():
    pytest.fail("ROI_XL_REQUIRE_LIBREOFFICE=1 but LibreOffice (soffice) is not on PATH")
