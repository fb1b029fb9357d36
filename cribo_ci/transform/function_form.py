"""The function form: for the few modules a class body cannot hold.

A walrus inside a module-level comprehension is a SyntaxError in a class
body, so such a module runs as a plain function body instead, with every
name bound in its scope declared ``global`` (the stdlib ``symtable`` lists
them exactly). A function body differs from a module body in three ways
that need a rewrite: an annotated name cannot be declared global, a
docstring is the function's and not the module's, and a module-level
``global`` statement after a use of the name is an error. (Its locals are
not its globals either: bare ``locals()``, ``vars()`` and ``dir()`` in the
module's scope are rewritten to read ``globals()``; ``sys._getframe().f_locals``
still sees a throwaway dict.)
"""

from __future__ import annotations

import ast
import symtable
from typing import Iterator

from ..model import Edit
from ..source import Positions
from .edits import make_edit
from .future_imports import uses_future_annotations
from .scope import SCOPES, module_level_statements, module_scope_nodes

COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
# What a module-scope call means when the module's locals are its globals.
NAMESPACE_CALLS = {"locals": "globals()", "vars": "globals()", "dir": "sorted(globals())"}


def comprehension_walrus_targets(tree: ast.Module) -> list[str]:
    return [
        inner.target.id
        for node in module_scope_nodes(tree)
        if isinstance(node, COMPREHENSIONS)
        for inner in ast.walk(node)
        if isinstance(inner, ast.NamedExpr)
    ]


def needs_function_form(tree: ast.Module) -> bool:
    return bool(comprehension_walrus_targets(tree))


def bound_names(tree: ast.Module, text: str, relpath: str) -> list[str]:
    """Every name the module's own scope binds, in first-seen order.

    ``symtable`` does not count a walrus inside a comprehension as a binding
    of the module scope, nor the docstring as one of ``__doc__``: add both.
    """
    table = symtable.symtable(text, relpath, "exec")
    names = [
        symbol.get_name()
        for symbol in table.get_symbols()
        if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()
    ]
    names += comprehension_walrus_targets(tree)
    if ast.get_docstring(tree, clean=False) is not None:
        names.append("__doc__")
    return list(dict.fromkeys(names))


def annotation_text(node: ast.AnnAssign, positions: Positions, future: bool) -> str:
    if future:
        return repr(ast.unparse(node.annotation))
    return positions.text[positions.start(node.annotation) : positions.end(node.annotation)]


def rewrite_annotated(node: ast.AnnAssign, positions: Positions, future: bool) -> list[Edit]:
    """``x: T = v`` -> ``x = v; <annotations>['x'] = T`` (value first, as CPython does)."""
    store = f"globals().setdefault('__annotations__', {{}})[{node.target.id!r}] = "
    store += annotation_text(node, positions, future)
    text = positions.text
    if node.value is None:
        return [make_edit(text, positions.start(node), positions.end(node), store)]
    between = make_edit(text, positions.end(node.target), positions.start(node.value), " = ")
    after = Edit(positions.end(node), positions.end(node), f"; {store}")
    return [between, after]


def namespace_calls(tree: ast.Module) -> Iterator[ast.Call]:
    """Bare ``locals()``, ``vars()``, ``dir()`` evaluated in the module's own scope.

    Of a comprehension only the first iterable is; the rest has its own scope.
    (A module that rebinds these builtins is not told apart.)
    """
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in NAMESPACE_CALLS
            and not node.args
            and not node.keywords
        ):
            yield node
        if isinstance(node, COMPREHENSIONS):
            stack.append(node.generators[0].iter)
            continue
        stack.extend(child for child in ast.iter_child_nodes(node) if not isinstance(child, SCOPES))


def rewrite_function_form(tree: ast.Module, positions: Positions) -> list[Edit]:
    if not needs_function_form(tree):
        return []
    future = uses_future_annotations(tree)
    edits: list[Edit] = []
    for node in module_level_statements(tree):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            edits.extend(rewrite_annotated(node, positions, future))
        elif isinstance(node, ast.Global):
            edits.append(
                make_edit(positions.text, positions.start(node), positions.end(node), "pass")
            )
    if ast.get_docstring(tree, clean=False) is not None:
        start = positions.start(tree.body[0])
        edits.append(Edit(start, start, "__doc__ = "))
    for call in namespace_calls(tree):
        replacement = NAMESPACE_CALLS[call.func.id]
        edits.append(
            make_edit(positions.text, positions.start(call), positions.end(call), replacement)
        )
    return edits
