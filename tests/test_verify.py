"""The verify engine on small projects: every check passing, and each one failing."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path

import pytest

from cribo_ci.api import bundle_files, bundle_project, write_atomically
from cribo_ci.config import load_config
from cribo_ci.errors import OutputError
from cribo_ci.verify import FAIL, PASS, SKIP, VerifyOptions, verify_project
from cribo_ci.verify.lint import lint_bundle, ruff_command
from cribo_ci.verify.render import (
    render_github_outputs,
    render_human,
    render_json,
    render_markdown,
)
from cribo_ci.verify.report import report_from_data

MAIN = """\
import sys
import time

from tools import helper


def main():
    if "--sleep" in sys.argv:
        time.sleep(30)
    text = sys.stdin.read()
    print(helper.shout(text or "quiet"), sys.argv[1:])
    return 3 if "--fail" in sys.argv else 0


sys.exit(main())
"""
FILES = {
    "main.py": MAIN,
    "tools/__init__.py": "",
    "tools/helper.py": "from .words import upper\n\ndef shout(text):\n    return upper(text) + '!'\n",
    "tools/words.py": "def upper(text):\n    return text.upper()\n",
}
CASES = """
[[tool.cribo.verify.cases]]
args = ["--fail"]
stdin = "hello"
expect-exit = 3

[[tool.cribo.verify.cases]]
args = ["plain"]
"""


def make_project(folder: Path, extra: str = "", files: dict = FILES) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    table = f'[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n{extra}'
    (folder / "pyproject.toml").write_text(table + CASES)
    return folder


def config_of(folder: Path):
    return load_config(folder, {}, {})


def write_bundle(folder: Path) -> Path:
    config = config_of(folder)
    write_atomically(bundle_files(bundle_project(config), config.output, None))
    return config.output


def verify(folder: Path, skip=()):
    options = VerifyOptions((sys.executable,), frozenset(skip), folder)
    seen = []
    report = verify_project(config_of(folder), options, os.environ, seen.append)
    return report, seen


def by_name(report):
    return {check.name.split(":")[0]: check for check in report.checks}


def test_a_fresh_bundle_passes_every_check(tmp_path):
    write_bundle(make_project(tmp_path))
    report, progress = verify(tmp_path)
    assert report.ok, render_human(report)
    names = [check.name for check in report.checks]
    assert names[0] == "up-to-date" and names[1].startswith("compile 3.")
    assert names[2:] == ["case 1: --fail", "case 2: plain", "exec-free", "imports", "lint"]
    assert report.module_count == 4 and report.bundle == "dist/app.py"
    assert progress == [f"compile with {sys.executable}", "case 1/2", "case 2/2", "lint"]


def test_a_planted_module_outside_the_bundle_is_not_picked_up(tmp_path):
    planted = tmp_path / "planted" / "tools"
    planted.mkdir(parents=True)
    (planted / "__init__.py").write_text("")
    (planted / "helper.py").write_text("def shout(text):\n    return 'PLANTED'\n")
    env_case = '\n[[tool.cribo.verify.cases]]\nenv = { PYTHONPATH = "planted" }\n'
    write_bundle(make_project(tmp_path, extra="", files=FILES))
    (tmp_path / "pyproject.toml").write_text((tmp_path / "pyproject.toml").read_text() + env_case)
    report, _ = verify(tmp_path, skip={"up-to-date"})
    assert report.ok, render_human(report)


def test_the_bundle_cannot_import_the_original_sources(tmp_path):
    """With `tools.words` left out, only the sources could serve it: the bundle must fail."""
    write_bundle(make_project(tmp_path, extra='exclude = ["tools.words"]\n'))
    report, _ = verify(tmp_path, skip={"lint"})
    case = by_name(report)["case 1"]
    assert case.status == FAIL and "exit code 3 unbundled, 1 bundled" in case.summary
    assert "ModuleNotFoundError: No module named 'tools.words'" in case.details


def edit_by_hand(bundle: Path) -> None:
    """Print one more line before anything else, as a hand edit might."""
    first, rest = bundle.read_text().split("\n", 1)
    bundle.write_text(f"{first}\nprint('extra')\n{rest}")


def test_a_changed_bundle_is_stale_and_shows_a_diff(tmp_path):
    bundle = write_bundle(make_project(tmp_path))
    edit_by_hand(bundle)
    report, _ = verify(tmp_path)
    checks = by_name(report)
    assert (
        checks["up-to-date"].status == FAIL
        and "+print('extra')" not in checks["up-to-date"].details
    )
    assert "-print('extra')" in checks["up-to-date"].details
    assert checks["case 2"].status == FAIL and "stdout differs" in checks["case 2"].summary
    assert "+extra" in checks["case 2"].details and "stdout (bundle)" in checks["case 2"].details


def test_a_case_that_hangs_times_out_cleanly(tmp_path):
    write_bundle(make_project(tmp_path))
    pyproject = tmp_path / "pyproject.toml"
    hang = '\n[[tool.cribo.verify.cases]]\nargs = ["--sleep"]\ntimeout = 0.5\n'
    pyproject.write_text(pyproject.read_text() + hang)
    report, _ = verify(tmp_path, skip={"lint", "up-to-date"})
    case = by_name(report)["case 3"]
    assert case.status == FAIL and "timed out after 0.5 s" in case.summary
    assert case.seconds < 10


@pytest.mark.parametrize(
    ("extra", "code_file"), [("", "app.py"), ("launcher = true\n", "app_bundle.py")]
)
def test_exec_or_compile_of_bundle_code_is_refused(extra, code_file, tmp_path):
    """In the launcher mode, in the module the launcher imports."""
    write_bundle(make_project(tmp_path, extra=extra))
    bundle = tmp_path / "dist" / code_file
    first, rest = bundle.read_text().split("\n", 1)
    bundle.write_text(f"{first}\ncompile('x = 1', __file__, 'exec')\n{rest}")
    report, _ = verify(tmp_path, skip={"lint"})
    exec_free = by_name(report)["exec-free"]
    assert exec_free.status == FAIL and "compile of bundle code" in exec_free.details


def test_a_launcher_bundle_passes_every_check(tmp_path):
    """The launcher mode ships two files: each is compiled, copied for the
    runs, audited and linted."""
    write_bundle(make_project(tmp_path, extra="launcher = true\n"))
    report, _ = verify(tmp_path)
    assert report.ok, render_human(report)
    names = [check.name for check in report.checks]
    assert names[2:] == [
        "case 1: --fail",
        "case 2: plain",
        "exec-free",
        "imports",
        "lint app.py",
        "lint app_bundle.py",
    ]


def test_a_launcher_without_its_module_is_no_bundle_to_verify(tmp_path):
    write_bundle(make_project(tmp_path, extra="launcher = true\n"))
    (tmp_path / "dist" / "app_bundle.py").unlink()
    with pytest.raises(OutputError, match=r"app_bundle\.py: run `cribo-ci bundle` first"):
        verify(tmp_path)


def test_a_bundle_that_does_not_compile_fails_the_compile_check(tmp_path):
    bundle = write_bundle(make_project(tmp_path))
    bundle.write_text(bundle.read_text() + "def broken(:\n")
    report, _ = verify(tmp_path, skip={"cases", "lint"})
    check = next(c for c in report.checks if c.name.startswith("compile"))
    assert check.status == FAIL and "SyntaxError" in check.summary


def test_the_default_case_runs_with_no_arguments(tmp_path):
    make_project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n'
    )
    write_bundle(tmp_path)
    report, _ = verify(tmp_path, skip={"lint"})
    assert [c.name for c in report.checks][2] == "case 1: no arguments" and report.ok


# CI installs ruff with the test extras, so there the tests always run.
needs_ruff = pytest.mark.skipif(
    ruff_command() is None and not os.environ.get("CI"), reason="ruff is not installed"
)


@needs_ruff
def test_lint_reads_each_module_as_a_module(tmp_path):
    """Module globals used in the module's functions are no F821 (they are in a class body)."""
    write_bundle(make_project(tmp_path))
    check = lint_bundle(tmp_path / "dist" / "app.py", "app.py")
    assert check.status == PASS, check.details


