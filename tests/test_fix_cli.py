"""``cribo-ci fix`` end to end, one small project per rewrite: the program's
output unbundled before the fix == unbundled after it == bundled after it.
(tox runs this on every Python from 3.9 to 3.13.)"""

from __future__ import annotations

import re
import shutil
import sys
import textwrap
from pathlib import Path

from harness import Run, clean_env, normalise, run_python

PYPROJECT = """\
[project]
name = "demo"
requires-python = ">=3.9"

[tool.cribo]
entry = "main.py"  # the script
output = "dist/app.py"
"""

FILE_READS = {
    "main.py": "import app\nfrom app import text\nprint(app.load())\nprint(text.stats())\n",
    "app/__init__.py": """\
        import os

        HERE = os.path.dirname(os.path.abspath(__file__))


        def load():
            # the greeting, beside the package
            with open(os.path.join(os.path.dirname(__file__), "data", "greeting.txt")) as f:
                return f.read().strip() + " / " + open(os.path.join(HERE, "name.txt"), "rb").read().decode()
        """,
    "app/text.py": """\
        from pathlib import Path


        def stats():
            words = (Path(__file__).parent / "data" / "greeting.txt").read_text(encoding="utf-8")
            raw = Path(__file__).resolve().parent.joinpath("name.txt").read_bytes()
            return len(words.split()), len(raw)
        """,
    "app/data/greeting.txt": "hello bundled world\n",
    "app/name.txt": "cribo",
}

PKG_RESOURCES = {
    "main.py": "from app import res\nres.show()\n",
    "app/__init__.py": "",
    "app/res.py": """\
        import pkg_resources
        from pkg_resources import resource_listdir


        def show():
            print(pkg_resources.resource_string(__name__, "data/a.txt").decode().strip())
            with pkg_resources.resource_stream(__name__, "data/b.bin") as stream:
                print(stream.read())
            print(pkg_resources.resource_exists(__name__, "data/a.txt"))
            print(pkg_resources.resource_exists(__name__, "data/none.txt"))
            print(pkg_resources.resource_isdir(__name__, "data"))
            print(sorted(resource_listdir(__name__, "data")))
            with open(pkg_resources.resource_filename(__name__, "data/a.txt")) as f:
                print(f.read().upper().strip())
        """,
    "app/data/a.txt": "alpha\n",
    "app/data/b.bin": "\x00\x01",
}

COMPUTED_IMPORTS = {
    "main.py": "import app\nfor name in ('one', 'two'):\n    print(app.plugin(name))\n",
    "app/__init__.py": """\
        import importlib


        def plugin(name):
            return importlib.import_module(f"{__name__}.plugins.{name}").VALUE
        """,
    "app/plugins/__init__.py": "",
    "app/plugins/one.py": "VALUE = 'plugin one'\n",
    "app/plugins/two.py": "VALUE = 'plugin two'\n",
}


def make_project(folder: Path, files: dict, pyproject: str = PYPROJECT) -> Path:
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(pyproject)
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return folder


def cribo(project: Path, *args: str) -> Run:
    return run_python(["-m", "cribo_ci", *args], project, env=clean_env())


# pkg_resources warns that it is deprecated when imported: the fix removes
# that import, so the runs compare without the warning.
QUIET = clean_env(PYTHONWARNINGS="ignore::UserWarning,ignore::DeprecationWarning")


def run_program(folder: Path, name: str) -> Run:
    return normalise(run_python([name], folder, env=QUIET), folder)


def run_alone(bundle: Path, folder: Path) -> Run:
    folder.mkdir()
    shutil.copy(bundle, folder / "main.py")
    return normalise(run_python(["main.py"], folder, env=QUIET), folder)


def fixed_project_runs_alike(tmp_path: Path, files: dict) -> tuple[Run, Path]:
    project = make_project(tmp_path / "project", files)
    before = run_program(project, "main.py")
    assert before.exit_code == 0 and before.stdout, before.stderr
    fixed = cribo(project, "fix")
    assert fixed.exit_code == 1, fixed.stdout + fixed.stderr
    again = cribo(project, "fix")
    assert (again.exit_code, again.stdout) == (0, ""), again.stdout + again.stderr
    after = run_program(project, "main.py")
    bundled = cribo(project, "bundle", "--quiet")
    assert bundled.exit_code == 0, bundled.stderr
    alone = run_alone(project / "dist" / "app.py", tmp_path / "alone")
    assert before == after == alone
    return fixed, project


