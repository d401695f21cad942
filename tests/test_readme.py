"""The README stays true: its function reference is the generated one, and .ci/run runs
its test command verbatim."""

from pathlib import Path

from roi_xl.excel_functions.reference import BEGIN, END, reference_markdown

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_function_reference_is_generated_from_the_table():
    start, end = README.index(BEGIN), README.index(END) + len(END)
    assert README[start:end] == reference_markdown(), "run: roi-xl functions --markdown"


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_one():
    blocks = README.split("```bash\n")[1:3]
    first, second = (b.split("```")[0].strip() for b in blocks)
    assert first.endswith("roi-xl demo")
    assert "pytest" in second
    assert second in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
