"""The ``importlib.resources`` import a rewrite needs, added once; and the
imports a rewrite left unread, removed.

The new import is one line among the module's leading imports, where isort
would put a standard-library import.
"""

from __future__ import annotations

from typing import Optional, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node

from ..stdlib import is_stdlib
from .names import ModuleNames, is_read

# Modules whose import a rewrite may drop once nothing reads it: importing
# them again elsewhere is free (os, pathlib) or the point (pkg_resources).
DROPPABLE = ("os", "os.path", "pathlib", "pkg_resources")


class ResourcesImport:
    """Which name calls ``importlib.resources.files`` in this module."""

    def __init__(self, names: ModuleNames):
        self.callee, self.statement = self.choose(names)
        self.used = False

    @staticmethod
    def choose(names: ModuleNames) -> tuple[Optional[str], Optional[str]]:
        for name in names.bindings:
            if names.only(name) == ("from", "importlib.resources", "files"):
                return name, None  # imported already
        if names.is_free("files"):
            return "files", "from importlib.resources import files"
        importlib = names.bindings.get("importlib", [])
        if not names.star_import and all(b[0] == "import" for b in importlib):
            return "importlib.resources.files", "import importlib.resources"
        return None, None

    def call(self) -> Optional[str]:
        if self.callee:
            self.used = True
        return self.callee

    def add_to(self, module: cst.Module) -> cst.Module:
        if not (self.used and self.statement):
            return module
        line = cst.parse_statement(self.statement + "\n")
        index = import_block_end(module)
        return module.with_changes(body=[*module.body[:index], line, *module.body[index:]])


def import_block_end(module: cst.Module) -> int:
    """Where the new import goes: after the last standard-library import of the
    leading docstring-and-imports block, else before its first other import
    (after the docstring and ``__future__`` imports), as isort would place it."""
    start, last_stdlib = 0, None
    for index, statement in enumerate(module.body):
        small = statement.body if isinstance(statement, cst.SimpleStatementLine) else ()
        if not small or not all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in small):
            if index == 0 and is_docstring(small):
                start = 1
                continue
            break
        top = top_module(small[0])
        if top == "__future__":
            start = index + 1
        elif top and is_stdlib(top):
            last_stdlib = index + 1
    return start if last_stdlib is None else last_stdlib


def top_module(node) -> str:
    """The top-level module an import statement names ("" for a relative one)."""
    if isinstance(node, cst.Import):
        return (get_full_name_for_node(node.names[0].name) or "").partition(".")[0]
    if node.relative or node.module is None:
        return ""
    return (get_full_name_for_node(node.module) or "").partition(".")[0]


def is_docstring(small) -> bool:
    return (
        len(small) == 1
        and isinstance(small[0], cst.Expr)
        and isinstance(small[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def droppable_names(names: ModuleNames, touched: set[str]) -> set[str]:
    """The names among ``touched`` bound only by an import of a DROPPABLE module."""
    found = set()
    for name in touched:
        binding = names.only(name)
        if binding and binding[0] in ("import", "from") and binding[1] in DROPPABLE:
            found.add(name)
    return found


class UnreadImportRemover(cst.CSTTransformer):
    def __init__(self, unread: set[str]):
        self.unread = unread

    def keep(self, alias: cst.ImportAlias) -> bool:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            return alias.asname.name.value not in self.unread
        name = alias.evaluated_name.partition(".")[0]
        return name not in self.unread

    def leave_Import(
        self, original: cst.Import, updated: cst.Import
    ) -> Union[cst.Import, cst.RemovalSentinel]:
        return self.filtered(updated)

    def leave_ImportFrom(
        self, original: cst.ImportFrom, updated: cst.ImportFrom
    ) -> Union[cst.ImportFrom, cst.RemovalSentinel]:
        if isinstance(updated.names, cst.ImportStar) or updated.relative:
            return updated
        return self.filtered(updated)

    def filtered(self, node):
        kept = [alias for alias in node.names if self.keep(alias)]
        if len(kept) == len(node.names):
            return node
        if not kept:
            return cst.RemoveFromParent()
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return node.with_changes(names=kept)


def drop_unread(module: cst.Module, candidates: set[str]) -> cst.Module:
    unread = {name for name in candidates if not is_read(module, name)}
    return module.visit(UnreadImportRemover(unread)) if unread else module
