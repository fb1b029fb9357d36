"""``cribo-ci action ...``: the GitHub Action's steps, one command per step.

No ``from __future__ import annotations`` here (see ``bundle.py``). Inputs
come as ``INPUT_*`` variables, results go to ``$GITHUB_OUTPUT`` and
``$GITHUB_STEP_SUMMARY``; the logic lives in ``cribo_ci.verify``.
"""

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Mapping, Optional

import typer

from ..api import bundle_project, metafile_beside, output_files, report_files, write_atomically
from ..config import Config
from ..errors import CriboError, StaleBundleError, VerifyError
from ..model import counted
from ..shown import shown
from ..verify import program_files
from ..verify.bundle_summary import load_seconds, render_bundle_summary
from ..verify.render import render_github_outputs, render_human, render_json, render_markdown
from ..verify.report import report_from_data
from . import app
from .bundle import fail, settings
from .verify import run_verify, write_text

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
        # Every file of the artifact, one a line: what a release attaches.
        "artifact-paths": "\n".join(str(path.resolve()) for path in written),
    }


@action_app.command("bundle")
def action_bundle() -> None:
    """Bundle (mode write) or check the committed bundle (mode check, the default for a
    bundle git tracks); set the outputs bundle-path, map-path, bundle-sha256, module-count,
    artifact-paths."""
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


@action_app.command("release-files")
def action_release_files() -> None:
    """Whether this run publishes (INPUT_RELEASE, INPUT_RELEASE_TAG, the pushed ref); if
    so, write SHA256SUMS beside the bundle over the artifact's files (INPUT_ARTIFACT_PATHS)
    and the verify report (INPUT_REPORT); set the outputs release-tag (empty: no release)
    and release-files (those files and SHA256SUMS, one a line)."""
    from ..verify.publish import release_tag

    environ = os.environ
    try:
        ref = (environ.get("GITHUB_REF_TYPE", ""), environ.get("GITHUB_REF_NAME", ""))
        wanted = environ.get("INPUT_RELEASE", "")
        tag = release_tag(wanted, environ.get("INPUT_RELEASE_TAG", ""), *ref)
        files = release_with_checksums(environ) if tag else ()
    except CriboError as error:
        raise fail(error) from None
    if tag is None:
        why = "'release' is false" if wanted.strip() else "not a tag push"
        typer.echo(f"not publishing: {why} (set `release: true` to publish)")
    outputs = {"release-tag": tag or "", "release-files": "\n".join(map(str, files))}
    write_text(github_file(environ, "GITHUB_OUTPUT"), render_github_outputs(outputs), True)


def release_with_checksums(environ: Mapping[str, str]) -> tuple:
    """The files a release gets, their SHA256SUMS (written beside the bundle) last."""
    from ..verify.publish import CHECKSUMS, checksums_text, release_files

    listed = [
        *environ.get("INPUT_ARTIFACT_PATHS", "").splitlines(),
        environ.get("INPUT_REPORT", ""),
    ]
    files = release_files([Path(line) for line in listed if line.strip()])
    if not files:
        raise CriboError("nothing to attach: the bundle step named no files")
    checksums = files[0].parent / CHECKSUMS
    write_text(checksums, checksums_text(files))
    return (*files, checksums)


@action_app.command("release")
def action_release() -> None:
    """Attach INPUT_RELEASE_FILES (one a line) to the GitHub Release of INPUT_RELEASE_TAG
    with gh, creating the release when the tag has none. gh reads the token from
    GITHUB_TOKEN and the repository from GH_REPO."""
    from ..verify.publish import attach_command, view_command

    tag = os.environ.get("INPUT_RELEASE_TAG", "")
    listed = os.environ.get("INPUT_RELEASE_FILES", "").splitlines()
    files = [Path(line) for line in listed if line.strip()]
    if not tag or not files:
        raise fail(
            CriboError("nothing to publish: INPUT_RELEASE_TAG or INPUT_RELEASE_FILES is empty")
        )
    exists = run_gh(view_command(tag), quiet=True) == 0
    code = run_gh(attach_command(tag, files, exists))
    if code:
        typer.echo(
            f"attaching the files to the release {tag} failed (gh exit code {code})", err=True
        )
        raise typer.Exit(code)
    told = f"attached {counted(len(files), 'file')} to the release {tag}"
    typer.echo(told + ("" if exists else " (created)"))
    names = ", ".join(f"`{path.name}`" for path in files)
    summary = f"\n### cribo-ci release\n\n{told}: {names}\n"
    write_text(github_file(os.environ, "GITHUB_STEP_SUMMARY"), summary, append=True)


def run_gh(argv: list, quiet: bool = False) -> int:
    """gh's exit code; its output shown unless ``quiet``."""
    try:
        return subprocess.run(argv, capture_output=quiet).returncode
    except OSError as error:  # not installed: GitHub's hosted runners have it
        reason = error.strerror or str(error)
        message = f"cannot run gh (the GitHub CLI): {reason}: install it on the runner"
        raise fail(CriboError(message)) from None
