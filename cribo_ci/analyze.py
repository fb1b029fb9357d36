"""Per-module facts from one ``ast`` parse: imports, top-level names, rewrites.

Nothing here imports or runs the project's code. The facts depend only on
the module's text (and whether it is a package), so they can be cached by
content hash.
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence

from .data_files import file_path_warnings
from .hints import computed_name_warning
from .model import ImportRecord, Location, ModuleFacts, SourceFile, Warning_
from .named import names_in_strings
from .source import Positions, parse_source
from .transform import collect_edits
from .transform.function_form import bound_names, needs_function_form
from .transform.scope import module_level_statements

DYNAMIC_IMPORTERS = {"import_module", "__import__"}


class ImportScanner(ast.NodeVisitor):
    """Collects every import (static and literal dynamic) and warnings, as data."""

    def __init__(self, source: SourceFile, package: Optional[str]):
        self.source = source
        self.package = package
        self.records: list[ImportRecord] = []
        self.warnings: list[Warning_] = []
        self.try_depth = 0

    def visit_Try(self, node: ast.Try) -> None:
        self.try_depth += 1
        for child in node.body:
            self.visit(child)
        self.try_depth -= 1
        for child in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(child)

    visit_TryStar = visit_Try

    def visit_leaf(self, node: ast.AST) -> None:
        """Names and constants hold no import: walking into them (a name's
        context node) would be a third of the walk."""

    visit_Name = visit_Constant = visit_leaf

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.add(alias.name, 0, (), node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = tuple(alias.name for alias in node.names)
        self.add(node.module or "", node.level, names, node)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in DYNAMIC_IMPORTERS or not node.args:
            return
        target = node.args[0]
        package = self.package_argument(node)
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            self.add_dynamic(target.value, package, node, prefix=False)
            return
        prefix = literal_prefix(target)
        if prefix:
            self.add_dynamic(prefix, package, node, prefix=True)
            return
        self.warn(node, computed_name_warning(name, self.package))

    def package_argument(self, node: ast.Call) -> Optional[str]:
        given = [kw.value for kw in node.keywords if kw.arg == "package"] or node.args[1:2]
        if not given:
            return None
        value = given[0]
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return value.value
        if isinstance(value, ast.Name) and value.id in {"__name__", "__package__"}:
            return self.package
        return None

    def add_dynamic(self, name: str, package: Optional[str], node: ast.Call, prefix: bool) -> None:
        level = len(name) - len(name.lstrip("."))
        if level and package is None:
            self.warn(node, "relative dynamic import without a known package is not followed")
            return
        if level:
            base = package.split(".") if package else []
            name = ".".join([*base[: len(base) - (level - 1)], name[level:]]).strip(".")
        self.add(name.strip("."), 0, (), node, prefix=prefix)

    def add(self, name: str, level: int, names: tuple, node: ast.AST, prefix: bool = False) -> None:
        record = ImportRecord(
            name, level, names, node.lineno, node.col_offset, self.try_depth > 0, prefix
        )
        self.records.append(record)

    def warn(self, node: ast.AST, message: str) -> None:
        location = Location(self.source.relpath, node.lineno, node.col_offset)
        self.warnings.append(Warning_(location, message))


def literal_prefix(node: ast.expr) -> Optional[str]:
    """``"pkg.styles." + name``, ``f"pkg.lexers.{mod}"``, ``"pkg.%s" % x`` and
    ``"pkg.{}".format(x)``: the package every candidate lies under."""
    head: Optional[str] = None
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant):
        head = node.left.value if isinstance(node.op, (ast.Add, ast.Mod)) else None
    elif isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        head = first.value if isinstance(first, ast.Constant) else None
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
    ):
        head = node.func.value.value
    if not isinstance(head, str):
        return None
    head = head.split("%")[0].split("{")[0]
    package = head[: head.rfind(".")] if "." in head else ""
    if head.startswith("."):
        return package or "."  # relative to the package argument
    return package or None


def defined_names(tree: ast.Module) -> list[str]:
    names: dict[str, None] = {}
    for node in module_level_statements(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[node.name] = None
    return list(names)


def annotated_names(tree: ast.Module) -> frozenset[str]:
    return frozenset(
        node.target.id
        for node in module_level_statements(tree)
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)
    )


def docstring_end(tree: ast.Module, positions: Positions) -> Optional[int]:
    first = tree.body[0] if tree.body else None
    if not (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return None
    return positions.end(first)


def literal_all_names(tree: ast.Module) -> tuple[str, ...]:
    """Names put in ``__all__`` as literals (``=``, ``+=``, ``.extend``, ``.append``):
    a star import of a package also imports the submodules listed there."""
    names: list[str] = []
    for node in module_level_statements(tree):
        value = None
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                value = node.value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "__all__"
                and node.value.args
            ):
                value = node.value.args[0]
        if value is not None:
            names.extend(
                item.value
                for item in ast.walk(value)
                if isinstance(item, ast.Constant) and isinstance(item.value, str)
            )
    return tuple(dict.fromkeys(names))


def string_lines(nodes: Sequence[ast.AST]) -> frozenset[int]:
    """Lines that begin inside a string literal: they must not be re-indented.

    ``nodes``: all of the module's (``ast.walk``). The parts of an f-string
    are left out: their positions are unreliable before 3.12.
    """
    parts = {
        id(part)
        for node in nodes
        if isinstance(node, ast.JoinedStr)
        for part in ast.walk(node)
        if part is not node
    }
    lines: set[int] = set()
    for node in nodes:
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in parts:
            lines.update(range(node.lineno + 1, node.end_lineno + 1))
    return frozenset(lines)


def analyze_module(source: SourceFile, name: str, is_package: bool) -> ModuleFacts:
    tree = parse_source(source)
    nodes = list(ast.walk(tree))  # one walk for the finders that need every node
    positions = Positions(source.text)
    package = name if is_package else name.rpartition(".")[0] or None
    scanner = ImportScanner(source, package)
    scanner.visit(tree)
    function_form = needs_function_form(tree)
    named, resource_imports = names_in_strings(nodes)
    return ModuleFacts(
        imports=(*scanner.records, *resource_imports),
        defined_names=tuple(defined_names(tree)),
        annotated_names=annotated_names(tree),
        docstring_end=docstring_end(tree, positions),
        edits=collect_edits(tree, positions),
        warnings=(*scanner.warnings, *file_path_warnings(nodes, source.relpath)),
        has_statements=bool(tree.body),
        string_lines=string_lines(nodes),
        all_names=literal_all_names(tree),
        function_form=function_form,
        bound_names=tuple(bound_names(tree, source.text, source.relpath)) if function_form else (),
        named_strings=named,
    )
