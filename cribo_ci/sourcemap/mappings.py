"""The ``mappings`` field: lines of segments, each field relative to the one before.

A segment here is absolute and 0-based: ``(generated_column, source_index,
original_line, original_column)``, columns in UTF-16 code units. Generated
columns restart at every line; the other fields run on across lines.
"""

from __future__ import annotations

from typing import Sequence

from .vlq import MappingsError, decode_numbers, encode_numbers

Segment = tuple[int, int, int, int]


def encode_mappings(lines: Sequence[Sequence[Segment]]) -> str:
    source = line = column = 0  # these run on across lines
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
