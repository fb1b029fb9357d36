"""Package data extracted as real files (runtime/resources.py): where, when, how
often, shared by concurrent runs, and the fallback where no cache is writable."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cribo_ci.api import bundle_project
from cribo_ci.config import Config, apply_table
from cribo_ci.data_files import file_path_warnings
from harness import clean_env, run_python, write_project

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

PROGRAM = {
    "main.py": (
        "import sys\n"
        "from importlib.resources import as_file, files\n"
        "import pkg.inner\n"
        "with as_file(files('pkg') / 'data') as folder:\n"
        "    pass\n"
        "print(folder)\n"
        "print(sorted(p.name for p in folder.iterdir()))\n"
        "print('decoded' if 'base64' in sys.modules else 'reused')\n"
        "print(pkg.inner.__file__)\n"
    ),
    "pkg/__init__.py": "",
    "pkg/mod.py": "",
    "pkg/data/a.txt": "a",
    "pkg/data/b.json": "{}",
    "pkg/inner/__init__.py": "",
    "pkg/inner/c.bin": b"\x00",
}


def bundled(tmp_path: Path, extract: bool = False) -> Path:
    project = write_project(tmp_path / "project", PROGRAM)
    bundle = tmp_path / "alone" / "main.py"
    bundle.parent.mkdir()
    config = Config(entry=project / "main.py", output=bundle, extract_data=extract)
    bundle.write_text(bundle_project(config).text, encoding="utf-8")
    return bundle


def run(bundle: Path, **env: str):
    done = run_python([bundle.name], bundle.parent, env=clean_env(**env))
    assert done.exit_code == 0, done.stderr
    return done.stdout.splitlines()


def data_header(bundle: Path) -> tuple[str, str]:
    """The runtime's (digest, extract-data) before the archive."""
    found = re.search(r'^ +"([0-9a-f]{32})",\n +(True|False),$', bundle.read_text(), re.MULTILINE)
    return found[1], found[2]


def digest_of(bundle: Path) -> str:
    return data_header(bundle)[0]


def test_data_is_extracted_once_into_the_cache_and_reused(tmp_path):
    bundle = bundled(tmp_path)
    cache = tmp_path / "cache"
    first = run(bundle, XDG_CACHE_HOME=str(cache))
    root = cache / "cribo-ci" / "data" / digest_of(bundle)
    assert first[:3] == [str(root / "pkg" / "data"), "['a.txt', 'b.json']", "decoded"]
    assert first[3] == str(bundle.parent / "pkg" / "inner" / "__init__.py")  # __file__ as before
    made = (root / "pkg").stat().st_ino
    second = run(bundle, XDG_CACHE_HOME=str(cache))
    assert second[:3] == [*first[:2], "reused"]  # no decoding, no writing
    assert (root / "pkg").stat().st_ino == made
    # Data only, never code; every package's folder; no temporary folder left.
    found = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    data = ["pkg/data", "pkg/data/a.txt", "pkg/data/b.json", "pkg/inner", "pkg/inner/c.bin"]
    assert found == ["pkg", *data]


def test_concurrent_first_runs_share_one_copy(tmp_path):
    bundle = bundled(tmp_path)
    cache = tmp_path / "cache"
    env = clean_env(XDG_CACHE_HOME=str(cache))
    runs = [
        subprocess.Popen(
            [sys.executable, bundle.name], cwd=bundle.parent, env=env, stdout=subprocess.PIPE
        )
        for _ in range(6)
    ]
    outputs = {process.communicate(timeout=60)[0] for process in runs}
    assert [process.returncode for process in runs] == [0] * 6
    assert len({line for out in outputs for line in out.decode().splitlines()[:2]}) == 2
    root = cache / "cribo-ci" / "data" / digest_of(bundle)
    assert sorted(p.name for p in root.iterdir()) == ["pkg"]  # no half copy, no leftovers
    assert (root / "pkg" / "data" / "b.json").read_text() == "{}"


