"""Reading seed files: find them, split off the YAML front matter, parse it safely.

Only PyYAML's safe loaders are used (libyaml's ``CSafeLoader`` when it is
built in): a tag that asks for a Python object is an error, never code.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedpub.problems import Problem

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

#: File name endings read as seed records when a folder is given.
SEED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".yaml", ".yml"})


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile seed file from costing unbounded time or memory."""

    max_file_bytes: int = 1_048_576
    max_field_chars: int = 100_000
    max_nodes: int = 50_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SeedRecord:
    """A parsed seed file: its front matter mapping and the text after it."""

    path: str
    data: dict[str, Any]
    body: str | None


def find_seed_files(sources: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Seed files under ``sources`` in a stable order; hidden files and folders are skipped.

    A file named directly is read whatever its ending; a missing source is
    the caller's to report (see :func:`missing_sources`).
    """
    return (Path(name) for name in find_seed_names(sources))


def find_seed_names(sources: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """:func:`find_seed_files` as plain strings (no ``Path`` objects: 100k files are cheap)."""
    for source in sources:
        top = os.fspath(source)
        if os.path.isdir(top):
            for root, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and \
                            os.path.splitext(name)[1].lower() in SEED_SUFFIXES:
                        yield os.path.join(root, name)
        elif os.path.isfile(top):
            yield top


def missing_sources(sources: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The sources that are neither a file nor a folder."""
    return [str(s) for s in sources if not Path(s).exists()]


def read_seed_file(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> SeedRecord | Problem:
    """Read one seed file, or say why it cannot be used."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return Problem(name, "file", f"cannot read: {exc.strerror or exc}")
    if len(raw) > limits.max_file_bytes:
        return Problem(name, "file", f"larger than the {limits.max_file_bytes}-byte limit")
    return parse_seed_bytes(raw, name, limits)


def parse_seed_bytes(
    raw: bytes, path: str, limits: Limits = DEFAULT_LIMITS
) -> SeedRecord | Problem:
    """Split and parse the bytes of one seed file (UTF-8, optional BOM, LF or CRLF)."""
    if not raw.strip():
        return Problem(path, "file", "empty file")
    if b"\x00" in raw:
        return Problem(path, "file", "binary data (NUL bytes), not a text seed record")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            path, "file", f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8", line,
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return Problem(
            path, "front matter", "no front matter: the file must start with a '---' line", 1
        )
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return Problem(path, "front matter", "unterminated: no closing '---' line", 1)
    front = "\n".join(lines[1:end])
    body = "\n".join(lines[end + 1 :]).strip() or None
    try:
        data = yaml.load(front, Loader=SafeLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else None
        reason = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        return Problem(path, "front matter", f"invalid YAML: {reason}", line)
    except yaml.YAMLError as exc:
        return Problem(path, "front matter", f"invalid YAML: {exc}")
    except RecursionError:
        return Problem(path, "front matter", "invalid YAML: nested too deeply")
    if not isinstance(data, dict):
        kind = "nothing" if data is None else f"a {_type_name(data)}"
        return Problem(path, "front matter", f"expected a mapping of fields, got {kind}", 2)
    if "*" in front and _node_count(data, limits.max_nodes) > limits.max_nodes:
        return Problem(
            path, "front matter",
            f"expands to more than {limits.max_nodes} values (YAML aliases); refused",
        )
    return SeedRecord(path, data, body)


def _node_count(value: Any, limit: int) -> int:
    """Count values as if aliases were expanded, stopping once past ``limit``."""
    count = 0
    stack = [value]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _type_name(value: Any) -> str:
    return {"list": "list", "str": "string", "int": "number", "float": "number",
            "bool": "boolean"}.get(type(value).__name__, type(value).__name__)
