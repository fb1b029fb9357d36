"""One ``Config``, filled in order: defaults, ``[tool.cribo]`` in
``pyproject.toml``, ``[bundler]`` in ``cribo.toml``, ``CRIBO_*`` environment
variables, then command-line flags. Later sources win, key by key.

Every key is listed once in ``KEYS`` with its field and its kind; unknown
keys and values of the wrong type are errors that name the key and the file.
Relative paths are taken relative to the file that gives them (the current
directory for the environment and flags).
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .errors import ConfigError
from .model import Location

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the 3.9/3.10 tox environments
    import tomli as tomllib


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
    cache_dir: Optional[Path] = None
    use_cache: bool = True
    launcher: bool = False  # write a launcher + an importable bundle (launcher.py)
    code_cache: bool = True  # launcher mode: ship code caches made at bundle time (codecache.py)
    script_metadata: bool = True  # PEP 723 block for kept third-party imports (script_metadata.py)
    metafile: Optional[Path] = (
        None  # the bundle report's JSON, and its HTML beside it (metafile.py)
    )
    python_versions: tuple[str, ...] = ()
    verify_cases: tuple[VerifyCase, ...] = ()
    origin: tuple[str, ...] = field(default=(), compare=False)  # files read, for messages


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


def _as_cases(value: Any, key: str, where: str) -> tuple[VerifyCase, ...]:
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ConfigError(f"'{key}' must be an array of tables", Location(where))
    return tuple(_as_case(item, where) for item in value)


CASE_KEYS = {"args", "stdin", "env", "cwd", "expect-exit", "timeout"}


def _as_case(table: Mapping[str, Any], where: str) -> VerifyCase:
    unknown = sorted(set(table) - CASE_KEYS)
    if unknown:
        raise ConfigError(f"unknown key 'verify.cases.{unknown[0]}'", Location(where))
    env = table.get("env", {})
    if not isinstance(env, Mapping):
        raise ConfigError("'verify.cases.env' must be a table", Location(where))
    expect = table.get("expect-exit")
    if expect is not None and (not isinstance(expect, int) or isinstance(expect, bool)):
        raise ConfigError("'verify.cases.expect-exit' must be an integer", Location(where))
    timeout = table.get("timeout", 60)
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ConfigError("'verify.cases.timeout' must be a positive number", Location(where))
    return VerifyCase(
        args=_as_str_list(table.get("args", []), "verify.cases.args", where),
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
    "cache-dir": ("cache_dir", PATH),
    "cache": ("use_cache", _as_bool),
    "launcher": ("launcher", _as_bool),
    "code-cache": ("code_cache", _as_bool),
    "script-metadata": ("script_metadata", _as_bool),
    "metafile": ("metafile", PATH),
    "python-versions": ("python_versions", _as_str_list),
}


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
    for key, value in table.items():
        if key == "verify" and isinstance(value, Mapping):
            for sub, subvalue in value.items():
                if sub != "cases":
                    raise ConfigError(f"unknown key 'verify.{sub}'", Location(where))
                changes["verify_cases"] = _as_cases(subvalue, "verify.cases", where)
            continue
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"unknown key '{key}' (known keys: {known})", Location(where))
        field_name, parsed = _parse_value(key, value, base, where)
        changes[field_name] = parsed
    return dataclasses.replace(config, origin=(*config.origin, where), **changes)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        # tomllib and tomli put the place in the message: "... (at line 2, column 16)"
        place = re.search(r"line (\d+), column (\d+)", str(error))
        line, column = (int(place[1]), int(place[2]) - 1) if place else (0, 0)
        raise ConfigError(str(error).split(" (at")[0], Location(str(path), line, column)) from error
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", Location(str(path))) from error


def from_files(config: Config, directory: Path, config_file: Optional[Path] = None) -> Config:
    """Apply ``pyproject.toml`` then ``cribo.toml`` from ``directory``, or one given file."""
    candidates = (
        [config_file] if config_file else [directory / "pyproject.toml", directory / "cribo.toml"]
    )
    for path in candidates:
        if not path.is_file():
            if config_file:
                raise ConfigError("config file not found", Location(str(path)))
            continue
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            table = data.get("tool", {}).get("cribo")
        else:
            table = data.get("bundler", data.get("tool", {}).get("cribo"))
        if table is not None:
            if not isinstance(table, Mapping):
                raise ConfigError("the cribo table must be a table", Location(str(path)))
            config = apply_table(config, table, path.parent, str(path))
    return config


def from_environment(config: Config, environ: Mapping[str, str], cwd: Path) -> Config:
    table = {}
    for key in KEYS:
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
    given = {key: value for key, value in flags.items() if value is not None and value != ()}
    return apply_table(config, given, cwd, "command line") if given else config
