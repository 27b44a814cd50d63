"""Offline validator for RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents."""

from feedpub.validator.core import DEFAULT_MAX_BYTES, validate_bytes, validate_path
from feedpub.validator.report import FileReport, Message

__all__ = ["DEFAULT_MAX_BYTES", "FileReport", "Message", "validate_bytes", "validate_path"]
