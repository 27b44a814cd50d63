"""The incremental cache: what each seed file normalized to, and what each feed file holds.

An SQLite database (WAL mode, one transaction per batch, so a build killed
at any moment leaves it consistent) with three tables:

- ``files``: per seed path its size, mtime and content hash, the outcome of
  reading it (rejected / held back / published), the planning fields of its
  entry and the entry itself (a compressed pickle read back with a loader
  that only accepts feedpub's entry classes, so a tampered cache cannot
  run code).
- ``outputs``: per feed file the digest of what it was rendered from and the
  size and mtime it had, so a feed whose inputs did not change is neither
  rendered nor validated again.
- ``meta``: the fingerprint of everything normalization depends on (a
  different one empties the cache) and what the last complete build found.

A cache that cannot be read is deleted and rebuilt, never fatal.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _datetime
import hashlib
import io
import json
import operator
import os
import pickle
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from feedpub import __version__
from feedpub.entry import Entry, Image, Provider, Related, Topic
from feedpub.problems import Problem
from feedpub.reader import Limits

#: Bumped whenever the tables or what their rows hold change shape (4: entry layout 2,
#: SHA-256 digests), so that a cache made by an older feedpub is replaced, not misread.
SCHEMA = 4
#: Outcome of reading a seed file.
REJECTED, HELD_BACK, PUBLISHED = 0, 1, 2
_TOPIC_SEP, _FIELD_SEP = "\x1e", "\x1f"


class CacheError(Exception):
    """The cache file cannot be used (corrupt, unreadable, not a database)."""


class Parsed(NamedTuple):
    """The outcome of reading one seed file, as stored in the cache.

    A tuple in the order of the ``files`` table's columns: it travels from the
    worker processes as it is and is inserted as it is.
    """

    path: str
    size: int
    mtime_ns: int
    digest: bytes
    status: int
    entry_id: str | None
    published: str | None
    stamp: int | None  # ``published`` in microseconds since 1970, for ordering in SQL
    updated: str | None
    topics: str | None
    entry: bytes | None
    entry_digest: bytes | None
    problems: bytes | None


@dataclass(frozen=True)
class Row:
    """A publishable record as planning and feed digests need it."""

    path: str
    entry_id: str
    published: datetime
    updated: datetime
    topics: tuple[Topic, ...]
    entry_digest: bytes


@dataclass(frozen=True)
class PlanRows:
    """What :meth:`Cache.plan_rows` found."""

    rows: list[Row]
    totals: dict[str, int]  # stories per topic key, over all records
    stories: int  # stories in all, over all records


def fingerprint(limits: Limits, asset_base_url: str | None) -> str:
    """Everything a cached entry depends on besides its file's bytes."""
    parts = [f"schema={SCHEMA}", f"feedpub={__version__}", repr(limits), f"asset={asset_base_url}"]
    for dist, version in dist_versions().items():
        if dist != "lxml":
            parts.append(f"{dist}={version}")
    # The code of every top-level module (reading, normalizing and whatever they
    # come to import): a changed feedpub re-parses everything once.
    for module in sorted(Path(__file__).parent.glob("*.py")):
        parts.append(hashlib.sha1(module.read_bytes()).hexdigest())
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


def dist_versions() -> dict[str, str]:
    """The versions of the libraries entries and feeds depend on, by distribution name.

    Read from the modules, which are loaded anyway: ``importlib.metadata``
    costs ~25 ms of every build's startup.
    """
    import lxml
    import nh3
    import yaml

    return {"PyYAML": yaml.__version__, "nh3": nh3.__version__, "lxml": lxml.__version__}


# -- entries as bytes -------------------------------------------------------------------------

_ALLOWED = {
    ("feedpub.entry", name) for name in ("Entry", "Image", "Provider", "Topic", "Related")
} | {("feedpub.problems", "Problem")} | {
    ("datetime", name) for name in ("datetime", "timezone", "timedelta", "date")
}


class _Unpickler(pickle.Unpickler):
    """Loads only entries, problems and dates: a cache file is data, never code."""

    def find_class(self, module: str, name: str) -> type:
        found = _CLASSES.get((module, name))
        if found is None:
            if (module, name) not in _ALLOWED:
                raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the cache")
            if module == "datetime":
                found = getattr(_datetime, name)
            else:
                found = super().find_class(module, name)
            _CLASSES[(module, name)] = found
        return found


