"""Loaded by ``site`` before a verified bundle runs (``verify`` puts this folder
on ``PYTHONPATH``). Stdlib only: it runs under every target interpreter.

It refuses every ``compile`` and ``exec`` of code from the bundle's files
(``CRIBO_AUDIT_BUNDLE``, joined by ``os.pathsep``: the bundle, or the launcher
and its module) beyond the interpreter's own compile and run of each file
(the script, the imported module), and records each refusal in
``CRIBO_AUDIT_LOG``: an exec-free bundle runs its module bodies through
``__build_class__`` and never causes one.
"""

import os
import sys

BUNDLE_FILES = frozenset(filter(None, os.environ.get("CRIBO_AUDIT_BUNDLE", "").split(os.pathsep)))
LOG = os.environ.get("CRIBO_AUDIT_LOG", "")
EVENTS = ("compile", "exec")
seen = {}  # (event, file) -> how many


def describe(event, args):
    """The file and code name an event concerns (``compile`` has only a file name)."""
    if event == "compile":
        return args[1], "<module>"
    return getattr(args[0], "co_filename", None), getattr(args[0], "co_name", None)


def audit(event, args):
    if event not in EVENTS:
        return
    filename, code_name = describe(event, args)
    if filename not in BUNDLE_FILES:
        return
    count = seen[event, filename] = seen.get((event, filename), 0) + 1
    if count == 1 and code_name == "<module>":
        return  # the interpreter compiling and running each file: allowed once each
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{event} of bundle code {code_name!r}\n")
    raise RuntimeError(f"cribo-ci verify: {event} of bundle code {code_name!r} refused")


if BUNDLE_FILES and LOG:
    sys.addaudithook(audit)
