"""The bundle report (``--metafile FILE``): what is in the bundle, how big, and why.

JSON for machines (as esbuild's metafile), with every module's source and
bundle size, why it is in, its warnings, the embedded data files, the files
written with their sizes and hashes, totals, the interpreter and the
cribo-ci version; and beside it a self-contained HTML page (metafile_html.py).
Everything in it follows from the sources and the bundling interpreter, so
the report of a reproducible bundle is reproducible too.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from pathlib import Path
from typing import Union

from . import __version__
from .model import Bundle, ModuleGraph, ModuleReport

FORMAT = 1  # the JSON's "format": raised when a field changes meaning


def html_path(metafile: Path) -> Path:
    """``app.meta.json`` -> ``app.meta.html``: the page goes beside the JSON."""
    return metafile.with_suffix(".html") if metafile.suffix == ".json" else Path(f"{metafile}.html")


def module_reports(graph: ModuleGraph, bundle: Bundle) -> tuple[ModuleReport, ...]:
    lines = bundle.text.split("\n")
    placed = {
        name: sum(len(line.encode("utf-8")) + 1 for line in lines[first - 1 : first - 1 + count])
        for name, first, count in bundle.placements
    }
    warned: dict[str, list[str]] = {}
    for warning in graph.warnings:
        warned.setdefault(warning.location.path, []).append(str(warning))
    return tuple(module_report(module, placed, warned) for module in graph.modules)


def module_report(module, placed: dict[str, int], warned: dict[str, list[str]]) -> ModuleReport:
    if module.source is None:
        path, kind, size = "", "namespace package", 0
    else:
        path, kind = module.source.relpath, "package" if module.is_package else "module"
        size = source_size(module.root / path, module.source.text)
    return ModuleReport(
        name=module.name,
        path=path,
        kind=kind,
        source_bytes=size,
        bundle_bytes=placed.get(module.name, 0),
        reason=module.reason,
        warnings=tuple(warned.get(path, ())) if path else (),
    )


def source_size(path: Path, text: str) -> int:
    try:
        return path.stat().st_size
    except OSError:  # gone since it was read: what was read
        return len(text.encode("utf-8"))


def metafile_data(bundle: Bundle, files: dict[Path, Union[str, bytes]], output: Path) -> dict:
    """The report as JSON-ready data; ``files``: everything the run writes."""
    launched = bundle.launcher is not None
    written = [file_entry(path, content, output, launched) for path, content in files.items()]
    modules = [module_entry(report) for report in bundle.report_modules]
    return {
        "format": FORMAT,
        "cribo-ci": __version__,
        "interpreter": {
            "implementation": sys.implementation.name,
            "version": platform.python_version(),
            "cache_tag": sys.implementation.cache_tag,
        },
        "output": output.name,
        "mode": "launcher" if bundle.launcher else "script",
        "modules": modules,
        "data_files": [{"path": name, "bytes": size} for name, size in bundle.data_files],
        "requirements": list(bundle.requirements),
        "warnings": sorted({str(warning) for warning in bundle.warnings}),
        "files": written,
        "totals": {
            "modules": len(modules),
            "source_bytes": sum(m["source_bytes"] for m in modules),
            "modules_bundle_bytes": sum(m["bundle_bytes"] for m in modules),
            "data_bytes": sum(size for _, size in bundle.data_files),
            "program_bytes": sum(f["bytes"] for f in written if f["role"] in PROGRAM),
            "files_bytes": sum(f["bytes"] for f in written),
        },
    }


PROGRAM = ("bundle", "launcher", "module", "code cache")  # what a run needs


def module_entry(report: ModuleReport) -> dict:
    return {
        "name": report.name,
        "path": report.path,
        "kind": report.kind,
        "source_bytes": report.source_bytes,
        "bundle_bytes": report.bundle_bytes,
        "reason": report.reason,
        "warnings": list(report.warnings),
    }


def file_entry(path: Path, content: Union[str, bytes], output: Path, launched: bool) -> dict:
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    return {
        "path": path.name,
        "role": file_role(path, output, launched),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def file_role(path: Path, output: Path, launched: bool) -> str:
    if path.name.endswith(".cribo"):
        return "code cache"
    if path.name.endswith(".map"):
        return "source map"
    if path.name == "requirements.txt":
        return "requirements"
    if path == output:
        return "launcher" if launched else "bundle"
    return "module"


def render_metafile(data: dict) -> str:
    return json.dumps(data, indent=1, sort_keys=False) + "\n"
