"""The unbundled run is checked first: equal output proves nothing when both runs fail.

Each case expects an exit code (``expect-exit``, 0 when not set). An unbundled
run that gives another one, or does not finish, fails the case before the
bundle runs, with the end of its stderr and what usually causes it: the
program's dependencies are not installed where verify runs.
"""

from __future__ import annotations

from typing import Optional

from ..config import VerifyCase
from .first_party import NO_MODULE
from .report import Run

STDERR_LINES = 12  # the end of a traceback: its last frames and the error

ADVICE = (
    "This usually means the program's dependencies are not installed where verify runs:\n"
    "  pre-commit: list them in the cribo-verify hook's `additional_dependencies`\n"
    "  GitHub Action: name a requirements file or an install command in the `install` input\n"
)


def expected_exit(case: VerifyCase) -> int:
    return 0 if case.expect_exit is None else case.expect_exit


def baseline_failure(case: VerifyCase, original: Run) -> Optional[str]:
    """The summary of a failed unbundled run, or None when it did what the case expects."""
    if original.timed_out:
        return f"the unbundled program itself timed out after {case.timeout:g} s"
    expected = expected_exit(case)
    if original.exit_code == expected:
        return None
    return (
        f"the unbundled program itself failed (exit code {original.exit_code}, expected {expected})"
    )


def baseline_details(case: VerifyCase, original: Run, python: str, first_party) -> str:
    """The end of its stderr, then why it usually happens and how to fix it.

    ``first_party``: tells whether a module name is the project's own."""
    tail = original.stderr.rstrip("\n").splitlines()[-STDERR_LINES:]
    lines = ["the bundle was not run: both runs failing alike would prove nothing"]
    lines += ["last lines of its stderr:", *(f"  {line}" for line in tail or ["(empty)"])]
    if original.timed_out:
        return "\n".join(lines) + "\n"
    absent = [name for name in NO_MODULE.findall(original.stderr) if not first_party(name)]
    lines += [f"{name!r} is not installed for {python}" for name in dict.fromkeys(absent)]
    text = "\n".join(lines) + "\n" + ADVICE
    code = original.exit_code
    return (
        text
        + f"If exit code {code} is what this case should give, set `expect-exit = {code}` on it.\n"
    )
