"""Walks over the statements of a module's own scope."""

from __future__ import annotations

import ast
from typing import Iterator

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def module_level_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement that runs in the module's scope: inside ``if``, ``for``,
    ``try``, ``with`` and ``match`` blocks too, but not inside a def or class."""
    stack = list(reversed(tree.body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        children = []
        for name in ("body", "orelse", "finalbody"):
            children.extend(getattr(node, name, ()))
        for handler in getattr(node, "handlers", ()):
            children.extend(handler.body)
        for case in getattr(node, "cases", ()):
            children.extend(case.body)
        stack.extend(reversed(children))


def module_scope_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node evaluated in the module's own scope (not inside defs,
    lambdas or classes; comprehensions included)."""
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, SCOPES):
                stack.append(child)
