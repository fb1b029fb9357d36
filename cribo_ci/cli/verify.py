"""``cribo-ci verify``, and ``cribo-ci action ...``: the GitHub Action's steps.

No ``from __future__ import annotations`` here (see ``bundle.py``). Each
command reads its options, calls ``verify`` or ``api``, and renders: the
logic lives in ``cribo_ci.verify`` where it is tested without a CLI.
"""

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, List, Mapping, Optional

import typer

from ..api import bundle_project, metafile_beside, output_files, report_files, write_atomically
from ..config import Config
from ..errors import ConfigError, CriboError, StaleBundleError, VerifyError
from ..model import Location, counted
from ..verify import STEPS, VerifyOptions, VerifyReport, program_files, verify_project
from ..verify.bundle_summary import load_seconds, render_bundle_summary
from ..verify.freshness import shown
from ..verify.interpreters import choose_interpreters
from ..verify.render import (
    render_github_outputs,
    render_human,
    render_json,
    render_markdown,
)
from ..verify.report import report_from_data
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


action_app = typer.Typer(
    help="The GitHub Action's steps: inputs from INPUT_* variables, results to "
    "$GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY.",
    no_args_is_help=True,
)
app.add_typer(action_app, name="action")

# action.yml passes each input as INPUT_<NAME>; an empty one means "not given".
INPUT_FLAGS = {"INPUT_ENTRY": "entry", "INPUT_OUTPUT": "output"}


def action_config(environ: Mapping[str, str]) -> Config:
    flags = {flag: environ.get(name) or None for name, flag in INPUT_FLAGS.items()}
    config_file = environ.get("INPUT_CONFIG") or None
    return settings(Path.cwd(), Path(config_file) if config_file else None, **flags)


def github_file(environ: Mapping[str, str], name: str) -> Optional[Path]:
    return Path(environ[name]) if environ.get(name) else None


def bundle_outputs(config: Config, written: dict, module_count: int) -> dict:
    output, *module = program_files(config)  # the launcher mode's module too
    data = output.read_bytes()
    maps = [path for path in written if path.name.endswith(".map")]
    named = {output, *module, *maps}
    return {
        "bundle-path": str(output.resolve()),
        "module-path": str(module[0].resolve()) if module else "",
        "map-path": str(maps[0].resolve()) if maps else "",
        "bundle-sha256": hashlib.sha256(data).hexdigest(),
        "module-count": str(module_count),
        # The rest of the artifact, one path a line: code caches, the bundle report.
        "extra-paths": "\n".join(str(path.resolve()) for path in written if path not in named),
    }


@action_app.command("bundle")
def action_bundle() -> None:
    """Bundle (mode write) or check the committed bundle (mode check, the default for a
    bundle git tracks); set the outputs bundle-path, map-path, bundle-sha256, module-count."""
    from ..verify.committed import CHECK, choose_mode

    try:
        cfg = action_config(os.environ)
        if cfg.output is None:
            raise CriboError("no output given: set the 'output' input or 'output' in the config")
        if cfg.metafile is None:  # the report goes with the artifact
            cfg = dataclasses.replace(cfg, metafile=metafile_beside(cfg.output))
        result = bundle_project(cfg)
        written = output_files(result, cfg)
        mode = choose_mode(os.environ.get("INPUT_MODE", ""), cfg.output)
        if mode == CHECK:
            fail_if_stale(written)  # the shipped files; the report goes with the artifact
        reports = report_files(result, cfg, written)
        write_atomically(reports if mode == CHECK else {**written, **reports})
    except CriboError as error:
        raise fail(error) from None
    outputs = bundle_outputs(cfg, {**written, **reports}, result.module_count)
    write_text(github_file(os.environ, "GITHUB_OUTPUT"), render_github_outputs(outputs), True)
    if mode == CHECK:
        typer.echo(
            f"checked {shown(cfg.output)}: up to date ({counted(result.module_count, 'module')})"
        )
    else:
        typer.echo(f"bundled {counted(result.module_count, 'module')} into {cfg.output}")


