"""Any source Python compiles, cribo-ci bundles: generated deeply nested code.

Each construct is nested ``DEPTH`` levels deep (1,000), or as deep as CPython
3.9-3.13 itself accepts where that is less: 200 brackets (the tokenizer's
"too many nested parentheses" limit) and 97 levels of indentation (the
tokenizer allows 99, and a bundle holds each module 2 levels in; deeper
modules get a located error, tested below). The code sits in an imported
module, in a module of the function form (``symtable``), and in annotations
of a ``from __future__ import annotations`` module (``ast.unparse``); the
bundle must run like the original on the interpreter running the tests (tox
runs this file on each of 3.9-3.13).
"""

from __future__ import annotations

import sys
import time

import pytest

from cribo_ci.api import bundle_project
from cribo_ci.errors import SourceSyntaxError
from harness import Fixture, build_bundle, run_bundle, run_unbundled, write_project

DEPTH = 1000
BRACKETS = 200  # CPython refuses a 201st open bracket on every version
INDENT_LEVELS = 97  # the most a bundled module can have (99 - the holder's 2)


def indented(lines: list[tuple[int, str]]) -> str:
    return "".join("    " * level + text + "\n" for level, text in lines)


def nested_defs(levels: int) -> str:
    heads = [(level, f"def f{level}():") for level in range(levels)]
    returns = [(level, f"return f{level}()") for level in range(levels - 1, 0, -1)]
    return indented([*heads, (levels, f"return {levels}"), *returns]) + "print(f0())\n"


def nested_ifs(levels: int) -> str:
    heads = [(level, f"if x > {level}:") for level in range(levels)]
    return f"x = {levels}\n" + indented([*heads, (levels, f"print('inside', {levels})")])


CONSTRUCTS = {
    "sum": "X = " + " + ".join(["1"] * DEPTH) + "\nprint(X)\n",
    "unary": "X = " + "-" * DEPTH + "1\nprint(X)\n",
    "attributes": "class A:\n    pass\n\n\nA.a = A\nprint(A" + ".a" * DEPTH + " is A)\n",
    "chained_calls": "def f():\n    return f\n\n\nprint(f" + "()" * DEPTH + " is f)\n",
    "nested_lists": "X = " + "[" * BRACKETS + "]" * BRACKETS + "\nprint(len(repr(X)))\n",
    "nested_dicts": "X = " + "{'k': " * BRACKETS + "0" + "}" * BRACKETS + "\nprint(len(repr(X)))\n",
    "nested_call_arguments": (
        "def f(x=0):\n    return x + 1\n\n\nprint(" + "f(" * (BRACKETS - 1) + ")" * BRACKETS + "\n"
    ),
    "elif_chain": (
        f"x = {DEPTH - 1}\nif x == 0:\n    print(0)\n"
        + "".join(f"elif x == {i}:\n    print({i})\n" for i in range(1, DEPTH))
    ),
    "conditional_expressions": (
        f"x = {DEPTH - 1}\nprint("
        + "".join(f"{i} if x == {i} else " for i in range(DEPTH))
        + "-1)\n"
    ),
    "nested_lambdas": (
        "X = " + "lambda: " * DEPTH + f"42\nfor _ in range({DEPTH}):\n    X = X()\nprint(X)\n"
    ),
    "nested_defs": nested_defs(INDENT_LEVELS),
    "nested_ifs": nested_ifs(INDENT_LEVELS),
    # The paths that call symtable (function form) and ast.unparse (annotations).
    "function_form": "values = [last := n for n in range(3)]\nX = "
    + " + ".join(["1"] * DEPTH)
    + "\nprint(X, last)\n",
    "future_annotations": (
        "from __future__ import annotations\n\nx: "
        + " + ".join(["int"] * DEPTH)
        + " = 1\n\n\ndef f(a: "
        + "-" * DEPTH
        + "1) -> "
        + " | ".join(["int"] * DEPTH)
        + ":\n    return a\n\n\nprint(len(__annotations__['x']), len(f.__annotations__['return']))\n"
    ),
}


def project(tmp_path, name: str, module: str, **cribo) -> Fixture:
    folder = write_project(
        tmp_path / "project",
        {"main.py": f"import {name}\nprint('done')\n", f"{name}.py": module},
    )
    return Fixture(name, folder, cribo=cribo)


@pytest.mark.parametrize(
    ("name", "cribo"),
    [(name, {}) for name in sorted(CONSTRUCTS)]
    # --original-locations moves every nested code object at run time.
    + [("nested_lambdas", {"original-locations": True})],
)
def test_deep_module_bundles_and_runs_alike(name, cribo, tmp_path):
    fixture = project(tmp_path, name, CONSTRUCTS[name], **cribo)
    expected = run_unbundled(fixture, tmp_path)
    assert expected.exit_code == 0, expected.stderr  # Python itself runs it
    build_bundle(fixture, tmp_path / "out" / "main.py")
    actual = run_bundle(fixture, tmp_path / "out" / "main.py", tmp_path, tmp_path / "audit.log")
    assert (actual.exit_code, actual.stdout, actual.stderr) == (
        expected.exit_code,
        expected.stdout,
        expected.stderr,
    )


def test_the_issue_repro_bundles_quickly(tmp_path):
    """``X = 1 + 1 + ... + 1`` (600 terms): once a RecursionError and a boxed traceback."""
    folder = write_project(tmp_path, {"main.py": "X = " + " + ".join(["1"] * 600) + "\nprint(X)\n"})
    started = time.perf_counter()
    bundle = bundle_project(Fixture("repro", folder).config())
    assert time.perf_counter() - started < 5
    assert "print(X)" in bundle.text


@pytest.mark.parametrize("levels", [98, 99])
def test_indentation_a_bundle_cannot_hold_is_a_located_error(levels, tmp_path):
    """Python runs 98 and 99 levels; in a bundle they would be 100 and 101."""
    fixture = project(tmp_path, "deep", nested_ifs(levels))
    assert run_unbundled(fixture, tmp_path).exit_code == 0
    with pytest.raises(SourceSyntaxError) as raised:
        bundle_project(fixture.config())
    error = raised.value
    # The deepest line: below the assignment and the ``if`` lines.
    assert (error.location.path, error.location.line) == ("deep.py", levels + 2)
    assert f"this line is {levels} levels deep" in error.message
    assert f"print('inside', {levels})" in error.detail


def test_a_very_long_source_is_parsed_with_room(tmp_path):
    """A 60,000-term sum (120,000 characters), which 3.9 compiles and 3.10+
    refuse: parsed on the roomy thread at once. Where this Python's own parser
    refuses it too (3.12+), the error names the file and the Python."""
    terms = 60_000
    fixture = project(tmp_path, "table", "X = " + "+".join(["1"] * terms) + "\nprint(X)\n")
    expected = run_unbundled(fixture, tmp_path)
    try:
        build_bundle(fixture, tmp_path / "out" / "main.py")
    except SourceSyntaxError as error:
        assert sys.version_info >= (3, 12)
        assert error.location.path == "table.py"
        assert "nested too deeply for Python 3." in error.message
        return
    actual = run_bundle(fixture, tmp_path / "out" / "main.py", tmp_path, tmp_path / "audit.log")
    assert actual.exit_code == expected.exit_code
    if sys.version_info < (3, 10):
        assert actual.stdout == expected.stdout == f"{terms}\ndone\n"
