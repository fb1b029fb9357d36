"""One ``cribo-ci fix`` run: pick the modules, fix them, report, write."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional, Sequence

from ..api import resolve_project
from ..config import Config
from ..errors import EntryError
from ..shown import shown_below
from .project import (
    FixRun,
    config_file_of,
    fix_targets,
    graph_targets,
    include_changes,
    path_targets,
    report_lines,
    unified_diff,
    write_files,
)
from .target import oldest_python

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the 3.9/3.10 tox environments
    import tomli as tomllib


def requires_python(folder: Path) -> Optional[str]:
    try:
        data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    value = data.get("project", {}).get("requires-python")
    return value if isinstance(value, str) else None


def run_fix(config: Config, paths: Sequence[Path], cwd: Path, write: bool) -> FixRun:
    """Fix the bundled modules (or ``paths``); write unless only a diff is asked for."""
    config_file = config_file_of(config)
    folder = config_file.parent if config_file else cwd
    oldest = oldest_python(config.python_versions, requires_python(folder))
    if config.entry is None and not paths:
        raise EntryError("nothing to fix: name files, or set 'entry' in the config")
    graph = resolve_project(config) if config.entry else None
    known = graph_targets(graph, oldest, cwd) if graph else []
    roots = [*config.src, *{module.root for module in graph.modules}] if graph else [cwd]
    targets = path_targets(paths, known, oldest, cwd) if paths else known
    changed, fixes = fix_targets(targets)
    lines, warnings = report_lines(fixes)
    more_lines, more_warnings, config_change = include_changes(config, fixes, cwd, roots)
    files = [*changed, *([config_change] if config_change else [])]
    diff = "".join(unified_diff(path, old, new, shown_below(path, cwd)) for path, old, new in files)
    if write:
        write_files(files)
    return FixRun(tuple(lines + more_lines), tuple(warnings + more_warnings), tuple(files), diff)
