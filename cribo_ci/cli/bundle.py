"""``cribo-ci bundle`` and the options other commands share.

No ``from __future__ import annotations`` here: typer reads the ``Annotated``
hints at run time, and on Python 3.9 string hints lose the options.
"""

import os
import sys
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..api import bundle_project, output_files, report_files, write_atomically
from ..config import Config, load_config
from ..errors import CriboError, StaleBundleError
from ..model import counted
from ..shown import shown
from . import app

ConfigOption = Annotated[
    Optional[Path],
    typer.Option(
        "--config", "-c", help="Read this TOML file instead of pyproject.toml/cribo.toml."
    ),
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


# Cribo's own flags, so a Cribo command line runs unchanged (config.CRIBO_KEYS).
TargetVersionOption = Annotated[
    Optional[str],
    typer.Option(
        "--target-version",
        "--python-version",
        help="Cribo's: py39 ... py313, the Python verify compiles with (python-versions).",
    ),
]
NoTreeShakeOption = Annotated[
    bool,
    typer.Option("--no-tree-shake", help="Cribo's: accepted; cribo-ci never shakes code out."),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print nothing on success (for hooks).")
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


def cribo_flags(target_version: Optional[str], no_tree_shake: bool) -> dict:
    """Cribo's flags as its keys (``tree_shake`` only when given, for its note)."""
    return {"target_version": target_version, "tree_shake": False if no_tree_shake else None}


def missing_output(cfg: Config, how: str) -> CriboError:
    return CriboError(f"no output configured: {how} ({cfg.where_read()})")


def success_line(result, cfg: Config, files: dict, written: tuple) -> str:
    """``wrote dist/app.py (5 modules, 10.4 kB) and dist/app.py.map``, or ``... is up to date``."""
    code = [path for path, text in files.items() if text == result.text or path == cfg.output]
    size = sum(len(files[path].encode("utf-8")) for path in code)
    facts = f"({counted(result.module_count, 'module')}, {size / 1000:.1f} kB)"
    if not written:
        return f"{shown(cfg.output)} is up to date {facts}"
    others = [shown(path) for path in written if path != cfg.output]
    first = [shown(path) for path in written if path == cfg.output] or [others.pop(0)]
    return f"wrote {first[0]} {facts}" + (f" and {', '.join(others)}" if others else "")


def write_checked(files: dict, check: bool, fail_on_change: bool) -> tuple:
    """Plain: write all. ``--check``: write none. ``--fail-on-change``: write the
    stale ones (a pre-commit hook must fail itself: pre-commit sees only tracked files)."""
    if check or fail_on_change:
        from ..verify.freshness import stale_files, stale_summary  # slow to import

        stale = stale_files(files)
    else:
        stale = tuple(files)
    if check and stale:
        names = ", ".join(map(shown, stale))
        summary = stale_summary(files, stale).rstrip("\n")
        raise StaleBundleError(f"{names} out of date: run `cribo-ci bundle`", detail=summary)
    if not check and stale:
        write_atomically({path: files[path] for path in stale})
    if fail_on_change and stale:
        names = ", ".join(map(str, stale))
        raise StaleBundleError(f"rewrote {names}: review and stage the change")
    return () if check else tuple(stale)


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
    extract_data: Annotated[
        Optional[bool],
        typer.Option(
            "--extract-data/--no-extract-data",
            help="Extract package data to the user's cache; packaged modules' __file__ is there.",
        ),
    ] = None,
    metafile: Annotated[
        Optional[Path],
        typer.Option("--metafile", help="Write the bundle report: JSON here, HTML beside it."),
    ] = None,
    config: ConfigOption = None,
    target_version: TargetVersionOption = None,
    no_tree_shake: NoTreeShakeOption = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say why each module is in.")
    ] = False,
    quiet: QuietOption = False,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 10 if OUTPUT is out of date.")
    ] = False,
    strict: Annotated[
        Optional[bool],
        typer.Option("--strict/--no-strict", help="Every warning is an error (exit 8)."),
    ] = None,
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
            **cribo_flags(target_version, no_tree_shake),
            strict=strict,
            extract_data=extract_data,
            metafile=metafile,
        )
        result = bundle_project(cfg)
        print_warnings(result.warnings)
        if verbose:  # on stderr, so --stdout still prints only the bundle
            for line in (*cfg.notes, *(f"{name}: {why}" for name, why in result.reasons)):
                typer.echo(line, err=True)
        if stdout:
            sys.stdout.write(result.text)
            return
        if cfg.output is None:
            raise missing_output(cfg, "pass --output or --stdout, or set 'output' in the config")
        files = output_files(result, cfg)
        if not check:  # a report is never compared, and written whatever the bundle's state
            write_atomically(report_files(result, cfg, files))
        written = write_checked(files, check, fail_on_change)
    except CriboError as error:
        raise fail(error) from None
    if not quiet:  # on stderr too: one line, what a run did
        typer.echo(success_line(result, cfg, files, written), err=True)
