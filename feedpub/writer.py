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
from pathlib import Path


def write_if_changed(path: str | os.PathLike[str], data: bytes) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds exactly that.

    Returns whether the file was written. Raises ``OSError`` (disk full,
    read-only folder) with the old file left in place.
    """
    target = Path(path)
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _sync_folder(target.parent)
    return True


def _sync_folder(folder: Path) -> None:
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