@needs_ruff
def test_lint_finds_a_name_the_bundle_lost(tmp_path):
    bundle = write_bundle(make_project(tmp_path))
    text = bundle.read_text().replace("return text.upper()", "return lost_name(text)")
    bundle.write_text(text)
    check = lint_bundle(bundle, "app.py", tuple(FILES.values()))
    assert check.status == FAIL and "F821 Undefined name `lost_name`" in check.details
    line = text.splitlines().index("\t\t    return lost_name(text)") + 1
    assert f"app.py:{line}:14:" in check.details


@needs_ruff
def test_lint_leaves_out_what_the_sources_have_too(tmp_path):
    files = {**FILES, "tools/words.py": "def upper(text):\n    return undefined_in_source\n"}
    bundle = write_bundle(make_project(tmp_path, files=files))
    assert lint_bundle(bundle, "app.py", tuple(files.values())).status == PASS


def test_the_report_renders_for_people_machines_and_github(tmp_path):
    edit_by_hand(write_bundle(make_project(tmp_path)))
    report, _ = verify(tmp_path, skip={"lint"})
    assert report_from_data(json.loads(render_json(report))) == report
    human = render_human(report)
    assert "FAIL up-to-date" in human and human.rstrip().endswith("3 passed, 3 failed, 1 skipped")
    markdown = render_markdown(report)
    assert (
        "| Check | Result | Summary |" in markdown and "<details><summary>case 2: plain" in markdown
    )
    assert SKIP in markdown


def test_github_outputs_use_a_delimiter_for_multi_line_values():
    text = render_github_outputs({"a": "1", "b": "x\nCRIBO_EOF\ny"})
    assert text == "a=1\nb<<CRIBO_EOF_\nx\nCRIBO_EOF\ny\nCRIBO_EOF_\n"


def test_a_project_with_a_package_entry_is_run_as_python_m(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/__main__.py": "from .core import run\nrun()\n",
        "app/core.py": "def run():\n    print('package entry')\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent('[tool.cribo]\nentry = "app"\noutput = "dist/app.py"\n')
    )
    write_bundle(tmp_path)
    report, _ = verify(tmp_path, skip={"lint"})
    assert report.ok, render_human(report)
