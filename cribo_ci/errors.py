"""One error type per phase; each carries its location and exit code.

The CLI catches ``CriboError`` once, prints ``str(error)`` and exits with
``error.exit_code``. The codes are documented in the README's table.
"""

from __future__ import annotations

import contextlib
import os
from typing import Iterator, Optional, Sequence

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


# Any other exception is a bug of cribo-ci's own: the CLI reports it in one
# line with where it happened, and exits with this code (sysexits.h's
# EX_SOFTWARE, "internal software error").
INTERNAL_ERROR_EXIT = 70


@contextlib.contextmanager
def processing(relpath: str) -> Iterator[None]:
    """Name the module being processed on an unexpected exception (the
    innermost name wins), for the CLI's one-line report."""
    try:
        yield
    except CriboError:
        raise
    except Exception as error:
        if not hasattr(error, "cribo_module"):
            error.cribo_module = relpath
            error.cribo_where = where_in_cribo(error)  # kept across a worker's pickling
        raise


def where_in_cribo(error: BaseException) -> str:
    """``file:line`` of the innermost frame of cribo-ci's own code in the traceback."""
    package = os.path.dirname(os.path.abspath(__file__))
    found = ""
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if os.path.abspath(filename).startswith(package + os.sep):
            relative = os.path.relpath(filename, os.path.dirname(package))
            found = f"{relative}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
