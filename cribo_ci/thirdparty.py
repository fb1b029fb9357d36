"""``bundle-third-party``: installed pure-Python distributions become source roots.

The folders of the bundler's ``sys.path`` that hold installed distributions
(``*.dist-info``: site-packages, a ``pip install --target`` folder) are
searched after the project's own roots, so whatever the project imports from
them is bundled and its imports followed like first-party code. A
distribution that ships native code (``.so``, ``.pyd``) cannot be held in a
``.py`` file: its import names are excluded, so they stay ordinary imports
and go to the requirements output.
"""

from __future__ import annotations

import dataclasses
import sys
import sysconfig
from importlib import metadata
from pathlib import Path
from typing import Iterable

from .config import Config
from .stdlib import is_stdlib

NATIVE_SUFFIXES = (".so", ".pyd", ".dylib")


@dataclasses.dataclass(frozen=True)
class InstalledSet:
    roots: tuple[Path, ...]  # folders holding installed distributions, in sys.path order
    # Top-level import names that stay imports: distributions with native code,
    # and backports named like a stdlib module (the stdlib comes first on sys.path).
    kept: tuple[str, ...]


def with_third_party(config: Config, path: Iterable[str] = ()) -> Config:
    """The config with installed distributions added as roots, the kept ones excluded."""
    installed = find_installed(tuple(path) or tuple(sys.path))
    patterns = tuple(p for name in installed.kept for p in (name, f"{name}.*"))
    return dataclasses.replace(
        config, src=(*config.src, *installed.roots), exclude=(*config.exclude, *patterns)
    )


def find_installed(path: tuple[str, ...]) -> InstalledSet:
    roots = tuple(dict.fromkeys(folder for folder in map(site_folder, path) if folder))
    # The first root that has a name is the one imported from, as on sys.path:
    # a pure copy on PYTHONPATH shadows a native build in site-packages.
    kept: dict[str, bool] = {}
    for root in roots:
        for distribution in metadata.distributions(path=[str(root)]):
            is_native = has_native_code(distribution)
            for name in top_level_names(distribution):
                kept.setdefault(name, is_native or is_stdlib(name))
    return InstalledSet(roots, tuple(sorted(name for name, yes in kept.items() if yes)))


def site_folder(entry: str) -> Path | None:
    """A ``sys.path`` entry that holds installed distributions, not the stdlib."""
    if not entry:
        return None
    folder = Path(entry).resolve()
    stdlib = {Path(sysconfig.get_paths()[key]).resolve() for key in ("stdlib", "platstdlib")}
    if folder in stdlib or not folder.is_dir():
        return None
    if not any(folder.glob("*.dist-info")) and not any(folder.glob("*.egg-info")):
        return None
    return folder


def has_native_code(distribution: metadata.Distribution) -> bool:
    """A native file in its RECORD that is on disk (a stripped install has none)."""
    return any(
        str(file).endswith(NATIVE_SUFFIXES) and Path(distribution.locate_file(file)).exists()
        for file in distribution.files or ()
    )


def top_level_names(distribution: metadata.Distribution) -> set[str]:
    """``top_level.txt`` where the wheel has it, else the first part of each file."""
    listed = (distribution.read_text("top_level.txt") or "").split()
    if listed:
        return set(listed)
    names = set()
    for file in distribution.files or ():
        first = file.parts[0] if file.parts else ""
        if first.endswith((".dist-info", ".egg-info", ".data")) or first in {"..", "__pycache__"}:
            continue
        names.add(first.split(".")[0])
    return {name for name in names if name.isidentifier()}
