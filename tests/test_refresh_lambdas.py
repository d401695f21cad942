"""LAMBDA and its helpers in refresh (roi_xl/refresh/lambdas.py): the rewrite's text, the
cells it must keep, and workbooks refreshed end to end, compared with values worked out
from Microsoft's pages for each function (URL beside each case; the data are ours)."""

from __future__ import annotations

import math
import re

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from roi_xl.errors import UnresolvedFormula
from roi_xl.refresh import engine_gaps, lambdas, refresh_file
from tests.function_cases import file_formula

MS = "https://support.microsoft.com/en-us/excel/functions/"


# The rewrite, as text --------------------------------------------------------------------


def test_invocation_becomes_let_with_the_file_prefixes():
    assert lambdas.rewrite("=_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a*_xlpm.b)(2,A1)") == (
        "=LET(_xlpm.a,2,_xlpm.b,A1,_xlpm.a*_xlpm.b)"
    )
    assert lambdas.rewrite("=LAMBDA(42)()") == "=(42)"


def test_texts_and_quoted_sheets_are_copied_as_written():
    # the parameter's name inside a text, a sheet whose name looks like a call
    f = "=LAMBDA(x,\"LAMBDA(x)\"&x&'MAP(1)'!A1)(3)"
    assert lambdas.rewrite(f) == "=LET(x,3,\"LAMBDA(x)\"&x&'MAP(1)'!A1)"


def test_byrow_bycol_bind_rows_and_columns_as_references():
    assert lambdas.rewrite("=BYCOL(Data!$A$1:$B$2,LAMBDA(c,SUM(c)))") == (
        "=HSTACK(ROIXL_ONE(LET(c,Data!$A$1:$A$2,SUM(c))),ROIXL_ONE(LET(c,Data!$B$1:$B$2,SUM(c))))"
    )
    assert lambdas.rewrite("=BYROW(A1:A2,LAMBDA(r,r))") == (
        "=VSTACK(ROIXL_ONE(LET(r,A1,r)),ROIXL_ONE(LET(r,A2,r)))"
    )


def test_map_walks_several_arrays_cell_by_cell():
    assert lambdas.rewrite("=MAP(A1:B1,C1:D1,LAMBDA(x,y,x+y))") == (
        "=HSTACK(ROIXL_ONE(LET(x,A1,y,C1,x+y)),ROIXL_ONE(LET(x,B1,y,D1,x+y)))"
    )


def test_reduce_chains_accumulators_in_one_flat_let_row_by_row():
    text = lambdas.rewrite("=REDUCE(10,A1:B2,LAMBDA(a,v,a-v))")
    assert text == (
        "=LET(_xlpm.roixl_1_0,LET(a,10,v,A1,a-v),_xlpm.roixl_1_1,LET(a,_xlpm.roixl_1_0,v,B1,a-v),"
        "_xlpm.roixl_1_2,LET(a,_xlpm.roixl_1_1,v,A2,a-v),"
        "_xlpm.roixl_1_3,LET(a,_xlpm.roixl_1_2,v,B2,a-v),_xlpm.roixl_1_3)"
    )
    # 2 000 cells: still one level of LET deep (no nesting that grows with the array)
    deep = lambdas.rewrite("=SCAN(0,A1:A2000,LAMBDA(a,v,a+v))")
    assert deep.count("LET(") == 2001 and "LET(a,LET(" not in deep


def test_makearray_and_isomitted():
    assert lambdas.rewrite("=MAKEARRAY(1,2,LAMBDA(i,j,i+j))") == (
        "=HSTACK(ROIXL_ONE(LET(i,1,j,1,i+j)),ROIXL_ONE(LET(i,1,j,2,i+j)))"
    )
    f = '=LAMBDA(x,y,IF(ISOMITTED(y),"ISOMITTED(y)",ISOMITTED(x)))(1,)'
    assert lambdas.rewrite(f) == '=LET(x,1,y,ROIXL_OMITTED(),IF(TRUE,"ISOMITTED(y)",FALSE))'


