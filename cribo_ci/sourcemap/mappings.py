"""The ``mappings`` field: lines of segments, each field relative to the one before.

A segment here is absolute and 0-based: ``(generated_column, source_index,
original_line, original_column)``, columns in UTF-16 code units. Generated
columns restart at every line; the other fields run on across lines.
"""

from __future__ import annotations

from typing import Sequence

from ..model import MappingChunk
from .vlq import MappingsError, decode_numbers, encode_numbers

Segment = tuple[int, int, int, int]


def encode_mappings(lines: Sequence[Sequence[Segment]]) -> str:
    return encode_lines(lines, (0, 0, 0))


def encode_lines(lines: Sequence[Sequence[Segment]], state: tuple[int, int, int]) -> str:
    """``state``: the (source, original line, original column) the first
    segment is relative to; these run on across lines."""
    source, line, column = state
    encoded_lines = []
    known: dict[tuple[int, int, int, int], str] = {}  # few distinct deltas recur a lot
    for segments in lines:
        generated = 0  # this one restarts at every line
        encoded = []
        for g, s, o, c in segments:
            delta = (g - generated, s - source, o - line, c - column)
            text = known.get(delta)
            if text is None:
                text = known[delta] = encode_numbers(delta)
            encoded.append(text)
            generated, source, line, column = g, s, o, c
        encoded_lines.append(",".join(encoded))
    return ";".join(encoded_lines)


def encode_chunk(lines: Sequence[Sequence[Segment]]) -> MappingChunk:
    """One source's lines of segments (all with source index 0), encoded
    wherever they land: only the first segment depends on what comes before
    it, so it stays numbers until ``join_chunks`` places the chunk."""
    lead = next((index for index, segments in enumerate(lines) if segments), None)
    if lead is None:
        return MappingChunk()
    g, _, o, c = lines[lead][0]
    text = encode_lines(lines[lead:], (0, o, c)).rstrip(";")  # trailing lines map nothing
    last = next(segments[-1] for segments in reversed(lines) if segments)
    return MappingChunk(
        lead=lead,
        first=(g, o, c),
        rest=text[len(encode_numbers((g, 0, 0, 0))) :],
        newlines=text.count(";"),
        last=(last[2], last[3]),
    )


def join_chunks(placed: Sequence[tuple[int, MappingChunk]]) -> str:
    """The ``mappings`` of chunks at their 0-based first bundle lines, in
    order; a chunk's place in the sequence is its source index."""
    parts = []
    line = source = original_line = original_column = 0
    for index, (start, chunk) in enumerate(placed):
        if chunk.first is None:
            continue
        g, o, c = chunk.first
        parts += [
            ";" * (start + chunk.lead - line),
            encode_numbers((g, index - source, o - original_line, c - original_column)),
            chunk.rest,
        ]
        line = start + chunk.lead + chunk.newlines
        source, (original_line, original_column) = index, chunk.last
    return "".join(parts)


def decode_mappings(text: str) -> list[list[Segment]]:
    """Every generated line's segments; one-field (unmapped) segments are dropped."""
    state = [0, 0, 0, 0]
    lines: list[list[Segment]] = []
    for line in text.split(";") if text else ():  # "" is no line, not one empty line
        state[0] = 0
        segments: list[Segment] = []
        for piece in filter(None, line.split(",")):
            fields = decode_numbers(piece)
            if len(fields) not in (1, 4, 5):
                raise MappingsError(f"a segment has 1, 4 or 5 fields, not {len(fields)}")
            state = [value + delta for value, delta in zip(state, fields)] + state[len(fields) :]
            if len(fields) > 1:
                segments.append((state[0], state[1], state[2], state[3]))
        lines.append(segments)
    return lines
