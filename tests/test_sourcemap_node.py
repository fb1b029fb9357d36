"""Our maps read by the reference reader, Mozilla's ``source-map`` (npm).

For every fixture: sampled positions (every word of every line no rewrite
touched) map to the right file, line and UTF-16 column, Mozilla and our own
decoder agree on them, and every original line is mapped. The package is
installed with npm into a cache folder, never into the repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_sourcemap import expected_positions, fixture_bundle

from cribo_ci.sourcemap import decode_sourcemap
from harness import all_fixtures

NODE_PROJECT = Path(__file__).parent / "support" / "node"
FIXTURES = all_fixtures()
pytestmark = pytest.mark.integration


def missing(tool: str):
    """CI installs node: there a missing tool is a failure, not a skip."""
    (pytest.fail if os.environ.get("CI") else pytest.skip)(f"{tool} is not installed")


@pytest.fixture(scope="session")
def node_checker() -> Path:
    """A folder with ``check_map.js`` and ``node_modules/source-map``, cached by
    the hash of package.json."""
    if not shutil.which("node") or not shutil.which("npm"):
        missing("node/npm")
    manifest = (NODE_PROJECT / "package.json").read_bytes()
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    folder = cache / "cribo-ci-tests" / f"node-{hashlib.sha256(manifest).hexdigest()[:12]}"
    if not (folder / "node_modules" / "source-map").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(NODE_PROJECT / "package.json", folder)
        command = ["npm", "install", "--no-audit", "--no-fund", "--silent"]
        subprocess.run(command, cwd=folder, check=True, timeout=300)
    shutil.copy(NODE_PROJECT / "check_map.js", folder)
    return folder / "check_map.js"


def mozilla_reads(checker: Path, sourcemap: str, queries: list) -> dict:
    request = json.dumps({"map": json.loads(sourcemap), "queries": queries})
    done = subprocess.run(
        ["node", str(checker)], input=request, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_mozilla_reads_our_map(fixture, tmp_path, node_checker):
    bundle = fixture_bundle(fixture, tmp_path)
    lines = bundle.text.split("\n")
    samples = [pair for span in bundle.spans for pair in expected_positions(span, lines)]
    answer = mozilla_reads(node_checker, bundle.sourcemap, [list(where) for where, _ in samples])
    assert [tuple(found) for found in answer["positions"]] == [want for _, want in samples]
    ours = decode_sourcemap(bundle.sourcemap)
    for (line, column), _ in samples:
        found = ours.original_position(line, column)
        assert found is not None
    for span in bundle.spans:
        assert answer["mappedLines"][span.relpath] == list(range(1, span.line_count + 1))
        assert unmapped_lines(span) == [], "only blank lines or a rewrite's tail may go unmapped"


def unmapped_lines(span) -> list[int]:
    """Original lines past the span that hold text outside every edit (a rewrite
    padded with backslash continuations may end before the module's last line)."""
    lines = span.original.split("\n")
    starts = [sum(len(line) + 1 for line in lines[:index]) for index in range(len(lines))]
    return [
        number
        for number in range(span.line_count + 1, len(lines) + 1)
        if lines[number - 1].strip()
        and not any(e.start < starts[number - 1] <= e.end for e in span.edits)
    ]
