"""The launcher start-up mode: a 3-line ``app.py`` that imports ``app_bundle.py``.

Python compiles a script at every start but caches the bytecode of what it
imports (``__pycache__``), so a big bundle imported by a tiny launcher starts
without recompiling, and still without exec. The bundle module then only
defines ``run(launcher)``; the launcher calls it with its own globals, so
the entry runs as ``__main__`` with the launcher's ``__file__``, as a
script bundle's entry does.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .model import Bundle


def bundle_module_name(output: Path) -> str:
    """``app.py`` -> ``app_bundle``: importable whatever the output is called."""
    stem = re.sub(r"\W", "_", output.stem)
    return ("_" + stem if stem[:1].isdigit() else stem) + "_bundle"


def launcher_text(module: str) -> str:
    return (
        "#!/usr/bin/env python3\n"
        f"# Launcher made by cribo-ci: the program is {module}.py, imported so that\n"
        "# Python caches its bytecode instead of compiling it at every start.\n"
        f"__import__({module!r}).run(globals())\n"
    )


def as_launched(bundle: Bundle, output: Path) -> Bundle:
    """The bundle linked as the launcher's module (``link_bundle(..., launched=True)``)
    plus the launcher that runs it."""
    return dataclasses.replace(bundle, launcher=launcher_text(bundle_module_name(output)))


def launched_files(bundle: Bundle, output: Path) -> dict[Path, str]:
    """Where the two files go: the launcher at ``output``, the module beside it."""
    return {
        output: bundle.launcher,
        output.with_name(bundle_module_name(output) + ".py"): bundle.text,
    }
