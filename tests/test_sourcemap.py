"""Source Map v3: the VLQ codec round-trips, and every bundled fixture's map
sends each token of each original line back to its file, line and column."""

from __future__ import annotations

import json
import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cribo_ci.api import bundle_project
from cribo_ci.model import Bundle, Edit, LineSpan
from cribo_ci.sourcemap import build_sourcemap, decode_sourcemap, utf16_column
from cribo_ci.sourcemap.lookup import map_from_comment
from cribo_ci.sourcemap.mappings import (
    decode_mappings,
    encode_chunk,
    encode_mappings,
    join_chunks,
)
from cribo_ci.sourcemap.vlq import MappingsError, decode_numbers, encode_numbers
from harness import all_fixtures

FIXTURES = all_fixtures()
WORD = re.compile(r"\w+")
numbers = st.integers(min_value=-(2**31), max_value=2**31 - 1)


@given(st.lists(numbers))
def test_vlq_round_trips(values):
    assert decode_numbers(encode_numbers(values)) == values


segment = st.tuples(*[st.integers(0, 5000)] * 4)


@given(st.lists(st.lists(segment, max_size=6), max_size=8))
def test_mappings_round_trip(lines):
    lines = [sorted(segments) for segments in lines]
    while lines and not lines[-1]:  # trailing empty lines have no text of their own
        lines.pop()
    decoded = decode_mappings(encode_mappings(lines))
    assert decoded + [[]] * (len(lines) - len(decoded)) == lines


# Modules as runs of lines: (lines before it, its lines of (generated, line, column) segments).
module_lines = st.lists(st.lists(st.tuples(*[st.integers(0, 5000)] * 3), max_size=4), max_size=5)


@given(st.lists(st.tuples(st.integers(0, 3), module_lines), max_size=5))
def test_chunks_joined_equal_the_whole_map_encoded_at_once(modules):
    """Each module's chunk is encoded alone (and cached); joined, they must
    give exactly the text of encoding every line of the bundle in one go."""
    whole: list[list[tuple]] = []
    placed = []
    for source, (gap, lines) in enumerate(modules):
        whole += [[] for _ in range(gap)]
        own = [sorted(segments) for segments in lines]
        placed.append((len(whole), encode_chunk([[(g, 0, o, c) for g, o, c in s] for s in own])))
        whole += [[(g, source, o, c) for g, o, c in segments] for segments in own]
    while whole and not whole[-1]:
        whole.pop()
    assert join_chunks(placed) == encode_mappings(whole)


@pytest.mark.parametrize(
    ("values", "text"), [([0, 0, 16, 1], "AAgBC"), ([-1], "D"), ([1000], "w+B")]
)
def test_vlq_matches_the_spec_examples(values, text):
    assert encode_numbers(values) == text


@pytest.mark.parametrize("bad", ["!", "g", "AA,g"])
def test_vlq_rejects_garbage(bad):
    with pytest.raises(MappingsError):
        decode_mappings(bad)


def test_columns_count_utf16_code_units():
    line = 's = "é🔥"; x = 1'
    assert utf16_column(line, line.index("x")) == line.index("x") + 1  # 🔥 is two units


def bundle_for(lines: list[str], edits=(), unindented=frozenset()) -> tuple[str, LineSpan]:
    """A two-line runtime, then one module of ``lines`` indented by 8."""
    original = "\n".join(lines)
    from cribo_ci.transform import apply_edits

    edited = apply_edits(original, edits).split("\n")
    body = [text if n in unindented else " " * 8 + text for n, text in enumerate(edited, 1)]
    span = LineSpan("m.py", 3, len(lines), 8, frozenset(unindented), tuple(edits), original)
    return "\n".join(["# runtime", "def start(): pass", *body]), span


text_line = st.text(alphabet=st.sampled_from(list("ab_ 1=(),é🔥\"'")), max_size=30)


