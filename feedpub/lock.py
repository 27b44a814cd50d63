"""One build at a time per output folder.

An advisory ``flock`` on ``.feedpub.lock`` in the output folder. The kernel
drops it when its process ends, however it ends (``kill -9`` included), so a
crashed build never leaves a stale lock behind. Forked worker processes close
their inherited copy at once (an orphaned worker must not keep the folder
locked). The file holds the pid of the build that has it, for the message
the waiting one prints.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from pathlib import Path

LOCK_NAME = ".feedpub.lock"
#: Exit code of a build that gave up waiting for another one.
EXIT_BUSY = 3
#: Lock files this process holds open.
_HELD: set[int] = set()


def _forget_in_child() -> None:
    """A forked worker must not keep the lock alive after its parent is killed."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)  # the parent's own descriptor still holds the lock
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class LockBusy(Exception):
    """Another build holds the output folder."""


class Lock:
    """The held lock; release it with :meth:`release` or a ``with`` block."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd = fd
        self.path = path

    def release(self) -> None:
        if self.fd >= 0:
            _HELD.discard(self.fd)
            os.close(self.fd)  # closing drops the flock
            self.fd = -1

    def __enter__(self) -> Lock:
        return self

    def __exit__(self, *_: object) -> None:
        self.release()


def acquire(folder: Path, wait: float = 0.0, poll: float = 0.1) -> Lock:
    """Lock ``folder`` (created if missing), waiting up to ``wait`` seconds.

    Raises :class:`LockBusy` naming the holder, or ``OSError`` if the lock
    file cannot be created (e.g. a read-only folder).
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                os.close(fd)
                who = f" (pid {holder})" if holder else ""
                waited = f" after waiting {wait:g} s" if wait > 0 else ""
                raise LockBusy(
                    f"another feedpub build{who} is writing to {folder}; gave up{waited} "
                    "(use --wait SECONDS to wait for it)"
                ) from None
            time.sleep(poll)
        except BaseException:
            os.close(fd)
            raise
    _HELD.add(fd)
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return Lock(fd, path)


def _holder(fd: int) -> str | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return text if text.isdigit() else None
