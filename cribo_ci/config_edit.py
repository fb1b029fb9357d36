"""Adding module names to ``include`` in a project's config file, keeping the file.

``verify --add-includes`` and ``fix`` both write there. tomlkit edits the
document in place, so every other line, comment and blank keeps its bytes;
it is imported only by those commands, never on a bundle's start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from .config_files import cribo_table, read_toml, table_keys
from .errors import ConfigError
from .model import Location


def table_path(path: Path, document: Mapping) -> tuple[str, ...]:
    """Where the settings live in this file, as the config reads them
    (``config_files.table_keys``); a new ``cribo.toml`` gets a ``[bundler]``."""
    return table_keys(path, document) if document or path.name == "pyproject.toml" else ("bundler",)


def has_include(path: Path) -> bool:
    return "include" in (cribo_table(path, read_toml(path)) or {})


def with_includes(text: str, path: Path, names: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """``text`` (the file at ``path``) with ``names`` in its ``include``, created
    when missing; and the names that were not there yet."""
    import tomlkit  # only the commands that edit a config need it

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
    added = tuple(dict.fromkeys(name for name in names if name not in table["include"]))
    table["include"].extend(added)
    return tomlkit.dumps(document), added
