"""Running fixtures unbundled and bundled, for the equivalence tests.

A fixture is a folder under ``tests/fixtures/``: ``main.py`` and its modules,
and optionally ``fixture.toml``:

    entry = "main.py"        # or a package folder, run as ``python -m``
    args = ["--flag"]        # command-line arguments for both runs
    stdin = "text"
    min-python = "3.10"      # skipped on older interpreters (syntax they lack)
    [cribo]                  # extra [tool.cribo] settings for the bundle
    src = ["lib"]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from cribo_ci.api import bundle_project
from cribo_ci.config import Config, apply_table

FIXTURES = Path(__file__).parent / "fixtures"
AUDIT = Path(__file__).parent / "support" / "audit"


@dataclass(frozen=True)
class Fixture:
    name: str
    folder: Path
    entry: str = "main.py"
    args: tuple[str, ...] = ()
    stdin: str = ""
    min_python: tuple[int, ...] = (3, 9)
    cribo: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def bundle_name(self) -> str:
        """The bundle takes the entry's file name, so ``__file__`` reads alike."""
        return self.entry if self.entry.endswith(".py") else "main.py"

    def config(self, folder: Optional[Path] = None, output: Optional[Path] = None) -> Config:
        folder = folder or self.folder
        config = Config(entry=folder / self.entry, output=output)
        return apply_table(config, self.cribo, folder, "fixture.toml") if self.cribo else config


def load_fixture(folder: Path) -> Fixture:
    settings_file = folder / "fixture.toml"
    data = tomllib.loads(settings_file.read_text()) if settings_file.exists() else {}
    return Fixture(
        name=folder.name,
        folder=folder,
        entry=data.get("entry", "main.py"),
        args=tuple(data.get("args", ())),
        stdin=data.get("stdin", ""),
        min_python=tuple(int(p) for p in data.get("min-python", "3.9").split(".")),
        cribo=data.get("cribo", {}),
    )


def all_fixtures() -> list[Fixture]:
    return [load_fixture(path) for path in sorted(FIXTURES.iterdir()) if path.is_dir()]


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


# What the programs a test runs cache (bundles extract package data there): a
# test never writes into ~/.cache.
TEST_CACHE = Path(tempfile.gettempdir()) / "cribo-test-cache"


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "CRIBO_", "COV_"))
    }
    env.update(PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", PYTHONIOENCODING="utf-8")
    env.update(XDG_CACHE_HOME=str(TEST_CACHE))
    env.update(extra)
    return env


def run_python(
    args: list[str], cwd: Path, stdin: str = "", env: Optional[dict] = None, python: str = ""
) -> Run:
    done = subprocess.run(
        [python or sys.executable, *args],
        cwd=cwd,
        input=stdin.encode(),
        capture_output=True,
        env=env or clean_env(),
        timeout=120,
    )
    decode = lambda data: data.decode("utf-8", "replace").replace("\r\n", "\n")  # noqa: E731
    return Run(done.returncode, decode(done.stdout), decode(done.stderr))


def normalise(run: Run, folder: Path) -> Run:
    """Make paths relative: the two runs live in different folders."""

    def fix(text: str) -> str:
        for form in {str(folder), str(folder.resolve())}:
            text = text.replace(form + os.sep, "<root>/").replace(form, "<root>")
        return text

    return Run(run.exit_code, fix(run.stdout), fix(run.stderr))


def run_unbundled(fixture: Fixture, workdir: Path) -> Run:
    """Run a copy of the fixture, so no stray files land in the source tree."""
    copy = workdir / "src"
    shutil.copytree(fixture.folder, copy, ignore=shutil.ignore_patterns("__pycache__"))
    if fixture.entry.endswith(".py"):
        args = [fixture.entry, *fixture.args]
    else:
        args = ["-m", fixture.entry.strip("/"), *fixture.args]
    # Extra source roots are what PYTHONPATH gives the unbundled program.
    roots = os.pathsep.join(str(copy / root) for root in fixture.cribo.get("src", ()))
    env = clean_env(PYTHONPATH=roots) if roots else clean_env()
    return normalise(run_python(args, copy, fixture.stdin, env), copy)


def build_bundle(fixture: Fixture, output: Path) -> str:
    bundle = bundle_project(fixture.config(output=output))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(bundle.text, encoding="utf-8")
    return bundle.text


def run_bundle(fixture: Fixture, bundle: Path, workdir: Path, audit_log: Path) -> Run:
    """Run the bundle alone in an empty folder, under the exec/compile audit hook."""
    alone = workdir / "alone"
    alone.mkdir()
    target = alone / fixture.bundle_name
    shutil.copy(bundle, target)
    env = clean_env(
        PYTHONPATH=str(AUDIT),
        CRIBO_AUDIT_BUNDLE=str(target),
        CRIBO_AUDIT_LOG=str(audit_log),
        XDG_CACHE_HOME=str(workdir / "cache"),  # where package data is extracted
    )
    return normalise(run_python([target.name, *fixture.args], alone, fixture.stdin, env), alone)


def fresh_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="cribo-test-"))


def cli_runner():
    """A CliRunner that keeps stderr apart: click 8.2+ always does, 8.1
    (what typer resolves to on Python 3.9) only when asked."""
    from typer.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def write_project(folder: Path, files: dict) -> Path:
    """Write ``{relative path: text or bytes}`` under ``folder``; returns it."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder
