"""The immutable data handed from one pipeline phase to the next.

Conventions, said once: lines are 1-based, columns are 0-based counts of
code points (Python ``str`` indices) unless a name says otherwise. Paths kept
in these types are POSIX-style and relative to their source root, so nothing
here depends on where the project lies on disk. Every type is frozen: a phase
returns new values and never edits what it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Optional


def counted(number: int, noun: str) -> str:
    """``1 module``, ``5 modules``: for messages."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class ImportKind(str, Enum):
    FIRST_PARTY = "first-party"
    STDLIB = "stdlib"
    THIRD_PARTY = "third-party"


@dataclass(frozen=True)
class Location:
    """A place in a source file, for messages: ``path:line:col``."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column + 1}"


@dataclass(frozen=True)
class Warning_:
    location: Location
    message: str
    # For a computed import: the package it is taken to load from ("" at the
    # top level). Modules the `include` setting adds under it answer the warning.
    loads_under: Optional[str] = None

    def __str__(self) -> str:
        return f"{self.location}: warning: {self.message}"


@dataclass(frozen=True)
class ImportRecord:
    """One import the analysis found, before resolution.

    ``name`` is the dotted module name as written (without leading dots),
    ``level`` the number of leading dots, ``names`` the imported names of a
    ``from`` import (``("*",)`` for a star import). A ``prefix`` record stands
    for every module under a package (``import_module("pkg.x." + name)``).
    """

    name: str
    level: int
    names: tuple[str, ...]
    line: int
    column: int
    guarded: bool = False  # inside a try block: failure may be intended
    prefix: bool = False
    # Inside if/else, try/except/else/finally, match or `with suppress(...)`:
    # a run may never reach it (a version check, TYPE_CHECKING, an optional import).
    conditional: bool = False
    in_function: bool = False  # runs when the function is called, not at import


@dataclass(frozen=True)
class NamedString:
    """A string literal that may name first-party modules (named.py).

    ``name`` is dotted: a module, perhaps followed by attributes
    (``"pkg.mod.Class"``; of ``"pkg.mod:func"`` only ``pkg.mod`` is kept);
    a ``prefix`` (``"pkg.plugins."``) names every module below the package.
    """

    name: str
    line: int
    column: int
    prefix: bool = False


@dataclass(frozen=True)
class SourceFile:
    """A decoded source: text with ``\\n`` line ends, no BOM, no cookie effect."""

    relpath: str
    text: str
    digest: str  # sha256 of the raw bytes, for caches and the stable body name


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int
    kind: str  # "import", "dynamic", "prefix", "include", "parent", "entry", "string"


@dataclass(frozen=True)
class ModuleGraph:
    entry: str  # module name of the entry (its file stem, or "pkg.__main__")
    entry_package: Optional[str]  # set when the entry is a package's __main__
    modules: tuple[ModuleInfo, ...]  # sorted by name, entry included
    edges: tuple[Edge, ...]
    externals: tuple[tuple[str, ImportKind], ...]  # top-level names, sorted
    warnings: tuple[Warning_, ...]

    def module(self, name: str) -> ModuleInfo:
        return next(m for m in self.modules if m.name == name)


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of a module's source; keeps the line count."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class ModuleFacts:
    """What the analysis learned about one module's top-level scope."""

    imports: tuple[ImportRecord, ...]
    defined_names: tuple[str, ...]  # def/class names at module scope
    annotated_names: frozenset[str]
    docstring_end: Optional[int]  # offset just after the module docstring
    edits: tuple[Edit, ...]
    warnings: tuple[Warning_, ...]
    has_statements: bool
    string_lines: frozenset[int]  # lines that begin inside a multi-line string
    all_names: tuple[str, ...] = ()  # literal names given to ``__all__``
    # Set for the rare module a class body cannot hold (transform/function_form.py):
    # then every name its scope binds is declared global instead.
    function_form: bool = False
    bound_names: tuple[str, ...] = ()
    named_strings: tuple[NamedString, ...] = ()  # strings that may name modules (named.py)


