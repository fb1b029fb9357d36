"""``cribo-ci fix``: make the project's own code bundle-ready.

No ``from __future__ import annotations`` here: typer reads the ``Annotated``
hints at run time. The codemod (and libcst) is imported inside the command,
so no other command's start-up pays for it.
"""

import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..errors import CriboError
from . import app
from .bundle import ConfigOption, EntryOption, SrcOption, fail, settings


@app.command()
def fix(
    paths: Annotated[
        Optional[List[Path]],
        typer.Argument(help="Files or folders to fix (default: the bundled modules)."),
    ] = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print a unified diff; write nothing.")
    ] = False,
    entry: EntryOption = None,
    src: SrcOption = None,
    config: ConfigOption = None,
) -> None:
    """Rewrite __file__-relative data reads and pkg_resources calls into
    importlib.resources, and add include globs for computed imports.
    Exits 1 when something changed (or would, with --diff), 0 otherwise."""
    from ..fix.run import run_fix

    try:
        cfg = settings(Path.cwd(), config, entry=entry, src=src)
        outcome = run_fix(cfg, paths or (), Path.cwd(), write=not diff)
    except CriboError as error:
        raise fail(error) from None
    for line in outcome.warnings:
        typer.echo(line, err=True)
    sys.stdout.write(outcome.diff if diff else "".join(line + "\n" for line in outcome.lines))
    if outcome.files:
        raise typer.Exit(1)