def test_nested_lambdas_rewrite_inside_out():
    f = "=MAP(A1:A2,LAMBDA(x,LAMBDA(y,x*y)(2)))"
    assert lambdas.rewrite(f) == (
        "=VSTACK(ROIXL_ONE(LET(x,A1,LET(y,2,x*y))),ROIXL_ONE(LET(x,A2,LET(y,2,x*y))))"
    )


def test_formulas_without_lambda_are_handed_back_untouched():
    f = "=SUM(A1:A3)+MAP"
    assert lambdas.rewrite(f) is f and not lambdas.may_have(f)
    # a LAMBDA bound by LET and called by its name: formualizer computes those itself
    g = "=LET(f,LAMBDA(x,x+1),f(2))"
    assert lambdas.rewrite(g) == g


@pytest.mark.parametrize(
    "formula, why",
    [
        ("=MAP(FILTER(A1:A9,A1:A9>0),LAMBDA(x,SUM(x)))", "not a literal reference"),
        ("=MAP(SEQUENCE(A1),LAMBDA(x,SUM(x)))", "SEQUENCE of literal size (SEQUENCE(A1))"),
        ("=MAP(SEQUENCE(2,),LAMBDA(x,x*2))", "SEQUENCE of literal size"),
        ("=MAP(A:A,LAMBDA(x,x))", "not a literal reference, constant or SEQUENCE"),
        ("=MAP(prices,LAMBDA(x,x))", "SEQUENCE of literal size (prices)"),
        ("=MAP({1,2;3},LAMBDA(x,x))", "an array constant it cannot read"),
        ("=LET(f,LAMBDA(x,x*2),MAP(A1:A3,f))", "MAP's function is not a LAMBDA"),
        ("=LET(sum,LAMBDA(x,x*2),MAP(A1:A3,sum))", "a name the formula binds"),
        ("=MAP(A1:A3,_xleta.TEXT)", "MAP's function is not a LAMBDA"),
        ("=BYROW(A1:C3,LAMBDA(r,SUM(r))+1)", "BYROW's function is not a LAMBDA"),
        ("=MAP(A1:A20000,LAMBDA(x,x))", "more than 10000 LAMBDA calls"),
        ("=MAP(A1:A200,LAMBDA(x,MAP(B1:B200,LAMBDA(y,x+y))))", "more than 10000 LAMBDA calls"),
        ("=REDUCE(,A1:C2,LAMBDA(a,b,a+b^2))", "without an initial value"),
        ("=SCAN(,A1:C2,LAMBDA(a,b,a+b))", "without an initial value"),
        ("=MAKEARRAY(A1,2,LAMBDA(r,c,r+c))", "not literal whole numbers"),
        ("=MAKEARRAY(0,2,LAMBDA(r,c,r+c))", "not literal whole numbers"),
        ("=MAP(A1:A2,B1:B3,LAMBDA(x,y,x+y))", "arrays of different sizes"),
        ("=MAP(A1:A2,LAMBDA(x,y,x+y))", "takes 2 parameters, not 1"),
        ("=LAMBDA(x,y,x+y)(1)", "called with 1 arguments"),
        ("=LAMBDA(x,y,x+y)(1,x)", "names one of its parameters"),
        ("=LAMBDA(x,y,x+y)(1,_xlpm.x*2)", "names one of its parameters"),
        ("=LAMBDA(A1,A1+1)(2)", "is not a name"),
        ("=LAMBDA(my.x,my.x+1)(2)", "is not a name"),
        ("=LAMBDA(x,x,1)(1,2)", "the same name"),
        ("=LAMBDA(x,LET(y,1,ISOMITTED(x)))(1)", "another LAMBDA or LET"),
        ("=ISOMITTED(A1)+LAMBDA(x,x)(1)", "ISOMITTED outside a LAMBDA call"),
        ("=LAMBDA(x,x+1)(2)&ROIXL_ONE(1)", "ROIXL_"),
    ],
)
def test_what_the_rewrite_keeps_with_its_reason(formula, why):
    with pytest.raises(UnresolvedFormula, match=why.replace("(", r"\(").replace(")", r"\)")):
        lambdas.rewrite(formula)


