"""The launcher's code caches made at bundle time: shipped beside the module,
found by content, by each target interpreter, byte-identical run after run."""

from __future__ import annotations

import dataclasses
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_launcher import build_launched, shipped_cache

from cribo_ci.api import bundle_project
from harness import (
    FIXTURES,
    Fixture,
    all_fixtures,
    clean_env,
    load_fixture,
    normalise,
    run_python,
    run_unbundled,
    write_project,
)

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
VERSIONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
SPLIT = {
    "main.py": "import used\nused.greet()\n",
    "used.py": "def greet():\n    print('hello from used', {'a', 'b', 'c'} >= {'a'})\n",
    "unused.py": "print('unused ran')\n",
}
OUT = "hello from used True\n"


def installed_versions() -> list[str]:
    return [v for v in VERSIONS if sorted(PYENV.glob(f"{v}.*/bin/python"))]


def interpreter(version: str) -> str:
    return str(sorted(PYENV.glob(f"{version}.*/bin/python"))[-1])


def split_fixture(tmp_path: Path, **cribo) -> Fixture:
    project = write_project(tmp_path / "project", SPLIT)
    return Fixture("split", project, cribo={"include": ["unused"], **cribo})


def bytecode_env() -> dict:
    env = clean_env()
    del env["PYTHONDONTWRITEBYTECODE"]
    return env


def start(launcher: Path, python: str = "") -> tuple[int, str, str]:
    """A start where Python may write bytecode, with the modules it imported."""
    run = run_python(
        ["-X", "importtime", launcher.name], launcher.parent, "", bytecode_env(), python
    )
    return run.exit_code, run.stdout, run.stderr


def imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[-1].strip() for line in stderr.splitlines() if "|" in line}


def downloaded(folder: Path, tmp_path: Path) -> Path:
    """The artifact as a user gets it: copied elsewhere, every file with a new mtime."""
    target = tmp_path / "download"
    target.mkdir()
    for path in folder.iterdir():
        (target / path.name).write_bytes(path.read_bytes())
    return target


def test_a_downloaded_artifact_starts_from_its_shipped_cache(tmp_path):
    built = tmp_path / "built"
    built.mkdir()
    launcher, module = build_launched(split_fixture(tmp_path), built)
    assert shipped_cache(module).is_file()
    folder = downloaded(built, tmp_path)
    for _ in range(2):
        code, out, err = start(folder / launcher.name)
        assert (code, out) == (0, OUT), err
        assert module.stem not in imported(err), "the bundle module was imported, not cached"
        assert "used" in imported(err)  # served from the cache by the bundle's finder
    assert not (folder / "__pycache__").exists(), "nothing is written beside a shipped cache"


def test_a_first_start_without_a_cache_for_its_python_leaves_no_pyc(tmp_path):
    """A foreign-version (or missing) cache: the first start imports the bundle
    and splits it into __pycache__, removing the .pyc the split cache replaces."""
    built = tmp_path / "built"
    built.mkdir()
    launcher, module = build_launched(split_fixture(tmp_path), built)
    cache = shipped_cache(module)
    foreign = cache.with_name(f"{module.stem}.cpython-20.cribo")
    cache.rename(foreign)
    code, out, err = start(launcher)
    assert (code, out) == (0, OUT), err
    assert module.stem in imported(err), "no cache: the first start imports the bundle"
    tag = sys.implementation.cache_tag
    assert sorted(p.name for p in (built / "__pycache__").iterdir()) == [
        f"{module.stem}.{tag}.cribo"
    ]
    code, out, err = start(launcher)
    assert (code, out) == (0, OUT) and module.stem not in imported(err), err


def test_a_cache_of_other_content_is_not_used(tmp_path):
    """Caches are keyed by the module's content: another bundle's cache, under
    this bundle's name, is ignored and the program runs as it is now."""
    first = tmp_path / "first"
    first.mkdir()
    _, old_module = build_launched(split_fixture(tmp_path), first)
    (tmp_path / "project" / "used.py").write_text("def greet():\n    print('changed')\n")
    second = tmp_path / "second"
    second.mkdir()
    launcher, module = build_launched(
        Fixture("split", tmp_path / "project", cribo={"include": ["unused"]}), second
    )
    shutil.copy(shipped_cache(old_module), shipped_cache(module))
    code, out, err = start(launcher)
    assert (code, out) == (0, "changed\n"), err


ERRORS = [fixture for fixture in all_fixtures() if fixture.name.startswith("error_")]


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_tracebacks_from_a_shipped_cache_name_the_files_where_they_are(fixture, tmp_path):
    """The cache was compiled under the module's bare name, elsewhere: the
    launcher names the real file, so the traceback support maps its frames."""
    if sys.version_info < fixture.min_python:
        pytest.skip("syntax this Python lacks")
    expected = run_unbundled(fixture, tmp_path)
    built = tmp_path / "built"
    built.mkdir()
    launcher, _ = build_launched(fixture, built)
    folder = downloaded(built, tmp_path)
    run = normalise(run_python([launcher.name], folder, env=bytecode_env()), folder)
    assert (run.exit_code, run.stdout, run.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )
    assert not (folder / "__pycache__").exists()


