"""Source rewrites a module needs before its code can run as a class body.

Each rewrite is a function ``(tree, positions) -> list[Edit]`` in its own
file; ``TRANSFORMS`` lists them in the order they are applied. Edits never
overlap across rewrites: each owns a distinct kind of statement or node.
"""

from __future__ import annotations

import ast

from ..model import Edit
from ..source import Positions
from .edits import apply_edits, drop_nested
from .function_form import rewrite_function_form
from .future_annotations import rewrite_future_annotations
from .future_imports import rewrite_future_imports
from .star_imports import rewrite_star_imports

TRANSFORMS = (
    rewrite_star_imports,
    rewrite_future_imports,
    rewrite_future_annotations,
    rewrite_function_form,
)


def collect_edits(tree: ast.Module, positions: Positions) -> tuple[Edit, ...]:
    edits: list[Edit] = []
    for transform in TRANSFORMS:
        edits.extend(transform(tree, positions))
    return drop_nested(edits)


__all__ = ["TRANSFORMS", "apply_edits", "collect_edits"]