def test_a_shared_formula_keeps_a_range_with_one_corner_anchored():
    f = "=BYROW($A$1:C3,LAMBDA(r,SUM(r)))"  # its size would change from cell to cell
    assert "ROIXL_ONE" in lambdas.rewrite(f, "normal")
    with pytest.raises(UnresolvedFormula, match="shared formula"):
        lambdas.rewrite(f, "shared")
    assert "$A$2:$C$2" in lambdas.rewrite("=BYROW($A$1:$C$3,LAMBDA(r,SUM(r)))", "shared")


def test_catchers_around_a_guarded_call_keep_the_cell_and_inside_do_not():
    # ROIXL_ONE's "not computed" (an array LAMBDA result) would be caught by IFERROR
    assert engine_gaps.unsupported("IFERROR(MAP(A1:A2,LAMBDA(x,x*2)),0)")
    assert engine_gaps.unsupported("IFERROR(LAMBDA(x,y,x+y)(1,),0)")  # an omitted argument
    assert not engine_gaps.unsupported("MAP(A1:A2,LAMBDA(x,IFERROR(1/x,0)))")
    assert not engine_gaps.unsupported("IFERROR(LAMBDA(x,x*2)(A1),0)")
    assert not engine_gaps.unsupported("IFERROR(REDUCE(0,A1:A3,LAMBDA(a,v,a+v)),0)")
    # what the rewrite leaves to the engine, which has not MAP: caught, so kept
    assert engine_gaps.unsupported("IFERROR(MAP(SEQUENCE(2),LAMBDA(x,x)),0)")


# End to end ------------------------------------------------------------------------------

DATA = {  # sheet Data
    "A1": 1, "B1": 2, "C1": 3, "A2": 4, "B2": 5, "C2": 6,  # A1:C2, as in Microsoft's examples
    "E1": 4, "E2": 8, "E3": 15, "E4": 16,
    "F1": "=1/0", "F2": "=NA()",
    "G2": 1, "G3": 2,  # G1 blank
    "H1": "a", "H2": "b", "H3": "c",
}  # fmt: skip

