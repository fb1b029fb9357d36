"""The bad-input catalogue, run through the real command line.

Every row bundles a small project with ``python -m cribo_ci bundle`` over an
existing bundle. A row that must fail checks the exit code, the message
(``file:line:col: kind: message`` and the source line where there is one),
that the old bundle is byte-identical and that no temporary file is left
beside it. A row that must succeed checks that the bundle runs like the
original. Patterns match the start of stderr; the rest may only be the source line
and its caret. The README's "Bad input" table lists the same rows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pytest

from cribo_ci.resolve import resolve_graph
from harness import clean_env, normalise, run_python, write_project

OLD_BUNDLE = b"# an earlier bundle, which a failed run must leave alone\r\n\xff\n"
IMPORT_BAD = b"import bad\nprint('ran', bad.__name__)\n"


@dataclass(frozen=True)
class Case:
    files: dict[str, bytes]
    exit_code: int = 0
    # Regexes over stderr, keyed by the first Python version they hold for.
    stderr: dict[tuple[int, int], str] = field(default_factory=dict)
    args: tuple[str, ...] = ("-e", "project/main.py")

    def expected_stderr(self) -> Optional[str]:
        for version in sorted(self.stderr, reverse=True):
            if sys.version_info >= version:
                return self.stderr[version]
        return None


def project(bad: bytes, **more: bytes) -> dict[str, bytes]:
    """main.py imports bad.py: the error sits in a module, not in the entry."""
    return {
        "main.py": IMPORT_BAD,
        "bad.py": bad,
        **{k.replace("__", "/"): v for k, v in more.items()},
    }


def any_version(pattern: str) -> dict[tuple[int, int], str]:
    return {(3, 9): pattern}


FAILURES = [
    pytest.param(
        Case(
            project(b"x = 1\ndef f(:\n    pass\n"),
            5,
            any_version(r"bad\.py:2:7: syntax error: invalid syntax\n    def f\(:\n          \^\n"),
        ),
        id="syntax-error",
    ),
    pytest.param(
        Case(
            project(b"x = (1,\ny = 2\n"),
            5,
            {
                (3, 9): r"bad\.py:2:3: syntax error: invalid syntax\n    y = 2\n      \^\n",
                (
                    3,
                    10,
                ): r"bad\.py:1:5: syntax error: '\(' was never closed\n    x = \(1,\n        \^\n",
            },
        ),
        id="syntax-error-unclosed-bracket",
    ),
    pytest.param(
        Case(
            project(b'print "hi"\n'),
            5,
            {
                # 3.9.18 says which, depending on how the parser got there
                (3, 9): r"bad\.py:1:7: syntax error: (invalid syntax|Missing parentheses .*)\n",
                (3, 10): r"bad\.py:1:1: syntax error: Missing parentheses in call to 'print'.*\n",
            },
        ),
        id="syntax-error-python2-print",
    ),
    pytest.param(
        Case(
            project(b"if True:\n\tx = 1\n        y = 2\n"),
            5,
            any_version(
                r"bad\.py:3:1: syntax error: inconsistent use of tabs and spaces in indentation\n"
            ),
        ),
        id="tab-error-mixed-indentation",
    ),
    pytest.param(
        Case(
            project(b"a = 1\n\0\n"),
            5,
            any_version(
                r"bad\.py:2:1: syntax error: source code cannot contain null bytes\n    \\0\n    \^\n"
            ),
        ),
        id="null-byte",
    ),
    pytest.param(
        Case(
            project(b'a = "x\0y"\n'),
            5,
            any_version(r"bad\.py:1:7: syntax error: source code cannot contain null bytes\n"),
        ),
        id="null-byte-in-string",
    ),
    pytest.param(
        Case(
            project(b'a = 1\nb = "\xff"\n'),
            6,
            any_version(r"bad\.py:2:6: decode error: cannot decode byte 0xff as utf-8\n"),
        ),
        id="undecodable-byte",
    ),
    pytest.param(
        Case(
            project(b'a = "\xc3\xa9\xff"\n'),
            6,
            # The column counts code points, as every other column does: é is one.
            any_version(r"bad\.py:1:7: decode error: cannot decode byte 0xff as utf-8\n"),
        ),
        id="undecodable-byte-on-line-1",
    ),
    pytest.param(
        Case(
            project(b"#!/usr/bin/env python\n# -*- coding: nonexistent -*-\nb = 1\n"),
            6,
            any_version(r"bad\.py:2:1: decode error: unknown encoding: nonexistent\n"),
        ),
        id="unknown-encoding-cookie",
    ),
    pytest.param(
        Case(
            project('# coding: ascii\nb = "é"\n'.encode()),
            6,
            any_version(r"bad\.py:2:6: decode error: cannot decode byte 0xc3 as ascii\n"),
        ),
        id="wrong-encoding-cookie",
    ),
    pytest.param(
        Case(
            project(b"\xef\xbb\xbf# coding: latin-1\nb = 1\n"),
            6,
            any_version(
                r"bad\.py:1:1: decode error: the UTF-8 byte-order mark and the encoding cookie"
                r" disagree\n"
            ),
        ),
        id="bom-against-cookie",
    ),
    pytest.param(
        Case(
            project(b"from ... import x\n"),
            7,
            any_version(
                r"bad\.py:1:1: import error: attempted relative import beyond top-level package\n"
            ),
        ),
        id="relative-import-beyond-top",
    ),
    pytest.param(
        Case(
            {"pkg/helper.py": b""},
            4,
            any_version(r".*pkg: entry error: a folder without __main__\.py.*\n"),
            ("-e", "project/pkg"),
        ),
        id="entry-folder-without-main",
    ),
    pytest.param(
        Case(  # Cribo falls back to __init__.py; Python does not: say what would work
            {"pkg/__init__.py": b""},
            4,
            any_version(
                r".*pkg: entry error: no __main__\.py in this package, so `python \S*pkg` "
                r"cannot run it: .*pass --entry \S*project/pkg/__init__\.py\n"
            ),
            ("-e", "project/pkg"),
        ),
        id="entry-package-without-main",
    ),
    pytest.param(
        Case(
            {"my-app/__main__.py": b"print('hi')\n"},
            4,
            any_version(r".*my-app: entry error: a package folder's name must be an identifier\n"),
            ("-e", "project/my-app"),
        ),
        id="entry-folder-not-an-identifier",
    ),
    pytest.param(
        Case(
            {"main.py": b"import helper\nprint(helper.X\n", "helper.py": b"X = 1\n"},
            5,
            {
                (3, 9): r"main\.py:2:15: syntax error: unexpected EOF while parsing\n",
                (3, 10): r"main\.py:2:6: syntax error: '\(' was never closed\n",
            },
        ),
        id="syntax-error-in-the-entry",
    ),
    pytest.param(
        Case(
            {"main.py": b""},
            4,
            any_version(r".*nothere\.py: entry error: entry not found\n"),
            ("-e", "project/nothere.py"),
        ),
        id="entry-missing",
    ),
    pytest.param(
        Case(
            {"main.py": b"", "cribo.toml": b'[bundler]\nentyr = "main.py"\n'},
            3,
            any_version(
                r".*cribo\.toml: config error: unknown key 'entyr' \(did you mean 'entry'\? known keys: .*\)\n"
            ),
            ("-e", "project/main.py", "--config", "project/cribo.toml"),
        ),
        id="config-unknown-key",
    ),
    pytest.param(
        Case(
            {"main.py": b"", "cribo.toml": b"[bundler]\nentry = 5\n"},
            3,
            any_version(r".*cribo\.toml: config error: 'entry' must be a string, not 5\n"),
            ("--config", "project/cribo.toml"),
        ),
        id="config-wrong-type-string",
    ),
    pytest.param(
        Case(
            {"main.py": b"", "cribo.toml": b"[bundler]\nexclude = 3\n"},
            3,
            any_version(
                r".*cribo\.toml: config error: 'exclude' must be a list of strings, not 3\n"
            ),
            ("-e", "project/main.py", "--config", "project/cribo.toml"),
        ),
        id="config-wrong-type-list",
    ),
    pytest.param(
        Case(
            {"main.py": b"", "cribo.toml": b'[bundler]\nstatic-bundling = "maybe"\n'},
            3,
            any_version(
                r".*cribo\.toml: config error: 'static-bundling' must be true or false, not 'maybe'\n"
            ),
            ("-e", "project/main.py", "--config", "project/cribo.toml"),
        ),
        id="config-wrong-type-bool",
    ),
    pytest.param(
        Case(
            {"main.py": b"", "cribo.toml": b'[bundler]\nentry = "main.py\n'},
            3,
            any_version(r".*cribo\.toml:2:\d+: config error: .+\n"),
            ("--config", "project/cribo.toml"),
        ),
        id="config-not-toml",
    ),
]


def cribo(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real CLI. cwd is outside the project, as a user's shell would be.

    No cache: a test never writes into ~/.cache (the cache has tests of its own).
    """
    return subprocess.run(
        [sys.executable, "-m", "cribo_ci", "bundle", *args, "--no-cache"],
        cwd=cwd,
        capture_output=True,
        env=clean_env(),
        timeout=120,
    )


