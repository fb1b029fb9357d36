"""Rewrite tables: what each rewrite makes of a module, and what it leaves alone."""

from __future__ import annotations

import ast

import pytest

from cribo_ci.source import Positions
from cribo_ci.transform import apply_edits, collect_edits


def rewrite(source: str) -> str:
    tree = ast.parse(source)
    return apply_edits(source, collect_edits(tree, Positions(source)))


NO_OP = [
    pytest.param("import os\nx = 1\n", id="plain"),
    pytest.param("def f(a: int) -> str:\n    return a\n", id="annotations-without-future"),
    pytest.param("def f():\n    from m import x\n", id="from-import-in-function"),
    pytest.param("from . import m\n", id="relative-import"),
    pytest.param("s = 'from m import *'\n", id="star-import-in-a-string"),
]


@pytest.mark.parametrize("source", NO_OP)
def test_sources_without_rewrites_come_out_unchanged(source):
    assert rewrite(source) == source


REWRITES = [
    pytest.param(
        "from m import *\n",
        "__import__('_cribo').import_star(globals(), 'm', 0)\n",
        id="star",
    ),
    pytest.param(
        "if x:\n    from ..pkg.m import *\n",
        "if x:\n    __import__('_cribo').import_star(globals(), 'pkg.m', 2)\n",
        id="relative-star-in-if",
    ),
    pytest.param(
        "from . import *\n",
        "__import__('_cribo').import_star(globals(), '', 1)\n",
        id="star-from-package",
    ),
    pytest.param(
        "from __future__ import division\n",
        "division = __import__('__future__').division\n",
        id="future",
    ),
    pytest.param(
        "from __future__ import (division,\n    generator_stop)\nx = 1\n",
        "division = __import__('__future__').division; "
        "generator_stop = __import__('__future__').generator_stop \\\n\nx = 1\n",
        id="multi-line-future-keeps-line-count",
    ),
    pytest.param(
        "from __future__ import annotations\ndef f(a: Dict[str,  int]) -> X: pass\n",
        "annotations = __import__('__future__').annotations\n"
        "def f(a: 'Dict[str, int]') -> 'X': pass\n",
        id="future-annotations",
    ),
    pytest.param(
        "from __future__ import annotations\nx: List[\n    int\n] = []\n",
        "annotations = __import__('__future__').annotations\nx: 'List[int]' \\\n \\\n = []\n",
        id="multi-line-annotation-keeps-line-count",
    ),
    pytest.param(
        '"""Doc."""\nx: int = [y := 1 for _ in "a"]\nz: str\nglobal w\n',
        '__doc__ = """Doc."""\nx = [y := 1 for _ in "a"]; '
        "globals().setdefault('__annotations__', {})['x'] = int\n"
        "globals().setdefault('__annotations__', {})['z'] = str\npass\n",
        id="function-form-for-walrus-in-comprehension",
    ),
    pytest.param(
        "from __future__ import annotations\ns: 'quoted' = 1\n",
        "annotations = __import__('__future__').annotations\ns: \"'quoted'\" = 1\n",
        id="string-annotation-is-quoted-again-like-the-compiler",
    ),
]


@pytest.mark.parametrize(("source", "expected"), REWRITES)
def test_rewrites(source, expected):
    result = rewrite(source)
    assert result == expected
    assert result.count("\n") == source.count("\n")
    compile(result, "<rewritten>", "exec")


def test_future_annotation_strings_match_what_the_compiler_stores():
    source = (
        "from __future__ import annotations\n"
        "def f(a: Dict[str, 'X'], *b: int | None, c: list[tuple[int, ...]] = 1) -> A.B[C]: pass\n"
    )
    compiled: dict = {}
    exec(compile(source, "<future>", "exec", dont_inherit=True), compiled)
    rewritten: dict = {}
    exec(compile(rewrite(source), "<rewritten>", "exec", dont_inherit=True), rewritten)
    assert rewritten["f"].__annotations__ == compiled["f"].__annotations__