#: (formula as typed, Excel's value worked out from the page, the page)
CASES = [
    ("=LAMBDA(number,number+1)(1)", 2, "lambda-function"),
    ("=LAMBDA(x,y,IF(ISOMITTED(y),\"Missing second argument\",x+y))(1,)",
     "Missing second argument", "isomitted-function"),
    ("=LAMBDA(x,y,IF(ISOMITTED(y),\"Missing second argument\",x+y))(1,2)", 3,
     "isomitted-function"),
    ("=BYROW(Data!A1:C2,LAMBDA(array,MAX(array)))", [[3], [6]], "byrow-function"),
    ("=BYROW(Data!A1:C2,LAMBDA(array,SUMSQ(array)))", [[14], [77]], "byrow-function"),
    ("=BYCOL(Data!A1:C2,LAMBDA(array,MAX(array)))", [[4, 5, 6]], "bycol-function"),
    ("=BYCOL(Data!A1:C2,LAMBDA(array,SUMSQ(array)))", [[17, 29, 45]], "bycol-function"),
    ("=MAP(Data!A1:C2,LAMBDA(a,IF(a>4,a*a,a)))", [[1, 2, 3], [4, 25, 36]], "map-function"),
    ("=MAP(Data!A1:A2,Data!B1:B2,LAMBDA(a,b,AND(a>0,b>4)))", [[False], [True]], "map-function"),
    ("=REDUCE(0,Data!A1:C2,LAMBDA(a,b,a+b^2))", 91, "reduce-function"),
    ("=REDUCE(1,Data!E1:E4,LAMBDA(a,b,IF(b>10,a*b,a)))", 240, "reduce-function"),
    ("=REDUCE(0,Data!E1:E4,LAMBDA(a,n,IF(ISEVEN(n),1+a,a)))", 3, "reduce-function"),
    ("=SCAN(1,Data!A1:C2,LAMBDA(a,b,a*b))", [[1, 2, 6], [24, 120, 720]], "scan-function"),
    ("=SCAN(\"\",Data!H1:H3,LAMBDA(a,b,a&b))", [["a"], ["ab"], ["abc"]], "scan-function"),
    ("=MAKEARRAY(3,3,LAMBDA(r,c,r*c))", [[1, 2, 3], [2, 4, 6], [3, 6, 9]], "makearray-function"),
    ("=MAP({1,2,3},LAMBDA(a,a+1))", [[2, 3, 4]], "map-function"),
    ("=MAP(SEQUENCE(3),LAMBDA(x,x*2))", [[2], [4], [6]], "map-function"),
    ("=BYROW(SEQUENCE(2,3),LAMBDA(r,SUM(r)))", [[6], [15]], "byrow-function"),
    ("=BYCOL(SEQUENCE(2,3),LAMBDA(c,SUM(c)))", [[5, 7, 9]], "bycol-function"),
    ("=REDUCE(0,SEQUENCE(4),LAMBDA(a,v,a+v))", 10, "reduce-function"),
    # a function handed over by name (Excel's file: _xleta.SUM): LAMBDA(r,SUM(r))
    ("=BYROW(Data!A1:C2,_xleta.SUM)", [[6], [15]], "byrow-function"),
    ("=MAP(Data!A1:A2,Data!B1:B2,_xleta.MAX)", [[2], [5]], "map-function"),
    ("=REDUCE(0,Data!A1:C1,_xleta.SUM)", 6, "reduce-function"),
    ("=BYROW({1,2;3,4},LAMBDA(r,SUM(r)))", [[3], [7]], "byrow-function"),
    # errors and blanks inside: an error is the element's value, a blank cell is 0
    ("=MAP(Data!F1:F2,LAMBDA(x,x*2))", [["#DIV/0!"], ["#N/A"]], "map-function"),
    ("=MAP(Data!G1:G3,LAMBDA(x,x))", [[0], [1], [2]], "map-function"),
    ("=SCAN(0,Data!G1:G3,LAMBDA(a,v,a+v))", [[0], [1], [3]], "scan-function"),
    ("=REDUCE(0,Data!F1:F2,LAMBDA(a,v,a+v))", "#DIV/0!", "reduce-function"),
]  # fmt: skip

#: LAMBDAs held in defined names (Microsoft's LAMBDA page: "add the LAMBDA to the Name
#: Manager", then call it by its name), and a plain name.
NAMED = {
    "PlusOne": "_xlfn.LAMBDA(_xlpm.n,_xlpm.n+1)",
    "Hypotenuse": "_xlfn.LAMBDA(_xlpm.a,_xlpm.b,SQRT((_xlpm.a^2+_xlpm.b^2)))",
    "Twice": "_xlfn.LAMBDA(_xlpm.n,PlusOne(PlusOne(_xlpm.n)))",
    "Self": "_xlfn.LAMBDA(_xlpm.n,IF(_xlpm.n<1,0,Self(_xlpm.n-1)))",
    "x": "Data!$A$2",
    "AddX": "_xlfn.LAMBDA(_xlpm.n,_xlpm.n+x)",
}
CASES += [
    ("=PlusOne(Data!A1)", 2, "lambda-function"),
    ("=Hypotenuse(3,4)", 5, "lambda-function"),
    ("=Twice(Data!A1)*10", 30, "lambda-function"),
    ("=AddX(1)", 5, "lambda-function"),  # x is Data!A2, 4
    ("=MAP(Data!A1:B1,PlusOne)", [[2, 3]], "map-function"),
    ("=BYROW(Data!A1:C2,LAMBDA(r,PlusOne(SUM(r))))", [[7], [16]], "byrow-function"),
]