@given(st.lists(text_line, min_size=1, max_size=6))
def test_every_word_maps_back_exactly(lines):
    bundle, span = bundle_for(lines)
    decoded = decode_sourcemap(build_sourcemap(bundle, [span], "b.py").to_json())
    for number, line in enumerate(lines, start=1):
        for word in WORD.finditer(line):
            column = utf16_column(" " * 8 + line, word.start() + 8)
            found = decoded.original_position(number + 2, column)
            assert (found.line, found.column) == (number, utf16_column(line, word.start()))


def test_positions_inside_an_edit_map_to_its_start():
    lines = ["from m import *", "x = 1  # after"]
    bundle, span = bundle_for(lines, [Edit(0, 15, "__import__('_cribo').import_star(g)")])
    decoded = decode_sourcemap(build_sourcemap(bundle, [span], "b.py").to_json())
    assert decoded.original_position(3, 8 + 20).column == 0
    assert decoded.original_position(4, 8).line == 2
    assert decoded.lines[:2] == ((), ())  # the runtime maps to nothing


def test_sources_content_can_be_left_out():
    bundle, span = bundle_for(["x = 1"])
    data = json.loads(build_sourcemap(bundle, [span], "b.py", sources_content=False).to_json())
    assert "sourcesContent" not in data
    assert data["sources"] == ["m.py"] and data["version"] == 3 and data["file"] == "b.py"


def fixture_bundle(fixture, tmp_path, **settings) -> Bundle:
    from dataclasses import replace

    if sys.version_info < fixture.min_python:  # its syntax does not parse here
        pytest.skip(f"needs Python {'.'.join(map(str, fixture.min_python))}")
    config = replace(fixture.config(output=tmp_path / "bundle.py"), **settings)
    return bundle_project(config)


def expected_positions(span: LineSpan, bundle_lines: list[str]):
    """(bundle line, UTF-16 column) -> (source, line, UTF-16 column) for every word
    on lines no edit touched, worked out here without the builder."""
    touched = {span.original.count("\n", 0, edit.start) + 1 for edit in span.edits}
    touched |= {span.original.count("\n", 0, edit.end) + 1 for edit in span.edits}
    original = span.original.split("\n")
    for number in range(1, span.line_count + 1):
        line = original[number - 1]
        if number in touched or line.startswith("\f"):
            continue
        shift = 0 if number in span.unindented else span.indent
        generated = bundle_lines[span.bundle_line + number - 2]
        for word in WORD.finditer(line):
            where = (span.bundle_line + number - 1, utf16_column(generated, word.start() + shift))
            yield where, (span.relpath, number, utf16_column(line, word.start()))


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixture_maps_every_line_and_word(fixture, tmp_path):
    bundle = fixture_bundle(fixture, tmp_path)
    decoded = decode_sourcemap(bundle.sourcemap)
    bundle_lines = bundle.text.split("\n")
    assert bundle_lines[-2] == "# sourceMappingURL=bundle.py.map"
    for span in bundle.spans:
        for number in range(1, span.line_count + 1):
            found = decoded.original_position(span.bundle_line + number - 1)
            assert (found.source, found.line) == (span.relpath, number)
        for (line, column), expected in expected_positions(span, bundle_lines):
            found = decoded.original_position(line, column)
            assert (found.source, found.line, found.column) == expected


def test_sources_are_relative_and_content_is_the_original(tmp_path):
    fixture = next(f for f in FIXTURES if f.name == "error_nested_module")
    data = json.loads(fixture_bundle(fixture, tmp_path).sourcemap)
    assert data["sources"] == ["app/__init__.py", "app/rules.py", "app/service.py", "main.py"]
    assert data["sourcesContent"][1] == (fixture.folder / "app/rules.py").read_text()


def test_inline_map_is_the_file_map(tmp_path):
    fixture = next(f for f in FIXTURES if f.name == "error_nested_module")
    inline = fixture_bundle(fixture, tmp_path, sourcemap="inline")
    assert inline.sourcemap is None
    assert map_from_comment(inline.text) == fixture_bundle(fixture, tmp_path).sourcemap
