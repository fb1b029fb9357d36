"""``cribo-ci bundle`` and the options other commands share.

No ``from __future__ import annotations`` here: typer reads the ``Annotated``
hints at run time, and on Python 3.9 string hints lose the options.
"""

import os
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..api import bundle_project, output_files, write_atomically
from ..config import Config, load_config
from ..errors import CriboError, StaleBundleError
from . import app

ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", help="Read this TOML file instead of pyproject.toml/cribo.toml."),
]
EntryOption = Annotated[
    Optional[Path],
    typer.Option("--entry", "-e", help="Entry script, or a package folder with __main__.py."),
]
OutputOption = Annotated[
    Optional[Path], typer.Option("--output", "-o", help="Bundle file to write.")
]
SrcOption = Annotated[
    Optional[List[Path]], typer.Option("--src", help="More source roots (repeatable).")
]
IncludeOption = Annotated[
    Optional[List[str]], typer.Option("--include", help="Module name or glob to bundle as well.")
]
ExcludeOption = Annotated[
    Optional[List[str]],
    typer.Option("--exclude", help="Module name or glob to leave as an import."),
]
CacheDirOption = Annotated[
    Optional[Path],
    typer.Option("--cache-dir", help="Cache analysis here (default ~/.cache/cribo-ci)."),
]
CacheOption = Annotated[
    Optional[bool],
    typer.Option("--cache/--no-cache", help="Reuse the analysis of unchanged files."),
]
LauncherOption = Annotated[
    Optional[bool],
    typer.Option(
        "--launcher/--no-launcher",
        help="Write OUTPUT as a launcher that imports OUTPUT_bundle.py (bytecode cached).",
    ),
]
CodeCacheOption = Annotated[
    Optional[bool],
    typer.Option(
        "--code-cache/--no-code-cache",
        help="Launcher mode: ship code caches made by each target Python (the default).",
    ),
]
StaticOption = Annotated[
    Optional[bool],
    typer.Option("--static-bundling/--no-static-bundling", help="Exec-free bundle (the default)."),
]

# `--sourcemap=file|inline|none` takes a value (typer flags cannot take one
# optionally); `--no-sourcemap` is the short way to say `--sourcemap=none`.
SourcemapOption = Annotated[
    Optional[str],
    typer.Option(
        "--sourcemap", help="file (bundle.py.map, the default), inline (a data URL) or none."
    ),
]
NoSourcemapOption = Annotated[
    bool, typer.Option("--no-sourcemap", help="Write no source map (--sourcemap=none).")
]
SourcesContentOption = Annotated[
    Optional[bool],
    typer.Option("--sources-content/--no-sources-content", help="Embed the sources in the map."),
]
TracebackOption = Annotated[
    Optional[bool],
    typer.Option(
        "--traceback-support/--no-traceback-support",
        help="Tracebacks name the original files and lines (the default).",
    ),
]
OriginalLocationsOption = Annotated[
    Optional[bool],
    typer.Option(
        "--original-locations/--no-original-locations",
        help="Functions and classes carry their original file and lines (opt-in).",
    ),
]


def map_flags(sourcemap, no_sourcemap, sources_content, traceback_support, original_locations):
    """The source map settings given on the command line, for ``settings``."""
    return {
        "sourcemap": "none" if no_sourcemap else sourcemap,
        "sources_content": sources_content,
        "traceback_support": traceback_support,
        "original_locations": original_locations,
    }


def settings(cwd: Path, config_file: Optional[Path], **flags) -> Config:
    """Config from files, environment, then the flags given on this command line."""
    table = {key.replace("_", "-"): value for key, value in flags.items()}
    for key in ("entry", "output", "cache-dir", "metafile"):
        if table.get(key) is not None:
            table[key] = str(table[key])
    if table.get("src"):
        table["src"] = [str(path) for path in table["src"]]
    return load_config(cwd, os.environ, table, config_file)