#: Classes :class:`_Unpickler` has looked up (only allowed ones): ~8 per entry decoded.
_CLASSES: dict[tuple[str, str], type] = {}


#: Entries are stored as nested tuples of their fields' values (classes and
#: field names are not repeated in every row) and not compressed: zlib took
#: half the time of storing an entry for a cache a quarter smaller.
_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(field.name for field in dataclasses.fields(cls))
    for cls in (Entry, Image, Provider, Topic, Related)
}
_VALUES = {cls: operator.attrgetter(*names) for cls, names in _FIELDS.items()}
_PROVIDER, _TOPICS, _IMAGES, _RELATED, _PUBLISHED, _UPDATED = (
    _FIELDS[Entry].index(name)
    for name in ("provider", "topics", "images", "related", "published", "updated"))
#: The first value of a stored entry: the version of this layout.
_ENTRY_LAYOUT = 2
_UTC = _datetime.timezone.utc


def encode(value: object) -> bytes:
    """An entry (or a tuple of problems) as bytes; the same value always gives the same bytes."""
    if value.__class__ is Entry:
        value = _entry_values(value)  # type: ignore[arg-type]
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def decode(blob: bytes, topics: tuple[Topic, ...] | None = None) -> object:
    """The value :func:`encode` stored; raises :class:`CacheError` on anything else.

    ``topics``: for an entry, the topics to give it instead of its own (those
    merged from its duplicates), so they are not built only to be replaced.
    """
    try:
        value = _unpickle(blob)
        if value.__class__ is tuple and value and value[0].__class__ is int:
            return _entry(value, topics)
        return value
    except Exception as exc:  # noqa: BLE001 - any damage means the same: unusable
        raise CacheError(f"damaged entry: {exc}") from exc


def _decode_entry(blob: bytes, topics: tuple[Topic, ...] | None) -> Entry:
    """:func:`decode` of what must be an entry (anything else is damage)."""
    value = decode(blob, topics)
    if value.__class__ is not Entry:
        raise CacheError(f"damaged entry: a {type(value).__name__} where an entry was stored")
    return value  # type: ignore[return-value]


def _unpickle(blob: bytes) -> object:
    # Entries used to be compressed: such a row (or a forged one) is read the same way.
    data = blob if blob[:1] == b"\x80" else zlib.decompress(blob)
    return _Unpickler(io.BytesIO(data)).load()


def _entry_values(entry: Entry) -> tuple:
    values = list(_VALUES[Entry](entry))
    provider = values[_PROVIDER]
    if provider is not None:
        values[_PROVIDER] = _VALUES[Provider](provider)
    values[_PUBLISHED] = _moment(values[_PUBLISHED])
    values[_UPDATED] = _moment(values[_UPDATED])
    values[_TOPICS] = tuple(map(_VALUES[Topic], entry.topics))
    values[_IMAGES] = tuple(map(_VALUES[Image], entry.images))
    values[_RELATED] = tuple([_related_values(item) for item in entry.related])
    return (_ENTRY_LAYOUT, *values)


def _related_values(related: Related) -> tuple:
    # Spelled out (twice as fast as through _VALUES): the round trip test in
    # tests/test_cache.py fails if Related's fields change.
    return (related.title, related.url, _moment(related.published), related.provider)


def _moment(value: Any) -> Any:
    """A UTC datetime as the 10 bytes its pickle holds; anything else as it is.

    Pickling a datetime also stores its class and time zone, and looking those
    up took pickle two thirds of the time of storing an entry (~7 us).
    """
    if value.__class__ is datetime and value.tzinfo is _UTC:
        return value.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[1][0]  # with its fold
    return value


def _moment_back(value: Any) -> Any:
    """:func:`_moment` undone: the bytes are what ``datetime`` unpickles from."""
    return datetime(value, _UTC) if value.__class__ is bytes else value


