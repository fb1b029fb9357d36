"""Tracebacks of a cribo-ci bundle that name the original files, lines and code.

Copied into the bundle after the bootstrap runtime. ``install_tracebacks``
gets one compact row per module: ``(relpath, first bundle line, line count,
verbatim lines, ((line, original text), ...))``, all constants, so the rows
cost nothing to build at start-up. A bundle line is the original line
with the holder's indent in front, except the verbatim lines (inside a
multi-line string) and the few lines a rewrite changed, whose original text
the row carries. That is enough to rebuild every original source into
``linecache``, so the standard ``traceback`` module prints the original text
and, on 3.11+, the same ``^^^^`` carets as the unbundled program.

Start-up only records the rows: the per-module tables and the ``traceback``
and ``linecache`` imports (a few ms with what they import) wait for the first
traceback, which most runs never print.
"""

# bootstrap.py imports `sys`, `os` and `types` into the same bundle globals; a
# second `import sys` there reads as a redefinition (ruff F811 in `verify`'s
# lint), so this part binds other names.
import sys as this_sys
from os import path as os_path

IMPORTLIB_FRAMES = "<frozen importlib._bootstrap"  # a prefix of _bootstrap_external too


class ModuleLines:
    """Where one module's lines sit in the bundle, and how to undo the indent."""

    def __init__(self, path, row, indent):
        self.path = path  # the original file, beside the bundle
        self.relpath, self.first, self.count, verbatim, rewritten = row
        self.verbatim = frozenset(verbatim)
        self.rewritten = dict(rewritten)
        self.indent = indent

    def shift(self, line):
        """Columns a bundle line has in front of the original one."""
        return 0 if line in self.verbatim else self.indent

    def source(self, bundle_lines):
        lines = bundle_lines[self.first - 1 : self.first - 1 + self.count]
        return [
            self.rewritten.get(number, text[self.shift(number) :].rstrip("\n")) + "\n"
            for number, text in enumerate(lines, start=1)
        ]


class OriginalTracebacks:
    """``sys.excepthook`` that maps the bundle's frames back to the originals."""

    def __init__(self, bundle, rows, indent, relocated=False):
        self.bundle = bundle
        # Files whose own frames a traceback leaves out: the bundle's runtime,
        # and the launcher of the launcher mode (added by bootstrap's ``start``).
        self.runtime_files = {bundle}
        self.rows, self.indent, self.relocated = rows, indent, relocated
        self.found = None  # (modules, by_path), made by ``places`` on first use
        self.bundle_lines = None  # read on first use too

    def places(self):
        """The modules' places, and those relocated by original path."""
        if self.found is None:
            folder = os_path.dirname(self.bundle)
            modules = [
                ModuleLines(os_path.join(folder, row[0]), row, self.indent) for row in self.rows
            ]
            # A module named like the bundle or the launcher (the entry,
            # usually) is never relocated: one file name cannot stand for both.
            by_path = {m.path: m for m in modules if m.path not in self.runtime_files}
            self.found = (modules, by_path if self.relocated else {})
        return self.found

    def locate(self, filename, line):
        """(module, original line) of a bundle position, else None."""
        modules, by_path = self.places()
        if filename in by_path:  # original-locations mode: already original
            return by_path[filename], line
        if filename != self.bundle or line is None:
            return None
        for module in modules:
            if module.first <= line < module.first + module.count:
                return module, line - module.first + 1
        return None

    def remember(self, module):
        """Put the module's original text in ``linecache`` (kept: no mtime)."""
        import linecache

        if self.bundle_lines is None:
            self.bundle_lines = list(linecache.getlines(self.bundle))
        entry = linecache.cache.get(module.path, ())
        if len(entry) != 4 or entry[1] is not None:  # absent, lazy, or read from disk
            lines = module.source(self.bundle_lines)
            linecache.cache[module.path] = (sum(map(len, lines)), None, lines, module.path)

    def frame(self, summary, found):
        import traceback

        module, line = found
        self.remember(module)
        mapped = traceback.FrameSummary(module.path, line, summary.name, lookup_line=False)
        if getattr(summary, "colno", None) is not None:  # 3.11+: caret positions
            end = self.locate(summary.filename, summary.end_lineno) or (module, line)
            mapped.end_lineno = end[1]
            if line not in module.rewritten and end[1] not in end[0].rewritten:
                mapped.colno = summary.colno - module.shift(line)
                mapped.end_colno = summary.end_colno - end[0].shift(end[1])
        return mapped

    def stack(self, stack):
        """Mapped frames; the runtime's own are dropped, with the importlib
        frames that led into them (CPython trims those for a normal import)."""
        import traceback

        kept = []
        for summary in stack:
            found = self.locate(summary.filename, summary.lineno)
            if found is not None:
                kept.append(self.frame(summary, found))
            elif summary.filename in self.runtime_files:
                while kept and kept[-1].filename.startswith(IMPORTLIB_FRAMES):
                    kept.pop()
            else:
                kept.append(summary)
        return traceback.StackSummary.from_list(kept)

    def remap(self, exception, seen):
        """Every stack of the chain and of exception groups, each once."""
        if exception is None or id(exception) in seen:
            return
        seen.add(id(exception))
        exception.stack = self.stack(exception.stack)
        for inner in [exception.__cause__, exception.__context__]:
            self.remap(inner, seen)
        for inner in getattr(exception, "exceptions", None) or ():
            self.remap(inner, seen)

    def __call__(self, kind, value, tb):
        import traceback

        report = traceback.TracebackException(kind, value, tb)
        self.remap(report, set())
        print("".join(report.format()), end="", file=this_sys.stderr)


def install_tracebacks(bundle_globals, rows, relocate=False, indent=2):
    """Install the excepthook; ``relocate``: ``relocation.py`` moves the
    modules' functions and classes to their original locations."""
    hook = OriginalTracebacks(os_path.abspath(bundle_globals["__file__"]), rows, indent, relocate)
    this_sys.excepthook = hook
    return hook
