"""Loaded before the bundle runs (this folder is put on PYTHONPATH by the tests).

Records every ``compile`` and ``exec`` of code from the bundle file beyond
the interpreter's own compile and run of the script itself. The bundle must
never cause one: it runs module bodies through ``__build_class__`` instead.
"""

import os
import sys

BUNDLE = os.environ.get("CRIBO_AUDIT_BUNDLE", "")
LOG = os.environ.get("CRIBO_AUDIT_LOG", "")
seen = {"compile": 0, "exec": 0}


def audit(event, args):
    if event not in seen:
        return
    if event == "compile":
        filename = args[1]
        code_name = "<module>"
    else:
        filename = getattr(args[0], "co_filename", None)
        code_name = getattr(args[0], "co_name", None)
    if not BUNDLE or filename != BUNDLE:
        return
    seen[event] += 1
    if seen[event] > 1 or code_name != "<module>":
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(f"{event} of bundle code {code_name!r}\n")


if BUNDLE:
    sys.addaudithook(audit)
