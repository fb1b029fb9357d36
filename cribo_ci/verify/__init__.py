"""``verify``: prove a bundle on disk right against its entry.

    up to date -> compile on each interpreter -> equivalence cases (the
    unbundled run checked first; each bundle run also an exec-free run under an
    audit hook; the first-party modules the runs imported all in the bundle)
    -> ruff lint  =>  VerifyReport

Each step is a function returning ``Check`` values; ``verify_project`` runs
them in order and calls ``progress`` before each, so a CLI can show where it
is. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from ..api import bundle_project, output_files, resolve_project
from ..config import Config
from ..errors import OutputError
from ..launcher import code_cache_files, module_path
from ..shown import shown_below
from .compiling import compile_check
from .equivalence import CaseOutcome, default_cases, run_case
from .first_party import BundleContents, bundle_contents, imports_check, missing_modules
from .freshness import freshness_check, stale_files
from .lint import lint_bundle
from .report import FAIL, PASS, SKIP, Check, Run, VerifyReport

__all__ = [
    "FAIL",
    "PASS",
    "SKIP",
    "STEPS",
    "Check",
    "Run",
    "VerifyOptions",
    "VerifyReport",
    "program_files",
    "stale_files",
    "verify_project",
]

# "cases" includes the exec-free verdict and the check of the modules the runs imported
STEPS = ("up-to-date", "compile", "cases", "lint")


@dataclass(frozen=True)
class VerifyOptions:
    pythons: tuple[str, ...]  # resolved interpreter paths; the first runs the cases
    skip: frozenset[str] = frozenset()  # names from STEPS
    base: Path = Path(".")  # where case `cwd`s are relative to (the project folder)


Progress = Callable[[str], None]
Files = tuple[Path, ...]  # program_files: what a run of the bundle needs


def exec_free_check(outcomes: list[CaseOutcome]) -> Check:
    refused = [f"{o.check.name}: {line}" for o in outcomes for line in o.refusals]
    if refused:
        summary = f"{len(refused)} exec/compile of bundle code refused"
        return Check("exec-free", FAIL, summary, "\n".join(refused))
    runs = sum(outcome.bundle_ran for outcome in outcomes)
    return Check("exec-free", PASS, f"no exec or compile of bundle code in {runs} run(s)")


def program_files(config: Config) -> tuple[Path, ...]:
    """What a run needs: the bundle, or in the launcher mode the launcher and its module."""
    output = config.output
    return (output, module_path(output)) if config.launcher else (output,)


def case_checks(
    config: Config, files: Files, options: VerifyOptions, environ, progress, contents
) -> tuple[list[Check], tuple[str, ...]]:
    """Every equivalence case, the exec-free verdict over all their bundle runs, and
    the check of the modules they imported; and the names of those the bundle lacks."""
    cases = default_cases(config.verify_cases)
    outcomes = []
    for number, case in enumerate(cases, 1):
        progress(f"case {number}/{len(cases)}")
        python = options.pythons[0]
        outcomes.append(
            run_case(config, files, number, case, python, options.base, environ, contents)
        )
    imported = [name for outcome in outcomes for name in outcome.imported]
    checks = [outcome.check for outcome in outcomes]
    checks += [exec_free_check(outcomes), imports_check(imported, contents)]
    return checks, missing_modules(imported, contents)


def compile_checks(files: Files, options: VerifyOptions, progress: Progress) -> list[Check]:
    checks = []
    for python in options.pythons:
        progress(f"compile with {python}")
        checks.append(compile_check(python, files))
    return checks


def lint_checks(files: Files, options: VerifyOptions, sources, progress) -> list[Check]:
    progress("lint")
    checks = [lint_bundle(path, shown_below(path, options.base), sources) for path in files]
    if len(files) == 1:
        return checks
    return [  # the launcher and its module: say which is which
        dataclasses.replace(check, name=f"lint {path.name}") for check, path in zip(checks, files)
    ]


def verify_project(
    config: Config, options: VerifyOptions, environ: Mapping[str, str], progress: Progress
) -> VerifyReport:
    """Check the bundle at ``config.output`` against ``config.entry``."""
    files = program_files(config) if config.output else (None,)
    missing = [path for path in files if path is None or not path.is_file()]
    if missing:
        raise OutputError(f"no bundle to verify at {missing[0]}: run `cribo-ci bundle` first")
    bundle = bundle_project(config)
    caches = code_cache_files(config.output) if config.launcher else ()  # run as shipped
    graph = resolve_project(config)
    sources = tuple(m.source.text for m in graph.modules if m.source)
    contents: BundleContents = bundle_contents(config, graph)
    missing: tuple[str, ...] = ()

    def cases() -> list[Check]:
        nonlocal missing
        runs = files + caches
        checks, missing = case_checks(config, runs, options, environ, progress, contents)
        return checks

    steps = {
        "up-to-date": lambda: [freshness_check(output_files(bundle, config))],
        "compile": lambda: compile_checks(files, options, progress),
        "cases": cases,
        "lint": lambda: lint_checks(files, options, sources, progress),
    }
    checks: list[Check] = []
    for name, step in steps.items():
        skipped = name in options.skip
        checks += [Check(name, SKIP, "skipped (--skip)")] if skipped else step()
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in files))
    return VerifyReport(
        shown_below(config.output, options.base),
        digest.hexdigest(),
        bundle.module_count,
        tuple(checks),
        missing,
    )
