"""Reading seed files: find them, split off the YAML front matter, parse it safely.

Seed folders are filled by scrapers and other people's tools, so every byte
is untrusted. Only PyYAML's safe loaders are used (libyaml's ``CSafeLoader``
when it is built in): a tag that asks for a Python object is an error, never
code. Before anything is built, the event stream is checked for nesting depth
(libyaml's composer recurses in C and crashes the interpreter on a few
thousand nested brackets); after loading, alias expansion is bounded
("billion laughs"). A value PyYAML cannot construct (``2021-02-30``,
``!!int x``) is an error with its line, never an exception.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from feedpub.problems import Problem
from feedpub.yamlfast import load_plain

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

#: File name endings read as seed records when a folder is given.
SEED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".yaml", ".yml"})


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile seed file from costing unbounded time or memory.

    Set in ``feedpub.yaml`` under ``limits:`` (and two of them by flags).
    """

    #: Larger files are refused before they are read.
    max_file_bytes: int = 1_048_576
    #: Longer text fields (excerpt, body, ...) are cut, with a note.
    max_field_chars: int = 100_000
    #: Values the front matter may expand to through YAML aliases.
    max_nodes: int = 50_000
    #: Nesting of lists and mappings in the front matter.
    max_depth: int = 64
    #: Longer titles are cut at a word boundary, with a note.
    max_title_chars: int = 500


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class SeedRecord:
    """A parsed seed file: its front matter mapping and the text after it."""

    path: str
    data: dict[str, Any]
    body: str | None
    #: Non-fatal notes from reading (an encoding that was assumed, say).
    notes: tuple[Problem, ...] = ()


def find_seed_names(sources: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Seed files under ``sources`` in a stable order; hidden files and folders are skipped.

    Plain strings, not ``Path`` objects: for 100k files those cost seconds.
    A file named directly is read whatever its ending.
    """
    for source in sources:
        top = os.fspath(source)
        if os.path.isdir(top):
            for root, dirs, files in os.walk(top):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                folder = os.path.join(root, "")
                for name in sorted(files):
                    if is_seed_name(name):
                        yield folder + name
        elif os.path.isfile(top):
            yield top


def is_seed_name(name: str) -> bool:
    """Whether a file in a seed folder is a seed file: not hidden, with a seed ending.

    What ``os.path.splitext`` would say of a name that is not hidden, in a quarter
    of its time (a rerun of 100k seeds looks at every name).
    """
    return name[:1] != "." and name[name.rfind(".") :].lower() in SEED_SUFFIXES


def missing_sources(sources: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The sources that are neither a file nor a folder."""
    return [str(s) for s in sources if not Path(s).exists()]


def read_seed_file(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> SeedRecord | Problem:
    """Read one seed file, or say why it cannot be used."""
    raw = read_seed_bytes(path, limits)
    if isinstance(raw, Problem):
        return raw
    return parse_seed_bytes(raw, str(path), limits)


def read_seed_bytes(
    path: str | os.PathLike[str], limits: Limits = DEFAULT_LIMITS
) -> bytes | Problem:
    """The bytes of one seed file, or why they cannot be had.

    Only regular files are read (a FIFO or a device named ``x.md`` would
    block or never end), and an oversized file is refused from its size,
    without reading it.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return Problem(name, "file", f"cannot read: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Problem(name, "file", "not a regular file; skipped")
        if info.st_size > limits.max_file_bytes:
            return Problem(name, "file", _too_large(info.st_size, limits))
        raw = _read_up_to(fd, limits.max_file_bytes + 1, info.st_size)
    except OSError as exc:
        return Problem(name, "file", f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(raw) > limits.max_file_bytes:
        return Problem(name, "file", _too_large(len(raw), limits))
    return raw


def _read_up_to(fd: int, limit: int, size: int) -> bytes:
    """The file's bytes up to its end or ``limit`` bytes, whichever comes first.

    Sized by the file's stat (a buffered ``read(limit)`` allocates ``limit``
    bytes first: a megabyte for every six-kilobyte file); a file that grows
    meanwhile is read on, until its end or the limit.
    """
    parts: list[bytes] = []
    total = 0
    while total < limit:
        chunk = os.read(fd, min(limit - total, max(size + 1 - total, 65_536)))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _too_large(size: int, limits: Limits) -> str:
    return (
        f"{size} bytes, larger than the {limits.max_file_bytes}-byte limit "
        "(limits.max_file_bytes in feedpub.yaml, or --max-file-bytes)"
    )


def parse_seed_bytes(
    raw: bytes, path: str, limits: Limits = DEFAULT_LIMITS
) -> SeedRecord | Problem:
    """Split and parse the bytes of one seed file.

    UTF-8 (with or without a byte order mark), LF, CRLF or CR line endings.
    UTF-16 and UTF-32 are decoded only when a byte order mark says so (with
    a note); no other encoding is ever guessed.
    """
    if len(raw) > limits.max_file_bytes:
        return Problem(path, "file", _too_large(len(raw), limits))
    decoded = _decode(raw, path)
    if isinstance(decoded, Problem):
        return decoded
    text, notes = decoded
    if not text or text.isspace():
        return Problem(path, "file", "empty file")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = split_front_matter(text)
    if isinstance(parts, str):
        return Problem(path, "front matter", parts, 1)
    front, body = parts
    loaded = load_front_matter(front, path, limits)
    if isinstance(loaded, Problem):
        return loaded
    data, duplicates = loaded
    return SeedRecord(path, data, body, notes + duplicates)


#: A line that closes the front matter, with the line break before it: ``---`` or
#: ``...`` and nothing else but spaces (``\\s`` is what ``str.rstrip`` strips). A
#: literal first character lets the search skip ahead quickly (``^`` would not).
_CLOSING = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")


def split_front_matter(text: str) -> tuple[str, str | None] | str:
    """The front matter and the body (stripped, or ``None``) of ``text``, or why not.

    ``text`` has ``\\n`` line endings. The front matter lies between a first
    line that is ``---`` and the next line that is ``---`` or ``...`` (spaces
    after either are allowed). Found by searching rather than splitting the
    file into lines and testing each (twice as fast).
    """
    first = text.find("\n")
    if (text if first < 0 else text[:first]).rstrip() != "---":
        return "no front matter: the file must start with a '---' line"
    closing = None if first < 0 else _CLOSING.search(text, first)
    if closing is None:
        return "unterminated: no closing '---' line"
    return text[first + 1 : closing.start()], text[closing.end() + 1 :].strip() or None


def _decode(raw: bytes, path: str) -> tuple[str, tuple[Problem, ...]] | Problem:
    """The text of a seed file, and a note when it was not UTF-8."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return Problem(
                    path, "file", f"starts with a {encoding.upper()} byte order mark but is not "
                    f"valid {encoding.upper()} (at byte {exc.start + len(bom)})",
                )
            note = Problem(
                path, "file", f"decoded as {encoding.upper()} (byte order mark); "
                "save seed files as UTF-8", fatal=False,
            )
            return text, (note,)
    if b"\x00" in raw:
        return Problem(
            path, "file", "contains NUL bytes: binary data, or UTF-16 without a byte order "
            "mark; seed files must be UTF-8 text",
        )
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return Problem(
            path, "file", f"not UTF-8: invalid byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}; no other encoding is guessed: save the file as UTF-8",
            line,
        )


