"""Absolute imports that nothing provides: found without importing, warned with a hint.

The resolver keeps an import it cannot find in the source roots as an
ordinary import. That is right for the standard library and installed
distributions, and wrong for a typo, a loose module in a ``PYTHONPATH``
folder of installs (other ``PYTHONPATH`` folders are source roots), or a
source root the config forgot: the bundle then fails
where it runs. A top-level name counts as provided when the bundler's
interpreter could import it from an installed location, found as the import
system would, without running anything: ``PathFinder`` on ``sys.path``
less ``PYTHONPATH`` and the working folder (which the bundle does not take
along), about 0.05 ms a name; failing that, an installed distribution's
metadata names it (an editable install served by its own finder, a ``pip
install --target`` folder on ``PYTHONPATH``). Reading the metadata costs
about 0.2 s, paid only once a name is missing from every folder: then a
warning is due anyway, unless such an install provides it. Each name is
looked up once, and only names no root and no stdlib holds.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cached_property
from importlib.machinery import PathFinder
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from .model import Location, Warning_
from .shown import shown
from .stdlib import stdlib_names

NOT_SOURCE_FOLDERS = frozenset({"__pycache__", "node_modules", "site-packages", "dist", "build"})


@dataclass
class Providers:
    """Where the bundler's interpreter finds what the project does not hold."""

    sys_path: Sequence[str]
    environ: Mapping[str, str]
    cwd: str

    @classmethod
    def of_this_process(cls) -> Providers:
        return cls(tuple(sys.path), os.environ, os.getcwd())

    @cached_property
    def pythonpath(self) -> list[str]:
        entries = self.environ.get("PYTHONPATH", "").split(os.pathsep)
        return [os.path.join(self.cwd, entry) for entry in entries if entry]

    @cached_property
    def installed_path(self) -> list[str]:
        """``sys.path`` without what this shell or folder adds: the bundle has neither."""
        own = {os.path.realpath(self.cwd), *map(os.path.realpath, self.pythonpath)}
        return [entry for entry in self.sys_path if entry and os.path.realpath(entry) not in own]

    @cached_property
    def distribution_names(self) -> frozenset[str]:
        """Top-level names of the distributions installed in these folders."""
        from importlib import metadata  # slow to import: only when a name is missing

        found = metadata.distributions(path=[*self.installed_path, *self.pythonpath])
        return frozenset(name for dist in found for name in top_level_names(dist))

    @cached_property
    def installed_names(self) -> frozenset[str]:
        """Every top-level name in the installed folders, for a "did you mean"."""
        names = set()
        for folder in self.installed_path:
            try:
                names.update(entry.split(".")[0] for entry in os.listdir(folder))
            except OSError:
                continue
        return frozenset(name for name in names if name.isidentifier())

    def provides(self, name: str) -> bool:
        found = PathFinder.find_spec(name, self.installed_path)
        return found is not None or name in self.distribution_names

    def on_pythonpath(self, name: str) -> Optional[str]:
        """The ``PYTHONPATH`` folder that holds ``name``, if one does."""
        return next((e for e in self.pythonpath if PathFinder.find_spec(name, [e])), None)


def firmly_imported(starts: set, edges: dict[str, set[str]]) -> set[str]:
    """Modules a run imports whatever it does: the entry, its package, the
    included ones, and what their unconditional module-level imports reach.
    A module reached only through ``try``, ``if`` or a function call (an
    optional feature: ``urllib3.contrib.pyopenssl``) may never be imported."""
    firm, queue = set(), [name for name in starts if name]
    while queue:
        name = queue.pop()
        if name not in firm:
            firm.add(name)
            queue.extend(edges.get(name, ()))
    return firm


def top_level_names(distribution) -> set[str]:
    """``top_level.txt`` where the wheel has it, else the first part of each file."""
    listed = (distribution.read_text("top_level.txt") or "").split()
    if not listed:
        listed = [file.parts[0].split(".")[0] for file in distribution.files or () if file.parts]
    return {name for name in listed if name.isidentifier()}


def unprovided_warnings(
    wanted: Mapping[str, Sequence[Location]],
    providers: Providers,
    roots: Sequence[Path],
    first_party: Iterable[str],
) -> list[Warning_]:
    """One warning per top-level name nothing provides, at its first import."""
    missing = [name for name in wanted if not providers.provides(name)]
    if not missing:
        return []
    known = sorted({*stdlib_names(), *providers.installed_names, *first_party})
    warnings = []
    for name in missing:
        first, *more = wanted[name]
        elsewhere = f" (and {len(more)} more like it)" if more else ""
        message = (
            f"{name!r} is no first-party module, no standard-library module and no "
            f"installed distribution: the bundle keeps the import{elsewhere}, which fails "
            f"where {name!r} is not installed; {hint(name, providers, roots, known)} "
            f"(installed where the bundle runs? list it in `exclude`)"
        )
        warnings.append(Warning_(first, message))
    return warnings


def hint(name: str, providers: Providers, roots: Sequence[Path], known: Sequence[str]) -> str:
    folder = providers.on_pythonpath(name)
    if folder is not None:
        return f"only PYTHONPATH finds it, in {shown(folder)}: {add_root(folder)}"
    holder = nearby_holder(name, roots)
    if holder is not None and (holder / "__init__.py").is_file() and holder.parent in roots:
        return f"did you mean {f'{holder.name}.{name}'!r}, the module of the package beside it?"
    if holder is not None:
        return f"the folder {shown(holder)} holds it: {add_root(holder)}"
    import difflib  # only when a warning is due: every run imports this module

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    if close:
        return f"did you mean {close[0]!r}?"
    return "install the distribution that provides it, or add the folder that holds it to `src`"


def add_root(folder: str | Path) -> str:
    where = shown(folder)
    return f'add it to the source roots: `--src {where}`, or `src = ["{where}"]` in the config'


def nearby_holder(name: str, roots: Sequence[Path]) -> Optional[Path]:
    """A folder beside or under a source root that holds ``name``: a source
    root left out of ``src``, or a package the import forgot to name."""
    for root in roots:
        for folder in (*subfolders(root), root.parent, *subfolders(root.parent)):
            if folder not in roots and holds_module(folder, name):
                return folder
    return None


def subfolders(folder: Path) -> list[Path]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return []
    return [
        Path(entry.path)
        for entry in entries
        if not entry.name.startswith(".") and entry.name not in NOT_SOURCE_FOLDERS and is_dir(entry)
    ]


def is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def holds_module(folder: Path, name: str) -> bool:
    package = folder / name
    if (folder / f"{name}.py").is_file() or (package / "__init__.py").is_file():
        return True
    try:
        return package.is_dir() and any(child.suffix == ".py" for child in package.iterdir())
    except OSError:
        return False
