"""``.ci/run`` finds Python 3.9 to 3.13 without pyenv on PATH, and says plainly
which are missing. Run with ``--find-pythons`` in a bare environment (``env -i``
style: only HOME and a PATH of our making), so nothing of this machine leaks in."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
SYSTEM = "/usr/bin:/bin"  # bash and coreutils


def find_pythons(home: Path, path: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--find-pythons"],
        env={"HOME": str(home), "PATH": path},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def interpreters() -> dict[str, str]:
    """A real interpreter of each version on this machine (pyenv's, else on PATH)."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = {}
    for version in VERSIONS:
        pyenv = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", "python")))
        found[version] = pyenv[-1] if pyenv else shutil.which(f"python{version}")
    missing = [version for version, path in found.items() if not path]
    if missing:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"no Python {missing}")
    return found


def link_all(folder: Path, interpreters: dict[str, str], names: dict[str, str]) -> None:
    for version, name in names.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(interpreters[version])


def test_pythons_on_path_without_pyenv(tmp_path, interpreters):
    link_all(tmp_path / "bin", interpreters, {v: f"python{v}" for v in VERSIONS})
    done = find_pythons(tmp_path / "home", f"{tmp_path / 'bin'}:{SYSTEM}")
    assert done.returncode == 0, done.stderr
    for version in VERSIONS:
        assert f"Python {version}: {tmp_path / 'bin'}/python{version}\n" in done.stdout


def test_pyenv_versions_without_pyenv_on_path(tmp_path, interpreters):
    home = tmp_path / "home"
    names = {v: f".pyenv/versions/{v}.99/bin/python{v}" for v in VERSIONS}
    link_all(home, interpreters, names)
    done = find_pythons(home, SYSTEM)
    assert done.returncode == 0, done.stderr
    assert f"Python 3.12: {home}/.pyenv/versions/3.12.99/bin/python3.12\n" in done.stdout


def test_missing_pythons_are_named_with_how_to_get_them(tmp_path, interpreters):
    present = {v: f"python{v}" for v in VERSIONS if v not in ("3.10", "3.12")}
    link_all(tmp_path / "bin", interpreters, present)
    done = find_pythons(tmp_path / "home", f"{tmp_path / 'bin'}:{SYSTEM}")
    assert done.returncode == 1
    assert done.stderr.startswith("missing Python 3.10 3.12: the tests run on every Python")
    assert "`uv python install 3.10 3.12` or `pyenv install 3.10 3.12`" in done.stderr


def test_the_readme_act_recipe_is_the_tests():
    """The README's recipe runs the Action as ``tests/test_action.py`` does."""
    from test_action import REPO_FILES, uses_ref

    readme = (ROOT / "README.md").read_text()
    recipe = readme.split("<!-- act -->")[1].split("<!-- /act -->")[0]
    assert f"cp -r {' '.join(REPO_FILES)} " in recipe
    for name in (
        "actions/setup-python",
        "actions/upload-artifact",
        "actions/attest-build-provenance",
    ):
        stand_in = name.split("/")[1]
        assert f'--local-repository={uses_ref(name)}="$here/tests/support/act/{stand_in}"' in recipe
    assert "-P ubuntu-latest=-self-hosted" in recipe
