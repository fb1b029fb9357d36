"""A stale bundle's difference, told per module: which were added, removed, changed.

A bundle holds each module in a top-level holder named ``_cribo_<hash>_<name>``
(a ``def`` in the exec-free form, a string in the baseline), and the module
table given to ``start`` names each holder's module. The holder's name hashes
the module's path, so one module keeps its holder from one bundle to the next.
Everything else (the runtime, the tables) is "the rest". A map is one line of
JSON: it is only ever summarised by size.
"""

from __future__ import annotations

import difflib
import re
from typing import Optional

HOLDER = re.compile(r"(?:def )?(_cribo_[0-9a-f]+_\w+)(?:\(\):| = )")
TABLE_ENTRY = re.compile(r"^\s*'([\w.]+)': \((_cribo_[0-9a-f]+_\w+),", re.M)
LONGEST_LINE = 160  # characters of a diff line shown: a data URL map is one huge line


def split_holders(text: str) -> tuple[dict[str, str], str]:
    """Holder name -> its lines; and the rest of the bundle."""
    holders: dict[str, list[str]] = {}
    rest: list[str] = []
    current: Optional[list[str]] = None
    for line in text.splitlines(keepends=True):
        top_level = line[:1] not in ("", " ", "\t", "\n")
        if top_level:
            found = HOLDER.match(line)
            current = holders.setdefault(found[1], []) if found else None
        (rest if current is None else current).append(line)
    return {name: "".join(lines) for name, lines in holders.items()}, "".join(rest)


def module_names(*texts: str) -> dict[str, str]:
    """Holder -> module name, from the module tables; the entry's holder is not in them."""
    names = {holder: name for text in texts for name, holder in TABLE_ENTRY.findall(text)}
    return names


def label(holder: str, names: dict[str, str]) -> str:
    return names.get(holder) or f"{holder.split('_', 3)[-1]} (the entry)"


def module_changes(on_disk: str, generated: str) -> list[str]:
    """``added: ...``, ``removed: ...``, ``changed: ...`` and whether the rest differs."""
    old, old_rest = split_holders(on_disk)
    new, new_rest = split_holders(generated)
    names = module_names(on_disk, generated)
    groups = (
        ("added", [h for h in new if h not in old]),
        ("removed", [h for h in old if h not in new]),
        ("changed", [h for h in new if h in old and new[h] != old[h]]),
    )
    lines = [
        f"{kind}: {', '.join(sorted(label(h, names) for h in holders))}"
        for kind, holders in groups
        if holders
    ]
    if old_rest != new_rest:
        lines.append(
            "also the runtime or the module tables" if lines else "the runtime or the module tables"
        )
    return lines


def clipped(line: str) -> str:
    if len(line) <= LONGEST_LINE:
        return line
    return f"{line[:LONGEST_LINE]}... ({len(line)} characters)\n"


def diff_excerpt(old: str, new: str, labels: tuple[str, str], most: int) -> str:
    """The first ``most`` lines of a unified diff, each clipped (a map is one line)."""
    lines = list(
        difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), *labels)
    )
    more = [f"... {len(lines) - most} more diff lines\n"] if len(lines) > most else []
    return "".join(clipped(line) for line in lines[:most] + more)


def map_change(on_disk: Optional[str], generated: str) -> str:
    size = lambda text: len(text.encode("utf-8"))  # noqa: E731
    if on_disk is None:
        return f"the map is missing ({size(generated)} bytes expected)"
    return f"the map differs ({size(on_disk)} bytes -> {size(generated)} bytes)"