def old_bundle(folder: Path) -> Path:
    """An earlier bundle (deliberately odd bytes) that a failed run must not touch."""
    bundle = folder / "out" / "bundle.py"
    bundle.parent.mkdir()
    bundle.write_bytes(OLD_BUNDLE)
    return bundle


def assert_untouched(bundle: Path) -> None:
    assert bundle.read_bytes() == OLD_BUNDLE
    assert sorted(p.name for p in bundle.parent.iterdir()) == [bundle.name], "temporary left"


@pytest.mark.parametrize("case", FAILURES)
def test_bad_input_fails_cleanly(case: Case, tmp_path):
    write_project(tmp_path / "project", case.files)
    bundle = old_bundle(tmp_path)
    done = cribo(*case.args, "-o", "out/bundle.py", cwd=tmp_path)
    stderr = done.stderr.decode()
    assert done.returncode == case.exit_code, stderr
    assert re.match(case.expected_stderr(), stderr), stderr
    assert len(stderr.splitlines()) in (1, 3), "the message, and the source line with a caret"
    assert done.stdout == b""
    assert_untouched(bundle)


def lines(*text: str) -> bytes:
    return "".join(text).encode()


SUCCESSES = [
    pytest.param(
        project(b"\xef\xbb\xbfX = 'bom'\nprint(X)\n"),
        "",
        id="utf8-bom",
    ),
    pytest.param(
        project(b"X = 1\r\nY = '''a\r\nb'''\r\nprint(repr(Y))\r\n"),
        "",
        id="crlf-line-endings",
    ),
    pytest.param(
        project(b"X = 1\nY = '''a\rb\r\nc\n'''\r\nprint(repr(Y))\rprint(X)\n"),
        "",
        id="mixed-line-endings",
    ),
    pytest.param(
        project(b"def f():\n\tif True:\n\t\treturn 'tabs'\nprint(f())\n"),
        "",
        id="tab-indentation",
    ),
    pytest.param(
        project('# -*- coding: latin-1 -*-\nX = "café"\nprint(ascii(X))\n'.encode("latin-1")),
        "",
        id="latin-1-cookie",
    ),
    pytest.param(
        {
            "main.py": lines(
                "import importlib\n",
                "print(importlib.import_module('my-module').X)\n",
                "print(importlib.import_module('class').Y)\n",
                "print(importlib.import_module('3d').Z)\n",
            ),
            "my-module.py": b"X = 'not an identifier'\n",
            "class.py": b"Y = 'a keyword'\n",
            "3d.py": b"Z = 'starts with a digit'\n",
        },
        "",
        id="module-named-keyword-or-not-identifier",
    ),
    pytest.param(
        {
            "main.py": b"import json\nprint(json.dumps([1]))\n",
            "json/__init__.py": b"def dumps(value):\n    return 'first-party json'\n",
        },
        r"json/__init__\.py: warning: first-party 'json' shadows the standard library module.*\n",
        id="package-shadowing-stdlib",
    ),
]


