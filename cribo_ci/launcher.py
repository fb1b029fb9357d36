"""The launcher start-up mode: a small ``app.py`` that runs ``app_bundle.py``.

Python compiles a script at every start but caches the bytecode of what it
imports (``__pycache__``), so a big bundle imported by a small launcher starts
without recompiling, and still without exec. The launcher (runtime/launch.py)
also keeps that bytecode split by module, so a start unmarshals only the
modules the run imports. The bundle module only defines ``run(launcher)``;
the launcher calls it with its own globals, so the entry runs as
``__main__`` with the launcher's ``__file__``, as a script bundle's entry does.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from .compact import compacted_file
from .model import Bundle

LAUNCH = Path(__file__).parent / "runtime" / "launch.py"


def bundle_module_name(output: Path) -> str:
    """``app.py`` -> ``app_bundle``: importable whatever the output is called."""
    stem = re.sub(r"\W", "_", output.stem)
    return ("_" + stem if stem[:1].isdigit() else stem) + "_bundle"


def launcher_text(module: str) -> str:
    return (
        "#!/usr/bin/env python3\n"
        f"# Launcher made by cribo-ci: the program is {module}.py, whose bytecode\n"
        "# Python caches, so that it is not compiled again at every start.\n"
        f"{compacted_file(LAUNCH)}\n"
        f"launch(globals(), {module!r})\n"
    )


def as_launched(bundle: Bundle, output: Path) -> Bundle:
    """The bundle linked as the launcher's module (``link_bundle(..., launched=True)``)
    plus the launcher that runs it."""
    return dataclasses.replace(bundle, launcher=launcher_text(bundle_module_name(output)))


def module_path(output: Path) -> Path:
    """The launcher's module, beside the launcher at ``output``."""
    return output.with_name(bundle_module_name(output) + ".py")


def launched_files(bundle: Bundle, output: Path) -> dict[Path, str]:
    """Where the two files go: the launcher at ``output``, the module beside it."""
    return {output: bundle.launcher, module_path(output): bundle.text}
