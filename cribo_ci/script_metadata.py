"""PEP 723 inline script metadata: the third-party imports a bundle keeps, declared in it.

A bundle keeps third-party imports as imports. Declared in a ``# /// script``
block with the distributions and versions installed where it was bundled
(requirements.py) and the project's ``requires-python``, ``uv run app.py``
or ``pipx run app.py`` installs them on a machine that has nothing. The
entry's own block (hidden in the bundle, where the entry's lines are
indented) is merged in: what it declares wins, a distribution it names is
not added twice, and its other keys are kept.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any, Optional

from .errors import ConfigError
from .model import Location

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised by the 3.9/3.10 tox environments
    import tomli as tomllib

# The PEP's reference regular expression for a metadata block.
BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def entry_block(text: str, path: str) -> dict[str, Any]:
    """The entry's ``script`` block as a table, ``{}`` when it has none (the PEP's rules)."""
    found = [match for match in BLOCK.finditer(text) if match["type"] == "script"]
    if not found:
        return {}
    line = text.count("\n", 0, found[-1].start()) + 1
    if len(found) > 1:
        raise ConfigError(
            "multiple `# /// script` blocks (PEP 723 allows one)", Location(path, line)
        )
    content = "".join(
        row[2:] if row.startswith("# ") else row[1:]
        for row in found[0]["content"].splitlines(keepends=True)
    )
    try:
        return tomllib.loads(content)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"the `# /// script` block: {error}", Location(path, line)) from error


def merged(existing: dict[str, Any], pins: list[str], requires_python: Optional[str]) -> dict:
    """The entry's table, with the installed pins of distributions it does not name."""
    table = {"requires-python": requires_python} if requires_python else {}
    table.update(existing)  # the entry's keys, in its order, win
    declared = list(table.get("dependencies", []))
    named = {distribution_name(item) for item in declared}
    table["dependencies"] = declared + [pin for pin in pins if distribution_name(pin) not in named]
    return table


def distribution_name(requirement: str) -> str:
    """PEP 503's normalised name of a requirement's distribution."""
    match = NAME.match(requirement)
    return re.sub(r"[-_.]+", "-", match[1]).lower() if match else requirement


def block_lines(table: dict[str, Any], unprovided: list[str] = ()) -> list[str]:
    """The ``# /// script`` block, one comment line per TOML line; ``unprovided``:
    import names no installed distribution provides, said in a TOML comment."""
    body = [*toml_lines(table, unprovided)]
    return ["# /// script", *(f"# {line}" if line else "#" for line in body), "# ///"]


def toml_lines(table: dict[str, Any], unprovided: list[str] = (), prefix: str = "") -> list[str]:
    lines, tables = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            tables.append((key, value))
        elif key == "dependencies" and not prefix:
            lines += ["dependencies = ["]
            lines += [f"  {toml_value(item)}," for item in value]
            lines += [
                f"  # {name}: imported, but not installed where it was bundled"
                for name in unprovided
            ]
            lines += ["]"]
        else:
            lines.append(f"{toml_key(key)} = {toml_value(value)}")
    for key, value in tables:
        name = prefix + toml_key(key)
        lines += ["", f"[{name}]", *toml_lines(value, (), name + ".")]
    return lines


def toml_key(key: str) -> str:
    return key if BARE_KEY.match(key) else json.dumps(key)


def toml_value(value: Any) -> str:
    """A TOML value: JSON's strings, numbers and arrays are TOML's too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, (int, float, str)):
        return json.dumps(value)
    return json.dumps(str(value))  # dates and times: as the text TOML read


def project_requires_python(start: Path) -> Optional[str]:
    """``requires-python`` of the project's ``pyproject.toml``: the first one found
    going up from ``start``, stopping at a repository's root."""
    for folder in (start, *start.parents):
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return None
            value = data.get("project", {}).get("requires-python")
            return value if isinstance(value, str) else None
        if (folder / ".git").exists():
            return None
    return None


def metadata_lines(
    third_party: tuple[str, ...], entry_text: str, root: Path, relpath: str
) -> list[str]:
    """The block for a bundle that keeps ``third_party`` imports, or ``[]`` when it
    keeps none and its entry (``relpath`` under ``root``) declares nothing."""
    existing = entry_block(entry_text, relpath)
    if not third_party and not existing:
        return []
    from .requirements import requirements_lines  # importlib.metadata: only when needed

    lines = requirements_lines(third_party) if third_party else []
    pins = [line for line in lines if not line.startswith("#")]
    unprovided = [line[2:].split(":")[0] for line in lines if line.startswith("#")]
    folder = (root / relpath).resolve().parent
    table = merged(existing, pins, project_requires_python(folder))
    return block_lines(table, unprovided)