@pytest.mark.parametrize(("files", "warning"), SUCCESSES)
def test_odd_but_valid_input_bundles_and_runs_alike(files, warning, tmp_path):
    source = write_project(tmp_path / "project", files)
    bundle = old_bundle(tmp_path)
    done = cribo("-e", "project/main.py", "-o", "out/bundle.py", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert re.fullmatch(warning, done.stderr.decode()), done.stderr.decode()  # warnings stay
    assert_runs_alike(source, bundle, tmp_path)


def assert_runs_alike(source: Path, bundle: Path, tmp_path: Path) -> None:
    expected = normalise(run_python(["main.py"], source), source)
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "main.py").write_bytes(bundle.read_bytes())
    actual = normalise(run_python(["main.py"], alone), alone)
    assert actual == expected
    assert expected.exit_code == 0 and expected.stdout


def symlinked_project(folder: Path) -> Path:
    source = write_project(
        folder,
        {
            "main.py": b"from pkg import *\nimport pkg.mod\nprint(pkg.mod.Y)\n",
            "pkg/__init__.py": b"X = 1\n",
            "pkg/mod.py": b"Y = 2\n",
        },
    )
    try:
        os.symlink(".", source / "pkg" / "loop")  # pkg/loop/loop/... is pkg again
        os.symlink("../pkg", source / "pkg" / "up")  # with loop: 2**40 paths to walk
        os.symlink("b", source / "pkg" / "a")  # a -> b -> a: ELOOP on any stat
        os.symlink("a", source / "pkg" / "b")
        os.symlink("..", source / "parent")
    except OSError:  # pragma: no cover - Windows without the symlink privilege
        pytest.skip("cannot make symlinks here")
    return source


