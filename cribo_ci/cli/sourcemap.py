"""``cribo-ci map`` and ``cribo-ci remap``: bundle positions back to the original code.

No ``from __future__ import annotations`` here (see cli/bundle.py).
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CriboError
from ..model import Location, counted
from ..sourcemap import DecodedMap, decode_sourcemap, utf16_column
from ..sourcemap.lookup import map_from_comment
from ..sourcemap.remap import remap_counting
from . import app


class MapNotFoundError(CriboError):
    kind = "source map error"
    exit_code = 1


def load_map(bundle: Path) -> DecodedMap:
    """``bundle.py.map`` beside the bundle, else the map inline in it."""
    beside = bundle.with_name(bundle.name + ".map")
    if beside.is_file():
        return decode_sourcemap(beside.read_text(encoding="utf-8"))
    inline = map_from_comment(bundle.read_text(encoding="utf-8")) if bundle.is_file() else None
    if inline is None:
        raise MapNotFoundError(f"no {beside.name} and no inline map in {bundle}")
    return decode_sourcemap(inline)


def parse_target(target: str) -> tuple[Path, int, int]:
    """``bundle.py:LINE[:COL]`` -> (path, line, 0-based column, or -1 for none)."""
    parts = target.rsplit(":", 2)
    while len(parts) > 1 and not parts[-1].isdigit():
        parts = [":".join(parts[:2]), *parts[2:]]
    numbers = [int(part) for part in parts[1:]]
    if not numbers or len(numbers) > 2 or parts[0] == "":
        raise typer.BadParameter(f"expected BUNDLE:LINE[:COL], not {target!r}")
    return Path(parts[0]), numbers[0], (numbers[1] - 1 if len(numbers) == 2 else -1)


@app.command("map")
def map_position(
    target: Annotated[str, typer.Argument(help="BUNDLE.py:LINE[:COL], 1-based like tracebacks.")],
) -> None:
    """Print the original file:line:col of a bundle position."""
    path, line, column = parse_target(target)
    try:
        lines = bundle_lines(path)
        if not 0 < line <= len(lines):
            message = f"line {line} is past the end of the bundle ({len(lines)} lines)"
            raise CriboError(message, Location(str(path)))
        decoded = load_map(path)
        utf16 = utf16_column(lines[line - 1], column) if column >= 0 else None
        position = decoded.original_position(line, utf16)
    except CriboError as error:
        typer.echo(str(error if error.location else f"{path}: {error}"), err=True)
        raise typer.Exit(1) from None
    except (OSError, ValueError) as error:
        typer.echo(f"{path}: error: {error}", err=True)
        raise typer.Exit(1) from None
    if position is None:
        typer.echo(f"{path}:{line}: not in any module (the bundle's runtime)", err=True)
        raise typer.Exit(1)
    typer.echo(f"{position.source}:{position.line}:{position.column + 1}")


def bundle_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise CriboError("no such file" if not path.exists() else "not a file", Location(str(path)))
    return path.read_text(encoding="utf-8").splitlines()


@app.command("remap")
def remap(
    source_map: Annotated[Path, typer.Argument(help="The bundle's .map file (or the bundle).")],
) -> None:
    """Rewrite a bundle's traceback read from stdin into original locations."""
    try:
        if source_map.suffix == ".map":
            decoded = decode_sourcemap(source_map.read_text(encoding="utf-8"))
        else:
            decoded = load_map(source_map)
    except (CriboError, OSError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    text, count = remap_counting(sys.stdin.read(), decoded)
    sys.stdout.write(text)
    # On stderr: stdout stays the traceback alone. None found is said, never silent.
    found = f"remapped {counted(count, 'frame')}" if count else "no frame of the bundle found"
    typer.echo(f"cribo-ci remap: {found} ({decoded.file or source_map.name})", err=True)
