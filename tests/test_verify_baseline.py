"""No false greens from ``verify``: the unbundled run is checked first, the modules a
run imports must be in the bundle, and failures say what to change (issue: holes 1
and 6, and the stale bundle's diff)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from test_verify_cli import invoke

from harness import write_project

MISSING_DEPENDENCY = {
    "main.py": "import cribo_dependency_not_installed\n\nprint('never')\n",
    "pyproject.toml": '[tool.cribo]\nentry = "main.py"\noutput = "dist/app.py"\n',
}


def bundled(folder: Path, files: dict) -> Path:
    write_project(folder, files)
    done = invoke(folder, "bundle")
    assert done.exit_code == 0, done.output
    return folder


def test_both_runs_failing_the_same_way_is_not_a_pass(tmp_path):
    bundled(tmp_path, MISSING_DEPENDENCY)
    result = invoke(tmp_path, "verify", "--skip", "lint")
    assert result.exit_code == 11, result.output
    assert "FAIL case 1: no arguments: the unbundled program itself failed" in result.stdout
    assert "exit code 1, expected 0" in result.stdout
    assert "No module named 'cribo_dependency_not_installed'" in result.stdout
    assert "additional_dependencies" in result.stdout and "`install` input" in result.stdout


def test_an_expected_failure_still_compares_both_runs(tmp_path):
    cases = "\n[[tool.cribo.verify.cases]]\nexpect-exit = 1\n"
    files = {**MISSING_DEPENDENCY, "pyproject.toml": MISSING_DEPENDENCY["pyproject.toml"] + cases}
    bundled(tmp_path, files)
    result = invoke(tmp_path, "verify", "--skip", "lint")
    assert result.exit_code == 0, result.output
    assert "ok   case 1: no arguments: same exit code (1), stdout and stderr" in result.stdout


OPTIONAL_SPEEDUPS = """\
import importlib

from tools import helper


def optional(name):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


speedups = optional(".".join(["tools", "speedups"]))  # no string names the module
print((speedups or helper).shout("hello"))
"""
SPEEDUPS_FILES = {
    "main.py": OPTIONAL_SPEEDUPS,
    "tools/__init__.py": "",
    "tools/helper.py": "def shout(text):\n    return text.upper() + '!'\n",
    "tools/speedups.py": "def shout(text):\n    return text.upper() + '!'\n",
}
PYPROJECT = """\
[project]
name = "demo"  # the project's own table stays as it is

[tool.cribo]
# where the bundle goes
entry = "main.py"
output = "dist/app.py"
exclude = [
    "tools.unused",  # kept as an import
]
"""


def test_a_module_the_run_imported_and_the_bundle_lacks_is_named(tmp_path):
    """The fallback hides the missing module from the output: only the record of the
    unbundled run's imports can tell."""
    bundled(tmp_path, {**SPEEDUPS_FILES, "pyproject.toml": PYPROJECT})
    result = invoke(tmp_path, "verify", "--skip", "lint")
    assert result.exit_code == 11, result.output
    assert "FAIL imports: 1 first-party module the runs imported is not in the bundle" in (
        result.stdout
    )
    assert "tools.speedups" in result.stdout
    assert 'include = ["tools.speedups"]' in result.stdout


def test_add_includes_writes_the_config_keeping_its_comments_and_verify_then_passes(tmp_path):
    bundled(tmp_path, {**SPEEDUPS_FILES, "pyproject.toml": PYPROJECT})
    result = invoke(tmp_path, "verify", "--skip", "lint", "--add-includes")
    assert result.exit_code == 0, result.output
    assert 'added to pyproject.toml: include = ["tools.speedups"]' in result.stderr
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith(PYPROJECT.rstrip("\n")), text  # every line kept, comments too
    assert re.search(r'^include = \["tools\.speedups"\]$', text, re.M), text
    again = invoke(tmp_path, "verify", "--skip", "lint")
    assert again.exit_code == 0, again.output
    assert "ok   imports:" in again.stdout


