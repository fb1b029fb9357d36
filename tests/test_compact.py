"""The runtime a bundle embeds (compact.py): the runtime files' code, and no more bytes.

Stripped of comments, docstrings and blank lines, indented by one space a
level, the same whichever supported Python runs the bundler.
"""

from __future__ import annotations

import ast
import glob
import io
import json
import os
import subprocess
import sys
import tokenize
from itertools import product
from pathlib import Path

import pytest

from cribo_ci.api import bundle_project
from cribo_ci.compact import compact
from cribo_ci.config import Config
from cribo_ci.launcher import LAUNCH, launcher_text
from cribo_ci.link import (
    BASELINE,
    RELOCATION,
    RESOURCES,
    RUNTIME,
    TRACEBACKS,
    runtime_lines,
)
from cribo_ci.verify.lint import lint_bundle, ruff_command
from cribo_ci.verify.report import PASS
from harness import FIXTURES, clean_env

REPO = Path(__file__).parent.parent
# static, data, tracebacks, relocation: every runtime a bundle can embed.
VARIANTS = [
    (s, d, t, r)
    for s, d, t, r in product((True, False), ("", "data"), (True, False), (True, False))
    if t or not r  # relocation (--original-locations) only comes with traceback support
]
OTHER_PYTHONS = ("3.9", "3.13")


def runtime_files(static: bool, data: str, tracebacks: bool, relocation: bool) -> list[Path]:
    return [RUNTIME, *([] if static else [BASELINE]), *([RESOURCES] if data else [])] + (
        [TRACEBACKS, *([RELOCATION] if relocation else [])] if tracebacks else []
    )


def without_docstrings(tree: ast.AST) -> str:
    """The tree's dump with string-only statements gone (``pass`` if a block empties)."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            kept = [s for s in body if not (isinstance(s, ast.Expr) and is_string(s.value))]
            node.body = kept or [ast.Pass()]
    return ast.dump(tree)


def is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


@pytest.mark.parametrize(("static", "data", "tracebacks", "relocation"), VARIANTS)
def test_embedded_runtime_is_the_same_code_without_comments_or_docstrings(
    static, data, tracebacks, relocation
):
    text = "\n".join(runtime_lines(static, data, tracebacks, relocation))
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT]
    assert all(comment.startswith("# noqa") for comment in comments), comments
    assert all(line.strip() for line in text.split("\n")), "a blank line"
    indents = {t.string for t in tokens if t.type == tokenize.INDENT}
    assert indents == {" " * depth for depth in range(1, len(indents) + 1)}, "one space a level"
    tree = ast.parse(text)
    strings = [n for n in ast.walk(tree) if isinstance(n, ast.Expr) and is_string(n.value)]
    assert strings == [], "a docstring"
    original = ast.Module(body=[], type_ignores=[])
    for path in runtime_files(static, data, tracebacks, relocation):
        original.body += ast.parse(path.read_text(encoding="utf-8")).body
    assert ast.dump(tree) == without_docstrings(original)


def test_launcher_is_the_compacted_launch_runtime_and_its_call():
    text = launcher_text("app_bundle", "0123abcd")
    tree = ast.parse(text)
    expected = ast.parse(LAUNCH.read_text(encoding="utf-8"))
    expected.body.append(ast.parse("launch(globals(), 'app_bundle', '0123abcd')").body[0])
    assert ast.dump(tree) == without_docstrings(expected)
    assert len(text) < 4096, "compiled at every start: it must stay small"


def test_bundle_embeds_the_compacted_runtime_after_its_header():
    bundle = bundle_project(Config(entry=FIXTURES / "relative_imports_deep" / "main.py"))
    lines = bundle.text.split("\n")
    runtime = runtime_lines(True, "", True)
    assert lines[2 : 2 + len(runtime)] == runtime
    assert not lines[2].startswith(('"""', "#"))
    assert "def relocate_modules(" not in bundle.text  # only with --original-locations


@pytest.mark.skipif(ruff_command() is None and not os.environ.get("CI"), reason="no ruff")
@pytest.mark.parametrize("fixture", ["relative_imports_deep", "package_data"])
@pytest.mark.parametrize(
    ("tracebacks", "relocation"), [(True, False), (True, True), (False, False)]
)
def test_embedded_runtime_passes_verify_lint(fixture, tracebacks, relocation, tmp_path):
    """The kept ``# noqa`` comments still work, and the parts bind no name twice."""
    config = Config(
        entry=FIXTURES / fixture / "main.py",
        traceback_support=tracebacks,
        original_locations=relocation,
    )
    bundle = tmp_path / "main.py"
    bundle.write_text(bundle_project(config).text, encoding="utf-8")
    check = lint_bundle(bundle, "main.py")
    assert check.status == PASS, check.details


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('"""Doc."""\nimport os\n', "import os"),
        ("def f():\n    'Only a docstring.'\n", "def f():\n pass"),
        ("if x:\n    if y:  # why\n        z = 1 .real\n", "if x:\n if y:\n  z=1 .real"),
        ("a = [1,  # one\n     2]\nb = 1. if a else .5\n", "a=[1,2]\nb=1. if a else.5"),
        ("f(x)  # noqa: F821\n# noqa: E501\ng()\n", "f(x) # noqa: F821\ng()"),
        (
            's = f"{a + b!r:>{w}} {{x}}"  \\\n  f"""\n  {c}"""\n',
            's=f"{a + b!r:>{w}} {{x}}"f"""\n  {c}"""',
        ),
        ("x = not y in z or r'\\d' is b'' and u'é'\n", "x=not y in z or r'\\d'is b''and u'é'"),
    ],
)
def test_compact(source, expected):
    assert compact(source) == expected


def pyenv_python(version: str) -> str:
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(glob.glob(os.path.join(root, "versions", f"{version}.*", "bin", "python")))
    if not found:
        pytest.skip(f"no Python {version} in pyenv")
    return found[-1]


RUNTIMES_SCRIPT = (
    "import json, sys\n"
    "from cribo_ci.launcher import launcher_text\n"
    "from cribo_ci.link import runtime_lines\n"
    "variants = json.loads(sys.argv[1])\n"
    "texts = ['\\n'.join(runtime_lines(*v)) for v in variants]\n"
    "print(json.dumps([*texts, launcher_text('app_bundle', '0')]))\n"
)


@pytest.mark.parametrize("version", OTHER_PYTHONS)
def test_embedded_runtime_has_the_same_bytes_on_other_pythons(version):
    done = subprocess.run(
        [pyenv_python(version), "-c", RUNTIMES_SCRIPT, json.dumps(VARIANTS)],
        cwd=REPO,
        capture_output=True,
        env=clean_env(PYTHONPATH=str(REPO)),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    theirs = json.loads(done.stdout)
    ours = ["\n".join(runtime_lines(*variant)) for variant in VARIANTS]
    ours.append(launcher_text("app_bundle", "0"))  # the launcher mode's runtime
    assert theirs == ours, f"Python {version} compacts the runtime differently from {sys.version}"
