"""Rewrite: ``pkg_resources`` resource calls become ``importlib.resources`` ones.

    resource_string(__name__, "x.json")   -> files(__package__).joinpath("x.json").read_bytes()
    resource_stream(__name__, "x.json")   -> files(__package__).joinpath("x.json").open("rb")
    resource_exists(__name__, "x.json")   -> files(__package__).joinpath("x.json").exists()
    resource_isdir(__name__, "data")      -> files(__package__).joinpath("data").is_dir()
    resource_listdir(__name__, "data")    -> [entry.name for entry in files(__package__).joinpath("data").iterdir()]
    open(resource_filename(__name__, "x")) -> files(__package__).joinpath("x").open()

The package argument must be ``__name__``, ``__package__`` or the literal name
of a first-party module; ``pkg_resources`` takes a module's resources from the
module's folder, which is its package's. ``resource_filename`` promises a real
file that lives on after the call; ``importlib.resources.as_file`` gives one
only inside a ``with`` block, so it is rewritten only where its path is opened
at once, and otherwise kept with a warning. (``exists()`` is not in the
Traversable protocol, but ``pathlib.Path`` and ``zipfile.Path`` have it: the
two ``files()`` gives for a regular package, on disk and in a bundle.)
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

import libcst as cst

from .base import Rewrite
from .file_reads import kept_arguments, open_fits
from .package_paths import literal_parts, positional, quote_of, resource_path, string_literal

OPENERS = ("builtins.open", "io.open")
LISTING = "[entry.name for entry in {}.iterdir()]"
TEMPLATES = {
    "resource_string": "{}.read_bytes()",
    "resource_stream": '{}.open("rb")',
    "resource_exists": "{}.exists()",
    "resource_isdir": "{}.is_dir()",
    "resource_listdir": LISTING,
}
FOLDER_ALLOWED = {"resource_exists", "resource_isdir", "resource_listdir"}
FILENAME = "pkg_resources.resource_filename"
KEEP_FILENAME = (
    "resource_filename() gives a file that outlives the call; importlib.resources "
    "gives one only inside `with as_file(...)`: rewrite this by hand"
)


class PkgResourcesCalls(Rewrite):
    @staticmethod
    def wanted(nodes: Sequence[ast.AST]) -> bool:
        return any(imports_pkg_resources(node) for node in nodes)

    def __init__(self, *args):
        super().__init__(*args)
        self.opened: set[int] = set()  # resource_filename calls an open() reads at once

    def function(self, call: cst.Call) -> Optional[str]:
        name = self.names.qualified(call.func) or ""
        return name.rpartition(".")[2] if name.startswith("pkg_resources.") else None

    def visit_Call(self, node: cst.Call) -> None:
        if self.names.qualified(node.func) in OPENERS and node.args and open_fits(node):
            first = node.args[0].value
            if isinstance(first, cst.Call) and self.names.qualified(first.func) == FILENAME:
                self.opened.add(id(first))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        function = self.function(original)
        if function == "resource_filename" and id(original) not in self.opened:
            self.keep(original, KEEP_FILENAME)
        if function in TEMPLATES:
            path = self.resource(original, function in FOLDER_ALLOWED)
            return self.replaced(original, TEMPLATES[function].format(path)) if path else updated
        first = original.args[0].value if original.args else None
        if isinstance(first, cst.Call) and id(first) in self.opened:
            path = self.resource(first, False)
            if path:
                return self.replaced(original, f"{path}.open({kept_arguments(updated, 1)})")
        return updated

    def resource(self, call: cst.Call, folder_allowed: bool) -> str:
        """``files(pkg).joinpath(...)`` for a (package, literal name) call, else ""."""
        arguments = positional(call)
        if len(arguments) != 2 or len(call.args) != 2:
            return ""
        package = self.package(arguments[0].value)
        name = arguments[1].value
        is_folder = folder_allowed and isinstance(name, cst.SimpleString)
        parts = [] if is_folder and name.evaluated_value == "" else literal_parts([name])
        if package is None or parts is None:
            return ""
        head = self.files_call(call, package)
        oldest = self.context.oldest_python
        return resource_path(head, parts, oldest, quote_of([name])) if head else ""

    def package(self, node: cst.BaseExpression) -> Optional[str]:
        """The package whose folder ``pkg_resources`` reads for this argument;
        "" when that is the module's own (``files_call`` then says whether it has one)."""
        if isinstance(node, cst.Name) and node.value in ("__name__", "__package__"):
            return "" if node.value not in self.names.bindings else None
        if not isinstance(node, cst.SimpleString) or not isinstance(node.evaluated_value, str):
            return None
        name = node.evaluated_value
        if name in self.context.modules:  # a module's resources are its package's
            name = name.rpartition(".")[0]
        if name in self.context.packages:
            return string_literal(name, node.quote)
        self.keep(node, f"{name!r} is no first-party package: left as it is")
        return None


def imports_pkg_resources(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return any(alias.name == "pkg_resources" for alias in node.names)
    return isinstance(node, ast.ImportFrom) and node.module == "pkg_resources" and not node.level
