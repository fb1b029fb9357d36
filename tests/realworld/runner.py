"""Real-world scenarios: an entry script of ours beside real packages' sources.

A scenario is a folder under ``tests/realworld/`` with ``main.py`` and
``scenario.toml``:

    packages = ["jinja2", "markupsafe"]  # pinned in vendor.py, copied beside main.py
    min-python = "3.9"
    [cribo]                              # extra [tool.cribo] settings for the bundle
    include = ["pygments.lexers.*"]

The project is assembled in a temporary folder (the packages become
first-party code), bundled once by the test's interpreter, then run
unbundled and bundled alone on each Python in ``PYTHONS`` that the pyenv
installation has.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from realworld.vendor import CACHE, installed

from harness import AUDIT, Fixture, Run, build_bundle, clean_env, normalise, run_python

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

SCENARIOS = Path(__file__).parent
PYTHONS = ("3.9", "3.11", "3.13")
NOT_VENDORED = ("*.dist-info", "bin", "__pycache__", ".complete")


@dataclass(frozen=True)
class Scenario:
    name: str
    folder: Path
    packages: tuple[str, ...]
    min_python: tuple[int, ...] = (3, 9)
    cribo: dict = field(default_factory=dict, hash=False, compare=False)


def load_scenario(folder: Path) -> Scenario:
    data = tomllib.loads((folder / "scenario.toml").read_text())
    return Scenario(
        name=folder.name,
        folder=folder,
        packages=tuple(data["packages"]),
        min_python=tuple(int(p) for p in data.get("min-python", "3.9").split(".")),
        cribo=data.get("cribo", {}),
    )


def all_scenarios() -> list[Scenario]:
    return [load_scenario(p.parent) for p in sorted(SCENARIOS.glob("*/scenario.toml"))]


def interpreter(version: str) -> Optional[str]:
    """A clean venv of the pyenv interpreter of a minor version, if installed.

    Not the pyenv interpreter itself: its site-packages may hold the very
    packages a scenario vendors, and would hide a module the bundle misses.
    """
    found = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python")))
    if not found:
        return None
    venv = CACHE / f"python-{Path(found[-1]).parts[-3]}"
    if not (venv / "bin" / "python").exists():
        subprocess.run([found[-1], "-m", "venv", "--without-pip", str(venv)], check=True)
    return str(venv / "bin" / "python")


def assemble(scenario: Scenario, project: Path) -> Path:
    """The scenario's files plus the vendored packages' importable files."""
    shutil.copytree(scenario.folder, project, ignore=shutil.ignore_patterns("__pycache__"))
    for distribution in scenario.packages:
        shutil.copytree(
            installed(distribution),
            project,
            ignore=shutil.ignore_patterns(*NOT_VENDORED),
            dirs_exist_ok=True,
        )
    return project


def run_unbundled(project: Path, python: str, env: Optional[dict] = None) -> Run:
    return normalise(
        run_python(["main.py"], project, env=env or clean_env(), python=python), project
    )


def run_alone(bundle: Path, workdir: Path, python: str) -> tuple[Run, str]:
    """The bundle alone in an empty folder under the exec/compile audit hook,
    and what the hook logged."""
    alone = workdir / f"alone-{Path(python).parts[-3].replace('.', '_')}"
    alone.mkdir()
    target = alone / "main.py"
    shutil.copy(bundle, target)
    log = workdir / f"{alone.name}.audit"
    env = clean_env(
        PYTHONPATH=str(AUDIT),
        CRIBO_AUDIT_BUNDLE=str(target),
        CRIBO_AUDIT_LOG=str(log),
        XDG_CACHE_HOME=str(workdir / "cache"),  # where package data is extracted
    )
    run = normalise(run_python(["main.py"], alone, env=env, python=python), alone)
    return run, log.read_text() if log.exists() else ""


def bundle_scenario(scenario: Scenario, project: Path, output: Path) -> str:
    fixture = Fixture(scenario.name, project, cribo=scenario.cribo)
    return build_bundle(fixture, output)
