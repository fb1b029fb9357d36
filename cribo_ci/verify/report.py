"""What ``verify`` found, as frozen data: renderers and the CLI only read it.

A check is passed, failed or skipped (``passed is None``); the report fails
when any check fails. Lines are 1-based, columns 0-based, as in ``model``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

PASS, FAIL, SKIP = "pass", "fail", "skip"


@dataclass(frozen=True)
class Check:
    """One verification step: its name, its outcome and what to show about it."""

    name: str  # "up-to-date", "compile 3.11.7", "case 1", "exec-free", "lint"
    status: str  # PASS, FAIL or SKIP
    summary: str  # one line
    details: str = ""  # e.g. a unified diff, or ruff's findings, one per line
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status == FAIL


@dataclass(frozen=True)
class Run:
    """One finished (or timed-out) program run, with paths already normalised."""

    exit_code: Optional[int]  # None when it timed out
    stdout: str
    stderr: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.exit_code is None


@dataclass(frozen=True)
class VerifyReport:
    bundle: str  # the bundle's path as given (relative to where verify ran)
    sha256: str
    module_count: int
    checks: tuple[Check, ...]
    # first-party modules the runs imported that the bundle lacks (`verify --add-includes`)
    missing_modules: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(check.failed for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.failed)

    def counts(self) -> dict[str, int]:
        return {s: sum(c.status == s for c in self.checks) for s in (PASS, FAIL, SKIP)}


def report_from_data(data: dict) -> VerifyReport:
    """The inverse of ``render.report_data``: read back a ``--report`` JSON file."""
    checks = tuple(Check(**{k: c[k] for k in Check.__dataclass_fields__}) for c in data["checks"])
    missing = tuple(data.get("missing_modules", ()))
    return VerifyReport(data["bundle"], data["sha256"], data["module_count"], checks, missing)
