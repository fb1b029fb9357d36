"""The equivalence run: the entry unbundled, then its bundle alone, compared.

Both runs get the same arguments, input, environment and working folder. The
unbundled run must first give the case's expected exit code (``baseline``);
it records the first-party modules it imports (``first_party``). The
bundle runs from an empty temporary folder with no ``PYTHONPATH`` to the
sources, so only what it carries can be imported, and under the audit hook
of ``audit_site`` so every case is also an exec-free run.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from ..config import Config, VerifyCase
from .baseline import baseline_details, baseline_failure
from .first_party import (
    BundleContents,
    is_first_party,
    missing_module_hints,
    read_recorded,
    recording_environment,
)
from .report import FAIL, PASS, Check, Run
from .running import base_environment, normalise, run_program, with_pythonpath

AUDIT_SITE = Path(__file__).parent / "audit_site"


@dataclass(frozen=True)
class CaseOutcome:
    check: Check
    refusals: tuple[str, ...]  # what the audit hook refused during the bundle's run
    imported: tuple[str, ...] = ()  # first-party modules the unbundled run imported
    bundle_ran: bool = True  # False when the unbundled run failed first


def case_label(number: int, case: VerifyCase) -> str:
    shown = " ".join(case.args) if case.args else "no arguments"
    return f"case {number}: {shown}"


def run_unbundled(
    config: Config, case: VerifyCase, python: str, cwd: Path, env: dict, contents: BundleContents
):
    """Run the entry from its sources; return the run and the first-party modules it imported."""
    entry = config.entry.resolve()
    roots = [str(root.resolve()) for root in config.src]
    if entry.is_dir():  # a package entry runs as `python -m package`
        argv = [python, "-m", entry.name, *case.args]
        roots.insert(0, str(entry.parent))
    else:
        argv = [python, str(entry), *case.args]
    handle, name = tempfile.mkstemp(prefix="cribo-imports-")
    os.close(handle)
    log = Path(name)
    try:
        run_env = recording_environment(env, contents.roots, log)
        run_env = with_pythonpath(run_env, *roots, str(AUDIT_SITE))
        run = run_program(argv, cwd, case.stdin, run_env, case.timeout)
        return normalise(run, entry.parent), read_recorded(log)
    finally:
        log.unlink(missing_ok=True)


def run_bundled(
    files: Sequence[Path], run_name: str, case: VerifyCase, python: str, cwd: Path, env: dict
):
    """Run copies of the bundle's files alone in an empty folder; return the run and the
    refusals. ``files``: the bundle, run as ``run_name``, or the launcher (run so) and
    its module."""
    alone = Path(tempfile.mkdtemp(prefix="cribo-verify-"))
    log = alone.parent / (alone.name + ".audit")  # outside: the program may list its folder
    try:
        copies = [alone / run_name] + [alone / path.name for path in files[1:]]
        for path, copy in zip(files, copies):
            shutil.copyfile(path, copy)
        audited = os.pathsep.join(map(str, copies))
        audit = {"CRIBO_AUDIT_BUNDLE": audited, "CRIBO_AUDIT_LOG": str(log)}
        run_env = with_pythonpath({**env, **audit}, str(AUDIT_SITE))
        argv = [python, str(copies[0]), *case.args]
        run = run_program(argv, cwd, case.stdin, run_env, case.timeout)
        refusals = tuple(log.read_text("utf-8").splitlines()) if log.exists() else ()
        return normalise(run, alone), refusals
    finally:
        shutil.rmtree(alone, ignore_errors=True)
        log.unlink(missing_ok=True)


def differences(case: VerifyCase, original: Run, bundled: Run) -> list[str]:
    """What went wrong, one short phrase each; empty when the case passes. (The
    unbundled run gave the expected exit code: ``baseline`` checked it first.)"""
    found = [f"bundle timed out after {case.timeout:g} s"] if bundled.timed_out else []
    if original.exit_code != bundled.exit_code:
        found.append(f"exit code {original.exit_code} unbundled, {bundled.exit_code} bundled")
    found += [
        f"{name} differs" for name in ("stdout", "stderr") if diff_of(name, original, bundled)
    ]
    return found


def diff_of(stream: str, original: Run, bundled: Run) -> str:
    before, after = getattr(original, stream), getattr(bundled, stream)
    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"{stream} (unbundled)",
        f"{stream} (bundle)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def run_case(
    config: Config,
    files: Sequence[Path],
    number: int,
    case: VerifyCase,
    python: str,
    base: Path,
    environ: Mapping[str, str],
    contents: BundleContents,
) -> CaseOutcome:
    env = {**base_environment(environ), **dict(case.env)}
    cwd = (base / case.cwd).resolve() if case.cwd else base.resolve()
    run_name = config.entry.name if config.entry.is_file() else "__main__.py"
    label = case_label(number, case)
    original, imported = run_unbundled(config, case, python, cwd, env, contents)
    failed_alone = baseline_failure(case, original)
    if failed_alone:
        first_party = lambda name: is_first_party(name, contents, imported)  # noqa: E731
        details = baseline_details(case, original, python, first_party)
        check = Check(label, FAIL, failed_alone, details, original.seconds)
        return CaseOutcome(check, (), imported, bundle_ran=False)
    bundled, refusals = run_bundled(files, run_name, case, python, cwd, env)
    problems = differences(case, original, bundled)
    seconds = original.seconds + bundled.seconds
    if not problems:
        summary = f"same exit code ({bundled.exit_code}), stdout and stderr"
        return CaseOutcome(Check(label, PASS, summary, seconds=seconds), refusals, imported)
    hints = missing_module_hints(bundled.stderr, imported, contents)
    diffs = diff_of("stdout", original, bundled) + diff_of("stderr", original, bundled)
    return CaseOutcome(
        Check(label, FAIL, "; ".join(problems), hints + diffs, seconds), refusals, imported
    )


def default_cases(cases: tuple[VerifyCase, ...]) -> tuple[VerifyCase, ...]:
    """With no cases configured, one run with no arguments."""
    return cases or (VerifyCase(),)
