"""The ``cribo-ci`` command line: each command a few lines over ``api``.

Every command lives in its own module of this package, named in
``MODULE_OF_COMMAND``; importing one registers its commands on ``app``.
"""

import contextlib
import gc
import importlib
import os
import sys
from typing import Annotated, List, NoReturn, Optional, Sequence, Union

import typer

from .. import __version__

app = typer.Typer(
    help="Bundle a multi-module Python project into one exec-free .py file, and verify it.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},  # -h as Cribo spells it
    # An unexpected error is reported in one line by ``main`` (below), not as
    # a boxed, pages-long traceback.
    pretty_exceptions_enable=False,
)
ISSUES = "https://github.com/cribo-ci/cribo-ci/issues"

# The module of each command: a run imports only the one it needs (start-up
# time is most of a warm re-bundle); help and unknown names load them all.
MODULE_OF_COMMAND = {
    "bundle": "bundle",
    "verify": "verify",
    "action": "action",
    "map": "sourcemap",
    "remap": "sourcemap",
    "fix": "fix",
}
COMMAND_MODULES = tuple(dict.fromkeys(MODULE_OF_COMMAND.values()))


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def show_version(wanted: bool) -> None:
    if wanted:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def options(
    version: Annotated[
        Optional[bool],
        typer.Option(
            "--version", "-V", callback=show_version, is_eager=True, help="Print the version."
        ),
    ] = None,
) -> None:
    """Bundle a multi-module Python project into one exec-free .py file, and verify it."""


# Options that belong to `cribo-ci` itself; any other option first on the
# command line means `bundle`, as Cribo's command line has no subcommand.
OWN_OPTIONS = ("-h", "--help", "-V", "--version")


def with_default_command(argv: List[str]) -> List[str]:
    """``cribo-ci -e main.py -o out.py`` is ``cribo-ci bundle -e main.py -o out.py``."""
    if len(argv) > 1 and argv[1].startswith("-") and argv[1] not in OWN_OPTIONS:
        return [argv[0], "bundle", *argv[1:]]
    return argv


def load_commands(names: Sequence[str] = COMMAND_MODULES) -> typer.Typer:
    """Register the commands of these modules on ``app`` (tests call this with
    none given, for all of them, then use CliRunner)."""
    for name in names:
        importlib.import_module(f"{__name__}.{name}")
    return app


def main() -> NoReturn:
    # A run is one short process: the cycle collector's passes over the young
    # objects of a large project's cache entries (about 100 of them, 10 ms of a
    # 0.3 s warm re-bundle) find nothing to free. Rarer, not off (as mypy does):
    # a cold run of a large project still collects.
    gc.set_threshold(200_000, 30, 30)
    sys.argv = with_default_command(sys.argv)
    module = MODULE_OF_COMMAND.get(sys.argv[1]) if len(sys.argv) > 1 else None
    try:
        load_commands((module,) if module else COMMAND_MODULES)()
        code = 0
    except SystemExit as done:  # how click ends every run
        code = done.code
    except Exception as error:  # a bug of cribo-ci's own (a CriboError never gets here)
        code = report_internal_error(error, verbose=bool({"-v", "--verbose"} & set(sys.argv)))
    exit_now(code)


def report_internal_error(error: Exception, verbose: bool) -> int:
    """One line: the error, where in cribo-ci and on which module it happened,
    and how to report it; the traceback only with ``-v``. Commands write
    their output last (and atomically), so there is none to take back."""
    from ..errors import INTERNAL_ERROR_EXIT, where_in_cribo

    where = getattr(error, "cribo_where", "") or where_in_cribo(error) or "unknown"
    module = getattr(error, "cribo_module", "")
    text = (str(error).splitlines() or [""])[0]
    print(
        f"internal error: {type(error).__name__}: {text} (at {where}"
        + (f", processing {module}" if module else "")
        + f"); this is a bug in cribo-ci {__version__}: please report it at {ISSUES}"
        + ("" if verbose else " with the output of the same command run with -v"),
        file=sys.stderr,
    )
    if verbose:
        import traceback

        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    return INTERNAL_ERROR_EXIT


def exit_now(code: Union[int, str, None]) -> NoReturn:
    """Exit without freeing the heap object by object: after a large bundle
    that is about 100 MB of objects, 15 ms of a 0.3 s warm re-bundle, which
    the OS frees at once. mypy ends the same way. Output is flushed first;
    nothing of cribo-ci waits at exit (a process pool is shut down when done)."""
    if isinstance(code, str):  # SystemExit("message"): print it, exit 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more to say
            stream.flush()
    os._exit(code or 0)
