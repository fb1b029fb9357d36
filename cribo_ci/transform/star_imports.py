"""``from m import *`` at module level.

A star import is a SyntaxError inside the class body that runs a module, so
it becomes a call of the bundle runtime's ``import_star``, which does what
the interpreter does: import ``m`` relative to this module (``__import__``
with ``fromlist=("*",)``, which also imports the submodules named in
``__all__``) and copy ``__all__`` or every public name into the namespace.
"""

from __future__ import annotations

import ast

from ..model import Edit
from ..source import Positions
from .edits import make_edit
from .scope import module_level_statements


def rewrite_star_imports(tree: ast.Module, positions: Positions) -> list[Edit]:
    edits = []
    for node in module_level_statements(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names):
            call = (
                f"__import__('_cribo').import_star(globals(), {node.module or ''!r}, {node.level})"
            )
            edits.append(
                make_edit(positions.text, positions.start(node), positions.end(node), call)
            )
    return edits
