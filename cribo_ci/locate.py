"""Where modules lie on disk: Python's path search over the source roots.

A top-level name is looked up in the source roots in order (a regular
package, then a module, then namespace package portions gathered from every
root); a submodule only inside its parent package's folders. Each folder is
listed once. Nothing here imports or runs the project's code.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional, Union

from .errors import EntryError, OutputError, ResolveError
from .model import Location, ModuleFacts, ModuleInfo, SourceFile
from .stdlib import is_builtin

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


def included_names(resolver: Resolver, pattern: str) -> list[str]:
    """Module names an ``include`` entry selects: a name or a glob like ``pkg.plugins.*``."""
    if not any(char in pattern for char in "*?["):
        if resolver.find(pattern) is None:
            raise ResolveError(f"include {pattern!r}: no such module in the source roots")
        return [pattern]
    base = pattern.split("*")[0].split("?")[0].split("[")[0].rstrip(".")
    pool = resolver.submodules(base) if base else []
    return [name for name in pool if fnmatch.fnmatchcase(name, pattern)]


def settled(module: ModuleInfo) -> ModuleInfo:
    if module.facts is not None and not isinstance(module.facts, ModuleFacts):  # a Future
        return dataclasses.replace(module, facts=module.facts.result())
    return module
