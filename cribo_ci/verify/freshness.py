"""Up to date: does every file ``bundle`` would write hold exactly those bytes now?

``cribo-ci bundle --check``, ``verify`` and the Action share this; none writes.
A stale file is told as the modules that changed (``bundle_diff``), then the
start of its diff; a map only by its size.
"""

from __future__ import annotations

from pathlib import Path
from typing import Union

from ..script_metadata import without_installed_pins
from ..shown import shown
from .bundle_diff import diff_excerpt, map_change, module_changes
from .report import FAIL, PASS, Check

DIFF_LINES = 20  # enough to see what moved; the full diff is a `bundle` away


def read_or_none(path: Path):
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def read_bytes_or_none(path: Path):
    try:
        return path.read_bytes()
    except OSError:
        return None


def stale_files(files: dict[Path, Union[str, bytes]]) -> tuple[Path, ...]:
    """The paths whose content on disk differs from ``files`` (or that are missing)."""
    return tuple(path for path, content in files.items() if not same_content(path, content))


def same_content(path: Path, content: Union[str, bytes]) -> bool:
    if isinstance(content, bytes):  # the launcher's code caches
        return read_bytes_or_none(path) == content
    current = read_or_none(path)
    if current == content or current is None:
        return current == content
    return without_installed_pins(current) == without_installed_pins(content)


def short_diff(path: Path, current: str, expected: str) -> str:
    labels = (f"{shown(path)} (on disk)", f"{shown(path)} (generated)")
    return diff_excerpt(current, expected, labels, DIFF_LINES)


def stale_summary(files: dict[Path, Union[str, bytes]], stale: tuple[Path, ...]) -> str:
    """Per stale file: a map by size (saying when only the map differs), a code
    cache by its bytes, other files by the modules that changed, then the start
    of the diff."""
    code_stale = not all(path.name.endswith(".map") for path in stale)
    lines = []
    for path in stale:
        current = read_or_none(path) if isinstance(files[path], str) else None
        if isinstance(files[path], bytes):  # a code cache: no lines to compare
            missing = read_bytes_or_none(path) is None
            lines.append(f"{shown(path)}: {'missing' if missing else 'different bytes'}\n")
        elif path.name.endswith(".map"):
            only = "" if code_stale else "only "
            lines.append(f"{shown(path)}: {only}{map_change(current, files[path])}\n")
        elif current is None:
            lines.append(f"{shown(path)}: missing\n")
        else:
            lines.append(f"{shown(path)}:\n")
            lines += [f"  {change}\n" for change in module_changes(current, files[path])]
            lines.append(short_diff(path, current, files[path]))
    return "".join(lines)


def freshness_check(files: dict[Path, Union[str, bytes]]) -> Check:
    stale = stale_files(files)
    if not stale:
        return Check("up-to-date", PASS, "the bundle on disk is what `bundle` would write")
    names = ", ".join(shown(path) for path in stale)
    details = stale_summary(files, stale)
    return Check("up-to-date", FAIL, f"out of date: {names} (run `cribo-ci bundle`)", details)
