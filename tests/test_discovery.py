"""Modules found without configuration: named by strings, by resources calls,
parents of what the bundle holds; and the hints where nothing can be found."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli_bundle import invoke

from cribo_ci.model import ImportRecord
from cribo_ci.named import names_in_strings
from cribo_ci.resolve import resolve_graph
from harness import write_project


def strings_in(code: str) -> list[tuple[str, bool]]:
    named, _ = names_in_strings(list(ast.walk(ast.parse(code))))
    return [(each.name, each.prefix) for each in named]


@pytest.mark.parametrize(
    ("code", "found"),
    [
        pytest.param("X = 'pkg.mod'", [("pkg.mod", False)], id="dotted"),
        pytest.param("X = 'pkg.mod.Class'", [("pkg.mod.Class", False)], id="attribute"),
        pytest.param("X = 'pkg.mod:func'", [("pkg.mod", False)], id="entry-point"),
        pytest.param("X = 'pkg.plugins.' + name", [("pkg.plugins", True)], id="prefix"),
        pytest.param("X = f'pkg.lexers.{name}'", [("pkg.lexers", True)], id="f-string"),
        pytest.param("X = 'ünï.mod'", [("ünï.mod", False)], id="non-ascii"),
        pytest.param("X = ('a.b', 'a.b', 'a.b.')", [("a.b", False), ("a.b", True)], id="once"),
    ],
)
def test_strings_that_read_as_module_names_are_collected(code, found):
    assert strings_in(code) == found


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("'''Loads plugins.mod when asked.'''", id="docstring"),
        pytest.param("__all__ = ['json', 'main', 'helpers']", id="bare-words"),
        pytest.param("log('loading pkg.mod now')", id="message"),
        pytest.param("V = '1.2.3'; W = '.hidden'; Z = 'a..b'", id="not-names"),
        pytest.param("B = b'pkg.mod'", id="bytes"),
        pytest.param("P = 'pkg/mod.py'", id="path"),
    ],
)
def test_other_strings_are_not(code):
    assert strings_in(code) == []


def resource_imports(code: str) -> tuple[ImportRecord, ...]:
    return names_in_strings(list(ast.walk(ast.parse(code))))[1]


def records_of(code: str) -> list[str]:
    return [record.name for record in resource_imports(code)]


@pytest.mark.parametrize(
    "code",
    [
        "import importlib.resources\nimportlib.resources.files('data')",
        "from importlib.resources import files\nfiles('data').joinpath('x')",
        "from importlib.resources import read_text as rt\nrt('data', 'x.txt')",
        "from importlib import resources\nresources.open_binary('data', 'x')",
        "import importlib.resources as ir\nir.path('data', 'x')",
        "import importlib_resources\nimportlib_resources.files('data')",
        "import pkgutil\npkgutil.get_data('data', 'x.txt')",
        "from pkgutil import get_data\nget_data('data', 'x.txt')",
    ],
)
def test_a_package_named_in_a_resources_call_is_imported(code):
    assert records_of(code) == ["data"]


@pytest.mark.parametrize(
    "code",
    [
        "Path('x').read_text('utf-8')",  # pathlib's read_text takes an encoding
        "files('data')",  # a function of another origin
        "shelf.files('data')",
        "import importlib.resources\nimportlib.resources.files(__package__)",
        "import importlib.resources\nimportlib.resources.files('.data')",
    ],
)
def test_other_calls_are_not(code):
    assert records_of(code) == []


def test_resource_import_is_an_ordinary_record():
    (record,) = resource_imports("import pkgutil\npkgutil.get_data('d', 'x')")
    assert record == ImportRecord("d", 0, (), 2, 0)


PLUGINS = {
    "main.py": (
        "'''Mentions app.plugins.alpha in prose.'''\n"
        "import logging, app\n"
        "__all__ = ['helpers', 'app']\n"
        "logging.info('app.plugins.beta is loaded later')\n"
        "TABLE = {'gamma': 'app.plugins.gamma.Plugin', 'delta': 'app.plugins.delta:run'}\n"
        "EXTRAS = 'app.extras.'\n"
        "OUTSIDE = ('os.path', 'json.decoder', 'e.g.', 'helpers.py', 'app.nothing.here')\n"
        "SKIPPED = 'app.plugins.epsilon'\n"
    ),
    "helpers.py": "",
    "app/__init__.py": "",
    "app/plugins/__init__.py": "",
    **{f"app/plugins/{name}.py": "" for name in ("alpha", "beta", "gamma", "delta", "epsilon")},
    "app/extras/__init__.py": "",
    "app/extras/one.py": "",
    "app/extras/deep/__init__.py": "",
    "app/extras/deep/two.py": "",
}


def test_only_strings_that_name_first_party_modules_bring_them(tmp_path):
    project = write_project(tmp_path, PLUGINS)
    graph = resolve_graph(project / "main.py", exclude=("app.plugins.epsilon",))
    reasons = {module.name: module.reason for module in graph.modules}
    assert reasons == {
        "main": "entry",
        "app": "import by main line 2",
        "app.plugins": "parent of app.plugins.gamma",
        "app.plugins.gamma": "named by string at main.py:5",
        "app.plugins.delta": "named by string at main.py:5",
        "app.extras": "named by string at main.py:6",
        "app.extras.one": "named by string at main.py:6",
        "app.extras.deep": "named by string at main.py:6",
        "app.extras.deep.two": "named by string at main.py:6",
    }
    # Strings never make externals: no requirement comes of 'os.path' or 'e.g.'.
    assert dict(graph.externals) == {"logging": "stdlib"}


def test_every_bundled_module_brings_its_parents(tmp_path):
    project = write_project(
        tmp_path,
        {"main.py": "", "a/__init__.py": "", "a/b/__init__.py": "", "a/b/c.py": ""},
    )
    graph = resolve_graph(project / "main.py", include=("a.b.c",))
    reasons = {module.name: module.reason for module in graph.modules}
    assert reasons == {
        "main": "entry",
        "a.b.c": "include 'a.b.c'",
        "a.b": "parent of a.b.c",
        "a": "parent of a.b",
    }


def test_include_globs_match_file_names_that_are_not_identifiers(tmp_path):
    names = ["it's", 'a"b', "ünï", "my-mod", "class"]
    files = {f"pkg/{name}.py": "" for name in names}
    project = write_project(tmp_path, {"main.py": "", "pkg/__init__.py": "", **files})
    (project / "pkg" / "not.a.module.py").write_text("")
    graph = resolve_graph(project / "main.py", include=("pkg.*",))
    assert sorted(m.name for m in graph.modules) == sorted(
        ["main", "pkg", *(f"pkg.{name}" for name in names)]
    )


def test_verbose_says_why_without_line_zero(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "include_parent_package"
    out = tmp_path / "out.py"
    result = invoke(
        "bundle",
        "-e",
        str(fixture / "main.py"),
        "-o",
        str(out),
        "-v",
        "--include",
        "pkg.*",
        cwd=fixture,
    )
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert "pkg.plug: include 'pkg.*'" in lines
    assert 'pkg: parent of pkg.a"b' in lines
    assert not any("line 0" in line for line in lines)


COMPUTED = "import importlib, sys\n\n\ndef load(name):\n    return importlib.import_module(name)\n"


def warning_of(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if "computed name" in line]
    return line


def test_a_top_level_computed_import_says_it_cannot_be_known(tmp_path):
    project = write_project(tmp_path, {"main.py": COMPUTED + "load(sys.argv[1])\n"})
    result = invoke("bundle", "-e", "main.py", "--stdout", cwd=project)
    warning = warning_of(result.stderr)
    assert "cannot be known statically" in warning
    assert "`cribo-ci verify --add-includes`" in warning
    assert "NAME" not in warning and "include = [" not in warning


@pytest.mark.parametrize("package", ["plugins", "it's"])
def test_a_suggested_include_works_as_pasted(package, tmp_path):
    """The hint's flag and its TOML line, pasted as they are, bundle the plugin."""
    project = write_project(
        tmp_path,
        {
            "main.py": f"import sys\nfrom importlib import import_module\n"
            f"print(import_module({package + '.loader'!r}).load(sys.argv[1]).NAME)\n",
            f"{package}/__init__.py": "",
            f"{package}/loader.py": COMPUTED,
            f"{package}/extra.py": "NAME = 'extra plugin'\n",
        },
    )
    result = invoke("bundle", "-e", "main.py", "--stdout", cwd=project)
    warning = warning_of(result.stderr)
    flag = warning.split("or `")[1].split("`")[0]  # `--include '...'`
    toml = warning.split("add `")[1].split("`")[0]  # `include = [...]`
    plugin = f"{package}.extra"
    pasted = subprocess.run(
        f"{sys.executable} -m cribo_ci bundle -e main.py -o flag.py {flag}",
        shell=True, cwd=project, capture_output=True, text=True,
    )  # fmt: skip
    assert pasted.returncode == 0, pasted.stderr
    (project / "pyproject.toml").write_text(f"[tool.cribo]\n{toml}\n", encoding="utf-8")
    configured = invoke("bundle", "-e", "main.py", "-o", "toml.py", cwd=project)
    assert configured.exit_code == 0, configured.output
    for bundle in ("flag.py", "toml.py"):
        alone = tmp_path / f"alone-{bundle}"
        alone.mkdir()
        (alone / "b.py").write_bytes((project / bundle).read_bytes())
        run = subprocess.run(
            [sys.executable, "b.py", plugin], cwd=alone, capture_output=True, text=True
        )
        assert (run.returncode, run.stdout) == (0, "extra plugin\n"), run.stderr


def test_an_exact_include_wins_over_an_exclude_glob(tmp_path):
    """Strings name every plugin; an exclude glob keeps them out, and the one
    the program loads is included by name."""
    project = write_project(
        tmp_path,
        {
            "main.py": "TABLE = ['app.plugins.one', 'app.plugins.two', 'app.plugins.three']\n",
            "app/__init__.py": "",
            "app/plugins/__init__.py": "",
            **{f"app/plugins/{name}.py": "" for name in ("one", "two", "three")},
        },
    )
    graph = resolve_graph(
        project / "main.py",
        include=("app.plugins.two", "app.plugins.t*"),
        exclude=("app.plugins.*",),
    )
    assert [m.name for m in graph.modules] == ["app", "app.plugins", "app.plugins.two", "main"]