#: Formulas refresh must keep (Excel's cached value stays), with a word of the reason.
KEPT = [
    ("=MAP(FILTER(Data!A1:A8,Data!A1:A8>15),LAMBDA(x,ROUND(x,1)))", "not a literal reference"),
    # an array as a LAMBDA's result: Excel's #CALC! ("anything but a single value returned
    # from the LAMBDA function returns a #CALC error", BYROW's page), which the engine's
    # stack would have spread into cells
    ("=BYROW(Data!A1:C2,LAMBDA(r,r*2))", "a LAMBDA result that is an array"),
    ("=IFERROR(BYROW(Data!A1:C2,LAMBDA(r,r*2)),0)", "catches errors"),
    ("=LAMBDA(x,y,x+y)(1,)", "an omitted LAMBDA argument"),  # used: its value is unknown
    ("=REDUCE(,Data!A1:C2,LAMBDA(a,b,a+b^2))", "without an initial value"),
    ("=MAP(Data!A1:A2,_xleta.TYPE)", "not a LAMBDA"),  # TYPE: an override of ours
    ("=SELF(3)", "calls itself"),  # a LAMBDA in a defined name, recursive
    ("=LET(x,2,ADDX(1))", "names what the formula binds"),  # its x is the workbook's
]


def _book(path, formulas: list[tuple[str, object]]) -> list[tuple[int, int, int]]:
    from openpyxl.workbook.defined_name import DefinedName

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    data = wb.create_sheet("Data")
    for ref, v in DATA.items():
        data[ref] = v
    for name, text in NAMED.items():
        wb.defined_names[name] = DefinedName(name, attr_text=text)
    placed, row = [], 1
    for formula, expected in formulas:
        rows, cols = (len(expected), len(expected[0])) if isinstance(expected, list) else (1, 1)
        text = file_formula(formula)
        for name in NAMED:  # Excel writes a call of a name's LAMBDA without a prefix
            text = re.sub(rf"_xlfn\.{name}\(", f"{name}(", text, flags=re.I)
        if rows * cols > 1:
            ws[f"A{row}"] = ArrayFormula(f"A{row}:{chr(64 + cols)}{row + rows - 1}", text)
        else:
            ws[f"A{row}"] = text
        placed.append((row, rows, cols))
        row += rows + 1
    wb.save(path)
    return placed


def _equal(ours, theirs) -> bool:
    if isinstance(theirs, (int, float)) and not isinstance(theirs, bool):
        return isinstance(ours, (int, float)) and math.isclose(ours, theirs, rel_tol=1e-12)
    return type(ours) is type(theirs) and ours == theirs


def test_refresh_computes_microsofts_examples(tmp_path):
    path = tmp_path / "lambdas.xlsx"
    placed = _book(path, [(f, v) for f, v, _ in CASES])
    report = refresh_file(path, backup=False)
    assert not report.failed, report.reason
    assert report.kept == 0, report.kept_cells
    ws = openpyxl.load_workbook(path, data_only=True)["S"]
    for (formula, expected, page), (row, rows, cols) in zip(CASES, placed):
        grid = expected if isinstance(expected, list) else [[expected]]
        got = [[ws.cell(row + r, 1 + c).value for c in range(cols)] for r in range(rows)]
        assert all(_equal(o, t) for go, gt in zip(got, grid) for o, t in zip(go, gt)), (
            formula,
            got,
            grid,
            MS + page,
        )


