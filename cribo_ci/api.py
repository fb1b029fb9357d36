"""The whole pipeline in a screenful: config -> resolve -> analyze -> link -> write.

The CLI, the pre-commit hook and the GitHub Action are thin shells over
these functions.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Optional, TextIO, Union

from .cache import CachedAnalyzer, FactsStore, default_cache_dir
from .config import Config
from .data_files import collect_data_files, encode_data, package_folders
from .errors import ConfigError, EntryError, OutputError, StrictError
from .launcher import as_launched, launched_files, module_path
from .link import link_bundle
from .model import Bundle, ImportKind, Location, MapOptions, ModuleGraph
from .resolve import resolve_graph


def resolve_project(config: Config) -> ModuleGraph:
    with closing(CachedAnalyzer(facts_store(config))) as analyzer:
        return resolve_with(config, analyzer)


def resolve_with(config: Config, analyzer: CachedAnalyzer) -> ModuleGraph:
    if config.entry is None:
        where = config.where_read()
        raise EntryError(f"no entry given: pass --entry or set 'entry' in the config ({where})")
    skip = frozenset({config.output.resolve()}) if config.output else frozenset()
    config = with_cribo_roots(config)
    if config.bundle_third_party:
        # Imported here: reading installed metadata costs start-up time nobody else needs.
        from .thirdparty import with_third_party

        config = with_third_party(config)
    return resolve_graph(config.entry, config.src, config.include, config.exclude, skip, analyzer)


def with_cribo_roots(config: Config) -> Config:
    """PYTHONPATH's folders are source roots after ``src``, and Cribo's
    ``known_third_party`` names stay imports, as ``exclude`` leaves them."""
    kept = tuple(pattern for name in config.known_third_party for pattern in (name, f"{name}.*"))
    return dataclasses.replace(
        config, src=(*config.src, *config.python_path), exclude=(*config.exclude, *kept)
    )


def facts_store(config: Config) -> FactsStore:
    if not config.use_cache:
        return FactsStore(None)
    return FactsStore(config.cache_dir or default_cache_dir(os.environ))


def bundle_project(config: Config) -> Bundle:
    with closing(CachedAnalyzer(facts_store(config))) as analyzer:  # one pool for both
        graph = resolve_with(config, analyzer)
        maps = map_options(config)
        codes = analyzer.module_codes(graph.modules, maps) if config.static_bundling else {}
        compacted = analyzer.compacted_runtime()
    label = config.entry.name + ("/" if config.entry.is_dir() else "")
    data = without_own_outputs(collect_data_files(graph, config.data_globs), config, maps)
    encoded = encode_data(data, package_folders(graph)) if data else ""
    static = config.static_bundling
    if config.launcher and config.output is None:
        raise ConfigError("the launcher mode writes two files: give an output")
    metadata = script_metadata(graph, config)
    preamble = () if config.launcher else metadata  # the launcher mode: in the launcher
    bundle = link_bundle(
        graph, label, static, encoded, maps, codes, config.launcher, compacted, preamble,
        extract_data=config.extract_data,
    )  # fmt: skip
    if config.launcher:
        bundle = with_code_caches(as_launched(bundle, config.output, metadata), config)
    if config.strict and bundle.warnings:
        raise StrictError(bundle.warnings)
    return with_report(bundle, graph, data) if config.metafile else bundle


def with_report(bundle: Bundle, graph: ModuleGraph, data: dict[str, Path]) -> Bundle:
    """What the bundle report needs beyond the bundle (metafile.py)."""
    from .metafile import module_reports  # only a run asked for the report needs it

    sizes = tuple((name, path.stat().st_size) for name, path in sorted(data.items()))
    return dataclasses.replace(
        bundle, report_modules=module_reports(graph, bundle), data_files=sizes
    )


def script_metadata(graph: ModuleGraph, config: Config) -> list[str]:
    """The PEP 723 block declaring the third-party imports the bundle keeps."""
    if not config.script_metadata:
        return []
    kept = tuple(name for name, kind in graph.externals if kind is ImportKind.THIRD_PARTY)
    entry = graph.module(graph.entry)
    if not kept and "# /// script" not in entry.source.text:
        return []  # nothing to declare, and no block of the entry's to keep
    # Imported here: the TOML and metadata readers cost start-up time nobody else needs.
    from .script_metadata import metadata_lines

    return metadata_lines(kept, entry.source.text, entry.root, entry.source.relpath)


def with_code_caches(bundle: Bundle, config: Config) -> Bundle:
    """The launcher mode's code caches, compiled by each target interpreter."""
    if not config.code_cache:
        return bundle
    # Imported here: the launcher mode alone compiles, with a pool of threads.
    from .codecache import code_caches
    from .interpreters import choose_interpreters

    pythons = choose_interpreters((), config.python_versions, os.environ)
    module_file = module_path(config.output).name
    caches, warnings = code_caches(bundle.text, module_file, pythons, facts_store(config))
    return dataclasses.replace(
        bundle, code_caches=tuple(caches.items()), warnings=(*bundle.warnings, *warnings)
    )


