"""Settings that warnings suggest, written so a user can paste them as they are."""

from __future__ import annotations

import json
import shlex
from typing import Optional

# What to do where no setting can be suggested: verify runs the program
# unbundled, sees which first-party modules it imported, and names those the
# bundle lacks (or writes them into the config).
VERIFY_DISCOVERY = (
    "`cribo-ci verify` names the first-party modules the unbundled run imports that the "
    "bundle lacks, and `cribo-ci verify --add-includes` adds them to `include`"
)


def toml_string(text: str) -> str:
    """A TOML string holding ``text``: literal (``'...'``, no escapes) where it can be."""
    if "'" not in text and text.isprintable():
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)  # JSON's escapes are TOML's too


def include_hint(pattern: str) -> str:
    """The ``include`` setting for ``pattern``, in the config and on the command line."""
    return (
        f"`include = [{toml_string(pattern)}]` under [tool.cribo], "
        f"or `--include {shlex.quote(pattern)}`"
    )


def computed_name_warning(function: str, package: Optional[str]) -> str:
    """Which modules a computed name loads cannot be known statically; where the
    importer lies in a package, that package is a fair guess to suggest."""
    message = f"{function}() of a computed name: the modules it loads cannot be known statically"
    if not package:
        return f"{message}; {VERIFY_DISCOVERY}"
    guess = include_hint(package + ".*")
    return f"{message}; if they lie in {package!r}, add {guess}; else {VERIFY_DISCOVERY}"
