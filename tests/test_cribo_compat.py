"""A drop-in path from Cribo: its ``cribo.toml``, ``CRIBO_*`` variables, flags and
command line work unchanged, each with the meaning Cribo gives it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_messages import cribo_ci

from cribo_ci.config import CRIBO_KEYS, load_config
from cribo_ci.errors import ConfigError
from harness import run_python, write_project

ROOT = Path(__file__).parent.parent

# Cribo's own example config (its README), keys at the top level.
CRIBO_TOML = """\
src = ["lib"]
known_first_party = ["shapes"]
known_third_party = ["vendored"]
preserve_comments = true
preserve_type_hints = false
target-version = "py311"
tree_shake = true
"""
PROJECT = {
    "main.py": "import shapes\ntry:\n    import vendored\nexcept ImportError:\n"
    "    vendored = None\nprint(shapes.area(2), vendored)\n",
    "lib/shapes.py": "def area(side):\n    return side * side\n",
    "lib/vendored.py": "NAME = 'from the source tree'\n",
    "cribo.toml": CRIBO_TOML,
}


def run_alone(bundle: Path, tmp_path: Path) -> str:
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(bundle, alone / bundle.name)
    done = run_python([bundle.name], alone)
    assert done.exit_code == 0, done.stderr
    return done.stdout


def test_a_cribo_command_line_and_cribo_toml_work_unchanged(tmp_path):
    project = write_project(tmp_path / "project", PROJECT)
    done = cribo_ci("-e", "main.py", "-o", "bundle.py", "-vv", cwd=project)  # no subcommand
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    notes = [line for line in lines if ": note: " in line]
    assert [re.search(r"Cribo's '(\w+)'", note)[1] for note in notes] == [
        "known_first_party",
        "preserve_comments",
        "preserve_type_hints",
        "tree_shake",
    ]
    assert all(line.startswith(str(project / "cribo.toml")) for line in notes)
    assert "shapes: import by main line 1" in lines  # src = ["lib"]
    assert not any(line.startswith("vendored:") for line in lines)  # known_third_party
    assert run_alone(project / "bundle.py", tmp_path) == "4 None\n"
    quiet = cribo_ci("-e", "main.py", "-o", "bundle.py", cwd=project)
    assert not any(": note: " in line for line in quiet.stderr.splitlines())  # only at -v


def test_cribo_keys_mean_what_they_mean_in_cribo(tmp_path):
    write_project(tmp_path, PROJECT)
    config = load_config(tmp_path, {}, {})
    assert config.src == (tmp_path / "lib",)
    assert config.known_third_party == ("vendored",)
    assert config.python_versions == ("3.11",)  # target-version: what verify compiles with


def test_cribo_variables_and_flags(tmp_path):
    env = {
        "CRIBO_SRC": "lib",
        "CRIBO_KNOWN_FIRST_PARTY": "shapes",
        "CRIBO_KNOWN_THIRD_PARTY": "vendored,other",
        "CRIBO_PRESERVE_COMMENTS": "false",
        "CRIBO_PRESERVE_TYPE_HINTS": "true",
        "CRIBO_TARGET_VERSION": "py312",
        "CRIBO_TREE_SHAKE": "false",
    }
    config = load_config(tmp_path, env, {})
    assert (config.src, config.known_third_party) == ((tmp_path / "lib",), ("vendored", "other"))
    assert config.python_versions == ("3.12",)
    assert len(config.notes) == 4 and all(n.startswith("environment: note:") for n in config.notes)
    flags = load_config(tmp_path, env, {"target-version": "py310", "tree-shake": False})
    assert flags.python_versions == ("3.10",)


@pytest.mark.parametrize("flag", ["--target-version", "--python-version"])
def test_cribo_flags_on_the_command_line(flag, tmp_path):
    project = write_project(tmp_path / "project", {**PROJECT, "cribo.toml": ""})
    config = project / "conf.toml"
    config.write_text('src = ["lib"]\n')
    args = ("-e", "main.py", "-o", "b.py", "-c", "conf.toml", "--no-tree-shake", "-v")
    done = cribo_ci(*args, flag, "py313", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "command line: note: Cribo's 'tree_shake' changes nothing" in done.stderr
    bad = cribo_ci(*args, flag, "3.13", cwd=project)
    assert bad.returncode == 3
    assert "config error: 'target-version' must be a version like \"py312\"" in bad.stderr


def test_modules_on_pythonpath_are_first_party(tmp_path):
    project = write_project(
        tmp_path / "project",
        {"main.py": "import shared\nprint(shared.WHERE)\n"},
    )
    write_project(tmp_path / "libs", {"shared/__init__.py": "WHERE = 'libs'\n"})
    # A folder of installed distributions stays third-party (bundle-third-party's)
    write_project(tmp_path / "site", {"installed.py": "", "installed-1.0.dist-info/METADATA": ""})
    env = {"PYTHONPATH": f"{tmp_path / 'libs'}:{tmp_path / 'site'}"}
    done = cribo_ci("-e", "main.py", "-o", "b.py", "-v", cwd=project, env=env)
    assert done.returncode == 0, done.stderr
    assert "shared: import by main line 1" in done.stderr.splitlines()
    assert run_alone(project / "b.py", tmp_path) == "libs\n"
    without = cribo_ci("-e", "main.py", "-o", "c.py", "-v", cwd=project)
    assert "shared:" not in without.stderr


def test_an_unknown_key_in_cribos_format_lists_both_tools_keys(tmp_path):
    (tmp_path / "cribo.toml").write_text("tree_shaking = false\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {}, {})
    message = str(raised.value)
    assert "unknown key 'tree_shaking' (did you mean 'tree_shake'?" in message
    assert "known_third_party" in message and "static-bundling" in message


def test_top_level_keys_beside_a_bundler_table_are_never_ignored(tmp_path):
    (tmp_path / "cribo.toml").write_text('src = ["lib"]\n\n[bundler]\nentry = "main.py"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {}, {})
    assert "top-level key 'src' beside the [bundler] table" in str(raised.value)


def test_the_readme_maps_every_cribo_key_variable_and_flag():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("<!-- cribo -->")[1].split("<!-- /cribo -->")[0]
    for key in CRIBO_KEYS:
        variable = "CRIBO_" + key.upper().replace("-", "_")
        assert f"`{key}`" in table and f"`{variable}`" in table, key
    flags = ("-e", "--entry", "-o", "--output", "--stdout", "-vv", "-c", "--config", "-V", "-h")
    more = ("--emit-requirements", "--target-version", "--python-version", "--no-tree-shake")
    for flag in (*flags, *more, "PYTHONPATH"):
        assert re.search(rf"(?<![\w-]){flag}\b", table), flag


def test_the_cribo_invocation_runs_as_a_script_would(tmp_path):
    """The console script itself, not only ``python -m``: what a Cribo user's scripts call."""
    script = Path(sys.executable).with_name("cribo-ci")
    project = write_project(tmp_path / "project", PROJECT)
    done = subprocess.run(
        [str(script), "-e", "main.py", "-o", "out.py"], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("wrote out.py (")


def test_a_config_file_given_is_never_read_for_nothing(tmp_path):
    """``-c pyproject.toml`` without our table, as silent as a Cribo file once was."""
    given = tmp_path / "pyproject.toml"
    given.write_text("[tool.black]\nline-length = 100\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path, {}, {}, given)
    assert str(raised.value) == f"{given}: config error: no [tool.cribo] table in this file"


def test_a_target_version_not_installed_is_named_as_written(tmp_path):
    toml = 'target-version = "py32"\nentry = "main.py"\noutput = "b.py"\n'
    project = write_project(tmp_path / "project", {**PROJECT, "cribo.toml": toml})
    done = cribo_ci("verify", cwd=project)
    assert done.returncode == 3
    assert done.stderr.startswith(
        f"{project / 'cribo.toml'}: config error: 'target-version': "
        "no Python interpreter found for '3.2'"
    )
