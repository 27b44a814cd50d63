"""Entry points: validate bytes or a file path and return a FileReport."""

from __future__ import annotations

from pathlib import Path

from feedpub.validator.report import FileReport

DEFAULT_MAX_BYTES = 10 * 2**20


def validate_bytes(
    data: bytes,
    *,
    path: str = "<stdin>",
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileReport:
    """Validate one feed document given as bytes (stub)."""
    return FileReport(path=path)


def validate_path(
    path: str | Path,
    *,
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileReport:
    """Validate one feed file (stub)."""
    p = Path(path)
    with p.open("rb") as fh:
        data = fh.read(max_bytes + 1)
    return validate_bytes(data, path=str(path), base=base, max_bytes=max_bytes)
