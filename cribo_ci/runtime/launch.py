"""The launcher of the launcher mode: starts the bundle module from a bytecode
cache that unmarshals only the modules a run imports.

Python caches an imported module's bytecode as one ``.pyc`` and loads it
whole, every holder of the bundle with it, though most modules of a large
bundle are there because a run *may* import them. So on its first start the
launcher imports the bundle as usual, then splits the code Python compiled
into a skeleton (the runtime and its tables, every holder emptied) and one
entry per module body, and writes them beside the ``.pyc`` as
``<bundle>.<tag>.cribo``. Later starts run the skeleton and unmarshal a body
when its module is imported (``stored_body`` in bootstrap.py). Nothing is
compiled or exec'd: the code is what Python's own import compiled, and the
skeleton runs as the bootstrap runs a module body.

The cache is keyed by the interpreter's magic number and the bundle's path,
size and mtime, written to a temporary file renamed into place, and never
written where Python writes no bytecode. Any cache it cannot use, it ignores.
"""

import _frozen_importlib_external  # importlib's own path machinery, loaded at every start
import builtins
import marshal
import mmap
import os
import sys
import types

HOLDER_BODY = "_________"  # the class (or function) that holds a module's code
HEAD_SIZE = 4  # bytes giving the length of the marshalled head


class ModuleNamespace(type):
    """Runs module code in the dict it is given and creates no class (as
    bootstrap.py's ``Namespace``, which the skeleton itself defines)."""

    def __prepare__(name, bases, namespace):
        return namespace

    def __new__(cls, name, bases, body_namespace, namespace):
        return None


def launch(launcher, name):
    """Start the bundle module ``name``, beside the launcher, as ``run(launcher)``."""
    # Beside the launcher's real file, where Python looks first for imports (a
    # script's folder on sys.path has its symlinks resolved).
    folder = os.path.dirname(os.path.realpath(launcher["__file__"]))
    source = os.path.join(folder, name + ".py")
    cache = cache_path(source)
    module = cached_module(name, source, cache) if cache else None
    if module is None:
        module = __import__(name)
        if cache:
            save_cache(module, source, cache)
    module.run(launcher)


def cache_path(source):
    """Beside the bundle's ``.pyc``; None where Python writes no bytecode."""
    if sys.dont_write_bytecode:
        return None
    try:
        pyc = _frozen_importlib_external.cache_from_source(source)
    except NotImplementedError:  # an implementation without a cache tag
        return None
    return pyc[: -len(".pyc")] + ".cribo"


def cache_key(source):
    status = os.stat(source)
    magic = _frozen_importlib_external.MAGIC_NUMBER
    return (magic, source, status.st_size, status.st_mtime_ns)


def cached_module(name, source, cache):
    """The bundle module, from the cache if it holds this bundle's code."""
    try:
        # Mapped, not read: a start touches the head and the bodies it imports,
        # a fraction of the file (reading all of a large one costs milliseconds).
        with open(cache, "rb") as stream:
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        size = HEAD_SIZE + int.from_bytes(data[:HEAD_SIZE], "little")
        key, skeleton, places = marshal.loads(data[HEAD_SIZE:size])
        if key != cache_key(source):
            return None
    except (OSError, ValueError, EOFError, TypeError):  # no cache, or not ours to read
        return None
    module = types.ModuleType(name)
    module.__file__ = source
    module.__builtins__ = builtins.__dict__
    sys.modules[name] = module
    code = types.FunctionType(skeleton, module.__dict__)
    builtins.__build_class__(code, name, metaclass=ModuleNamespace, namespace=module.__dict__)

    def stored_body(holder):  # places count from the end of the head
        first, last = places[holder]
        return marshal.loads(data[size + first : size + last])

    module.stored_body = stored_body
    return module


def save_cache(module, source, cache):
    """Split the bytecode Python cached for the bundle into skeleton and bodies."""
    pyc = getattr(module, "__cached__", None)
    get_code = getattr(module.__loader__, "get_code", None)
    if not pyc or get_code is None or not os.path.exists(pyc):
        return  # the code would be compiled again, costing more than the cache saves
    temporary = f"{cache}.{os.getpid()}"
    try:
        key = cache_key(source)
        code = get_code(module.__name__)
        if key != cache_key(source):  # the bundle changed meanwhile
            return
        consts, bodies, places, offset = [], [], {}, 0
        for const in code.co_consts:
            body = holder_body(const)
            if body is None:
                consts.append(const)
                continue
            bodies.append(marshal.dumps(body))
            places[const.co_name] = (offset, offset + len(bodies[-1]))
            offset += len(bodies[-1])
            consts.append(const.replace(co_consts=()))
        head = marshal.dumps((key, code.replace(co_consts=tuple(consts)), places))
        with open(temporary, "wb") as stream:
            stream.write(len(head).to_bytes(HEAD_SIZE, "little"))
            stream.write(head)
            stream.writelines(bodies)
        os.replace(temporary, cache)
    except (OSError, ImportError, ValueError):  # read-only, a full disk: no cache
        if os.path.exists(temporary):
            os.unlink(temporary)


def holder_body(const):
    """The module body a holder's code holds, or None for any other constant."""
    if not isinstance(const, types.CodeType):
        return None
    return next((c for c in const.co_consts if getattr(c, "co_name", "") == HOLDER_BODY), None)
