"""Problems are values: a record that cannot be used is reported, never raised."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Control and format characters (escape sequences, bidi overrides) in a file
#: name or a reason would act on the terminal the report is printed to.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


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
        return _printable(f"{where}: {self.field}: {self.reason}")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)
