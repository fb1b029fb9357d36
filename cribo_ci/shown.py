"""How a path is written in a message: as short as it stays clear."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

CLIMB = 2  # `../../dist/app.py` still reads better than an absolute path; more does not


def shown(path: Union[str, Path]) -> str:
    """Relative to the current folder when near it (as ``--src`` takes it too)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    climbs = Path(relative).parts.count("..")
    return str(path) if climbs > CLIMB else relative


def shown_below(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when it lies below it, else in full."""
    full, root = Path(os.path.normpath(path.resolve())), base.resolve()
    return full.relative_to(root).as_posix() if root in full.parents else str(full)
