"""The oldest Python a project runs on: what the rewrites may emit.

From the configuration's ``python-versions`` when set, else the
``requires-python`` of ``pyproject.toml``; with neither, 3.9 (the oldest
cribo-ci bundles for, and the first with ``importlib.resources.files``).
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

DEFAULT = (3, 9)
VERSION = re.compile(r"(\d+)\.(\d+)")
# "3.8" under these operators still lets that minor version in.
LOWER_BOUNDS = re.compile(r"(>=|>|~=|==|===)\s*(\d+)(?:\.(\d+))?")


def oldest_python(python_versions: Iterable[str], requires_python: Optional[str]) -> tuple:
    listed = [VERSION.search(text) for text in python_versions]
    versions = [(int(m[1]), int(m[2])) for m in listed if m]
    if versions:
        return min(versions)
    if requires_python:
        return oldest_allowed(requires_python)
    return DEFAULT


def oldest_allowed(specifier: str) -> tuple:
    """The lowest ``3.X`` a PEP 440 specifier lets in (lower bounds only)."""
    bounds = []
    for clause in specifier.split(","):
        found = LOWER_BOUNDS.match(clause.strip())
        if found:
            bounds.append((int(found[2]), int(found[3] or 0)))
    return max(bounds) if bounds else (3, 0)
