"""Rewrite: reading data beside ``__file__`` becomes an ``importlib.resources`` read.

    open(os.path.join(os.path.dirname(__file__), "x.json"))
        -> files(__package__).joinpath("x.json").open()
    (Path(__file__).parent / "data" / "x.txt").read_text(encoding="utf-8")
        -> files(__package__).joinpath("data").joinpath("x.txt").read_text(encoding="utf-8")

Only reads (``open`` in a read mode, ``read_text``, ``read_bytes``) of a
literal path inside the module's own folder. The arguments are kept as
written, so the encoding is what it was: without one, ``open``, ``Path.open``
and ``zipfile.Path.open`` (a bundle's ``files()``) all use the locale's.
Arguments these do not take alike (``buffering``, ``opener``, ...) leave the
call alone, as do writes.
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

import libcst as cst

from .base import Rewrite
from .package_paths import STR, code, has_stars, keywords, positional, quote_of, resource_path

OPENERS = ("builtins.open", "io.open")
READ_MODES = {"r", "rt", "tr", "rb", "br"}
TEXT_KEYWORDS = {"encoding", "errors", "newline"}
# method: (positional arguments it may keep, keywords it may keep)
PATH_READS = {
    "read_text": (2, {"encoding", "errors"}),
    "read_bytes": (0, set()),
    "open": (1, {"mode", *TEXT_KEYWORDS}),
}


def read_mode(call: cst.Call, at: int) -> Optional[str]:
    """The literal mode of an ``open``-like call ("r" when not given), or None."""
    given = positional(call)[at : at + 1] or [keywords(call).get("mode")]
    if given[0] is None:
        return "r"
    value = given[0].value
    if isinstance(value, cst.SimpleString) and isinstance(value.evaluated_value, str):
        return value.evaluated_value
    return None


FOLDER_FUNCTIONS = {"dirname", "Path", "PurePath", "PosixPath"}


def takes_folder_of_file(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call) or len(node.args) != 1:
        return False
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name not in FOLDER_FUNCTIONS:
        return False
    argument = node.args[0]
    if isinstance(argument, ast.Call) and len(argument.args) == 1:  # abspath(__file__)
        argument = argument.args[0]
    return isinstance(argument, ast.Name) and argument.id == "__file__"


def open_fits(call: cst.Call) -> bool:
    """``open(path, ...)`` reads, with arguments a Traversable's ``open`` takes alike
    (not a write, not ``buffering``, no text arguments in binary mode)."""
    extra = set(keywords(call)) - {"mode"}
    mode = read_mode(call, 1)
    if len(positional(call)) > 2 or mode not in READ_MODES or extra - TEXT_KEYWORDS:
        return False
    return not ("b" in mode and extra)


def kept_arguments(call: cst.Call, skip: int) -> str:
    """The call's arguments from ``skip`` on, as written (keywords included)."""
    return ", ".join(
        code(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for arg in call.args[skip:]
    )


class FileDataReads(Rewrite):
    @staticmethod
    def wanted(nodes: Sequence[ast.AST]) -> bool:
        """A folder taken from ``__file__`` (``dirname(...)``, ``Path(...)``):
        ``__file__`` alone is often a program's own name, in a message."""
        return any(takes_folder_of_file(node) for node in nodes)

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        if has_stars(original):
            return updated
        if self.names.qualified(original.func) in OPENERS and original.args:
            return self.rewrite_open(original, updated)
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value in PATH_READS:
            return self.rewrite_path_read(original, updated, func)
        return updated

    def rewrite_open(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        """``open(path, mode, encoding=...)`` -> ``files(...)...open(mode, encoding=...)``"""
        first = original.args[0]
        found = None if first.keyword else self.paths.data_path(first.value)
        if found is None:
            return updated
        if not open_fits(original):
            return updated
        return self.to_resources(updated, found[1], "open", 1, first.value, original)

    def rewrite_path_read(
        self, original: cst.Call, updated: cst.Call, func: cst.Attribute
    ) -> cst.BaseExpression:
        """``(folder / "x").read_text()`` -> ``files(...).joinpath("x").read_text()``"""
        found = self.paths.data_path(func.value)
        if found is None or found[0] == STR:
            return updated
        most, allowed = PATH_READS[func.attr.value]
        if len(positional(original)) > most or set(keywords(original)) - allowed:
            return updated
        if func.attr.value == "open" and read_mode(original, 0) not in READ_MODES:
            return updated
        return self.to_resources(updated, found[1], func.attr.value, 0, func.value, original)

    def to_resources(
        self, updated: cst.Call, parts: list, method: str, skip: int, path_node, original
    ) -> cst.BaseExpression:
        head = self.files_call(original)
        if not head:
            return updated
        quote = quote_of(literal_nodes(path_node))
        path = resource_path(head, parts, self.context.oldest_python, quote)
        return self.replaced(original, f"{path}.{method}({kept_arguments(updated, skip)})")


def literal_nodes(node: cst.CSTNode) -> list[cst.BaseExpression]:
    collector = Strings()
    node.visit(collector)
    return collector.found


class Strings(cst.CSTVisitor):
    def __init__(self):
        self.found: list[cst.BaseExpression] = []

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.found.append(node)
