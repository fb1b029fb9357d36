"""The Action checks a committed bundle before anything writes it.

A bundle tracked by git is what users of the repository run. Rewriting it
before ``verify`` would make the up-to-date check pass whatever was
committed, so for a tracked bundle the Action's default is ``check``: compare,
write nothing, and fail on a stale bundle with what changed and the command
that fixes it. ``write`` bundles fresh (a release job that ships the artifact).
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from ..errors import ConfigError
from ..shown import shown
from .freshness import stale_files, stale_summary

CHECK, WRITE = "check", "write"
GIT_TIMEOUT = 30.0


def is_tracked(path: Path) -> bool:
    """Whether git tracks ``path`` (False outside a repository, or without git)."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "--error-unmatch", "--", str(path)],
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def choose_mode(given: str, output: Path) -> str:
    """The ``mode`` input, or when empty: check a tracked bundle, write an untracked one."""
    given = given.strip().lower()
    if given in (CHECK, WRITE):
        return given
    if given:
        raise ConfigError(f"the 'mode' input must be {CHECK!r} or {WRITE!r}, not {given!r}")
    return CHECK if is_tracked(output) else WRITE


def fix_command(environ: Mapping[str, str], cwd: Path) -> str:
    """The command that rewrites the bundle, from the repository's root."""
    words = ["cribo-ci", "bundle"]
    for variable, flag in (
        ("INPUT_CONFIG", "--config"),
        ("INPUT_ENTRY", "-e"),
        ("INPUT_OUTPUT", "-o"),
    ):
        if environ.get(variable):
            words += [flag, environ[variable]]
    command = shlex.join(words)
    workspace = environ.get("GITHUB_WORKSPACE")
    if workspace:
        folder = os.path.relpath(cwd, workspace)
        if folder != "." and not folder.startswith(".."):
            return f"cd {shlex.quote(folder)} && {command}"
    return command


def stale_markdown(summary: str, command: str) -> str:
    """For ``$GITHUB_STEP_SUMMARY``."""
    return (
        "### cribo-ci bundle: ❌ the committed bundle is out of date\n\n"
        f"```\n{summary.rstrip()}\n```\n\n"
        f"Fix: run `{command}` and commit the result.\n"
    )


@dataclass(frozen=True)
class StaleBundle:
    message: str  # one line: which files
    detail: str  # what changed, and the command that fixes it
    markdown: str  # the same, for the step summary


def stale_bundle(
    files: dict[Path, str], environ: Mapping[str, str], cwd: Path
) -> Optional[StaleBundle]:
    """None when every file on disk is what ``bundle`` writes (``files``)."""
    stale = stale_files(files)
    if not stale:
        return None
    summary, command = stale_summary(files, stale).rstrip(), fix_command(environ, cwd)
    return StaleBundle(
        f"the committed bundle is out of date: {', '.join(map(shown, stale))}",
        f"{summary}\nfix: run `{command}` and commit the result "
        "(or set the Action's `mode: write` to bundle fresh)",
        stale_markdown(summary, command),
    )
