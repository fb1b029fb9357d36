"""One error type per phase; each carries its location and exit code.

The CLI catches ``CriboError`` once, prints ``str(error)`` and exits with
``error.exit_code``. The codes are documented in the README's table.
"""

from __future__ import annotations

from typing import Optional, Sequence

from .model import Location, Warning_


class CriboError(Exception):
    exit_code = 1
    kind = "error"

    def __init__(self, message: str, location: Optional[Location] = None, detail: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location
        self.detail = detail

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.kind}: {self.message}"
        return f"{text}\n{self.detail}" if self.detail else text


class ConfigError(CriboError):
    exit_code = 3
    kind = "config error"


class EntryError(CriboError):
    exit_code = 4
    kind = "entry error"


class SourceSyntaxError(CriboError):
    exit_code = 5
    kind = "syntax error"


class DecodeError(CriboError):
    exit_code = 6
    kind = "decode error"


class ResolveError(CriboError):
    exit_code = 7
    kind = "import error"


class StrictError(CriboError):
    """``strict``: the bundle had warnings. Each is printed as an error, then a summary."""

    exit_code = 8
    kind = "strict"

    def __init__(self, warnings: Sequence[Warning_]):
        count = f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}"
        super().__init__(f"{count} at bundle time, errors under `strict`: nothing written")
        self.errors = [f"{warning.location}: error: {warning.message}" for warning in warnings]

    def __str__(self) -> str:
        return "\n".join([*self.errors, f"{self.kind}: {self.message}"])


class OutputError(CriboError):
    exit_code = 9
    kind = "output error"


class StaleBundleError(CriboError):
    exit_code = 10
    kind = "stale bundle"


class VerifyError(CriboError):
    exit_code = 11
    kind = "verify failed"
