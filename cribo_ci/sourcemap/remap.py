"""Rewrite a traceback printed by a bundle (say, from a production log) into
original locations, with the bundle's map: the offline twin of
``runtime/tracebacks.py``. A frame is found wherever its ``File "...", line N,
in name`` sits in a line: after a log's prefix (time, level) as well as at the
start, so the prefix stays and the rest is remapped.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Optional

from .lookup import DecodedMap, OriginalPosition

FRAME = re.compile(r'^(?P<indent>.*?)File "(?P<path>.+)", line (?P<line>\d+), in (?P<name>.+)$')
IMPORTLIB = '"<frozen importlib._bootstrap'
RUNTIME_BODY = "_________"


@dataclass(frozen=True)
class Block:
    """A frame (its ``File`` line and the source/caret lines under it), or a plain line.

    Frames of exception groups (3.11+) carry a margin of spaces and ``|``; a
    log's lines, a prefix. The margin is kept as it was.
    """

    lines: tuple[str, ...]

    @property
    def frame(self) -> Optional[re.Match]:
        return FRAME.match(self.lines[0])


def blocks(text: str) -> list[Block]:
    found: list[list[str]] = []
    for line in text.split("\n"):
        header = found[-1][0] if found else ""
        match = FRAME.match(header)
        deeper = match and line.startswith(match["indent"] + "  ") and not FRAME.match(line)
        if deeper:
            found[-1].append(line)
        else:
            found.append([line])
    return [Block(tuple(lines)) for lines in found]


def original_text(decoded: DecodedMap, position: OriginalPosition) -> Optional[str]:
    if decoded.sources_content is None:
        return None
    content = decoded.sources_content[decoded.sources.index(position.source)] or ""
    lines = content.split("\n")
    return lines[position.line - 1].strip() if position.line <= len(lines) else None


def remapped(block: Block, decoded: DecodedMap) -> Optional[Block]:
    """The frame in original terms; None for a runtime frame (dropped)."""
    match = block.frame
    if match is None or posixpath.basename(match["path"].replace("\\", "/")) != decoded.file:
        return block
    position = decoded.original_position(int(match["line"]))
    if position is None:
        return None
    folder = match["path"][: len(match["path"]) - len(decoded.file)]
    name = "<module>" if match["name"] == RUNTIME_BODY else match["name"]
    header = f'{match["indent"]}File "{folder}{position.source}", line {position.line}, in {name}'
    source = original_text(decoded, position)
    rest = list(block.lines[1:])
    if rest and source is not None:
        rest[0] = match["indent"] + "  " + source  # as traceback prints it
    return Block((header, *rest))


def remap_traceback(text: str, decoded: DecodedMap) -> str:
    return remap_counting(text, decoded)[0]


def remap_counting(text: str, decoded: DecodedMap) -> tuple[str, int]:
    """The remapped text, and how many of its frames now name original files."""
    kept: list[Block] = []
    count = 0
    for block in blocks(text):
        mapped = remapped(block, decoded)
        count += mapped is not None and mapped is not block  # runtime frames are dropped
        if mapped is not None:
            kept.append(mapped)
            continue
        while kept and kept[-1].frame and IMPORTLIB in kept[-1].lines[0]:
            kept.pop()  # importlib frames that led into the runtime's loader
    return "\n".join(line for block in kept for line in block.lines), count
