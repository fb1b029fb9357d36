"""PEP 723: the third-party imports a bundle keeps, declared in a `# /// script` block."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from cribo_ci.script_metadata import entry_block
from cribo_ci.sourcemap.lookup import decode_sourcemap
from harness import clean_env, normalise, run_python, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

# The PEP's reference implementation, as it is written there.
REGEX = r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$"


def pep_read(script: str) -> dict | None:
    name = "script"
    matches = list(filter(lambda m: m.group("type") == name, re.finditer(REGEX, script)))
    if len(matches) > 1:
        raise ValueError(f"Multiple {name} blocks found")
    elif len(matches) == 1:
        content = "".join(
            line[2:] if line.startswith("# ") else line[1:]
            for line in matches[0].group("content").splitlines(keepends=True)
        )
        return tomllib.loads(content)
    else:
        return None


CLICK = f"click=={metadata.version('click')}"
PLUGGY = f"pluggy=={metadata.version('pluggy')}"
PROJECT = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\nrequires-python = ">=3.9"\n',
    "main.py": """\
import click
import helper

@click.command()
@click.option("--name", default="world")
def main(name):
    click.echo(helper.greet(name))

if __name__ == "__main__":
    main()
""",
    "helper.py": "def greet(name):\n    return f'hello {name}'\n\n\ndef fail():\n    raise ValueError('from helper')\n",
}


def bundle(project: Path, *flags: str, output: str = "dist/app.py") -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "cribo_ci", "bundle", "-e", "main.py", "-o", output, *flags]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=clean_env())


def test_kept_third_party_imports_are_declared_as_the_pep_reads_them(tmp_path):
    project = write_project(tmp_path / "p", PROJECT)
    done = bundle(project)
    assert done.returncode == 0, done.stderr
    text = (project / "dist" / "app.py").read_text()
    assert pep_read(text) == {"requires-python": ">=3.9", "dependencies": [CLICK]}
    assert text.splitlines()[:3] == [
        "#!/usr/bin/env python3",
        "# Bundle of main.py made by cribo-ci (2 modules). Generated: do not edit.",
        "# /// script",
    ]


def test_the_block_keeps_the_map_and_tracebacks_exact(tmp_path):
    files = {**PROJECT, "main.py": "import click\nimport helper\n\nhelper.fail()\n"}
    project = write_project(tmp_path / "p", files)
    assert bundle(project).returncode == 0
    bundle_file = project / "dist" / "app.py"
    lines = bundle_file.read_text().splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if "raise ValueError('from helper')" in line]
    found = decode_sourcemap((project / "dist" / "app.py.map").read_text())
    position = found.original_position(number)
    assert (position.source, position.line) == ("helper.py", 6)
    unbundled = normalise(run_python(["main.py"], project), project)
    bundled = normalise(run_python(["app.py"], bundle_file.parent), bundle_file.parent)
    assert bundled.stderr.replace("app.py", "main.py") == unbundled.stderr
    assert 'helper.py", line 6, in fail' in bundled.stderr


def test_an_entry_block_is_merged_not_repeated(tmp_path):
    entry = """\
# /// script
# dependencies = [
#   "Click>=8",
#   "rich",
# ]
#
# [tool.example]
# flag = true
# ///
import click
import pluggy
import helper
print(helper.greet("x"))
"""
    project = write_project(tmp_path / "p", {**PROJECT, "main.py": entry})
    assert bundle(project).returncode == 0, "bundle failed"
    text = (project / "dist" / "app.py").read_text()
    assert len([m for m in re.finditer(REGEX, text) if m["type"] == "script"]) == 1
    assert pep_read(text) == {
        "requires-python": ">=3.9",
        "dependencies": ["Click>=8", "rich", PLUGGY],
        "tool": {"example": {"flag": True}},
    }


def test_the_setting_turns_it_off_and_a_bundle_without_third_party_has_none(tmp_path):
    project = write_project(tmp_path / "p", PROJECT)
    (project / "cribo.toml").write_text("[bundler]\nscript-metadata = false\n")
    assert bundle(project).returncode == 0
    assert pep_read((project / "dist" / "app.py").read_text()) is None
    (project / "cribo.toml").unlink()
    (project / "main.py").write_text("import json\nimport helper\nprint(helper.greet('x'))\n")
    assert bundle(project).returncode == 0
    assert pep_read((project / "dist" / "app.py").read_text()) is None


def test_the_launcher_mode_puts_it_in_the_launcher(tmp_path):
    project = write_project(tmp_path / "p", PROJECT)
    assert bundle(project, "--launcher").returncode == 0
    assert pep_read((project / "dist" / "app.py").read_text())["dependencies"] == [CLICK]
    assert pep_read((project / "dist" / "app_bundle.py").read_text()) is None


def test_two_script_blocks_in_the_entry_are_a_located_error(tmp_path):
    block = "# /// script\n# dependencies = []\n# ///\n"
    entry = block + "import click\n" + block
    project = write_project(tmp_path / "p", {**PROJECT, "main.py": entry})
    done = bundle(project)
    assert done.returncode == 3 and not (project / "dist").exists()
    assert (
        done.stderr
        == "main.py:5:1: config error: multiple `# /// script` blocks (PEP 723 allows one)\n"
    )


def test_entry_block_reads_as_the_reference_does():
    text = "# /// script\n# requires-python = '>=3.11'\n#\n# dependencies = ['a']\n# ///\n"
    assert entry_block(text, "main.py") == pep_read(text)
    assert entry_block("# /// pyproject\n# x = 1\n# ///\n", "main.py") == {}


def uv() -> str:
    found = Path(sys.executable).parent / "uv"
    if not found.exists():
        (pytest.fail if os.environ.get("CI") else pytest.skip)("uv is not installed (test extras)")
    return str(found)


@pytest.mark.integration
@pytest.mark.parametrize("launched", [False, True], ids=["script", "launcher"])
def test_uv_runs_the_bundle_in_an_empty_folder(launched, tmp_path):
    """A real `uv run`, a fresh uv cache and nothing installed: it reads the block,
    installs click from the package index and runs the bundle."""
    project = write_project(tmp_path / "p", PROJECT)
    assert bundle(project, *(["--launcher"] if launched else [])).returncode == 0
    empty = tmp_path / "empty"
    shutil.copytree(project / "dist", empty)
    env = clean_env(UV_CACHE_DIR=str(tmp_path / "uv-cache"), UV_NO_CONFIG="1")
    env["UV_PYTHON_DOWNLOADS"] = "never"
    python = getattr(sys, "_base_executable", sys.executable)  # not this venv
    command = [uv(), "run", "--python", python, "app.py", "--name", "uv"]
    done = subprocess.run(command, cwd=empty, env=env, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout) == (0, "hello uv\n"), done.stderr
    assert "Installed 1 package" in done.stderr
    fetched = {path.name for path in (tmp_path / "uv-cache").rglob("click*")}
    assert fetched, "uv did not fetch click into its (empty) cache"
