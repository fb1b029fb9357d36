"""The launcher mode: a tiny script imports the bundle, whose bytecode gets cached."""

from __future__ import annotations

import dataclasses
import marshal
import os
import sys
from pathlib import Path

import pytest

from cribo_ci.api import bundle_files, bundle_project, write_atomically
from cribo_ci.launcher import bundle_module_name, module_path
from harness import (
    AUDIT,
    FIXTURES,
    Fixture,
    all_fixtures,
    build_bundle,
    clean_env,
    load_fixture,
    normalise,
    run_python,
    run_unbundled,
    write_project,
)

NAMES = ("name_main", "package_entry", "circular_imports", "exit_code_and_stderr", "stdin_and_args")


def build_launched(fixture, folder, **settings):
    """Launcher, module and code caches, written where the launcher will run, alone."""
    output = folder / fixture.bundle_name
    config = dataclasses.replace(fixture.config(output=output), launcher=True, **settings)
    write_atomically(bundle_files(bundle_project(config), output, None))
    return output, module_path(output)


def code_cache(module: Path) -> Path:
    """The split bytecode a first start makes, beside the ``.pyc`` Python writes."""
    return module.parent / "__pycache__" / f"{module.stem}.{sys.implementation.cache_tag}.cribo"


def shipped_cache(module: Path) -> Path:
    """The split bytecode made at bundle time, beside the module."""
    return module.with_name(f"{module.stem}.{sys.implementation.cache_tag}.cribo")


def run_launcher(fixture, launcher, module, audit_log, cached):
    env = clean_env(
        PYTHONPATH=str(AUDIT), CRIBO_AUDIT_BUNDLE=str(module), CRIBO_AUDIT_LOG=str(audit_log)
    )
    if cached:
        del env["PYTHONDONTWRITEBYTECODE"]
    run = run_python([launcher.name, *fixture.args], launcher.parent, fixture.stdin, env)
    return normalise(run, launcher.parent)


@pytest.mark.parametrize("name", NAMES)
def test_launched_bundle_runs_like_the_original(name, tmp_path):
    fixture = load_fixture(FIXTURES / name)
    expected = run_unbundled(fixture, tmp_path)
    alone = tmp_path / "alone"
    alone.mkdir()
    launcher, module = build_launched(fixture, alone)
    audit_log = tmp_path / "audit.log"
    for cached in (True, True, False):  # where Python may write bytecode, and where not
        actual = run_launcher(fixture, launcher, module, audit_log, cached)
        assert (actual.exit_code, actual.stdout, actual.stderr) == (
            expected.exit_code,
            expected.stdout,
            expected.stderr,
        )
    assert shipped_cache(module).exists()
    assert not (alone / "__pycache__").exists(), "started from the shipped cache: nothing written"
    assert not audit_log.exists(), audit_log.read_text()


@pytest.mark.parametrize(
    ("output", "module"),
    [("app.py", "app_bundle"), ("my-app.py", "my_app_bundle"), ("2fa.py", "_2fa_bundle")],
)
def test_bundle_module_name_is_importable(output, module):
    assert bundle_module_name(Path(output)) == module


ALL = all_fixtures()


def runs_alike_twice(fixture, tmp_path, **settings):
    """The first start imports the bundle and splits its bytecode into the
    code cache; the second starts from that cache (with no cache made at bundle
    time, as for an interpreter the artifact was not made for)."""
    settings.setdefault("code_cache", False)
    if sys.version_info < fixture.min_python:
        pytest.skip(f"needs Python {'.'.join(map(str, fixture.min_python))}")
    expected = run_unbundled(fixture, tmp_path)
    alone = tmp_path / "alone"
    alone.mkdir()
    launcher, module = build_launched(fixture, alone, **settings)
    audit_log = tmp_path / "audit.log"
    for start in ("first", "cached"):
        actual = run_launcher(fixture, launcher, module, audit_log, cached=True)
        assert (actual.exit_code, actual.stdout, actual.stderr) == (
            expected.exit_code,
            expected.stdout,
            expected.stderr,
        ), start
        assert code_cache(module).exists(), start
    assert not audit_log.exists(), audit_log.read_text()


@pytest.mark.parametrize("fixture", ALL, ids=[f.name for f in ALL])
def test_every_fixture_runs_alike_from_the_code_cache(fixture, tmp_path):
    runs_alike_twice(fixture, tmp_path)


ERRORS = [fixture for fixture in ALL if fixture.name.startswith("error_")]


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_original_locations_from_the_code_cache(fixture, tmp_path):
    """The relocated entry has the launcher's file name: its frames stay apart."""
    runs_alike_twice(fixture, tmp_path, original_locations=True)


LAZY = {
    "main.py": """\
import sys

COSTLY = ("base64", "linecache", "traceback", "zipfile")
print("at start:", [name for name in COSTLY if name in sys.modules])
import pkg
import pkgutil
print(pkgutil.get_data("pkg", "data.txt"))
""",
    "pkg/__init__.py": "",
    "pkg/data.txt": "some data",
    "pkg/py.typed": "",
}


@pytest.mark.parametrize("launched", [False, True], ids=["script", "launcher"])
def test_start_up_leaves_data_and_traceback_support_for_later(launched, tmp_path):
    """Start-up imports no zipfile (package data) nor traceback (traceback
    support): most runs never need them, and they cost milliseconds."""
    fixture = Fixture("lazy", write_project(tmp_path / "project", LAZY))
    expected = run_unbundled(fixture, tmp_path)
    assert expected.stdout == "at start: []\nb'some data'\n", expected.stderr
    alone = tmp_path / "alone"
    alone.mkdir()
    if launched:
        launcher, _ = build_launched(fixture, alone)
    else:
        launcher = alone / "main.py"
        build_bundle(fixture, launcher)
    bundle = module_path(launcher) if launched else launcher
    assert "install_tracebacks(" in bundle.read_text()
    environments = [clean_env()] + ([bytecode_env()] * 2 if launched else [])
    for env in environments:  # the launcher: also the first and a cached start
        actual = normalise(run_python(["main.py"], alone, env=env), alone)
        assert (actual.exit_code, actual.stdout, actual.stderr) == (0, expected.stdout, "")


