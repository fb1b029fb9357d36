"""How deep a module's code is indented, and whether a bundle can hold it.

CPython's tokenizer refuses a 100th level of indentation ("too many levels
of indentation", its ``MAXINDENT``), and a bundle holds every module two
levels in (``def holder():`` then ``class _________:``, see link.py). So code
indented 98 or 99 levels deep compiles on its own but not in a bundle, on
every Python 3.9-3.13 (measured): that is said at bundle time, at the line,
rather than left for the bundle to fail to compile.
"""

from __future__ import annotations

import ast
from typing import Iterator, Optional

from .errors import SourceSyntaxError
from .model import Location
from .source import Positions

MOST_LEVELS = 99  # the deepest indentation CPython accepts
HOLDER_LEVELS = 2  # what the bundle adds (link.HOLDER_HEAD)


def indentation_error(tree: ast.Module, positions: Positions, relpath: str):
    """A located error if the module is indented too deep to bundle, else None."""
    levels, statement = deepest_statement(tree, positions)
    if statement is None or levels + HOLDER_LEVELS <= MOST_LEVELS:
        return None
    message = (
        f"too many levels of indentation to bundle: this line is {levels} levels deep, a "
        f"bundle holds each module {HOLDER_LEVELS} levels deeper, and Python allows "
        f"{MOST_LEVELS}; move this code into a function at a shallower level"
    )
    location = Location(relpath, statement.lineno, statement.col_offset)
    text = positions.lines[statement.lineno - 1]
    return SourceSyntaxError(message, location, f"    {text}")


def deepest_statement(tree: ast.Module, positions: Positions) -> tuple[int, Optional[ast.AST]]:
    """(levels, the first statement so deep) of the most indented statement.

    An explicit stack, not recursion: the nesting is what is being measured.
    """
    deepest: tuple[int, Optional[ast.AST]] = (0, None)
    stack: list[tuple[ast.AST, int]] = [(node, 0) for node in reversed(tree.body)]
    while stack:
        node, levels = stack.pop()
        if levels > deepest[0]:
            deepest = (levels, node)
        inner = []
        for anchor, block, base in blocks(node, levels, positions):
            deeper = indented(block[0], anchor, positions)
            inner += [(child, base + deeper) for child in block]
        stack.extend(reversed(inner))
    return deepest


def blocks(node: ast.AST, levels: int, positions: Positions) -> Iterator[tuple[int, list, int]]:
    """(the column a block is indented from, its nodes, the level it starts
    from) for each block of a statement. ``elif`` and ``except`` lines sit at
    the level of their ``if`` and ``try``; a ``case`` line one level into its
    ``match``, and its body one more."""
    column = getattr(node, "col_offset", 0)
    for name in ("body", "orelse", "finalbody", "handlers"):
        block = getattr(node, name, None)
        if isinstance(block, list) and block:  # a lambda's or an ``x if c else y``'s are not
            yield column, block, levels
    for case in getattr(node, "cases", ()):
        pattern = case.pattern
        yield pattern.col_offset, case.body, levels + indented(pattern, column, positions)


def indented(node: ast.AST, anchor: int, positions: Positions) -> bool:
    """Whether the node begins its line, right of ``anchor`` (``if x: y``
    keeps ``y`` on the ``if`` line, no deeper; an ``elif`` aligns with its ``if``)."""
    line = positions.lines[node.lineno - 1]
    before = line[: node.col_offset] if line.isascii() else line.encode()[: node.col_offset]
    return not before.strip() and node.col_offset > anchor