@dataclass(frozen=True)
class ModuleInfo:
    name: str  # dotted name; the entry keeps its own ("main", "pkg.__main__")
    source: Optional[SourceFile]  # None for a namespace package
    is_package: bool
    root: Path  # the source root it was found under
    facts: Optional[ModuleFacts]  # None for a namespace package
    reason: str = ""  # why the module is in the bundle, for --verbose


@dataclass(frozen=True)
class LineSpan:
    """A run of bundle lines that are one module's lines, in order.

    ``bundle_line`` is the bundle line of the module's line 1; lines in
    ``indented`` got the holder's indent prefix, the others (those that begin
    inside a multi-line string) are verbatim.
    """

    relpath: str
    bundle_line: int
    line_count: int
    indent: int
    unindented: frozenset[int]
    edits: tuple[Edit, ...]
    original: str = field(repr=False, default="")


@dataclass(frozen=True)
class MappingChunk:
    """One module's part of the map's ``mappings``, wherever it lands.

    Source index, original line and column run on from one segment to the
    next, across modules: only a module's first segment depends on what comes
    before it, so it is kept as numbers and encoded when the map is joined.
    """

    lead: int = 0  # lines without segments before the first segment's line
    first: Optional[tuple[int, int, int]] = None  # generated column, original line, column
    rest: str = ""  # encoded text after the first segment, to the last segment
    newlines: int = 0  # the line breaks in ``rest``
    last: tuple[int, int] = (0, 0)  # original line and column of the last segment
    content: str = "null"  # the original text as a JSON string, for ``sourcesContent``


@dataclass(frozen=True)
class ModuleCode:
    """One module's lines as the bundle holds them, before they are placed.

    Nothing here depends on where the module lands, so it is cached with the
    module's facts and linking only adds line numbers.
    """

    text: str  # the holder's head, then the body: one string, quick to cache and join
    line_count: int  # how many lines ``text`` has
    head: int  # lines before the body's line 1
    unindented: frozenset[int]  # body lines left verbatim (inside multi-line strings)
    edits: tuple[Edit, ...]  # the rewrites applied to the original text
    traceback_row: Optional[tuple] = None  # (verbatim, rewritten): runtime/tracebacks.py
    mappings: Optional[MappingChunk] = None


@dataclass(frozen=True)
class MapOptions:
    """What the linker writes for source maps and tracebacks (sourcemap/emit.py)."""

    sourcemap: str = "none"  # "file", "inline" or "none"
    map_name: str = "bundle.py.map"  # the map's file name, beside the bundle
    sources_content: bool = True
    traceback_support: bool = False
    original_locations: bool = False  # functions and classes carry original file/lines


@dataclass(frozen=True)
class Bundle:
    text: str
    spans: tuple[LineSpan, ...]
    module_count: int
    requirements: tuple[str, ...]  # third-party top-level import names
    warnings: tuple[Warning_, ...]
    reasons: tuple[tuple[str, str], ...] = ()  # (module, why it is in), for --verbose
    launcher: Optional[str] = None  # launcher file text (launcher.py); then text is a module
    sourcemap: Optional[str] = None  # the map file's text ("file" mode), written beside text
    # The launcher mode's code caches (codecache.py): (file name, bytes), beside the module.
    code_caches: tuple[tuple[str, bytes], ...] = ()
    # Where each module's lines lie in ``text``: (module, first line, line count), for the report.
    placements: tuple[tuple[str, int, int], ...] = ()
    report_modules: tuple[ModuleReport, ...] = ()  # with a metafile (metafile.py)
    data_files: tuple[tuple[str, int], ...] = ()  # (path in the bundle, bytes): the embedded data


@dataclass(frozen=True)
class ModuleReport:
    """One module in the bundle report (``--metafile``)."""

    name: str
    path: str  # relative to its source root; empty for a namespace package
    kind: str  # "module", "package", "namespace package"
    source_bytes: int
    bundle_bytes: int  # its holder's lines in the bundle (or its table entry alone)
    reason: str  # why it is in: "entry", "import by pkg.mod line 12", ...
    warnings: tuple[str, ...] = ()
