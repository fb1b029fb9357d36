"""Which interpreters to check the bundle with, and to make the launcher's code caches with.

``--python`` takes paths or command names; ``python-versions`` in the config
takes versions ("3.12"), found as ``python3.12`` on ``PATH``, looking
under ``$(pyenv root)/versions`` first (pyenv's shims on ``PATH`` fail
for a version not selected).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Mapping, Optional, Sequence

from .errors import ConfigError

VERSION = re.compile(r"^\d+\.\d+(\.\d+)?$")


def find_version(version: str, environ: Mapping[str, str]) -> Optional[str]:
    """pyenv's real interpreter first: its shims on PATH fail for versions not selected."""
    root = Path(environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = sorted(root.glob(f"versions/{version}*/bin/python"))
    if candidates:
        return str(candidates[-1])
    path = os.pathsep.join(
        folder for folder in environ.get("PATH", "").split(os.pathsep) if "shims" not in folder
    )
    return shutil.which(f"python{version}", path=path)


def find_interpreter(spec: str, environ: Mapping[str, str]) -> str:
    found = (
        find_version(spec, environ)
        if VERSION.match(spec)
        else shutil.which(spec, path=environ.get("PATH"))
    )
    if found is None or not os.access(found, os.X_OK):
        raise ConfigError(f"no Python interpreter found for {spec!r}")
    return found


def choose_interpreters(
    given: Sequence[str], versions: Sequence[str], environ: Mapping[str, str]
) -> tuple[str, ...]:
    """``--python`` wins over ``python-versions``; with neither, the running Python."""
    wanted = list(given) or list(versions)
    if not wanted:
        return (sys.executable,)
    return tuple(find_interpreter(spec, environ) for spec in wanted)
