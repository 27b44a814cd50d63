"""Writing feed files so that a reader never sees half a file or a needless change.

Each file is written to a temporary file in the same folder, flushed to
disk, then renamed over the old one (a rename is atomic on POSIX), and only
when its bytes differ: unchanged feeds keep their mtime, so HTTP caches and
ETags stay valid.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

_TEMP_SUFFIX = ".tmp"


def write_if_changed(path: str | os.PathLike[str], data: bytes) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds exactly that.

    Returns whether the file was written. Raises ``OSError`` (disk full,
    read-only folder) with the old file left in place.
    """
    if holds(path, data):
        return False
    write_atomic(path, data)
    return True


def holds(path: str | os.PathLike[str], data: bytes) -> bool:
    """Whether the file at ``path`` has exactly these bytes (a missing file has none)."""
    try:
        with open(path, "rb") as stream:
            if os.fstat(stream.fileno()).st_size != len(data):
                return False
            return stream.read() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def write_atomic(path: str | os.PathLike[str], data: bytes, sync_dir: bool = True) -> None:
    """Replace ``path`` with ``data``: readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    and the temporary file is renamed over ``path``. On any failure the
    temporary file is removed and the old file is untouched. With
    ``sync_dir=False`` the caller makes the renames durable with one
    :func:`sync_folder` per folder once it has written them all.
    """
    target = Path(path)
    handle, temp = _temporary(target)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fsync(handle)
            os.fchmod(handle, 0o644)
        finally:
            os.close(handle)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    if sync_dir:
        sync_folder(target.parent)


#: A new file, for writing only, never through a symbolic link (as mkstemp opens one).
_NEW_FILE = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_CLOEXEC", 0))


def _temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target``, open for writing, and its name.

    Named after the target and this process: a build writes each file once, and
    only one build writes a folder at a time (it holds the output lock). A name
    already taken (left by a killed process with the same id) makes a random one,
    as does a missing folder once it is made. Cheaper than mkstemp's random name.
    """
    temp = os.path.join(target.parent, f".{target.name}.{os.getpid()}{_TEMP_SUFFIX}")
    try:
        return os.open(temp, _NEW_FILE, 0o600), temp
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        pass
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent)


def remove_stale_temps(folder: str | os.PathLike[str], suffixes: Iterable[str]) -> list[Path]:
    """Delete temporary files a killed build left in ``folder`` for files ending in ``suffixes``.

    Call it only while holding the output lock (another build's temporary
    files are not stale).
    """
    endings = tuple(suffixes)
    removed: list[Path] = []
    try:
        candidates = list(Path(folder).iterdir())
    except OSError:
        return removed
    for path in candidates:
        name = path.name
        if not (name.startswith(".") and name.endswith(_TEMP_SUFFIX)):
            continue
        original = name[1:].rsplit(".", 2)[0]
        if original.endswith(endings):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def sync_folder(folder: str | os.PathLike[str]) -> None:
    """Make the rename itself durable (best effort: not every system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
