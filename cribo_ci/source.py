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
COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")  # PEP 263's own pattern


def read_source(path: Path, relpath: str) -> SourceFile:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DecodeError(f"cannot read: {error.strerror}", Location(relpath)) from error
    return decode_source(raw, relpath)


def decode_source(raw: bytes, relpath: str) -> SourceFile:
    encoding = source_encoding(raw, relpath)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode(encoding, "replace"))  # code points
        message = f"cannot decode byte 0x{raw[error.start]:02x} as {error.encoding}"
        raise DecodeError(message, Location(relpath, line, column)) from error
    # "utf-8-sig" (what detect_encoding says for a BOM) has dropped the BOM already.
    if "\r" in text:  # rare, and the search is far quicker than a regex pass
        text = NEWLINES.sub("\n", text)
    return SourceFile(relpath, text, hashlib.sha256(raw).hexdigest())


def source_encoding(raw: bytes, relpath: str) -> str:
    """PEP 263's answer; a bad cookie is an error at the cookie's line."""
    try:
        return tokenize.detect_encoding(io.BytesIO(raw).readline)[0]
    except SyntaxError as error:
        message = str(error)
        if message.startswith("invalid or missing encoding declaration"):
            return "utf-8"  # no cookie and a line 1 that is not UTF-8: decoding says where
        if message.startswith("encoding problem: utf-8"):
            message = "the UTF-8 byte-order mark and the encoding cookie disagree"
        raise DecodeError(message, Location(relpath, cookie_line(raw))) from error


def cookie_line(raw: bytes) -> int:
    """The line (1 or 2) that holds the encoding cookie."""
    for number, line in enumerate(raw.splitlines()[:2], start=1):
        if COOKIE.match(line):
            return number
    return 1


def parse_source(source: SourceFile) -> ast.Module:
    """Parse, turning every failure into an error that names file:line:col."""
    if "\0" in source.text:
        # Python 3.11+ reports no line for a null byte, 3.9/3.10 a ValueError: say where.
        raise null_byte_error(source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes etc. are the program's business
            return ast.parse(source.text, filename=source.relpath)
    except SyntaxError as error:
        raise syntax_error(error, source) from error


def null_byte_error(source: SourceFile) -> SourceSyntaxError:
    offset = source.text.index("\0")
    line = source.text.count("\n", 0, offset) + 1
    column = offset - (source.text.rfind("\n", 0, offset) + 1)
    text = source.text.split("\n")[line - 1].replace("\0", "\\0")
    detail = f"    {text}\n    {' ' * column}^"
    message = "source code cannot contain null bytes"
    return SourceSyntaxError(message, Location(source.relpath, line, column), detail)


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