def fail(error: CriboError) -> "typer.Exit":
    typer.echo(str(error), err=True)
    return typer.Exit(error.exit_code)


def print_warnings(warnings) -> None:
    for warning in warnings:
        typer.echo(str(warning), err=True)


def write_checked(files: dict, check: bool, fail_on_change: bool) -> None:
    """Plain: write all. ``--check``: write none. ``--fail-on-change``: write the
    stale ones (a pre-commit hook must fail itself: pre-commit sees only tracked files)."""
    if check or fail_on_change:
        from ..verify.freshness import stale_files  # the verify package is slow to import

        stale = stale_files(files)
    else:
        stale = tuple(files)
    if check and stale:
        names = ", ".join(map(str, stale))
        raise StaleBundleError(f"{names} out of date: run `cribo-ci bundle`")
    if not check and stale:
        write_atomically({path: files[path] for path in stale})
    if fail_on_change and stale:
        names = ", ".join(map(str, stale))
        raise StaleBundleError(f"rewrote {names}: review and stage the change")


@app.command()
def bundle(
    entry: EntryOption = None,
    output: OutputOption = None,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the bundle instead.")] = False,
    src: SrcOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    static_bundling: StaticOption = None,
    launcher: LauncherOption = None,
    code_cache: CodeCacheOption = None,
    cache_dir: CacheDirOption = None,
    cache: CacheOption = None,
    sourcemap: SourcemapOption = None,
    no_sourcemap: NoSourcemapOption = False,
    sources_content: SourcesContentOption = None,
    traceback_support: TracebackOption = None,
    original_locations: OriginalLocationsOption = None,
    emit_requirements: Annotated[
        Optional[bool],
        typer.Option("--emit-requirements", help="Write requirements.txt beside the bundle."),
    ] = None,
    bundle_third_party: Annotated[
        Optional[bool],
        typer.Option(
            "--bundle-third-party/--no-bundle-third-party",
            help="Bundle installed pure-Python distributions too (native ones stay imports).",
        ),
    ] = None,
    data_files: Annotated[
        Optional[List[str]],
        typer.Option("--data-files", help="Glob of package data files to embed (repeatable)."),
    ] = None,
    metafile: Annotated[
        Optional[Path],
        typer.Option("--metafile", help="Write the bundle report: JSON here, HTML beside it."),
    ] = None,
    config: ConfigOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say why each module is in.")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 10 if OUTPUT is out of date.")
    ] = False,
    fail_on_change: Annotated[
        bool,
        typer.Option(
            "--fail-on-change", help="Write only changed files, and exit 10 if any changed."
        ),
    ] = False,
) -> None:
    """Write the bundle of ENTRY to OUTPUT (or print it with --stdout)."""
    cwd = Path.cwd()
    try:
        cfg = settings(
            cwd,
            config,
            entry=entry,
            output=output,
            src=src,
            include=include,
            exclude=exclude,
            static_bundling=static_bundling,
            launcher=launcher,
            code_cache=code_cache,
            cache_dir=cache_dir,
            cache=cache,
            **map_flags(
                sourcemap, no_sourcemap, sources_content, traceback_support, original_locations
            ),
            emit_requirements=emit_requirements,
            bundle_third_party=bundle_third_party,
            data_files=data_files,
            metafile=metafile,
        )
        result = bundle_project(cfg)
        print_warnings(result.warnings)
        if verbose:  # on stderr, so --stdout still prints only the bundle
            for name, reason in result.reasons:
                typer.echo(f"{name}: {reason}", err=True)
        if stdout:
            sys.stdout.write(result.text)
            return
        if cfg.output is None:
            raise CriboError(
                "no output given: pass --output, --stdout or set 'output' in the config"
            )
        write_checked(output_files(result, cfg), check, fail_on_change)
    except CriboError as error:
        raise fail(error) from None
    if verbose:
        typer.echo(f"wrote {cfg.output} ({result.module_count} modules)", err=True)
