"""`--udf` and native templates give the same values: both are written with cached values
by the refresh engine (native formulas by formualizer, our functions from the one table),
so every key output can be compared directly."""

import openpyxl
import pytest
from templates_support import expected

from roi_xl.defined_names import named_values
from roi_xl.templates import NAMES, write


@pytest.mark.parametrize("name", NAMES)
def test_udf_variant_caches_the_same_key_outputs_as_the_native_one(tmp_path, name):
    native = write(name, tmp_path / "native.xlsx", "en")
    udf = write(name, tmp_path / "udf.xlsx", "en", udf=True)
    library = expected(name, openpyxl.load_workbook(native, data_only=True))
    assert library
    a, b = named_values(native, library), named_values(udf, library)
    for key, want in library.items():
        want = want.tolist() if hasattr(want, "tolist") else want
        assert a[key] == pytest.approx(want, rel=1e-9), f"native {key}"
        assert b[key] == pytest.approx(want, rel=1e-9), f"--udf {key}"
