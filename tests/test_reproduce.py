"""`verify --against FILE`: a release file checked against a fresh bundle of the sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import clean_env

EXAMPLE = Path(__file__).parent.parent / "examples" / "app"
CONFIG = (
    '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\nmetafile = "dist/app.meta.json"\n'
)


def cli(folder: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "cribo_ci", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, env=clean_env())


def released(tmp_path: Path, config: str) -> tuple[Path, Path]:
    """(a clone of the sources elsewhere, the downloaded release files)."""
    project = tmp_path / "maintainer"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__"))
    (project / "pyproject.toml").write_text(config)
    assert cli(project, "bundle").returncode == 0
    download = tmp_path / "download"
    shutil.copytree(project / "dist", download)
    clone = tmp_path / "user" / "clone"
    shutil.copytree(EXAMPLE, clone, ignore=shutil.ignore_patterns("__pycache__"))
    (clone / "pyproject.toml").write_text(config)
    return clone, download


@pytest.mark.parametrize("launcher", [False, True], ids=["script", "launcher"])
def test_every_release_file_is_what_the_sources_give(launcher, tmp_path):
    clone, download = released(tmp_path, CONFIG + ("launcher = true\n" if launcher else ""))
    files = sorted(download.iterdir())
    assert len(files) == (6 if launcher else 4)  # + module and code cache
    done = cli(clone, "verify", *[arg for path in files for arg in ("--against", str(path))])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("  ok   reproduce ") == len(files)
    assert not (clone / "dist").exists(), "nothing is written"


def test_a_changed_release_file_fails_with_where_and_how(tmp_path):
    clone, download = released(tmp_path, CONFIG)
    bundle = download / "app.py"
    bundle.write_text(bundle.read_text().replace("total area", "total  area", 1))
    done = cli(clone, "verify", "--against", str(bundle), "--against", str(download / "app.py.map"))
    assert done.returncode == 11, done.stdout + done.stderr
    line = next(
        n for n, text in enumerate(bundle.read_text().splitlines(), 1) if "total  area" in text
    )
    assert "  FAIL reproduce app.py: differs from byte " in done.stdout
    assert f"(line {line}) on: " in done.stdout
    assert "bytes given" in done.stdout and "rebuilt; sha256 " in done.stdout
    assert (
        "--- app.py (given)" in done.stdout
        and "+++ app.py (rebuilt from the sources)" in done.stdout
    )
    assert "  ok   reproduce app.py.map" in done.stdout
    assert "NOT verified: 1 passed, 1 failed" in done.stdout


def test_a_release_of_other_sources_fails(tmp_path):
    clone, download = released(tmp_path, CONFIG)
    render = clone / "shapes" / "render.py"
    render.write_text(render.read_text() + "\n# changed after the release\n")
    done = cli(clone, "verify", "--against", str(download / "app.py"))
    assert done.returncode == 11 and "FAIL reproduce app.py: differs" in done.stdout


def test_a_file_the_sources_do_not_make_is_named(tmp_path):
    clone, download = released(tmp_path, CONFIG)
    stray = download / "notes.txt"
    stray.write_text("hello\n")
    done = cli(clone, "verify", "--against", str(stray))
    assert done.returncode == 11
    assert (
        "FAIL reproduce notes.txt: not a file these sources bundle into (they give: app.meta.html, app.meta.json, app.py, app.py.map)"
        in done.stdout
    )
