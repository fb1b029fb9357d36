"""Up to date: does every file ``bundle`` would write hold exactly those bytes now?

``cribo-ci bundle --check`` and ``verify`` share this; neither writes.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Union

from .report import FAIL, PASS, Check

DIFF_LINES = 40  # enough to see what moved; the full diff is a `bundle` away


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
    return read_or_none(path) == content


def short_diff(path: Path, expected: Union[str, bytes]) -> str:
    if isinstance(expected, bytes):  # a code cache: no lines to compare
        missing = read_bytes_or_none(path) is None
        return f"{path}: missing\n" if missing else f"{path}: different bytes\n"
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


def freshness_check(files: dict[Path, Union[str, bytes]]) -> Check:
    stale = stale_files(files)
    if not stale:
        return Check("up-to-date", PASS, "the bundle on disk is what `bundle` would write")
    names = ", ".join(str(path) for path in stale)
    details = "".join(short_diff(path, files[path]) for path in stale)
    return Check("up-to-date", FAIL, f"out of date: {names} (run `cribo-ci bundle`)", details)
