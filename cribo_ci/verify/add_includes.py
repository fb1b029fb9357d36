"""``verify --add-includes``: write the modules a run needed into the project's config.

The names go into the ``include`` key of the file whose settings are in force
(``[tool.cribo]`` in ``pyproject.toml``, ``[bundler]`` in ``cribo.toml``, or
the top level of a ``cribo.toml`` in Cribo's format), created when missing. tomlkit edits the document in place, so every other
line, comment and blank keeps its bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..api import write_atomically
from ..config import Config
from ..errors import ConfigError
from ..model import Location

NOT_FILES = ("environment", "command line")  # Config.origin entries that are no file


def table_path(path: Path, document: Mapping) -> tuple[str, ...]:
    """Where the settings live in this file, as ``config.from_files`` reads them:
    a ``cribo.toml`` with keys and no table of ours is Cribo's format, whose
    settings (ours among them) sit at the top level."""
    if path.name == "pyproject.toml":
        return ("tool", "cribo")
    if "bundler" in document:
        return ("bundler",)
    if "cribo" in document.get("tool", {}):
        return ("tool", "cribo")
    return () if document else ("bundler",)


def has_include(path: Path) -> bool:
    import tomlkit

    document = tomlkit.parse(path.read_text("utf-8"))
    table = document
    for key in table_path(path, document):
        table = table.get(key, {})
    return "include" in table


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
    import tomlkit  # only this command needs it: keep it out of every other start-up

    text = path.read_text("utf-8") if path.is_file() else ""
    document = tomlkit.parse(text)
    table = document
    for key in table_path(path, document):
        if key not in table:
            table[key] = tomlkit.table(is_super_table=key == "tool")
        table = table[key]
    current = table.get("include")
    if isinstance(current, str):  # "a,b": the comma-separated form the config also takes
        table["include"] = tomlkit.array()
        table["include"].extend(part for part in current.split(",") if part)
    elif current is None:
        table["include"] = tomlkit.array()
    elif not isinstance(current, list):
        raise ConfigError("'include' must be a list of strings", Location(str(path)))
    added = tuple(name for name in names if name not in table["include"])
    table["include"].extend(added)
    write_atomically({path: tomlkit.dumps(document)})
    return added
