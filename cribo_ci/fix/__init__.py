"""``cribo-ci fix``: a codemod that makes a project's own code bundle-ready.

It rewrites users' files, so it works on a concrete syntax tree (libcst),
which keeps every comment, blank line and quote as written. It lives apart
from the bundling pipeline (``transform/``, on ``ast`` and token edits), and
nothing on the ``bundle``/``verify`` path imports it: libcst takes about
40 ms to import.

``fix_module`` is a pure bytes -> ``ModuleFix`` function; ``project.py`` picks
the files and writes them. ``REWRITES`` lists the rewrites in the order they
run, each a libcst transformer in its own file; ``ComputedImports`` only
finds (its fix goes into the configuration).
"""

from __future__ import annotations

import ast
import warnings
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper

from .base import Rewrite
from .computed_imports import ComputedImports
from .file_reads import FileDataReads
from .imports import ResourcesImport, drop_unread, droppable_names
from .model import FixContext, ModuleFix
from .names import collect_names
from .pkg_resources_calls import PkgResourcesCalls

REWRITES: tuple[type[Rewrite], ...] = (FileDataReads, PkgResourcesCalls)
# Text a module must contain for any rewrite or finder to parse it: most
# modules contain none, and reading bytes is far quicker than parsing.
TRIGGERS = (b"__file__", b"pkg_resources", b"import_module", b"__import__")


def needs_parse(raw: bytes) -> bool:
    return any(trigger in raw for trigger in TRIGGERS)


def ast_nodes(raw: bytes) -> Optional[list[ast.AST]]:
    """Every node of the module, or None when ``ast`` cannot parse it (then
    libcst, or the bundler's own parse for the message, says why)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes are the program's business
            return list(ast.walk(ast.parse(raw)))
    except (SyntaxError, ValueError):
        return None


def fix_module(raw: bytes, context: FixContext) -> ModuleFix:
    """The module's bytes after every rewrite (same encoding, line ends and
    byte-order mark), and what was changed, kept and wanted in the config.
    Raises ``libcst.ParserSyntaxError`` for a module that does not parse."""
    nodes = ast_nodes(raw)
    rewrites = [r for r in REWRITES if nodes is None or r.wanted(nodes)]
    finds = nodes is None or ComputedImports.wanted(nodes)
    if not (rewrites or finds):
        return ModuleFix(raw)
    module = cst.parse_module(raw)
    changes, kept = [], []
    for rewrite_type in rewrites:
        module, rewrite = apply_rewrite(module, rewrite_type, context)
        changes += rewrite.changes
        kept += rewrite.kept
    includes = ()
    if finds:
        finder = ComputedImports(context, collect_names(module))
        MetadataWrapper(module, unsafe_skip_copy=True).visit(finder)
        includes = tuple(finder.found)
    text = module.bytes if changes else raw
    return ModuleFix(text, tuple(changes), tuple(kept), includes)


def apply_rewrite(module: cst.Module, rewrite_type: type[Rewrite], context: FixContext):
    names = collect_names(module)
    resources = ResourcesImport(names)
    rewrite = rewrite_type(context, names, resources)
    changed = MetadataWrapper(module, unsafe_skip_copy=True).visit(rewrite)
    if not rewrite.changes:
        return module, rewrite
    changed = resources.add_to(changed)
    return drop_unread(changed, droppable_names(names, rewrite.touched)), rewrite


__all__ = ["REWRITES", "FixContext", "ModuleFix", "fix_module", "needs_parse"]
