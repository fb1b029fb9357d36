"""``cribo-ci verify``.

No ``from __future__ import annotations`` here (see ``bundle.py``). The command
reads its options, calls ``verify`` or ``api``, and renders: the logic lives
in ``cribo_ci.verify`` where it is tested without a CLI. The GitHub Action's
steps are in ``action.py``.
"""

import dataclasses
import os
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..api import bundle_project, output_files, report_files, write_atomically
from ..config import Config
from ..errors import ConfigError, CriboError, VerifyError
from ..model import Location
from ..shown import shown
from ..verify import STEPS, VerifyOptions, VerifyReport, verify_project
from ..verify.interpreters import choose_interpreters
from ..verify.render import (
    render_human,
    render_json,
    render_markdown,
)
from ..verify.reproduce import reproduce_project
from . import app
from .bundle import (
    ConfigOption,
    EntryOption,
    ExcludeOption,
    IncludeOption,
    OutputOption,
    SrcOption,
    StaticOption,
    fail,
    missing_output,
    settings,
)

PythonOption = Annotated[
    Optional[List[str]],
    typer.Option("--python", help="Interpreter to compile with (repeatable); the first runs."),
]
SkipOption = Annotated[
    Optional[List[str]], typer.Option("--skip", help=f"Leave out a step: {', '.join(STEPS)}.")
]


def progress_printer(quiet: bool):
    """Where verify says what it is doing: one updating line on a terminal."""
    live = sys.stderr.isatty()

    def show(step: str) -> None:
        if quiet:
            return
        if live:
            sys.stderr.write(f"\r\033[Kverify: {step} ...")
        else:
            sys.stderr.write(f"verify: {step} ...\n")
        sys.stderr.flush()

    return show, (lambda: sys.stderr.write("\r\033[K") if live and not quiet else None)


def run_verify(cfg: Config, python: Optional[List[str]], skip, quiet: bool) -> VerifyReport:
    unknown = sorted(set(skip or ()) - set(STEPS))
    if unknown:
        raise CriboError(f"unknown step for --skip: {unknown[0]} (known: {', '.join(STEPS)})")
    pythons = interpreters(cfg, python or ())
    options = VerifyOptions(pythons, frozenset(skip or ()), Path.cwd())
    show, done = progress_printer(quiet)
    try:
        return verify_project(cfg, options, os.environ, show)
    finally:
        done()


def interpreters(cfg: Config, python) -> tuple:
    """The interpreters to check with; one not found is named with the key that asked for it."""
    try:
        return choose_interpreters(python, cfg.python_versions, os.environ)
    except ConfigError as error:
        given = cfg.given("python-versions", "target-version") or ("python-versions", None)
        key, where = ("--python", "command line") if python else given
        hint = "install it (`uv python install X.Y`, `pyenv install X.Y`) or put pythonX.Y on PATH"
        message = f"'{key}': {error.message}: {hint}"
        raise ConfigError(message, Location(where or "command line")) from None


def fix_includes(cfg: Config, missing, given: Optional[Path], flag_given: bool) -> None:
    """``--add-includes``: write the missing modules into the config, then re-bundle."""
    from ..verify.add_includes import add_includes, config_file
    from ..verify.first_party import fewest_includes, include_line

    names = fewest_includes(missing)
    if flag_given or "CRIBO_INCLUDE" in os.environ:
        raise CriboError(
            f"`include` is set by --include or CRIBO_INCLUDE, which a config file cannot "
            f"override: add {', '.join(names)} there"
        )
    path = config_file(cfg, Path.cwd(), given)
    added = add_includes(path, names)
    typer.echo(f"added to {shown(path)}: {include_line(added)}", err=True)


def rebundle(cfg: Config) -> None:
    bundle = bundle_project(cfg)
    files = output_files(bundle, cfg)
    write_atomically({**files, **report_files(bundle, cfg, files)})
    typer.echo(f"rewrote {shown(cfg.output)}; verifying again", err=True)


def write_text(path: Optional[Path], text: str, append: bool = False) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a" if append else "w", encoding="utf-8") as stream:
            stream.write(text)


@app.command()
def verify(
    entry: EntryOption = None,
    output: OutputOption = None,
    src: SrcOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    static_bundling: StaticOption = None,
    config: ConfigOption = None,
    python: PythonOption = None,
    skip: SkipOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Also write the JSON report here.")
    ] = None,
    summary: Annotated[
        Optional[Path],
        typer.Option("--summary", help="Append a Markdown summary here ($GITHUB_STEP_SUMMARY)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
    add_missing: Annotated[
        bool,
        typer.Option(
            "--add-includes",
            help="Add the modules the runs imported and the bundle lacks to `include` in "
            "the config file, re-bundle, and verify again.",
        ),
    ] = False,
    against: Annotated[
        Optional[List[Path]],
        typer.Option(
            "--against",
            help="Only check that this file (a downloaded release file) is byte for byte "
            "what the sources bundle into (repeatable).",
        ),
    ] = None,
) -> None:
    """Check the bundle at OUTPUT against ENTRY: up to date, compiles, same behaviour, exec-free, lint."""
    try:
        configure = lambda: settings(  # noqa: E731
            Path.cwd(), config, entry=entry, output=output, src=src, include=include,
            exclude=exclude, static_bundling=static_bundling,
        )  # fmt: skip
        cfg = configure()
        if against:  # the files' names say which outputs they are; nothing is written
            cfg = cfg if cfg.output else dataclasses.replace(cfg, output=Path(against[0].name))
            result = reproduce_project(cfg, against)
        else:
            if cfg.output is None:
                how = "verify checks the bundle at 'output': pass --output or set it in the config"
                raise missing_output(cfg, how)
            result = run_verify(cfg, python, skip, quiet)
        if add_missing and result.missing_modules:
            fix_includes(cfg, result.missing_modules, config, bool(include))
            cfg = configure()
            rebundle(cfg)
            result = run_verify(cfg, python, skip, quiet)
    except CriboError as error:
        raise fail(error) from None
    typer.echo(render_json(result) if as_json else render_human(result), nl=False)
    write_text(report, render_json(result))
    write_text(summary, render_markdown(result), append=True)
    if not result.ok:
        raise typer.Exit(VerifyError.exit_code)