def _entry(stored: tuple, topics: tuple[Topic, ...] | None = None) -> Entry:
    """The entry of stored values; with ``topics``, those replace the stored ones."""
    if stored[0] != _ENTRY_LAYOUT:
        raise ValueError(f"entry layout {stored[0]}, not {_ENTRY_LAYOUT}")
    values = list(stored[1:])
    provider = values[_PROVIDER]
    if provider is not None:
        values[_PROVIDER] = _shared(Provider, provider)
    values[_PUBLISHED] = _moment_back(values[_PUBLISHED])
    values[_UPDATED] = _moment_back(values[_UPDATED])
    if topics is None:
        topics = tuple([_shared(Topic, item) for item in values[_TOPICS]])
    values[_TOPICS] = topics
    values[_IMAGES] = tuple([_build(Image, item) for item in values[_IMAGES]])
    values[_RELATED] = tuple([_related(item) for item in values[_RELATED]])
    return _build(Entry, values)


def _related(values: tuple) -> Related:
    title, url, published, provider = values
    return _build(Related, (title, url, _moment_back(published), provider))


#: Providers and topics decoded in this process, by class and values: the entries of
#: a corpus share a few hundred of them, and a lookup is cheaper than a new object.
#: Emptied when it holds ``_MAX_SHARED`` (a long-lived process must not grow with the corpus).
_SHARED: dict[tuple, Any] = {}
_MAX_SHARED = 4096


def _shared(cls: type, values: tuple) -> Any:
    key = (cls, *values)
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= _MAX_SHARED:
            _SHARED.clear()
        found = _SHARED[key] = _build(cls, values)
    return found


def _build(cls: type, values: Sequence) -> Any:
    """An instance of a (frozen) entry dataclass from its fields' values, as unpickling makes it."""
    made = object.__new__(cls)
    made.__dict__.update(zip(_FIELDS[cls], values, strict=True))  # ValueError if the count differs
    return made


def encode_topics(topics: Iterable[Topic]) -> str:
    return _TOPIC_SEP.join(_FIELD_SEP.join((t.label, t.key, t.slug)) for t in topics)


class _TopicDecoder:
    """Turns stored topic strings back into :class:`Topic` tuples, one object per topic."""

    def __init__(self) -> None:
        self._seen: dict[str, Topic] = {}

    def __call__(self, text: str) -> tuple[Topic, ...]:
        seen = self._seen
        topics = []
        for part in text.split(_TOPIC_SEP) if text else ():
            topic = seen.get(part)
            if topic is None:
                topic = seen[part] = Topic(*part.split(_FIELD_SEP))
            topics.append(topic)
        return tuple(topics)


