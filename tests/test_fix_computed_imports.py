"""ComputedImports finds the ``include`` a computed import needs; the config
gets it through tomlkit, layout kept; the oldest Python comes from the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from cribo_ci.config_edit import with_includes
from cribo_ci.fix import FixContext, fix_module
from cribo_ci.fix.target import oldest_python

INIT = FixContext("app/__init__.py", "__name__", "app", "app")
MODULE = FixContext("app/loader.py", "__package__", "app.loader", "app")
ENTRY = FixContext("app/__main__.py", "__package__", None, "app")


def globs(source: str, context: FixContext = INIT) -> list[str]:
    result = fix_module(source.encode(), context)
    assert result.text == source.encode() and not result.changes  # never rewritten
    return [found.glob for found in result.includes]


FOUND = [
    pytest.param(
        "import importlib\nm = importlib.import_module(f'{__name__}.plugins.{n}')\n",
        INIT,
        "app.plugins.*",
        id="fstring-of-__name__",
    ),
    pytest.param(
        "from importlib import import_module\nm = import_module(__package__ + '.styles.' + n)\n",
        MODULE,
        "app.styles.*",
        id="concatenation-of-__package__",
    ),
    pytest.param(
        "PLUGINS = 'app.plugins'\nm = __import__(PLUGINS + '.' + n)\n",
        MODULE,
        "app.plugins.*",
        id="module-constant",
    ),
    pytest.param(
        "import importlib\nm = importlib.import_module(f'{__package__}.{n}')\n",
        ENTRY,
        "app.*",
        id="package-entry",
    ),
]


@pytest.mark.parametrize(("source", "context", "glob"), FOUND)
def test_computed_imports_under_a_nameable_package_want_an_include(source, context, glob):
    assert globs(source, context) == [glob]


NOT_FOUND = [
    pytest.param("import importlib\nimportlib.import_module('app.plugins.' + n)\n", id="literal"),
    pytest.param("import importlib\nimportlib.import_module(name)\n", id="no-prefix"),
    pytest.param("import importlib\nimportlib.import_module(f'{__name__}{n}')\n", id="no-dot"),
    pytest.param(
        "import importlib\nP = 'a'\nP = 'b'\nimportlib.import_module(P + '.' + n)\n",
        id="constant-rebound",
    ),
    pytest.param("import_module(f'{__name__}.{n}')\n", id="not-importlib"),
]


@pytest.mark.parametrize("source", NOT_FOUND)
def test_other_dynamic_imports_want_nothing(source):
    assert globs(source) == []


def test_the_entry_script_name_is_not_its_module_name():
    source = "import importlib\nimportlib.import_module(f'{__name__}.plugins.{n}')\n"
    assert globs(source, ENTRY) == []  # __name__ is "__main__" there


PYPROJECT = """\
[project]
name = "demo"  # the project

[tool.cribo]
entry = "main.py"
# bundled even when nothing imports them
include = [
    "app.extra",  # kept
]

[tool.ruff]
line-length = 100
"""


def test_includes_are_appended_keeping_comments_and_layout():
    text = with_includes(PYPROJECT, Path("pyproject.toml"), ["app.plugins.*"])[0]
    assert text == PYPROJECT.replace(
        '    "app.extra",  # kept\n', '    "app.extra",  # kept\n    "app.plugins.*",\n'
    )


def test_a_missing_include_key_and_table_are_added():
    text = with_includes('[tool.cribo]\nentry = "m.py"\n', Path("pyproject.toml"), ["a.*"])[0]
    assert text == '[tool.cribo]\nentry = "m.py"\ninclude = ["a.*"]\n'
    text = with_includes("[project]\nname = 'x'\n", Path("pyproject.toml"), ["a.*"])[0]
    assert text.startswith("[project]\nname = 'x'\n") and '[tool.cribo]\ninclude = ["a.*"]' in text
    text = with_includes('[bundler]\nentry = "m.py"\n', Path("cribo.toml"), ["a.*"])[0]
    assert text == '[bundler]\nentry = "m.py"\ninclude = ["a.*"]\n'


@pytest.mark.parametrize(
    ("versions", "requires", "oldest"),
    [
        ((), ">=3.9", (3, 9)),
        ((), ">=3.11, <4", (3, 11)),
        ((), "~=3.10", (3, 10)),
        ((), ">3.8", (3, 8)),
        (("3.12", "3.10"), ">=3.9", (3, 10)),
        ((), None, (3, 9)),
    ],
)
def test_the_oldest_python(versions, requires, oldest):
    assert oldest_python(versions, requires) == oldest


def test_a_cribo_toml_in_cribos_format_gets_the_include_at_its_top_level():
    cribo = '# Cribo\nentry = "m.py"\ntree_shake = true\n'
    text = with_includes(cribo, Path("cribo.toml"), ["a.*"])[0]
    assert text == cribo + 'include = ["a.*"]\n'
