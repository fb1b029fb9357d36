"""A bug of cribo-ci's own: one readable line, exit 70, no output, no boxed dump.

The bug is real code failing: the bundler runs in a subprocess whose
``cribo_ci.source.line_starts`` (which every module's analysis calls) has
been replaced by one that divides by zero.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from harness import write_project

BROKEN = (
    "import sys\n"
    "import cribo_ci.source\n"
    "cribo_ci.source.line_starts = lambda text: 1 // 0\n"
    "from cribo_ci.cli import main\n"
    "sys.argv = ['cribo-ci', *sys.argv[1:]]\n"
    "main()\n"
)


def run_broken(folder, *args):
    return subprocess.run(
        [sys.executable, "-c", BROKEN, "bundle", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("modules", [1, 40], ids=["in-process", "process-pool"])
def test_an_internal_error_is_one_line_with_where_and_how_to_report(modules, tmp_path):
    files = {"main.py": "".join(f"import m{i}\n" for i in range(1, modules)) + "print(1)\n"}
    files.update({f"m{i}.py": f"X = {i}\n" for i in range(1, modules)})
    folder = write_project(tmp_path, files)
    done = run_broken(folder, "-e", "main.py", "-o", "out/app.py", "--no-cache")
    assert done.returncode == 70, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("internal error: ZeroDivisionError: integer division or modulo")
    assert "(at cribo_ci/source.py:" in lines[0]
    assert ", processing main.py" in lines[0] or ", processing m" in lines[0]
    assert "please report it at https://" in lines[0] and "-v" in lines[0]
    assert "Traceback" not in done.stderr and "╭" not in done.stderr
    assert not (folder / "out").exists()


def test_verbose_adds_the_traceback_and_stdout_stays_empty(tmp_path):
    folder = write_project(tmp_path, {"main.py": "print(1)\n"})
    done = run_broken(folder, "-e", "main.py", "--stdout", "--no-cache", "-v")
    assert done.returncode == 70
    assert done.stdout == ""
    first, *rest = done.stderr.splitlines()
    assert first.startswith("internal error: ZeroDivisionError")
    assert rest[0] == "Traceback (most recent call last):"
    assert rest[-1] == "ZeroDivisionError: integer division or modulo by zero"
