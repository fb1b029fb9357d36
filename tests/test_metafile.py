"""The bundle report: JSON (checked against its schema), the HTML page, the step summary."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from harness import FIXTURES, clean_env, write_project

SCHEMA = json.loads((Path(__file__).parent / "support" / "metafile.schema.json").read_text())
EXAMPLE = Path(__file__).parent.parent / "examples" / "app"


def bundle(project: Path, entry: str, *flags: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "cribo_ci", "bundle", "-e", entry, "-o", "dist/app.py"]
    command += ["--metafile", "dist/app.meta.json", *flags]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=clean_env())


def report_of(tmp_path: Path, files: dict, *flags: str, entry: str = "main.py") -> dict:
    project = write_project(tmp_path / "p", files)
    done = bundle(project, entry, *flags)
    assert done.returncode == 0, done.stderr
    data = json.loads((project / "dist" / "app.meta.json").read_text())
    jsonschema.validate(data, SCHEMA)
    return data


def copy_of(folder: Path) -> dict:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.parametrize("flags", [(), ("--launcher",)], ids=["script", "launcher"])
def test_the_json_report_matches_its_schema_and_the_files(flags, tmp_path):
    data = report_of(tmp_path, copy_of(EXAMPLE), *flags)
    names = [module["name"] for module in data["modules"]]
    assert names == ["main", "shapes", "shapes.base", "shapes.registry", "shapes.render"]
    assert data["modules"][0]["reason"] == "entry"
    dist = tmp_path / "p" / "dist"
    for entry in data["files"]:  # the sizes and hashes of what was written
        content = (dist / entry["path"]).read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (
            len(content),
            hashlib.sha256(content).hexdigest(),
        )
    roles = sorted(entry["role"] for entry in data["files"])
    if flags:
        assert roles == ["code cache", "launcher", "module", "source map"]
    else:
        assert roles == ["bundle", "source map"]
    code = next(e for e in data["files"] if e["role"] in ("bundle", "module"))
    assert 0 < data["totals"]["modules_bundle_bytes"] < code["bytes"]
    for module in data["modules"]:
        assert module["source_bytes"] == (tmp_path / "p" / module["path"]).stat().st_size
        assert module["bundle_bytes"] > module["source_bytes"]  # holder, indent, prologue


def test_data_files_warnings_and_namespace_packages_are_reported(tmp_path):
    files = copy_of(FIXTURES / "package_data")
    files["main.py"] = (
        files["main.py"]
        + b"\nimport importlib\nimportlib.import_module('x' + str(1))\nimport nspkg.inner\n"
    )
    files["nspkg/inner.py"] = b"VALUE = 1\n"
    data = report_of(tmp_path, files)
    assert data["data_files"] and all(item["bytes"] > 0 for item in data["data_files"])
    kinds = {module["name"]: module["kind"] for module in data["modules"]}
    assert kinds["nspkg"] == "namespace package"
    (main,) = [module for module in data["modules"] if module["name"] == "main"]
    assert any("import_module" in warning for warning in main["warnings"]), main


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.cells: list[str] = []
        self.titles: list[str] = []
        self.in_cell = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self.titles += [value or "" for name, value in attrs if name == "title"]
        self.in_cell = tag == "td"

    def handle_data(self, data):
        if self.in_cell:
            self.cells.append(data)
            self.in_cell = False


def test_the_html_page_shows_every_module_and_needs_nothing_else(tmp_path):
    data = report_of(tmp_path, copy_of(EXAMPLE))
    page = Page()
    page.feed((tmp_path / "p" / "dist" / "app.meta.html").read_text())
    for module in data["modules"]:
        assert module["name"] in page.cells, module["name"]  # the table
        assert any(title.startswith(module["name"] + " (") for title in page.titles)  # the map
        assert any(module["reason"] in title for title in page.titles)
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert not [value for name, value in page.attributes if name in ("src", "href")]
    assert "http" not in "".join(value for _, value in page.attributes)


def test_the_report_is_reproducible(tmp_path):
    first = report_of(tmp_path / "one", copy_of(EXAMPLE))
    second = report_of(tmp_path / "two", copy_of(EXAMPLE))
    assert first == second


def test_the_step_summary_shows_size_modules_start_up_and_the_change(tmp_path):
    project = write_project(tmp_path / "p", copy_of(EXAMPLE))
    assert bundle(project, "main.py").returncode == 0
    previous = tmp_path / "previous.meta.json"
    (project / "dist" / "app.meta.json").rename(previous)
    (project / "shapes" / "extra.py").write_text("DATA = " + repr("x" * 5000) + "\n")
    (project / "main.py").write_text((project / "main.py").read_text() + "\nimport shapes.extra\n")
    assert bundle(project, "main.py").returncode == 0
    summary = tmp_path / "summary.md"
    env = clean_env(
        INPUT_BUNDLE_PATH=str(project / "dist" / "app.py"),
        INPUT_PREVIOUS_METAFILE=str(previous),
        GITHUB_STEP_SUMMARY=str(summary),
    )
    command = [sys.executable, "-m", "cribo_ci", "action", "summary"]
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = summary.read_text()
    assert "### cribo-ci bundle report: `app.py`" in text
    assert "| modules | 6 | +1 (+20.0%) |" in text
    assert "start-up: load before the program runs |" in text and " ms |" in text
    assert "| `shapes.extra` | 5," in text and "| new |" in text
    assert "- added `shapes.extra`" in text
    lines = [line for line in text.splitlines() if line.startswith("| `")]
    assert lines[0].startswith("| `shapes.extra` |"), "the biggest module first"
