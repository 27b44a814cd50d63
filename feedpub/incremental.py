"""Rebuilding cheaply: which seed files changed, and which feed files must be rendered.

A seed file whose size and mtime match the cache is not even opened; one
whose stat changed is hashed, and parsed only when its bytes changed. A feed
file is rendered only when the digest of what it is made of (its settings,
its entries' ids, content and merged topics) differs from the one recorded
when it was last written, or the file on disk is not the one written then.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from feedpub.cache import Cache, Parsed, dist_versions, fingerprint, open_cache
from feedpub.parallel import Task, Touched, map_ordered, parse_file
from feedpub.reader import Limits

#: Seed files parsed and stored per task; a build with fewer files parses them in-process.
_CHUNK, _POOL_THRESHOLD = 128, 200
#: A file modified this recently may change again within the same mtime tick:
#: its mtime is not trusted, so the next build hashes it again.
RACY_NS = 2_000_000_000


@dataclass
class SeedChanges:
    """What syncing the cache with the seed folder did."""

    parsed: int = 0
    reused: int = 0
    removed: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.parsed or self.removed)


@contextlib.contextmanager
def open_store(
    cache_path: Path | None, limits: Limits, asset_base_url: str | None, notes: list[str]
) -> Iterator[Cache]:
    """The cache at ``cache_path``, or a throwaway one (``None``, or when it cannot be used)."""
    expected = fingerprint(limits, asset_base_url)
    cache = None
    if cache_path is not None:
        try:
            cache, note = open_cache(cache_path, expected)
            if note:
                notes.append(note)
        except (sqlite3.Error, OSError) as exc:
            notes.append(f"cache {cache_path} cannot be used ({exc}); building without it")
    if cache is not None:
        try:
            yield cache
        finally:
            cache.close()
        return
    with tempfile.TemporaryDirectory(prefix="feedpub-") as folder:
        cache = Cache(Path(folder, "cache.sqlite"), expected)
        try:
            cache.throwaway()
            yield cache
        finally:
            cache.close()


def sync_seeds(
    cache: Cache,
    paths: Sequence[str],
    limits: Limits,
    asset_base_url: str | None,
    jobs: int,
    progress: Callable[[list[str]], Iterable[str]],
) -> SeedChanges:
    """Bring the cache up to date with ``paths``: parse new and changed files, drop gone ones.

    Files are parsed in chunks, by ``jobs`` worker processes that store the
    rows themselves (SQLite lets one write at a time; each waits its turn).
    """
    states = cache.file_states()
    racy_after = time.time_ns() - RACY_NS
    tasks: list[Task] = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            tasks.append(Task(path, -1, -1))  # the reader will say why
            continue
        known = states.get(path)
        if known is not None and known[0] == stat.st_size and known[1] == stat.st_mtime_ns:
            continue
        mtime = stat.st_mtime_ns if stat.st_mtime_ns < racy_after else -1
        tasks.append(Task(path, stat.st_size, mtime, known[2] if known else None))
    present = set(paths)
    gone = [path for path in states if path not in present]
    changes = SeedChanges(reused=len(paths) - len(tasks), removed=len(gone))
    if gone:
        cache.forget(gone)
    chunks = [tasks[start : start + _CHUNK] for start in range(0, len(tasks), _CHUNK)]
    context = _Parsing(cache.path, cache.is_throwaway, limits, asset_base_url)
    touched: list[tuple[str, int, int]] = []
    bar = iter(progress([t.path for t in tasks]))
    workers = jobs if len(tasks) >= _POOL_THRESHOLD else 1
    with cache.filling():
        try:
            with contextlib.closing(map_ordered(_parse_and_store, context, chunks, workers,
                                                1, forking=cache.closed_for_fork)) as done:
                for chunk, (parsed, unchanged) in zip(chunks, done, strict=True):
                    changes.parsed += parsed
                    touched.extend(unchanged)
                    for _ in chunk:
                        next(bar, None)
        finally:
            Cache.close_writers()
    # Another build filling the same new cache may have dropped them and not be done.
    cache.make_indexes()
    for _ in bar:  # let the progress bar finish
        pass
    if touched:
        cache.touch(touched)
        changes.reused += len(touched)
    return changes


@dataclass(frozen=True)
class _Parsing:
    """What every parse task needs; inherited by forked workers, never sent."""

    cache_path: Path
    throwaway: bool
    limits: Limits
    asset_base_url: str | None


def _parse_and_store(
    context: _Parsing, tasks: list[Task]
) -> tuple[int, list[tuple[str, int, int]]]:
    """Parse some seed files and store their rows; the files only touched are returned.

    Runs in a worker process, which writes to the cache itself: the rows
    (~2 KB each) never cross a pipe and the parent does not handle them one by one.
    """
    rows: list[Parsed] = []
    touched: list[tuple[str, int, int]] = []
    for task in tasks:
        result = parse_file(task, context.limits, context.asset_base_url)
        if isinstance(result, Touched):
            touched.append((result.path, result.size, result.mtime_ns))
        else:
            rows.append(result)
    if rows:
        Cache.writer(context.cache_path, context.throwaway).store(rows)
    return len(rows), touched


def settings_digest(*parts: object) -> str:
    """What every feed file depends on besides its entries: settings and rendering code."""
    here = Path(__file__).parent
    code = [hashlib.sha1(path.read_bytes()).hexdigest() for path in sorted(here.glob("*.py"))]
    versions = [dist_versions()["lxml"]]  # archive links and validation go through lxml
    text = "\n".join(map(repr, (*parts, *code, *versions)))
    return hashlib.sha1(text.encode()).hexdigest()


def feed_digest(settings: str, relative: str, info: object, members: Iterable[bytes]) -> bytes:
    """The identity of one feed file's content, from its inputs (no rendering needed)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{settings}\n{relative}\n{info!r}\n".encode())
    for member in members:
        digest.update(member)
    return digest.digest()


def is_fresh(record: tuple[bytes, int, int] | None, digest: bytes, path: Path) -> bool:
    """Whether ``path`` is still the file written from inputs with this ``digest``."""
    if record is None or record[0] != digest:
        return False
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return stat.st_size == record[1] and stat.st_mtime_ns == record[2]


def on_disk(outputs: dict[str, tuple[bytes, int, int]], folder: Path) -> bool:
    """Whether every recorded feed file is still exactly as written."""
    return bool(outputs) and all(
        is_fresh(record, record[0], folder / relative) for relative, record in outputs.items()
    )
