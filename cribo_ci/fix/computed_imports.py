"""Finder: imports by a computed name under a package this module can name.

    import_module(f"{__name__}.plugins.{name}")      # in app/__init.py__
    import_module(PLUGINS + "." + name)               # PLUGINS = "app.plugins", set once

The bundler follows a computed name that starts with a literal
(``"app.plugins." + name``) by itself; one that starts with ``__name__``,
``__package__`` or a module-level string constant it cannot read, and warns.
Code is not rewritten: the fix adds ``include = ["app.plugins.*"]`` to the
project's configuration (``config_edit.py``), when ``app.plugins`` is a
first-party package (which ``project.py`` checks).
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

import libcst as cst
from libcst.metadata import PositionProvider

from ..analyze import DYNAMIC_IMPORTERS, literal_prefix
from .model import FixContext, IncludeWanted
from .names import ModuleNames
from .package_paths import one_line, positional

IMPORTERS = ("importlib.import_module", "builtins.__import__")


class ComputedImports(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    @staticmethod
    def wanted(nodes: Sequence[ast.AST]) -> bool:
        """A call of import_module/__import__ the bundler cannot follow (as analyze.py sees it)."""
        return any(is_unfollowed_import(node) for node in nodes)

    def __init__(self, context: FixContext, names: ModuleNames):
        super().__init__()
        self.context = context
        self.names = names
        self.found: list[IncludeWanted] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.names.qualified(node.func) not in IMPORTERS or not positional(node):
            return
        head = self.known_head(terms(positional(node)[0].value))
        package = head[: head.rfind(".")] if "." in head else ""
        if package:
            line = self.get_metadata(PositionProvider, node).start.line
            self.found.append(IncludeWanted(line, f"{package}.*", one_line(node)))

    def known_head(self, parts: list[cst.CSTNode]) -> str:
        """The text the name starts with, when its first part is a name the
        bundler cannot read but this module can ("" otherwise)."""
        if not parts or literal(parts[0]) is not None:
            return ""  # no first part, or a literal one: the bundler follows it itself
        head = ""
        for part in parts:
            text = literal(part)
            if text is None:
                text = self.name_value(part)
            if text is None:
                break
            head += text
        return head

    def name_value(self, node: cst.CSTNode) -> Optional[str]:
        if isinstance(node, cst.FormattedStringExpression):
            if node.format_spec or node.conversion:
                return None
            node = node.expression
        if not isinstance(node, cst.Name):
            return None
        if node.value in ("__name__", "__package__"):
            if node.value in self.names.bindings:
                return None
            context = self.context
            return context.module_name if node.value == "__name__" else context.package_name
        value = self.names.constant(node.value)
        return literal(value) if value is not None else None


def is_unfollowed_import(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    target = node.args[0]
    if name not in DYNAMIC_IMPORTERS or isinstance(target, ast.Constant):
        return False
    return literal_prefix(target) is None


def terms(node: cst.BaseExpression) -> list[cst.CSTNode]:
    """The pieces of ``a + b + c`` or of an f-string, in order."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return terms(node.left) + terms(node.right)
    if isinstance(node, cst.FormattedString):
        return list(node.parts)
    return [node]


def literal(node: cst.CSTNode) -> Optional[str]:
    if isinstance(node, cst.FormattedStringText):
        return node.value if "{" not in node.value and "\\" not in node.value else None
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None
