"""``--original-locations``: functions and classes carry their original file and lines.

Copied into the bundle after ``tracebacks.py``, only with that option.
``relocate_modules`` wraps the bootstrap's ``run_body`` so each module's
holder runs with its code objects moved to the original file and line
numbers, which ``inspect``, ``__code__.co_filename`` and tracebacks printed
by the program itself then show.
"""

from types import CodeType, FunctionType


def relocated(code, path, shift):
    """A code object, and those nested in it, carrying the original file and lines.

    Only code that starts at or below the module's first line moves: a line
    number must stay positive, and the module body's code starts on the
    holder's ``class`` line, above it. Innermost first, with a list rather
    than recursion: lambdas may nest thousands deep.
    """
    order, pending = [], [code]
    while pending:
        current = pending.pop()
        order.append(current)
        pending.extend(c for c in current.co_consts if isinstance(c, CodeType))
    moved = {}
    for current in reversed(order):  # every code object after those inside it
        consts = tuple(moved.get(id(c), c) for c in current.co_consts)
        moved[id(current)] = current.replace(
            co_filename=path, co_firstlineno=current.co_firstlineno - shift, co_consts=consts
        )
    return moved[id(code)]


def relocate_holder(holder, module):
    """The holder with the module's functions and classes relocated (see ``relocated``).

    A holder is never called: the body among its constants is all the loader
    reads of it, so the new holder holds that alone.
    """
    body = holder_body(holder)  # noqa: F821 (bootstrap.py, above it in the bundle)
    inner = tuple(
        relocated(c, module.path, module.first - 1) if isinstance(c, CodeType) else c
        for c in body.co_consts
    )
    code = holder.__code__.replace(co_consts=(body.replace(co_consts=inner),))
    return FunctionType(code, holder.__globals__)


def relocate_modules(bundle_globals, hook):
    """Wrap ``run_body``; ``hook`` (the traceback hook) knows each module's place."""
    plain_run_body = bundle_globals["run_body"]

    def run_relocated(holder, namespace, qualname_fixes=()):
        modules, by_path = hook.places()
        module = next(m for m in modules if m.first > holder.__code__.co_firstlineno)
        if module.path not in by_path:
            return plain_run_body(holder, namespace, qualname_fixes)
        hook.remember(module)
        return plain_run_body(relocate_holder(holder, module), namespace, qualname_fixes)

    bundle_globals["run_body"] = run_relocated
