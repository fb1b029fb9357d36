"""Build a Source Map v3 from where the linker put each module (``LineSpan``).

Nothing is re-derived by parsing the bundle: original line L of a span is
bundle line ``bundle_line + L - 1``; its columns move by the holder's indent
(unless the line was left verbatim) and by the edits applied before it on
the same line. A position inside an edit maps to the edit's start. Segments
sit at the start of every word and punctuation run, so column lookups are
exact at token granularity. Runtime lines get no segments.
"""

from __future__ import annotations

import bisect
import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..model import Edit, LineSpan, MappingChunk
from ..transform import apply_edits
from .mappings import Segment, encode_chunk, join_chunks

TOKEN_START = re.compile(r"\w+|[^\w\s]+")


@dataclass(frozen=True)
class SourceMap:
    """The fields of a v3 map; ``to_json`` gives the deterministic file text."""

    file: str
    sources: tuple[str, ...]
    sources_content: Optional[tuple[str, ...]]  # each one already a JSON string (json_string)
    mappings: str

    def to_json(self) -> str:
        """Joined by hand so the sources' JSON, the bulk of it, can come from the cache;
        in one join: a map is megabytes, and a string joined in between is a copy more."""
        head = {"version": 3, "file": self.file, "sourceRoot": "", "sources": list(self.sources)}
        parts = [json_string(head)[:-1]]
        if self.sources_content is not None:
            parts.append(',"sourcesContent":[')
            for index, content in enumerate(self.sources_content):
                parts += (",", content) if index else (content,)
            parts.append("]")
        parts += [',"names":[],"mappings":"', self.mappings, '"}\n']  # Base64, ",", ";"
        return "".join(parts)


def json_string(value) -> str:
    """ASCII (non-ASCII as ``\\u`` escapes): one emoji in one source would
    otherwise widen the whole map text to four bytes a character."""
    return json.dumps(value, separators=(",", ":"))


def utf16_column(line: str, column: int) -> int:
    """Code points -> UTF-16 code units (astral characters count two)."""
    if line.isascii():  # the common case, and it keeps long lines linear
        return column
    return column + sum(1 for char in line[:column] if ord(char) > 0xFFFF)


class EditShift:
    """Original offsets -> offsets in the edited text (before indentation)."""

    def __init__(self, edits: Sequence[Edit]):
        self.edits = sorted(edits, key=lambda edit: edit.start)
        self.ends = [edit.end for edit in self.edits]
        self.deltas = [0]
        for edit in self.edits:
            self.deltas.append(self.deltas[-1] + len(edit.replacement) - (edit.end - edit.start))

    def inside(self, offset: int) -> bool:
        index = bisect.bisect_right(self.ends, offset)
        return index < len(self.edits) and self.edits[index].start < offset

    def shifted(self, offset: int) -> int:
        """An insertion at ``offset`` lands before the original text there."""
        index = bisect.bisect_right(self.ends, offset)
        if index < len(self.edits) and self.edits[index].start < offset:
            offset = self.edits[index].start
        return offset + self.deltas[index]


def line_starts(text: str) -> list[int]:
    return [0] + [match.end() for match in re.finditer("\n", text)]


def module_chunk(span: LineSpan, body: Sequence[str]) -> MappingChunk:
    """One module's mappings from its body lines as the bundle holds them."""
    chunk = encode_chunk(segments_by_line(span, body))
    return dataclasses.replace(chunk, content=json_string(span.original))


