"""Forked worker processes for one ordered map, without :class:`multiprocessing.Pool`.

``multiprocessing.Pool`` runs three threads in the parent; its worker handler
wakes up whenever a result is waiting in the pipe and spins until the result
handler has read it: ~0.13 s of the parent's CPU per pool on a 10k-file build,
taken from the workers on a 2-core machine. Here the parent is one thread:
it waits on the workers' pipes itself.

The workers are forked after the items exist, so they read the items from
the memory they inherited: the parent sends only chunk numbers (a few bytes)
and receives each chunk's results as one message. A worker keeps two chunks
in hand, so it never waits for the parent between them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

#: Chunks a worker is given ahead: one to work on, one to start when it is done.
_AHEAD = 2
#: Seconds to wait for a worker that was told to stop before it is terminated.
_STOP_SECONDS = 5.0


class WorkerDied(RuntimeError):
    """A worker process ended without sending its results (killed, or crashed)."""


def ordered(
    function: Callable[[Any, Any], Any],
    context: Any,
    items: Sequence[Any],
    jobs: int,
    chunk: int,
    setup: Callable[[], None] | None = None,
    forking: Callable[[], contextlib.AbstractContextManager[Any]] = contextlib.nullcontext,
) -> Iterator[Any]:
    """``function(context, item)`` for every item, in order, on ``jobs`` worker processes.

    ``setup`` runs once in each worker before its first item; ``forking`` is
    entered around forking them (to close what a child must not inherit). An
    exception raised by ``function`` is raised here; stopping early (or any
    error) stops the workers.
    """
    chunks = -(-len(items) // chunk)
    if not chunks:
        return
    with forking():
        workers = _start(min(jobs, chunks), (function, context, items, chunk, setup))
    finished = False
    try:
        yield from _collect(workers, chunks)
        finished = True
    finally:
        _stop(workers, finished)


def _start(count: int, job: tuple) -> list[tuple[multiprocessing.Process, Connection]]:
    methods = multiprocessing.get_all_start_methods()
    start = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = []
    try:
        for _ in range(count):
            mine, theirs = start.Pipe()
            process = start.Process(target=_work, args=(theirs, *job), daemon=True)
            process.start()
            theirs.close()
            workers.append((process, mine))
    except BaseException:
        _stop(workers, finished=False)
        raise
    return workers


def _collect(workers: list[tuple[multiprocessing.Process, Connection]],
             chunks: int) -> Iterator[Any]:
    """Hand out chunk numbers as workers free up; yield the results in chunk order."""
    ahead = {connection: 0 for _, connection in workers}  # chunks given, results not back
    numbers = iter(range(chunks))

    def give(connection: Connection) -> None:
        number = next(numbers, None)
        if number is not None:
            _give(connection, number)
            ahead[connection] += 1

    for _ in range(_AHEAD):
        for connection in ahead:
            give(connection)
    done: dict[int, list] = {}
    for wanted in range(chunks):
        while wanted not in done:
            for connection in wait([c for c, n in ahead.items() if n]):
                number, results = _receive(connection)  # type: ignore[arg-type]
                done[number] = results
                ahead[connection] -= 1  # type: ignore[index]
                give(connection)  # type: ignore[arg-type]
        yield from done.pop(wanted)


def _receive(connection: Connection) -> tuple[int, list]:
    """A chunk's number and results from a worker; its error is raised."""
    try:
        number, ok, payload = connection.recv()
    except (EOFError, OSError):  # OSError: it died with chunk numbers it had not read
        raise WorkerDied("a worker process ended without finishing its work") from None
    if not ok:
        raise payload
    return number, payload


def _give(connection: Connection, number: int) -> None:
    """Send a chunk number to a worker.

    A worker that has just failed cannot take it: the parent learns why (its
    error, or that it died) when it reads that worker's next message.
    """
    with contextlib.suppress(OSError):
        connection.send(number)


def _stop(workers: list[tuple[multiprocessing.Process, Connection]], finished: bool) -> None:
    """Let idle workers exit (all work ``finished``); terminate busy ones (an error, or Ctrl-C)."""
    for process, connection in workers:
        if finished:
            with contextlib.suppress(OSError):  # already gone
                connection.send(None)
        else:
            process.terminate()
    for process, connection in workers:
        process.join(_STOP_SECONDS)
        if process.exitcode is None:
            process.kill()
            process.join()
        connection.close()


def _work(connection: Connection, function, context, items, chunk: int, setup) -> None:
    """A worker's life: compute the chunks it is given until it is told to stop."""
    # Ctrl-C reaches the whole process group: the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if setup is not None:
        setup()
    while True:
        try:
            number = connection.recv()
        except EOFError:
            return  # the parent is gone
        if number is None:
            return
        start = number * chunk
        try:
            results = [function(context, item) for item in items[start : start + chunk]]
        except Exception as exc:  # noqa: BLE001 - raised again in the parent
            _send_error(connection, number, exc)
            return
        connection.send((number, True, results))


def _send_error(connection: Connection, number: int, error: Exception) -> None:
    try:
        connection.send((number, False, error))
    except Exception:  # noqa: BLE001 - the error itself cannot be pickled
        connection.send((number, False, RuntimeError(f"{type(error).__name__}: {error}")))
