"""The ``cribo-ci`` command line: each command a few lines over ``api``.

Every command lives in its own module of this package, listed in
``COMMAND_MODULES``; importing one registers its commands on ``app``.
"""

import importlib

import typer

from .. import __version__

app = typer.Typer(
    help="Bundle a multi-module Python project into one exec-free .py file, and verify it.",
    no_args_is_help=True,
    add_completion=False,
)

COMMAND_MODULES = ("bundle", "verify", "sourcemap")


@app.command()
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def load_commands() -> typer.Typer:
    """Register every command on ``app`` (tests call this, then use CliRunner)."""
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return app


def main() -> None:
    load_commands()()
