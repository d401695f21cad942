"""The real-world corpus (123 Excel-made workbooks from Apache POI's test data, copied to a
temporary folder), refreshed as it is and with every cached value stripped first:

- no file damaged: each output opens in openpyxl, every XML part parses, every byte other
  than formula cells' cached values is kept;
- of the files whose formulas Excel computes without add-ins or other workbooks
  (``tests/data/poi-excluded.csv`` lists the others and why), at least the share below is
  refreshed from nothing;
- at least the share below of their formula cells equal LibreOffice's own recalculation
  or the value Excel stored (numbers within 1e-9 relative).

``python -m tests.poi_corpus`` prints the same figures.
"""

from __future__ import annotations

import zipfile
import xml.etree.ElementTree as ET

import pytest

from tests import poi_corpus as poi

#: Issue 12's targets: 95 % of the files refreshed and 98 % of the cells equal, met in both
#: modes. Stripped of its cached values, the corpus reaches 109 of 113 files (96.5 %) and
#: 99.07 % of the cells since TEXT() renders number formats by roi_xl.numfmt (before: 91.2 %
#: and 95.36 %, ~700 TEXT cells of POI's number-format books kept no value).
FILES_REFRESHED = {"stripped": 0.95}
CELLS_EQUAL = {"as-is": 0.99, "stripped": 0.99}


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("poi")
    return {mode: poi.run(mode, workdir) for mode in ("as-is", "stripped")}


@pytest.fixture(scope="module")
def libreoffice_values(tmp_path_factory):
    return poi.libreoffice_values(tmp_path_factory.mktemp("poi-lo"))


def test_the_corpus_is_there():
    files = poi.corpus_files()
    assert len(files) == 123
    assert set(poi.EXCLUDED) <= {f.name for f in files}


def test_stripper_removes_only_formula_values(tmp_path):
    """The stripper the other tests rely on: formula cells lose ``<v>`` and ``t``, nothing
    else changes, and the result is a package every part of which parses."""
    removed = 0
    for f in poi.corpus_files():
        out = poi.strip(f, tmp_path / f.name)
        poi.assert_only_cached_values_differ(f, out)
        before, after = poi.cells(f), poi.cells(out)
        assert before.keys() == after.keys(), f.name
        for key, cell in after.items():
            if cell.has_f:
                assert cell.value is None, (f.name, key)
                removed += before[key].value is not None
            else:
                assert cell.value == before[key].value, (f.name, key)
        with zipfile.ZipFile(out) as zf:
            for _, part in poi.worksheet_parts(zf):
                for c in ET.fromstring(zf.read(part)).iter():
                    if poi._local(c.tag) == "c" and any(poi._local(x.tag) == "f" for x in c):
                        assert "t" not in c.attrib, (f.name, part, c.get("r"))
    assert removed > 15_000  # the corpus holds ~19 600 formula cells, nearly all cached


def test_excluded_files_are_the_ones_the_formula_scan_finds():
    scanned = {f.name: poi.classify(f) for f in poi.corpus_files()}
    assert {name: why for name, why in scanned.items() if why} == poi.EXCLUDED


@pytest.mark.parametrize("mode", ["as-is", "stripped"])
def test_no_file_damaged(corpus_runs, mode):
    damaged = {o.name: o.damaged for o in corpus_runs[mode] if o.damaged}
    assert damaged == {}
    failed = {o.name: o.reason for o in corpus_runs[mode] if o.status == "failed"}
    assert failed == {}


def test_files_excel_computes_are_refreshed(corpus_runs):
    figures = poi.figures("stripped", corpus_runs["stripped"])
    assert figures.refreshed >= FILES_REFRESHED["stripped"] * figures.in_scope, str(figures)


@pytest.mark.libreoffice
@pytest.mark.parametrize("mode", ["as-is", "stripped"])
def test_cells_equal_libreoffice_or_excel(corpus_runs, libreoffice_values, mode):
    outcomes = [poi.score(o, libreoffice_values) for o in corpus_runs[mode]]
    figures = poi.figures(mode, outcomes)
    worst = sorted(outcomes, key=lambda o: len(o.unequal), reverse=True)[:5]
    detail = "; ".join(f"{o.name}: {o.unequal[:2]}" for o in worst if o.unequal)
    assert figures.equal >= CELLS_EQUAL[mode] * figures.cells, f"{figures}; {detail}"


#: POI cells written, as-is, with a value unequal to both Excel's stored value and
#: LibreOffice's: (file, "Sheet!A1") → the class and why it is not fixed. Empty since issue
#: 21's last 21 cells of FormulaEvalTestData_Copy.xlsx were fixed or kept: SUMX2MY2,
#: SUMX2PY2, SUMXMY2 (builtin_fixes.sum_of_pairs), COUNT's typed errors, IF's typed
#: "tRue", DOLLAR of a currency text (kept), MODE and AVERAGEA of typed text (kept),
#: COUNTIF/SUMIF with criteria as a range (kept), OFFSET's rows as a range (implicit
#: intersection), INDIRECT of a blank (typed_args, engine_gaps, reference_rewrites).
#: A new wrong value fails :func:`test_no_new_wrong_value_as_is`; an entry fixed fails
#: it too, so that the set stays true.
OPEN_WRONG: dict[tuple[str, str], str] = {}


@pytest.mark.libreoffice
def test_no_new_wrong_value_as_is(corpus_runs, libreoffice_values):
    wrong = {
        (o.name, u.split(":", 1)[0])
        for o in corpus_runs["as-is"]
        if o.name not in poi.EXCLUDED
        for u in poi.score(o, libreoffice_values).unequal
    }
    new = wrong - OPEN_WRONG.keys()
    assert not new, "written unlike Excel and LibreOffice: " + "; ".join(
        u for o in corpus_runs["as-is"] for u in o.unequal if (o.name, u.split(":", 1)[0]) in new
    )
    assert OPEN_WRONG.keys() <= wrong, f"fixed: drop from OPEN_WRONG {OPEN_WRONG.keys() - wrong}"
