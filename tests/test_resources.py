"""Package data (data_files.py, runtime/resources.py) and third-party roots (thirdparty.py)."""

from __future__ import annotations

import ast
import dataclasses
import os
from pathlib import Path

import pytest

from cribo_ci.analyze import analyze_module
from cribo_ci.api import bundle_project
from cribo_ci.config import Config
from cribo_ci.data_files import collect_data_files, encode_data, file_path_warnings
from cribo_ci.model import SourceFile
from cribo_ci.resolve import resolve_graph
from cribo_ci.thirdparty import find_installed, with_third_party
from harness import FIXTURES, build_bundle, load_fixture, run_bundle

PACKAGE_DATA = FIXTURES / "package_data"


def test_default_globs_take_every_file_that_is_not_code(tmp_path):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    for name in ("__init__.py", "a.txt", "b.pyi", "c.so", "sub/d.json", "_x.c"):
        (tmp_path / "pkg" / name).write_text("x")
    (tmp_path / "main.py").write_text("import pkg\n")
    graph = resolve_graph(tmp_path / "main.py")
    assert list(collect_data_files(graph)) == ["pkg/a.txt", "pkg/sub/d.json"]
    assert list(collect_data_files(graph, ("sub/*",))) == ["pkg/sub/d.json"]
    assert list(collect_data_files(graph, ("*.txt",))) == ["pkg/a.txt"]


def test_subpackages_keep_their_own_files_once():
    graph = resolve_graph(PACKAGE_DATA / "main.py")
    assert list(collect_data_files(graph)) == [
        "pkg/data.txt",
        "pkg/inner/blob.bin",
        "pkg/templates/page.html",
    ]


def test_encoded_data_is_byte_stable(tmp_path):
    (tmp_path / "a").write_bytes(b"same")
    first = encode_data({"p/a": tmp_path / "a"})
    (tmp_path / "a").touch()  # a new mtime must not show
    assert encode_data({"p/a": tmp_path / "a"}) == first


def test_no_data_means_no_resources_runtime():
    bundle = bundle_project(Config(entry=FIXTURES / "relative_imports_deep" / "main.py"))
    assert "class DataFinder" not in bundle.text
    assert "class DataFinder" in bundle_project(Config(entry=PACKAGE_DATA / "main.py")).text


def test_data_files_setting_limits_what_is_embedded(tmp_path):
    fixture = load_fixture(PACKAGE_DATA)
    fixture = dataclasses.replace(fixture, cribo={"data-files": ["*.html"]})
    build_bundle(fixture, tmp_path / "out" / "main.py")
    run = run_bundle(fixture, tmp_path / "out" / "main.py", tmp_path, tmp_path / "audit")
    assert run.exit_code == 1 and "data.txt" in run.stderr  # not embedded, so not found


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        pytest.param("open(os.path.join(os.path.dirname(__file__), 'x'))", [1], id="dirname"),
        pytest.param("p = Path(__file__).parent / 'x'", [1], id="pathlib"),
        pytest.param("HERE = os.path.dirname(os.path.abspath(__file__))", [1], id="abspath"),
        pytest.param("print(__file__)", [], id="plain-use"),
        pytest.param("name = os.path.basename(__name__)", [], id="not-file"),
    ],
)
def test_paths_built_from_file_are_warned_with_their_line(code, lines):
    warnings = file_path_warnings(list(ast.walk(ast.parse(code))), "m.py")
    assert [w.location.line for w in warnings] == lines
    assert all("importlib.resources" in w.message for w in warnings)


def analyzed(text: str, name: str = "pkg.mod"):
    return analyze_module(SourceFile("pkg/mod.py", text, "0"), name, False)


def test_computed_import_warning_names_the_include_setting():
    facts = analyzed("import importlib\nimportlib.import_module(name)\n")
    (warning,) = facts.warnings
    assert "`include = ['pkg.*']`" in warning.message and "--include 'pkg.*'" in warning.message
    assert str(warning.location) == "pkg/mod.py:2:1"


def test_stdlib_prefix_import_is_not_warned(tmp_path):
    (tmp_path / "main.py").write_text(
        "import importlib\nimportlib.import_module('encodings.' + x)\n"
    )
    assert resolve_graph(tmp_path / "main.py").warnings == ()


def fake_distribution(site: Path, name: str, native: bool) -> None:
    files = [f"{name}/__init__.py"] + (
        [f"{name}/_c.cpython-311-x86_64-linux-gnu.so"] if native else []
    )
    (site / name).mkdir(parents=True)
    for file in files:
        (site / file).write_text("")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "RECORD").write_text("".join(f"{file},,\n" for file in files))


def test_native_distributions_are_excluded_and_the_first_root_wins(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    fake_distribution(first, "pure", native=False)
    fake_distribution(first, "shadowed", native=False)  # a pure copy before a native build
    fake_distribution(second, "shadowed", native=True)
    fake_distribution(second, "speedy", native=True)
    fake_distribution(second, "dataclasses", native=False)  # a backport: the stdlib wins
    found = find_installed((str(first), str(tmp_path / "no-dist"), str(second), ""))
    assert found.roots == (first.resolve(), second.resolve())
    assert found.kept == ("dataclasses", "speedy")
    config = with_third_party(Config(), (str(first), str(second)))
    assert config.exclude == ("dataclasses", "dataclasses.*", "speedy", "speedy.*")


def test_third_party_is_off_by_default(tmp_path):
    site = tmp_path / "site"
    fake_distribution(site, "pure", native=False)
    (tmp_path / "main.py").write_text("import pure\n")
    config = Config(entry=tmp_path / "main.py", src=())
    assert bundle_project(config).requirements == ("pure",)
    bundled = bundle_project(with_third_party(config, (str(site),)))
    assert bundled.requirements == () and "'pure'" in bundled.text


def test_symlink_loops_in_a_package_are_not_data(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "data.txt").write_text("x")
    (tmp_path / "main.py").write_text("import pkg\n")
    try:
        os.symlink(".", tmp_path / "pkg" / "loop")  # pkg/loop/loop/... is pkg again
        os.symlink("b", tmp_path / "pkg" / "a")  # a -> b -> a: ELOOP on any stat
        os.symlink("a", tmp_path / "pkg" / "b")
    except OSError:  # pragma: no cover - Windows without the symlink privilege
        pytest.skip("cannot make symlinks here")
    assert list(collect_data_files(resolve_graph(tmp_path / "main.py"))) == ["pkg/data.txt"]


def test_data_files_flag_on_the_command_line(tmp_path):
    from cribo_ci.cli import load_commands
    from harness import cli_runner

    out = tmp_path / "bundle.py"
    args = ["bundle", "-e", str(PACKAGE_DATA / "main.py"), "-o", str(out), "--no-cache"]
    result = cli_runner().invoke(load_commands(), [*args, "--data-files", "*.bin"])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "class DataFinder" in text
    config = Config(entry=PACKAGE_DATA / "main.py", output=out, data_globs=("*.bin",))
    assert bundle_project(config).text == text
    assert bundle_project(dataclasses.replace(config, data_globs=())).text != text
