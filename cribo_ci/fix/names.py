"""What each name of a module is bound to, read off a libcst tree.

The rewrites must be certain that ``os`` is the ``os`` module, ``Path`` is
``pathlib.Path`` and ``open`` is the builtin. Scopes are not told apart (libcst's
scope analysis costs about eight times a parse): a name bound by an import and
by anything else anywhere (a parameter named ``path``, a ``global``, an
assignment) is taken as unknown, and left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

import libcst as cst
from libcst.helpers import get_full_name_for_node

# ("import", "os.path") | ("from", "os.path", "join") | ("assign", value) | ("other",)
Binding = tuple


@dataclass
class ModuleNames:
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # every Name, any context
    star_import: bool = False  # `from m import *` may bind anything

    def only(self, name: str) -> Optional[Binding]:
        found = self.bindings.get(name, [])
        if self.star_import or len({b if b[0] != "assign" else id(b) for b in found}) != 1:
            return None
        return found[0]

    def qualified(self, node: cst.BaseExpression) -> Optional[str]:
        """``os.path.join`` for ``join`` bound by ``from os.path import join``,
        ``builtins.open`` for an unbound ``open``; ``None`` when not certain."""
        if isinstance(node, cst.Attribute):
            base = self.qualified(node.value)
            return f"{base}.{node.attr.value}" if base else None
        if not isinstance(node, cst.Name):
            return None
        if node.value not in self.bindings:
            return None if self.star_import else f"builtins.{node.value}"
        binding = self.only(node.value)
        if binding and binding[0] == "import":
            return binding[1]
        if binding and binding[0] == "from":
            return f"{binding[1]}.{binding[2]}"
        return None

    def constant(self, name: str) -> Optional[cst.BaseExpression]:
        """The value of a name assigned once, at module level, and nowhere else."""
        binding = self.only(name)
        return binding[1] if binding and binding[0] == "assign" else None

    def is_free(self, name: str) -> bool:
        return name not in self.bindings and name not in self.used and not self.star_import


def target_names(node: cst.BaseExpression) -> list[str]:
    """Names an assignment target binds (``a.b = ...`` and ``a[0] = ...`` bind none)."""
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, (cst.Tuple, cst.List)):
        return [name for element in node.elements for name in target_names(element.value)]
    if isinstance(node, cst.StarredElement):
        return target_names(node.value)
    return []


class NameCollector(cst.CSTVisitor):
    def __init__(self, top_level_assigns: set[int]):
        self.names = ModuleNames()
        self.top_level_assigns = top_level_assigns

    def bind(self, name: str, binding: Binding) -> None:
        self.names.bindings.setdefault(name, []).append(binding)

    def bind_targets(self, target: Optional[cst.CSTNode]) -> None:
        if isinstance(target, cst.BaseExpression):
            for name in target_names(target):
                self.bind(name, ("other",))

    def visit_Name(self, node: cst.Name) -> None:
        self.names.used.add(node.value)

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bind(alias.asname.name.value, ("import", dotted))
            else:
                top = dotted.partition(".")[0]
                self.bind(top, ("import", top))
        return False  # the aliases' own names are bound here, not by visit_AsName

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if isinstance(node.names, cst.ImportStar):
            self.names.star_import = True
            return False
        module = get_full_name_for_node(node.module) if node.module else ""
        for alias in node.names:
            name = alias.evaluated_alias or alias.evaluated_name
            if node.relative or not module:
                self.bind(name, ("other",))
            else:
                self.bind(name, ("from", module, alias.evaluated_name))
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        if id(node) in self.top_level_assigns:
            self.bind(node.targets[0].target.value, ("assign", node.value))
            return
        for target in node.targets:
            self.bind_targets(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind_targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind_targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.bind_targets(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self.bind_targets(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self.bind_targets(node.name)  # with ... as x, except E as x (imports bind above)

    def visit_Param(self, node: cst.Param) -> None:
        self.bind_targets(node.name)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bind_targets(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bind_targets(node.name)

    def visit_Global(self, node: Union[cst.Global, cst.Nonlocal]) -> None:
        for item in node.names:
            self.bind_targets(item.name)

    visit_Nonlocal = visit_Global

    def visit_Del(self, node: cst.Del) -> None:
        self.bind_targets(node.target)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        self.bind_targets(node.name)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        self.bind_targets(node.name)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        self.bind_targets(node.rest)


def top_level_assigns(module: cst.Module) -> set[int]:
    """``NAME = value`` statements directly in the module body."""
    found = set()
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            continue
        assign = statement.body[0]
        if (
            isinstance(assign, cst.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name)
        ):
            found.add(id(assign))
    return found


def collect_names(module: cst.Module) -> ModuleNames:
    collector = NameCollector(top_level_assigns(module))
    module.visit(collector)
    return collector.names


class LoadCounter(cst.CSTVisitor):
    """Counts where a name is read: not an attribute's name, a keyword, or an import."""

    def __init__(self, name: str):
        self.name = name
        self.count = 0

    def visit_Name(self, node: cst.Name) -> None:
        self.count += node.value == self.name

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        # `__all__ = ["os"]` or getattr(module, "os") may read it by name.
        self.count += node.evaluated_value == self.name

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False


def is_read(module: cst.Module, name: str) -> bool:
    counter = LoadCounter(name)
    module.visit(counter)
    return counter.count > 0
