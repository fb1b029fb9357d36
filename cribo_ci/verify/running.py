"""Running a program and its bundle the same way: environment, time limit, paths.

Both runs of an equivalence case go through ``run_program``; only the command
line, ``PYTHONPATH`` and the folder replaced by ``<root>`` differ.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Mapping, Optional, Sequence

from .report import Run

# Variables that would make the two runs differ for reasons other than the
# bundle: our own settings, and the interpreter's (a stray PYTHONPATH could
# let the bundle import the original sources).
DROPPED_PREFIXES = ("PYTHON", "CRIBO_")
# Fixed so output is reproducible, and so no __pycache__ lands in the sources.
FIXED = {"PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"}


def base_environment(environ: Mapping[str, str]) -> dict[str, str]:
    kept = {k: v for k, v in environ.items() if not k.startswith(DROPPED_PREFIXES)}
    return {**kept, **FIXED}


def with_pythonpath(env: Mapping[str, str], *folders: str) -> dict[str, str]:
    """``env`` with ``folders`` put before whatever ``PYTHONPATH`` it has."""
    parts = [*folders, env.get("PYTHONPATH", "")]
    joined = os.pathsep.join(part for part in parts if part)
    updated = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    return {**updated, "PYTHONPATH": joined} if joined else updated


def decode(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def run_program(
    argv: Sequence[str], cwd: Path, stdin: str, env: Mapping[str, str], timeout: float
) -> Run:
    """Run to completion or kill the whole process group after ``timeout`` seconds."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=os.name == "posix",  # so a timeout also ends its children
    )
    try:
        out, err = process.communicate(stdin.encode(), timeout=timeout)
        code: Optional[int] = process.returncode
    except subprocess.TimeoutExpired:
        stop(process)
        out, err = process.communicate()
        code = None
    return Run(code, decode(out), decode(err), time.monotonic() - started)


def stop(process: subprocess.Popen) -> None:
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows has no process groups to kill
        process.kill()


def normalise(run: Run, folder: Path) -> Run:
    """Write ``folder`` as ``<root>``: the program and its bundle live in different ones."""

    def fix(text: str) -> str:
        for form in sorted({str(folder), str(folder.resolve())}, key=len, reverse=True):
            text = text.replace(form + os.sep, "<root>/").replace(form, "<root>")
        return text

    return Run(run.exit_code, fix(run.stdout), fix(run.stderr), run.seconds)
