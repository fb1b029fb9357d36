"""Reading sources the way the interpreter does, and parsing them once.

Python decodes a source by its BOM or encoding cookie (PEP 263) and reads it
with universal newlines, so ``\\r\\n`` and lone ``\\r`` inside a string literal
become ``\\n``. ``read_source`` does the same, so the text we bundle (always
UTF-8, ``\\n`` line ends) means exactly what the original meant.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import tokenize
import warnings
from pathlib import Path

from .errors import DecodeError, SourceSyntaxError
from .model import Location, SourceFile

NEWLINES = re.compile(r"\r\n|\r")


def read_source(path: Path, relpath: str) -> SourceFile:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DecodeError(f"cannot read: {error.strerror}", Location(relpath)) from error
    return decode_source(raw, relpath)


def decode_source(raw: bytes, relpath: str) -> SourceFile:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        text = raw.decode(encoding)
    except (SyntaxError, LookupError) as error:
        raise DecodeError(str(error), Location(relpath, 1)) from error
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1)
        message = f"cannot decode byte 0x{raw[error.start]:02x} as {error.encoding}"
        raise DecodeError(message, Location(relpath, line, column)) from error
    # "utf-8-sig" (what detect_encoding says for a BOM) has dropped the BOM already.
    text = NEWLINES.sub("\n", text)
    return SourceFile(relpath, text, hashlib.sha256(raw).hexdigest())


def parse_source(source: SourceFile) -> ast.Module:
    """Parse, turning every failure into an error that names file:line:col."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. are the program's business
            return ast.parse(source.text, filename=source.relpath)
    except SyntaxError as error:
        raise syntax_error(error, source) from error
    except ValueError as error:  # null bytes on older interpreters
        line = source.text.count("\n", 0, max(source.text.find("\0"), 0)) + 1
        raise SourceSyntaxError(str(error), Location(source.relpath, line)) from error


def syntax_error(error: SyntaxError, source: SourceFile) -> SourceSyntaxError:
    line = error.lineno or 1
    column = max((error.offset or 1) - 1, 0)
    lines = source.text.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    detail = f"    {text}\n    {' ' * column}^" if text else ""
    return SourceSyntaxError(error.msg, Location(source.relpath, line, column), detail)


def line_starts(text: str) -> list[int]:
    """Offsets of the first character of every line (index 0 is line 1)."""
    starts = [0]
    starts.extend(match.end() for match in re.finditer("\n", text))
    return starts


class Positions:
    """Converts ``ast`` positions (UTF-8 byte columns) to ``str`` offsets."""

    def __init__(self, text: str):
        self.text = text
        self.starts = line_starts(text)
        self.lines = text.split("\n")

    def offset(self, line: int, byte_column: int) -> int:
        text = self.lines[line - 1]
        if text.isascii():
            column = byte_column
        else:
            column = len(text.encode("utf-8")[:byte_column].decode("utf-8", "replace"))
        return self.starts[line - 1] + column

    def start(self, node: ast.AST) -> int:
        return self.offset(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> int:
        return self.offset(node.end_lineno, node.end_col_offset)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = self.text.count("\n", 0, offset) + 1
        return line, offset - self.starts[line - 1]
