"""The exec-based baseline (``static-bundling = false``), appended to the runtime.

Each module is held as its source text, not as a holder function; this
``run_body`` replaces the static one, so the same finder compiles a module's
source on first import and execs it in the module's dict: the "traditional"
bundle that benchmarks compare against. Never the default: a bundle built so
is no longer exec-free.
"""

import builtins


def run_body(source, namespace, qualname_fixes=()):
    namespace.setdefault("__builtins__", builtins.__dict__)
    # The original path as the file name: tracebacks point at the original lines.
    filename = namespace.get("__file__") or namespace.get("__name__", "<bundle>")
    exec(compile(source, filename, "exec", dont_inherit=True), namespace)
