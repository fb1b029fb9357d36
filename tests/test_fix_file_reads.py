"""FileDataReads: reads of data beside ``__file__`` -> ``importlib.resources``."""

from __future__ import annotations

import pytest

from cribo_ci.fix import FixContext, fix_module

IN_PACKAGE = FixContext("pkg/data.py", "__package__", "pkg.data", "pkg")
INIT = FixContext("pkg/__init__.py", "__name__", "pkg", "pkg")
TOP_LEVEL = FixContext("tool.py", None, "tool", None)


def fix(source: str, context: FixContext = IN_PACKAGE, oldest=(3, 9)):
    from dataclasses import replace

    return fix_module(source.encode(), replace(context, oldest_python=oldest))


def fixed(source: str, context: FixContext = IN_PACKAGE, oldest=(3, 9)) -> str:
    return fix(source, context, oldest).text.decode()


OS = "import os\n"
REWRITES = [
    pytest.param(
        OS + "x = open(os.path.join(os.path.dirname(__file__), 'x.json'))\n",
        "from importlib.resources import files\nx = files(__package__).joinpath('x.json').open()\n",
        IN_PACKAGE,
        id="open-join-dirname-and-the-unread-os-import-dropped",
    ),
    pytest.param(
        OS + "x = open(os.path.join(os.path.dirname(__file__), 'x.json'))\nos.getcwd()\n",
        "import os\nfrom importlib.resources import files\n"
        "x = files(__name__).joinpath('x.json').open()\nos.getcwd()\n",
        INIT,
        id="package-init-uses-__name__",
    ),
    pytest.param(
        OS + "x = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'd', 'x'), 'rb')\n",
        "from importlib.resources import files\n"
        "x = files(__package__).joinpath('d').joinpath('x').open('rb')\n",
        IN_PACKAGE,
        id="abspath-binary-chained-joinpath-on-3.9",
    ),
    pytest.param(
        OS
        + "t = open(os.path.join(os.path.dirname(__file__), 'd/x.txt'), encoding='utf-8').read()\n",
        "from importlib.resources import files\n"
        "t = files(__package__).joinpath('d').joinpath('x.txt').open(encoding='utf-8').read()\n",
        IN_PACKAGE,
        id="slash-split-and-encoding-kept",
    ),
    pytest.param(
        "from pathlib import Path\nt = (Path(__file__).parent / 'x.txt').read_text()\n",
        "from importlib.resources import files\nt = files(__package__).joinpath('x.txt').read_text()\n",
        IN_PACKAGE,
        id="path-parent-read-text",
    ),
    pytest.param(
        "import pathlib\nb = pathlib.Path(__file__).resolve().parent.joinpath('a', 'b.bin').read_bytes()\n",
        "from importlib.resources import files\n"
        "b = files(__package__).joinpath('a').joinpath('b.bin').read_bytes()\n",
        IN_PACKAGE,
        id="resolve-joinpath-read-bytes",
    ),
    pytest.param(
        "from pathlib import Path\nwith (Path(__file__).parent / 'x').open('rb') as f:\n    pass\n",
        "from importlib.resources import files\n"
        "with files(__package__).joinpath('x').open('rb') as f:\n    pass\n",
        IN_PACKAGE,
        id="path-open",
    ),
    pytest.param(
        '"""Doc."""\n'
        "from __future__ import annotations\n\nimport os.path\n\nimport attr\n\n"
        "HERE = os.path.dirname(__file__)\n\n\ndef load():\n"
        '    # the table\n    return open(os.path.join(HERE, "t.csv"), newline="")\n',
        '"""Doc."""\n'
        "from __future__ import annotations\n\nimport os.path\n"
        "from importlib.resources import files\n\nimport attr\n\n"
        "HERE = os.path.dirname(__file__)\n\n\ndef load():\n"
        '    # the table\n    return files(__package__).joinpath("t.csv").open(newline="")\n',
        IN_PACKAGE,
        id="module-constant-folder-comments-and-layout-kept",
    ),
    pytest.param(
        "from os.path import dirname, join\nfrom importlib.resources import files as res\n"
        "d = open(join(dirname(__file__), 'x'))\n",
        "from importlib.resources import files as res\nd = res(__package__).joinpath('x').open()\n",
        IN_PACKAGE,
        id="from-imports-and-an-existing-files-import",
    ),
    pytest.param(
        OS + "files = []\nx = open(os.path.join(os.path.dirname(__file__), 'x'))\n",
        "import importlib.resources\nfiles = []\n"
        "x = importlib.resources.files(__package__).joinpath('x').open()\n",
        IN_PACKAGE,
        id="the-name-files-taken",
    ),
]


@pytest.mark.parametrize(("before", "after", "context"), REWRITES)
def test_reads_beside_file_become_resource_reads(before, after, context):
    assert fixed(before, context) == after
    assert fixed(after, context) == after  # a second run changes nothing


