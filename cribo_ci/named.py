"""Module names written down as strings, found without running anything.

Two kinds of literal name modules a program may import by computed name:

- A string that reads as a dotted name: ``"pkg.lexers.python"``, an object
  reference ``"pkg.mod.Class"`` or ``"pkg.mod:func"`` (entry-point notation),
  or a package followed by a dot, ``"pkg.plugins."``, which every module
  below it may be loaded by. Plugin tables keep their modules so (pygments'
  ``_mapping.py`` files, mistune's plugins, markdown's extensions given by
  name) and import them by a name no import statement shows. resolve.py
  keeps only those that name first-party modules: bundling a module costs
  size, never behaviour, since it runs only when imported.
- The package named by a literal given to ``importlib.resources`` or
  ``pkgutil.get_data``: the call imports it, so it is an import.

Only strings with a dot count: a bare word equal to a module's name
(``"json"``, ``"main"``, ``"test"``) is far more often a key, a word in a
message or an ``__all__`` entry than a module to load.
"""

from __future__ import annotations

import ast
import re
from typing import Any, Callable, Optional, Sequence

from .model import ImportRecord, NamedString

IDENTIFIER = r"[^\W\d]\w*"
# group 1: a dotted name with an optional ``:attribute`` (ignored);
# group 2: a package prefix, the name before a final dot.
DOTTED = re.compile(
    rf"({IDENTIFIER}(?:\.{IDENTIFIER})+)(?::{IDENTIFIER}(?:\.{IDENTIFIER})*)?"
    rf"|({IDENTIFIER}(?:\.{IDENTIFIER})*)\."
)
LONGEST_NAME = 200  # characters: longer strings are text, not names

RESOURCE_MODULES = frozenset({"importlib.resources", "importlib_resources", "pkgutil"})
RESOURCE_FUNCTIONS = frozenset(
    {
        "files",
        "read_text",
        "read_binary",
        "open_text",
        "open_binary",
        "path",
        "as_file",
        "contents",
        "is_resource",
        "get_data",
    }
)


def names_in_strings(
    nodes: Sequence[ast.AST],
) -> tuple[tuple[NamedString, ...], tuple[ImportRecord, ...]]:
    """The module's string literals that read as dotted names (each once), and
    its resources calls' packages as imports. One pass over ``nodes`` (all of
    the module's, ``ast.walk``): it runs on every module a cold run analyses."""
    found: dict[tuple[str, bool], NamedString] = {}
    calls: list[ast.Call] = []
    modules, functions = set(RESOURCE_MODULES), set()
    for node in nodes:
        kind = type(node)
        if kind is ast.Constant:
            value = node.value
            if type(value) is str and "." in value and len(value) <= LONGEST_NAME:
                named = named_string(node, value)
                if named is not None:
                    found.setdefault((named.name, named.prefix), named)
        elif kind is ast.Call:
            if node.args and type(node.args[0]) is ast.Constant:
                calls.append(node)
        elif kind is ast.Import or kind is ast.ImportFrom:
            note_aliases(node, modules, functions)
    records = tuple(
        ImportRecord(call.args[0].value, 0, (), call.lineno, call.col_offset)
        for call in calls
        if is_resource_call(call.func, modules, functions) and is_package_name(call.args[0].value)
    )
    return tuple(found.values()), records


def named_string(node: ast.Constant, value: str) -> Optional[NamedString]:
    match = DOTTED.fullmatch(value)
    if match is None:
        return None
    prefix = match.group(2) is not None
    name = match.group(2) if prefix else match.group(1)
    return NamedString(name, node.lineno, node.col_offset, prefix)


def is_package_name(value: object) -> bool:
    """A literal package name: not relative (there is no package to be relative to)."""
    return type(value) is str and value[:1] not in ("", ".")


def note_aliases(node: ast.stmt, modules: set[str], functions: set[str]) -> None:
    """Names a module binds to the resources modules (``from importlib import
    resources as res``) and to their functions (``from importlib.resources import files``)."""
    if type(node) is ast.Import:
        modules.update(a.asname for a in node.names if a.asname and a.name in RESOURCE_MODULES)
    elif not node.level:
        for alias in node.names:
            bound = alias.asname or alias.name
            if f"{node.module}.{alias.name}" in RESOURCE_MODULES:
                modules.add(bound)
            elif node.module in RESOURCE_MODULES and alias.name in RESOURCE_FUNCTIONS:
                functions.add(bound)


def is_resource_call(func: ast.expr, modules: set[str], functions: set[str]) -> bool:
    if type(func) is ast.Name:
        return func.id in functions
    return (
        type(func) is ast.Attribute
        and func.attr in RESOURCE_FUNCTIONS
        and (dotted_text(func.value) in modules)
    )


def dotted_text(node: ast.expr) -> Optional[str]:
    """``importlib.resources`` for the expression that spells it, else None.
    A loop, not recursion: an attribute chain may be any depth."""
    attributes = []
    while type(node) is ast.Attribute:
        attributes.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    return ".".join([node.id, *reversed(attributes)])


def string_target(named: NamedString, find: Callable[[str], Optional[Any]]) -> Optional[str]:
    """The module a string names, ``find`` saying which names are first-party
    modules (``Resolver.find``): for a prefix, the package; else the longest
    leading part of the name, two parts at least, that is a module
    (``pkg.mod`` of ``"pkg.mod.Class"``). A top-level name alone is too
    common a word (``"data.json"`` names no module ``data``)."""
    if named.prefix:
        found = find(named.name)
        return named.name if found is not None and found.is_package else None
    parts = named.name.split(".")
    target = None
    for count in range(1, len(parts) + 1):
        if find(".".join(parts[:count])) is None:
            break
        target = ".".join(parts[:count]) if count > 1 else None
    return target
