"""The Action's steps through the CLI: a committed bundle is checked before anything
writes it (``mode``), and ``install`` installs the program's dependencies. The
whole Action runs under act in ``test_action.py``."""

from __future__ import annotations

import subprocess
from pathlib import Path

from test_verify import make_project
from test_verify_cli import invoke

WHO = ["-c", "user.name=test", "-c", "user.email=test@example.com"]


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", *WHO, *args], cwd=folder, check=True, capture_output=True)


def committed_project(folder: Path) -> Path:
    """The test project with its bundle committed, as a repository would hold it."""
    make_project(folder)
    assert invoke(folder, "bundle").exit_code == 0
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "bundle")
    return folder / "dist" / "app.py"


def action_env(folder: Path, **inputs: str) -> dict:
    return {
        "GITHUB_OUTPUT": str(folder / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "GITHUB_WORKSPACE": str(folder),
        "INPUT_CONFIG": "",
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
    }


def test_a_tracked_stale_bundle_fails_the_check_and_is_left_as_it_was(tmp_path):
    bundle = committed_project(tmp_path)
    before = bundle.read_bytes()
    (tmp_path / "tools" / "words.py").write_text("def upper(text):\n    return text.title()\n")
    result = invoke(tmp_path, "action", "bundle", env=action_env(tmp_path))
    assert result.exit_code == 10, result.output
    assert "the committed bundle is out of date: dist/app.py, dist/app.py.map" in result.stderr
    assert "changed: tools.words" in result.stderr and "the map differs (" in result.stderr
    assert "fix: run `cribo-ci bundle` and commit the result" in result.stderr
    assert bundle.read_bytes() == before
    summary = (tmp_path / "summary.md").read_text()
    assert "the committed bundle is out of date" in summary and "changed: tools.words" in summary


def test_a_tracked_fresh_bundle_passes_the_check(tmp_path):
    committed_project(tmp_path)
    result = invoke(tmp_path, "action", "bundle", env=action_env(tmp_path))
    assert result.exit_code == 0, result.output
    assert "checked dist/app.py: up to date (4 modules)" in result.stdout


def test_mode_write_rewrites_a_tracked_bundle(tmp_path):
    bundle = committed_project(tmp_path)
    (tmp_path / "tools" / "words.py").write_text("def upper(text):\n    return text.title()\n")
    result = invoke(tmp_path, "action", "bundle", env=action_env(tmp_path, mode="write"))
    assert result.exit_code == 0, result.output
    assert ".title()" in bundle.read_text()


def test_an_untracked_bundle_is_written(tmp_path):
    make_project(tmp_path)
    result = invoke(tmp_path, "action", "bundle", env=action_env(tmp_path))
    assert result.exit_code == 0 and (tmp_path / "dist" / "app.py").is_file(), result.output


def test_an_unknown_mode_is_a_configuration_error(tmp_path):
    make_project(tmp_path)
    result = invoke(tmp_path, "action", "bundle", env=action_env(tmp_path, mode="chek"))
    assert result.exit_code == 3 and "the 'mode' input must be 'check' or 'write'" in result.stderr


def test_install_runs_a_command_and_passes_on_its_failure(tmp_path):
    env = {"INPUT_INSTALL": "echo installed > marker.txt"}
    assert invoke(tmp_path, "action", "install", env=env).exit_code == 0
    assert (tmp_path / "marker.txt").read_text() == "installed\n"
    failing = invoke(tmp_path, "action", "install", env={"INPUT_INSTALL": "exit 7"})
    assert failing.exit_code == 7 and "failed (exit code 7)" in failing.stderr


def test_install_reads_a_requirements_file_with_pip(tmp_path):
    """An empty requirements file: pip runs, installs nothing, and succeeds."""
    (tmp_path / "requirements.txt").write_text("# nothing yet\n")
    result = invoke(tmp_path, "action", "install", env={"INPUT_INSTALL": "requirements.txt"})
    assert result.exit_code == 0 and "installing the requirements in requirements.txt" in (
        result.stderr
    )
