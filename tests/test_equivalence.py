"""The heart of the suite: every fixture runs alike unbundled and as a bundle alone."""

from __future__ import annotations

import sys

import pytest

from harness import all_fixtures, build_bundle, run_bundle, run_unbundled

FIXTURES = all_fixtures()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_bundle_runs_like_the_original(fixture, tmp_path):
    if sys.version_info < fixture.min_python:
        pytest.skip(f"needs Python {'.'.join(map(str, fixture.min_python))}")
    expected = run_unbundled(fixture, tmp_path)
    bundle = tmp_path / "out" / "bundle.py"
    build_bundle(fixture, bundle)
    audit_log = tmp_path / "audit.log"
    actual = run_bundle(fixture, bundle, tmp_path, audit_log)
    assert (actual.exit_code, actual.stdout, actual.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )
    assert expected.stdout, "a fixture must print what it checks"
    violations = audit_log.read_text() if audit_log.exists() else ""
    assert violations == "", f"the bundle compiled or exec'd its own code:\n{violations}"
