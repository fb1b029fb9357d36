"""One ``Config``, filled in order: defaults, ``[tool.cribo]`` in
``pyproject.toml``, ``[bundler]`` in ``cribo.toml`` (or, with no such table,
its top-level keys: Cribo's own format), ``CRIBO_*`` environment variables,
then command-line flags. Later sources win, key by key. The files are those
of the nearest folder that has them, looking up from the current one to the
repository root (``config_files.py``).

Every key is listed once in ``KEYS`` with its field and its kind; unknown
keys and values of the wrong type are errors that name the key and the file.
Relative paths are taken relative to the file that gives them (the current
directory for the environment and flags).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .config_files import Search, cribo_table, find_config_folder, python_path_roots, read_toml
from .errors import ConfigError
from .model import Location


@dataclass(frozen=True)
class VerifyCase:
    args: tuple[str, ...] = ()
    stdin: str = ""
    env: tuple[tuple[str, str], ...] = ()
    cwd: Optional[str] = None
    expect_exit: Optional[int] = None
    timeout: float = 60.0


@dataclass(frozen=True)
class Config:
    entry: Optional[Path] = None
    output: Optional[Path] = None
    src: tuple[Path, ...] = ()
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    static_bundling: bool = True
    emit_requirements: bool = False
    bundle_third_party: bool = False
    sourcemap: str = "file"  # "file", "inline" or "none"
    sources_content: bool = True
    traceback_support: bool = True
    original_locations: bool = False
    data_globs: tuple[str, ...] = ()
    extract_data: bool = False  # packaged modules' __file__ beside their extracted data
    cache_dir: Optional[Path] = None
    use_cache: bool = True
    launcher: bool = False  # write a launcher + an importable bundle (launcher.py)
    strict: bool = False  # every bundle-time warning is an error
    code_cache: bool = True  # launcher mode: ship code caches made at bundle time (codecache.py)
    script_metadata: bool = True  # PEP 723 block for kept third-party imports (script_metadata.py)
    metafile: Optional[Path] = (
        None  # the bundle report's JSON, and its HTML beside it (metafile.py)
    )
    python_versions: tuple[str, ...] = ()
    verify_cases: tuple[VerifyCase, ...] = ()
    origin: tuple[str, ...] = field(default=(), compare=False)  # files read, for messages
    known_third_party: tuple[str, ...] = ()  # Cribo's key: left as imports, as `exclude` does
    # PYTHONPATH's folders: source roots after `src`, as Cribo counts them (first-party)
    python_path: tuple[Path, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)  # said at --verbose
    given_by: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (key, where)
    search: Optional[Search] = field(default=None, compare=False)  # where files were looked for

    def given(self, *keys: str) -> Optional[tuple[str, str]]:
        """Which of these keys was given last, and where (a file, "environment", "command line")."""
        return next((pair for pair in reversed(self.given_by) if pair[0] in keys), None)

    def where_read(self) -> str:
        """Which config files were read, or where none was found: for a missing setting."""
        files = [where for where in self.origin if where not in ("environment", "command line")]
        if files:
            return "read " + ", ".join(files)
        return self.search.describe() if self.search else "no config file was read"


def _as_bool(value: Any, key: str, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {
        "1",
        "true",
        "yes",
        "on",
        "0",
        "false",
        "no",
        "off",
    }:
        return value.lower() in {"1", "true", "yes", "on"}
    raise ConfigError(f"'{key}' must be true or false, not {value!r}", Location(where))


def _as_str(value: Any, key: str, where: str) -> str:
    if isinstance(value, str):
        return value
    raise ConfigError(f"'{key}' must be a string, not {value!r}", Location(where))


def _as_str_list(value: Any, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [part for part in value.replace(os.pathsep, ",").split(",") if part]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ConfigError(f"'{key}' must be a list of strings, not {value!r}", Location(where))


def _as_sourcemap(value: Any, key: str, where: str) -> str:
    if isinstance(value, bool):
        return "file" if value else "none"
    if value in {"file", "inline", "none"}:
        return value
    raise ConfigError(f'\'{key}\' must be true, false, "file" or "inline"', Location(where))


def _as_target_version(value: Any, key: str, where: str) -> tuple[str, ...]:
    """Cribo's (and ruff's) spelling of a Python version, ``"py312"``, as ``("3.12",)``."""
    found = re.fullmatch(r"py3(\d{1,2})", value) if isinstance(value, str) else None
    if found is None:
        message = f"'{key}' must be a version like \"py312\" (py38 to py313), not {value!r}"
        raise ConfigError(message, Location(where))
    return (f"3.{found[1]}",)


def _unknown_key(key: str, known, where: str) -> ConfigError:
    """Names the key, the nearest known one, and all of them."""
    near = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{near[0]}'? " if near else ""
    listed = ", ".join(sorted(known))
    return ConfigError(f"unknown key '{key}' ({hint}known keys: {listed})", Location(where))


def _as_cases(value: Any, key: str, where: str) -> tuple[VerifyCase, ...]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ConfigError(f"'{key}' must be an array of tables", Location(where))
    return tuple(_as_case(item, where) for item in value)


CASE_KEYS = {"args", "stdin", "env", "cwd", "expect-exit", "timeout"}


def _as_case(table: Mapping[str, Any], where: str) -> VerifyCase:
    unknown = sorted(set(table) - CASE_KEYS)
    if unknown:
        known = [f"verify.cases.{key}" for key in CASE_KEYS]
        raise _unknown_key(f"verify.cases.{unknown[0]}", known, where)
    env = table.get("env", {})
    if not isinstance(env, Mapping):
        raise ConfigError("'verify.cases.env' must be a table", Location(where))
    expect = table.get("expect-exit")
    if expect is not None and (not isinstance(expect, int) or isinstance(expect, bool)):
        raise ConfigError("'verify.cases.expect-exit' must be an integer", Location(where))
    timeout = table.get("timeout", 60)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError("'verify.cases.timeout' must be a positive number", Location(where))
    args = table.get("args", [])
    if isinstance(args, str):  # a string would be split on "," and ":", never what was meant
        example = ", ".join(f'"{part}"' for part in args.split())
        message = f"'verify.cases.args' must be a list of strings, not {args!r}: write [{example}]"
        raise ConfigError(message, Location(where))
    return VerifyCase(
        args=_as_str_list(args, "verify.cases.args", where),
        stdin=_as_str(table.get("stdin", ""), "verify.cases.stdin", where),
        env=tuple(
            sorted((str(k), _as_str(v, f"verify.cases.env.{k}", where)) for k, v in env.items())
        ),
        cwd=_as_str(table["cwd"], "verify.cases.cwd", where) if "cwd" in table else None,
        expect_exit=expect,
        timeout=float(timeout),
    )


PATH = "path"
PATHS = "paths"
# key as written in files (and, upper-cased with "_", in CRIBO_* variables) ->
# (Config field, parser or path kind)
KEYS: dict[str, tuple[str, Any]] = {
    "entry": ("entry", PATH),
    "output": ("output", PATH),
    "src": ("src", PATHS),
    "include": ("include", _as_str_list),
    "exclude": ("exclude", _as_str_list),
    "static-bundling": ("static_bundling", _as_bool),
    "emit-requirements": ("emit_requirements", _as_bool),
    "bundle-third-party": ("bundle_third_party", _as_bool),
    "sourcemap": ("sourcemap", _as_sourcemap),
    "sources-content": ("sources_content", _as_bool),
    "traceback-support": ("traceback_support", _as_bool),
    "original-locations": ("original_locations", _as_bool),
    "data-files": ("data_globs", _as_str_list),
    "extract-data": ("extract_data", _as_bool),
    "cache-dir": ("cache_dir", PATH),
    "cache": ("use_cache", _as_bool),
    "launcher": ("launcher", _as_bool),
    "code-cache": ("code_cache", _as_bool),
    "script-metadata": ("script_metadata", _as_bool),
    "metafile": ("metafile", PATH),
    "python-versions": ("python_versions", _as_str_list),
    "strict": ("strict", _as_bool),
}


# Cribo's keys, spelled as Cribo spells them (its cribo.toml, CRIBO_* variables and
# flags): key -> (Config field or None, parser, why it changes nothing here, if it does not).
# `src` means the same in both and is in KEYS.
ALWAYS = "cribo-ci always "
CRIBO_KEYS: dict[str, tuple[Optional[str], Any, str]] = {
    "known_first_party": (None, _as_str_list, ALWAYS + "counts a module found in a source root "
                          "(the entry's folder, src, PYTHONPATH) as first-party"),
    "known_third_party": ("known_third_party", _as_str_list, ""),
    "target-version": ("python_versions", _as_target_version, ""),
    "preserve_comments": (None, _as_bool, ALWAYS + "keeps comments: each module's code stays "
                          "line for line"),
    "preserve_type_hints": (None, _as_bool, ALWAYS + "keeps type hints: each module's code "
                            "stays line for line"),
    "tree_shake": (None, _as_bool, ALWAYS + "bundles whole modules (what --no-tree-shake "
                   "asks of Cribo)"),
}  # fmt: skip
CRIBO_SPELLINGS = {key.replace("-", "_"): key for key in CRIBO_KEYS}


def cribo_key(key: str) -> Optional[str]:
    """Cribo's name for a key (``tree-shake`` from a flag is ``tree_shake``), if it is one."""
    return CRIBO_SPELLINGS.get(key.replace("-", "_"))


