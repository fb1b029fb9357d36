"""Up to date: does every file ``bundle`` would write hold exactly those bytes now?

``cribo-ci bundle --check`` and ``verify`` share this; neither writes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from .report import FAIL, PASS, Check

DIFF_LINES = 40  # enough to see what moved; the full diff is a `bundle` away


def read_or_none(path: Path):
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def stale_files(files: dict[Path, str]) -> tuple[Path, ...]:
    """The paths whose content on disk differs from ``files`` (or that are missing)."""
    return tuple(path for path, text in files.items() if read_or_none(path) != text)


def short_diff(path: Path, expected: str) -> str:
    current = read_or_none(path)
    if current is None:
        return f"{path}: missing\n"
    lines = list(
        difflib.unified_diff(
            current.splitlines(keepends=True),
            expected.splitlines(keepends=True),
            f"{path} (on disk)",
            f"{path} (generated)",
        )
    )
    more = [f"... {len(lines) - DIFF_LINES} more diff lines\n"] if len(lines) > DIFF_LINES else []
    return "".join(lines[:DIFF_LINES] + more)


def freshness_check(files: dict[Path, str]) -> Check:
    stale = stale_files(files)
    if not stale:
        return Check("up-to-date", PASS, "the bundle on disk is what `bundle` would write")
    names = ", ".join(str(path) for path in stale)
    details = "".join(short_diff(path, files[path]) for path in stale)
    return Check("up-to-date", FAIL, f"out of date: {names} (run `cribo-ci bundle`)", details)
