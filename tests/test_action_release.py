"""Publishing under act: on a tag push (or ``release: true``) the Action attaches
the artifact, its ``SHA256SUMS`` and the verify report to the tag's GitHub
Release and attests their provenance; on any other push it publishes nothing.

The GitHub CLI is the stand-in ``tests/support/act/bin/gh`` (first on PATH):
it records every call and keeps each release's files. The attestation action
is the stand-in ``tests/support/act/attest-build-provenance``: it records its
``subject-path`` input and each subject's digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from test_action import STAND_INS, act_repository, run_act

from harness import write_project

RELEASE_WORKFLOW = STAND_INS / "release.yml"
TOKEN = "stand-in-token-4242"  # act masks secrets in its log: a value nothing else contains


def publish(tmp_path: Path, prepare=None, tag: str = "", **env: str) -> tuple[Path, str]:
    """Run the release workflow (on a push of ``tag``, else of a branch); return the
    stand-ins' records folder and act's log."""
    repo = act_repository(tmp_path / "repo", RELEASE_WORKFLOW, prepare)
    args = ["--secret", f"GITHUB_TOKEN={TOKEN}"]
    if tag:
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"ref": f"refs/tags/{tag}"}))
        args += ["--eventpath", str(event)]
    records = tmp_path / "records"
    variables = {"PROJECT": "examples/app", "GH_STAND_IN": str(STAND_INS / "bin"), **env}
    code, log = run_act(repo, records, *args, **variables)
    assert code == 0 and "Job succeeded" in log, log[-4000:]
    return records, log


def gh_calls(records: Path) -> list[dict]:
    return [json.loads(line) for line in (records / "gh-calls.jsonl").read_text().splitlines()]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_published(records: Path, tag: str, names: list[str]) -> None:
    """The release holds exactly ``names`` and SHA256SUMS; the sums are theirs; the
    attestation covers exactly the same files, SHA256SUMS included."""
    released = records / "releases" / tag
    assert sorted(path.name for path in released.iterdir()) == sorted([*names, "SHA256SUMS"])
    sums = (released / "SHA256SUMS").read_text()
    assert sums == "".join(f"{sha256(released / name)}  {name}\n" for name in sorted(names))
    attested = (records / "attested.txt").read_text().splitlines()
    everything = sorted([*names, "SHA256SUMS"])
    assert sorted(attested) == sorted(f"{sha256(released / name)}  {name}" for name in everything)
    subjects = (records / "subject-path.txt").read_text().split()
    assert all(Path(subject).is_absolute() for subject in subjects)
    assert sorted(Path(subject).name for subject in subjects) == everything
    outputs = dict(re.findall(r"^([\w-]+)=(.*)$", (records / "outputs.txt").read_text(), re.M))
    assert outputs["release-tag"] == tag


@pytest.mark.integration
def test_a_tag_push_creates_the_release_with_the_files_their_sums_and_provenance(tmp_path):
    records, log = publish(tmp_path, tag="v1.2.0")
    names = ["app.py", "app.py.map", "app.meta.json", "app.meta.html", "app.verify.json"]
    assert_published(records, "v1.2.0", names)
    view, create = gh_calls(records)
    assert view["argv"] == ["release", "view", "--json", "tagName", "--", "v1.2.0"]
    flags, files = create["argv"][:5], create["argv"][5:]
    assert flags == ["release", "create", "--verify-tag", "--generate-notes", "--"]
    assert files[0] == "v1.2.0"
    assert sorted(Path(name).name for name in files[1:]) == sorted([*names, "SHA256SUMS"])
    # The token reaches gh through the environment, and gh is told the repository.
    assert all(call["token"] == TOKEN and call["repo"] for call in (view, create))
    assert "attached 6 files to the release v1.2.0 (created)" in log, log[-4000:]


LAUNCHER_APP = {
    "demo/main.py": "from words import shout\n\nprint(shout('ready'))\n",
    "demo/words.py": "def shout(text):\n    return text.upper() + '!'\n",
    "demo/pyproject.toml": '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n'
    "launcher = true\n",
}


def write_launcher_app(repo: Path) -> None:
    write_project(repo, LAUNCHER_APP)


@pytest.mark.integration
def test_release_true_attaches_the_launchers_files_to_an_existing_release(tmp_path):
    """A branch push asking for it, to the release a maintainer already drafted."""
    records, _ = publish(
        tmp_path, write_launcher_app, PROJECT="demo", RELEASE="true", RELEASE_TAG="v2.0.0",
        GH_STAND_IN_RELEASES="v2.0.0",
    )  # fmt: skip
    # The code cache of the Python that bundled (3.11, the workflow's), and the reports.
    names = ["app.py", "app_bundle.py", "app_bundle.py.map", "app_bundle.cpython-311.cribo"]
    names += ["app.meta.json", "app.meta.html", "app.verify.json"]
    assert_published(records, "v2.0.0", names)
    view, upload = gh_calls(records)
    assert view["argv"] == ["release", "view", "--json", "tagName", "--", "v2.0.0"]
    assert upload["argv"][:4] == ["release", "upload", "--clobber", "--"]
    assert upload["argv"][4] == "v2.0.0"
    assert sorted(Path(name).name for name in upload["argv"][5:]) == sorted([*names, "SHA256SUMS"])


@pytest.mark.integration
def test_a_branch_push_publishes_nothing(tmp_path):
    records, log = publish(tmp_path)
    assert not (records / "gh-calls.jsonl").exists()
    assert not (records / "attested.txt").exists()
    assert not (records / "releases").exists()
    outputs = dict(re.findall(r"^([\w-]+)=(.*)$", (records / "outputs.txt").read_text(), re.M))
    assert outputs["release-tag"] == ""
    assert "not publishing: not a tag push (set `release: true` to publish)" in log


def readme_release_workflow(folder: Path) -> Path:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    example = readme.split("# .github/workflows/release.yml\n")[1].split("```")[0]
    path = folder / ".github" / "workflows" / "release.yml"
    path.parent.mkdir(parents=True)
    path.write_text(example)
    return path


def test_the_readme_release_workflow_is_valid_and_zizmor_finds_nothing(tmp_path):
    from test_action import run, tool

    workflow = readme_release_workflow(tmp_path)
    checked = run(
        tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    audited = run(tool("zizmor"), "--offline", "--no-progress", str(workflow))
    assert audited.returncode == 0 and "No findings" in audited.stdout + audited.stderr, (
        audited.stdout + audited.stderr
    )
