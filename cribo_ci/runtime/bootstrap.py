"""The runtime of a cribo-ci bundle: serves the bundled modules, never execs.

Every bundled module is a holder function whose only statement is a class
named ``_________`` holding the module's code. The holder is never called:
``run_body`` takes the class body's code object from it and runs it with
``builtins.__build_class__`` and a metaclass whose ``__prepare__`` returns the
module's own dict (PEP 3115). The code then runs with that dict as both its
globals and its locals, exactly as a module body does, and no class is made;
it is renamed ``<module>`` first, so its frames read as a module's.
The name is underscores only, so CPython mangles no ``__private`` names.
"""

import builtins
import os
import sys
import types
from importlib.machinery import ModuleSpec

BODY = "_________"
# What a class body stores in its namespace that a module body does not.
CLASS_LEFTOVERS = ("__qualname__", "__module__", "__firstlineno__", "__static_attributes__")
CLASS_CELLS = ("__classcell__", "__classdictcell__")
CO_OPTIMIZED = 1  # inspect.CO_OPTIMIZED: set on function bodies, never on class bodies
# The name a module's own code object has: frames, logging's funcName, inspect
# and traceback read it. (The class name mattered only to the compiler, for
# mangling and qualnames: renaming the compiled code changes neither.)
MODULE_CODE_NAMES = {"co_name": "<module>"}
if sys.version_info >= (3, 11):
    MODULE_CODE_NAMES["co_qualname"] = "<module>"


class Namespace(type):
    """Runs a class body in the dict it is given and creates no class."""

    def __prepare__(name, bases, namespace):
        return namespace

    def __new__(cls, name, bases, body_namespace, namespace):
        return None


# The launcher mode's bytecode cache (runtime/launch.py) loads this file's
# code with every holder emptied, and sets this to serve a holder's body
# by the holder's name, unmarshalled only when its module is imported.
stored_body = None


def holder_body(holder):
    code = holder.__code__
    body = next((c for c in code.co_consts if getattr(c, "co_name", "") == BODY), None)
    return body if body is not None else stored_body(code.co_name)


def run_body(holder, namespace, qualname_fixes=()):
    code = holder_body(holder).replace(**MODULE_CODE_NAMES)
    namespace.setdefault("__builtins__", builtins.__dict__)
    body = types.FunctionType(code, namespace)
    if code.co_flags & CO_OPTIMIZED:  # the function form (see transform/function_form.py)
        return body()
    try:
        builtins.__build_class__(body, BODY, metaclass=Namespace, namespace=namespace)
    finally:
        for key in CLASS_LEFTOVERS + CLASS_CELLS:
            namespace.pop(key, None)
        for name in qualname_fixes:  # names that are both annotated and def-ined
            plain_qualname(namespace.get(name))


def tidy(namespace):
    """Called first in every body: drop what the class prologue stored."""
    for key in CLASS_LEFTOVERS:
        namespace.pop(key, None)


def plain_qualname(value, marker=f"<locals>.{BODY}."):
    qualname = getattr(value, "__qualname__", None)
    if isinstance(qualname, str) and marker in qualname:
        value.__qualname__ = qualname.partition(marker)[2]
        if isinstance(value, type):
            for member in list(vars(value).values()):
                plain_qualname(member)


def import_star(namespace, name, level):
    """``from name import *``, which a class body may not contain."""
    module = __import__(name, namespace, None, ("*",), level)
    names = getattr(module, "__all__", None)
    if names is None:
        names = [key for key in module.__dict__ if not key.startswith("_")]
    for key in names:
        namespace[key] = getattr(module, key)


class BundleFinder:
    """PEP 451 finder and loader for the modules held in this file."""

    def __init__(self, modules, folder):
        self.modules = modules  # name -> (holder or None, is_package, relpath, qualname fixes)
        self.folder = folder

    def find_spec(self, fullname, path=None, target=None):
        entry = self.modules.get(fullname)
        if entry is None:
            return None
        holder, is_package, relpath = entry[:3]
        location = self.location(relpath)
        spec = ModuleSpec(
            fullname, self, origin=location if holder else None, is_package=is_package
        )
        spec.has_location = holder is not None
        if is_package:
            spec.submodule_search_locations = [
                location if holder is None else os.path.dirname(location)
            ]
        return spec

    def create_module(self, spec):
        return None  # the import system's default module

    def exec_module(self, module):
        holder, _, _, fixes = self.modules[module.__spec__.name]
        if holder is not None:
            run_body(holder, module.__dict__, fixes)

    def is_package(self, fullname):
        return self.modules[fullname][1]

    def get_filename(self, fullname):
        return self.location(self.modules[fullname][2])

    def location(self, relpath):
        """A module's ``__file__``: its original path, beside the bundle."""
        return os.path.join(self.folder, relpath)


def start(launcher, modules, entry, data=None):
    """Install the finder, then run the entry as the program's main module.

    The entry gets a fresh module under the launcher's name (``__main__``),
    so its globals hold only its own names, not this runtime's.
    """
    launcher_file = os.path.abspath(launcher["__file__"])
    folder = os.path.dirname(launcher_file)
    # With traceback support (tracebacks.py), the launcher's frames are left out too.
    getattr(sys.excepthook, "runtime_files", set()).add(launcher_file)
    # With package data, runtime/resources.py is in the bundle too.
    finder = BundleFinder(modules, folder) if data is None else DataFinder(modules, folder, data)  # noqa: F821
    sys.meta_path.insert(0, finder)
    name = launcher["__name__"]
    main = types.ModuleType(name)
    for key, value in launcher.items():
        if key.startswith("__") and key.endswith("__") and key != "__doc__":
            main.__dict__[key] = {} if key == "__annotations__" else value
    # The helpers rewritten module code calls, as `__import__("_cribo").<name>(...)`.
    runtime = types.ModuleType("_cribo")
    runtime.tidy, runtime.import_star = tidy, import_star
    sys.modules["_cribo"] = runtime
    sys.modules[name] = main
    holder, package, fixes = entry
    if package:  # `python -m package`: the package is imported first
        main.__package__ = package
        main.__spec__ = finder.find_spec(package + ".__main__")
        __import__(package)
    run_body(holder, main.__dict__, fixes)