def test_refresh_keeps_what_it_cannot_rewrite_with_a_reason(tmp_path):
    path = tmp_path / "kept.xlsx"
    _book(path, [(f, "cached") for f, _ in KEPT])
    report = refresh_file(path, backup=False)
    assert not report.failed, report.reason
    reasons = {k.cell: k.why for k in report.kept_cells}
    for i, (formula, why) in enumerate(KEPT):
        cell = f"S!A{1 + 2 * i}"
        assert cell in reasons, (formula, reasons)
        assert why in reasons[cell], (formula, reasons[cell])


def test_a_lambda_held_in_a_defined_name_is_written_out_where_it_is_called():
    named = {"PLUSONE": "_xlfn.LAMBDA(_xlpm.n,_xlpm.n+1)", "ADDX": "LAMBDA(n,n+x)"}
    assert lambdas.rewrite("=PlusOne(A1)*2", named=named) == "=LET(_xlpm.n,A1,_xlpm.n+1)*2"
    assert lambdas.rewrite("=PLUSONE(PLUSONE(2))", named=named) == (
        "=LET(_xlpm.n,LET(_xlpm.n,2,_xlpm.n+1),_xlpm.n+1)"
    )
    assert lambdas.rewrite("=ADDX(1)", named=named) == "=LET(n,1,n+x)"  # x: the workbook's
    assert lambdas.rewrite("=MAP(A1,_xleta.PLUSONE)", named=named) == (
        "=ROIXL_ONE(LET(_xlpm.n,A1,_xlpm.n+1))"
    )
    for formula, why in [
        ("=LET(x,2,ADDX(1))", "names what the formula binds"),
        ("=MAP(A1:A2,LAMBDA(x,ADDX(x)))", "names what the formula binds"),
        ("=REL(1)", "relative reference"),
    ]:
        with pytest.raises(UnresolvedFormula, match=why):
            lambdas.rewrite(formula, named={**named, "REL": "LAMBDA(n,n+B1)"})
    f = "=SUM(A1)+PLUSONE"  # not a call
    assert lambdas.rewrite(f, named=named) is f


def test_a_shared_formula_block_moves_the_rewritten_ranges_with_its_cells(tmp_path):
    import zipfile

    path = tmp_path / "shared.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    for r in range(1, 4):
        for c in range(1, 4):
            ws.cell(r, c, r * 10 + c)
    for ref in ("D1", "D2", "D3", "E1", "E2"):
        ws[ref] = "=X"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    byrow = "_xlfn.BYROW(A1:C1,_xlfn.LAMBDA(_xlpm.r,SUM(_xlpm.r)))"
    a_map = "_xlfn.MAP(A1,B1,_xlfn.LAMBDA(_xlpm.a,_xlpm.b,_xlpm.a*_xlpm.b+ROW(_xlpm.a)))"
    cells = {  # Excel writes a block's formula once, in its first cell
        "D1": f'<f t="shared" ref="D1:D3" si="0">{byrow}</f>',
        "D2": '<f t="shared" si="0"/>',
        "D3": '<f t="shared" si="0"/>',
        "E1": f'<f t="shared" ref="E1:E2" si="1">{a_map}</f>',
        "E2": '<f t="shared" si="1"/>',
    }
    for ref, f in cells.items():
        old = f'<c r="{ref}"><f>X</f><v /></c>'
        assert old in xml
        xml = xml.replace(old, f'<c r="{ref}">{f}<v>0</v></c>')
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    report = refresh_file(path, backup=False)
    assert report.computed == 5 and report.kept == 0, report.kept_cells
    ws = openpyxl.load_workbook(path, data_only=True)["S"]
    # D2 is BYROW(A2:C2,...), E2 MAP(A2,B2,...): a*b + the row of the cell a is bound to
    assert [ws[r].value for r in cells] == [36, 66, 96, 11 * 12 + 1, 21 * 22 + 2]


