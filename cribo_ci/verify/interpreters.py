"""The interpreters ``verify`` compiles with: found as the bundler finds them
(``cribo_ci/interpreters.py``, below ``api``, which makes the launcher's code
caches with the same list)."""

from ..interpreters import VERSION, choose_interpreters, find_interpreter, find_version

__all__ = ["VERSION", "choose_interpreters", "find_interpreter", "find_version"]
