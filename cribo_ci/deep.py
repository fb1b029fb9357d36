"""Room for deeply nested code: the analysis of a module whose tree is deep.

Everything the bundler writes itself walks trees with an explicit stack, but
three stdlib steps recurse once per level of nesting: ``ast.parse`` (its C
conversion to Python objects), ``symtable`` (C) and ``ast.unparse`` (Python,
several frames a level). CPython's own compiler accepts far deeper trees
than they manage at the default recursion limit of 1,000: about 3,000 levels
on 3.9-3.12 (three times the limit), about 10,000 on 3.13 (a fixed C limit),
and on 3.9 a left-nested sum (``1 + 1 + ...``, as generated tables hold) of
some 175,000 terms, where the C stack of the main thread runs out first.

So a step that overflows runs again in a thread of its own, with a stack of
``STACK_BYTES`` and a recursion limit of ``RECURSION_LIMIT``: measured on
3.9 and 3.11, parsing, ``symtable`` and ``unparse`` of that 175,000-term sum
fit (about 2, 2 and 9 s). The thread's stack is address space reserved, not
memory used: pages are touched only as deep as the recursion goes. Most
modules never need it, so most pay nothing; a source too large to be parsed
safely on the main thread's stack (``MAIN_THREAD_CHARS``; a C overflow would
end the process, not raise) goes to the thread at once.
"""

from __future__ import annotations

import sys
import threading
from typing import Callable, TypeVar

Result = TypeVar("Result")

STACK_BYTES = 512 << 20
RECURSION_LIMIT = 1_000_000
# A tree can be no deeper than its text is long (two characters a level for
# ``1+1+...``): below this, every CPython 3.9-3.13 ``ast.parse`` either
# succeeds on an 8 MiB main-thread stack or raises RecursionError.
MAIN_THREAD_CHARS = 100_000


def with_room(step: Callable[..., Result], size: int, *args) -> Result:
    """``step(*args)``, run again with room to recurse if it overflows;
    ``size``: the length of the source it works on."""
    if size > MAIN_THREAD_CHARS:
        return in_deep_thread(step, *args)
    try:
        return step(*args)
    except RecursionError:
        return in_deep_thread(step, *args)


def in_deep_thread(step: Callable[..., Result], *args) -> Result:
    """``step(*args)`` on a thread with a large stack and recursion limit;
    its exception, if any, is raised here."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = step(*args)
        except BaseException as error:  # handed to the caller's thread
            outcome["error"] = error

    previous_stack = threading.stack_size(STACK_BYTES)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous_limit, RECURSION_LIMIT))
    try:
        # A daemon: Ctrl-C while it runs ends the bundler without waiting for it.
        worker = threading.Thread(target=run, name="cribo-deep", daemon=True)
        worker.start()
        worker.join()
    finally:
        sys.setrecursionlimit(previous_limit)
        threading.stack_size(previous_stack)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
