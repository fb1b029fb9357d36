"""``verify --add-includes``: write the modules a run needed into the project's config,
the file whose ``include`` is in force (config_edit.py keeps its layout)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from ..api import write_atomically
from ..config import Config
from ..config_edit import has_include, with_includes

NOT_FILES = ("environment", "command line")  # Config.origin entries that are no file


def config_file(config: Config, cwd: Path, given: Optional[Path]) -> Path:
    """The file whose ``include`` is in force, else the one read last, else a new one."""
    read = [Path(origin) for origin in config.origin if origin not in NOT_FILES]
    with_include = [path for path in read if has_include(path)]
    if with_include or read:
        return (with_include or read)[-1]
    if given is not None:
        return given
    pyproject = cwd / "pyproject.toml"
    return pyproject if pyproject.is_file() else cwd / "cribo.toml"


def add_includes(path: Path, names: Sequence[str]) -> tuple[str, ...]:
    """Add ``names`` to ``include`` in ``path``; return the ones that were not there."""
    text = path.read_text("utf-8") if path.is_file() else ""
    edited, added = with_includes(text, path, names)
    write_atomically({path: edited})
    return added
