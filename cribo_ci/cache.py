"""Module facts and module code, cached by content and computed over the cores.

``analyze_module`` is pure: its facts depend only on the module's text, name,
package flag and path (warnings name the path), and on the analysis code
itself. The cache key hashes all of them, so an entry never goes stale: a
changed file or a new cribo-ci simply misses. Entries are pickles written to a
temporary file and renamed into place, so concurrent runs never see half an
entry; an entry that cannot be read is treated as a miss. ``link.module_code``
(a module's holder, traceback row and map chunk) is just as pure and is
cached the same way, keyed by the same inputs plus the map options.

Misses are analysed in a process pool once a project proves big enough to
pay for it; the resolver waits for each result only when it needs the
module's imports (``locate.settled``), so the pool works ahead of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Optional, Sequence, Union

from . import __version__
from .analyze import analyze_module
from .compact import compacted_file
from .data_prune import prune_extracted
from .errors import CriboError
from .link import RUNTIME_FILES, module_code
from .model import MapOptions, ModuleCode, ModuleFacts, ModuleInfo, SourceFile

if TYPE_CHECKING:  # imported when a pool starts: small projects never pay for it
    from concurrent.futures import Future, ProcessPoolExecutor

# Misses analysed in-process before a pool starts: forking workers costs
# about as much as analysing this many small modules.
POOL_AFTER_MISSES = 24
PACKAGE = Path(__file__).parent


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cribo-ci"


@cache
def code_fingerprint() -> str:
    """Version, interpreter and the analysis code: a change to any starts afresh."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def facts_key(source: SourceFile, name: str, is_package: bool, kind: str = "facts") -> str:
    """The source's digest (of its bytes, which decide its text) stands for the text."""
    parts = (code_fingerprint(), kind, source.relpath, name, str(is_package), source.digest)
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def code_key(module: ModuleInfo, maps: MapOptions) -> str:
    """Only the options ``module_code`` reads: the map's name or inline-ness does not matter."""
    kind = f"code {maps.traceback_support} {maps.sourcemap != 'none'}"
    return facts_key(module.source, module.name, module.is_package, kind)


# An entry's modification time is when it was last used, to the day: a load
# refreshes it once it is a day old, and entries unused for a month are pruned
# (at most once a day, by whichever run comes first).
DAY = 24 * 3600
UNUSED_FOR = 30 * DAY
PRUNED_MARK = ".last-prune"
# Where bundles extract their package data, a folder per archive digest
# (runtime/resources.py): a run that reuses one touches it.
DATA_FOLDER = "data"


@dataclass(frozen=True)
class FactsStore:
    """Pickled ``ModuleFacts``, ``ModuleCode`` and the compacted runtime under
    ``folder/ab/abcdef...``; ``None``: no cache."""

    folder: Optional[Path]

    def path(self, key: str) -> str:
        # A string, not a Path: a warm run of a large project looks up about
        # a thousand entries, and pathlib's joins cost more than the reads.
        return os.path.join(self.folder, key[:2], key[2:])

    def load(self, key: str, kind: type = ModuleFacts):
        if self.folder is None:
            return None
        path = self.path(key)
        try:
            with open(path, "rb") as stream:
                value = pickle.load(stream)
                last_used = os.fstat(stream.fileno()).st_mtime
        except Exception:  # missing, truncated by a crash, or from an old format: a miss
            return None
        if time.time() - last_used > DAY:
            with contextlib.suppress(OSError):  # still in use: not to be pruned
                os.utime(path)
        return value if isinstance(value, kind) else None

    def prune(self, now: float) -> int:
        """Remove entries unused for ``UNUSED_FOR`` and temporary files a crash
        left a day ago, once a day; returns how many went. Another run may be
        reading an entry as it goes: that run just misses it."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        mark = self.folder / PRUNED_MARK
        try:
            if now - mark.stat().st_mtime < DAY:
                return 0
        except OSError:
            pass  # never pruned
        try:
            mark.touch()
        except OSError:
            return 0  # a read-only cache stays as it is
        removed = 0
        for shard in os.scandir(self.folder):
            if shard.name == DATA_FOLDER or not shard.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(shard.path):
                # OSError: gone already, another run pruned it
                with contextlib.suppress(OSError):
                    age = now - entry.stat(follow_symlinks=False).st_mtime
                    if age > (DAY if entry.name.startswith(".tmp-") else UNUSED_FOR):
                        os.unlink(entry.path)
                        removed += 1
        data = os.path.join(self.folder, DATA_FOLDER)
        return removed + prune_extracted(data, now, UNUSED_FOR, DAY)

    def save(self, key: str, value: Union[ModuleFacts, ModuleCode, tuple]) -> None:
        if self.folder is None:
            return
        target = self.path(key)
        temporary = None
        try:
            shard = os.path.dirname(target)
            os.makedirs(shard, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=shard)
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)  # atomic: readers see all of it or nothing
            temporary = None
        except OSError:
            return  # a read-only or full cache only costs speed
        finally:
            if temporary is not None and os.path.exists(temporary):
                os.unlink(temporary)  # a failed write (full disk, Ctrl-C) leaves nothing


def analyze_in_worker(source: SourceFile, name: str, is_package: bool):
    """Facts, or the parts of a ``CriboError`` (whose constructor pickle cannot call)."""
    try:
        return analyze_module(source, name, is_package)
    except CriboError as error:
        return (type(error), error.message, error.location, error.detail)


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Ctrl-C waits until the block is done (POSIX; the pool is Linux-only).

    The first submit forks the workers. An interrupt between a fork and the
    pool's record of the new worker would leave that worker unknown to
    ``shutdown``, waiting on its queue until the bundler's own end took it
    (``end_with_parent``). Workers inherit the blocked signal: they leave an
    interrupt (a terminal's Ctrl-C reaches them too) to this process, which
    stops them.
    """
    import signal

    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def end_with_parent(parent: int) -> None:
    """A worker's first act (Linux, as the pool): have the kernel end it when
    the bundler ends, however that happens. ``timeout``, a CI cancel and
    ``kill -9`` end the bundler with no cleanup, and an orphan worker would
    wait on its queue for ever, holding the caller's output pipes open."""
    import ctypes
    import signal

    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the bundler ended before the line above
        os._exit(0)