def bytecode_env(**extra: str) -> dict:
    env = clean_env(**extra)
    del env["PYTHONDONTWRITEBYTECODE"]
    return env


SPLIT = {
    "main.py": "import used\nused.greet()\n",
    "used.py": "def greet():\n    print('hello from used')\n",
    "unused.py": "print('unused ran')\n",
}


def launched_split(tmp_path, code_cache=False):
    """A project whose bundle holds a module no run imports (an include); by
    default without the code cache made at bundle time (the first start makes one)."""
    project = write_project(tmp_path / "project", SPLIT)
    fixture = Fixture("split", project, cribo={"include": ["unused"]})
    alone = tmp_path / "alone"
    alone.mkdir()
    launcher, module = build_launched(fixture, alone, code_cache=code_cache)
    assert "_unused" in module.read_text()
    return launcher, module


def start(launcher: Path, *options: str) -> tuple[int, str, str]:
    run = run_python([*options, launcher.name], launcher.parent, env=bytecode_env())
    return run.exit_code, run.stdout, run.stderr


def places(cache: Path) -> dict:
    """The cache's table of module bodies: holder name -> (start, end) after the head."""
    data = cache.read_bytes()
    size = 4 + int.from_bytes(data[:4], "little")
    _, _, table = marshal.loads(data[4:size])
    return {name: (size + first, size + last) for name, (first, last) in table.items()}


def test_cached_start_does_not_load_the_bundle_bytecode(tmp_path):
    launcher, module = launched_split(tmp_path)
    first = start(launcher, "-X", "importtime")
    assert first[:2] == (0, "hello from used\n")
    assert f"| {module.stem}\n" in first[2], "the first start imports the bundle"
    cached = start(launcher, "-X", "importtime")
    assert cached[:2] == (0, "hello from used\n")
    assert module.stem not in cached[2], "a cached start must not load the whole .pyc"
    assert "| used\n" in cached[2]  # served by the bundle's finder, as before


def spoil(cache: Path, span: tuple[int, int]) -> None:
    data = bytearray(cache.read_bytes())
    data[span[0] : span[1]] = b"\xff" * (span[1] - span[0])  # not marshal data
    cache.write_bytes(bytes(data))


def test_cached_start_unmarshals_only_what_the_run_imports(tmp_path):
    launcher, module = launched_split(tmp_path)
    assert start(launcher)[:2] == (0, "hello from used\n")
    cache = code_cache(module)
    table = places(cache)
    (unused,) = [name for name in table if name.endswith("_unused")]
    (used,) = [name for name in table if name.endswith("_used")]
    spoil(cache, table[unused])
    assert start(launcher) == (0, "hello from used\n", "")  # never read
    spoil(cache, table[used])
    code, _, stderr = start(launcher)  # read: the spoilt body is what failed
    assert code == 1 and "bad marshal data" in stderr, stderr


def test_a_changed_bundle_is_not_started_from_a_stale_cache(tmp_path):
    launcher, module = launched_split(tmp_path)
    assert start(launcher)[:2] == (0, "hello from used\n")
    stale = code_cache(module).read_bytes()
    (tmp_path / "project" / "used.py").write_text("def greet():\n    print('changed')\n")
    launcher, module = build_launched(
        Fixture("split", tmp_path / "project", cribo={"include": ["unused"]}),
        tmp_path / "alone",
        code_cache=False,
    )
    assert start(launcher) == (0, "changed\n", "")
    assert code_cache(module).read_bytes() != stale, "the cache was not renewed"
    assert start(launcher) == (0, "changed\n", "")


@pytest.mark.parametrize("content", [b"", b"\x00\x01", b"garbage" * 100, b"\x10\x00\x00\x00"])
def test_an_unreadable_cache_is_ignored_and_replaced(content, tmp_path):
    launcher, module = launched_split(tmp_path)
    assert start(launcher)[:2] == (0, "hello from used\n")
    good = code_cache(module).read_bytes()
    code_cache(module).write_bytes(content)
    assert start(launcher) == (0, "hello from used\n", "")
    assert code_cache(module).read_bytes() == good


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name != "posix", reason="needs symlinks")
def test_a_symlinked_launcher_starts_from_the_cache_too(tmp_path):
    launcher, module = launched_split(tmp_path)
    elsewhere = tmp_path / "bin"
    elsewhere.mkdir()
    (elsewhere / "app").symlink_to(launcher)
    for _ in range(2):
        run = run_python([str(elsewhere / "app")], tmp_path, env=bytecode_env())
        assert (run.exit_code, run.stdout, run.stderr) == (0, "hello from used\n", "")
        assert code_cache(module).exists()


def test_no_cache_where_python_writes_no_bytecode(tmp_path):
    launcher, _ = launched_split(tmp_path)
    for _ in range(2):
        run = run_python([launcher.name], launcher.parent)  # PYTHONDONTWRITEBYTECODE=1
        assert (run.exit_code, run.stdout, run.stderr) == (0, "hello from used\n", "")
        run = run_python(["-B", launcher.name], launcher.parent, env=bytecode_env())
        assert (run.exit_code, run.stdout, run.stderr) == (0, "hello from used\n", "")
    assert not (launcher.parent / "__pycache__").exists()
