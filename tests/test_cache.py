"""The content-hash cache of module facts and the pool that fills it."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import threading
import time
from pathlib import Path

import pytest

from cribo_ci import cache
from cribo_ci.analyze import analyze_module
from cribo_ci.api import bundle_project
from cribo_ci.cache import CachedAnalyzer, FactsStore, default_cache_dir, facts_key
from cribo_ci.errors import SourceSyntaxError
from cribo_ci.resolve import resolve_graph
from cribo_ci.source import decode_source
from harness import FIXTURES, load_fixture

SOURCE = decode_source(b"import os\nx = 1\n", "pkg/mod.py")


@pytest.mark.parametrize(
    "changed",
    [
        (decode_source(b"import os\nx = 2\n", "pkg/mod.py"), "pkg.mod", False),
        (dataclasses.replace(SOURCE, relpath="pkg/other.py"), "pkg.mod", False),
        (SOURCE, "pkg.other", False),
        (SOURCE, "pkg.mod", True),
    ],
    ids=["text", "path", "name", "package"],
)
def test_key_changes_with_every_input(changed):
    assert facts_key(*changed) != facts_key(SOURCE, "pkg.mod", False)
    assert facts_key(*changed) == facts_key(*changed)


def test_store_round_trip_and_damaged_entries(tmp_path):
    store = FactsStore(tmp_path)
    facts = analyze_module(SOURCE, "pkg.mod", False)
    key = facts_key(SOURCE, "pkg.mod", False)
    assert store.load(key) is None
    store.save(key, facts)
    assert store.load(key) == facts
    Path(store.path(key)).write_bytes(Path(store.path(key)).read_bytes()[:20])  # a torn write
    assert store.load(key) is None
    Path(store.path(key)).write_bytes(b"\x80\x05K\x01.")  # a pickle of something else
    assert store.load(key) is None


def test_unwritable_cache_costs_only_speed(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = FactsStore(blocker)
    store.save("ab" * 32, analyze_module(SOURCE, "pkg.mod", False))
    assert store.load("ab" * 32) is None


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_cache_write_leaves_no_temporary_file(tmp_path, monkeypatch, failure):
    def broken_dump(*args, **kwargs):
        raise failure

    monkeypatch.setattr(cache.pickle, "dump", broken_dump)
    store = FactsStore(tmp_path)
    key = facts_key(SOURCE, "pkg.mod", False)
    with contextlib.suppress(KeyboardInterrupt):
        store.save(key, analyze_module(SOURCE, "pkg.mod", False))
    assert [path.name for path in tmp_path.rglob("*") if path.is_file()] == []


def test_concurrent_writers_never_show_half_an_entry(tmp_path):
    store = FactsStore(tmp_path)
    facts = analyze_module(SOURCE, "pkg.mod", False)
    key = facts_key(SOURCE, "pkg.mod", False)
    seen = []

    def write():
        for _ in range(50):
            store.save(key, facts)

    def read():
        for _ in range(200):
            seen.append(store.load(key))

    threads = [threading.Thread(target=work) for work in (write, write, read, read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {loaded == facts for loaded in seen if loaded is not None} <= {True}
    shard = Path(store.path(key)).parent
    assert not [path for path in shard.iterdir() if path.name.startswith(".")]


def test_default_folder_follows_xdg(tmp_path):
    assert default_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "cribo-ci"
    assert default_cache_dir({}).name == "cribo-ci"


def fixture_config(name: str, cache_dir: Path, **changes):
    config = load_fixture(FIXTURES / name).config()
    return dataclasses.replace(config, cache_dir=cache_dir, **changes)


def test_second_run_analyses_nothing_and_bundles_the_same(tmp_path):
    config = fixture_config("packages_and_pickle", tmp_path)
    expected = bundle_project(dataclasses.replace(config, use_cache=False)).text
    assert bundle_project(config).text == expected
    analyzer = CachedAnalyzer(FactsStore(tmp_path))
    resolve_graph(config.entry, analyze=analyzer)
    assert analyzer.misses == 0


def test_second_run_takes_every_module_code_from_the_cache(tmp_path, monkeypatch):
    """The holders, traceback rows and map chunks come back from the cache:
    a warm run makes none, and its bundle and map are the cold run's."""
    config = fixture_config("packages_and_pickle", tmp_path, output=tmp_path / "out" / "main.py")
    cold = bundle_project(config)

    def made_again(module, maps):
        raise AssertionError(f"module_code of {module.name} made again")

    monkeypatch.setattr(cache, "module_code", made_again)
    warm = bundle_project(config)
    assert (warm.text, warm.sourcemap) == (cold.text, cold.sourcemap)
    assert cold.sourcemap is not None and "install_tracebacks(" in cold.text
    # Other map options are other entries: they are made afresh, never mixed up.
    with pytest.raises(AssertionError, match="made again"):
        bundle_project(dataclasses.replace(config, traceback_support=False))


