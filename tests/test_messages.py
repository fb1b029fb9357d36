"""What the command line says, each message as a user meets it, through the real CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

from cribo_ci import __version__
from harness import clean_env, write_project

ROOT = Path(__file__).parent.parent
PROJECT = {
    "main.py": "import helper\nprint(helper.X)\n",
    "helper.py": "X = 42\n",
}


def cribo_ci(*args: str, cwd: Path, stdin: str = "", env: Optional[dict] = None):
    """``python -m cribo_ci``, as a shell runs it (no cache: tests never write ~/.cache)."""
    return subprocess.run(
        [sys.executable, "-m", "cribo_ci", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**clean_env(CRIBO_CACHE="false"), **(env or {})},
        timeout=120,
    )


def repository(folder: Path, files: dict) -> Path:
    """A project that is a repository root (a ``.git`` folder is all that marks one)."""
    write_project(folder, files)
    (folder / ".git").mkdir(parents=True)
    return folder


def test_verify_with_no_config_says_what_is_missing_and_where_it_looked(tmp_path):
    project = repository(tmp_path / "project", PROJECT)
    (project / "sub").mkdir()
    done = cribo_ci("verify", cwd=project / "sub")
    assert done.returncode == 1, done.stderr
    assert "None" not in done.stderr
    assert done.stderr == (
        "error: no output configured: verify checks the bundle at 'output': pass --output or "
        "set it in the config (no pyproject.toml with [tool.cribo] and no cribo.toml in "
        f"{project / 'sub'} and its parents up to {project} (the repository root))\n"
    )


def test_bundle_with_no_entry_or_output_says_where_it_looked(tmp_path):
    project = repository(tmp_path / "project", PROJECT)
    no_entry = cribo_ci("bundle", "-o", "out.py", cwd=project)
    assert no_entry.returncode == 4
    assert f"no pyproject.toml with [tool.cribo] and no cribo.toml in {project}" in no_entry.stderr
    no_output = cribo_ci("bundle", "-e", "main.py", cwd=project)
    assert no_output.returncode == 1
    assert no_output.stderr.startswith("error: no output configured: pass --output or --stdout")


CONFIG = '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n'


def test_config_is_found_from_a_subfolder(tmp_path):
    project = repository(tmp_path / "project", {**PROJECT, "pyproject.toml": CONFIG})
    deep = project / "docs" / "deep"
    write_project(deep, {"pyproject.toml": "[tool.black]\n"})  # no [tool.cribo]: looked past
    done = cribo_ci("bundle", cwd=deep)
    assert done.returncode == 0, done.stderr
    assert (project / "dist" / "app.py").is_file()  # relative to the file that names it
    verified = cribo_ci("verify", "--skip", "lint", cwd=deep)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_search_stops_at_the_repository_root(tmp_path):
    write_project(tmp_path, {"pyproject.toml": CONFIG, **PROJECT})  # above the repository
    project = repository(tmp_path / "project", {})
    done = cribo_ci("bundle", cwd=project)
    assert done.returncode == 4, done.stderr
    assert f"in {project} (the repository root)" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_the_nearest_config_wins(tmp_path):
    project = repository(tmp_path / "project", {**PROJECT, "pyproject.toml": CONFIG})
    inner = '[bundler]\nentry = "../main.py"\noutput = "inner.py"\n'
    write_project(project / "sub", {"cribo.toml": inner})
    assert cribo_ci("bundle", cwd=project / "sub").returncode == 0
    assert (project / "sub" / "inner.py").is_file() and not (project / "dist").exists()


@pytest.mark.parametrize("flag", ["--version", "-V", "version"])
def test_version(flag, tmp_path):
    done = cribo_ci(flag, cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, __version__ + "\n"), done.stderr


def test_help_as_cribo_spells_it(tmp_path):
    done = cribo_ci("-h", cwd=tmp_path)
    assert done.returncode == 0 and "bundle" in done.stdout and "--version" in done.stdout


@pytest.fixture
def bundled(tmp_path):
    """A bundle without traceback support whose run raises, and its map."""
    files = {
        "main.py": "import logging\nimport helper\ntry:\n    helper.boom()\n"
        "except ZeroDivisionError:\n    logging.exception('failed')\nhelper.boom()\n",
        "helper.py": "def boom():\n    return 1 / 0\n",
    }
    write_project(tmp_path, files)
    done = cribo_ci(
        "bundle", "-e", "main.py", "-o", "app.py", "--no-traceback-support", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_map_past_the_end_and_of_a_missing_file(bundled):
    lines = len((bundled / "app.py").read_text().splitlines())
    past = cribo_ci("map", "app.py:99999", cwd=bundled)
    assert past.returncode == 1
    assert (
        past.stderr == f"app.py: error: line 99999 is past the end of the bundle ({lines} lines)\n"
    )
    missing = cribo_ci("map", "nothere.py:3", cwd=bundled)
    assert (missing.returncode, missing.stderr) == (1, "nothere.py: error: no such file\n")


def test_remap_finds_frames_wherever_they_sit_in_a_line(bundled):
    run = subprocess.run([sys.executable, "app.py"], cwd=bundled, capture_output=True, text=True)
    assert 'File "' in run.stderr and "ERROR:root:failed" in run.stderr  # logging.exception
    prefixed = "".join(f"2024-01-01 12:00:00 ERROR {line}\n" for line in run.stderr.splitlines())
    indented = "".join(f"    {line}\n" for line in run.stderr.splitlines())
    for text in (run.stderr, prefixed, indented):
        done = cribo_ci("remap", "app.py.map", cwd=bundled, stdin=text)
        assert done.returncode == 0, done.stderr
        assert "app.py" not in done.stdout.replace("app.py.map", "")
        assert done.stdout.count('main.py", line 4, in <module>') == 1
        assert done.stdout.count('main.py", line 7, in <module>') == 1
        assert done.stdout.count('helper.py", line 2, in boom') == 2
        assert done.stderr == "cribo-ci remap: remapped 4 frames (app.py)\n"
    kept = cribo_ci("remap", "app.py.map", cwd=bundled, stdin=prefixed).stdout
    assert kept.splitlines()[3] == "2024-01-01 12:00:00 ERROR     helper.boom()"  # the original
    nothing = cribo_ci("remap", "app.py.map", cwd=bundled, stdin="all is well\n")
    assert nothing.stderr == "cribo-ci remap: no frame of the bundle found (app.py)\n"


def test_a_wrong_nested_key_lists_the_known_ones(tmp_path):
    write_project(
        tmp_path, {**PROJECT, "cribo.toml": "[[bundler.verify.cases]]\nexpect_exit = 1\n"}
    )
    done = cribo_ci("bundle", "-e", "main.py", "--stdout", cwd=tmp_path)
    assert done.returncode == 3
    assert done.stderr == (
        f"{tmp_path / 'cribo.toml'}: config error: unknown key 'verify.cases.expect_exit' "
        "(did you mean 'verify.cases.expect-exit'? known keys: verify.cases.args, "
        "verify.cases.cwd, verify.cases.env, verify.cases.expect-exit, verify.cases.stdin, "
        "verify.cases.timeout)\n"
    )


def test_a_missing_interpreter_names_the_file_and_key(tmp_path):
    config = CONFIG + 'python-versions = ["2.9"]\n'
    project = repository(tmp_path / "project", {**PROJECT, "pyproject.toml": config})
    done = cribo_ci("verify", cwd=project)
    assert done.returncode == 3
    assert done.stderr.startswith(
        f"{project / 'pyproject.toml'}: config error: 'python-versions': "
        "no Python interpreter found for '2.9': install it"
    )
    flag = cribo_ci("verify", "--python", "python2.9", cwd=project)
    assert flag.stderr.startswith("command line: config error: '--python': no Python interpreter")


def test_a_case_with_args_as_a_string_is_an_error(tmp_path):
    case = '\n[[tool.cribo.verify.cases]]\nargs = "--at 10:30,--unit mm"\n'
    project = repository(tmp_path / "project", {**PROJECT, "pyproject.toml": CONFIG + case})
    done = cribo_ci("bundle", cwd=project)
    assert done.returncode == 3 and not (project / "dist").exists()
    assert done.stderr == (
        f"{project / 'pyproject.toml'}: config error: 'verify.cases.args' must be a list of "
        'strings, not \'--at 10:30,--unit mm\': write ["--at", "10:30,--unit", "mm"]\n'
    )


SUCCESS = r"wrote dist/app\.py \({} module{}, \d+\.\d kB\) and dist/app\.py\.map\n"


@pytest.mark.parametrize("files", [{"main.py": "print(1)\n"}, PROJECT], ids=["one", "two"])
def test_bundle_says_what_it_wrote_in_one_line(files, tmp_path):
    project = repository(tmp_path / "project", {**files, "pyproject.toml": CONFIG})
    done = cribo_ci("bundle", cwd=project)
    count = len(files)
    assert done.returncode == 0 and done.stdout == ""
    assert re.fullmatch(SUCCESS.format(count, "" if count == 1 else "s"), done.stderr)
    size = len((project / "dist" / "app.py").read_bytes()) / 1000
    assert f"{size:.1f} kB" in done.stderr
    header = (project / "dist" / "app.py").read_text().splitlines()[1]
    assert f"({count} module{'' if count == 1 else 's'})" in header
    again = cribo_ci("bundle", "--check", cwd=project)
    assert again.returncode == 0 and "dist/app.py is up to date" in again.stderr
    quiet = cribo_ci("bundle", "--quiet", cwd=project)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_the_hooks_run_quietly():
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text()
    entries = re.findall(r"^\s+entry: cribo-ci (bundle|verify) (.*)$", manifest, re.M)
    assert len(entries) == 2 and all("--quiet" in flags for _, flags in entries)


def test_verbose_gives_the_import_before_the_include(tmp_path):
    write_project(tmp_path, {"main.py": "import extra\n", "extra.py": "", "other.py": ""})
    done = cribo_ci(
        "bundle", "-e", "main.py", "--stdout", "-v", "--include", "extra", "--include", "other",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    reasons = dict(line.split(": ", 1) for line in done.stderr.splitlines())
    assert re.fullmatch(r"import by main line 1 \(also include.*\)", reasons["extra"])
    assert reasons["other"].startswith("include")


# The real command line in a process where ruff cannot be found (not installed
# beside cribo-ci, not on PATH): ``find_spec`` answers None for a module that
# ``sys.modules`` holds as None.
WITHOUT_RUFF = """
import sys
sys.modules["ruff"] = None
sys.argv = ["cribo-ci", *sys.argv[1:]]
from cribo_ci.cli import main
main()
"""


def test_the_lint_hint_works_from_a_clone(tmp_path):
    project = repository(tmp_path / "project", {**PROJECT, "pyproject.toml": CONFIG})
    assert cribo_ci("bundle", cwd=project).returncode == 0
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_RUFF, "verify", "--skip", "cases"],
        cwd=project,
        capture_output=True,
        text=True,
        env=clean_env(PATH=str(tmp_path / "empty")),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    python = Path(sys.executable).name
    assert f"lint: ruff is not installed: `{python} -m pip install ruff`" in done.stdout
    assert "cribo-ci[verify]" not in done.stdout
