"""The tree stays formatted and free of pyflakes errors (CI runs this with the pinned ruff)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff() -> list[str]:
    exe = Path(sys.executable).parent / "ruff"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    if found is None:
        pytest.fail("ruff is not installed: pip install '.[test]' brings the pinned version")
    return [found]


def test_tree_is_ruff_formatted():
    proc = subprocess.run(
        [*_ruff(), "format", "--check", "--diff", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, "run `ruff format .`:\n" + proc.stdout[-3000:] + proc.stderr


def test_tree_has_no_pyflakes_errors():
    proc = subprocess.run(
        [*_ruff(), "check", "--select", "F", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr


def _missing_module_attributes(path: Path, package: str, source: str | None = None) -> list[str]:
    """``alias.name`` reads in ``path`` where ``alias`` is one of our modules imported by
    name and the module has no ``name`` (pyflakes cannot see these; removing an "unused"
    import once broke ``engine_input.EngineFailed`` in a rarely taken route)."""
    import ast
    import importlib

    tree = ast.parse(path.read_text(encoding="utf-8") if source is None else source)
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if not base.startswith("roi_xl"):
                continue
            for name in node.names:
                try:
                    aliases[name.asname or name.name] = importlib.import_module(
                        f"{base}.{name.name}"
                    )
                except ImportError:
                    pass  # a function or class, not a module
        elif isinstance(node, ast.Import):
            for name in node.names:
                if name.name.startswith("roi_xl") and name.asname:
                    aliases[name.asname] = importlib.import_module(name.name)
    missing = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            module = aliases[node.value.id]
            if not hasattr(module, node.attr):
                try:
                    importlib.import_module(f"{module.__name__}.{node.attr}")
                except ImportError:
                    missing.append(
                        f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {module.__name__}.{node.attr}"
                    )
    return missing


def test_every_attribute_read_from_one_of_our_modules_exists():
    missing = []
    for path in sorted((ROOT / "roi_xl").rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).parts[:-1])
        missing += _missing_module_attributes(path, package)
    assert not missing, "\n".join(missing)


def test_the_attribute_check_finds_a_missing_name():
    probe = ROOT / "roi_xl" / "refresh" / "probe.py"  # never written: the source is given
    source = "from . import engine_input\nfrom .. import errors\nx = engine_input.EngineFailed\n"
    assert _missing_module_attributes(
        probe, "roi_xl.refresh", source + "y = errors.EngineFailed\n"
    ) == ["roi_xl/refresh/probe.py:3: roi_xl.refresh.engine_input.EngineFailed"]
