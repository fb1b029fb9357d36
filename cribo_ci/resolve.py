"""Find the first-party modules reachable from the entry and build the graph.

Python's own path search is followed: a top-level name is looked up in the
source roots in order (a regular package, then a module, then namespace
package portions gathered from every root); a submodule only inside its
parent package's directories. Imports are classified as first-party
(found in a root), stdlib or third-party. The project's code is parsed,
never imported.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Union

from .analyze import analyze_module
from .errors import EntryError, OutputError, ResolveError
from .model import (
    Edge,
    ImportKind,
    ImportRecord,
    Location,
    ModuleFacts,
    ModuleGraph,
    ModuleInfo,
    NamedString,
    SourceFile,
    Warning_,
)
from .named import string_target
from .source import read_source
from .stdlib import is_builtin, is_stdlib
from .unprovided import Providers, firmly_imported, unprovided_warnings

if TYPE_CHECKING:  # only a pool makes futures: small projects never import them
    from concurrent.futures import Future

# An analyzer may hand back a Future (cache.py's process pool): the resolver
# waits for it only when it needs the module's imports, so the pool runs ahead.
Analyzer = Callable[[SourceFile, str, bool], Union[ModuleFacts, "Future[ModuleFacts]"]]


@dataclass(frozen=True)
class Found:
    """Where a module's source lies: a file, or a namespace package's folders."""

    name: str
    file: Optional[Path]
    is_package: bool
    search: tuple[Path, ...]  # folders its submodules are searched in
    root: Path


@dataclass
class Resolver:
    roots: tuple[Path, ...]
    skip: frozenset[Path]  # files never bundled (the output itself)
    exclude: tuple[str, ...]
    analyze: Analyzer
    found: dict[str, Optional[Found]] = field(default_factory=dict)
    loaded: dict[str, ModuleInfo] = field(default_factory=dict)
    listings: dict[Path, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)

    def find(self, name: str) -> Optional[Found]:
        if name not in self.found:
            self.found[name] = self._find(name)
        return self.found[name]

    def _find(self, name: str) -> Optional[Found]:
        parent, _, leaf = name.rpartition(".")
        if not leaf.isidentifier() and not leaf:
            return None
        if parent:
            holder = self.find(parent)
            if holder is None or not holder.is_package:
                return None
            places = [(folder, holder.root) for folder in holder.search]
        else:
            if is_builtin(name):
                return None
            places = [(root, root) for root in self.roots]
        portions = []
        for folder, root in places:
            files, folders = self.listing(folder)  # most names asked for are not there
            if leaf in folders:
                package = folder / leaf
                init = package / "__init__.py"
                if "__init__.py" in self.listing(package)[0] and self.usable(init):
                    return Found(name, init, True, (package,), root)
            if f"{leaf}.py" in files and self.usable(folder / f"{leaf}.py"):
                return Found(name, folder / f"{leaf}.py", False, (), root)
            if leaf in folders:
                portions.append((folder / leaf, root))
        if portions:
            return Found(name, None, True, tuple(p for p, _ in portions), portions[0][1])
        return None

    def facts_of(self, name: str) -> Optional[ModuleFacts]:
        """Facts of a module already loaded into the graph, if any."""
        module = self.loaded.get(name)
        if module is None:
            return None
        self.loaded[name] = module = settled(module)
        return module.facts

    def listing(self, folder: Path) -> tuple[frozenset[str], frozenset[str]]:
        """(file names, folder names) in a folder, read once: a lookup per
        candidate name would cost a few system calls each."""
        if folder not in self.listings:
            files, folders = set(), set()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                entries = []
            for entry in entries:
                if is_folder(entry):
                    folders.add(entry.name)
                elif is_file(entry):
                    files.add(entry.name)
            self.listings[folder] = (frozenset(files), frozenset(folders))
        return self.listings[folder]

    def child_stems(self, folder: Path) -> list[str]:
        """Names of the modules and packages a folder may hold, sorted, so the
        file system's listing order never shows in the output."""
        files, folders = self.listing(folder)
        stems = {name[:-3] for name in files if name.endswith(".py")}
        stems |= {name for name in folders if name != "__pycache__"}
        # Any stem without a dot is importable (``import_module("pkg.it's")``);
        # one with a dot would be read as a submodule's name.
        return sorted(stem for stem in stems if stem not in ("__init__", "") and "." not in stem)

    @cached_property
    def skip_ids(self) -> frozenset[tuple[int, int]]:
        """The skipped files' identities, however a source path reaches them."""
        return frozenset(filter(None, map(file_identity, self.skip)))

    def usable(self, path: Path) -> bool:
        """False for an earlier bundle lying among the sources (the output path)."""
        if file_identity(path) not in self.skip_ids:
            return True
        refuse_source_as_output(path)
        return False

    def excluded(self, name: str) -> bool:
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.exclude)

    def submodules(self, package: str, above: frozenset[Path] = frozenset()) -> list[str]:
        """Every module below a package, for prefix imports and include globs.

        ``above`` holds the real folders of the packages walked down to here:
        a folder symlink back to one of them (``pkg/loop -> .``) is a loop, and
        following it would list ``pkg.loop.loop...`` until the OS says ELOOP.
        """
        found = self.find(package)
        if found is None or not found.is_package:
            return []
        above = above | {folder.resolve() for folder in found.search}
        names: set[str] = set()
        for folder in found.search:
            for stem in self.child_stems(folder):
                child = f"{package}.{stem}"
                child_found = self.find(child)
                if child_found is None or child in names:
                    continue
                if any(folder.resolve() in above for folder in child_found.search):
                    continue
                names.add(child)
                names.update(self.submodules(child, above))
        return sorted(names)


