"""Up to date: does every file ``bundle`` would write hold exactly those bytes now?

``cribo-ci bundle --check``, ``verify`` and the Action share this; none writes.
A stale file is told as the modules that changed (``bundle_diff``), then the
start of its diff; a map only by its size.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from .bundle_diff import clipped, map_change, module_changes
from .report import FAIL, PASS, Check

DIFF_LINES = 20  # enough to see what moved; the full diff is a `bundle` away


def read_or_none(path: Path):
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def stale_files(files: dict[Path, str]) -> tuple[Path, ...]:
    """The paths whose content on disk differs from ``files`` (or that are missing)."""
    return tuple(path for path, text in files.items() if read_or_none(path) != text)


CLIMB = 2  # `../../dist/app.py` still reads better than an absolute path; more does not


def shown(path: Path) -> str:
    """Relative to the current folder when near it: the messages stay short."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    climbs = Path(relative).parts.count("..")
    return str(path) if climbs > CLIMB else relative


def short_diff(path: Path, current: str, expected: str) -> str:
    lines = list(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            f"{shown(path)} (on disk)",
            f"{shown(path)} (generated)",
        )
    )
    more = [f"... {len(lines) - DIFF_LINES} more diff lines\n"] if len(lines) > DIFF_LINES else []
    return "".join(clipped(line) for line in lines[:DIFF_LINES] + more)


def stale_summary(files: dict[Path, str], stale: tuple[Path, ...]) -> str:
    """Per stale file: a map by size (saying when only the map differs), other files
    by the modules that changed, then the start of the diff."""
    code_stale = not all(path.name.endswith(".map") for path in stale)
    lines = []
    for path in stale:
        current = read_or_none(path)
        if path.name.endswith(".map"):
            only = "" if code_stale else "only "
            lines.append(f"{shown(path)}: {only}{map_change(current, files[path])}\n")
        elif current is None:
            lines.append(f"{shown(path)}: missing\n")
        else:
            lines.append(f"{shown(path)}:\n")
            lines += [f"  {change}\n" for change in module_changes(current, files[path])]
            lines.append(short_diff(path, current, files[path]))
    return "".join(lines)


def freshness_check(files: dict[Path, str]) -> Check:
    stale = stale_files(files)
    if not stale:
        return Check("up-to-date", PASS, "the bundle on disk is what `bundle` would write")
    names = ", ".join(shown(path) for path in stale)
    details = stale_summary(files, stale)
    return Check("up-to-date", FAIL, f"out of date: {names} (run `cribo-ci bundle`)", details)
