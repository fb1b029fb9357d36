"""``from __future__ import ...``: only legal as a file's first statement.

Inside a bundle it is neither first nor at file level, so it becomes a plain
binding of the same names (the module namespace keeps its ``_Feature``
objects). The features themselves are all default behaviour on Python 3.9+,
except ``annotations``, which ``future_annotations`` emulates per module:
hoisting it to the bundle's top would change every module's annotations.
"""

from __future__ import annotations

import ast

from ..model import Edit
from ..source import Positions
from .edits import make_edit


def is_future_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__" and node.level == 0


def rewrite_future_imports(tree: ast.Module, positions: Positions) -> list[Edit]:
    edits = []
    for node in tree.body:
        if not is_future_import(node):
            continue
        bindings = "; ".join(
            f"{alias.asname or alias.name} = __import__('__future__').{alias.name}"
            for alias in node.names
        )
        edits.append(
            make_edit(positions.text, positions.start(node), positions.end(node), bindings)
        )
    return edits


def uses_future_annotations(tree: ast.Module) -> bool:
    return any(
        is_future_import(node) and any(alias.name == "annotations" for alias in node.names)
        for node in tree.body
    )
