"""Edits on a module's text that never change its line count.

Every original line keeps exactly one line in the bundle, so the source map
is a per-module line offset plus small column shifts on rewritten lines.
A replacement that is shorter in lines than what it replaces is padded with
backslash continuations, which join the rest of the last line back on.
"""

from __future__ import annotations

from typing import Iterable

from ..model import Edit


def make_edit(text: str, start: int, end: int, replacement: str) -> Edit:
    """An edit of ``text[start:end]`` padded to the same number of lines."""
    missing = text.count("\n", start, end) - replacement.count("\n")
    if missing > 0:
        replacement += " \\\n" * missing
    return Edit(start, end, replacement)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits; they are sorted here, so order does not matter."""
    pieces = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def drop_nested(edits: Iterable[Edit]) -> tuple[Edit, ...]:
    """Keep the outermost of overlapping edits (an annotation inside another)."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, -e.end)):
        if kept and edit.start < kept[-1].end:
            continue
        kept.append(edit)
    return tuple(kept)
