"""Bundling reads a project and never runs it.

Every module of the test project writes a marker file when imported. Bundling
it, in every way a user might, leaves no marker; running the bundle afterwards
writes them, which shows the markers work.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness import clean_env

# Modules named like what cribo itself imports (lazily or at start-up): with
# ``python -m cribo_ci`` run inside the project, the current folder comes first
# on sys.path, and cribo would import these instead of its own dependencies.
# (A PYTHONPATH naming the project is the user asking Python for exactly that,
# and stays out of scope.)
SHADOWING = ("typer", "click", "rich", "tokenize", "symtable", "tomli", "tomllib", "fnmatch")


def marker_code(markers: Path) -> str:
    return f"open({str(markers)!r} + '/' + (__name__ or 'x'), 'w').close()\n"


def make_project(folder: Path, markers: Path) -> Path:
    mark = marker_code(markers)
    files = {
        "main.py": mark
        + "import importlib\nimport pkg\nfrom pkg import sub\n"
        + "for name in ('dyn',):\n    importlib.import_module('pkg.' + name)\n"
        + "importlib.import_module('literal')\nprint('ran')\n",
        "pkg/__init__.py": mark,
        "pkg/__main__.py": mark + "import pkg.sub\n",
        "pkg/sub.py": mark + "from . import dyn\n",
        "pkg/dyn.py": mark,
        "literal.py": mark,
        "conftest.py": mark,
        "setup.py": mark,
        "sitecustomize.py": mark,
        "usercustomize.py": mark,
        **{f"{name}.py": mark for name in SHADOWING},
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


@pytest.fixture
def project(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    return make_project(tmp_path / "project", markers), markers


def cribo(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cribo_ci", "bundle", *args],
        cwd=cwd,
        capture_output=True,
        env=clean_env(**env),
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "cwd_inside", "env"),
    [
        pytest.param(("-e", "main.py"), True, {}, id="python-m-inside-the-project"),
        pytest.param(("-e", "project/main.py"), False, {}, id="from-outside"),
        pytest.param(("-e", "pkg"), True, {}, id="package-entry"),
        pytest.param(
            ("-e", "main.py", "--include", "pkg.*", "--include", "setup"), True, {}, id="includes"
        ),
    ],
)
def test_bundling_never_imports_project_code(project, args, cwd_inside, env):
    folder, markers = project
    cwd = folder if cwd_inside else folder.parent
    env = {"XDG_CACHE_HOME": str(folder.parent / "cache"), **env}
    done = cribo(*args, "-o", str(folder.parent / "out" / "bundle.py"), cwd=cwd, **env)
    assert sorted(p.name for p in markers.iterdir()) == []
    assert done.returncode == 0, done.stderr.decode()


def test_the_markers_do_fire_when_the_bundle_runs(project):
    folder, markers = project
    bundle = folder.parent / "out" / "bundle.py"
    assert cribo("-e", "main.py", "-o", str(bundle), "--no-cache", cwd=folder).returncode == 0
    assert list(markers.iterdir()) == []
    run = subprocess.run(
        [sys.executable, str(bundle)],
        cwd=bundle.parent,
        capture_output=True,
        env=clean_env(),
        timeout=60,
    )
    assert run.stdout == b"ran\n", run.stderr.decode()
    assert {"__main__", "pkg", "pkg.sub", "pkg.dyn", "literal"} <= {
        p.name for p in markers.iterdir()
    }
