"""Same inputs, same bytes: wherever, whenever and however the project lies.

Each variant bundles a fresh copy of one project in a separate process and
must give byte for byte the baseline's bundle, its source map (when one is
written) and requirements.txt.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness import clean_env

# Names in sets and dicts (hash order), symtable scopes, a namespace package,
# a star import, include globs, non-ASCII text, externals for requirements.txt.
PROJECT = {
    "main.py": (
        "import json\nfrom app import *\nfrom app.sub import helpers\nimport nsp.part\n"
        "print(sorted(NAMES), helpers.zeta(), nsp.part.TEXT, json.dumps(TABLE))\n"
    ),
    "app/__init__.py": (
        "from .core import *\n__all__ = ['NAMES', 'TABLE']\n"
        "try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
    ),
    "app/core.py": (
        "NAMES = {'ω', 'alpha', 'beta', 'gamma', 'δ'}\n"
        "TABLE = {name: len(name) for name in NAMES}\n"
        "def _private(): return 1\n"
        "class Klass:\n    a = b = c = d = e = f = 1\n"
    ),
    "app/sub/__init__.py": "",
    "app/sub/helpers.py": "def zeta():\n    return 'zêta'\n",
    "app/plugins/__init__.py": "",
    **{f"app/plugins/p{n}.py": f"ORDER = {n}\n" for n in (3, 1, 4, 15, 9, 2, 6)},
    # Enough modules (over cache.POOL_AFTER_MISSES) that a cold run analyses in a pool.
    **{f"app/plugins/extra{n}.py": f"X = {n}\ndef f():\n    return X\n" for n in range(40)},
    "nsp/part.py": "TEXT = 'namespace'\n",
}
ARGS = ("--include", "app.plugins.*", "--emit-requirements")


def write_project(folder: Path, order: str) -> Path:
    """Files created in the given order: some file systems list in creation order."""
    names = sorted(PROJECT, reverse=order == "reverse")
    for index, name in enumerate(names):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PROJECT[name], encoding="utf-8")
        stamp = 1_000_000_000 + (index if order == "sorted" else -index) * 3600
        os.utime(path, (stamp, stamp))
    return folder


def bundle_in(folder: Path, cwd: Path, entry: str, **env: str) -> dict[str, bytes]:
    output = folder.parent / "out" / "main.py"
    done = subprocess.run(
        [sys.executable, "-m", "cribo_ci", "bundle", "-e", entry, "-o", str(output), *ARGS],
        cwd=cwd,
        capture_output=True,
        env=clean_env(XDG_CACHE_HOME=str(folder.parent / "cache"), **env),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    return {path.name: path.read_bytes() for path in sorted(output.parent.iterdir())}


BASELINE = dict(PYTHONHASHSEED="0", LC_ALL="C.UTF-8", TZ="UTC")


@pytest.mark.parametrize(
    ("where", "order", "env"),
    [
        pytest.param("other/deeper/dir", "sorted", BASELINE, id="another-directory"),
        pytest.param("a dir with spaces/é", "sorted", BASELINE, id="non-ascii-directory"),
        pytest.param("base", "reverse", BASELINE, id="reverse-creation-order"),
        pytest.param("base", "sorted", {**BASELINE, "PYTHONHASHSEED": "4242"}, id="hash-seed"),
        pytest.param("base", "sorted", {**BASELINE, "PYTHONHASHSEED": "random"}, id="hash-random"),
        pytest.param("base", "sorted", {**BASELINE, "LC_ALL": "C"}, id="c-locale"),
        pytest.param("base", "sorted", {**BASELINE, "LC_ALL": "POSIX", "LANG": ""}, id="posix"),
        pytest.param("base", "sorted", {**BASELINE, "TZ": "Pacific/Chatham"}, id="time-zone"),
        pytest.param(
            "elsewhere",
            "reverse",
            dict(PYTHONHASHSEED="7", LC_ALL="C", TZ="Asia/Kolkata"),
            id="everything-at-once",
        ),
    ],
)
def test_bundle_bytes_do_not_depend_on_the_machine(where, order, env, tmp_path):
    baseline_folder = write_project(tmp_path / "baseline" / "project", "sorted")
    expected = bundle_in(baseline_folder, baseline_folder, "main.py", **BASELINE)
    folder = write_project(tmp_path / where / "project", order)
    # Also an absolute entry from an unrelated cwd: where the command runs must not show.
    actual = bundle_in(folder, tmp_path, str(folder / "main.py"), **env)
    assert actual == expected
    assert "main.py" in actual and "requirements.txt" in actual
    for name, data in actual.items():
        assert str(tmp_path).encode() not in data, f"an absolute path leaked into {name}"


def test_warm_cache_gives_the_same_bytes(tmp_path):
    folder = write_project(tmp_path / "project", "sorted")
    cold = bundle_in(folder, folder, "main.py", **BASELINE)
    warm = bundle_in(folder, folder, "main.py", **{**BASELINE, "PYTHONHASHSEED": "99"})
    assert warm == cold
