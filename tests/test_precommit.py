"""The hooks with the real pre-commit, through ``try-repo`` on a temporary project.

``try-repo`` needs the hook repository to have a commit, so the current
working tree (uncommitted work included) is copied and committed first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_verify import FILES, make_project

ROOT = Path(__file__).parent.parent
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
HOOK_REPO_FILES = ("cribo_ci", "pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE")

pytestmark = pytest.mark.integration


def git(folder: Path, *args: str) -> None:
    who = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", *who, *args], cwd=folder, check=True, capture_output=True)


def hook_repository(folder: Path) -> Path:
    for name in HOOK_REPO_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy(source, folder / name)
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "snapshot of the working tree")
    return folder


def try_repo(project: Path, hooks: Path, hook: str, home: Path, *more: str):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    env = {k: v for k, v in env.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hooks), hook, "--color", "never", *more],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_bundle_hook_passes_fails_after_a_change_then_passes(tmp_path):
    hooks = hook_repository(tmp_path / "hooks")
    project = make_project(tmp_path / "project")
    subprocess.run([sys.executable, "-m", "cribo_ci", "bundle"], cwd=project, check=True)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "project with its bundle")
    home = tmp_path / "pre-commit-home"

    first = try_repo(project, hooks, "cribo-bundle", home, "--all-files")
    assert first.returncode == 0 and "Passed" in first.stdout, first.stdout + first.stderr

    words = project / "tools" / "words.py"
    words.write_text(words.read_text().replace("upper()", "upper().strip()"))
    git(project, "add", "tools/words.py")
    changed = try_repo(project, hooks, "cribo-bundle", home)
    assert changed.returncode != 0 and "rewrote" in changed.stdout, changed.stdout
    assert ".strip()" in (project / "dist" / "app.py").read_text()

    git(project, "add", "dist/app.py", "dist/app.py.map")
    staged = try_repo(project, hooks, "cribo-bundle", home)
    assert staged.returncode == 0 and "Passed" in staged.stdout, staged.stdout + staged.stderr

    verified = try_repo(project, hooks, "cribo-verify", home)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_fix_hook_rewrites_fails_then_passes(tmp_path):
    from test_fix_cli import FILE_READS
    from test_fix_cli import make_project as make_fixable_project

    hooks = hook_repository(tmp_path / "hooks")
    project = make_fixable_project(tmp_path / "project", FILE_READS)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "a project that reads beside __file__")
    home = tmp_path / "pre-commit-home"

    first = try_repo(project, hooks, "cribo-fix", home, "--all-files")
    assert first.returncode != 0 and "Failed" in first.stdout, first.stdout + first.stderr
    assert "app/text.py:5: (Path(__file__).parent" in first.stdout
    assert "files(__package__)" in (project / "app" / "text.py").read_text()

    git(project, "add", "-A")
    again = try_repo(project, hooks, "cribo-fix", home, "--all-files")
    assert again.returncode == 0 and "Passed" in again.stdout, again.stdout + again.stderr


DATA_FILES = {
    **FILES,
    "tools/words.py": (
        "import json\nfrom importlib.resources import files\n\n"
        "SUFFIX = json.loads(files(__package__).joinpath('units.json').read_text())['suffix']\n\n"
        "def upper(text):\n    return text.upper() + SUFFIX\n"
    ),
    "tools/units.json": '{"suffix": " m"}\n',
    "notes.txt": "not part of the bundle\n",
}


def committed_project(folder: Path) -> Path:
    project = make_project(folder, files=DATA_FILES)
    subprocess.run([sys.executable, "-m", "cribo_ci", "bundle"], cwd=project, check=True)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "project with its bundle")
    return project


def test_the_hooks_run_on_a_change_to_package_data_alone(tmp_path):
    hooks = hook_repository(tmp_path / "hooks")
    project = committed_project(tmp_path / "project")
    home = tmp_path / "pre-commit-home"
    (project / "tools" / "units.json").write_text('{"suffix": " km"}\n')
    git(project, "add", "tools/units.json")

    changed = try_repo(project, hooks, "cribo-bundle", home)
    assert changed.returncode != 0 and "rewrote" in changed.stdout, changed.stdout
    bundle = project / "dist" / "app.py"
    run = subprocess.run([sys.executable, str(bundle)], input="hi", capture_output=True, text=True)
    assert "HI km!" in run.stdout, run.stderr

    git(project, "add", "dist/app.py", "dist/app.py.map")
    verified = try_repo(project, hooks, "cribo-verify", home)
    assert verified.returncode == 0 and "Passed" in verified.stdout, verified.stdout


def test_the_hooks_run_when_package_data_is_deleted(tmp_path):
    hooks = hook_repository(tmp_path / "hooks")
    project = committed_project(tmp_path / "project")
    home = tmp_path / "pre-commit-home"
    git(project, "rm", "-q", "tools/units.json")

    deleted = try_repo(project, hooks, "cribo-bundle", home)
    assert deleted.returncode != 0 and "rewrote" in deleted.stdout, deleted.stdout


def test_the_hooks_pass_a_change_outside_the_bundle(tmp_path):
    hooks = hook_repository(tmp_path / "hooks")
    project = committed_project(tmp_path / "project")
    home = tmp_path / "pre-commit-home"
    (project / "notes.txt").write_text("still not part of the bundle\n")
    git(project, "add", "notes.txt")

    for hook in ("cribo-bundle", "cribo-verify"):
        run = try_repo(project, hooks, hook, home)
        assert run.returncode == 0 and "Passed" in run.stdout, run.stdout + run.stderr
    assert not subprocess.run(
        ["git", "status", "--porcelain", "dist"], cwd=project, capture_output=True, text=True
    ).stdout
