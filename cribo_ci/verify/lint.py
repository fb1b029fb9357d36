"""Lint: ``ruff check`` of the bundle for undefined names and syntax errors.

A bundled module's code sits in a class body (or a function body) inside its
holder, so ruff, reading the bundle as one file, takes the module's globals
for class attributes that the module's functions cannot see: dozens of false
F821s. The bundle runs that body with the module's dict as its globals, so
the faithful view is each module on its own: every holder's body becomes a
file of its own, dedented and padded with blank lines so ruff's line numbers
are the bundle's; the rest (runtime and launcher) is one more file.

Codes, and why:
- F821 (undefined name) everywhere: a name a module uses but the bundle does
  not provide, a rewrite that lost a binding, a helper missing at run time.
- F811 (redefinition) only in the runtime view: there it means two holders
  share a name, so one module's code silently replaces another's. In a
  module's own code a redefinition is the author's business, as it was
  before bundling.
- F401 (unused import) nowhere: a bundled module's imports are often
  re-exports read by other modules, which ruff cannot see across holders.
- Syntax errors ruff reports always (without a code).

Findings the original sources have too (same code and message: a name
written through ``globals()``, a private name ruff does not mangle) are
the author's, not the bundle's, and are left out.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..deep import with_room
from ..link import BODY_INDENT
from .report import FAIL, PASS, SKIP, Check

BODY = "_________"
RUFF_TIMEOUT = 300  # seconds; ruff reads a 150k-line bundle in well under one
RUNTIME_VIEW = "runtime.py"
# The star-import rewrite (a class body may not hold `from m import *`) is put
# back, so ruff treats the module's unknown names as possibly star-imported.
STAR_CALL = re.compile(r"__import__\('_cribo'\)\.import_star\(globals\(\), '([\w.]*)', (\d+)\)")


@dataclass(frozen=True)
class Region:
    """Lines ``first..last`` of the bundle hold one module's code at ``indent`` columns."""

    holder: str
    first: int
    last: int
    indent: int


def module_regions(tree: ast.Module, line_count: int) -> tuple[Region, ...]:
    """Each holder's body runs to the line before the next top-level statement: a
    module's last statement may end in backslash-continued lines ``ast`` leaves out."""
    regions = []
    ends = [node.lineno - 1 for node in tree.body[1:]] + [line_count]
    for node, end in zip(tree.body, ends):
        inner = node.body[0] if isinstance(node, ast.FunctionDef) and node.body else None
        if isinstance(inner, (ast.ClassDef, ast.FunctionDef)) and inner.name == BODY:
            regions.append(Region(node.name, inner.lineno + 1, end, inner.body[0].col_offset))
    return tuple(regions)


def dedent(line: str, indent: int) -> str:
    """Drop the holder's indent (tabs), never more than the line's own whitespace."""
    blank = len(line) - len(line.lstrip(" \t"))
    return line[min(blank, indent) :]


def module_view(lines: list[str], region: Region) -> str:
    body = [dedent(line, region.indent) for line in lines[region.first - 1 : region.last]]
    text = "\n" * (region.first - 1) + "".join(body)
    return STAR_CALL.sub(lambda m: f"from {'.' * int(m[2])}{m[1]} import *", text)


def runtime_view(lines: list[str], regions: tuple[Region, ...]) -> str:
    kept = list(lines)
    for region in regions:
        kept[region.first - 1 : region.last] = ["\n"] * (region.last - region.first + 1)
        kept[region.first - 1] = BODY_INDENT + "pass\n"
    return "".join(kept)


def lint_views(text: str) -> dict[str, tuple[str, Optional[Region]]]:
    """File name -> (its text, the region it holds, or None for the runtime view).

    Takes one bundle; the original sources are added beside as ``source_*.py``."""
    lines = text.splitlines(keepends=True)
    regions = module_regions(with_room(ast.parse, len(text), text), len(lines))
    views: dict[str, tuple[str, Optional[Region]]] = {
        RUNTIME_VIEW: (runtime_view(lines, regions), None)
    }
    for number, region in enumerate(regions):
        views[f"module_{number:04d}.py"] = (module_view(lines, region), region)
    return views


def ruff_command() -> Optional[list[str]]:
    """The ruff installed beside cribo-ci, else one on PATH, else None."""
    if importlib.util.find_spec("ruff") is not None:
        return [sys.executable, "-m", "ruff"]
    found = shutil.which("ruff")
    return [found] if found else None


def run_ruff(ruff: list[str], folder: Path) -> list[dict]:
    # py313: the compile check judges version-specific syntax; ruff only names.
    args = ["check", "--isolated", "--no-cache", "--select", "F821,F811"]
    args += ["--target-version", "py313", "--output-format", "json", "--exit-zero", "."]
    done = subprocess.run(
        [*ruff, *args], cwd=folder, capture_output=True, text=True, timeout=RUFF_TIMEOUT
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or "ruff failed")
    return json.loads(done.stdout or "[]")


def finding_line(bundle: str, item: dict, region: Optional[Region]) -> Optional[str]:
    code = item.get("code") or "syntax"
    if code == "F811" and region is not None:
        return None
    row, column = item["location"]["row"], item["location"]["column"] - 1
    column += region.indent if region else 0
    where = f" (in {region.holder})" if region else ""
    return f"{bundle}:{row}:{column + 1}: {code} {item['message']}{where}"


def ruff_findings(ruff: list[str], views: dict[str, str]) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="cribo-lint-") as folder:
        for name, view in views.items():
            Path(folder, name).write_text(view, "utf-8")
        return run_ruff(ruff, Path(folder))


def lint_bundle(bundle: Path, shown: str, sources: tuple[str, ...] = ()) -> Check:
    """Lint ``bundle`` (named ``shown`` in messages) against its original ``sources``."""
    ruff = ruff_command()
    if ruff is None:
        # A hint that works from a clone as well as from an install: ruff beside cribo-ci.
        python = Path(sys.executable).name
        hint = f"`{python} -m pip install ruff` (pre-commit: additional_dependencies: [ruff])"
        return Check("lint", SKIP, f"ruff is not installed: {hint}")
    try:
        views = lint_views(bundle.read_text("utf-8"))
    except SyntaxError as error:
        return Check("lint", FAIL, f"{shown}:{error.lineno}: syntax error: {error.msg}")
    originals = {f"source_{n:04d}.py": text for n, text in enumerate(sources)}
    try:
        items = ruff_findings(ruff, {**{k: v for k, (v, _) in views.items()}, **originals})
    except subprocess.TimeoutExpired:
        return Check("lint", FAIL, f"ruff did not finish within {RUFF_TIMEOUT} s")
    except RuntimeError as error:
        return Check("lint", FAIL, f"ruff failed: {error}")
    name_of = lambda item: Path(item["filename"]).name  # noqa: E731
    known = {(i["code"], i["message"]) for i in items if name_of(i) in originals}
    fresh = [i for i in items if name_of(i) in views and (i["code"], i["message"]) not in known]
    found = sorted({finding_line(shown, i, views[name_of(i)][1]) for i in fresh} - {None})
    if not found:
        return Check("lint", PASS, "no undefined names or syntax errors (ruff F821, F811)")
    return Check("lint", FAIL, f"{len(found)} finding(s) from ruff", "\n".join(found))
