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
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union

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
    SourceFile,
    Warning_,
)
from .source import read_source
from .stdlib import is_builtin, is_stdlib

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
            package = folder / leaf
            if (package / "__init__.py").is_file() and self.usable(package / "__init__.py"):
                return Found(name, package / "__init__.py", True, (package,), root)
            module = folder / f"{leaf}.py"
            if module.is_file() and self.usable(module):
                return Found(name, module, False, (), root)
            if package.is_dir():
                portions.append((package, root))
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

    def usable(self, path: Path) -> bool:
        """False for an earlier bundle lying among the sources (the output path)."""
        if path.resolve() not in self.skip:
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
            for item in list_folder(folder):
                stem = item.name[:-3] if item.name.endswith(".py") else item.name
                if stem == "__init__" or not stem.isidentifier():
                    continue
                child = f"{package}.{stem}"
                child_found = self.find(child)
                if child_found is None or child in names:
                    continue
                if any(folder.resolve() in above for folder in child_found.search):
                    continue
                names.add(child)
                names.update(self.submodules(child, above))
        return sorted(names)


def list_folder(folder: Path) -> list[Path]:
    """Sorted, so the file system's listing order never shows in the output."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    return [
        Path(entry.path)
        for entry in entries
        if (entry.name.endswith(".py") or (is_folder(entry) and "." not in entry.name))
        and entry.name != "__pycache__"
    ]


def is_folder(entry: os.DirEntry) -> bool:
    """A symlink loop (``a -> b -> a``) raises ELOOP here: it is no folder of ours."""
    try:
        return entry.is_dir()
    except OSError:
        return False


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
    resolver = Resolver(roots, skip, exclude, analyze)
    modules = resolver.loaded
    edges: list[Edge] = []
    externals: dict[str, ImportKind] = {}
    warnings: list[Warning_] = []

    def load(found: Found, reason: str) -> ModuleInfo:
        root = found.root
        if found.file is None:
            return ModuleInfo(found.name, None, True, root, None, reason)
        relpath = found.file.relative_to(root).as_posix()
        source = read_source(found.file, relpath)
        facts = analyze(source, found.name, found.is_package)
        return ModuleInfo(found.name, source, found.is_package, root, facts, reason)

    entry_found = Found(
        entry_name, roots[0] / entry_file.relative_to(default_root), False, (), roots[0]
    )
    queue = [load(entry_found, "entry")]
    if entry_package:
        queue += [add_module(resolver, entry_package, modules, load, "package of the entry")]

    def want(name: str, importer: str, line: int, kind: str, record: Optional[ImportRecord]):
        top = name.partition(".")[0]
        found = None if resolver.excluded(name) else resolver.find(name)
        if found is None:
            if resolver.find(top) is None or resolver.excluded(top):
                kind_of = ImportKind.STDLIB if is_stdlib(top) else ImportKind.THIRD_PARTY
                externals.setdefault(top, kind_of)
            return
        edges.append(Edge(importer, name, line, kind))
        if name not in modules:
            module = add_module(resolver, name, modules, load, f"{kind} by {importer} line {line}")
            queue.append(module)

    for pattern in include:
        for name in included_names(resolver, pattern):
            want(name, "<include>", 0, "include", None)

    while queue:
        module = settled(queue.pop(0))
        modules[module.name] = module
        if module.facts is None:
            continue
        warnings.extend(module.facts.warnings)
        for record in module.facts.imports:
            scan_record(resolver, module, record, want, warnings)

    ordered = tuple(sorted(modules.values(), key=lambda m: m.name))
    return ModuleGraph(
        entry=entry_name,
        entry_package=entry_package,
        modules=ordered,
        edges=tuple(sorted(set(edges), key=lambda e: (e.importer, e.line, e.imported))),
        externals=tuple(sorted(externals.items())),
        warnings=(*warnings, *stdlib_shadows(ordered, entry_name)),
    )


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
    if isinstance(module.facts, Future):
        return dataclasses.replace(module, facts=module.facts.result())
    return module


def add_module(resolver: Resolver, name: str, modules: dict, load, reason: str) -> ModuleInfo:
    found = resolver.find(name)
    assert found is not None
    module = load(found, reason)
    modules[name] = module
    return module


def scan_record(resolver: Resolver, module: ModuleInfo, record: ImportRecord, want, warnings):
    location = Location(module.source.relpath, record.line, record.column)
    if relative_too_deep(record, module.name, module.is_package):
        message = "attempted relative import beyond top-level package"
        if not record.guarded:
            raise ResolveError(message, location)
        warnings.append(Warning_(location, message + " (inside try: left as it is)"))
        return
    if record.prefix:
        names = resolver.submodules(record.name)
        if not names and not is_stdlib(record.name.partition(".")[0]):  # "encodings." + x
            warnings.append(Warning_(location, f"no bundled package {record.name!r} to load from"))
        for name in [record.name, *names]:
            want(name, module.name, record.line, "prefix", record)
        return
    names = candidates(record, module.name, module.is_package)
    for index, name in enumerate(names):
        is_from_name = index >= len(names) - len(record.names) and record.names
        if is_from_name and resolver.find(name) is None:
            continue  # `from pkg import attr`: an attribute, not a module
        if record.level and resolver.find(name) is None and not is_from_name:
            if not record.guarded:
                warnings.append(Warning_(location, f"cannot find module {name!r}"))
            return
        want(name, module.name, record.line, "import", record)
    if record.names == ("*",) and names:
        star_submodules(resolver, names[-1], module.name, record.line, want)


def star_submodules(resolver: Resolver, target: str, importer: str, line: int, want) -> None:
    """``from pkg import *`` also imports the submodules named in ``pkg.__all__``."""
    found = resolver.find(target)
    if found is None or not found.is_package or found.file is None:
        return
    facts = resolver.facts_of(target)
    for name in facts.all_names if facts else ():
        if resolver.find(f"{target}.{name}") is not None:
            want(f"{target}.{name}", importer, line, "import", None)


def included_names(resolver: Resolver, pattern: str) -> list[str]:
    """Module names an ``include`` entry selects: a name or a glob like ``pkg.plugins.*``."""
    if not any(char in pattern for char in "*?["):
        if resolver.find(pattern) is None:
            raise ResolveError(f"include {pattern!r}: no such module in the source roots")
        return [pattern]
    base = pattern.split("*")[0].split("?")[0].split("[")[0].rstrip(".")
    pool = resolver.submodules(base) if base else []
    return [name for name in pool if fnmatch.fnmatchcase(name, pattern)]
