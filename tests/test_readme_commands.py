"""The README's two commands, run as a new user would: a clean copy of the repository
(tracked files only), a fresh virtual environment, the commands verbatim.

The second command runs this whole suite again inside the copy; there this test skips
itself (ROI_XL_README_RUN=1) so it does not recurse.
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [b.split("```")[0].strip() for b in README.split("```bash\n")[1:3]]

pytestmark = pytest.mark.skipif(
    os.environ.get("ROI_XL_README_RUN") == "1", reason="already inside the README run"
)


@pytest.fixture(scope="module")
def clean_copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("clone") / "roi_xl"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(dest)], check=True)
    # the working tree's tracked files as they are now (uncommitted edits included)
    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    for f in filter(None, files):
        if (ROOT / f).is_file():
            (dest / f).parent.mkdir(parents=True, exist_ok=True)
            (dest / f).write_bytes((ROOT / f).read_bytes())
    return dest


def _bash(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(Path(os.sys.prefix)))
    )
    env["ROI_XL_README_RUN"] = "1"
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=1800
    )


def test_first_command_installs_and_runs_the_demo(clean_copy):
    proc = _bash(COMMANDS[0], clean_copy)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "138.97 %" in proc.stdout and "721" in proc.stdout


def test_second_command_installs_test_extras_and_passes(clean_copy):
    proc = _bash(COMMANDS[1], clean_copy)
    tail = proc.stdout[-3000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, tail
    assert " passed" in proc.stdout.splitlines()[-1], tail
