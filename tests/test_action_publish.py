"""The Action's release steps through the CLI: ``action release-files`` decides
whether a run publishes and writes ``SHA256SUMS``; ``action release`` attaches
the files with ``gh`` (the stand-in of ``tests/support/act/bin``, first on
PATH). The whole Action publishes under act in ``test_action_release.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from test_action import STAND_INS
from test_action_steps import action_env
from test_verify import make_project
from test_verify_cli import invoke

WITH_GH = f"{STAND_INS / 'bin'}{os.pathsep}{os.environ['PATH']}"  # the stand-in gh first


def multiline_outputs(path: Path) -> dict:
    """``$GITHUB_OUTPUT`` read as GitHub reads it: ``name=value`` and ``name<<END``."""
    found, lines = {}, iter(path.read_text().splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<")[0]:
            name, end = line.split("<<")
            found[name] = "\n".join(iter(lambda: next(lines), end))
        else:
            name, _, value = line.partition("=")
            found[name] = value
    return found


def bundle_outputs(folder: Path) -> dict:
    """The test project bundled by ``action bundle``; its outputs."""
    make_project(folder)
    assert invoke(folder, "action", "bundle", env=action_env(folder)).exit_code == 0
    return multiline_outputs(folder / "out.txt")


def release_files_step(folder: Path, found: dict, ref: str = "branch/main", **inputs: str):
    """``action release-files`` after a push of ``ref`` (``type/name``)."""
    ref_type, ref_name = ref.split("/")
    env = {
        **action_env(folder, **inputs),
        "GITHUB_OUTPUT": str(folder / "release.txt"),
        "GITHUB_REF_TYPE": ref_type,
        "GITHUB_REF_NAME": ref_name,
        "INPUT_ARTIFACT_PATHS": found["artifact-paths"],
    }
    return invoke(folder, "action", "release-files", env=env)


def test_the_bundle_step_lists_every_file_of_the_artifact(tmp_path):
    make_project(tmp_path, extra="launcher = true\n")
    assert invoke(tmp_path, "action", "bundle", env=action_env(tmp_path)).exit_code == 0
    listed = multiline_outputs(tmp_path / "out.txt")["artifact-paths"].splitlines()
    dist = (tmp_path / "dist").resolve()
    cache = f"app_bundle.cpython-{sys.version_info[0]}{sys.version_info[1]}.cribo"
    names = [
        "app.py",
        "app_bundle.py",
        "app_bundle.py.map",
        cache,
        "app.meta.json",
        "app.meta.html",
    ]
    assert sorted(listed) == sorted(str(dist / name) for name in names)


def test_a_branch_push_publishes_nothing_and_writes_nothing(tmp_path):
    found = bundle_outputs(tmp_path)
    result = release_files_step(tmp_path, found)
    assert result.exit_code == 0, result.output
    assert "not publishing: not a tag push (set `release: true` to publish)" in result.stdout
    assert multiline_outputs(tmp_path / "release.txt") == {"release-tag": "", "release-files": ""}
    assert not (tmp_path / "dist" / "SHA256SUMS").exists()


def test_release_false_publishes_nothing_on_a_tag_push(tmp_path):
    found = bundle_outputs(tmp_path)
    result = release_files_step(tmp_path, found, "tag/v1.0.0", release="false")
    assert result.exit_code == 0 and "not publishing: 'release' is false" in result.stdout
    assert not (tmp_path / "dist" / "SHA256SUMS").exists()


def test_a_tag_push_writes_sha256sums_that_sha256sum_checks(tmp_path):
    found = bundle_outputs(tmp_path)
    report = tmp_path / "dist" / "app.verify.json"
    report.write_text("{}\n")
    result = release_files_step(tmp_path, found, "tag/v1.0.0", report=str(report))
    assert result.exit_code == 0, result.output
    released = multiline_outputs(tmp_path / "release.txt")
    assert released["release-tag"] == "v1.0.0"
    dist = (tmp_path / "dist").resolve()
    names = ["app.py", "app.py.map", "app.meta.json", "app.meta.html", "app.verify.json"]
    listed = released["release-files"].splitlines()
    assert sorted(listed[:-1]) == sorted(str(dist / name) for name in names)
    assert listed[-1] == str(dist / "SHA256SUMS")
    sums = (dist / "SHA256SUMS").read_text()
    assert [line.split("  ")[1] for line in sums.splitlines()] == sorted(names)
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True)
    assert check.returncode == 0 and check.stdout.count(b": OK") == 5, check
    (dist / "app.py").write_text("# changed\n")
    assert subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True
    ).returncode


def test_release_true_needs_a_tag_off_a_tag_push(tmp_path):
    found = bundle_outputs(tmp_path)
    result = release_files_step(tmp_path, found, release="true")
    assert result.exit_code == 3
    assert "name the release's tag in 'release-tag'" in result.stderr
    named = release_files_step(tmp_path, found, release="true", release_tag="v3.1.0")
    assert named.exit_code == 0 and "release-tag=v3.1.0" in (tmp_path / "release.txt").read_text()


def test_an_unknown_release_value_is_a_configuration_error(tmp_path):
    found = bundle_outputs(tmp_path)
    result = release_files_step(tmp_path, found, "tag/v1.0.0", release="yes")
    assert (
        result.exit_code == 3 and "the 'release' input must be 'true' or 'false'" in result.stderr
    )


def test_two_files_of_one_name_are_refused_before_anything_is_written(tmp_path):
    found = bundle_outputs(tmp_path)
    elsewhere = tmp_path / "reports" / "app.py"
    elsewhere.parent.mkdir()
    elsewhere.write_text("{}\n")
    result = release_files_step(tmp_path, found, "tag/v1.0.0", report=str(elsewhere))
    assert result.exit_code == 1 and "a release holds one file per name" in result.stderr
    assert not (tmp_path / "dist" / "SHA256SUMS").exists()


def test_a_path_the_attestation_action_would_split_is_refused(tmp_path):
    found = bundle_outputs(tmp_path)
    odd = tmp_path / "dist" / "app,notes.json"
    odd.write_text("{}\n")
    result = release_files_step(tmp_path, found, "tag/v1.0.0", report=str(odd))
    assert result.exit_code == 1 and "its path holds ','" in result.stderr


def release(folder: Path, records: Path, tag: str, files: list, path: str, **env: str):
    records.mkdir(exist_ok=True)
    variables = {
        "PATH": path,
        "ARTIFACT_DIR": str(records),
        "GITHUB_TOKEN": "a-token",
        "GH_REPO": "owner/repo",
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "INPUT_RELEASE_TAG": tag,
        "INPUT_RELEASE_FILES": "\n".join(map(str, files)),
        **env,
    }
    return invoke(folder, "action", "release", env=variables)


def test_release_creates_the_release_then_a_rerun_replaces_its_files(tmp_path):
    files = [tmp_path / "app.py", tmp_path / "SHA256SUMS"]
    for path in files:
        path.write_text(f"{path.name}\n")
    records = tmp_path / "records"
    first = release(tmp_path, records, "v1.0.0", files, WITH_GH)
    assert first.exit_code == 0, first.output
    assert "attached 2 files to the release v1.0.0 (created)" in first.stdout
    files[0].write_text("rebuilt\n")
    again = release(tmp_path, records, "v1.0.0", files, WITH_GH)
    assert again.exit_code == 0 and "attached 2 files to the release v1.0.0\n" in again.stdout
    calls = [
        json.loads(line)["argv"] for line in (records / "gh-calls.jsonl").read_text().splitlines()
    ]
    names = [str(path) for path in files]
    assert calls == [
        ["release", "view", "--json", "tagName", "--", "v1.0.0"],
        ["release", "create", "--verify-tag", "--generate-notes", "--", "v1.0.0", *names],
        ["release", "view", "--json", "tagName", "--", "v1.0.0"],
        ["release", "upload", "--clobber", "--", "v1.0.0", *names],
    ]
    assert (records / "releases" / "v1.0.0" / "app.py").read_text() == "rebuilt\n"
    assert (
        "attached 2 files to the release v1.0.0: `app.py`, `SHA256SUMS`"
        in (tmp_path / "summary.md").read_text()
    )


def test_a_failing_gh_fails_the_step_with_its_exit_code(tmp_path):
    """As a job without `contents: write` sees it."""
    (tmp_path / "app.py").write_text("print()\n")
    records = tmp_path / "records"
    files = [tmp_path / "app.py"]
    result = release(tmp_path, records, "v1.0.0", files, WITH_GH, GH_STAND_IN_DENY="1")
    assert result.exit_code == 1, result.output
    assert "attaching the files to the release v1.0.0 failed (gh exit code 1)" in result.stderr
    assert not (records / "releases").exists() and not (tmp_path / "summary.md").exists()


def test_without_gh_the_step_says_so(tmp_path):
    (tmp_path / "app.py").write_text("print()\n")
    result = release(tmp_path, tmp_path / "records", "v1.0.0", [tmp_path / "app.py"], "/nowhere")
    assert result.exit_code == 1 and "cannot run gh (the GitHub CLI)" in result.stderr
