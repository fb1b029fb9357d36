"""The runtime as a bundle embeds it: the same code in fewer bytes.

The files in ``runtime/`` stay commented, readable source. A bundle gets
their tokens with comments, docstrings, blank lines and optional spaces left
out and one space per indentation level. Only ``tokenize`` is used, never
``ast.unparse`` (whose output changes between Python versions), and only the
token kinds and texts every supported Python agrees on, so each interpreter
the bundler runs on writes the same bytes.
"""

from __future__ import annotations

import io
import tokenize
from functools import cache
from pathlib import Path
from typing import NamedTuple

# verify's lint runs ruff over the runtime, which must still honour these.
KEPT_COMMENT = "# noqa"
SKIPPED = {tokenize.ENCODING, tokenize.ENDMARKER}
# 3.12+ splits an f-string into parts; older versions give one STRING token.
FSTRING_START = getattr(tokenize, "FSTRING_START", None)
FSTRING_END = getattr(tokenize, "FSTRING_END", None)


def is_word(char: str) -> bool:
    return char.isalnum() or char == "_" or not char.isascii()


def needs_space(before: str, after: str) -> bool:
    """Whether two adjacent tokens would read differently without a space
    between them. After a number also before a dot (``1 .real``) and after
    ``1.`` (``1.if`` is an invalid decimal literal to 3.12)."""
    if before[0].isdigit() or (before[0] == "." and before[1:2].isdigit()):  # a number
        return is_word(after[0]) or after[0] == "."
    return is_word(before[-1]) and is_word(after[0])


def join_tokens(texts: list[str]) -> str:
    out = texts[0]
    for before, after in zip(texts, texts[1:]):
        out += (" " if needs_space(before, after) else "") + after
    return out


class Line(NamedTuple):
    depth: int
    texts: list[str]  # the tokens' texts
    only_strings: bool  # a statement that is a string literal alone: a docstring
    comment: str  # a kept comment at its end, or ""


def logical_lines(source: str) -> list[Line]:
    lines: list[Line] = []
    depth, texts, only_strings, comment, nested = 0, [], True, "", 0
    rows = source.split("\n")
    fstring_start = (0, 0)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        kind = token.type
        if nested:  # inside an f-string (3.12+): taken whole, as 3.9 tokenizes it
            nested += (kind == FSTRING_START) - (kind == FSTRING_END)
            if not nested:
                texts.append(text_between(rows, fstring_start, token.end))
            continue
        if kind == FSTRING_START:
            nested, fstring_start, only_strings = 1, token.start, False
        elif kind == tokenize.INDENT:
            depth += 1
        elif kind == tokenize.DEDENT:
            depth -= 1
        elif kind == tokenize.NEWLINE:
            if texts:
                lines.append(Line(depth, texts, only_strings, comment))
            texts, only_strings, comment = [], True, ""
        elif kind == tokenize.NL:  # a comment followed by NL is not at a statement's end
            comment = ""
        elif kind == tokenize.COMMENT:
            comment = token.string if token.string.startswith(KEPT_COMMENT) else ""
        elif kind not in SKIPPED:
            texts.append(token.string)
            only_strings = only_strings and kind == tokenize.STRING
    return lines


def text_between(rows: list[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    (first_row, first_col), (last_row, last_col) = start, end
    if first_row == last_row:
        return rows[first_row - 1][first_col:last_col]
    middle = rows[first_row : last_row - 1]
    return "\n".join([rows[first_row - 1][first_col:], *middle, rows[last_row - 1][:last_col]])


def compact(source: str) -> str:
    """The source without comments (but ``# noqa`` ones), docstrings and blank
    lines, one space per indentation level, and spaces only where needed.

    A statement that is only a string literal (a docstring) does nothing and
    goes; a block left empty by that gets ``pass``.
    """
    kept = [line for line in logical_lines(source) if not line.only_strings]
    out = []
    for index, line in enumerate(kept):
        comment = " " + line.comment if line.comment else ""
        out.append(" " * line.depth + join_tokens(line.texts) + comment)
        next_depth = kept[index + 1].depth if index + 1 < len(kept) else 0
        if line.texts[-1] == ":" and next_depth <= line.depth:
            out.append(" " * (line.depth + 1) + "pass")
    return "\n".join(out)


@cache
def compacted_file(path: Path) -> str:
    """``compact`` of a runtime file, made once per process."""
    return compact(path.read_text(encoding="utf-8"))
