"""Two (or more) bundles of one project to one output at the same time.

A pre-commit hook and an editor's save hook, or two CI jobs on a shared
checkout, do this. The writes are whole-file renames, so the output ends as
one complete bundle, never an interleaving, and the shared cache stays
readable.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from cribo_ci.api import bundle_project
from cribo_ci.cache import PRUNED_MARK
from cribo_ci.config import Config
from cribo_ci.model import ModuleCode, ModuleFacts
from harness import clean_env, normalise, run_python

RACERS = 4


def make_project(folder: Path) -> Path:
    """Big enough (200 modules) that the racers' writes overlap in time."""
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "__init__.py").write_text("")
    for index in range(200):
        body = "".join(f"def f{n}(x):\n    return x + {n}\n" for n in range(20))
        (folder / "pkg" / f"m{index}.py").write_text(f"VALUE = {index}\n{body}")
    imports = "".join(f"from pkg import m{index}\n" for index in range(200))
    (folder / "main.py").write_text(f"{imports}print(m199.VALUE + m0.f19(1))\n")
    return folder / "main.py"


def test_racing_bundles_leave_one_bundle_one_map_and_a_sound_cache(tmp_path):
    entry = make_project(tmp_path / "project")
    output = tmp_path / "out" / "main.py"
    cache = tmp_path / "cache"
    env = clean_env(XDG_CACHE_HOME=str(cache))
    command = [sys.executable, "-m", "cribo_ci", "bundle", "-e", str(entry), "-o", str(output)]
    racers = [
        subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE)
        for _ in range(RACERS)
    ]
    try:
        errors = [racer.communicate(timeout=300)[1] for racer in racers]
    finally:
        for racer in racers:
            racer.kill()  # a no-op for those that finished; no orphan on a timeout
    assert [racer.returncode for racer in racers] == [0] * RACERS, errors

    expected = bundle_project(replace(Config(entry=entry, output=output), use_cache=False))
    assert output.read_text(encoding="utf-8") == expected.text
    written = sorted(os.listdir(output.parent))
    assert written == ["main.py", "main.py.map"][: 1 + (expected.sourcemap is not None)]
    if expected.sourcemap is not None:  # the map must belong to the bundle beside it
        assert (output.parent / "main.py.map").read_text(encoding="utf-8") == expected.sourcemap
        assert json.loads(expected.sourcemap)["version"] == 3
    original = normalise(run_python(["main.py"], entry.parent), entry.parent)
    bundled = normalise(run_python(["main.py"], output.parent), output.parent)
    assert bundled == original and original.stdout == "219\n"

    # The cache the racers shared: every entry whole, and a warm run agrees.
    for path in cache.rglob("*"):
        if path.is_file() and path.name != PRUNED_MARK:  # the mark is no entry
            assert not path.name.startswith(".tmp-"), f"cache temporary left: {path}"
            entry = pickle.loads(path.read_bytes())  # a tuple: the compacted runtime
            assert isinstance(entry, (ModuleFacts, ModuleCode, tuple))
    warm = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, timeout=120)
    assert warm.returncode == 0, warm.stderr.decode()
    assert output.read_text(encoding="utf-8") == expected.text
