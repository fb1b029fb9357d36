"""Pruning of the package data bundles extract into the user's cache.

A bundle extracts its data into ``<cache>/data/<digest>/`` (runtime/resources.py),
a folder per archive, each package staged in a ``.tmp-*`` folder beside its
own; a run that reuses the folder touches it. The bundler's once-a-day prune (``cache.FactsStore.prune``)
removes here what no run has used for a month, as it does its own entries.
"""

from __future__ import annotations

import contextlib
import os
import shutil


def prune_extracted(data: str, now: float, unused_for: float, crashed_after: float) -> int:
    """Remove the extracted data no run used for ``unused_for``, and staging
    folders a crashed run left ``crashed_after`` ago; returns how many went.
    A folder is renamed aside before its removal: a run that starts meanwhile
    extracts afresh, never reading a half-removed tree."""
    removed = 0
    with contextlib.suppress(OSError):  # no data folder: no bundle read data here
        for entry in os.scandir(data):
            if not entry.is_dir(follow_symlinks=False):
                continue
            if entry.name.startswith(".tmp-"):  # one a pruning run did not finish
                removed += remove_stale(entry, now, crashed_after)
            elif remove_stale(entry, now, unused_for, aside=True):
                removed += 1
            else:
                removed += prune_staging(entry.path, now, crashed_after)
    return removed


def prune_staging(extracted: str, now: float, crashed_after: float) -> int:
    removed = 0
    with contextlib.suppress(OSError):  # gone already
        for staging in os.scandir(extracted):
            if staging.name.startswith(".tmp-") and staging.is_dir(follow_symlinks=False):
                removed += remove_stale(staging, now, crashed_after)
    return removed


def remove_stale(folder: os.DirEntry, now: float, unused_for: float, aside: bool = False) -> bool:
    """Remove ``folder`` if unchanged for ``unused_for``; ``aside``: renamed out of the way first."""
    try:
        if now - folder.stat(follow_symlinks=False).st_mtime <= unused_for:
            return False
        path = folder.path
        if aside:
            path = os.path.join(os.path.dirname(path), f".tmp-pruned-{folder.name}-{os.getpid()}")
            os.rename(folder.path, path)
    except OSError:  # gone already, another run pruned it
        return False
    shutil.rmtree(path, ignore_errors=True)
    return True
