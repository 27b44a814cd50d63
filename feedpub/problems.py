"""Problems are values: a record that cannot be used is reported, never raised."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why one seed record (or one part of it) could not be used.

    ``fatal`` problems reject the whole record; the others are notes about
    something dropped from an otherwise good record (an unusable image, say).
    """

    path: str
    field: str
    reason: str
    line: int | None = None
    fatal: bool = True

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.reason}"
