"""Reading and normalizing seed files on several cores.

Parsing YAML is the cost of a cold build, and it is independent per file:
worker processes read, hash, parse and normalize files into
:class:`~feedpub.cache.Parsed` rows (the entry already pickled), which they
store in the cache themselves (see :func:`feedpub.incremental.sync_seeds`).
A file whose hash is unchanged (it was only touched) comes back as a
:class:`Touched` and is not parsed at all.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import os
import signal
from collections.abc import Callable, Generator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple, TypeVar

from feedpub import cache, pool
from feedpub.normalize import normalize
from feedpub.problems import Problem
from feedpub.reader import Limits, parse_seed_bytes, read_seed_bytes

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")


class Task(NamedTuple):
    """One seed file to read: its stat when scanned and the hash the cache has for it."""

    path: str
    size: int
    mtime_ns: int
    known_digest: bytes | None = None


class Touched(NamedTuple):
    """A file whose stat changed but whose bytes did not."""

    path: str
    size: int
    mtime_ns: int


def parse_file(task: Task, limits: Limits, asset_base_url: str | None) -> cache.Parsed | Touched:
    """Read, hash, parse and normalize one file."""
    raw = read_seed_bytes(task.path, limits)  # never blocks on a FIFO; refuses huge files
    unread = isinstance(raw, Problem)
    digest = _digest(b"" if unread else raw)
    if not unread and digest == task.known_digest:
        return Touched(task.path, task.size, task.mtime_ns)
    # A file that could not be read is never trusted: read it again next time.
    mtime_ns = -1 if unread else task.mtime_ns
    record = raw if unread else parse_seed_bytes(raw, task.path, limits)
    if isinstance(record, Problem):
        return _row(task, mtime_ns, digest, cache.REJECTED, None, (record,))
    result = normalize(record, limits, asset_base_url)
    entry = result.entry
    if entry is None:
        return _row(task, mtime_ns, digest, cache.REJECTED, None, result.problems)
    status = cache.PUBLISHED if entry.is_published else cache.HELD_BACK
    return _row(task, mtime_ns, digest, status, entry, result.problems)


def _row(task: Task, mtime_ns: int, digest: bytes, status: int, entry, problems) -> cache.Parsed:
    notes = cache.encode(tuple(problems)) if problems else None
    if entry is None:
        return cache.Parsed(task.path, task.size, mtime_ns, digest, status, None, None, None,
                            None, None, None, None, notes)
    blob = cache.encode(entry)
    published = entry.published
    return cache.Parsed(
        task.path, task.size, mtime_ns, digest, status, entry.id, published.isoformat(),
        (published - _EPOCH) // _MICROSECOND, entry.updated.isoformat(),
        cache.encode_topics(entry.topics), blob, _digest(blob),
        notes,
    )


def _digest(data: bytes) -> bytes:
    """16 bytes that tell two contents apart (a cache key, not a signature).

    SHA-256 rather than BLAKE2b: with the SHA extensions of current x86 and ARM
    CPUs it hashes a seed file in about half the time.
    """
    return hashlib.sha256(data).digest()[:16]


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _prepare_worker(parent: int) -> None:
    """Run once in each worker process (``parent``: the pid of the build that forked it)."""
    _die_with_parent(parent)
    # What the worker inherited stays: the collector need not walk it again and
    # again (nor copy every page it touches, which it shares with the parent).
    gc.freeze()
    # A task's objects (hundreds of YAML events per seed file) die with it: looking
    # for cycles every 700 of them costs ~2% of a worker for nothing.
    gc.set_threshold(10_000)


def _die_with_parent(parent: int) -> None:
    """Linux: a worker is killed with its parent (``kill -9`` of a build stops it all)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        return
    # The parent died before that took effect: the worker now belongs to init, or
    # to a subreaper (tini, systemd), not necessarily pid 1.
    if os.getppid() != parent:
        os._exit(1)


def map_ordered(
    function: Callable[[C, T], R],
    context: C,
    items: Sequence[T],
    jobs: int,
    threshold: int,
    chunk: int = 1,
    forking: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
) -> Generator[R, None, None]:
    """``function(context, item)`` for every item, in order, on ``jobs`` processes.

    Runs in this process when ``jobs`` is 1 or there are fewer than
    ``threshold`` items. ``function`` must be a module-level function; the
    workers are forked, so ``context`` and ``items`` are inherited rather than sent.
    Close the generator (``contextlib.closing``) so that an error in the caller's
    loop stops the workers at once, not when the traceback is dropped. ``forking``
    is entered around forking the workers (see :meth:`feedpub.cache.Cache.closed_for_fork`).
    """
    if jobs <= 1 or len(items) < threshold:
        return (function(context, item) for item in items)
    return pool.ordered(function, context, items, jobs, chunk,
                        functools.partial(_prepare_worker, os.getpid()), forking)
