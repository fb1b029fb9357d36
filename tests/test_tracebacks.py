"""Tracebacks of bundles: the runtime hook, ``cribo-ci remap``, ``cribo-ci map`` and
the opt-in original-locations mode. (The error fixtures' equivalence runs are
in test_equivalence.py; these cover the other ways to the same output.)"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from cribo_ci.api import bundle_project
from cribo_ci.cli import load_commands
from cribo_ci.sourcemap import decode_sourcemap
from cribo_ci.sourcemap.remap import remap_traceback
from harness import (
    all_fixtures,
    cli_runner,
    load_fixture,
    run_bundle,
    run_unbundled,
)

ERRORS = [f for f in all_fixtures() if f.name.startswith("error_")]
RUNTIME = Path(__file__).parent.parent / "cribo_ci" / "runtime" / "tracebacks.py"


def runnable(fixture):
    if sys.version_info < fixture.min_python:
        pytest.skip(f"needs Python {'.'.join(map(str, fixture.min_python))}")
    return fixture


def bundled_run(fixture, tmp_path, **settings):
    target = tmp_path / "out" / fixture.bundle_name  # the map's "file" names it
    config = dataclasses.replace(fixture.config(output=target), **settings)
    bundle = bundle_project(config)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(bundle.text, encoding="utf-8")
    return bundle, run_bundle(fixture, target, tmp_path, tmp_path / "audit.log")


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_remap_turns_a_raw_traceback_into_the_unbundled_one(fixture, tmp_path):
    expected = run_unbundled(runnable(fixture), tmp_path)
    bundle, raw = bundled_run(fixture, tmp_path, traceback_support=False)
    assert "install_tracebacks" not in bundle.text
    assert raw.stderr != expected.stderr  # the raw one names bundle lines
    assert remap_traceback(raw.stderr, decode_sourcemap(bundle.sourcemap)) == expected.stderr


@pytest.mark.parametrize("fixture", ERRORS, ids=[f.name for f in ERRORS])
def test_original_locations_keep_tracebacks_equal(fixture, tmp_path):
    expected = run_unbundled(runnable(fixture), tmp_path)
    _, actual = bundled_run(fixture, tmp_path, original_locations=True)
    assert (actual.exit_code, actual.stdout, actual.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


LOCATED = {
    "main.py": """\
import inspect, os, warnings
from lib import tools
warnings.simplefilter("always")
print(os.path.relpath(tools.shout.__code__.co_filename), tools.shout.__code__.co_firstlineno)
print(inspect.getsource(tools.shout), end="")
tools.shout("hi")
tools.Box(1).fail()
""",
    "lib/__init__.py": "",
    "lib/tools.py": """\
import warnings


def shout(text):
    warnings.warn(f"shouting {text}")
    return text.upper()


class Box:
    def __init__(self, value):
        self.value = value

    def fail(self):
        return self.value / 0
""",
}


def test_original_locations_serve_warnings_inspect_and_code_objects(tmp_path):
    project = tmp_path / "project"
    for name, text in LOCATED.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    fixture = load_fixture(project)
    expected = run_unbundled(fixture, tmp_path / "plain")
    _, actual = bundled_run(fixture, tmp_path / "bundled", original_locations=True)
    assert actual == expected
    assert actual.stdout.startswith("lib/tools.py 4\ndef shout(text):\n")
    assert '<root>/lib/tools.py:5: UserWarning: shouting hi\n  warnings.warn(f"shouting' in (
        actual.stderr
    )


def test_cli_map_and_remap(tmp_path):
    fixture = next(f for f in ERRORS if f.name == "error_nested_module")
    out = tmp_path / "dist" / "main.py"
    runner, app = cli_runner(), load_commands()
    entry = str(fixture.folder / "main.py")
    done = runner.invoke(app, ["bundle", "-e", entry, "-o", str(out), "--no-traceback-support"])
    assert done.exit_code == 0, done.output
    number = (
        out.read_text()
        .split("\n")
        .index('\t\t        raise ValueError(f"{label}: too big")  # never reached')
        + 1
    )
    done = runner.invoke(app, ["map", f"{out}:{number}:11"])
    assert (done.exit_code, done.stdout) == (0, "app/rules.py:4:9\n")
    assert runner.invoke(app, ["map", f"{out}:3"]).exit_code == 1  # the runtime
    raw = f'Traceback (most recent call last):\n  File "/srv/main.py", line {number}, in check\n    raise\nValueError\n'
    done = runner.invoke(app, ["remap", str(out) + ".map"], input=raw)
    assert 'File "/srv/app/rules.py", line 4, in check\n    raise ValueError(' in done.stdout


@pytest.mark.parametrize(
    ("flags", "files", "ending"),
    [
        ([], {"main.py", "main.py.map"}, "# sourceMappingURL=main.py.map"),
        (["--sourcemap=inline"], {"main.py"}, "# sourceMappingURL=data:application/json;"),
        (["--no-sourcemap"], {"main.py"}, ")"),
    ],
)
def test_bundle_flags_choose_the_map(tmp_path, flags, files, ending):
    fixture = next(f for f in ERRORS if f.name == "error_chained")
    out = tmp_path / "dist" / "main.py"
    args = ["bundle", "-e", str(fixture.folder / "main.py"), "-o", str(out), *flags]
    done = cli_runner().invoke(load_commands(), args)
    assert done.exit_code == 0, done.output
    assert {p.name for p in out.parent.iterdir()} == files
    assert out.read_text().rstrip("\n").split("\n")[-1].startswith(ending)


def test_runtime_part_stays_short_and_stdlib_only():
    text = RUNTIME.read_text()
    assert len(text.splitlines()) < 200
    imports = {line.split()[1] for line in text.splitlines() if line.startswith("import ")}
    assert imports <= set(sys.stdlib_module_names if sys.version_info >= (3, 10) else imports)
