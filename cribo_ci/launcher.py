"""The launcher start-up mode: a small ``app.py`` that runs ``app_bundle.py``.

Python compiles a script at every start but caches the bytecode of what it
imports, so a big bundle imported by a small launcher starts without
recompiling, and still without exec. The launcher (runtime/launch.py) starts
from that bytecode split by module, so a start unmarshals only the modules
the run imports: from the caches made at bundle time beside the module
(codecache.py), found by the module's content hash written in the launcher,
or else from one it makes at its first start. The bundle module only defines ``run(launcher)``;
the launcher calls it with its own globals, so the entry runs as
``__main__`` with the launcher's ``__file__``, as a script bundle's entry does.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Sequence, Union

from .codecache import content_digest
from .compact import compacted_file
from .model import Bundle

LAUNCH = Path(__file__).parent / "runtime" / "launch.py"


def bundle_module_name(output: Path) -> str:
    """``app.py`` -> ``app_bundle``: importable whatever the output is called."""
    stem = re.sub(r"\W", "_", output.stem)
    return ("_" + stem if stem[:1].isdigit() else stem) + "_bundle"


def launcher_text(module: str, digest: str, metadata: Sequence[str] = ()) -> str:
    """``metadata``: the PEP 723 block (script_metadata.py), which goes here, in the
    file people run, after the header that marks the file as ours."""
    return "".join(
        [
            "#!/usr/bin/env python3\n",
            f"# Launcher made by cribo-ci: the program is {module}.py, whose bytecode\n",
            "# Python caches, so that it is not compiled again at every start.\n",
            *(line + "\n" for line in metadata),
            f"{compacted_file(LAUNCH)}\n",
            f"launch(globals(), {module!r}, {digest!r})\n",
        ]
    )


def as_launched(bundle: Bundle, output: Path, metadata: Sequence[str] = ()) -> Bundle:
    """The bundle linked as the launcher's module (``link_bundle(..., launched=True)``)
    plus the launcher that runs it."""
    name = bundle_module_name(output)
    text = launcher_text(name, content_digest(bundle.text), metadata)
    return dataclasses.replace(bundle, launcher=text)


def module_path(output: Path) -> Path:
    """The launcher's module, beside the launcher at ``output``."""
    return output.with_name(bundle_module_name(output) + ".py")


def code_cache_files(output: Path) -> tuple[Path, ...]:
    """The code caches on disk beside the launcher's module (one per cache tag)."""
    module = module_path(output)
    return tuple(sorted(module.parent.glob(f"{module.stem}.*.cribo")))


def launched_files(bundle: Bundle, output: Path) -> dict[Path, Union[str, bytes]]:
    """Where the files go: the launcher at ``output``, the module beside it, and
    the code caches beside the module."""
    files: dict[Path, Union[str, bytes]] = {
        output: bundle.launcher,
        module_path(output): bundle.text,
    }
    files.update((output.with_name(name), data) for name, data in bundle.code_caches)
    return files