#: bodies the lifted MAP (an array of no known size bound whole) takes, each compared with
#: MAP written out element by element over the same cells
LIFTED_BODIES = [
    "x*2",
    'x&"!"',
    'IF(x>2,x,"small")',
    "IFERROR(1/x,-1)",
    "IFNA(x,0)",
    "(x+$E$1)^2",
    "x=TRUE",
    '-x%&"|"&x',
]


def test_a_map_of_a_computed_array_with_an_elementwise_body_binds_it_whole():
    assert lambdas.rewrite("=MAP(SEQUENCE(A1),LAMBDA(x,x*2))") == "=LET(x,SEQUENCE(A1),x*2)"
    # an omitted argument in the array's call: the engine's reading of it is not checked
    with pytest.raises(UnresolvedFormula, match="SEQUENCE of literal size"):
        lambdas.rewrite("=MAP(SEQUENCE(2,),LAMBDA(x,x*2))")


@pytest.mark.parametrize("body", LIFTED_BODIES)
def test_a_lifted_map_equals_map_element_by_element(body):
    """``LET(x, array, body)`` (what MAP of a FILTER becomes) against the rewrite that binds
    each cell in turn, on numbers, text, a blank, an error, a logical and a negative."""
    import formualizer as fz

    wb = fz.Workbook()
    s = wb.sheet("S")
    lambdas.register(wb, None)
    for row, value in enumerate([3, "abc", None, 1.5, True, -4, 0], start=1):
        if value is not None:
            s.set_value(row, 1, value)
    s.set_formula(8, 1, "=1/0")
    s.set_value(1, 5, 10)
    lifted = lambdas.rewrite(f"=MAP(FILTER(A1:A8,TRUE),LAMBDA(x,{body}))")
    assert lifted.startswith("=LET(x,FILTER(")
    s.set_formula(1, 2, lifted.replace("FILTER(A1:A8,TRUE)", "A1:A8"))
    s.set_formula(1, 3, lambdas.rewrite(f"=MAP(A1:A8,LAMBDA(x,{body}))"))
    wb.evaluate_all()
    assert [wb.get_value("S", r, 2) for r in range(1, 9)] == [
        wb.get_value("S", r, 3) for r in range(1, 9)
    ]


@pytest.mark.parametrize(
    "body", ["SUM(x)", "x*B1:B3", "ROWS(x)", "x+y", "INDEX(x,1)", "{1,2}*x", "ABS(x)", "LEN(x)"]
)
def test_a_map_of_a_computed_array_is_kept_unless_its_body_is_elementwise(body):
    with pytest.raises(UnresolvedFormula, match="not a literal reference"):
        lambdas.rewrite(f"=MAP(FILTER(A1:A8,A1:A8>0),LAMBDA(x,{body}))")


def test_an_element_error_a_builtin_raises_keeps_the_whole_map(tmp_path):
    """UPPER of ``#DIV/0!`` raises past the VSTACK the rewrite builds, so the engine answers
    one error for the whole array (Excel: ABC, #DIV/0!, DE): the cell keeps Excel's value,
    and so does a cell reading it; with no error among the elements it is computed."""
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = "abc", "=1/0", "de"
    ws["E1"], ws["E2"] = "abc", "de"
    ws["B1"] = ArrayFormula("B1:B3", file_formula("=MAP(A1:A3,LAMBDA(x,UPPER(x)))"))
    ws["C1"] = '=B1&"?"'
    ws["F1"] = ArrayFormula("F1:F2", file_formula("=MAP(E1:E2,LAMBDA(x,UPPER(x)))"))
    wb.save(path)
    report = refresh_file(path, backup=False)
    kept = {k.cell: k.why for k in report.kept_cells}
    assert "escaped the whole array" in kept["Sheet!B1"]
    assert "Sheet!C1" in kept and "Sheet!F1" not in kept
    ws = openpyxl.load_workbook(path, data_only=True).active
    assert (ws["F1"].value, ws["F2"].value) == ("ABC", "DE")