def _parse_value(key: str, value: Any, base: Path, where: str) -> tuple[str, Any]:
    name, kind = KEYS[key]
    if kind == PATH:
        return name, base / _as_str(value, key, where)
    if kind == PATHS:
        return name, tuple(base / item for item in _as_str_list(value, key, where))
    parse: Callable[[Any, str, str], Any] = kind
    return name, parse(value, key, where)


def apply_table(config: Config, table: Mapping[str, Any], base: Path, where: str) -> Config:
    changes: dict[str, Any] = {}
    notes: list[str] = []
    for key, value in table.items():
        if key == "verify" and isinstance(value, Mapping):
            for sub, subvalue in value.items():
                if sub != "cases":
                    raise _unknown_key(f"verify.{sub}", ["verify.cases"], where)
                changes["verify_cases"] = _as_cases(subvalue, "verify.cases", where)
            continue
        if key not in KEYS and cribo_key(key):
            notes.extend(_apply_cribo_key(cribo_key(key), value, where, changes))
            continue
        if key not in KEYS:
            raise _unknown_key(key, [*KEYS, "verify", *CRIBO_KEYS], where)
        field_name, parsed = _parse_value(key, value, base, where)
        changes[field_name] = parsed
    given = tuple((key, where) for key in table)
    return dataclasses.replace(
        config,
        origin=(*config.origin, where),
        notes=(*config.notes, *notes),
        given_by=(*config.given_by, *given),
        **changes,
    )


