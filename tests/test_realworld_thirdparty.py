"""``--bundle-third-party`` on an installed package set.

The requests scenario's entry, with requests and its dependencies *installed*
(a ``pip install --target`` folder on ``PYTHONPATH``) instead of vendored: the
bundle is made by the CLI with that folder on its path, then run alone on
interpreters where none of them is installed. A distribution with native
code stays an import and is listed in requirements.txt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from realworld.runner import PYTHONS, SCENARIOS, interpreter, run_alone
from realworld.vendor import installed

from harness import clean_env, normalise, run_python

pytestmark = pytest.mark.integration
STACK = ("requests", "urllib3", "idna", "charset-normalizer", "certifi")
ENTRY = SCENARIOS / "requests_stack" / "main.py"


def install_set(site: Path) -> Path:
    """The stack installed into one folder, dist-info included, plus a fake
    distribution with a native extension that the entry does not need."""
    for distribution in STACK:
        shutil.copytree(installed(distribution), site, dirs_exist_ok=True)
    (site / ".complete").unlink()
    add_native_distribution(site, "fastthing")
    return site


def add_native_distribution(site: Path, name: str) -> None:
    files = [f"{name}/__init__.py", f"{name}/_speed.cpython-311-x86_64-linux-gnu.so"]
    (site / name).mkdir()
    (site / files[0]).write_text("from ._speed import go\n")
    (site / files[1]).write_bytes(b"\x7fELF")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    record = [*files, f"{info.name}/METADATA", f"{info.name}/RECORD"]
    (info / "RECORD").write_text("".join(f"{line},,\n" for line in record))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("thirdparty")
    site = install_set(root / "site")
    project = root / "project"
    project.mkdir()
    guarded = "try:\n    import fastthing\nexcept ImportError:\n    pass\n"
    (project / "main.py").write_text(ENTRY.read_text() + guarded)
    out = root / "out" / "main.py"
    command = [sys.executable, "-m", "cribo_ci", "bundle", "--bundle-third-party"]
    command += ["-e", "main.py", "-o", str(out), "--emit-requirements", "--no-cache"]
    env = clean_env(PYTHONPATH=str(site))  # only while bundling
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return site, project, out


def test_native_distribution_stays_an_import(made):
    _, _, out = made
    text = out.read_text()
    assert "_cribo_" in text and "'requests.adapters'" in text and "'certifi'" in text
    assert "'fastthing'" not in text
    assert "fastthing==1.0" in (out.parent / "requirements.txt").read_text()


@pytest.mark.parametrize("version", PYTHONS)
def test_bundle_runs_where_the_packages_are_not_installed(made, version, tmp_path):
    site, project, out = made
    python = interpreter(version)
    if python is None:
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"no Python {version}")
    missing = run_python(["-c", "import requests"], tmp_path, python=python)
    assert missing.exit_code == 1, "the packages must not be installed for the bundle run"
    expected = run_python(["main.py"], project, env=clean_env(PYTHONPATH=str(site)), python=python)
    expected = normalise(expected, project)
    actual, audit = run_alone(out, tmp_path, python)
    assert expected.stdout
    assert (actual.exit_code, actual.stdout, actual.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )
    assert audit == ""
