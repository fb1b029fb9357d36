"""Imports nothing provides, ``strict``, and warnings a setting already answers.

Through the real command line in a fresh process: what the bundler's
interpreter can import (its ``sys.path``, ``PYTHONPATH``, the working folder)
is what decides these warnings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cribo_ci.api import bundle_project
from harness import Fixture, all_fixtures, write_project

UNPROVIDED = "is no first-party module, no standard-library module and no installed distribution"


def cribo(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "CRIBO_"))}
    clean["CRIBO_CACHE_DIR"] = str(cwd / ".cache")
    command = [sys.executable, "-m", "cribo_ci", *args]
    return subprocess.run(
        command, cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def bundle(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """Quiet: what these tests read on stderr is the warnings alone."""
    return cribo(cwd, "bundle", "-e", "main.py", "-o", "dist/app.py", "--quiet", *args, **env)


def test_a_typo_warns_with_its_location(tmp_path):
    write_project(tmp_path, {"main.py": "import sys\n\nimport jsonn\nprint(sys.argv)\n"})
    result = bundle(tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"main.py:3:1: warning: 'jsonn' {UNPROVIDED}" in result.stderr
    assert "did you mean 'json'?" in result.stderr
    assert (tmp_path / "dist" / "app.py").is_file()


def test_a_module_pythonpath_reaches_is_bundled_without_a_word(tmp_path):
    files = {"main.py": "import os\nfrom helper import VALUE\nprint(VALUE)\n"}
    write_project(tmp_path, {**files, "extra/helper.py": "VALUE = 1\n"})
    result = bundle(tmp_path, PYTHONPATH="extra")  # its folders are source roots
    assert result.returncode == 0 and result.stderr == "", result.stderr
    alone = subprocess.run([sys.executable, "app.py"], cwd=tmp_path / "dist", capture_output=True)
    assert alone.stdout == b"1\n", alone.stderr


def test_a_loose_module_in_a_pythonpath_folder_of_installs_warns(tmp_path):
    write_project(
        tmp_path,
        {
            "main.py": "import os\nfrom helper import VALUE\nprint(VALUE)\n",
            "extra/helper.py": "VALUE = 1\n",  # beside installs, yet no install's
            "extra/other-1.0.dist-info/METADATA": "Name: other\nVersion: 1.0\n",
        },
    )
    unbundled = subprocess.run(
        [sys.executable, "main.py"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": "extra"}
    )
    assert unbundled.returncode == 0  # the script runs: only PYTHONPATH makes it work
    result = bundle(tmp_path, PYTHONPATH="extra")
    assert result.returncode == 0, result.stderr
    assert f"main.py:2:1: warning: 'helper' {UNPROVIDED}" in result.stderr
    assert "only PYTHONPATH finds it, in extra" in result.stderr


def test_a_source_root_missing_from_src_is_named_and_src_silences_it(tmp_path):
    write_project(
        tmp_path,
        {
            "main.py": "import mylib\nmylib.run()\n",
            "lib/mylib/__init__.py": "def run():\n    pass\n",
        },
    )
    result = bundle(tmp_path)
    assert f"main.py:1:1: warning: 'mylib' {UNPROVIDED}" in result.stderr
    assert (
        'the folder lib holds it: add it to the source roots: `--src lib`, or `src = ["lib"]`'
        in (result.stderr)
    )
    fixed = bundle(tmp_path, "--src", "lib")
    assert fixed.returncode == 0 and fixed.stderr == "", fixed.stderr


def test_a_sibling_module_named_without_its_package_is_named(tmp_path):
    files = {
        "main.py": "import pkg.a\n",
        "pkg/__init__.py": "",
        "pkg/a.py": "import b\n",
        "pkg/b.py": "",
    }
    result = bundle(write_project(tmp_path, files))
    assert "pkg/a.py:1:1: warning: 'b' " in result.stderr
    assert "did you mean 'pkg.b'" in result.stderr


FIRM_ENOUGH = {
    "main.py": (
        "import json\nimport typer\nimport local\nimport optional_feature\nimport __main__\n"
        "from contextlib import suppress\n"
        "from typing import TYPE_CHECKING\n"
        "try:\n    import ujson_not_installed\nexcept ImportError:\n    import json as ujson\n"
        "try:\n    import a_missing\nexcept ImportError:\n    import b_missing_fallback\n"
        "if TYPE_CHECKING:\n    from _typeshed import StrPath\n"
        "if False:\n    import py2_only_module\n"
        "with suppress(ImportError):\n    import suppressed_missing\n"
        "print(json.dumps(1))\n"
    ),
    "local.py": "VALUE = 1\n",
    # reached only through a function: an optional feature (urllib3.http2's shape)
    "optional_feature.py": "def enable():\n    import feature_impl\n",
    "feature_impl.py": "import h2_not_installed\n",
}


def test_imports_a_run_may_skip_do_not_warn(tmp_path):
    result = bundle(write_project(tmp_path, FIRM_ENOUGH))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_imports_every_run_reaches_warn(tmp_path):
    files = {
        "main.py": (
            "import helper\n"
            "def main():\n    import in_function_missing\n"
            'if __name__ == "__main__":\n    import main_guard_missing\n'
            "else:\n    import imported_as_module_only\n"
        ),
        "helper.py": "import helper_missing\n",
    }
    result = bundle(write_project(tmp_path, files))
    warned = sorted(line.split("'")[1] for line in result.stderr.splitlines())
    assert warned == ["helper_missing", "in_function_missing", "main_guard_missing"]


def test_exclude_answers_the_warning(tmp_path):
    write_project(tmp_path, {"main.py": "import deployed_beside\nimport also.this.one\n"})
    result = bundle(tmp_path, "--exclude", "deployed_beside", "--exclude", "also.*")
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_one_warning_per_name_at_its_first_import(tmp_path):
    files = {
        "main.py": "import a\nimport nothere\n",
        "a.py": "import nothere.sub\nfrom nothere import x\n",
    }
    result = bundle(write_project(tmp_path, files))
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("main.py:2:1: warning: 'nothere'"), lines
    assert "(and 2 more like it)" in lines[0]


COMPUTED = {
    "main.py": "from pkg import loader\nloader.load('a')\n",
    "pkg/__init__.py": "",
    "pkg/loader.py": "import importlib\n\ndef load(name):\n    return importlib.import_module(name)\n",
    "pkg/plugins/__init__.py": "",
    "pkg/plugins/a.py": "",
    "other/__init__.py": "",
    "other/b.py": "",
}


@pytest.mark.parametrize(
    ("include", "warns"),
    [
        ((), True),
        (("pkg.plugins.*",), False),
        (("pkg.plugins.a",), False),
        (("pkg.*",), False),
        (("other.*",), True),
    ],
)
def test_include_answers_a_computed_import_under_its_package(tmp_path, include, warns):
    write_project(tmp_path, COMPUTED)
    result = bundle(tmp_path, *(arg for pattern in include for arg in ("--include", pattern)))
    assert result.returncode == 0, result.stderr
    warning = "pkg/loader.py:4:12: warning: import_module() of a computed name"
    assert (warning in result.stderr) is warns, result.stderr


@pytest.mark.parametrize(
    ("table", "warns"),
    [
        ("TABLE = ['pkg.plugins.a']\n", False),  # pygments' mapping tables, in small
        ("TABLE = ['other.b']\n", True),  # names modules, but elsewhere
        ("TABLE = ['pkg.plugins.a']\n", True),  # ... or excluded: not in the bundle
    ],
    ids=["under-its-package", "elsewhere", "excluded"],
)
def test_strings_naming_modules_under_its_package_answer_a_computed_import(
    tmp_path, table, warns, request
):
    write_project(tmp_path, {**COMPUTED, "pkg/table.py": table})
    (tmp_path / "main.py").write_text("import pkg.table\n" + COMPUTED["main.py"])
    excluded = ("--exclude", "pkg.plugins.a") if "excluded" in request.node.name else ()
    result = bundle(tmp_path, *excluded)
    assert result.returncode == 0, result.stderr
    warning = "pkg/loader.py:4:12: warning: import_module() of a computed name"
    assert (warning in result.stderr) is warns, result.stderr


def test_include_at_the_top_level_answers_a_top_level_computed_import(tmp_path):
    files = {"main.py": "import importlib, sys\nimportlib.import_module(sys.argv[1])\n", "p.py": ""}
    write_project(tmp_path, files)
    assert "computed name" in bundle(tmp_path).stderr
    assert bundle(tmp_path, "--include", "p").stderr == ""


STRICT_PROJECT = {"main.py": "import helper\nprint(helper.VALUE)\n", "helper.py": "VALUE = 1\n"}


def strict_ready(folder: Path, extra: str = "") -> tuple[Path, bytes]:
    """A project with a good bundle written, then an import nothing provides."""
    write_project(folder, STRICT_PROJECT)
    (folder / "pyproject.toml").write_text(
        f'[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n{extra}'
    )
    assert cribo(folder, "bundle").returncode == 0
    (folder / "helper.py").write_text("import helpre_typo\nVALUE = 1\n")
    output = folder / "dist" / "app.py"
    return output, output.read_bytes()


@pytest.mark.parametrize(
    ("extra", "args", "env"),
    [
        pytest.param("", ("--strict",), {}, id="flag"),
        pytest.param("strict = true\n", (), {}, id="config"),
        pytest.param("", (), {"CRIBO_STRICT": "1"}, id="environment"),
    ],
)
def test_strict_fails_with_its_exit_code_and_writes_nothing(tmp_path, extra, args, env):
    output, before = strict_ready(tmp_path, extra)
    result = cribo(tmp_path, "bundle", *args, **env)
    assert result.returncode == 8, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"helper.py:1:1: error: 'helpre_typo' {UNPROVIDED}"), lines
    assert lines[-1] == "strict: 1 warning at bundle time, errors under `strict`: nothing written"
    assert "warning:" not in result.stderr
    assert output.read_bytes() == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["app.py", "app.py.map"]


def test_strict_prints_every_warning_and_stops_verify_too(tmp_path):
    output, before = strict_ready(tmp_path, "strict = true\n")
    (tmp_path / "main.py").write_text(
        "import importlib, sys\nimport helper\nimportlib.import_module(sys.argv[0])\n"
    )
    result = cribo(tmp_path, "bundle", "--stdout")
    assert result.returncode == 8 and result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == ["main.py:3:1", "helper.py:1:1"]
    assert "strict: 2 warnings at bundle time" in result.stderr
    verified = cribo(tmp_path, "verify", "--quiet")
    assert verified.returncode == 8 and "helper.py:1:1: error:" in verified.stderr
    assert cribo(tmp_path, "bundle", "--no-strict").returncode == 0
    assert output.read_bytes() != before


def test_strict_passes_a_bundle_without_warnings(tmp_path):
    write_project(tmp_path, STRICT_PROJECT)
    result = bundle(tmp_path, "--strict")
    assert result.returncode == 0 and result.stderr == ""


def test_no_fixture_warns_of_an_unprovided_import(tmp_path):
    """Optional imports (try, version checks) and a relative ``__import__(.., 1)``
    are no false alarms; the fixtures hold many of them."""
    noisy = []
    for fixture in all_fixtures():
        if sys.version_info < fixture.min_python:
            continue  # syntax this interpreter cannot parse
        warnings = bundle_project(fixture.config(output=tmp_path / "out.py")).warnings
        noisy += [f"{fixture.name}: {w}" for w in warnings if UNPROVIDED in w.message]
    assert noisy == []


@pytest.mark.integration
def test_no_real_world_scenario_warns_of_an_unprovided_import(tmp_path):
    """Real packages import many optional things (``OpenSSL`` in urllib3's contrib,
    ``IPython`` in rich, ``StringIO`` under six's PY2 branch): none may warn."""
    from realworld.runner import all_scenarios, assemble

    noisy = []
    for scenario in all_scenarios():
        project = assemble(scenario, tmp_path / scenario.name)
        config = Fixture(scenario.name, project, cribo=scenario.cribo).config(
            output=tmp_path / "o.py"
        )
        warnings = bundle_project(config).warnings
        noisy += [f"{scenario.name}: {w}" for w in warnings if UNPROVIDED in w.message]
    assert noisy == []