def _apply_cribo_key(key: str, value: Any, where: str, changes: dict[str, Any]) -> list[str]:
    """Parse one of Cribo's keys into ``changes``; the note it earns, if any."""
    field_name, parse, why = CRIBO_KEYS[key]
    parsed = parse(value, key, where)
    if field_name:
        changes[field_name] = parsed
    return [f"{where}: note: Cribo's '{key}' changes nothing: {why}"] if why else []


def from_files(config: Config, cwd: Path, config_file: Optional[Path] = None) -> Config:
    """Apply the one given file, or ``pyproject.toml`` then ``cribo.toml`` from the
    nearest folder that has our config (``config_files.py``)."""
    if config_file:
        if not config_file.is_file():
            raise ConfigError("config file not found", Location(str(config_file)))
        data = read_toml(config_file)
        if cribo_table(config_file, data) is None:  # a file asked for is never read for nothing
            raise ConfigError("no [tool.cribo] table in this file", Location(str(config_file)))
        return _apply_file(config, config_file, data)
    parsed: dict[Path, dict[str, Any]] = {}  # each file read once

    def has_cribo_table(pyproject: Path) -> bool:
        parsed[pyproject] = read_toml(pyproject)
        tool = parsed[pyproject].get("tool")
        return isinstance(tool, Mapping) and "cribo" in tool

    search = find_config_folder(cwd, has_cribo_table)
    config = dataclasses.replace(config, search=search)
    for name in ("pyproject.toml", "cribo.toml") if search.found else ():
        path = search.found / name
        if path.is_file():
            config = _apply_file(config, path, parsed.get(path) or read_toml(path))
    return config


def _apply_file(config: Config, path: Path, data: dict[str, Any]) -> Config:
    table = cribo_table(path, data)
    if table is None:
        return config
    if not isinstance(table, Mapping):
        raise ConfigError("the cribo table must be a table", Location(str(path)))
    return apply_table(config, table, path.parent, str(path))


def from_environment(config: Config, environ: Mapping[str, str], cwd: Path) -> Config:
    table = {}
    for key in (*KEYS, *CRIBO_KEYS):  # CRIBO_TARGET_VERSION, CRIBO_TREE_SHAKE, ... too
        variable = "CRIBO_" + key.upper().replace("-", "_")
        if variable in environ:
            table[key] = environ[variable]
    return apply_table(config, table, cwd, "environment") if table else config


def load_config(
    cwd: Path,
    environ: Mapping[str, str],
    flags: Mapping[str, Any],
    config_file: Optional[Path] = None,
) -> Config:
    """Build the one Config: defaults < files < environment < flags."""
    config = from_files(Config(), cwd, config_file)
    config = from_environment(config, environ, cwd)
    config = dataclasses.replace(config, python_path=python_path_roots(environ, cwd))
    given = {key: value for key, value in flags.items() if value is not None and value != ()}
    return apply_table(config, given, cwd, "command line") if given else config
