"""The launcher mode: a tiny script imports the bundle, whose bytecode gets cached."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cribo_ci.api import bundle_files, bundle_project
from cribo_ci.launcher import bundle_module_name
from harness import (
    AUDIT,
    FIXTURES,
    Fixture,
    build_bundle,
    clean_env,
    load_fixture,
    normalise,
    run_python,
    run_unbundled,
    write_project,
)

NAMES = ("name_main", "package_entry", "circular_imports", "exit_code_and_stderr", "stdin_and_args")


def build_launched(fixture, folder):
    """Both files, written where the launcher will run, alone."""
    output = folder / fixture.bundle_name
    config = dataclasses.replace(fixture.config(output=output), launcher=True)
    for path, text in bundle_files(bundle_project(config), output, None).items():
        path.write_text(text, encoding="utf-8")
    return output, output.with_name(bundle_module_name(output) + ".py")


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
    for cached in (True, True, False):  # writes the bytecode, then reads it
        actual = run_launcher(fixture, launcher, module, audit_log, cached)
        assert (actual.exit_code, actual.stdout, actual.stderr) == (
            expected.exit_code,
            expected.stdout,
            expected.stderr,
        )
    assert list((alone / "__pycache__").iterdir()), "the bundle's bytecode was not cached"
    assert not audit_log.exists(), audit_log.read_text()


@pytest.mark.parametrize(
    ("output", "module"),
    [("app.py", "app_bundle"), ("my-app.py", "my_app_bundle"), ("2fa.py", "_2fa_bundle")],
)
def test_bundle_module_name_is_importable(output, module):
    assert bundle_module_name(Path(output)) == module


def test_launcher_is_a_comment_and_one_call(tmp_path):
    fixture = load_fixture(FIXTURES / "circular_imports")
    launcher, module = build_launched(fixture, tmp_path)
    code = [line for line in launcher.read_text().splitlines() if not line.startswith("#")]
    assert code == [f"__import__({module.stem!r}).run(globals())"]


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
    bundle = launcher.with_name(bundle_module_name(launcher) + ".py") if launched else launcher
    assert "install_tracebacks(" in bundle.read_text()
    actual = normalise(run_python(["main.py"], alone), alone)
    assert (actual.exit_code, actual.stdout, actual.stderr) == (0, expected.stdout, "")
