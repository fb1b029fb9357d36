"""Where the configuration lies, and which table of a file is ours.

The files read are those of the nearest folder, from the current one up to
the repository root, that holds a ``cribo.toml`` or a ``pyproject.toml`` with
a ``[tool.cribo]`` table, as ruff and pytest look for theirs: a command run in
a subfolder of the project reads the project's settings.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .errors import ConfigError
from .model import Location

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the 3.9/3.10 tox environments
    import tomli as tomllib


@dataclass(frozen=True)
class Search:
    found: Optional[Path]  # the folder whose files are read, if any
    looked_in: tuple[Path, ...]  # every folder looked in, nearest first
    stopped_at_repository: bool  # the last one holds .git (else the file system's root)

    def describe(self) -> str:
        """Where it looked, for a message about a setting nobody gave."""
        if not self.looked_in:
            return "no config file was read"
        first, last = self.looked_in[0], self.looked_in[-1]
        where = f"in {first}" if first == last else f"in {first} and its parents up to {last}"
        end = " (the repository root)" if self.stopped_at_repository else ""
        return f"no pyproject.toml with [tool.cribo] and no cribo.toml {where}{end}"


def find_config_folder(start: Path, has_cribo_table: Callable[[Path], bool]) -> Search:
    """The nearest folder with our config, never above the repository's root."""
    looked_in: list[Path] = []
    for folder in (start, *start.parents):
        looked_in.append(folder)
        if (folder / "cribo.toml").is_file():
            return Search(folder, tuple(looked_in), False)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and has_cribo_table(pyproject):
            return Search(folder, tuple(looked_in), False)
        if (folder / ".git").exists():  # a folder (a clone) or a file (a worktree)
            return Search(None, tuple(looked_in), True)
    return Search(None, tuple(looked_in), False)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        # tomllib and tomli put the place in the message: "... (at line 2, column 16)"
        place = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(place[1]), int(place[2]) - 1) if place else (0, 0)
        raise ConfigError(str(error).split(" (at")[0], Location(str(path), line, column)) from error
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", Location(str(path))) from error


def table_keys(path: Path, data: Mapping[str, Any]) -> tuple[str, ...]:
    """Where our settings lie in a file: ``[tool.cribo]`` of a ``pyproject.toml``;
    in any other file its ``[bundler]`` or ``[tool.cribo]`` table, else its
    top level (``()``), as Cribo writes its ``cribo.toml``."""
    if path.name == "pyproject.toml":
        return ("tool", "cribo")
    if "bundler" in data:
        return ("bundler",)
    tool = data.get("tool", {})
    return ("tool", "cribo") if isinstance(tool, Mapping) and "cribo" in tool else ()


def cribo_table(path: Path, data: Mapping[str, Any]) -> Optional[Any]:
    """Our table of a file (``table_keys``); None for a ``pyproject.toml`` without one."""
    keys = table_keys(path, data)
    if not keys:
        return data  # Cribo's format
    if path.name != "pyproject.toml":
        stray = sorted(set(data) - {"bundler", "tool"})
        if stray:  # read neither way, it would be ignored without a word
            table_name = "[bundler]" if keys == ("bundler",) else "[tool.cribo]"
            message = (
                f"top-level key '{stray[0]}' beside the {table_name} table: move it into the "
                "table, or drop the table to write Cribo's format (every key at the top level)"
            )
            raise ConfigError(message, Location(str(path)))
    table: Any = data
    for key in keys:
        table = table.get(key) if isinstance(table, Mapping) else None
    return table


def python_path_roots(environ: Mapping[str, str], cwd: Path) -> tuple[Path, ...]:
    """``PYTHONPATH``'s folders, whose modules Cribo counts as first-party. A folder
    of installed distributions (``*.dist-info``, a ``pip install --target``) is
    third-party: ``bundle-third-party`` decides about those."""
    folders = [cwd / entry for entry in environ.get("PYTHONPATH", "").split(os.pathsep) if entry]
    return tuple(
        folder for folder in folders if folder.is_dir() and not any(folder.glob("*.dist-info"))
    )
