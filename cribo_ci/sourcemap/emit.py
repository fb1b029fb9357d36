"""What the linker adds for source maps: the runtime rows and the map itself.

The rows are the compact data ``runtime/tracebacks.py`` needs: per module its
place in the bundle, the lines left verbatim (inside multi-line strings) and
the original text of the few lines a rewrite changed. Everything else it
rebuilds from the bundle's own lines by removing the indent.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..model import LineSpan, MapOptions, MappingChunk
from .build import joined_sourcemap, line_starts, lines_under_edits
from .lookup import URL_PREFIX, inline_comment


def traceback_fields(span: LineSpan, body: Sequence[str]) -> tuple:
    """(verbatim lines, rewritten lines) of one module, from its body lines."""
    original = span.original.split("\n")
    verbatim, rewritten = [], {}
    # Any other line is the original behind the indent: only these can differ.
    edited = set()
    if span.edits:
        edited = {index + 1 for index in lines_under_edits(span, line_starts(span.original))}
    form_fed = set()
    if "\f" in span.original:  # the linker drops a line's leading form feeds
        form_fed = {n for n, line in enumerate(original, 1) if line.startswith("\f")}
    for number in sorted(span.unindented | edited | form_fed):
        if number > span.line_count:
            continue
        text = body[number - 1]
        kept = number in span.unindented
        if kept and text[span.indent :] != text:
            verbatim.append(number)
        old = original[number - 1] if number <= len(original) else ""
        if (text if kept else text[span.indent :]) != old:
            rewritten[number] = old
    # Tuples only: the rows are then one constant of the compiled bundle, not
    # hundreds of dicts built at every start.
    return tuple(verbatim), tuple(sorted(rewritten.items()))


def install_lines(spans: Sequence[LineSpan], fields: Sequence[tuple], relocate: bool):
    """The call that installs traceback support, one module per line;
    ``fields``: each span's ``traceback_fields``."""
    rows = [
        f"        {(span.relpath, span.bundle_line, span.line_count, *row)!r},"
        for span, row in zip(spans, fields)
    ]
    call = [
        "install_tracebacks(",
        "    globals(),",
        "    (",
        *rows,
        "    ),",
        f"    {relocate!r},",
        f"    {spans[0].indent if spans else 0},",
        ")",
    ]
    if relocate:  # relocation.py wraps the loader, asking the hook where modules are
        return ["relocate_modules(", "    globals(),", *call, ")"]
    return call


def map_and_comment(
    spans: Sequence[LineSpan], chunks: Sequence[MappingChunk], options: MapOptions
) -> tuple[Optional[str], Optional[str]]:
    """The map text and the bundle's last line; (None, None) without a map.
    ``chunks``: each span's ``module_chunk``."""
    if options.sourcemap == "none":
        return None, None
    bundle_name = options.map_name[: -len(".map")]
    built = joined_sourcemap(spans, chunks, bundle_name, options.sources_content)
    if options.sourcemap == "inline":
        return None, inline_comment(built.to_json())
    return built.to_json(), URL_PREFIX + options.map_name
