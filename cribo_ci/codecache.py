"""The launcher mode's code caches, made at bundle time by each target interpreter.

A cache is the bundle module's bytecode split as the launcher splits it at a
first start (``split_code`` in runtime/launch.py), so a fresh copy of the
artifact starts from it at once. Each interpreter of ``python-versions`` (the
running one by default) compiles the module's text in a subprocess and
splits it; nothing of the bundle runs. The files go beside the module as
``<module>.<cache tag>.cribo``, one per tag, and ship with it.

Deterministic: marshal marks an object it may meet again (``FLAG_REF``) only
when its reference count is above one, and writes a frozenset's items in
hash order, so its output depends on the process that wrote it. Each
interpreter therefore starts fresh, without ``site`` and with a fixed hash
seed, and takes the same steps on the same text: the same interpreter gives
the same bytes (``tests/test_codecache.py``). The code is compiled under the
module's bare file name; the launcher names the real path when it loads it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Sequence

from .cache import FactsStore, code_fingerprint
from .model import Location, Warning_

NO_STORE = FactsStore(None)

RUNTIME = Path(__file__).parent / "runtime"
# Run in the runtime folder, which the script's sys.path starts with: `launch`
# is runtime/launch.py, and no file of the project can stand in for it.
COMPILE = """\
import sys, launch
text = sys.stdin.buffer.read()
code = compile(text, sys.argv[1], "exec", dont_inherit=True)
out = sys.stdout.buffer
out.write(sys.implementation.cache_tag.encode() + b"\\n")
out.write(launch.split_code(code, launch.cache_key(sys.argv[2], len(text))))
"""
TIMEOUT = 600  # seconds: compiling a large bundle takes a few


def content_digest(text: str) -> str:
    """What the launcher names its module by: the hash of the module file's bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def code_caches(
    text: str, module_file: str, pythons: Sequence[str], store: FactsStore = NO_STORE
) -> tuple[dict[str, bytes], tuple[Warning_, ...]]:
    """``{file name: cache bytes}`` beside the module ``module_file``, one per cache
    tag (the first interpreter of a tag wins), and a warning per interpreter that
    could not compile it. ``store``: the analysis cache, which keeps each
    interpreter's cache of this very text, so an unchanged re-bundle (``--check``,
    a hook, ``verify``) compiles nothing."""
    # Imported here: launcher.py takes content_digest from this module on every run.
    from concurrent.futures import ThreadPoolExecutor

    digest = content_digest(text)
    with ThreadPoolExecutor(max(1, len(pythons))) as pool:
        results = list(
            pool.map(lambda python: stored(store, python, text, module_file, digest), pythons)
        )
    caches: dict[str, bytes] = {}
    warnings = []
    stem = module_file[: -len(".py")]
    for python, (tag, data, problem) in zip(pythons, results):
        if problem:
            message = f"{python} cannot compile the bundle ({problem}): no code cache for it"
            warnings.append(Warning_(Location(module_file), message))
        else:
            caches.setdefault(f"{stem}.{tag}.cribo", data)
    return dict(sorted(caches.items())), tuple(warnings)


def stored(store: FactsStore, python: str, text: str, module_file: str, digest: str):
    """``compiled``, from the store when this interpreter made it for this text."""
    key = store_key(python, module_file, digest)
    found = store.load(key, tuple) if key else None
    if found is not None:
        return found
    result = compiled(python, text, module_file, digest)
    if key and not result[2]:
        store.save(key, result)
    return result


def store_key(python: str, module_file: str, digest: str):
    """The interpreter as a file (a reinstalled one is another), the text, cribo-ci's code."""
    try:
        status = os.stat(python)
    except OSError:
        return None
    parts = (code_fingerprint(), "code cache", os.path.realpath(python), str(status.st_mtime_ns))
    parts += (str(status.st_size), module_file, digest)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogateescape")).hexdigest()


def compiled(python: str, text: str, module_file: str, digest: str) -> tuple[str, bytes, str]:
    """(cache tag, cache bytes, "") from one interpreter, or ("", b"", what went wrong)."""
    command = [python, "-S", "-s", "-B", "-c", COMPILE, module_file, digest]
    try:
        done = subprocess.run(
            command,
            input=text.encode("utf-8"),
            capture_output=True,
            cwd=RUNTIME,
            env={"PYTHONHASHSEED": "0"},
            timeout=TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return "", b"", str(error)
    tag, _, data = done.stdout.partition(b"\n")
    if done.returncode or not tag:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return "", b"", lines[-1] if lines else f"exit code {done.returncode}"
    return tag.decode(), data, ""
