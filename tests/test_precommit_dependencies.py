"""``cribo-verify`` with the real pre-commit on a program that imports a dependency.

The hook runs in its own environment: without the program's dependency there,
the unbundled run fails, and verify must say so rather than pass two runs that
failed alike. ``additional_dependencies`` installs it, and the hook passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_precommit import PRE_COMMIT, git, hook_repository

from harness import write_project

pytestmark = pytest.mark.integration

PROJECT = {
    "main.py": "import six\n\nprint(six.ensure_str(b'mm cm'))\n",
    "pyproject.toml": '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n',
}
CONFIG = """\
repos:
  - repo: {hooks}
    rev: {rev}
    hooks:
      - id: cribo-verify
{more}"""


def run_hook(project: Path, hooks: Path, home: Path, more: str = ""):
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hooks, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = CONFIG.format(hooks=hooks, rev=rev, more=more)
    (project / ".pre-commit-config.yaml").write_text(config)
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(PRE_COMMIT), "run", "cribo-verify", "--all-files", "--color", "never"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_verify_hook_needs_the_programs_dependencies_and_says_how(tmp_path):
    hooks = hook_repository(tmp_path / "hooks")
    project = write_project(tmp_path / "project", PROJECT)
    subprocess.run([sys.executable, "-m", "cribo_ci", "bundle"], cwd=project, check=True)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a program that needs six, with its bundle")
    home = tmp_path / "pre-commit-home"

    missing = run_hook(project, hooks, home)
    log = missing.stdout + missing.stderr
    assert missing.returncode != 0 and "Failed" in log, log
    assert "the unbundled program itself failed (exit code 1, expected 0)" in log, log
    assert "No module named 'six'" in log and "additional_dependencies" in log

    installed = run_hook(project, hooks, home, "        additional_dependencies: [six]\n")
    log = installed.stdout + installed.stderr
    assert installed.returncode == 0 and "Passed" in log, log
