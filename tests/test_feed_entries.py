"""A render worker's entries: ``Cache.feed_entries`` gives what loading and copying gave."""

from __future__ import annotations

import dataclasses
import pickle
import sqlite3
from pathlib import Path

import pytest
from scale_support import SEEDS, SITE

from feedpub import cache as cache_module
from feedpub.build import BuildOptions, load_entry
from feedpub.cache import Cache, CacheError
from feedpub.entry import Entry, Topic


def _stored(tmp_path: Path) -> tuple[Path, dict[str, Entry]]:
    """A cache holding every seed's entry, and those entries by path."""
    options = BuildOptions((str(SEEDS),), Path("unused"), SITE)
    entries = {}
    for path in sorted(SEEDS.iterdir()):
        entry = load_entry(path, options).entry
        if entry is not None:
            entries[str(path)] = entry
    store = Cache(tmp_path / "c.sqlite", "fp")
    store.store(cache_module.Parsed(path, 1, 1, b"d", cache_module.PUBLISHED, e.id, "x", 1, "x",
                                    "", cache_module.encode(e), b"ed", None)
                for path, e in entries.items())
    store.close()
    return tmp_path / "c.sqlite", entries


def _as_loaded(entry: Entry, topics: tuple[Topic, ...]) -> Entry:
    """What build loaded before: the stored entry, decoded, copied with the merged topics."""
    return dataclasses.replace(cache_module.decode(cache_module.encode(entry)), topics=topics)


def _same(got: list[Entry], want: list[Entry]) -> None:
    assert got == want
    assert [e.source_path for e in got] == [e.source_path for e in want]
    assert [e.__dict__ for e in got] == [e.__dict__ for e in want]


def test_feed_entries_equal_loaded_entries_with_merged_topics(tmp_path: Path):
    db, entries = _stored(tmp_path)
    paths = list(entries)
    reader = Cache.reader(db)
    try:
        feeds = [paths[:10], paths[5:20], paths[::3], list(reversed(paths))]
        kept: list[Entry] = []
        for feed in feeds:
            # The same path gets the same merged topics in every feed of a build; they
            # arrive as new (unpickled) objects with every task.
            topics = [(Topic(f"Topic {len(p) % 4}", f"t{len(p) % 4}", f"t{len(p) % 4}"),)
                      for p in feed]
            topics = pickle.loads(pickle.dumps(topics))
            got = reader.feed_entries(feed, topics)
            _same(got, [_as_loaded(entries[p], t) for p, t in zip(feed, topics, strict=True)])
            if kept:
                assert any(e is k for e in got for k in kept), "kept entries are reused"
            kept = got
        # Other topics for a path (not in one build, but the reader must not tell stale
        # entries): the entry is built again with them.
        other = [(Topic("Other", "other", "other"),)] * 3
        _same(reader.feed_entries(paths[:3], other),
              [_as_loaded(entries[p], t) for p, t in zip(paths[:3], other, strict=True)])
        assert reader.feed_entries([], []) == []
    finally:
        Cache.close_readers()


def test_feed_entries_kept_are_bounded_by_their_stored_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    db, entries = _stored(tmp_path)
    paths = list(entries)
    with sqlite3.connect(db) as connection:
        sizes = dict(connection.execute("SELECT path, length(entry) FROM files"))
    budget = 8 * max(sizes.values())
    monkeypatch.setattr(cache_module, "_KEPT_BYTES", budget)
    reader = Cache.reader(db)
    try:
        for start in range(0, len(paths), 5):
            feed = paths[start : start + 5]
            got = reader.feed_entries(feed, [()] * len(feed))
            _same(got, [_as_loaded(entries[p], ()) for p in feed])
            assert reader._kept_bytes == sum(sizes[p] for p in reader._kept) <= budget
            assert reader._kept
    finally:
        Cache.close_readers()


def test_feed_entries_missing_or_damaged_are_errors(tmp_path: Path):
    db, entries = _stored(tmp_path)
    path = next(iter(entries))
    reader = Cache.reader(db)
    try:
        with pytest.raises(CacheError, match="no entry stored for nowhere"):
            reader.feed_entries([path, "nowhere"], [(), ()])
        reader._db.execute("UPDATE files SET entry = ? WHERE path = ?",
                           (pickle.dumps(("not", "an entry")), path))
        reader._kept.clear()
        with pytest.raises(CacheError, match="damaged entry"):
            reader.feed_entries([path], [()])
    finally:
        Cache.close_readers()
