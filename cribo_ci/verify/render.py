"""A ``VerifyReport`` as text: for people, for machines, and for GitHub.

Pure functions from the report to a string; the CLI decides where each goes
(stdout, ``--json``, ``$GITHUB_STEP_SUMMARY``, ``$GITHUB_OUTPUT``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Mapping

from ..model import counted
from .report import FAIL, PASS, SKIP, VerifyReport

MARKS = {PASS: "ok", FAIL: "FAIL", SKIP: "skip"}
ICONS = {PASS: "✅", FAIL: "❌", SKIP: "⏭️"}


def render_human(report: VerifyReport) -> str:
    lines = [f"verify {report.bundle} ({counted(report.module_count, 'module')})"]
    for check in report.checks:
        lines.append(f"  {MARKS[check.status]:<4} {check.name}: {check.summary}")
        if check.failed and check.details:
            lines += ["       " + line for line in check.details.rstrip("\n").splitlines()]
    lines.append(verdict(report))
    return "\n".join(lines) + "\n"


def verdict(report: VerifyReport) -> str:
    counts = report.counts()
    tally = f"{counts[PASS]} passed, {counts[FAIL]} failed, {counts[SKIP]} skipped"
    return f"{'verified' if report.ok else 'NOT verified'}: {tally}"


def report_data(report: VerifyReport) -> dict:
    data = dataclasses.asdict(report)
    data["ok"] = report.ok
    data["counts"] = report.counts()
    return data


def render_json(report: VerifyReport) -> str:
    return json.dumps(report_data(report), indent=2, sort_keys=True) + "\n"


def render_markdown(report: VerifyReport) -> str:
    """For ``$GITHUB_STEP_SUMMARY``: a table, then each failure's details folded."""
    lines = [
        f"### cribo-ci verify: {ICONS[PASS if report.ok else FAIL]} {verdict(report)}",
        "",
        f"`{report.bundle}`: {counted(report.module_count, 'module')}, sha256 `{report.sha256[:16]}…`",
        "",
        "| Check | Result | Summary |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {c.name} | {ICONS[c.status]} {c.status} | {escape_cell(c.summary)} |"
        for c in report.checks
    ]
    for check in report.failures:
        if check.details:
            lines += ["", f"<details><summary>{check.name}</summary>", "", "```diff"]
            lines += [check.details.rstrip("\n").replace("```", "'''"), "```", "</details>"]
    return "\n".join(lines) + "\n"


def escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_github_outputs(outputs: Mapping[str, str]) -> str:
    """``name=value`` lines for ``$GITHUB_OUTPUT``; multi-line values use a delimiter."""
    lines = []
    for name, value in outputs.items():
        if "\n" in value:
            delimiter = "CRIBO_EOF"
            while delimiter in value:  # GitHub ends the value at the first delimiter line
                delimiter += "_"
            lines += [f"{name}<<{delimiter}", value, delimiter]
        else:
            lines.append(f"{name}={value}")
    return "\n".join(lines) + "\n"
