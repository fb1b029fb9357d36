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
from typing import Optional, Sequence

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


def named_strings(nodes: Sequence[ast.AST]) -> tuple[NamedString, ...]:
    """The module's string literals that read as dotted names, each once.
    ``nodes``: all of the module's (``ast.walk``)."""
    found: dict[tuple[str, bool], NamedString] = {}
    for node in nodes:
        if type(node) is not ast.Constant:
            continue
        value = node.value
        if type(value) is not str or "." not in value or len(value) > LONGEST_NAME:
            continue
        match = DOTTED.fullmatch(value)
        if match is None:
            continue
        prefix = match.group(2) is not None
        name = match.group(2) if prefix else match.group(1)
        if (name, prefix) not in found:
            found[name, prefix] = NamedString(name, node.lineno, node.col_offset, prefix)
    return tuple(found.values())


def resource_imports(nodes: Sequence[ast.AST]) -> list[ImportRecord]:
    """``files("pkg")``, ``read_text("pkg", ...)``, ``pkgutil.get_data("pkg", ...)``:
    imports of ``pkg``, however the module or function was imported."""
    modules, functions = resource_aliases(nodes)
    records = []
    for node in nodes:
        if type(node) is not ast.Call or not node.args:
            continue
        first = node.args[0]
        if type(first) is not ast.Constant or type(first.value) is not str:
            continue
        if is_resource_call(node.func, modules, functions) and first.value[:1] not in ("", "."):
            records.append(ImportRecord(first.value, 0, (), node.lineno, node.col_offset))
    return records


def resource_aliases(nodes: Sequence[ast.AST]) -> tuple[set[str], set[str]]:
    """Names the module binds to the resources modules (``from importlib import
    resources as res``) and to their functions (``from importlib.resources import files``)."""
    modules, functions = set(RESOURCE_MODULES), set()
    for node in nodes:
        if type(node) is ast.Import:
            modules.update(a.asname for a in node.names if a.asname and a.name in RESOURCE_MODULES)
        elif type(node) is ast.ImportFrom and not node.level:
            for alias in node.names:
                bound = alias.asname or alias.name
                if f"{node.module}.{alias.name}" in RESOURCE_MODULES:
                    modules.add(bound)
                elif node.module in RESOURCE_MODULES and alias.name in RESOURCE_FUNCTIONS:
                    functions.add(bound)
    return modules, functions


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