@pytest.mark.parametrize("name", ["relative_imports_deep", "star_imports", "circular_imports"])
def test_pool_gives_the_same_bundle(name, tmp_path, monkeypatch):
    config = fixture_config(name, tmp_path / "cache", use_cache=False)
    expected = bundle_project(config).text
    monkeypatch.setattr(cache, "POOL_AFTER_MISSES", 0)
    pooled = bundle_project(dataclasses.replace(config, use_cache=True))
    assert pooled.text == expected
    assert list((tmp_path / "cache").iterdir()), "the pool's facts were not cached"


def test_pool_reports_syntax_errors_with_their_place(tmp_path, monkeypatch):
    (tmp_path / "main.py").write_text("import broken\n")
    (tmp_path / "broken.py").write_text("x = 1\ndef f(:\n")
    monkeypatch.setattr(cache, "POOL_AFTER_MISSES", 0)
    analyzer = CachedAnalyzer(FactsStore(None))
    with pytest.raises(SourceSyntaxError) as caught:
        try:
            resolve_graph(tmp_path / "main.py", analyze=analyzer)
        finally:
            analyzer.close()
    assert str(caught.value.location).startswith("broken.py:2:")


@pytest.mark.parametrize(
    ("flags", "environ", "cached_in"),
    [
        (["--cache-dir", "flag"], {}, "flag"),
        ([], {"CRIBO_CACHE_DIR": "variable"}, "variable"),
        (["--no-cache", "--cache-dir", "flag"], {}, None),
    ],
    ids=["flag", "environment", "no-cache"],
)
def test_command_line_places_or_skips_the_cache(flags, environ, cached_in, tmp_path, monkeypatch):
    from cribo_ci.cli import load_commands
    from harness import cli_runner

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    entry = FIXTURES / "circular_imports" / "main.py"
    args = ["bundle", "-e", str(entry), "-o", "out.py", *flags]
    result = cli_runner().invoke(load_commands(), args, env=environ)
    assert result.exit_code == 0, result.output
    made = sorted(path.name for path in tmp_path.iterdir() if path.is_dir())
    assert made == ([cached_in] if cached_in else [])


def age(path: Path, days: float) -> None:
    then = time.time() - days * cache.DAY
    os.utime(path, (then, then))


def test_entries_unused_for_a_month_are_pruned_once_a_day(tmp_path):
    config = fixture_config("packages_and_pickle", tmp_path / "cache")
    bundle_project(config)
    store = FactsStore(tmp_path / "cache")
    entries = sorted(p for p in store.folder.rglob("*") if p.is_file() and p.parent != store.folder)
    old, kept = entries[0], entries[1]
    age(old, 31)
    age(kept, 29)
    leftover = old.parent / ".tmp-crashed"
    leftover.write_bytes(b"half")
    age(leftover, 2)
    assert store.prune(time.time()) == 0, "the first run has pruned today already"
    age(store.folder / cache.PRUNED_MARK, 2)
    assert store.prune(time.time()) == 2
    assert not old.exists() and not leftover.exists() and kept.exists()
    assert store.prune(time.time()) == 0  # once a day


def test_a_used_entry_is_kept_however_old_it_was(tmp_path):
    config = fixture_config("packages_and_pickle", tmp_path / "cache")
    expected = bundle_project(config).text
    store = FactsStore(tmp_path / "cache")
    entries = [p for p in store.folder.rglob("*") if p.is_file() and p.parent != store.folder]
    for entry in entries:
        age(entry, 40)
    age(store.folder / cache.PRUNED_MARK, 2)
    assert bundle_project(config).text == expected  # loads (and so marks) every entry, then prunes
    assert all(entry.exists() for entry in entries)
    assert all(time.time() - entry.stat().st_mtime < 60 for entry in entries)


def test_extracted_data_unused_for_a_month_is_pruned_with_the_entries(tmp_path):
    """Bundles extract their data under ``data/<digest>/`` (runtime/resources.py):
    a folder no run has used for a month goes, as do staging folders a
    crashed run left a day ago; a folder in use stays."""
    store = FactsStore(tmp_path / "cache")
    data = store.folder / "data"
    old, kept, in_use = data / "0ld", data / "kept", data / "in-use"
    for folder in (old / "pkg" / "sub", kept / "pkg", in_use / "pkg"):
        folder.mkdir(parents=True)
        (folder / "file.txt").write_text("data")
    crashed, staging = kept / ".tmp-crashed", in_use / ".tmp-extracting"
    (crashed / "pkg").mkdir(parents=True)
    (staging / "pkg").mkdir(parents=True)
    age(old, 31)
    age(kept, 29)
    age(crashed, 2)
    half_pruned = data / ".tmp-pruned-gone-123"  # by a run that ended in its rmtree
    half_pruned.mkdir()
    age(half_pruned, 2)
    assert store.prune(time.time()) == 3
    assert sorted(p.name for p in data.iterdir()) == ["in-use", "kept"]
    assert not crashed.exists()
    assert (kept / "pkg" / "file.txt").exists() and (in_use / "pkg" / "file.txt").exists()
    assert staging.exists()  # a run is extracting into it now
