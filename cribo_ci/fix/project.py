"""Which files ``cribo-ci fix`` reads, what each module's context is, and the
writing: every file is computed first, then written, so a syntax error in
one leaves all of them as they were.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Optional, Sequence

import libcst as cst

from ..config import Config
from ..config_edit import with_includes
from ..errors import OutputError, SourceSyntaxError
from ..model import Location, ModuleGraph, ModuleInfo
from ..shown import shown_below
from ..source import decode_source, parse_source, source_encoding
from . import fix_module, needs_parse
from .model import FixContext, IncludeWanted, Kept, ModuleFix


@dataclass(frozen=True)
class Target:
    path: Path
    shown: str  # the path as messages name it
    context: FixContext


@dataclass(frozen=True)
class FixRun:
    """What one run found; ``files`` holds the new bytes of each changed file."""

    lines: tuple[str, ...]  # one per change, for stdout
    warnings: tuple[str, ...]  # code left alone, for stderr
    files: tuple[tuple[Path, bytes, bytes], ...]  # (path, old, new)
    diff: str = ""


def graph_targets(graph: ModuleGraph, oldest: tuple, cwd: Path) -> list[Target]:
    """The bundled first-party modules, each with what it knows of its package."""
    packages = frozenset(m.name for m in graph.modules if m.is_package and m.source)
    plain = frozenset(m.name for m in graph.modules if not m.is_package and m.source)
    targets = []
    for module in graph.modules:
        if module.source is None:
            continue
        path = module.root / module.source.relpath
        context = module_context(module, graph, packages, oldest)
        context = replace(context, modules=plain, file_is_symlink=path.is_symlink())
        targets.append(Target(path, shown_below(path, cwd), context))
    return targets


def module_context(module: ModuleInfo, graph: ModuleGraph, packages, oldest) -> FixContext:
    relpath = module.source.relpath
    if module.name == graph.entry:  # runs as __main__: __name__ says nothing
        package = graph.entry_package
        expr = "__package__" if package in packages else None
        return FixContext(relpath, expr, None, package, oldest, packages=packages)
    if module.is_package:
        return FixContext(relpath, "__name__", module.name, module.name, oldest, packages=packages)
    parent = module.name.rpartition(".")[0]
    expr = "__package__" if parent in packages else None  # none: top level, or a namespace
    return FixContext(relpath, expr, module.name, parent or None, oldest, packages=packages)


def path_targets(paths: Sequence[Path], known: list[Target], oldest, cwd: Path) -> list[Target]:
    """Files named on the command line (folders: their ``.py`` files): a file the
    bundle holds keeps its module's context; another is placed by the
    ``__init__.py`` files around it."""
    by_path = {target.path.resolve(): target for target in known}
    packages = next(iter(known)).context.packages if known else frozenset()
    found = []
    for path in python_files(paths):
        target = by_path.get(path.resolve())
        if target is None:
            context = inferred_context(path, oldest, packages)
            target = Target(path, shown_below(path, cwd), context)
        found.append(target)
    return found


def python_files(paths: Sequence[Path]) -> Iterable[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.py") if "__pycache__" not in p.parts)
        else:
            yield path


def inferred_context(path: Path, oldest: tuple, packages: frozenset) -> FixContext:
    parts: list[str] = []
    folder = path.parent
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    package = ".".join(parts) or None
    is_init = path.name == "__init__.py" and package
    name = package if is_init else (f"{package}.{path.stem}" if package else None)
    expr = ("__name__" if is_init else "__package__") if package else None
    return FixContext(
        path.as_posix(), expr, name, package, oldest, path.is_symlink(), packages | {package}
    )


def fix_targets(targets: Sequence[Target]) -> tuple[list, list[tuple[Target, ModuleFix]]]:
    """(the changed files, every module's fix), reading only files a rewrite may touch."""
    fixes = []
    for target in targets:
        raw = target.path.read_bytes()
        if needs_parse(raw):
            fixes.append((target, raw, fix_one(target, raw)))
    changed = [(t.path, raw, fix.text) for t, raw, fix in fixes if fix.text != raw]
    return changed, [(t, fix) for t, _, fix in fixes]


def fix_one(target: Target, raw: bytes) -> ModuleFix:
    try:
        return fix_module(raw, target.context)
    except cst.ParserSyntaxError as error:
        # Python's own parser says what and where as the bundler does; libcst's
        # positions are rougher (only where Python accepts the code, libcst's).
        parse_source(decode_source(raw, target.shown))
        where = Location(target.shown, error.editor_line, error.editor_column - 1)
        raise SourceSyntaxError(error.message, where) from None
    except (UnicodeDecodeError, LookupError, SyntaxError):
        decode_source(raw, target.shown)  # raises the located DecodeError
        raise


def report_lines(fixes: list[tuple[Target, ModuleFix]]) -> tuple[list[str], list[str]]:
    lines, warnings = [], []
    for target, fix in fixes:
        for change in fix.changes:
            lines.append(f"{target.shown}:{change.line}: {change.before} -> {change.after}")
        for kept in fix.kept:
            warnings.append(warning_line(target.shown, kept))
    return lines, warnings


def warning_line(shown: str, kept: Kept) -> str:
    return f"{shown}:{kept.line}:{kept.column + 1}: warning: {kept.message}"


def wanted_includes(fixes, config: Config) -> list[tuple[str, Target, IncludeWanted]]:
    seen = set(config.include)
    wanted = []
    for target, fix in fixes:
        for include in fix.includes:
            if include.glob not in seen:
                seen.add(include.glob)
                wanted.append((include.glob, target, include))
    return wanted


def config_file_of(config: Config) -> Optional[Path]:
    """The configuration file read last (it wins), where new settings go."""
    files = [Path(origin) for origin in config.origin if origin.endswith(".toml")]
    return files[-1] if files else None


def include_changes(config: Config, fixes, cwd: Path, roots: Sequence[Path]):
    """(lines, warnings, changed config file or None) for the wanted globs."""
    wanted, warnings = [], []
    for glob, target, include in wanted_includes(fixes, config):
        folder = glob[: -len(".*")].replace(".", "/")
        if any((root / folder).is_dir() for root in roots):
            wanted.append((glob, target, include))
        else:
            message = f"no first-party package {glob[:-2]!r} in the source roots: left as it is"
            warnings.append(f"{target.shown}:{include.line}: warning: {message}")
    if not wanted:
        return [], warnings, None
    file = config_file_of(config)
    where = [f"{t.shown}:{i.line}: {i.call}" for _, t, i in wanted]
    globs = [glob for glob, _, _ in wanted]
    if file is None:
        hint = "no pyproject.toml or cribo.toml to add it to: add `include = [{!r}]` under [tool.cribo]"
        warnings += [f"{w}: warning: {hint.format(g)}" for w, g in zip(where, globs)]
        return [], warnings, None
    old = file.read_bytes()
    new = with_includes(old.decode("utf-8"), file, globs)[0].encode("utf-8")
    shown = shown_below(file, cwd)
    lines = [f"{shown}: include += [{g!r}] (for {w})" for g, w in zip(globs, where)]
    return lines, warnings, (file, old, new)


def unified_diff(path: Path, old: bytes, new: bytes, shown: str) -> str:
    encoding = source_encoding(old, shown) if path.suffix == ".py" else "utf-8"
    before = old.decode(encoding).splitlines(keepends=True)
    after = new.decode(encoding).splitlines(keepends=True)
    return "".join(difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}"))


def write_files(files: Sequence[tuple[Path, bytes, bytes]]) -> None:
    """Each file through a temporary sibling renamed over it, keeping its mode."""
    for path, _, new in files:
        target = Path(os.path.realpath(path))
        try:
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        except OSError as error:
            raise OutputError(f"cannot write: {error.strerror}", Location(str(path))) from error
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(new)
            os.chmod(temporary, target.stat().st_mode & 0o7777)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
