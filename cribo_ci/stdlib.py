"""Which top-level module names belong to the running interpreter's stdlib."""

from __future__ import annotations

import functools
import sys
import sysconfig
from pathlib import Path

# Always importable, yet in no list: the running program's own module.
ALWAYS_THERE = frozenset({"__future__", "__main__"})
# The other platform's modules, which 3.10+ lists and 3.9's folder lacks.
OTHER_PLATFORMS = frozenset(
    ["msvcrt", "nt", "winreg", "winsound", "_winapi", "_overlapped", "_msi", "msilib", "_scproxy"]
)


@functools.cache
def stdlib_names() -> frozenset[str]:
    names = getattr(sys, "stdlib_module_names", None)  # Python 3.10+
    if names is not None:
        return frozenset(names) | ALWAYS_THERE
    found = frozenset(_scan_stdlib_dir()) | frozenset(sys.builtin_module_names)
    return found | ALWAYS_THERE | OTHER_PLATFORMS


def _scan_stdlib_dir() -> set[str]:
    """Python 3.9 has no ``sys.stdlib_module_names``: list its library directory."""
    found = {"__future__"}
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for folder in (stdlib, stdlib / "lib-dynload"):
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if item.name in {"site-packages", "dist-packages", "test"}:
                continue
            if item.is_dir() and (item / "__init__.py").exists():
                found.add(item.name)
            elif item.suffix in {".py", ".so", ".pyd"}:
                found.add(item.name.split(".")[0])
    return found


def is_stdlib(top_level: str) -> bool:
    return top_level in stdlib_names()


def is_builtin(top_level: str) -> bool:
    """Built-in modules come before any path entry: a project cannot shadow them."""
    return top_level in sys.builtin_module_names
