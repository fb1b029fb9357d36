"""Which first-party modules the runs needed, and which of them the bundle lacks.

The unbundled runs record each first-party module whose body runs (``audit_site``
does, inside the run). Every one the bundle neither holds nor leaves out on
purpose (``exclude``) fails verify by name, with the ``include`` line that adds
it. When a bundle run fails with ``No module named 'x'`` for a first-party
``x``, the failure points at the bundle-time warning that predicted it.
"""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..config import Config
from ..model import ModuleGraph, Warning_
from .report import FAIL, PASS, Check

NO_MODULE = re.compile(r"No module named '([\w.]+)'")
COMPUTED = "of a computed name"  # analyze.py's warning for a dynamic import it cannot follow
SUGGESTED_GLOB = re.compile(r"include = \['([^']+)'\]")
ADD_INCLUDES = "or run `cribo-ci verify --add-includes`"


@dataclass(frozen=True)
class BundleContents:
    """What the bundle holds, and what bundling said about it."""

    roots: tuple[Path, ...]  # the source roots, resolved: the entry's folder first
    held: frozenset[str]  # module names in the bundle
    exclude: tuple[str, ...]  # globs of modules left as imports on purpose
    warnings: tuple[Warning_, ...]


def bundle_contents(config: Config, graph: ModuleGraph) -> BundleContents:
    roots = (config.entry.resolve().parent, *(root.resolve() for root in config.src))
    held = frozenset(module.name for module in graph.modules)
    return BundleContents(tuple(dict.fromkeys(roots)), held, config.exclude, graph.warnings)


def recording_environment(env: Mapping[str, str], roots: Iterable[Path], log: Path) -> dict:
    """``env`` plus what ``audit_site`` needs to record the run's first-party imports."""
    return {
        **env,
        "CRIBO_IMPORT_ROOTS": os.pathsep.join(map(str, roots)),
        "CRIBO_IMPORT_LOG": str(log),
    }


def read_recorded(log: Path) -> tuple[str, ...]:
    try:
        return tuple(dict.fromkeys(log.read_text("utf-8").split()))
    except OSError:  # the program imported nothing of its own (or ran no Python)
        return ()


def missing_modules(imported: Iterable[str], contents: BundleContents) -> tuple[str, ...]:
    excluded = lambda name: any(fnmatch.fnmatchcase(name, g) for g in contents.exclude)  # noqa: E731
    return tuple(sorted({n for n in imported if n not in contents.held and not excluded(n)}))


def fewest_includes(names: Iterable[str]) -> tuple[str, ...]:
    """A package the bundle lacks comes in as the parent of its submodule."""
    names = sorted(set(names))
    return tuple(n for n in names if not any(o.startswith(n + ".") for o in names))


def include_line(names: Iterable[str]) -> str:
    return "include = [" + ", ".join(f'"{name}"' for name in names) + "]"


def imports_check(imported: Iterable[str], contents: BundleContents) -> Check:
    imported = set(imported)
    missing = missing_modules(imported, contents)
    if not missing:
        count = len(imported)
        return Check(
            "imports", PASS, f"the bundle holds the {count} first-party module(s) the runs imported"
        )
    noun = "module the runs imported is" if len(missing) == 1 else "modules the runs imported are"
    details = f"add `{include_line(fewest_includes(missing))}` to the config ({ADD_INCLUDES})"
    summary = f"{len(missing)} first-party {noun} not in the bundle: {', '.join(missing)}"
    return Check("imports", FAIL, summary, details)


def is_first_party(name: str, contents: BundleContents, imported: Iterable[str]) -> bool:
    if name in imported:
        return True
    path = name.replace(".", os.sep)
    return any(
        (root / (path + ".py")).is_file() or (root / path).is_dir() for root in contents.roots
    )


def predicting_warnings(name: str, warnings: Iterable[Warning_]) -> list[Warning_]:
    """The bundle-time warnings about ``name``: those that quote it (or a package of
    it), else the computed imports whose suggested glob it matches, else all of them."""
    parts = name.split(".")
    quoted = {f"'{'.'.join(parts[:n])}" for n in range(1, len(parts) + 1)}
    named = [
        w for w in warnings if any(q + "'" in w.message or q + ".'" in w.message for q in quoted)
    ]
    computed = [w for w in warnings if COMPUTED in w.message]
    matching = [w for w in computed if glob_matches(w.message, name)]
    return named or matching or computed


def glob_matches(message: str, name: str) -> bool:
    glob = SUGGESTED_GLOB.search(message)
    return glob is not None and (glob[1] == "NAME" or fnmatch.fnmatchcase(name, glob[1]))


def missing_module_hints(stderr: str, imported: tuple[str, ...], contents: BundleContents) -> str:
    """For each first-party module the bundle's run could not import: what predicted
    it at bundle time, and the ``include`` line that fixes it."""
    lines = []
    for name in dict.fromkeys(NO_MODULE.findall(stderr)):
        if name in contents.held or not is_first_party(name, contents, imported):
            continue
        lacking = missing_modules(imported, contents)
        needed = [m for m in lacking if m == name or m.startswith(name + ".")] or [name]
        lines.append(f"the bundle lacks the first-party module {name!r}")
        predicted = predicting_warnings(name, contents.warnings)
        lines += [f"  predicted at bundle time: {warning}" for warning in predicted] or [
            "  no bundle-time warning named it: the import is out of the analysis's sight"
        ]
        lines.append(
            f"  fix: add `{include_line(fewest_includes(needed))}` to the config ({ADD_INCLUDES})"
        )
    return "".join(line + "\n" for line in lines)
