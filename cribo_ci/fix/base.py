"""What every rewrite shares: the module's names, its package, its report."""

from __future__ import annotations

import ast
from typing import Sequence

import libcst as cst
from libcst.metadata import PositionProvider

from .imports import ResourcesImport
from .model import Change, FixContext, Kept
from .names import ModuleNames
from .package_paths import PackagePaths, one_line

TOP_LEVEL = (
    "a top-level module has no package for importlib.resources to read from: "
    "move the module and its data into a package"
)

OLD_PYTHON = "importlib.resources.files() needs Python 3.9; the project supports {}: left as it is"


class Rewrite(cst.CSTTransformer):
    """A transformer over one module."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    @staticmethod
    def wanted(nodes: Sequence[ast.AST]) -> bool:
        """Whether the module (all its ``ast`` nodes) has code this rewrite looks
        for: ``ast`` parses about ten times as fast as libcst, and most names
        that match by text are in strings (pygments' lists of builtins)."""
        raise NotImplementedError

    def __init__(self, context: FixContext, names: ModuleNames, resources: ResourcesImport):
        super().__init__()
        self.context = context
        self.names = names
        self.resources = resources
        self.paths = PackagePaths(names, context)
        self.changes: list[Change] = []
        self.kept: list[Kept] = []
        self.touched: set[str] = set()  # names the replaced code read

    def line_of(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.get_metadata(PositionProvider, node).start
        return start.line, start.column

    def replaced(self, original: cst.CSTNode, replacement: str) -> cst.BaseExpression:
        new = cst.parse_expression(replacement)
        self.changes.append(Change(self.line_of(original)[0], one_line(original), replacement))
        self.touched |= names_read(original)
        return new

    def keep(self, node: cst.CSTNode, message: str) -> None:
        line, column = self.line_of(node)
        self.kept.append(Kept(line, column, message))

    def files_call(self, node: cst.CSTNode, package: str = "") -> str:
        """``files`` (or ``importlib.resources.files``) applied to the package,
        or "" after noting why not."""
        package = package or self.context.package_expr or ""
        if self.context.oldest_python < (3, 9):
            version = ".".join(map(str, self.context.oldest_python))
            self.keep(node, OLD_PYTHON.format(version))
            return ""
        if not package:
            self.keep(node, TOP_LEVEL)
            return ""
        callee = self.resources.call()
        if callee is None:
            self.keep(node, "the names `files` and `importlib` are both taken in this module")
            return ""
        return f"{callee}({package})"


class NameReads(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False


def names_read(node: cst.CSTNode) -> set[str]:
    reads = NameReads()
    node.visit(reads)
    return reads.names