def fail_if_stale(files: dict) -> None:
    """A stale committed bundle fails, told on stderr and in the step summary."""
    from ..verify.committed import stale_bundle

    stale = stale_bundle(files, os.environ, Path.cwd())
    if stale is not None:
        write_text(github_file(os.environ, "GITHUB_STEP_SUMMARY"), stale.markdown, append=True)
        raise StaleBundleError(stale.message, detail=stale.detail)


@action_app.command("install")
def action_install() -> None:
    """Install the program's dependencies: INPUT_INSTALL names a requirements file or is a
    shell command; both install into the Python that runs cribo-ci and verify."""
    spec = os.environ.get("INPUT_INSTALL", "").strip()
    if not spec:
        return
    if Path(spec).is_file():
        typer.echo(f"installing the requirements in {spec}", err=True)
        pip = [sys.executable, "-m", "pip", "install", "-r", spec]
        code = subprocess.run(pip).returncode
    else:  # the workflow's own command, run as its author wrote it
        typer.echo(f"running: {spec}", err=True)
        code = subprocess.run(spec, shell=True).returncode
    if code:
        typer.echo(f"installing the program's dependencies failed (exit code {code})", err=True)
        raise typer.Exit(code)


def report_path(output: Path) -> Path:
    """Beside the bundle, so one artifact holds bundle, map and report."""
    return output.with_name(output.stem + ".verify.json")


@action_app.command("verify")
def action_verify() -> None:
    """Verify with the running Python; write the JSON report beside the bundle."""
    try:
        cfg = action_config(os.environ)
        result = run_verify(cfg, None, None, quiet=True)
    except CriboError as error:
        raise fail(error) from None
    typer.echo(render_human(result), nl=False)
    path = report_path(cfg.output)
    write_text(path, render_json(result))
    outputs = {"report-path": str(path.resolve()), "verified": str(result.ok).lower()}
    write_text(github_file(os.environ, "GITHUB_OUTPUT"), render_github_outputs(outputs), True)
    if not result.ok:
        raise typer.Exit(VerifyError.exit_code)


@action_app.command("summary")
def action_summary() -> None:
    """Append the report (or, with verify off, the bundle's facts) to the step summary."""
    environ = os.environ
    report = Path(environ["INPUT_REPORT"]) if environ.get("INPUT_REPORT") else None
    if report is not None and report.is_file():
        text = render_markdown(report_from_data(json.loads(report.read_text("utf-8"))))
    else:
        text = bundle_markdown(environ)
    text += bundle_report_markdown(environ)
    write_text(github_file(environ, "GITHUB_STEP_SUMMARY"), text, append=True)


def bundle_report_markdown(environ: Mapping[str, str]) -> str:
    """The bundle report (INPUT_METAFILE, else beside the bundle), against
    INPUT_PREVIOUS_METAFILE when one is given (the base branch's, say)."""
    bundle = environ.get("INPUT_BUNDLE_PATH", "")
    given = environ.get("INPUT_METAFILE") or (str(metafile_beside(Path(bundle))) if bundle else "")
    if not given or not Path(given).is_file():
        return ""
    data = json.loads(Path(given).read_text("utf-8"))
    previous_file = Path(environ.get("INPUT_PREVIOUS_METAFILE") or "")
    previous = json.loads(previous_file.read_text("utf-8")) if previous_file.is_file() else None
    seconds = load_seconds(data, Path(given).parent)
    return "\n" + render_bundle_summary(data, previous, seconds)


def bundle_markdown(environ: Mapping[str, str]) -> str:
    path, count = environ.get("INPUT_BUNDLE_PATH", ""), environ.get("INPUT_MODULE_COUNT", "?")
    digest = environ.get("INPUT_BUNDLE_SHA256", "")
    return f"### cribo-ci bundle\n\n`{path}`: {count} module{'' if count == '1' else 's'}, sha256 `{digest[:16]}…` (not verified)\n"
