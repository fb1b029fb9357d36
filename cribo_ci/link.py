"""Join the runtime, one holder per module and the start call into the bundle.

Each module's lines appear once, in order, at a constant line offset: a line
gets the holder's indent unless it begins inside a multi-line string (whose
value must not change). ``LineSpan`` records where each module landed, which
is all the source map needs.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import MappingProxyType
from typing import Mapping, Sequence

from .compact import compacted_file
from .data_files import data_literal, unsettled_warnings
from .errors import processing
from .model import (
    Bundle,
    Edit,
    ImportKind,
    LineSpan,
    MapOptions,
    ModuleCode,
    ModuleGraph,
    ModuleInfo,
    counted,
)
from .sourcemap.build import module_chunk
from .sourcemap.emit import install_lines, map_and_comment, traceback_fields
from .transform import apply_edits

RUNTIME = Path(__file__).parent / "runtime" / "bootstrap.py"
BASELINE = Path(__file__).parent / "runtime" / "baseline.py"  # static-bundling = false
RESOURCES = Path(__file__).parent / "runtime" / "resources.py"  # only with package data
TRACEBACKS = Path(__file__).parent / "runtime" / "tracebacks.py"  # traceback support
RELOCATION = Path(__file__).parent / "runtime" / "relocation.py"  # --original-locations
RUNTIME_FILES = (RUNTIME, BASELINE, RESOURCES, TRACEBACKS, RELOCATION)
# Tabs, one per level: two bytes a line, and because a tab stop is 8 columns,
# a uniform tab prefix shifts both of the tokenizer's indentation measures
# (tabs as 8 and as 1) alike, so no consistently indented module can become
# a TabError, whatever its own mix of tabs and spaces.
BODY_INDENT = "\t\t"
NO_MAPS = MapOptions()  # no source map, no traceback support: what tests of the linker want
HOLDER_HEAD = ("def {holder}():", "\t{kind}:")


def holder_name(module: ModuleInfo) -> str:
    """``_cribo_<hash>_<name>``: the hash of the path keeps same-named modules apart."""
    relpath = module_relpath(module)
    digest = hashlib.sha256(relpath.encode()).hexdigest()[:6]
    return f"_cribo_{digest}_{re.sub(r'[^0-9A-Za-z_]', '_', module.name)}"


def module_relpath(module: ModuleInfo) -> str:
    return module.source.relpath if module.source else module.name.replace(".", "/")


# Runs first in every body: a class body stores these before any module code
# runs, and the module must not see them (the loader drops the rest at the end).
PROLOGUE = "__import__('_cribo').tidy(globals())"


def body_text(module: ModuleInfo) -> tuple[str, tuple[Edit, ...], list[str]]:
    """The module's rewritten text and the extra line before it, if any.

    The prologue (``global`` of the def/class names, for plain qualnames, and
    the tidy call) goes right after the docstring, which must stay first, or
    on a line of its own before the code.
    """
    facts = module.facts
    if facts.function_form:
        extra = [BODY_INDENT + f"global {', '.join(facts.bound_names)}"]
        return apply_edits(module.source.text, facts.edits), facts.edits, extra
    names = [name for name in facts.defined_names if name not in facts.annotated_names]
    prologue = (f"global {', '.join(names)}; " if names else "") + PROLOGUE
    edits = facts.edits
    extra: list[str] = []
    if facts.docstring_end is not None:
        edits = (*edits, Edit(facts.docstring_end, facts.docstring_end, f"; {prologue}"))
    else:
        extra.append(BODY_INDENT + prologue)
    return apply_edits(module.source.text, edits), edits, extra


def indent_lines(text: str, string_lines: frozenset[int]) -> tuple[list[str], frozenset[int]]:
    """The indented lines, and the numbers of those left verbatim.

    Comprehensions, not a loop of appends: this runs once per bundled line.
    """
    lines = text.split("\n")
    verbatim = frozenset(
        number
        for number, line in enumerate(lines, start=1)
        if number in string_lines or not line or line.isspace()
    )
    out = [  # a form feed resets the tokenizer's column count: drop it
        line if number in verbatim else BODY_INDENT + line.lstrip("\f")
        for number, line in enumerate(lines, start=1)
    ]
    return out, verbatim


def module_code(module: ModuleInfo, maps: MapOptions = NO_MAPS) -> ModuleCode:
    """The module's holder, with its traceback row and map chunk when ``maps`` asks.

    Pure and placement-free: the expensive part of linking, cached by ``cache.py``.
    """
    with processing(module.source.relpath):
        return holder_code(module, maps)


def holder_code(module: ModuleInfo, maps: MapOptions) -> ModuleCode:
    holder = holder_name(module)
    text, edits, extra = body_text(module)
    kind = "def _________()" if module.facts.function_form else "class _________"
    head = [line.format(holder=holder, kind=kind) for line in HOLDER_HEAD] + extra
    body, verbatim = indent_lines(text.rstrip("\n"), module.facts.string_lines)
    span = module_span(module, 1, len(body), verbatim, edits)  # placed at line 1
    return ModuleCode(
        text="\n".join(head + body),
        line_count=len(head) + len(body),
        head=len(head),
        unindented=verbatim,
        edits=edits,
        traceback_row=traceback_fields(span, body) if maps.traceback_support else None,
        mappings=module_chunk(span, body) if maps.sourcemap != "none" else None,
    )


def module_span(
    module: ModuleInfo, bundle_line: int, line_count: int, verbatim: frozenset, edits: tuple
) -> LineSpan:
    return LineSpan(
        relpath=module.source.relpath,
        bundle_line=bundle_line,
        line_count=line_count,
        indent=len(BODY_INDENT),
        unindented=verbatim,
        edits=edits,
        original=module.source.text,
    )


def emit_source(module: ModuleInfo) -> list[str]:
    """Baseline: the original text as one literal, compiled on first import."""
    return [f"{holder_name(module)} = {(module.source.text or chr(10))!r}"]


def runtime_lines(
    static: bool,
    data: str = "",
    tracebacks: bool = False,
    relocation: bool = False,
    compacted: Mapping[Path, str] = MappingProxyType({}),
) -> list[str]:
    """The runtime files this bundle needs, compacted (compact.py), in order;
    ``compacted``: any of them compacted already (from the cache)."""
    parts = [RUNTIME] if static else [RUNTIME, BASELINE]
    parts += [RESOURCES] if data else []
    parts += ([TRACEBACKS] + ([RELOCATION] if relocation else [])) if tracebacks else []
    return "\n".join(compacted.get(part) or compacted_file(part) for part in parts).split("\n")


def qualname_fixes(module: ModuleInfo) -> tuple[str, ...]:
    """def/class names that are also annotated: they cannot be declared global,
    so the runtime strips the holder from their qualnames afterwards."""
    if module.facts is None:
        return ()
    return tuple(sorted(set(module.facts.defined_names) & module.facts.annotated_names))


def table_entry(module: ModuleInfo) -> str:
    holder = holder_name(module) if module.source else "None"
    return (
        f"({holder}, {module.is_package}, {module_relpath(module)!r}, {qualname_fixes(module)!r})"
    )


# How the bundle starts its entry: at once, as a script; or, as the module of
# the launcher mode (launcher.py), in ``run(launcher)``, which the launcher calls
# with its globals. Both are two lines, so every line below keeps its number.
SCRIPT_START = ("start(", "    globals(),")
LAUNCHED_START = (
    "def run(launcher): return start(  # called by the launcher file",
    "    launcher,",
)


def start_call(
    graph: ModuleGraph,
    served: list[ModuleInfo],
    entry: ModuleInfo,
    data: str = "",
    launched: bool = False,
    extract_data: bool = False,
) -> list[str]:
    lines = [*(LAUNCHED_START if launched else SCRIPT_START), "    {"]
    lines += [f"        {module.name!r}: {table_entry(module)}," for module in served]
    lines += [
        "    },",
        f"    ({holder_name(entry)}, {graph.entry_package!r}, {qualname_fixes(entry)!r}),",
        *(data_literal(data, "    ", extract_data) if data else []),
        ")",
    ]
    return lines


def served_modules(graph: ModuleGraph) -> list[ModuleInfo]:
    """Modules the finder serves: all but the entry, unless something imports it."""
    imported = {edge.imported for edge in graph.edges}
    return [
        m
        for m in graph.modules
        if m.name != graph.entry or m.name in imported or graph.entry_package
    ]


def link_bundle(
    graph: ModuleGraph,
    entry_label: str,
    static: bool = True,
    data: str = "",
    maps: MapOptions = NO_MAPS,
    codes: Mapping[str, ModuleCode] = MappingProxyType({}),
    launched: bool = False,
    compacted: Mapping[Path, str] = MappingProxyType({}),
    preamble: Sequence[str] = (),
    extract_data: bool = False,
) -> Bundle:
    """``data``: the package data files, encoded (data_files.encode_data);
    ``maps``: the source map and traceback support (sourcemap/emit.py);
    ``codes``: ``module_code`` of any modules, made with the same ``maps``
    (from the cache); the rest are made here; ``launched``: the module of the
    launcher mode, which starts when the launcher calls its ``run``;
    ``compacted``: runtime files compacted already, as ``runtime_lines`` takes;
    ``preamble``: comment lines after the header (the PEP 723 block);
    ``extract_data``: packaged modules get their ``__file__`` beside their data,
    extracted (runtime/resources.py)."""
    served = served_modules(graph)
    entry = graph.module(graph.entry)
    tracebacks = static and maps.traceback_support
    relocation = tracebacks and maps.original_locations
    runtime = runtime_lines(static, data, tracebacks, relocation, compacted)
    lines = [  # a module's code is one item of many lines: ``count`` counts lines
        "#!/usr/bin/env python3",
        f"# Bundle of {entry_label} made by cribo-ci ({counted(len(graph.modules), 'module')}). "
        "Generated: do not edit.",
        *preamble,  # below the header, which must stay in the first bytes (locate.py)
        *runtime,
    ]
    count = len(lines)
    spans, placed, placements = [], [], []
    coded = [m for m in graph.modules if m.source is not None and m.name != graph.entry] + [entry]
    for module in coded:
        if not static:
            lines += ["", *emit_source(module)]
            placements.append((module.name, count + 2, 1))
            count += 2
            continue
        code = codes.get(module.name) or module_code(module, maps)
        first_line = count + 2 + code.head
        lines += ["", code.text]
        placements.append((module.name, count + 2, code.line_count))
        count += 1 + code.line_count
        body_lines = code.line_count - code.head
        spans.append(module_span(module, first_line, body_lines, code.unindented, code.edits))
        placed.append(code)
    if tracebacks:
        rows = [code.traceback_row for code in placed]
        lines += ["", *install_lines(spans, rows, maps.original_locations)]
    lines += ["", *start_call(graph, served, entry, data, launched, extract_data), ""]
    chunks = [code.mappings for code in placed]
    sourcemap, comment = map_and_comment(spans, chunks, maps)
    lines[-1:] = [comment, ""] if comment else [""]  # the map's URL is the last line
    third_party = tuple(name for name, kind in graph.externals if kind is ImportKind.THIRD_PARTY)
    return Bundle(
        text="\n".join(lines),
        spans=tuple(spans),
        module_count=len(graph.modules),
        requirements=third_party,
        warnings=unsettled_warnings(graph.warnings, extract_data and bool(data)),
        reasons=tuple((module.name, module.reason) for module in graph.modules),
        sourcemap=sourcemap,
        placements=tuple(placements),
    )