def test_file_reads_fixed_run_alike_and_bundle_without_warnings(tmp_path):
    fixed, project = fixed_project_runs_alike(tmp_path, FILE_READS)
    assert fixed.stdout.splitlines() == [
        'app/__init__.py:8: open(os.path.join(os.path.dirname(__file__), "data", "greeting.txt"))'
        ' -> files(__name__).joinpath("data").joinpath("greeting.txt").open()',
        'app/__init__.py:9: open(os.path.join(HERE, "name.txt"), "rb")'
        ' -> files(__name__).joinpath("name.txt").open("rb")',
        'app/text.py:5: (Path(__file__).parent / "data" / "greeting.txt").read_text(encoding="utf-8")'
        ' -> files(__package__).joinpath("data").joinpath("greeting.txt").read_text(encoding="utf-8")',
        'app/text.py:6: Path(__file__).resolve().parent.joinpath("name.txt").read_bytes()'
        ' -> files(__package__).joinpath("name.txt").read_bytes()',
    ]
    bundled = cribo(project, "bundle", "--quiet")
    # HERE's own line still builds a path from __file__ (no longer read, kept as written)
    assert [line.split(": ")[0] for line in bundled.stderr.splitlines()] == ["app/__init__.py:4:24"]


def test_pkg_resources_fixed_run_alike(tmp_path):
    fixed, project = fixed_project_runs_alike(tmp_path, PKG_RESOURCES)
    assert len(fixed.stdout.splitlines()) == 7
    assert "pkg_resources" not in (project / "app" / "res.py").read_text()


def test_computed_imports_get_an_include_and_then_bundle(tmp_path):
    project = make_project(tmp_path / "unfixed", COMPUTED_IMPORTS)
    cribo(project, "bundle")
    assert run_alone(project / "dist" / "app.py", tmp_path / "unfixed-alone").exit_code == 1
    fixed, project = fixed_project_runs_alike(tmp_path, COMPUTED_IMPORTS)
    assert fixed.stdout == (
        "pyproject.toml: include += ['app.plugins.*'] (for app/__init__.py:5: "
        'importlib.import_module(f"{__name__}.plugins.{name}"))\n'
    )
    assert (project / "pyproject.toml").read_text() == PYPROJECT + 'include = ["app.plugins.*"]\n'


def test_diff_prints_and_writes_nothing(tmp_path):
    project = make_project(tmp_path / "project", FILE_READS)
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    done = cribo(project, "fix", "--diff")
    assert done.exit_code == 1
    assert "--- a/app/text.py\n+++ b/app/text.py\n" in done.stdout
    assert "+from importlib.resources import files\n" in done.stdout
    assert {path: path.read_bytes() for path in project.rglob("*") if path.is_file()} == before


def test_requires_python_3_11_joins_in_one_call(tmp_path):
    pyproject = PYPROJECT.replace(">=3.9", ">=3.11")
    project = make_project(tmp_path / "project", FILE_READS, pyproject)
    assert cribo(project, "fix").exit_code == 1
    assert 'joinpath("data", "greeting.txt")' in (project / "app" / "text.py").read_text()
    if sys.version_info >= (3, 11):
        assert run_program(project, "main.py").exit_code == 0


def test_named_paths_and_a_project_with_nothing_to_fix(tmp_path):
    project = make_project(tmp_path / "project", FILE_READS)
    done = cribo(project, "fix", "app/text.py")
    assert done.exit_code == 1 and all(
        line.startswith("app/text.py:") for line in done.stdout.splitlines()
    )
    assert "__file__" in (project / "app" / "__init__.py").read_text()
    clean = make_project(tmp_path / "clean", {"main.py": "print('hi')\n"})
    assert cribo(clean, "fix") == Run(0, "", "")


def test_a_syntax_error_is_located_and_nothing_is_written(tmp_path):
    project = make_project(tmp_path / "project", FILE_READS)
    (project / "app" / "broken.py").write_text("import os\n__file__ = (\n")
    text = (project / "app" / "text.py").read_text()
    done = cribo(project, "fix", "app/text.py", "app/broken.py")
    assert done.exit_code == 5, done.stderr
    # the bundler's message, from Python's own parser (its words differ by version)
    assert re.match(r"app/broken\.py:[23]:\d+: syntax error: ", done.stderr), done.stderr
    assert (project / "app" / "text.py").read_text() == text
