"""PkgResourcesCalls: ``pkg_resources`` resource calls -> ``importlib.resources``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cribo_ci.fix import FixContext, fix_module

CONTEXT = FixContext(
    "pkg/data.py",
    "__package__",
    "pkg.data",
    "pkg",
    packages=frozenset({"pkg", "pkg.sub"}),
    modules=frozenset({"pkg.data", "pkg.sub.mod"}),
)
IMPORT = "import pkg_resources\n"
FILES = "from importlib.resources import files\n"


def fix(source: str, context: FixContext = CONTEXT):
    return fix_module(source.encode(), context)


def fixed(source: str, context: FixContext = CONTEXT) -> str:
    return fix(source, context).text.decode()


REWRITES = [
    pytest.param(
        IMPORT + "b = pkg_resources.resource_string(__name__, 'x.json')\n",
        FILES + "b = files(__package__).joinpath('x.json').read_bytes()\n",
        id="resource_string",
    ),
    pytest.param(
        IMPORT + "s = pkg_resources.resource_stream(__name__, 'd/x.bin')\n",
        FILES + "s = files(__package__).joinpath('d').joinpath('x.bin').open(\"rb\")\n",
        id="resource_stream",
    ),
    pytest.param(
        IMPORT + "e = pkg_resources.resource_exists(__package__, 'x')\n",
        FILES + "e = files(__package__).joinpath('x').exists()\n",
        id="resource_exists",
    ),
    pytest.param(
        IMPORT + "d = pkg_resources.resource_isdir(__name__, '')\n",
        FILES + "d = files(__package__).is_dir()\n",
        id="resource_isdir-of-the-folder",
    ),
    pytest.param(
        IMPORT + "n = pkg_resources.resource_listdir(__name__, 'd')\n",
        FILES + "n = [entry.name for entry in files(__package__).joinpath('d').iterdir()]\n",
        id="resource_listdir",
    ),
    pytest.param(
        IMPORT + "f = open(pkg_resources.resource_filename(__name__, 'x.txt'), encoding='utf-8')\n",
        FILES + "f = files(__package__).joinpath('x.txt').open(encoding='utf-8')\n",
        id="resource_filename-opened-at-once",
    ),
    pytest.param(
        "from pkg_resources import resource_string as rs\nb = rs('pkg.sub', 'x')\n",
        FILES + "b = files('pkg.sub').joinpath('x').read_bytes()\n",
        id="from-import-and-a-literal-package",
    ),
    pytest.param(
        IMPORT + "b = pkg_resources.resource_string('pkg.sub.mod', 'x')\n",
        FILES + "b = files('pkg.sub').joinpath('x').read_bytes()\n",
        id="a-module-name-reads-its-package",
    ),
    pytest.param(
        IMPORT + "b = pkg_resources.resource_string(__name__, 'x')\n"
        "d = pkg_resources.get_distribution('attrs')\n",
        FILES + IMPORT + "b = files(__package__).joinpath('x').read_bytes()\n"
        "d = pkg_resources.get_distribution('attrs')\n",
        id="the-import-stays-while-read-after-the-stdlib-one",
    ),
]


@pytest.mark.parametrize(("before", "after"), REWRITES)
def test_pkg_resources_calls_become_importlib_resources(before, after):
    assert fixed(before) == after
    assert fixed(after) == after


def test_package_init_reads_its_own_folder_by___name__():
    init = replace(CONTEXT, relpath="pkg/__init__.py", package_expr="__name__", module_name="pkg")
    source = IMPORT + "b = pkg_resources.resource_string(__name__, 'x')\n"
    assert fixed(source, init) == FILES + "b = files(__name__).joinpath('x').read_bytes()\n"


LEFT_ALONE = [
    pytest.param(IMPORT + "p = pkg_resources.resource_filename(__name__, 'x')\n", id="filename"),
    pytest.param(
        IMPORT + "f = open(pkg_resources.resource_filename(__name__, 'x'), 'w')\n",
        id="filename-opened-for-writing",
    ),
    pytest.param(IMPORT + "b = pkg_resources.resource_string('attr', 'x')\n", id="third-party"),
    pytest.param(IMPORT + "b = pkg_resources.resource_string(__name__, name)\n", id="computed"),
    pytest.param(IMPORT + "b = pkg_resources.resource_string(__name__, '../x')\n", id="outside"),
    pytest.param(IMPORT + "b = pkg_resources.resource_string(__name__, '')\n", id="no-file"),
    pytest.param(
        IMPORT + "b = pkg_resources.resource_string(__name__, resource_name='x')\n", id="keyword"
    ),
    pytest.param(
        "from mylib import pkg_resources\nb = pkg_resources.resource_string(__name__, 'x')\n",
        id="not-the-real-pkg_resources",
    ),
]


@pytest.mark.parametrize("source", LEFT_ALONE)
def test_calls_without_a_certain_equivalent_are_left_alone(source):
    assert fixed(source) == source


def test_resource_filename_left_alone_says_why():
    result = fix(IMPORT + "\np = pkg_resources.resource_filename(__name__, 'x')\n")
    [kept] = result.kept
    assert (kept.line, kept.column) == (3, 4) and "as_file" in kept.message


def test_a_script_has_no_package():
    script = replace(CONTEXT, relpath="main.py", package_expr=None, module_name=None)
    source = IMPORT + "b = pkg_resources.resource_string(__name__, 'x')\n"
    result = fix(source, script)
    assert result.text.decode() == source and "top-level module" in result.kept[0].message
