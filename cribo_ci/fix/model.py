"""What the codemod knows about a module, and what it reports back.

Lines are 1-based, as in ``cribo_ci.model``. Nothing here imports libcst.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class FixContext:
    """One module as the rewrites see it.

    ``package_expr`` is the expression that names the module's package at run
    time (``__name__`` in a package's ``__init__.py``, ``__package__`` in a
    module inside one), or ``None`` for a top-level module or script: those
    have no package for ``importlib.resources`` to read from.
    """

    relpath: str
    package_expr: Optional[str]
    module_name: Optional[str] = None  # ``__name__`` when imported (None: unknown, or the entry)
    package_name: Optional[str] = None  # ``__package__``'s value, when known
    oldest_python: tuple[int, int] = (3, 9)
    file_is_symlink: bool = False  # then realpath(__file__) may lie in another folder
    packages: frozenset[str] = frozenset()  # first-party regular packages, by dotted name
    modules: frozenset[str] = frozenset()  # first-party plain modules, by dotted name


@dataclass(frozen=True)
class Change:
    """One expression rewritten: ``relpath:line: before -> after``."""

    line: int
    before: str
    after: str


@dataclass(frozen=True)
class Kept:
    """Code a rewrite recognised but left alone, and why (a warning)."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class IncludeWanted:
    """A computed import whose modules an ``include`` glob selects."""

    line: int
    glob: str
    call: str


@dataclass(frozen=True)
class ModuleFix:
    """A module's text after every rewrite, and what they did."""

    text: bytes
    changes: tuple[Change, ...] = ()
    kept: tuple[Kept, ...] = ()
    includes: tuple[IncludeWanted, ...] = ()
