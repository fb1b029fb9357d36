"""``cribo-ci bundle`` end to end through the real command line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cribo_ci.api import bundle_project
from cribo_ci.cli import load_commands
from cribo_ci.config import Config
from harness import cli_runner, write_project

EXAMPLE = Path(__file__).parent.parent / "examples" / "app"


def invoke(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return cli_runner().invoke(load_commands(), list(args))
    finally:
        os.chdir(old)


def test_bundle_writes_a_runnable_file(tmp_path):
    out = tmp_path / "dist" / "app.py"
    result = invoke("bundle", "-e", str(EXAMPLE / "main.py"), "-o", str(out), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    run = subprocess.run([sys.executable, str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0
    assert "3 shapes, total area 14.55 cm2" in run.stdout


# Start-up time is most of a warm re-bundle: a run loads only its own command.
LOADED_BY_BUNDLE = """
import sys
from cribo_ci import cli


def report(code):
    assert not code, code
    print(sorted(m for m in sys.modules if m.startswith(("cribo_ci.verify", "cribo_ci.cli."))))


cli.exit_now = report
sys.argv = ["cribo-ci", *sys.argv[1:]]
cli.main()
"""


def test_bundle_command_loads_only_its_own_code(tmp_path):
    out = tmp_path / "app.py"
    command = [sys.executable, "-c", LOADED_BY_BUNDLE, "bundle", "-e", str(EXAMPLE / "main.py")]
    run = subprocess.run([*command, "-o", str(out)], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['cribo_ci.cli.bundle']" and out.is_file()
    help_run = subprocess.run(
        [sys.executable, "-c", LOADED_BY_BUNDLE, "--help"], capture_output=True, text=True
    )
    assert all(name in help_run.stdout for name in ("bundle", "verify", "remap", "action"))


def test_stdout_prints_the_bundle_and_writes_nothing(tmp_path):
    result = invoke("bundle", "-e", str(EXAMPLE / "main.py"), "--stdout", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.startswith("#!/usr/bin/env python3\n")
    assert "def _cribo_" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_config_file_gives_entry_and_output(tmp_path):
    project = write_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.cribo]\nentry = "src/main.py"\noutput = "out/b.py"\n',
            "src/main.py": "import helper\nprint(helper.X)\n",
            "src/helper.py": "X = 'configured'\n",
        },
    )
    result = invoke("bundle", cwd=project)
    assert result.exit_code == 0, result.output
    run = subprocess.run(
        [sys.executable, str(project / "out" / "b.py")], capture_output=True, text=True
    )
    assert run.stdout == "configured\n"


def test_emit_requirements_lists_third_party_imports(tmp_path):
    project = write_project(
        tmp_path,
        {
            "main.py": "import json\ntry:\n    import typer\n    import not_a_real_dist\nexcept ImportError:\n    pass\n"
        },
    )
    result = invoke(
        "bundle", "-e", "main.py", "-o", "out/app.py", "--emit-requirements", cwd=project
    )
    assert result.exit_code == 0, result.output
    lines = (project / "out" / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("typer==") for line in lines)
    assert "# not_a_real_dist: imported, but no installed distribution provides it" in lines
    assert not any("json" in line for line in lines)


def test_dynamic_import_of_a_computed_name_warns_with_location(tmp_path):
    project = write_project(
        tmp_path, {"main.py": "import importlib\n\nname = 'x'\nimportlib.import_module(name)\n"}
    )
    result = invoke("bundle", "-e", "main.py", "--stdout", cwd=project)
    assert result.exit_code == 0
    assert "main.py:4:1: warning: import_module() of a computed name" in result.stderr
    assert "`include`" in result.stderr


ERRORS = [
    pytest.param(
        {"main.py": "import broken\n", "broken.py": "x = (1,\n"}, 5, "broken.py:1:", id="syntax"
    ),
    pytest.param({"other.py": ""}, 4, "entry not found", id="missing-entry"),
    pytest.param(
        {"main.py": "import pkg.mod\n", "pkg/__init__.py": "", "pkg/mod.py": "from ... import x\n"},
        7,
        "pkg/mod.py:1:1: import error: attempted relative import beyond top-level package",
        id="relative-beyond-top",
    ),
    pytest.param(
        {"main.py": "import bad\n", "bad.py": "x = '\udcff'\n"}, 6, "bad.py", id="undecodable"
    ),
]


@pytest.mark.parametrize(("files", "code", "message"), ERRORS)
def test_bad_input_fails_cleanly_with_its_exit_code(tmp_path, files, code, message):
    raw = {name: text.encode("utf-8", "surrogateescape") for name, text in files.items()}
    write_project(tmp_path, raw)
    result = invoke("bundle", "-e", "main.py", "-o", "out/app.py", cwd=tmp_path)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert not (tmp_path / "out").exists()


VERBOSE_PROJECT = {
    "main.py": (
        "import importlib\nimport app.core\n\nimportlib.import_module('app.literal')\n"
        "for name in ('a',):\n    importlib.import_module('plugins.' + name)\n"
    ),
    "app/__init__.py": "",
    "app/core.py": "from . import helpers\n",
    "app/helpers.py": "",
    "app/literal.py": "",
    "plugins/__init__.py": "",
    "plugins/a.py": "",
    "extra.py": "",
    "unused.py": "",
}


@pytest.mark.parametrize("where", [("-o", "out/app.py"), ("--stdout",)])
def test_verbose_says_why_each_module_is_in(tmp_path, where):
    write_project(tmp_path, VERBOSE_PROJECT)
    result = invoke("bundle", "-e", "main.py", *where, "-v", "--include", "extra", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    if where != ("--stdout",):
        last = r"wrote out/app\.py \(8 modules, \d+\.\d kB\) and out/app\.py\.map"
        assert re.fullmatch(last, lines.pop())
    assert dict(line.split(": ", 1) for line in lines) == {
        "main": "entry",
        "app": "import by main line 2",
        "app.core": "import by main line 2",
        "app.helpers": "import by app.core line 1",
        "app.literal": "import by main line 4",
        "plugins": "prefix by main line 6",
        "plugins.a": "prefix by main line 6",
        "extra": "include 'extra'",
    }
    if where == ("--stdout",):  # stdout is the bundle alone
        compile(result.stdout, "bundle.py", "exec")


def test_the_command_flushes_its_output_and_keeps_its_exit_code(tmp_path):
    """``main`` ends with ``os._exit`` (no heap teardown): nothing may be lost."""
    command = [sys.executable, "-m", "cribo_ci", "bundle", "-e", str(EXAMPLE / "main.py")]
    printed = subprocess.run([*command, "--stdout", "-v"], capture_output=True, text=True)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout == bundle_project(Config(entry=EXAMPLE / "main.py")).text
    assert "main: entry" in printed.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "cribo_ci", "bundle", "-e", "missing.py", "-o", "out.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert missing.returncode == 4 and "missing.py: entry error" in missing.stderr
    usage = subprocess.run([*command, "--bogus"], capture_output=True, text=True)
    assert usage.returncode == 2 and "--bogus" in usage.stderr
