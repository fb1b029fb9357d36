"""Big inputs: they must bundle in reasonable time and run like the original.

The budgets are generous (a loaded two-core CI box); what they catch is a
quadratic step, which turns seconds into many minutes.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import clean_env, normalise, run_python


def ten_megabytes_of_module(folder: Path) -> None:
    (folder / "main.py").write_text("import big\nprint(big.total(), len(big.TEXT))\n")
    lines, size, index = [], 0, 0
    while size < 10_000_000:
        line = f"V{index} = {index} * 3 + len('{'x' * 20}')  # filler {index}\n"
        lines.append(line)
        size += len(line)
        index += 1
    text = "\n".join(f"line {n}" for n in range(1000))
    lines.append(f"TEXT = '''{text}'''\ndef total():\n    return V{index - 1} + V0\n")
    (folder / "big.py").write_text("".join(lines))


def five_thousand_modules(folder: Path) -> None:
    (folder / "pkg").mkdir()
    (folder / "pkg" / "__init__.py").write_text("")
    for index in range(5000):
        (folder / "pkg" / f"m{index}.py").write_text(f"VALUE = {index}\n")
    imports = "".join(f"from pkg import m{index}\n" for index in range(5000))
    total = "sum(sys.modules[f'pkg.m{i}'].VALUE for i in range(5000))"
    (folder / "main.py").write_text(f"import sys\n{imports}print({total})\n")


def import_cycle_of_100(folder: Path) -> None:
    """c0 -> c1 -> ... -> c99 -> c0, each also calling into the next at run time."""
    for index in range(100):
        following = (index + 1) % 100
        (folder / f"c{index}.py").write_text(
            f"import c{following}\n\n"
            f"def walk(steps):\n"
            f"    return [{index}] if steps == 0 else [{index}] + c{following}.walk(steps - 1)\n"
        )
    (folder / "main.py").write_text("import c0\nwalk = c0.walk(250)\nprint(len(walk), sum(walk))\n")


@pytest.mark.parametrize(
    ("build", "budget"),
    [
        pytest.param(ten_megabytes_of_module, 120, id="10-MB-source-file"),
        pytest.param(five_thousand_modules, 60, id="5000-modules"),
        pytest.param(import_cycle_of_100, 30, id="import-cycle-of-100-modules"),
    ],
)
def test_big_input_bundles_in_time_and_runs_alike(build, budget, tmp_path):
    source = tmp_path / "project"
    source.mkdir()
    build(source)
    bundle = tmp_path / "alone" / "main.py"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "cribo_ci", "bundle", "-e", "project/main.py", "-o", str(bundle)],
        cwd=tmp_path,
        capture_output=True,
        env=clean_env(XDG_CACHE_HOME=str(tmp_path / "cache")),  # cold: measure the analysis
        timeout=budget * 2,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr.decode()
    assert elapsed < budget, f"bundling took {elapsed:.1f} s"
    expected = normalise(run_python(["main.py"], source), source)
    actual = normalise(run_python(["main.py"], bundle.parent), bundle.parent)
    assert actual == expected
    assert expected.exit_code == 0 and expected.stdout
