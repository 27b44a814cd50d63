"""Result values of a validation run: plain frozen dataclasses, errors as values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Message:
    """One finding, located by 1-based line and column when known."""

    code: str
    message: str
    line: int | None = None
    column: int | None = None
    level: Level = "error"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "column": self.column,
        }


@dataclass(frozen=True)
class FileReport:
    """Everything found in one document."""

    path: str
    format: str = "unknown"
    errors: tuple[Message, ...] = field(default_factory=tuple)
    warnings: tuple[Message, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "format": self.format,
            "valid": self.valid,
            "errors": [m.to_json() for m in self.errors],
            "warnings": [m.to_json() for m in self.warnings],
        }
