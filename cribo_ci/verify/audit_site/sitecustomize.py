"""Loaded by ``site`` before each run of an equivalence case (``verify`` puts
this folder on ``PYTHONPATH``). Stdlib only: it runs under every target
interpreter. Neither hook prints, and neither changes the program's exit.

In the bundle's run it refuses every ``compile`` and ``exec`` of code from the bundle's files
(``CRIBO_AUDIT_BUNDLE``, joined by ``os.pathsep``: the bundle, or the launcher
and its module) beyond the interpreter's own compile and run of each file
(the script, the imported module), and records each refusal in
``CRIBO_AUDIT_LOG``: an exec-free bundle runs its module bodies through
``__build_class__`` and never causes one.

In the unbundled run it records, one name a line in ``CRIBO_IMPORT_LOG``,
each first-party module whose body runs: a module found under one of the
source roots ``CRIBO_IMPORT_ROOTS`` (joined by ``os.pathsep``) at the path
its name gives. Each line is written as the module starts, so a run that
ends with ``os._exit`` or a crash loses none.
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


ROOTS = tuple(filter(None, os.environ.get("CRIBO_IMPORT_ROOTS", "").split(os.pathsep)))
IMPORT_LOG = os.environ.get("CRIBO_IMPORT_LOG", "")
recorded = set()  # file names already looked at


def first_party_name(filename):
    """The module name ``filename`` holds under a root, if ``sys.modules`` agrees."""
    for root in ROOTS:
        if not filename.startswith(root + os.sep):
            continue
        parts = filename[len(root) + 1 : -len(".py")].split(os.sep)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None) == filename:
            return name
    return None


def record_import(event, args):
    """A module body runs through ``exec`` (importlib's loader) once it is in ``sys.modules``."""
    if event != "exec":
        return
    code = args[0]
    filename = getattr(code, "co_filename", "")
    if getattr(code, "co_name", "") != "<module>" or not filename.endswith(".py"):
        return
    if filename in recorded:
        return
    recorded.add(filename)
    try:
        name = first_party_name(filename)
        if name:
            with open(IMPORT_LOG, "a", encoding="utf-8") as log:
                log.write(name + "\n")
    except Exception:  # the record is a help: never the reason a program fails
        pass


if BUNDLE_FILES and LOG:
    sys.addaudithook(audit)
if ROOTS and IMPORT_LOG:
    sys.addaudithook(record_import)