def worker_count() -> int:
    """The cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def can_fork() -> bool:
    """Forked workers start in milliseconds; spawned ones re-import everything."""
    import multiprocessing

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


@dataclass
class CachedAnalyzer:
    """The resolver's analyzer: cache first, then in-process or pool analysis."""

    store: FactsStore
    parallel: bool = True
    misses: int = 0
    pool: Optional[ProcessPoolExecutor] = None
    pending: list = field(default_factory=list)  # (key, future) to save once done

    def __call__(self, source: SourceFile, name: str, is_package: bool):
        key = facts_key(source, name, is_package)
        facts = self.store.load(key)
        if facts is not None:
            return facts
        self.misses += 1
        if not self.use_pool():
            facts = analyze_module(source, name, is_package)
            self.store.save(key, facts)
            return facts
        future = self.submit(source, name, is_package)
        self.pending.append((key, future))
        return future

    def module_codes(self, modules: Sequence[ModuleInfo], maps: MapOptions) -> dict:
        """``link.module_code`` of every module with source, by name: from
        the cache, else made here or, for many misses, over the pool."""
        codes, missed = {}, []
        for module in modules:
            if module.source is None:
                continue
            key = code_key(module, maps)
            code = self.store.load(key, ModuleCode)
            if code is None:
                missed.append((key, module))
            else:
                codes[module.name] = code
        self.misses += len(missed)
        made: Iterable[ModuleCode]
        if len(missed) > POOL_AFTER_MISSES and self.use_pool():
            chunk = max(1, len(missed) // (4 * worker_count()))  # few round trips, even loads
            made = self.pool.map(module_code, [m for _, m in missed], repeat(maps), chunksize=chunk)
        else:
            made = (module_code(module, maps) for _, module in missed)
        for (key, module), code in zip(missed, made):
            self.store.save(key, code)
            codes[module.name] = code
        return codes

    def compacted_runtime(self) -> dict[Path, str]:
        """``compact.compacted_file`` of every runtime file, for ``link_bundle``:
        tokenizing them costs a warm run more than loading one entry. They
        are part of the code the fingerprint covers, so it is their key."""
        if self.store.folder is None:
            return {}  # compacted as needed when linking
        key = hashlib.sha256(f"{code_fingerprint()}\0runtime".encode()).hexdigest()
        texts = self.store.load(key, tuple)
        if texts is None:
            texts = tuple(compacted_file(path) for path in RUNTIME_FILES)
            self.store.save(key, texts)
        return dict(zip(RUNTIME_FILES, texts))

    def use_pool(self) -> bool:
        if self.pool is None and self.parallel and self.misses > POOL_AFTER_MISSES:
            workers = worker_count()
            if workers > 1 and can_fork():
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                context = multiprocessing.get_context("fork")
                self.pool = ProcessPoolExecutor(
                    workers,
                    mp_context=context,
                    initializer=end_with_parent,
                    initargs=(os.getpid(),),
                )
        return self.pool is not None

    def submit(self, source: SourceFile, name: str, is_package: bool) -> Future:
        with warnings.catch_warnings(), interrupts_deferred():
            # 3.12+ frowns on fork beside the pool's thread; workers only run analysis.
            warnings.simplefilter("ignore", DeprecationWarning)
            raw = self.pool.submit(analyze_in_worker, source, name, is_package)
        from concurrent.futures import Future

        result: Future = Future()
        raw.add_done_callback(lambda done: settle_future(done, result))
        return result

    def close(self) -> None:
        """Save what the pool computed, stop the workers, prune the cache."""
        for key, future in self.pending:
            if future.done() and future.exception() is None:
                self.store.save(key, future.result())
        self.pending.clear()
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.store.prune(time.time())


def settle_future(done: Future, result: Future) -> None:
    outcome: Union[ModuleFacts, tuple] = None
    try:
        outcome = done.result()
    except BaseException as error:  # a crashed worker or a bug: the resolver re-raises it
        result.set_exception(error)
        return
    if isinstance(outcome, tuple):
        kind, message, location, detail = outcome
        result.set_exception(kind(message, location, detail))
    else:
        result.set_result(outcome)