def segments_by_line(span: LineSpan, body: Sequence[str]) -> list[list[Segment]]:
    """Each body line's segments (source index 0)."""
    original = span.original
    edited = apply_edits(original, span.edits)
    shift = EditShift(span.edits)
    starts, edited_starts = line_starts(original), line_starts(edited)
    original_lines, edited_lines = original.split("\n"), edited.split("\n")
    edge_offsets = edit_edges_by_line(span, starts)
    touched = lines_under_edits(span, starts)
    lines = []
    for index in range(span.line_count):
        generated, edited_line = body[index], edited_lines[index]
        line = original_lines[index] if index < len(original_lines) else ""
        if (
            index not in touched
            and line.isascii()
            and generated.isascii()
            and not edited_line.startswith("\f")
        ):
            # The fast path for nearly every line: columns only move by the indent.
            # A blank line's one segment is at its end (where its content would start).
            moved = 0 if index + 1 in span.unindented else span.indent
            columns = [match.start() for match in TOKEN_START.finditer(line)] or [len(line)]
            lines.append([(column + moved, 0, index, column) for column in columns])
            continue
        to_bundle = column_in_bundle(span, index, edited_line, generated)
        pairs = {to_bundle(first_content(edited_line)): first_content(line)}
        for offset in boundaries(starts[index], line, edge_offsets.get(index, ()), shift):
            column = shift.shifted(offset) - edited_starts[index]
            pairs.setdefault(to_bundle(column), offset - starts[index])
        lines.append(
            [
                (utf16_column(generated, column), 0, index, utf16_column(line, original_column))
                for column, original_column in sorted(pairs.items())
            ]
        )
    return lines


def lines_under_edits(span: LineSpan, starts: list[int]) -> set[int]:
    """0-based original lines that an edit starts on, ends on or spans."""
    lines: set[int] = set()
    for edit in span.edits:
        first = bisect.bisect_right(starts, edit.start) - 1
        last = bisect.bisect_right(starts, edit.end) - 1
        lines.update(range(first, last + 1))
    return lines


def edit_edges_by_line(span: LineSpan, starts: list[int]) -> dict[int, list[int]]:
    """Both ends of every edit, by the 0-based original line they lie on."""
    edges: dict[int, list[int]] = {}
    for edit in span.edits:
        for offset in (edit.start, edit.end):
            edges.setdefault(bisect.bisect_right(starts, offset) - 1, []).append(offset)
    return edges


def boundaries(line_start: int, line: str, edges: Sequence[int], shift: EditShift) -> list[int]:
    """Offsets on one original line that get a segment: token starts outside
    edits, and both ends of every edit touching the line."""
    offsets = [line_start + match.start() for match in TOKEN_START.finditer(line)]
    offsets += edges
    return [offset for offset in offsets if not shift.inside(offset)]


def first_content(line: str) -> int:
    return len(line) - len(line.lstrip())


def column_in_bundle(span: LineSpan, index: int, edited_line: str, generated: str):
    """Edited-text columns -> bundle columns on this line (code points)."""
    if index + 1 in span.unindented:
        return lambda column: column
    dropped = len(edited_line) - len(edited_line.lstrip("\f"))  # the linker drops form feeds
    return lambda column: span.indent + max(column - dropped, 0)


def build_sourcemap(
    bundle_text: str, spans: Sequence[LineSpan], file: str, sources_content: bool = True
) -> SourceMap:
    """The map of a bundle's text, given where each module landed."""
    bundle_lines = bundle_text.split("\n")
    chunks = [module_chunk(span, body_lines(span, bundle_lines)) for span in spans]
    return joined_sourcemap(spans, chunks, file, sources_content)


def joined_sourcemap(
    spans: Sequence[LineSpan], chunks: Sequence[MappingChunk], file: str, sources_content: bool
) -> SourceMap:
    """The map from each span's ``module_chunk``, as the linker keeps them."""
    return SourceMap(
        file=file,
        sources=tuple(span.relpath for span in spans),
        sources_content=tuple(chunk.content for chunk in chunks) if sources_content else None,
        mappings=join_chunks([(span.bundle_line - 1, chunk) for span, chunk in zip(spans, chunks)]),
    )


def body_lines(span: LineSpan, bundle_lines: Sequence[str]) -> Sequence[str]:
    return bundle_lines[span.bundle_line - 1 : span.bundle_line - 1 + span.line_count]