def test_an_unwritable_cache_falls_back_to_a_temporary_folder_removed_at_exit(tmp_path):
    bundle = bundled(tmp_path)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    lines = run(
        bundle, XDG_CACHE_HOME=str(not_a_folder), HOME=str(not_a_folder), TMPDIR=str(temporary)
    )
    assert lines[0].startswith(str(temporary / "cribo-data-")), lines
    assert lines[1] == "['a.txt', 'b.json']"
    assert list(temporary.iterdir()) == []  # removed when the run ended


def test_extract_data_puts_packaged_modules_beside_their_data(tmp_path):
    bundle = bundled(tmp_path, extract=True)
    cache = tmp_path / "cache"
    lines = run(bundle, XDG_CACHE_HOME=str(cache))
    root = cache / "cribo-ci" / "data" / digest_of(bundle)
    assert lines[3] == str(root / "pkg" / "inner" / "__init__.py")
    assert not list(root.rglob("*.py"))  # a __file__ there, but no code


def test_no_data_read_means_nothing_decoded_or_written(tmp_path):
    program = {**PROGRAM, "main.py": "import sys, pkg\nprint('base64' in sys.modules)\n"}
    project = write_project(tmp_path / "project", program)
    bundle = tmp_path / "alone" / "main.py"
    bundle.parent.mkdir()
    bundle.write_text(bundle_project(Config(entry=project / "main.py")).text, encoding="utf-8")
    assert run(bundle, XDG_CACHE_HOME=str(tmp_path / "cache")) == ["False"]
    assert not (tmp_path / "cache").exists()


def warning_for(relpath: str) -> str:
    code = "import os\nHERE = os.path.dirname(__file__)\n"
    (warning,) = file_path_warnings(list(ast.walk(ast.parse(code))), relpath)
    return warning.message


def test_the_file_warning_names_a_setting_that_can_be_pasted():
    message = warning_for("pkg/mod.py")
    setting = re.search(r"`([^`]+)` under \[tool.cribo\]", message)[1]
    config = apply_table(Config(), tomllib.loads(setting), Path(), "pyproject.toml")
    assert config.extract_data is True and "--extract-data" in message
    assert "extract-data" not in warning_for("top.py")  # beside a top-level module: no data


def test_extract_data_leaves_out_the_warnings_it_settles(tmp_path):
    code = "import os\nHERE = os.path.dirname(__file__)\n"
    project = write_project(
        tmp_path,
        {"main.py": "import pkg, top\n", "top.py": code, "pkg/__init__.py": code, "pkg/d.txt": ""},
    )
    config = Config(entry=project / "main.py")
    assert [w.location.path for w in bundle_project(config).warnings] == [
        "pkg/__init__.py",
        "top.py",
    ]
    config = Config(entry=project / "main.py", extract_data=True)
    assert [w.location.path for w in bundle_project(config).warnings] == ["top.py"]


@pytest.mark.parametrize("flag", ["--extract-data", "--no-extract-data"])
def test_extract_data_flag(tmp_path, flag):
    from cribo_ci.cli import load_commands
    from harness import cli_runner

    project = write_project(tmp_path / "project", PROGRAM)
    out = tmp_path / "bundle.py"
    args = ["bundle", "-e", str(project / "main.py"), "-o", str(out), "--no-cache", flag]
    result = cli_runner().invoke(load_commands(), args)
    assert result.exit_code == 0, result.output
    assert data_header(out)[1] == str(flag == "--extract-data")


def test_a_run_that_reuses_the_data_marks_it_used(tmp_path):
    """The bundler's cache prunes data folders unused for a month (cache.py):
    a run that reuses one says so."""
    bundle = bundled(tmp_path)
    cache = tmp_path / "cache"
    run(bundle, XDG_CACHE_HOME=str(cache))
    root = cache / "cribo-ci" / "data" / digest_of(bundle)
    month_ago = time.time() - 40 * 24 * 3600
    os.utime(root, (month_ago, month_ago))
    assert run(bundle, XDG_CACHE_HOME=str(cache))[2] == "reused"
    assert time.time() - root.stat().st_mtime < 60
