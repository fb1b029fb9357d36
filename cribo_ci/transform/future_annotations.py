"""Emulate ``from __future__ import annotations`` in the module that asks for it.

With the future import, the compiler stores every annotation as the string
of its source (PEP 563) instead of evaluating it. The bundle cannot carry the
compiler flag per module, so each annotation is replaced by that string
(``ast.unparse``, as the compiler does), keeping the line count.
"""

from __future__ import annotations

import ast
from typing import Iterator

from ..model import Edit
from ..source import Positions
from .edits import make_edit
from .future_imports import uses_future_annotations


def annotations_of(tree: ast.Module) -> Iterator[ast.expr]:
    for node in ast.walk(tree):
        if isinstance(node, ast.arg) and node.annotation is not None:
            yield node.annotation
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns:
            yield node.returns
        elif isinstance(node, ast.AnnAssign):
            yield node.annotation


def rewrite_future_annotations(tree: ast.Module, positions: Positions) -> list[Edit]:
    if not uses_future_annotations(tree):
        return []
    return [
        make_edit(
            positions.text,
            positions.start(annotation),
            positions.end(annotation),
            repr(ast.unparse(annotation)),
        )
        for annotation in annotations_of(tree)
    ]