def map_options(config: Config) -> MapOptions:
    """The map goes beside the file that holds the code (in launcher mode, the module)."""
    output = config.output or Path(config.entry.name.rstrip("/") or "bundle")
    code_file = output.with_suffix(".py").name
    if config.launcher and config.output is not None:
        code_file = module_path(config.output).name
    return MapOptions(
        sourcemap=config.sourcemap,
        map_name=code_file + ".map",
        sources_content=config.sources_content,
        traceback_support=config.traceback_support,
        original_locations=config.original_locations,
    )


def without_own_outputs(data: dict[str, Path], config: Config, maps: MapOptions) -> dict:
    """An earlier run's map written inside a package is not package data."""
    if config.output is None:
        return data
    own = {config.output.resolve().with_name(maps.map_name)}
    return {name: path for name, path in data.items() if path.resolve() not in own}


def write_atomically(files: dict[Path, Union[str, bytes]]) -> None:
    """Write every file to a temporary sibling first, then rename them all into place.

    A failure before the renames leaves every existing file as it was.
    """
    staged: list[tuple[str, Path]] = []
    path = Path()
    try:
        for path, text in files.items():
            # Through a symlink, not over it: os.replace would swap the link for a file.
            target = Path(os.path.realpath(path))
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((temporary, target))
            os.chmod(temporary, file_mode(target))  # mkstemp's 0600 would surprise
            if isinstance(text, bytes):  # the launcher's code caches
                with os.fdopen(handle, "wb") as binary:
                    binary.write(text)
                continue
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                write_in_slices(stream, text)
        for temporary, path in staged:
            os.replace(temporary, path)
    except OSError as error:
        raise output_error(error, path) from error
    finally:
        for temporary, _ in staged:
            if os.path.exists(temporary):
                os.unlink(temporary)


# A bundle and its map are megabytes each. Written whole, each is first
# encoded into a copy as large, in fresh memory (on the large benchmark,
# 4000 page faults and a write phase of 30-100 ms); a slice at a time, the
# same small buffers serve throughout (300 faults, 27-32 ms).
WRITE_SLICE = 1 << 18  # characters


def write_in_slices(stream: TextIO, text: str) -> None:
    for start in range(0, len(text), WRITE_SLICE):
        stream.write(text[start : start + WRITE_SLICE])


def output_error(error: OSError, path: Path) -> OutputError:
    if isinstance(error, FileExistsError):  # mkdir met a file where a folder must be
        reason = f"{error.filename} is a file, not a folder"
    else:
        reason = error.strerror or str(error)
    return OutputError(f"cannot write: {reason}", Location(str(path)))


def file_mode(path: Path) -> int:
    """The mode an existing output has, else what a plain ``open(path, "w")`` would give."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def output_files(bundle: Bundle, config: Config) -> dict[Path, Union[str, bytes]]:
    """Every file a bundle ships: the bundle (or launcher, module and code
    caches), its map and ``requirements.txt`` when asked for. What ``--check``
    and verify's up-to-date step compare with the files on disk."""
    requirements = None
    if config.emit_requirements:  # importlib.metadata is slow to import: only when asked
        from .requirements import requirements_lines

        requirements = requirements_lines(bundle.requirements)
    return bundle_files(bundle, config.output, requirements)


def metafile_beside(output: Path) -> Path:
    """The bundle report the Action writes when the config names none."""
    return output.with_name(output.stem + ".meta.json")


def report_files(bundle: Bundle, config: Config, shipped: dict) -> dict[Path, str]:
    """The bundle report when asked for (JSON and its HTML page). Never compared
    for freshness: it names the interpreter that made it, which a check by
    another Python would count as a change."""
    if config.metafile is None:
        return {}
    from .metafile import html_path, metafile_data, render_metafile  # only when asked for
    from .metafile_html import render_html

    report = metafile_data(bundle, shipped, config.output)
    return {
        config.metafile: render_metafile(report),
        html_path(config.metafile): render_html(report),
    }


def bundle_files(
    bundle: Bundle, output: Path, requirements: Optional[list[str]]
) -> dict[Path, Union[str, bytes]]:
    files = launched_files(bundle, output) if bundle.launcher else {output: bundle.text}
    if bundle.sourcemap is not None:  # beside the file that holds the code
        code_file = next(path for path, text in files.items() if text == bundle.text)
        files[code_file.with_name(code_file.name + ".map")] = bundle.sourcemap
    if requirements is not None:
        files[output.parent / "requirements.txt"] = "".join(line + "\n" for line in requirements)
    return files
