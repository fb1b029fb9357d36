"""The exec-based baseline (``static-bundling = false``) runs like the original too."""

from __future__ import annotations

import dataclasses

import pytest

from cribo_ci.api import bundle_project
from harness import FIXTURES, load_fixture, run_bundle, run_unbundled

# A spread of what a bundle must get right: cycles, star imports, packages
# run with -m, pickling by qualified name, future annotations, exec'd names.
NAMES = (
    "circular_imports",
    "star_imports",
    "package_entry",
    "packages_and_pickle",
    "future_annotations",
    "exec_implicit_namespace",
)


@pytest.mark.parametrize("name", NAMES)
def test_baseline_bundle_runs_like_the_original(name, tmp_path):
    fixture = load_fixture(FIXTURES / name)
    expected = run_unbundled(fixture, tmp_path)
    config = dataclasses.replace(fixture.config(), static_bundling=False)
    bundle = tmp_path / "out" / fixture.bundle_name
    bundle.parent.mkdir()
    bundle.write_text(bundle_project(config).text, encoding="utf-8")
    actual = run_bundle(fixture, bundle, tmp_path, tmp_path / "audit.log")
    assert (actual.exit_code, actual.stdout, actual.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


def test_baseline_holds_sources_as_strings():
    fixture = load_fixture(FIXTURES / "circular_imports")
    text = bundle_project(dataclasses.replace(fixture.config(), static_bundling=False)).text
    assert "exec(compile(" in text
    assert "class _________:" not in text
