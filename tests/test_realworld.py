"""Real packages bundled as first-party code run alike bundled and unbundled.

Each scenario (tests/realworld/<name>/) is bundled once, by this interpreter,
then run on every Python in ``PYTHONS`` that pyenv has: the unbundled project
and the bundle alone must give the same exit code, stdout and stderr, and the
bundle must never compile or exec its own code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from realworld.runner import (
    PYTHONS,
    all_scenarios,
    assemble,
    bundle_scenario,
    interpreter,
    run_alone,
    run_unbundled,
)

pytestmark = pytest.mark.integration
SCENARIOS = all_scenarios()
CASES = [(s, v) for s in SCENARIOS for v in PYTHONS]


@pytest.fixture(scope="session")
def bundled(tmp_path_factory):
    """Scenario name -> (project folder, bundle file), made once per session."""
    made = {}

    def make(scenario):
        if scenario.name not in made:
            workdir = tmp_path_factory.mktemp(scenario.name)
            project = assemble(scenario, workdir / "project")
            bundle = workdir / "out" / "main.py"
            bundle_scenario(scenario, project, bundle)
            made[scenario.name] = (project, bundle)
        return made[scenario.name]

    return make


def python_for(version: str) -> str:
    python = interpreter(version)
    if python is None:
        # CI installs every version: there a missing one is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"no Python {version} in pyenv")
    return python


@pytest.mark.parametrize(("scenario", "version"), CASES, ids=[f"{s.name}-py{v}" for s, v in CASES])
def test_real_package_runs_alike_bundled(scenario, version, bundled, tmp_path):
    if tuple(map(int, version.split("."))) < scenario.min_python:
        pytest.skip(f"{scenario.name} needs Python {scenario.min_python}")
    python = python_for(version)
    project, bundle = bundled(scenario)
    expected = run_unbundled(project, python)
    actual, audit = run_alone(bundle, tmp_path, python)
    assert expected.stdout, "a scenario must print what it checks"
    assert (actual.exit_code, actual.stdout, actual.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )
    assert audit == "", f"the bundle compiled or exec'd its own code:\n{audit}"


def test_every_scenario_is_in_the_readme():
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    suite = readme.partition("## Real-world suite")[2]
    assert len(SCENARIOS) >= 10
    assert [s.name for s in SCENARIOS if f"| `{s.name}` |" not in suite] == []
