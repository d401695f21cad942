"""Every public function of the library has a NumPy-style docstring with Parameters and
Returns (numpy-financial's habit), so ``help()`` answers without reading the source."""

import importlib
import inspect

import pytest

import roi_xl

MODULES = [
    "roi_xl.metrics",
    "roi_xl.funnel",
    "roi_xl.stats",
    "roi_xl.frame",
    "roi_xl.options",
    "roi_xl.formatting",
    "roi_xl.i18n",
    "roi_xl.defined_names",
    "roi_xl.templates.builder",
    "roi_xl.templates.catalog",
    "roi_xl.excel_functions.coerce",
    "roi_xl.excel_functions.generate",
]


def _public_functions():
    found = {}
    for name in roi_xl.__all__:
        obj = getattr(roi_xl, name)
        if inspect.isfunction(obj):
            found[f"roi_xl.{name}"] = obj
    for module in MODULES:
        mod = importlib.import_module(module)
        for name, obj in inspect.getmembers(mod, inspect.isfunction):
            if not name.startswith("_") and obj.__module__ == module:
                found[f"{module}.{name}"] = obj
    return found


@pytest.mark.parametrize("name", sorted(_public_functions()))
def test_public_function_documents_parameters_and_returns(name):
    doc = inspect.getdoc(_public_functions()[name]) or ""
    assert "Parameters\n----------" in doc and "Returns\n-------" in doc, name