# -- the database -----------------------------------------------------------------------------

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    digest BLOB NOT NULL, status INTEGER NOT NULL, entry_id TEXT, published TEXT,
    stamp INTEGER, updated TEXT, topics TEXT, entry BLOB, entry_digest BLOB, problems BLOB
);
CREATE TABLE IF NOT EXISTS topics (
    path TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, stamp INTEGER NOT NULL,
    entry_id TEXT NOT NULL, status INTEGER NOT NULL
);
DROP INDEX IF EXISTS topics_by_date;
CREATE TABLE IF NOT EXISTS outputs (
    relative TEXT PRIMARY KEY, digest BLOB NOT NULL, size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL
);
"""
#: The indexes the queries use, made again on opening if missing (see :meth:`Cache.filling`).
_INDEXES = {
    "files_stat": "files (path, size, mtime_ns, digest)",
    "files_by_status": "files (status, entry_id)",
    "files_with_problems": "files (path) WHERE problems IS NOT NULL",
    "files_by_date": "files (stamp DESC, entry_id)",
    "files_by_id": "files (entry_id, status)",
    "topics_by_key": "topics (key, stamp DESC, entry_id, status, label)",
    "topics_by_path": "topics (path)",
}
_MAKE_INDEXES = "".join(
    f"CREATE INDEX IF NOT EXISTS {name} ON {what};\n" for name, what in _INDEXES.items())


_READERS: dict[tuple[int, str], Cache] = {}
#: Entries a reader keeps for the next feeds (:meth:`Cache.feed_entries`), bounded by
#: the size of their stored bytes (a field may hold 100k characters): a render worker
#: of a 10k build meets about 2000 different ones, at about 3 KB each.
_KEPT_BYTES = 16_000_000
_WRITERS: dict[tuple[int, str], Cache] = {}
#: Parse results written to SQLite at a time (well under its limit of bound parameters).
_GROUP = 100


class Cache:
    """One open cache database; every write method commits before it returns."""

    def __init__(self, path: Path, fingerprint: str, reset: bool = True) -> None:
        self._attach(path, _connect(path))
        try:
            self._prepare(fingerprint, reset)
        except sqlite3.DatabaseError:
            self._db.close()
            raise

    def _attach(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self.reset_reason: str | None = None
        self._db = db
        #: Entries built for earlier feeds, by path, and the size of their stored bytes
        #: (:meth:`feed_entries`, readers only).
        self._kept: dict[str, Entry] = {}
        self._kept_bytes = 0

    def _prepare(self, fingerprint: str, reset: bool) -> None:
        self._db.executescript(_TABLES + _MAKE_INDEXES)
        stored = dict(self._db.execute("SELECT key, value FROM meta"))
        if stored.get("fingerprint") != fingerprint:
            if stored:
                self.reset_reason = "feedpub or the settings entries depend on changed"
                if not reset:
                    return  # the caller starts a new file instead (see open_cache)
            with self._db:
                self._db.execute("DELETE FROM files")
                self._db.execute("DELETE FROM topics")
                self._db.execute("DELETE FROM outputs")
                self._db.execute("DELETE FROM meta")
                self._db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))

    @classmethod
    def reader(cls, path: Path) -> Cache:
        """A read connection of this process to the cache at ``path`` (made once per process)."""
        return cls._of_this_process(_READERS, path, lambda: sqlite3.connect(path, timeout=30))

    @staticmethod
    def close_readers() -> None:
        """Close this process's read connections (never a parent's, inherited by a fork)."""
        _close_this_process(_READERS)

    @classmethod
    def writer(cls, path: Path, throwaway: bool = False) -> Cache:
        """A write connection of this process to the cache at ``path`` (made once per process).

        Parse workers store their own rows through it, one at a time: a
        transaction waits (``BEGIN IMMEDIATE``) while another process writes.
        """

        def connect() -> sqlite3.Connection:
            db = _connect(path)
            db.isolation_level = "IMMEDIATE"
            return db

        found = cls._of_this_process(_WRITERS, path, connect)
        if throwaway:
            found.throwaway()
        return found

    @staticmethod
    def close_writers() -> None:
        """Close this process's write connections (never a parent's, inherited by a fork)."""
        _close_this_process(_WRITERS)

    @classmethod
    def _of_this_process(
        cls, registry: dict[tuple[int, str], Cache], path: Path,
        connect: Callable[[], sqlite3.Connection],
    ) -> Cache:
        """The registry's cache for ``path`` in this process, connected on first use.

        Keyed by process id: a forked worker must never use its parent's connection.
        """
        key = (os.getpid(), str(path))
        found = registry.get(key)
        if found is None:
            found = registry[key] = cls.__new__(cls)
            found._attach(path, connect())
        return found

    def throwaway(self) -> None:
        """This cache dies with the build (``--no-cache``): never wait for the disk.

        Only a crash of the whole system could then damage the file, and nothing
        reads it again.
        """
        self._db.execute("PRAGMA synchronous=OFF")

    @property
    def is_throwaway(self) -> bool:
        return self._db.execute("PRAGMA synchronous").fetchone() == (0,)

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("PRAGMA optimize")
        self._db.close()

    @contextlib.contextmanager
    def closed_for_fork(self) -> Iterator[None]:
        """This connection closed while worker processes are forked, then opened again.

        SQLite keeps each process's lock state in memory: a child forked while a
        connection is open inherits that state but not the locks, and the child's
        own connections could then skip locks they need.
        """
        throwaway = self.is_throwaway
        self._db.commit()  # every write method has committed already: nothing is lost
        self.close()  # as at the end: the statistics its queries call for are kept
        try:
            yield
        finally:
            self._db = _connect(self.path)
            if throwaway:
                self.throwaway()

    # files

    def file_states(self) -> dict[str, tuple[int, int, bytes]]:
        """``(size, mtime_ns, content hash)`` of every known seed file, by path."""
        rows = self._db.execute("SELECT path, size, mtime_ns, digest FROM files")
        return {path: (size, mtime, digest) for path, size, mtime, digest in rows}

    def touch(self, updates: Iterable[tuple[str, int, int]]) -> None:
        """New stat values for files whose bytes (hash) did not change."""
        with self._db:
            self._db.executemany(
                "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                ((size, mtime, path) for path, size, mtime in updates),
            )

    @contextlib.contextmanager
    def filling(self) -> Iterator[None]:
        """Around storing rows: into an empty cache (a cold build) they go without indexes.

        The indexes are made at the end, or, when storing fails or the build is
        killed, the next time the cache is opened: a fifth less work than keeping
        seven indexes up to date row by row. Rows stored meanwhile, here or by other
        connections, go in without them; a nested ``filling`` (or another build's)
        leaves them to the one that dropped them (see :meth:`make_indexes`).
        """
        dropped = self._drop_indexes_if_empty()
        yield
        if dropped:
            self.make_indexes()

    def _drop_indexes_if_empty(self) -> bool:
        """Drop the indexes of an empty cache that has them all; whether it did.

        Checked and dropped in one write transaction: two builds filling one new
        cache at once must not both decide to drop them.
        """
        db = self._db
        if db.in_transaction:
            return False
        names = list(_INDEXES)
        marks = ",".join("?" * len(names))
        db.execute("BEGIN IMMEDIATE")
        try:
            (present,) = db.execute(  # noqa: S608 - only placeholders are formatted in
                f"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ({marks})",
                names).fetchone()
            empty = db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None
            drop = empty and present == len(names)
            for name in names if drop else ():
                db.execute(f"DROP INDEX IF EXISTS {name}")
            db.commit()
        except BaseException:
            db.rollback()
            raise
        return drop

    def make_indexes(self) -> None:
        """Make the indexes a cold fill left out (nothing to do when they exist)."""
        self._db.executescript(_MAKE_INDEXES)

    def store(self, parsed: Iterable[Parsed], batch: int = 2000) -> None:
        """Save parse results, committing every ``batch`` files (progress survives a kill).

        Rows go to SQLite a few at a time, so memory does not grow with ``batch``;
        fewer, larger transactions write each index page fewer times.
        """
        db = self._db
        with self.filling():
            items: list[Parsed] = []
            pending = 0
            try:
                for item in parsed:
                    items.append(item)
                    if len(items) >= _GROUP:
                        self._insert(items, pending == 0)
                        pending += len(items)
                        items = []
                        if pending >= batch:
                            db.commit()
                            pending = 0
                if items:
                    self._insert(items, pending == 0)
                db.commit()
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.rollback()  # what this batch stored so far; earlier batches stay
                raise

    def _insert(self, items: list[Parsed], first: bool) -> None:
        """Write ``items`` in the open transaction (``first``: the transaction's first rows)."""
        db = self._db
        if first:
            db.execute("DELETE FROM meta WHERE key = 'complete'")
        # Only a path already stored can have topic rows (a cold build has none).
        marks = ",".join("?" * len(items))
        known = db.execute(f"SELECT path FROM files WHERE path IN ({marks})",  # noqa: S608
                           [item.path for item in items]).fetchall()
        if known:
            db.executemany("DELETE FROM topics WHERE path = ?", known)
        db.executemany("INSERT OR REPLACE INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", items)
        db.executemany("INSERT INTO topics VALUES (?,?,?,?,?,?)", [
            (item.path, key, label, item.stamp, item.entry_id, item.status)
            for item in items if item.topics
            for label, key, _ in (part.split(_FIELD_SEP) for part in item.topics.split(_TOPIC_SEP))
        ])

    def forget(self, paths: Iterable[str]) -> None:
        gone = [(path,) for path in paths]
        with self._db:
            self._db.execute("DELETE FROM meta WHERE key = 'complete'")
            self._db.executemany("DELETE FROM files WHERE path = ?", gone)
            self._db.executemany("DELETE FROM topics WHERE path = ?", gone)

    def counts(self) -> dict[int, int]:
        rows = self._db.execute("SELECT status, count(*) FROM files GROUP BY status")
        return {REJECTED: 0, HELD_BACK: 0, PUBLISHED: 0, **dict(rows)}

    def problems(self) -> Iterator[Problem]:
        """Every stored problem, in path order (the order a cold build reports them)."""
        rows = self._db.execute(
            "SELECT problems FROM files WHERE problems IS NOT NULL ORDER BY path"
        )
        for (blob,) in rows:
            yield from decode(blob)  # type: ignore[misc]

    def plan_rows(self, include_unpublished: bool, limit: int) -> PlanRows:
        """The records planning needs to pick every feed's newest ``limit`` stories.

        Not every record: only those that can decide something, found with
        the indexes. A story among the newest of the combined feed or of one
        of its topics (allowing for duplicates, which push others down), every
        record of a duplicated story (their topics are merged), and for each
        topic a record with its smallest label (the label planning keeps).
        Planning these gives the same feeds as planning all of them; the
        counts that need all records come from SQL.
        """
        lowest = HELD_BACK if include_unpublished else PUBLISHED
        db = self._db
        (extra,) = db.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM files "
            "WHERE status >= ? GROUP BY entry_id HAVING n > 1)", (lowest,)).fetchone()
        depth = limit + extra
        paths: set[str] = set()
        paths.update(p for (p,) in db.execute(
            "SELECT path FROM files WHERE status >= ? ORDER BY stamp DESC, entry_id LIMIT ?",
            (lowest, depth)))
        if extra:
            paths.update(p for (p,) in db.execute(
                "SELECT path FROM files WHERE status >= ? AND entry_id IN (SELECT entry_id "
                "FROM files WHERE status >= ? GROUP BY entry_id HAVING count(*) > 1)",
                (lowest, lowest)))
        totals: dict[str, int] = {}
        labels = db.execute(
            "SELECT key, min(label), count(DISTINCT entry_id) FROM topics WHERE status >= ? "
            "GROUP BY key", (lowest,)).fetchall()
        for key, label, count in labels:
            totals[key] = count
            paths.update(p for (p,) in db.execute(
                "SELECT path FROM topics WHERE key = ? AND status >= ? "
                "ORDER BY stamp DESC, entry_id LIMIT ?", (key, lowest, depth)))
            paths.update(p for (p,) in db.execute(
                "SELECT path FROM topics WHERE key = ? AND label = ? AND status >= ? LIMIT 1",
                (key, label, lowest)))
        (stories,) = db.execute(
            "SELECT count(DISTINCT entry_id) FROM files WHERE status >= ?", (lowest,)).fetchone()
        return PlanRows(list(self._rows(sorted(paths))), totals, stories)

    def _rows(self, paths: list[str]) -> Iterator[Row]:
        topics = _TopicDecoder()
        parse = datetime.fromisoformat
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            query = self._db.execute(
                "SELECT path, entry_id, published, updated, topics, entry_digest FROM files "
                f"WHERE path IN ({','.join('?' * len(chunk))}) ORDER BY path", chunk)  # noqa: S608
            for path, entry_id, published, updated, topic_text, digest in query:
                stamp = parse(published)
                yield Row(path, entry_id, stamp,
                          stamp if updated == published else parse(updated),
                          topics(topic_text), digest)

    def entries(
        self, paths: Iterable[str], topics: Iterable[tuple[Topic, ...]] | None = None
    ) -> dict[str, Entry]:
        """The stored entries of ``paths`` (a few dozen at a time), by path.

        ``topics``: for each path, the topics its entry gets instead of its own
        (a feed shows the topics merged from duplicates).
        """
        wanted = list(paths)
        given = dict(zip(wanted, topics, strict=True)) if topics is not None else {}
        found = {path: _decode_entry(blob, given.get(path)) for path, blob in self._blobs(wanted)}
        missing = set(wanted) - set(found)
        if missing:
            raise CacheError(f"no entry stored for {sorted(missing)[0]}")
        return found

    def feed_entries(
        self, paths: Sequence[str], topics: Sequence[tuple[Topic, ...]]
    ) -> list[Entry]:
        """A feed's entries: those stored for ``paths``, in order, with their merged ``topics``.

        Each entry is built once with its final topics (not built, then copied with
        them). The last few thousand built are kept (see :data:`_KEPT_BYTES`): a
        story in several topics is in several feeds, and a render worker takes one
        feed after another. Only for a reader (:meth:`reader`), which lives for one
        render phase, while the stored entries do not change.
        """
        kept = self._kept
        entries: list[Entry | None] = []
        wanted: dict[str, list[int]] = {}
        for path, merged in zip(paths, topics, strict=True):
            entry = kept.get(path)
            if entry is None or entry.topics != merged:
                wanted.setdefault(path, []).append(len(entries))
                entry = None
            entries.append(entry)
        if wanted:
            for path, blob in self._blobs(list(wanted)):
                if self._kept_bytes + len(blob) > _KEPT_BYTES:
                    kept.clear()
                    self._kept_bytes = 0
                for number in wanted.pop(path, ()):
                    entries[number] = kept[path] = _decode_entry(blob, topics[number])
                self._kept_bytes += len(blob)
            if wanted:
                raise CacheError(f"no entry stored for {sorted(wanted)[0]}")
        return entries  # type: ignore[return-value]

    def _blobs(self, paths: list[str]) -> Iterator[tuple[str, bytes]]:
        """``(path, stored entry)`` of those of ``paths`` that have one (a few dozen at a time)."""
        for start in range(0, len(paths), 500):
            chunk = paths[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT path, entry FROM files WHERE path IN ({marks})"  # noqa: S608
            yield from self._db.execute(query, chunk)

    # outputs

    def outputs(self) -> dict[str, tuple[bytes, int, int]]:
        rows = self._db.execute("SELECT relative, digest, size, mtime_ns FROM outputs")
        return {relative: (digest, size, mtime) for relative, digest, size, mtime in rows}

    def record_outputs(self, items: Iterable[tuple[str, bytes, int, int]]) -> None:
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO outputs VALUES (?,?,?,?)", items)

    def forget_outputs(self, relatives: Iterable[str]) -> None:
        with self._db:
            self._db.executemany(
                "DELETE FROM outputs WHERE relative = ?", ((r,) for r in relatives)
            )

    # what the last complete build found

    def last_build(self, settings: str) -> dict | None:
        """The summary of the last build that finished cleanly with these settings."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        if row is None:
            return None
        found = json.loads(row[0])
        return found if found.get("settings") == settings else None

    def mark_complete(self, summary: dict) -> None:
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('complete', ?)", (json.dumps(summary),)
            )

    def mark_incomplete(self) -> None:
        with self._db:
            self._db.execute("DELETE FROM meta WHERE key = 'complete'")


def _close_this_process(registry: dict[tuple[int, str], Cache]) -> None:
    """Close the connections of ``registry`` this process made (never a parent's)."""
    pid = os.getpid()
    for key in [k for k in registry if k[0] == pid]:
        registry.pop(key)._db.close()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)  # ``with db:`` is one transaction
    try:
        # Takes effect for a new file only. A 4 KB page holds one ~2.5 KB files row and
        # wastes the rest: 16 KB pages make the cache 17% smaller and inserting faster.
        db.execute("PRAGMA page_size=16384")
        db.execute("PRAGMA journal_mode=WAL")  # fails fast on a file that is not a database
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA cache_size=-16000")  # 16 MB: bounded, whatever the corpus size
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def open_cache(path: Path, fingerprint: str) -> tuple[Cache, str | None]:
    """Open (or create) the cache; a damaged one is deleted and started again.

    Returns the cache and a note for the user when it had to be rebuilt.
    """
    try:
        cache = Cache(path, fingerprint, reset=False)
        if cache.reset_reason is None:
            return cache, None
        # Made by another feedpub or other settings: a new file is much faster
        # to fill than emptying this one (DELETE of every row, a WAL as big as the cache).
        note = f"cache {path}: {cache.reset_reason}; rebuilding it"
        cache.close()
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        note = f"cache {path} is unreadable ({exc}); rebuilding it"
    discard(path)
    return Cache(path, fingerprint), note


#: SQLite result codes of a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGE_CODES = (11, 26)


def is_damage(error: BaseException) -> bool:
    """Whether ``error`` says the cache file is damaged (so rebuild it).

    Other errors (a full disk, a read-only folder) are reported, not "repaired".
    """
    if isinstance(error, CacheError):
        return True
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _DAMAGE_CODES
    text = str(error)
    return "malformed" in text or "not a database" in text


def discard(path: Path) -> None:
    """Delete a cache file and its WAL companions."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
