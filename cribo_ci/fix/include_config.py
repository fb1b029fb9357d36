"""The ``include`` globs the computed imports want, added to the project's
configuration with tomlkit, which keeps the file's comments and layout."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import tomlkit
from tomlkit.items import Array


def cribo_table(document: tomlkit.TOMLDocument, path: Path):
    """The table ``config.from_files`` reads: ``[tool.cribo]`` in pyproject.toml,
    ``[bundler]`` (else ``[tool.cribo]``) in any other file."""
    if path.name != "pyproject.toml" and "bundler" in document:
        return document["bundler"]
    tool = document.setdefault("tool", tomlkit.table(is_super_table=True))
    return tool.setdefault("cribo", tomlkit.table())


def with_includes(text: str, path: Path, globs: Sequence[str]) -> str:
    document = tomlkit.parse(text)
    table = cribo_table(document, path)
    current = table.get("include")
    if isinstance(current, Array):
        for glob in globs:
            current.append(glob)
    elif isinstance(current, str):  # "a,b": the config reads a string as a list
        table["include"] = ",".join([current, *globs])
    else:
        table["include"] = list(globs)
    return tomlkit.dumps(document)
