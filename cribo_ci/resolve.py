"""Find the first-party modules reachable from the entry and build the graph.

Each module's imports (and the strings that name modules) are followed
breadth-first from the entry, found on disk as Python's path search would
(locate.py), and classified as first-party (found in a root), stdlib or
third-party. The project's code is parsed, never imported.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .analyze import analyze_module
from .errors import ResolveError
from .locate import (
    Analyzer,
    Found,
    Resolver,
    entry_module,
    included_names,
    refuse_source_as_output,
    settled,
)
from .model import (
    Edge,
    ImportKind,
    ImportRecord,
    Location,
    ModuleGraph,
    ModuleInfo,
    NamedString,
    Warning_,
)
from .named import string_target
from .source import read_source
from .stdlib import is_stdlib
from .unprovided import Providers, firmly_imported, unprovided_warnings


def candidates(record: ImportRecord, importer: str, is_package: bool) -> list[str]:
    """Module names an import may load, parents first."""
    if record.level:
        package = importer if is_package else importer.rpartition(".")[0]
        parts = package.split(".") if package else []
        if record.level > len(parts):
            return []
        base = parts[: len(parts) - record.level + 1]
        target = ".".join([*base, record.name] if record.name else base)
    else:
        target = record.name
    if not target:
        return []
    pieces = target.split(".")
    names = [".".join(pieces[: i + 1]) for i in range(len(pieces))]
    names.extend(f"{target}.{name}" for name in record.names if name != "*")
    return names


def relative_too_deep(record: ImportRecord, importer: str, is_package: bool) -> bool:
    if not record.level:
        return False
    package = importer if is_package else importer.rpartition(".")[0]
    return record.level > (len(package.split(".")) if package else 0)


def resolve_graph(
    entry: Path,
    src: tuple[Path, ...] = (),
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    skip: frozenset[Path] = frozenset(),
    analyze: Analyzer = analyze_module,
) -> ModuleGraph:
    entry_file, entry_name, entry_package, default_root = entry_module(entry)
    if entry_file.resolve() in skip:
        refuse_source_as_output(entry_file)
    roots = tuple(dict.fromkeys(path.resolve() for path in (default_root, *src)))
    builder = GraphBuilder(Resolver(roots, skip, exclude, analyze))
    builder.queue.append(builder.load(Found(
        entry_name, roots[0] / entry_file.relative_to(default_root), False, (), roots[0]
    ), "entry"))  # fmt: skip
    if entry_package:
        builder.add(entry_package, "package of the entry")
    for pattern in include:
        # A module included by its exact name wins over an exclude glob: what
        # keeps one plugin of many that strings name (``exclude = ['pkg.plugins.*']``).
        exact = not any(char in pattern for char in "*?[")
        for name in included_names(builder.resolver, pattern):
            builder.included.add(name)
            reason = f"include {pattern!r}"
            builder.want_first_party(name, "<include>", 0, "include", reason, forced=exact)
    return builder.build(entry_name, entry_package)


@dataclass
class GraphBuilder:
    """The mutable state of one resolution; ``build`` freezes it into a graph.

    Modules are visited breadth-first from the entry: each one's imports are
    resolved, and every first-party module they name is loaded and queued.
    """

    resolver: Resolver
    queue: list[ModuleInfo] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    externals: dict[str, ImportKind] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    included: set[str] = field(default_factory=set)  # what the include setting selected
    named: set[str] = field(default_factory=set)  # modules in for a string alone
    # Unconditional absolute imports of top-level names no root or stdlib has:
    # name -> (importer, where)
    unplaced: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)
    firm_edges: dict[str, set[str]] = field(default_factory=dict)  # see firmly_imported

    @property
    def modules(self) -> dict[str, ModuleInfo]:
        return self.resolver.loaded

    def load(self, found: Found, reason: str) -> ModuleInfo:
        if found.file is None:
            return ModuleInfo(found.name, None, True, found.root, None, reason)
        relpath = found.file.relative_to(found.root).as_posix()
        source = read_source(found.file, relpath)
        facts = self.resolver.analyze(source, found.name, found.is_package)
        return ModuleInfo(found.name, source, found.is_package, found.root, facts, reason)

    def add(self, name: str, reason: str) -> None:
        module = self.load(self.resolver.find(name), reason)
        self.modules[name] = module
        self.queue.append(module)
        parent = name.rpartition(".")[0]  # imported before it, however it is imported
        if parent:
            self.want_first_party(parent, name, 0, "parent", f"parent of {name}")

    def want_first_party(
        self, name: str, importer: str, line: int, kind: str, reason: str, forced: bool = False
    ) -> None:
        """Bundle ``name`` if it is a first-party module (not excluded, unless
        ``forced``); nothing else is recorded: a string, an include or a parent
        naming no module is no external."""
        if (self.resolver.excluded(name) and not forced) or self.resolver.find(name) is None:
            return
        self.edges.append(Edge(importer, name, line, kind))
        if name not in self.modules:
            self.add(name, reason)

    def want(self, name: str, importer: str, line: int, kind: str) -> None:
        """An import of ``name``: bundle it if it is first-party, else record it."""
        resolver = self.resolver
        found = None if resolver.excluded(name) else resolver.find(name)
        if found is None:
            top = name.partition(".")[0]
            if resolver.find(top) is None or resolver.excluded(top):
                kind_of = ImportKind.STDLIB if is_stdlib(top) else ImportKind.THIRD_PARTY
                self.externals.setdefault(top, kind_of)
            return
        edge = Edge(importer, name, line, kind)
        self.edges.append(edge)
        if name not in self.modules:
            self.add(name, reason_of(edge))

    def build(self, entry: str, entry_package: Optional[str]) -> ModuleGraph:
        while self.queue:
            module = settled(self.queue.pop(0))
            self.modules[module.name] = module
            if module.facts is not None:
                self.warnings.extend(module.facts.warnings)
                for record in module.facts.imports:
                    self.scan(module, record)
                for named in module.facts.named_strings:
                    self.scan_string(module, named)
        self.warnings = [w for w in self.warnings if not self.answered(w)]  # all strings seen
        firm = firmly_imported({entry, entry_package, *self.included}, self.firm_edges)
        self.warnings.extend(self.unprovided(firm))
        modules = imports_before_includes(self.modules.values(), self.edges)
        ordered = tuple(sorted(modules, key=lambda m: m.name))
        return ModuleGraph(
            entry=entry,
            entry_package=entry_package,
            modules=ordered,
            edges=tuple(sorted(set(self.edges), key=lambda e: (e.importer, e.line, e.imported))),
            externals=tuple(sorted(self.externals.items())),
            warnings=(*self.warnings, *stdlib_shadows(ordered, entry)),
        )

    def answered(self, warning: Warning_) -> bool:
        """A computed import's warning, when ``include`` already adds modules
        under the package it loads from (at the top level: any module), or
        strings name modules there (pygments' lexer tables, for its lexers)."""
        under = warning.loads_under
        if under is None:
            return False
        if not under:  # a string naming some top-level module says nothing of this import
            return bool(self.included)
        return any(name.startswith(f"{under}.") for name in (*self.included, *self.named))

    def note_unplaced(self, module: ModuleInfo, record: ImportRecord, location: Location) -> None:
        """Remember an absolute import of a top-level name no root or stdlib has,
        unless a run may skip it (``try``, ``if``) or ``exclude`` names it."""
        top = record.name.partition(".")[0]
        if record.level or record.conditional or not top or is_stdlib(top):
            return
        parts = record.name.split(".")
        prefixes = [".".join(parts[:count]) for count in range(1, len(parts) + 1)]
        if self.resolver.find(top) is None and not any(map(self.resolver.excluded, prefixes)):
            self.unplaced.setdefault(top, []).append((module.name, location))

    def unprovided(self, firm: set[str]) -> list[Warning_]:
        """Warnings for the unplaced imports of modules every run imports."""
        wanted: dict[str, list[Location]] = {}
        for top, places in self.unplaced.items():
            located = [location for importer, location in places if importer in firm]
            if located:
                wanted[top] = located
        if not wanted:
            return []
        roots = self.resolver.roots
        first_party = {stem for root in roots for stem in self.resolver.child_stems(root)}
        return unprovided_warnings(wanted, Providers.of_this_process(), roots, first_party)

    def scan(self, module: ModuleInfo, record: ImportRecord) -> None:
        location = Location(module.source.relpath, record.line, record.column)
        self.note_unplaced(module, record, location)
        if relative_too_deep(record, module.name, module.is_package):
            message = "attempted relative import beyond top-level package"
            if not record.guarded:
                raise ResolveError(message, location)
            self.warnings.append(Warning_(location, message + " (inside try: left as it is)"))
        elif record.prefix:
            self.scan_prefix(module, record, location)
        else:
            self.scan_import(module, record, location)

    def scan_prefix(self, module: ModuleInfo, record: ImportRecord, location: Location) -> None:
        names = self.resolver.submodules(record.name)
        if not names and not is_stdlib(record.name.partition(".")[0]):  # "encodings." + x
            message = f"no bundled package {record.name!r} to load from"
            self.warnings.append(Warning_(location, message))
        for name in [record.name, *names]:
            self.want(name, module.name, record.line, "prefix")

    def scan_import(self, module: ModuleInfo, record: ImportRecord, location: Location) -> None:
        find = self.resolver.find
        names = candidates(record, module.name, module.is_package)
        for index, name in enumerate(names):
            is_from_name = index >= len(names) - len(record.names) and record.names
            if is_from_name and find(name) is None:
                continue  # `from pkg import attr`: an attribute, not a module
            if record.level and find(name) is None and not is_from_name:
                if not record.guarded:
                    self.warnings.append(Warning_(location, f"cannot find module {name!r}"))
                return
            self.want(name, module.name, record.line, "import")
            if not record.conditional and not record.in_function:
                self.firm_edges.setdefault(module.name, set()).add(name)
        if record.names == ("*",) and names:
            self.star_submodules(names[-1], module.name, record.line)

    def scan_string(self, module: ModuleInfo, named: NamedString) -> None:
        """A string naming first-party modules: they may be imported by computed name."""
        name = string_target(named, self.resolver.find)
        if name is None:
            return
        reason = f"named by string at {module.source.relpath}:{named.line}"
        for each in [name, *(self.resolver.submodules(name) if named.prefix else ())]:
            new = each not in self.modules
            self.want_first_party(each, module.name, named.line, "string", reason)
            if new and each in self.modules:  # in the bundle for the string alone
                self.named.add(each)

    def star_submodules(self, target: str, importer: str, line: int) -> None:
        """``from pkg import *`` also imports the submodules named in ``pkg.__all__``."""
        found = self.resolver.find(target)
        if found is None or not found.is_package or found.file is None:
            return
        facts = self.resolver.facts_of(target)
        for name in facts.all_names if facts else ():
            if self.resolver.find(f"{target}.{name}") is not None:
                self.want(f"{target}.{name}", importer, line, "import")


def imports_before_includes(modules, edges: list[Edge]) -> list[ModuleInfo]:
    """Includes are loaded first, so a module the project also imports was loaded for
    its ``include``: the import, the reason it would be in anyway, is said first."""
    first: dict[str, Edge] = {}
    imports: dict[str, Edge] = {}
    for edge in edges:
        first.setdefault(edge.imported, edge)
        if edge.kind != "include":
            imports.setdefault(edge.imported, edge)

    def said_first(module: ModuleInfo) -> ModuleInfo:
        loaded_by = first.get(module.name)
        if loaded_by is None or loaded_by.kind != "include" or module.name not in imports:
            return module
        reason = f"{reason_of(imports[module.name])} (also {module.reason})"
        return dataclasses.replace(module, reason=reason)

    return [said_first(module) for module in modules]


def reason_of(edge: Edge) -> str:
    return f"{edge.kind} by {edge.importer} line {edge.line}"


def stdlib_shadows(modules: tuple[ModuleInfo, ...], entry: str) -> list[Warning_]:
    """First-party top-level modules named like stdlib ones. The bundle keeps the
    project's, as the script did (its folder comes first on ``sys.path``), but
    it is a trap: run any other way, the stdlib module wins."""
    return [
        Warning_(
            Location(module.source.relpath if module.source else f"{module.name}/"),
            f"first-party {module.name!r} shadows the standard library module of that name",
        )
        for module in modules
        if "." not in module.name and module.name != entry and is_stdlib(module.name)
    ]
