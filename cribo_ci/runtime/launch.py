"""The launcher of the launcher mode: starts the bundle module from a bytecode
cache that unmarshals only the modules a run imports.

Python caches an imported module's bytecode as one ``.pyc`` and loads it
whole, every holder of the bundle with it, though most modules of a large
bundle are there because a run *may* import them. The cache holds that code
split into a skeleton (the runtime and its tables, every holder emptied) and
one entry per module body: a start runs the skeleton and unmarshals a body
when its module is imported (``stored_body`` in bootstrap.py). Nothing is
compiled or exec'd here, and the skeleton runs as the bootstrap runs a
module body.

The bundler ships one cache per target interpreter beside the bundle
(``<bundle>.<cache tag>.cribo``, compiled at bundle time: launcher.py and
codecache.py). Without one for this interpreter, the first start imports the
bundle as usual, splits the code Python compiled into ``__pycache__`` (never
where Python writes no bytecode) and removes the ``.pyc``, which the split
cache replaces. A cache is keyed by the interpreter's magic number and
optimisation level, the bundle's content hash (which the launcher names)
and its size, so a copied or downloaded bundle still finds it; any cache it
cannot use, it ignores.
"""

import _frozen_importlib_external  # importlib's own path machinery, loaded at every start
import _imp
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


def launch(launcher, name, digest):
    """Start the bundle module ``name``, beside the launcher, as ``run(launcher)``;
    ``digest`` is the hash of its content the bundler wrote into the launcher."""
    # Beside the launcher's real file, where Python looks first for imports (a
    # script's folder on sys.path has its symlinks resolved).
    folder = os.path.dirname(os.path.realpath(launcher["__file__"]))
    source = os.path.join(folder, name + ".py")
    tag = sys.implementation.cache_tag
    shipped = os.path.join(folder, f"{name}.{tag}.cribo") if tag else None
    made = cache_path(source)
    module = None
    for cache in (shipped, made):
        module = module or (cached_module(name, source, cache, digest) if cache else None)
    if module is None:
        module = __import__(name)
        if made:
            save_cache(module, source, made, digest)
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


def cache_key(digest, size):
    magic = _frozen_importlib_external.MAGIC_NUMBER
    return (magic, sys.flags.optimize, digest, size)


def cached_module(name, source, cache, digest):
    """The bundle module, from the cache if it holds this bundle's code."""
    try:
        # Mapped, not read: a start touches the head and the bodies it imports,
        # a fraction of the file (reading all of a large one costs milliseconds).
        with open(cache, "rb") as stream:
            data = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        size = HEAD_SIZE + int.from_bytes(data[:HEAD_SIZE], "little")
        key, skeleton, places = marshal.loads(data[HEAD_SIZE:size])
        if key != cache_key(digest, os.stat(source).st_size):
            return None
    except (OSError, ValueError, EOFError, TypeError):  # no cache, or not ours to read
        return None
    # A cache compiled elsewhere names the file it was compiled as: name this one,
    # as Python's import does for a .pyc (frames, tracebacks, the runtime's checks).
    _imp._fix_co_filename(skeleton, source)
    module = types.ModuleType(name)
    module.__file__ = source
    module.__builtins__ = builtins.__dict__
    sys.modules[name] = module
    code = types.FunctionType(skeleton, module.__dict__)
    builtins.__build_class__(code, name, metaclass=ModuleNamespace, namespace=module.__dict__)

    def stored_body(holder):  # places count from the end of the head
        first, last = places[holder]
        body = marshal.loads(data[size + first : size + last])
        _imp._fix_co_filename(body, source)
        return body

    module.stored_body = stored_body
    return module


def save_cache(module, source, cache, digest):
    """Split the bytecode Python cached for the bundle into skeleton and bodies,
    then remove the ``.pyc``: the split cache serves every later start."""
    pyc = getattr(module, "__cached__", None)
    get_code = getattr(module.__loader__, "get_code", None)
    if not pyc or get_code is None or not os.path.exists(pyc):
        return  # the code would be compiled again, costing more than the cache saves
    temporary = f"{cache}.{os.getpid()}"
    try:
        size = os.stat(source).st_size
        code = get_code(module.__name__)
        if size != os.stat(source).st_size:  # the bundle changed meanwhile
            return
        with open(temporary, "wb") as stream:
            stream.write(split_code(code, cache_key(digest, size)))
        os.replace(temporary, cache)
        os.unlink(pyc)
    except (OSError, ImportError, ValueError):  # read-only, a full disk: no cache
        if os.path.exists(temporary):
            os.unlink(temporary)


def split_code(code, key):
    """The cache file: the head's length, the head (key, skeleton, where each
    body lies after the head), then the marshalled bodies."""
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
    return b"".join([len(head).to_bytes(HEAD_SIZE, "little"), head, *bodies])


def holder_body(const):
    """The module body a holder's code holds, or None for any other constant."""
    if not isinstance(const, types.CodeType):
        return None
    return next((c for c in const.co_consts if getattr(c, "co_name", "") == HOLDER_BODY), None)