#: Byte order marks that are decoded; UTF-32 first (its LE mark starts with UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class _SeedLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, made to report values it cannot build instead of raising,
    and to remember keys given twice in one mapping (YAML forbids it; PyYAML keeps the last).
    """

    #: Its timestamp constructor returns PyYAML's value whenever PyYAML's succeeds,
    #: so :mod:`feedpub.yamlfast` may build valid timestamps itself.
    yamlfast_timestamps = True

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        first: dict[str, int] = {}
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE_TAG:
                line = key_node.start_mark.line + 2
                if key_node.value in first:
                    self.duplicates.append((key_node.value, first[key_node.value], line))
                first.setdefault(key_node.value, line)
        return super().construct_mapping(node, deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError,
                OverflowError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_tag_name(node.tag)} value {_short(node)}: {exc}",
                node.start_mark,
            ) from None

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        # A date-like value that is not a real date (2021-02-30, +25:00) stays
        # a string, so that the field that holds it is named in the rejection.
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, TypeError, AttributeError, OverflowError):
            return self.construct_scalar(node)


_MERGE_TAG = "tag:yaml.org,2002:merge"
_SeedLoader.add_constructor("tag:yaml.org,2002:timestamp", _SeedLoader.construct_yaml_timestamp)


def load_front_matter(
    front: str, path: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[dict, tuple[Problem, ...]] | Problem:
    """The front matter's mapping and notes (keys given twice), or why it cannot be used."""
    try:
        loader = _SeedLoader(front)
        try:
            plain = load_plain(loader, front, limits.max_depth, limits.max_nodes)
        finally:
            loader.dispose()
        if plain is not None:
            data, duplicates = plain
        else:
            refused = _check_shape(front, limits)
            if refused is not None:
                reason, line = refused
                return Problem(path, "front matter", reason, line)
            loader = _SeedLoader(front)
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
            duplicates = loader.duplicates
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
    if not duplicates:
        return data, ()
    # In the order of the repeats in the file, whichever way it was read (PyYAML's own
    # loader meets an outer mapping's keys before those of the mappings inside it).
    notes = tuple(
        Problem(path, key[:60], f"given twice (lines {a} and {b}); the last one is used", b,
                fatal=False)
        for key, a, b in sorted(duplicates, key=lambda found: found[2])
    )
    return data, notes


def _check_shape(front: str, limits: Limits) -> tuple[str, int] | None:
    """Why the front matter is refused before it is built (and the file line), or ``None``.

    Runs on the event stream: libyaml's parser keeps its own stack, so this
    is safe at any depth, and it stops at the first level or value too many
    (a 1 MB list would otherwise take seconds to build). It costs about 0.15 ms
    for a typical record, a third of the load it protects.
    """
    depth = values = 0
    for event in yaml.parse(front, Loader=SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                return (
                    f"lists and mappings nested more than {limits.max_depth} levels deep; "
                    "refused", event.start_mark.line + 2,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            continue
        elif not isinstance(event, yaml.ScalarEvent | yaml.AliasEvent):
            continue
        values += 1
        if values > limits.max_nodes:
            return (
                f"more than {limits.max_nodes} values (limits.max_nodes); refused",
                event.start_mark.line + 2,
            )
    return None


def _tag_name(tag: str | None) -> str:
    return (tag or "?").removeprefix("tag:yaml.org,2002:")


def _short(node: yaml.Node) -> str:
    value = node.value if isinstance(node, yaml.ScalarNode) else "..."
    return repr(value) if len(value) <= 40 else repr(value[:37] + "...")


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