def test_add_includes_extends_an_existing_bundler_table_in_cribo_toml(tmp_path):
    cribo = textwrap.dedent("""\
        # bundler settings
        [bundler]
        entry = "main.py"   # the script
        output = "dist/app.py"
        include = ["tools.helper"]  # listed by hand
        """)
    bundled(tmp_path, {**SPEEDUPS_FILES, "cribo.toml": cribo})
    result = invoke(tmp_path, "verify", "--skip", "lint", "--add-includes")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "cribo.toml").read_text()
    assert "# bundler settings" in text and 'entry = "main.py"   # the script' in text
    assert 'include = ["tools.helper", "tools.speedups"]  # listed by hand' in text, text
    assert invoke(tmp_path, "verify", "--skip", "lint").exit_code == 0


def test_add_includes_writes_the_top_level_of_a_cribo_toml_in_cribos_format(tmp_path):
    cribo = textwrap.dedent("""\
        # Cribo's format: every key at the top level
        entry = "main.py"
        output = "dist/app.py"
        tree_shake = true
        """)
    bundled(tmp_path, {**SPEEDUPS_FILES, "cribo.toml": cribo})
    result = invoke(tmp_path, "verify", "--skip", "lint", "--add-includes")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "cribo.toml").read_text()
    assert text.startswith(cribo) and "[bundler]" not in text, text
    assert 'include = ["tools.speedups"]' in text, text
    assert invoke(tmp_path, "verify", "--skip", "lint").exit_code == 0


COMPUTED_IMPORT = """\
import importlib

import tools.helper

name = ".".join(["tools", "speedups"])  # no string names the module
module = importlib.import_module(name)
print(module.shout("hello") == tools.helper.shout("hello"))
"""


def test_a_missing_module_in_the_bundles_stderr_points_at_the_bundle_time_warning(tmp_path):
    files = {**SPEEDUPS_FILES, "main.py": COMPUTED_IMPORT, "pyproject.toml": PYPROJECT}
    bundled(tmp_path, files)
    result = invoke(tmp_path, "verify", "--skip", "lint")
    assert result.exit_code == 11, result.output
    assert "No module named 'tools.speedups'" in result.stdout
    assert "main.py:6:10: warning: import_module() of a computed name" in result.stdout
    assert 'include = ["tools.speedups"]' in result.stdout


def test_a_stale_bundles_diff_summarises_modules_and_never_prints_the_map(tmp_path):
    files = {**SPEEDUPS_FILES, "main.py": "from tools import helper\nprint(helper.shout('a'))\n"}
    bundled(tmp_path, {**files, "pyproject.toml": PYPROJECT})
    (tmp_path / "tools" / "helper.py").write_text(
        "from . import speedups\n\ndef shout(text):\n    return speedups.shout(text)\n"
    )
    result = invoke(tmp_path, "verify", "--skip", "lint", "--skip", "cases")
    assert result.exit_code == 11, result.output
    assert "added: tools.speedups" in result.stdout and "changed: tools.helper" in result.stdout
    assert re.search(r"the map differs \(\d+ bytes -> \d+ bytes\)", result.stdout), result.stdout
    assert '"mappings"' not in result.stdout and max(map(len, result.stdout.splitlines())) < 300
    check = invoke(tmp_path, "bundle", "--check")
    assert check.exit_code == 10 and "added: tools.speedups" in check.stderr, check.output


def test_the_record_survives_a_run_that_ends_with_os_exit(tmp_path):
    """No atexit runs after os._exit: each module is recorded as it starts."""
    main = OPTIONAL_SPEEDUPS.replace(
        "import importlib\n", "import importlib\nimport os\nimport sys\n"
    )
    main += "sys.stdout.flush()\nos._exit(0)\n"
    bundled(tmp_path, {**SPEEDUPS_FILES, "main.py": main, "pyproject.toml": PYPROJECT})
    result = invoke(tmp_path, "verify", "--skip", "lint", "--json")
    assert result.exit_code == 11, result.output
    assert '"missing_modules": [\n    "tools.speedups"\n  ]' in result.stdout
