"""``verify``, ``bundle --check/--fail-on-change`` and the ``action`` steps through the CLI."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from test_verify import make_project

from cribo_ci.cli import load_commands
from harness import cli_runner

ROOT = Path(__file__).parent.parent


def invoke(cwd: Path, *args: str, env: dict | None = None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return cli_runner().invoke(load_commands(), list(args), env=env)
    finally:
        os.chdir(old)


def test_verify_exits_0_then_11_with_json(tmp_path):
    make_project(tmp_path)
    assert invoke(tmp_path, "bundle").exit_code == 0
    result = invoke(tmp_path, "verify", "--json", "--skip", "lint")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ok"] is True
    (tmp_path / "tools" / "words.py").write_text("def upper(text):\n    return text.lower()\n")
    result = invoke(tmp_path, "verify", "--skip", "lint", "--summary", "summary.md")
    assert result.exit_code == 11 and "FAIL up-to-date" in result.stdout
    assert "cribo-ci verify: ❌" in (tmp_path / "summary.md").read_text()


def test_verify_rejects_an_unknown_step(tmp_path):
    make_project(tmp_path)
    invoke(tmp_path, "bundle")
    result = invoke(tmp_path, "verify", "--skip", "speling")
    assert result.exit_code == 1 and "unknown step for --skip: speling" in result.stderr


def test_bundle_check_writes_nothing_and_exits_10(tmp_path):
    make_project(tmp_path)
    result = invoke(tmp_path, "bundle", "--check")
    assert result.exit_code == 10 and not (tmp_path / "dist").exists()
    invoke(tmp_path, "bundle")
    assert invoke(tmp_path, "bundle", "--check").exit_code == 0


def test_fail_on_change_writes_only_changed_bytes_and_says_so(tmp_path):
    make_project(tmp_path)
    first = invoke(tmp_path, "bundle", "--fail-on-change")
    assert first.exit_code == 10 and "rewrote" in first.stderr
    bundle = tmp_path / "dist" / "app.py"
    stamp = bundle.stat().st_mtime_ns
    assert invoke(tmp_path, "bundle", "--fail-on-change").exit_code == 0
    assert bundle.stat().st_mtime_ns == stamp


def outputs(path: Path) -> dict:
    return dict(re.findall(r"^([\w-]+)=(.*)$", path.read_text(), re.M))


def test_action_steps_write_outputs_and_a_summary(tmp_path):
    make_project(tmp_path)
    env = {
        "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "INPUT_ENTRY": "",
        "INPUT_OUTPUT": "",
        "INPUT_CONFIG": "",
    }
    assert invoke(tmp_path, "action", "bundle", env=env).exit_code == 0
    found = outputs(tmp_path / "out.txt")
    assert found["bundle-path"] == str((tmp_path / "dist" / "app.py").resolve())
    assert found["module-path"] == ""
    assert found["module-count"] == "4" and len(found["bundle-sha256"]) == 64
    assert invoke(tmp_path, "action", "verify", env=env).exit_code == 0
    report = outputs(tmp_path / "out.txt")["report-path"]
    assert report.endswith("dist/app.verify.json") and Path(report).is_file()
    assert invoke(tmp_path, "action", "summary", env={**env, "INPUT_REPORT": report}).exit_code == 0
    assert "### cribo-ci verify: ✅ verified" in (tmp_path / "summary.md").read_text()


def test_the_action_names_and_verifies_the_launcher_modes_module(tmp_path):
    make_project(tmp_path, extra="launcher = true\n")
    env = {"GITHUB_OUTPUT": str(tmp_path / "out.txt"), "INPUT_CONFIG": ""}
    assert invoke(tmp_path, "action", "bundle", env=env).exit_code == 0
    found = outputs(tmp_path / "out.txt")
    assert found["module-path"] == str((tmp_path / "dist" / "app_bundle.py").resolve())
    assert found["map-path"] == found["module-path"] + ".map"
    assert invoke(tmp_path, "action", "verify", env=env).exit_code == 0


def test_the_hooks_and_the_action_are_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    hooks = re.findall(r"^- id: (\S+)", (ROOT / ".pre-commit-hooks.yaml").read_text(), re.M)
    assert hooks == ["cribo-bundle", "cribo-verify", "cribo-fix"]
    assert all(f"id: {hook}" in readme for hook in hooks)
    action = (ROOT / "action.yml").read_text()
    inputs = re.findall(r"^  ([\w-]+):$", action.split("\noutputs:")[0], re.M)
    section = readme.split("## GitHub Action")[1]
    assert inputs and all(f"`{name}`" in section for name in inputs)