def is_folder(entry: os.DirEntry) -> bool:
    """A symlink loop (``a -> b -> a``) raises ELOOP here: it is no folder of ours."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def file_identity(path: Path) -> Optional[tuple[int, int]]:
    """(device, inode): the same for every path (symlink, hard link) to one file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def refuse_source_as_output(path: Path) -> None:
    """The output path may hold an earlier bundle, which is skipped, but never a
    source file of the project: writing the bundle there would destroy it."""
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
    except OSError:
        return
    if b" made by cribo-ci" not in head:  # link.py's and launcher.py's header line
        message = "the output would overwrite this source file: choose another output"
        raise OutputError(message, Location(str(path)))


def entry_module(entry: Path) -> tuple[Path, str, Optional[str], Path]:
    """(file, module name, package, default root) for a script or a package folder."""
    if entry.is_dir():
        main = entry / "__main__.py"
        if not main.is_file():
            message = "a folder without __main__.py: give a script, or a package with __main__.py"
            if (entry / "__init__.py").is_file():  # Cribo falls back to it; `python pkg/` does not
                init = entry / "__init__.py"
                message = (
                    f"no __main__.py in this package, so `python {entry}` cannot run it: to bundle"
                    f" __init__.py as `python {init}` runs it, pass --entry {init}"
                )
            raise EntryError(message, Location(str(entry)))
        if not entry.name.isidentifier():
            raise EntryError("a package folder's name must be an identifier", Location(str(entry)))
        return main, f"{entry.name}.__main__", entry.name, entry.parent
    if not entry.is_file():
        raise EntryError("entry not found", Location(str(entry)))
    return entry, entry.stem, None, entry.parent


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
        self.edges.append(Edge(importer, name, line, kind))
        if name not in self.modules:
            self.add(name, f"{kind} by {importer} line {line}")

    def build(self, entry: str, entry_package: Optional[str]) -> ModuleGraph:
        while self.queue:
            module = settled(self.queue.pop(0))
            self.modules[module.name] = module
            if module.facts is not None:
                self.warnings.extend(w for w in module.facts.warnings if not self.answered(w))
                for record in module.facts.imports:
                    self.scan(module, record)
                for named in module.facts.named_strings:
                    self.scan_string(module, named)
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
        under the package it loads from (at the top level: any module)."""
        under = warning.loads_under
        if under is None or not self.included:
            return False
        return not under or any(name.startswith(f"{under}.") for name in self.included)

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
            self.want_first_party(each, module.name, named.line, "string", reason)

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


def settled(module: ModuleInfo) -> ModuleInfo:
    if module.facts is not None and not isinstance(module.facts, ModuleFacts):  # a Future
        return dataclasses.replace(module, facts=module.facts.result())
    return module


def included_names(resolver: Resolver, pattern: str) -> list[str]:
    """Module names an ``include`` entry selects: a name or a glob like ``pkg.plugins.*``."""
    if not any(char in pattern for char in "*?["):
        if resolver.find(pattern) is None:
            raise ResolveError(f"include {pattern!r}: no such module in the source roots")
        return [pattern]
    base = pattern.split("*")[0].split("?")[0].split("[")[0].rstrip(".")
    pool = resolver.submodules(base) if base else []
    return [name for name in pool if fnmatch.fnmatchcase(name, pattern)]
