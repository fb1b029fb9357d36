import os
import sys

# `python -m cribo_ci` puts the current folder first on sys.path: run inside a
# project with a `typer.py` or `tokenize.py`, cribo would import (run) the
# project's file instead of its own dependency. The bundler only reads projects.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from .cli import main

main()
