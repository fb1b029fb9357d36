"""Read a v3 map back and answer "where did this bundle position come from?"."""

from __future__ import annotations

import base64
import bisect
import json
from dataclasses import dataclass
from typing import Optional

from .mappings import Segment, decode_mappings
from .vlq import MappingsError

URL_PREFIX = "# sourceMappingURL="
DATA_URL = "data:application/json;charset=utf-8;base64,"


@dataclass(frozen=True)
class OriginalPosition:
    source: str
    line: int  # 1-based
    column: int  # 0-based, UTF-16 code units as in the map


@dataclass(frozen=True)
class DecodedMap:
    file: str
    sources: tuple[str, ...]
    sources_content: Optional[tuple[Optional[str], ...]]
    lines: tuple[tuple[Segment, ...], ...]  # by 0-based generated line

    def original_position(self, line: int, column: Optional[int] = None):
        """The segment at or left of (1-based ``line``, UTF-16 ``column``);
        without a column, the line's first segment. None where nothing maps."""
        segments = self.lines[line - 1] if 0 < line <= len(self.lines) else ()
        if not segments:
            return None
        if column is None:
            found = segments[0]
        else:
            index = bisect.bisect_right([segment[0] for segment in segments], column)
            if index == 0:
                return None
            found = segments[index - 1]
        return OriginalPosition(self.sources[found[1]], found[2] + 1, found[3])


def decode_sourcemap(text: str) -> DecodedMap:
    data = json.loads(text)
    if data.get("version") != 3 or not isinstance(data.get("mappings"), str):
        raise MappingsError("not a version 3 source map")
    root = data.get("sourceRoot") or ""
    sources = tuple(root.rstrip("/") + "/" + s if root else s for s in data["sources"])
    content = data.get("sourcesContent")
    return DecodedMap(
        file=data.get("file", ""),
        sources=sources,
        sources_content=tuple(content) if content is not None else None,
        lines=tuple(map(tuple, decode_mappings(data["mappings"]))),
    )


def inline_comment(map_text: str) -> str:
    """The last bundle line of ``--sourcemap=inline``: the map as a data URL."""
    return URL_PREFIX + DATA_URL + base64.b64encode(map_text.encode("utf-8")).decode("ascii")


def map_from_comment(bundle_text: str) -> Optional[str]:
    """The inline map of a bundle, if its last comment carries one."""
    last = bundle_text.rstrip("\n").rpartition("\n")[2]
    if last.startswith(URL_PREFIX + DATA_URL):
        return base64.b64decode(last[len(URL_PREFIX + DATA_URL) :]).decode("utf-8")
    return None
