"""Our maps read by a second, independent reader: Sentry's ``symbolic`` (the
Rust ``sourcemap`` crate behind a Python API), as Mozilla's reader does in
``test_sourcemap_node.py``.

For every fixture: every word of every line no rewrite touched maps to the
right file, line and UTF-16 column, and each source's embedded content is
the original text.
"""

from __future__ import annotations

import os

import pytest
from test_sourcemap import expected_positions, fixture_bundle

from harness import all_fixtures

FIXTURES = all_fixtures()
pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def symbolic_view():
    try:
        from symbolic.sourcemap import SourceMapView
    except ImportError:  # CI installs the test extra: there it is a failure
        (pytest.fail if os.environ.get("CI") else pytest.skip)("symbolic is not installed")
    return SourceMapView


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_symbolic_reads_our_map(fixture, tmp_path, symbolic_view):
    bundle = fixture_bundle(fixture, tmp_path)
    view = symbolic_view.from_json_bytes(bundle.sourcemap.encode("utf-8"))
    lines = bundle.text.split("\n")
    samples = [pair for span in bundle.spans for pair in expected_positions(span, lines)]
    assert samples or not any(span.original.strip() for span in bundle.spans)
    for (line, column), expected in samples:
        token = view.lookup(line - 1, column)  # symbolic counts from 0
        assert token is not None, (line, column)
        assert (token.src, token.src_line + 1, token.src_col) == expected
    contents = {  # symbolic gives None for an empty source (empty __init__.py)
        view.get_source_name(i): view.get_source_contents(i) or "" for i in range(view.source_count)
    }
    assert contents == {span.relpath: span.original for span in bundle.spans}
