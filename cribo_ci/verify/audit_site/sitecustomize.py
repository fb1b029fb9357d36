"""Loaded by ``site`` before a verified bundle runs (``verify`` puts this folder
on ``PYTHONPATH``). Stdlib only: it runs under every target interpreter.

It refuses every ``compile`` and ``exec`` of code from the bundle file beyond
the interpreter's own compile and run of the script itself, and records each
refusal in ``CRIBO_AUDIT_LOG``: an exec-free bundle runs its module bodies
through ``__build_class__`` and never causes one.
"""

import os
import sys

BUNDLE = os.environ.get("CRIBO_AUDIT_BUNDLE", "")
LOG = os.environ.get("CRIBO_AUDIT_LOG", "")
seen = {"compile": 0, "exec": 0}


def describe(event, args):
    """The file and code name an event concerns (``compile`` has only a file name)."""
    if event == "compile":
        return args[1], "<module>"
    return getattr(args[0], "co_filename", None), getattr(args[0], "co_name", None)


def audit(event, args):
    if event not in seen:
        return
    filename, code_name = describe(event, args)
    if filename != BUNDLE:
        return
    seen[event] += 1
    if seen[event] == 1 and code_name == "<module>":
        return  # the interpreter compiling and running the script: allowed once each
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{event} of bundle code {code_name!r}\n")
    raise RuntimeError(f"cribo-ci verify: {event} of bundle code {code_name!r} refused")


if BUNDLE and LOG:
    sys.addaudithook(audit)
