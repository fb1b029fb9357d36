"""Per-module facts from one ``ast`` parse: imports, top-level names, rewrites.

Nothing here imports or runs the project's code. The facts depend only on
the module's text (and whether it is a package), so they can be cached by
content hash.
"""

from __future__ import annotations

import ast
import platform
from typing import NamedTuple, Optional, Sequence

from .data_files import file_path_warnings
from .deep import with_room
from .errors import SourceSyntaxError, processing
from .hints import computed_name_warning
from .indentation import indentation_error
from .model import ImportRecord, Location, ModuleFacts, SourceFile, Warning_
from .named import names_in_strings
from .source import Positions, parse_source
from .transform import collect_edits
from .transform.function_form import bound_names, needs_function_form
from .transform.scope import module_level_statements

DYNAMIC_IMPORTERS = {"import_module", "__import__"}


LEAVES = (ast.Name, ast.Constant)  # hold no import: skipping them is a third of the walk
TRIES = (ast.Try, getattr(ast, "TryStar", ast.Try))
CONDITIONALS = (ast.If, getattr(ast, "Match", ast.If))
WITHS = (ast.With, ast.AsyncWith)
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


class ImportScanner:
    """Collects every import (static and literal dynamic) and warnings, as data.

    ``scan`` walks with a stack of its own, not by recursion: generated code
    nests thousands of levels deep, past Python's recursion limit.
    """

    def __init__(self, source: SourceFile, package: Optional[str]):
        self.source = source
        self.package = package
        self.records: list[ImportRecord] = []
        self.warnings: list[Warning_] = []

    def scan(self, tree: ast.Module) -> None:
        """Every node once, in source order; a call after its arguments (an
        import in an argument comes first, as the interpreter runs them)."""
        stack: list[tuple[ast.AST, Where, bool]] = [(tree, Where(), False)]
        while stack:
            node, where, children_done = stack.pop()
            if children_done:
                self.visit_call(node, where)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.add(alias.name, 0, (), node, where)
            elif isinstance(node, ast.ImportFrom):
                names = tuple(alias.name for alias in node.names)
                self.add(node.module or "", node.level, names, node, where)
            elif not isinstance(node, LEAVES):
                if isinstance(node, ast.Call):
                    stack.append((node, where, True))
                stack.extend(reversed(children(node, where)))

    def visit_call(self, node: ast.Call, where: Where) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in DYNAMIC_IMPORTERS or not node.args:
            return
        target = node.args[0]
        package = self.package_argument(node)
        if name == "__import__" and import_level(node) and isinstance(target, ast.Constant):
            # __import__("sub", globals(), None, (), 1): relative to this module's package
            target = ast.Constant("." * import_level(node) + str(target.value))
            package = self.package
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            self.add_dynamic(target.value, package, node, False, where)
            return
        prefix = literal_prefix(target)
        if prefix:
            self.add_dynamic(prefix, package, node, True, where)
            return
        self.warn(node, computed_name_warning(name, self.package), loads_under=self.package or "")

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

    def add_dynamic(
        self, name: str, package: Optional[str], node: ast.Call, prefix: bool, where: Where
    ) -> None:
        level = len(name) - len(name.lstrip("."))
        if level and package is None:
            self.warn(node, "relative dynamic import without a known package is not followed")
            return
        if level:
            base = package.split(".") if package else []
            name = ".".join([*base[: len(base) - (level - 1)], name[level:]]).strip(".")
        self.add(name.strip("."), 0, (), node, where, prefix)

    def add(
        self, name: str, level: int, names: tuple, node: ast.AST, where: Where, prefix: bool = False
    ) -> None:
        record = ImportRecord(
            name, level, names, node.lineno, node.col_offset, where.in_try, prefix,
            conditional=where.conditional, in_function=where.in_function,
        )  # fmt: skip
        self.records.append(record)

    def warn(self, node: ast.AST, message: str, loads_under: Optional[str] = None) -> None:
        location = Location(self.source.relpath, node.lineno, node.col_offset)
        self.warnings.append(Warning_(location, message, loads_under))


def is_main_guard(node: ast.AST) -> bool:
    """``if __name__ == "__main__":`` (either way round)."""
    test = getattr(node, "test", None)
    if not isinstance(test, ast.Compare) or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, *test.comparators]
    return any(isinstance(side, ast.Name) and side.id == "__name__" for side in sides) and any(
        isinstance(side, ast.Constant) and side.value == "__main__" for side in sides
    )


def is_suppress(node: ast.With) -> bool:
    """``with suppress(ImportError):`` (``contextlib.suppress``): an optional import."""
    for item in node.items:
        func = getattr(item.context_expr, "func", None)
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name == "suppress":
            return True
    return False


def import_level(node: ast.Call) -> int:
    """The ``level`` argument of an ``__import__`` call, when it is a literal."""
    given = [kw.value for kw in node.keywords if kw.arg == "level"] or node.args[4:5]
    value = getattr(given[0], "value", 0) if given else 0
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class Where(NamedTuple):
    """Where an import sits: each flag says a run may not reach it at import time."""

    in_try: bool = False  # in a ``try`` body: failure may be intended
    conditional: bool = False  # under ``if``/``match``/``try``/``with suppress(...)``
    in_function: bool = False  # runs when the function is called


def children(node: ast.AST, where: Where) -> list[tuple[ast.AST, Where, bool]]:
    """A node's children to scan, each with where it lies."""
    if isinstance(node, TRIES):
        inside = where._replace(in_try=True, conditional=True)
        rest = where._replace(conditional=True)
        return [(child, inside, False) for child in node.body] + [
            (child, rest, False) for child in (*node.handlers, *node.orelse, *node.finalbody)
        ]
    if isinstance(node, ast.If) and is_main_guard(node):  # a script's run takes this branch
        rest = where._replace(conditional=True)
        taken = [(child, where, False) for child in (node.test, *node.body)]
        return taken + [(child, rest, False) for child in node.orelse]
    if isinstance(node, CONDITIONALS) or (isinstance(node, WITHS) and is_suppress(node)):
        where = where._replace(conditional=True)
    elif isinstance(node, FUNCTIONS):
        where = where._replace(in_function=True)
    return [(child, where, False) for child in ast.iter_child_nodes(node)]


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
    """``module_facts``, with room to recurse for deeply nested code (deep.py)."""
    try:
        with processing(source.relpath):
            return with_room(module_facts, len(source.text), source, name, is_package)
    except RecursionError as error:  # even with room: this Python's own limit
        message = (
            f"nested too deeply for Python {platform.python_version()} to parse ({error}): "
            "bundle it with a Python that compiles it"
        )
        raise SourceSyntaxError(message, Location(source.relpath)) from error


def module_facts(source: SourceFile, name: str, is_package: bool) -> ModuleFacts:
    tree = parse_source(source)
    positions = Positions(source.text)
    too_deep = indentation_error(tree, positions, source.relpath)
    if too_deep is not None:
        raise too_deep
    nodes = list(ast.walk(tree))  # one walk for the finders that need every node
    package = name if is_package else name.rpartition(".")[0] or None
    scanner = ImportScanner(source, package)
    scanner.scan(tree)
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