def test_from_3_11_joinpath_takes_several_parts():
    source = OS + "x = open(os.path.join(os.path.dirname(__file__), 'd', 'x'))\n"
    assert "joinpath('d', 'x').open()" in fixed(source, oldest=(3, 11))
    assert "joinpath('d').joinpath('x').open()" in fixed(source, oldest=(3, 10))


def test_each_change_is_reported_with_its_line():
    result = fix(OS + "\nx = open(\n    os.path.join(os.path.dirname(__file__), 'x'))\n")
    [change] = result.changes
    assert change.line == 3
    assert change.before == "open( os.path.join(os.path.dirname(__file__), 'x'))"
    assert change.after == "files(__package__).joinpath('x').open()"


LEFT_ALONE = [
    pytest.param("import logging\nlogging.info('loaded %s', __file__)\n", id="logging"),
    pytest.param(OS + "print(os.path.dirname(__file__))\n", id="folder-only"),
    pytest.param(
        OS + "open(os.path.join(os.path.dirname(__file__), '..', 'x'))\n", id="outside-dotdot"
    ),
    pytest.param(
        OS + "open(os.path.join(os.path.dirname(os.path.dirname(__file__)), 'x'))\n",
        id="outside-parent-folder",
    ),
    pytest.param(OS + "open(os.path.join(os.path.dirname(__file__), '/etc/x'))\n", id="absolute"),
    pytest.param(OS + "open(os.path.join(os.path.dirname(__file__), name))\n", id="computed-name"),
    pytest.param(OS + "open(os.path.join(os.path.dirname(__file__), 'x'), 'w')\n", id="write"),
    pytest.param(OS + "open(os.path.join(os.path.dirname(__file__), 'x'), 'r+')\n", id="update"),
    pytest.param(
        OS + "open(os.path.join(os.path.dirname(__file__), 'x'), mode)\n", id="unknown-mode"
    ),
    pytest.param(
        OS + "open(os.path.join(os.path.dirname(__file__), 'x'), 'r', 1)\n", id="buffering"
    ),
    pytest.param(
        "from pathlib import Path\n(Path(__file__).parent / 'x').write_text('a')\n", id="path-write"
    ),
    pytest.param(
        "from pathlib import Path\n(Path(__file__).parent / 'x').open('w')\n", id="path-open-write"
    ),
    pytest.param(
        OS + "def f(open):\n    return open(os.path.join(os.path.dirname(__file__), 'x'))\n",
        id="open-shadowed",
    ),
    pytest.param(
        "import os\nos = None\nopen(os.path.join(os.path.dirname(__file__), 'x'))\n",
        id="os-rebound",
    ),
    pytest.param(
        OS + "from helpers import *\nopen(os.path.join(os.path.dirname(__file__), 'x'))\n",
        id="star-import-may-rebind",
    ),
    pytest.param(
        OS + "HERE = os.path.dirname(__file__)\nHERE = '/tmp'\nopen(os.path.join(HERE, 'x'))\n",
        id="folder-name-rebound",
    ),
    pytest.param(
        OS + "files = importlib = 1\nopen(os.path.join(os.path.dirname(__file__), 'x'))\n",
        id="no-name-for-files",
    ),
]


@pytest.mark.parametrize("source", LEFT_ALONE)
def test_code_that_is_not_certainly_a_read_inside_the_package_is_left_alone(source):
    assert fixed(source) == source


def test_a_top_level_module_is_left_alone_with_a_warning():
    source = OS + "open(os.path.join(os.path.dirname(__file__), 'x'))\n"
    result = fix(source, TOP_LEVEL)
    assert result.text.decode() == source
    assert [k.line for k in result.kept] == [2]
    assert "top-level module" in result.kept[0].message


def test_realpath_is_left_alone_when_the_module_is_a_symlink():
    from dataclasses import replace

    source = OS + "open(os.path.join(os.path.dirname(os.path.realpath(__file__)), 'x'))\n"
    assert fixed(source) != source
    assert fixed(source, replace(IN_PACKAGE, file_is_symlink=True)) == source


def test_a_project_on_3_8_gets_no_importlib_resources_files():
    source = OS + "open(os.path.join(os.path.dirname(__file__), 'x'))\n"
    result = fix(source, oldest=(3, 8))
    assert result.text.decode() == source
    assert "needs Python 3.9" in result.kept[0].message


def test_bytes_round_trip_crlf_bom_and_cookie():
    source = "\ufeffimport os\r\nx = open(os.path.join(os.path.dirname(__file__), 'é'))\r\n"
    out = fix_module(source.encode("utf-8"), IN_PACKAGE).text
    assert out.startswith(b"\xef\xbb\xbf") and b"\r\nx = files(__package__)" in out
    latin = (
        "# -*- coding: latin-1 -*-\nimport os\nopen(os.path.join(os.path.dirname(__file__), 'é'))\n"
    )
    out = fix_module(latin.encode("latin-1"), IN_PACKAGE).text
    assert "joinpath('é')".encode("latin-1") in out
