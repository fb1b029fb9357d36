"""Paths into a module's own folder, and the ``importlib.resources`` call that
reads the same file.

``folder_of_file`` knows the ways code names the folder a module lies in
(``os.path.dirname(__file__)``, ``Path(__file__).parent``, a module-level
``HERE = ...`` of either); ``data_path`` adds the literal parts below it
(``os.path.join(folder, "data", "x.json")``, ``folder / "data" / "x.json"``,
``folder.joinpath(...)``). Only literal parts that stay inside the folder
are taken: anything else may point anywhere, and is left alone.
"""

from __future__ import annotations

from typing import Optional, Sequence

import libcst as cst

from .model import FixContext
from .names import ModuleNames

STR, PATH = "str", "path"
EMPTY = cst.Module([])
FILE_PATHS = {"os.path.abspath": False, "os.path.realpath": True}  # name: follows symlinks
PATH_TYPES = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"}
MAX_ALIAS_DEPTH = 2


def code(node: cst.CSTNode) -> str:
    return EMPTY.code_for_node(node)


def one_line(node: cst.CSTNode) -> str:
    """A node's code on one line, for the report."""
    return " ".join(part.strip() for part in code(node).splitlines()).strip()


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def keywords(call: cst.Call) -> dict[str, cst.Arg]:
    return {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}


def has_stars(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


class PackagePaths:
    """Recognises paths into the module's folder, for one module."""

    def __init__(self, names: ModuleNames, context: FixContext):
        self.names = names
        self.context = context

    def is_file_name(self, node: cst.BaseExpression) -> bool:
        return (
            isinstance(node, cst.Name)
            and node.value == "__file__"
            and "__file__" not in self.names.bindings
        )

    def is_call_of(self, node: cst.BaseExpression, names: Sequence[str]) -> bool:
        return (
            isinstance(node, cst.Call)
            and not has_stars(node)
            and self.names.qualified(node.func) in names
        )

    def file_path(self, node: cst.BaseExpression) -> bool:
        """``__file__``, ``os.path.abspath(__file__)``, ``os.path.realpath(__file__)``
        (realpath only when the file is no symlink: it would name the target's folder)."""
        if self.is_file_name(node):
            return True
        if not self.is_call_of(node, FILE_PATHS) or len(node.args) != 1:
            return False
        follows = FILE_PATHS[self.names.qualified(node.func)]
        return self.is_file_name(node.args[0].value) and not (
            follows and self.context.file_is_symlink
        )

    def folder_of_file(self, node: cst.BaseExpression, depth: int = 0) -> Optional[str]:
        """STR or PATH when ``node`` is the module's folder, else None."""
        if isinstance(node, cst.Name) and depth < MAX_ALIAS_DEPTH:
            value = self.names.constant(node.value)
            return self.folder_of_file(value, depth + 1) if value is not None else None
        if self.is_call_of(node, ("os.path.dirname",)) and len(node.args) == 1:
            return STR if self.file_path(node.args[0].value) else None
        if self.is_call_of(node, PATH_TYPES) and len(node.args) == 1:
            inner = node.args[0].value
            return PATH if self.folder_of_file(inner, depth) == STR else None
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            return PATH if self.path_of_file(node.value) else None
        return None

    def path_of_file(self, node: cst.BaseExpression) -> bool:
        """``Path(__file__)``, with ``.absolute()`` or (no symlink) ``.resolve()``."""
        if self.is_call_of(node, PATH_TYPES) and len(node.args) == 1:
            return self.file_path(node.args[0].value)
        if not (isinstance(node, cst.Call) and not node.args):
            return False
        method = node.func
        if not isinstance(method, cst.Attribute):
            return False
        wanted = ("absolute",) if self.context.file_is_symlink else ("absolute", "resolve")
        return method.attr.value in wanted and self.path_of_file(method.value)

    def data_path(self, node: cst.BaseExpression) -> Optional[tuple[str, list[str]]]:
        """(STR or PATH, the parts below the folder) for a file inside it."""
        if self.is_call_of(node, ("os.path.join",)) and len(node.args) >= 2:
            parts = literal_parts([arg.value for arg in node.args[1:]])
            if parts and self.folder_of_file(node.args[0].value) == STR:
                return STR, parts
            return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            return self.below_path(node.left, [node.right])
        if is_joinpath(node):
            return self.below_path(node.func.value, [arg.value for arg in node.args])
        return None

    def below_path(
        self, base: cst.BaseExpression, more: Sequence[cst.BaseExpression]
    ) -> Optional[tuple[str, list[str]]]:
        parts = literal_parts(more)
        if not parts:
            return None
        if self.folder_of_file(base) == PATH:
            return PATH, parts
        inner = self.data_path(base)
        return (PATH, inner[1] + parts) if inner and inner[0] == PATH else None


def is_joinpath(node: cst.BaseExpression) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "joinpath"
        and positional(node) == list(node.args)
    )


def literal_parts(nodes: Sequence[cst.BaseExpression]) -> Optional[list[str]]:
    """Plain string literals, split at ``/``: None if any is not one, or could
    leave the folder (``..``, an absolute path, a drive, a backslash)."""
    parts: list[str] = []
    for node in nodes:
        if not isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            return None
        value = node.evaluated_value
        if not isinstance(value, str):
            return None  # bytes
        pieces = value.split("/")
        if any(piece in ("", ".", "..") or "\\" in piece or ":" in piece for piece in pieces):
            return None
        parts.extend(pieces)
    return parts or None


def quote_of(nodes: Sequence[cst.BaseExpression]) -> str:
    """The quote the code's own literals use, for the ones written in their place."""
    first = next((node for node in nodes if isinstance(node, cst.SimpleString)), None)
    return "'" if first is not None and first.quote == "'" else '"'


def resource_path(head: str, parts: Sequence[str], oldest: tuple, quote: str = '"') -> str:
    """``head`` (``files(package)``) ``.joinpath(...)``: Traversable.joinpath takes several parts
    only from 3.11 on (3.9 and 3.10's zipfile.Path and MultiplexedPath take one)."""
    quoted = [string_literal(part, quote) for part in parts]
    if oldest >= (3, 11):
        joins = f".joinpath({', '.join(quoted)})" if quoted else ""
    else:
        joins = "".join(f".joinpath({part})" for part in quoted)
    return head + joins


def string_literal(text: str, quote: str = '"') -> str:
    return quote + text.replace("\\", "\\\\").replace(quote, "\\" + quote) + quote
