"""Package data: the non-Python files inside bundled packages, and code that
looks for them beside ``__file__`` (where a bundle has no files).

The files go into one deflated zip, written as base64 text: about 1.33 bytes
of bundle per compressed byte. Base85 would take 1.25, but its decoder is
pure Python, about 50 times slower than base64's in C (0.3 s against 7 ms
for 4 MB, paid by the first run that reads data); bytes literals of text
cost 2 per line end. The zip is byte-stable: sorted members, a fixed
timestamp and fixed permissions. It also holds a folder entry for every
bundled package, so the tree a run extracts (runtime/resources.py) has
every package's folder, and the archive's digest, which names the extracted
folder, covers the whole tree.
"""

from __future__ import annotations

import ast
import base64
import fnmatch
import hashlib
import io
import os
import zipfile
from pathlib import Path
from typing import Sequence

from .model import Location, ModuleGraph, Warning_

# Files next to the code that are code, not data: sources, stubs, bytecode,
# native extensions and their C sources.
NOT_DATA = ("*.py", "*.pyi", "*.pyc", "*.pyo", "*.so", "*.pyd", "*.dylib", "*.c", "*.h")
SKIPPED_FOLDERS = {"__pycache__"}
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no clock in the output
LINE_WIDTH = 96


def collect_data_files(graph: ModuleGraph, globs: tuple[str, ...] = ()) -> dict[str, Path]:
    """``{path relative to the bundle folder: file}`` for every bundled package.

    ``globs`` (the ``data-files`` setting) select files by their path inside
    the package or their name; by default every file that is not code.
    """
    packages = [m for m in graph.modules if m.is_package and m.source is not None]
    package_dirs = {m.root / Path(m.source.relpath).parent for m in packages}
    found: dict[str, Path] = {}
    for module in packages:
        folder = module.root / Path(module.source.relpath).parent
        for path in walk_data(folder, package_dirs):
            inside = path.relative_to(folder).as_posix()
            if wanted(inside, globs):
                found[path.relative_to(module.root).as_posix()] = path
    return dict(sorted(found.items()))


def walk_data(folder: Path, package_dirs: set[Path], above: frozenset = frozenset()) -> list[Path]:
    """Files under a package folder that are not code, not descending into
    other bundled packages. (Code is skipped by name first: it is nearly
    every file, and a ``Path`` each would cost more than the walk.)

    ``above`` holds the real folders walked down to here: a symlink back to
    one of them (``pkg/loop -> .``) is a loop, not more data.
    """
    above = above | {folder.resolve()}
    files = []
    for entry in sorted(os.scandir(folder), key=lambda item: item.name):
        kind = entry_kind(entry)
        if kind == "folder":
            path = Path(entry.path)
            inside = path not in package_dirs and path.resolve() not in above
            if entry.name not in SKIPPED_FOLDERS and inside:
                files += walk_data(path, package_dirs, above)
        elif kind == "file" and not is_code(entry.name):
            files.append(Path(entry.path))
    return files


def entry_kind(entry: os.DirEntry) -> str:
    """A symlink loop (``a -> b -> a``) raises ELOOP on any stat: neither."""
    try:
        return "folder" if entry.is_dir() else "file" if entry.is_file() else ""
    except OSError:
        return ""


def is_code(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in NOT_DATA)


def wanted(inside: str, globs: tuple[str, ...]) -> bool:
    """Whether a file that is not code is data the settings ask for."""
    if not globs:
        return True
    name = inside.rpartition("/")[2]
    return any(fnmatch.fnmatchcase(inside, g) or fnmatch.fnmatchcase(name, g) for g in globs)


def package_folders(graph: ModuleGraph) -> tuple[str, ...]:
    """Every bundled package's folder, relative to the bundle folder."""
    folders = {
        Path(m.source.relpath).parent.as_posix() if m.source else m.name.replace(".", "/")
        for m in graph.modules
        if m.is_package
    }
    return tuple(sorted(folders))


def encode_data(files: dict[str, Path], folders: Sequence[str] = ()) -> str:
    """The files, and a folder entry for each of ``folders``, as one zip in base64 text."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder in sorted(folders):
            info = zipfile.ZipInfo(folder + "/", ZIP_TIME)
            info.external_attr = (0o40755 << 16) | 0x10  # a folder, for Unix and DOS readers
            archive.writestr(info, b"")
        for member, path in sorted(files.items()):
            info = zipfile.ZipInfo(member, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def data_literal(encoded: str, indent: str, extract: bool = False) -> list[str]:
    """The runtime's ``(digest, extract-data, archive)``: the archive a
    parenthesised run of string literals, one short line each. The digest
    names the folder the data is extracted to, so it changes with any byte."""
    digest = hashlib.sha256(encoded.encode("ascii")).hexdigest()[:32]
    chunks = [encoded[i : i + LINE_WIDTH] for i in range(0, len(encoded), LINE_WIDTH)]
    lines = [f'{indent}    "{chunk}"' for chunk in chunks]
    return [
        f"{indent}(",
        f'{indent}    "{digest}",',
        f"{indent}    {extract},",
        *lines,
        f"{indent}),",
    ]


# ``os.path.dirname(__file__)``, ``Path(__file__).parent``, ``abspath(__file__)``:
# a folder taken from ``__file__`` to find files in.
PATH_FUNCTIONS = {"dirname", "abspath", "realpath", "join", "Path", "PurePath", "split"}


FILE_PATH = "a path built from __file__: a bundle has no files beside it; "
# Inside a package the data is bundled, and `extract-data` puts it beside __file__.
IN_PACKAGE_HINT = (
    "set `extract-data = true` under [tool.cribo] (or pass --extract-data) to extract "
    "the package's data and give its modules a __file__ beside it, or read the data "
    "with importlib.resources.files() or pkgutil.get_data()"
)
# Beside a top-level module nothing is data: only files inside packages are bundled.
TOP_LEVEL_HINT = (
    "only files inside packages are bundled as data: move the data into a package "
    "and read it with importlib.resources.files() or pkgutil.get_data()"
)


def file_path_warnings(nodes: Sequence[ast.AST], relpath: str) -> list[Warning_]:
    """Where code builds a path from ``__file__``: in a bundle no data file lies there.
    ``nodes``: all of the module's, in ``ast.walk`` order."""
    warnings = []
    message = FILE_PATH + (IN_PACKAGE_HINT if "/" in relpath else TOP_LEVEL_HINT)
    for node in nodes:
        if not isinstance(node, ast.Call) or not uses_file(node):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name in PATH_FUNCTIONS:
            warnings.append(Warning_(Location(relpath, node.lineno, node.col_offset), message))
    return warnings


def unsettled_warnings(warnings: Sequence[Warning_], extract_data: bool) -> tuple[Warning_, ...]:
    """Without the warnings ``extract-data`` settles: paths from a packaged module's ``__file__``."""
    settled = FILE_PATH + IN_PACKAGE_HINT
    return tuple(w for w in warnings if not (extract_data and w.message == settled))


def uses_file(call: ast.Call) -> bool:
    return any(isinstance(arg, ast.Name) and arg.id == "__file__" for arg in call.args)