def test_resolver_does_not_follow_symlink_loops(tmp_path):
    source = symlinked_project(tmp_path / "project")
    graph = resolve_graph(source / "main.py", include=("pkg.*",))
    assert [module.name for module in graph.modules] == ["main", "pkg", "pkg.mod"]


def test_symlink_loops_in_a_source_root_are_not_followed(tmp_path):
    source = symlinked_project(tmp_path / "project")
    bundle = old_bundle(tmp_path)
    done = cribo("-e", "project/main.py", "-o", "out/bundle.py", "--include", "pkg.*", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    modules = set(re.findall(r"'(pkg[\w.]*)'", bundle.read_text()))
    assert modules == {"pkg", "pkg.mod"}
    assert_runs_alike(source, bundle, tmp_path)


@pytest.mark.parametrize(
    "output",
    [
        pytest.param("project/bundle.py", id="beside-the-entry"),
        pytest.param("project/pkg/bundle.py", id="inside-a-package"),
        pytest.param("project/./pkg/../pkg/bundle.py", id="through-dot-dot"),
    ],
)
def test_output_inside_the_sources_never_bundles_itself(output, tmp_path):
    write_project(
        tmp_path / "project",
        {
            "main.py": lines(
                "import importlib, pkg\n",
                "for name in ('a',):\n",
                "    importlib.import_module('pkg.' + name)\n",
                "print('ok')\n",
            ),
            "pkg/__init__.py": b"",
            "pkg/a.py": b"A = 1\n",
        },
    )
    args = ("-e", "project/main.py", "-o", output, "--include", "pkg.*")
    first = cribo(*args, cwd=tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    bundle = tmp_path / output
    before = bundle.read_bytes()
    second = cribo(*args, cwd=tmp_path)
    assert second.returncode == 0, second.stderr.decode()
    assert bundle.read_bytes() == before
    assert b"'pkg.bundle'" not in before and b"'bundle'" not in before


def test_output_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path):
    write_project(tmp_path / "project", {"main.py": b"print('hi')\n"})
    target = old_bundle(tmp_path)
    link = tmp_path / "link.py"
    try:
        os.symlink(target, link)
    except OSError:  # pragma: no cover
        pytest.skip("cannot make symlinks here")
    done = cribo("-e", "project/main.py", "-o", "link.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert link.is_symlink()
    assert target.read_bytes() != OLD_BUNDLE
    assert target.read_text().startswith("#!")


def test_new_bundle_gets_ordinary_permissions_and_an_old_one_keeps_its_own(tmp_path):
    write_project(tmp_path / "project", {"main.py": b"print('hi')\n"})
    assert cribo("-e", "project/main.py", "-o", "new.py", cwd=tmp_path).returncode == 0
    umask = os.umask(0o022)
    os.umask(umask)
    assert (tmp_path / "new.py").stat().st_mode & 0o777 == 0o666 & ~umask
    old = old_bundle(tmp_path)
    old.chmod(0o751)
    assert cribo("-e", "project/main.py", "-o", "out/bundle.py", cwd=tmp_path).returncode == 0
    assert old.stat().st_mode & 0o777 == 0o751


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot create files in; root ignores mode bits."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        probe.touch()
    except OSError:
        return folder
    probe.unlink()
    try:  # sysfs refuses new files even to root
        os.close(os.open("/sys/cribo-probe", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except OSError:
        return Path("/sys")
    pytest.skip("no folder here that refuses this user's writes")  # pragma: no cover


@pytest.mark.parametrize(
    ("make_output", "message"),
    [
        pytest.param(
            lambda tmp: unwritable_folder(tmp) / "bundle.py",
            r".*bundle\.py: output error: cannot write: (Permission denied|Read-only file system)\n",
            id="unwritable-folder",
        ),
        pytest.param(
            lambda tmp: (tmp / "a-file").write_text("x") and tmp / "a-file" / "bundle.py",
            r".*a-file/bundle\.py: output error: cannot write: .*a-file is a file, not a folder\n",
            id="folder-is-a-file",
        ),
        pytest.param(
            lambda tmp: (tmp / "a-folder").mkdir() or tmp / "a-folder",
            r".*a-folder: output error: cannot write: Is a directory\n",
            id="output-is-a-folder",
        ),
    ],
)
def test_unwritable_output_exits_9_and_leaves_no_temporary(make_output, message, tmp_path):
    write_project(tmp_path / "project", {"main.py": b"print('hi')\n"})
    output = make_output(tmp_path)
    folder = output.parent if output.parent.is_dir() else output.parent.parent
    before = sorted(os.listdir(folder))
    done = cribo("-e", "project/main.py", "-o", str(output), cwd=tmp_path)
    try:
        assert done.returncode == 9, done.stderr.decode()
        assert re.fullmatch(message, done.stderr.decode()), done.stderr.decode()
        assert sorted(os.listdir(folder)) == before
    finally:
        if output.parent.name == "locked":
            output.parent.chmod(0o755)


@pytest.mark.parametrize(
    ("entry", "output", "victim"),
    [
        pytest.param("project/main.py", "project/main.py", "main.py", id="the-entry"),
        pytest.param("project/main.py", "project/helper.py", "helper.py", id="an-imported-module"),
        pytest.param("project/pkg", "project/pkg/__main__.py", "pkg/__main__.py", id="__main__"),
        pytest.param(
            "project/main.py", "project/pkg/__init__.py", "pkg/__init__.py", id="__init__"
        ),
    ],
)
def test_output_that_would_overwrite_a_source_file_is_refused(entry, output, victim, tmp_path):
    """An earlier bundle inside the sources is skipped; a source file is not an earlier bundle."""
    source = write_project(
        tmp_path / "project",
        {
            "main.py": b"import helper, pkg\nprint(helper.X)\n",
            "helper.py": b"X = 1\n",
            "pkg/__init__.py": b"",
            "pkg/__main__.py": b"import helper\nprint(helper.X)\n",
        },
    )
    before = {path: path.read_bytes() for path in source.rglob("*.py")}
    done = cribo("-e", entry, "-o", output, cwd=tmp_path)
    assert done.returncode == 9, done.stderr.decode()
    message = rf".*{re.escape(victim)}: output error: the output would overwrite this source file"
    assert re.match(message, done.stderr.decode()), done.stderr.decode()
    assert {path: path.read_bytes() for path in source.rglob("*.py")} == before
    assert sorted(p.name for p in source.iterdir()) == ["helper.py", "main.py", "pkg"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_special_files_among_the_sources_are_never_read(tmp_path):
    """A FIFO would block a read forever and /dev/zero never ends: neither is a module or data."""
    source = write_project(
        tmp_path / "project",
        {
            "main.py": b"import pkg\ntry:\n    import helper\nexcept ImportError:\n    pass\n",
            "pkg/__init__.py": b"",
        },
    )
    os.mkfifo(source / "helper.py")
    os.mkfifo(source / "pkg" / "data.txt")
    os.symlink("/dev/zero", source / "pkg" / "zero.bin")
    done = cribo("-e", "project/main.py", "-o", "out/bundle.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert b"'helper'" not in (tmp_path / "out" / "bundle.py").read_bytes()