def bundle_cli(project: Path, output: Path, seed: str) -> None:
    env = clean_env(PYTHONHASHSEED=seed)
    command = [sys.executable, "-m", "cribo_ci", "bundle", "-e", "main.py", "-o", str(output)]
    done = subprocess.run(
        [*command, "--launcher", "--no-cache"], cwd=project, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_every_target_interpreter_gets_a_cache_and_starts_from_it(tmp_path):
    versions = installed_versions()
    if len(versions) < 2:
        (pytest.fail if os.environ.get("CI") else pytest.skip)("needs pyenv's Pythons")
    fixture = split_fixture(tmp_path, **{"python-versions": versions})
    built = tmp_path / "built"
    built.mkdir()
    launcher, module = build_launched(fixture, built)
    tags = sorted(path.name for path in built.glob("*.cribo"))
    assert tags == sorted(f"{module.stem}.cpython-{v.replace('.', '')}.cribo" for v in versions)
    folder = downloaded(built, tmp_path)
    for version in versions:
        code, out, err = start(folder / launcher.name, interpreter(version))
        assert (code, out) == (0, OUT), (version, err)
        assert module.stem not in imported(err), version
    assert not (folder / "__pycache__").exists()


def test_two_bundles_of_the_same_sources_are_byte_identical(tmp_path):
    """Caches included: in other folders, under other hash seeds, by every
    target interpreter (marshal's FLAG_REF follows reference counts, a
    frozenset's order the hash seed: codecache.py fixes both)."""
    versions = installed_versions() or [f"{sys.version_info[0]}.{sys.version_info[1]}"]
    files = {**SPLIT, "pyproject.toml": f"[tool.cribo]\npython-versions = {versions!r}\n"}
    files["pyproject.toml"] = files["pyproject.toml"].replace("'", '"')
    outputs = []
    for number, seed in enumerate(("0", "12345")):
        project = write_project(tmp_path / f"project{number}", files)
        bundle_cli(project, project / "dist" / "app.py", seed)
        outputs.append({p.name: p.read_bytes() for p in (project / "dist").iterdir()})
    assert sorted(outputs[0]) == sorted(outputs[1])
    assert len([name for name in outputs[0] if name.endswith(".cribo")]) == len(versions)
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


def test_no_code_cache_setting_ships_none(tmp_path):
    built = tmp_path / "built"
    built.mkdir()
    build_launched(split_fixture(tmp_path, **{"code-cache": False}), built)
    assert not list(built.glob("*.cribo"))


def test_an_interpreter_that_cannot_compile_the_bundle_is_a_warning(tmp_path):
    """A bundle of 3.10+ syntax for a 3.9 target: no cache for 3.9, a located warning."""
    if "3.9" not in installed_versions() or sys.version_info < (3, 10):
        pytest.skip("needs Python 3.9 as a target, and a bundler that reads `match`")
    fixture = load_fixture(FIXTURES / "match_statement")
    settings = {"python_versions": ("3.9", f"{sys.version_info[0]}.{sys.version_info[1]}")}
    output = tmp_path / "main.py"
    config = dataclasses.replace(fixture.config(output=output), launcher=True, **settings)
    bundle = bundle_project(config)
    assert [name for name, _ in bundle.code_caches] == [
        f"main_bundle.{sys.implementation.cache_tag}.cribo"
    ]
    (warning,) = [w for w in bundle.warnings if "cannot compile" in w.message]
    assert str(warning).startswith("main_bundle.py: warning: ") and "3.9" in warning.message


def test_verify_runs_the_launcher_with_the_caches_it_ships(tmp_path):
    """The equivalence run copies the code caches too: a broken shipped cache
    fails verify (here one module's body is no longer marshal data)."""
    files = {
        **SPLIT,
        "pyproject.toml": '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\nlauncher = true\ninclude = ["unused"]\n',
    }
    project = write_project(tmp_path / "p", files)
    command = [sys.executable, "-m", "cribo_ci"]
    env = clean_env()
    assert subprocess.run([*command, "bundle"], cwd=project, env=env).returncode == 0
    verify = [*command, "verify", "--skip", "up-to-date", "--skip", "lint"]
    done = subprocess.run(verify, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    cache = shipped_cache(project / "dist" / "app_bundle.py")
    data = bytearray(cache.read_bytes())
    size = 4 + int.from_bytes(data[:4], "little")
    first, last = next(
        span
        for name, span in marshal.loads(bytes(data[4:size]))[2].items()
        if name.endswith("_used")
    )
    data[size + first : size + last] = b"\xff" * (last - first)
    cache.write_bytes(bytes(data))
    done = subprocess.run(verify, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 11 and "bad marshal data" in done.stdout, done.stdout


def test_an_unchanged_rebundle_compiles_nothing(tmp_path):
    """The analysis cache keeps each interpreter's code cache of the module's
    text: `--check`, a hook's no-op run or verify's up-to-date step compile
    nothing; a changed source compiles again."""
    calls = tmp_path / "calls.log"
    wrapper = tmp_path / "python-logged"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    fixture = split_fixture(tmp_path, **{"python-versions": [str(wrapper)]})
    built = tmp_path / "built"
    built.mkdir()
    for _ in range(2):
        build_launched(fixture, built, cache_dir=tmp_path / "cache")
    assert calls.read_text().count("run") == 1
    (tmp_path / "project" / "used.py").write_text("def greet():\n    print('changed')\n")
    launcher, _ = build_launched(fixture, built, cache_dir=tmp_path / "cache")
    assert calls.read_text().count("run") == 2
    assert start(launcher)[:2] == (0, "changed\n")
