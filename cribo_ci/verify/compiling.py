"""Compile check: the bundle must compile under every target interpreter.

Each interpreter compiles the file itself (a bundle may use syntax only
some versions accept), and reports its version for the check's name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from .report import FAIL, PASS, Check
from .running import run_program

SCRIPT = (
    "import sys\n"
    "for path in sys.argv[1:]: compile(open(path, 'rb').read(), path, 'exec', dont_inherit=True)\n"
    "print('%d.%d.%d' % sys.version_info[:3])"
)


def compile_check(python: str, files: Sequence[Path], timeout: float = 60.0) -> Check:
    """``files``: the bundle, or the launcher and its module."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    paths = [str(path.resolve()) for path in files]
    run = run_program([python, "-I", "-c", SCRIPT, *paths], files[0].parent, "", env, timeout)
    version = run.stdout.strip() or python
    if run.exit_code == 0:
        return Check(f"compile {version}", PASS, f"compiles under {python}", seconds=run.seconds)
    last = run.stderr.strip().splitlines()[-1:] or ["timed out"]
    return Check(
        f"compile {version}", FAIL, f"{python}: {last[0]}", run.stderr.strip(), run.seconds
    )
