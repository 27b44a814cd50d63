"""Safe decoding and parsing of untrusted XML.

Feeds come from anywhere, so the parser never loads a DTD, never touches the
network or the file system, never expands entities, and refuses any internal
subset that declares entities (the classic "billion laughs" and external
entity attacks) before libxml2 even sees the document.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree

from feedpub.validator.report import Message

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a BOM, the first bytes still reveal UTF-16 (XML 1.0 appendix F).
_SNIFF: tuple[tuple[bytes, str], ...] = (
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
_DECL = re.compile(
    r"""^<\?xml\s+version\s*=\s*(["'])[^"']*\1"""
    r"""(?:\s+encoding\s*=\s*(["'])(?P<enc>[A-Za-z][A-Za-z0-9._-]*)\2)?""",
)
_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY_DECL = re.compile(r"<!ENTITY\b")
# Markup that is not a start tag, then start tags; used to locate elements.
_TOKENS = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|<(?=[^\s/!?<>])",
    re.DOTALL,
)
_C1 = re.compile("[\x80-\x9f]")
_UNICODE_FAMILY = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}


@dataclass(frozen=True)
class Parsed:
    """Outcome of parsing: a root element, or fatal errors that stop validation.

    ``source`` is the decoded text, or the bytes of a pure-ASCII UTF-8 document
    (its text is the same characters; decoding it is left until ``text`` is asked for).
    """

    root: etree._Element | None
    source: str | bytes
    errors: tuple[Message, ...] = ()
    warnings: tuple[Message, ...] = ()
    doctype: str | None = None
    positions: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        source = self.source
        return source if isinstance(source, str) else source.decode("ascii")


def _err(code: str, text: str, line: int | None = 1, col: int | None = 1) -> Message:
    return Message(code, text, line, col, "error")


def _canonical(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str | None, list[Message], list[Message]]:
    """Decode bytes following XML 1.0 appendix F: BOM, then declaration, else UTF-8."""
    text, errors, warnings = _decode(data, keep_ascii=False)
    return text if text is None or isinstance(text, str) else text.decode("ascii"), errors, warnings


def _decode(
    data: bytes, *, keep_ascii: bool
) -> tuple[str | bytes | None, list[Message], list[Message]]:
    """``decode``; with keep_ascii, a pure-ASCII UTF-8 body comes back as its bytes."""
    errors: list[Message] = []
    warnings: list[Message] = []
    bom_enc: str | None = None
    body = data
    for bom, enc in _BOMS:
        if data.startswith(bom):
            bom_enc, body = enc, data[len(bom) :]
            break
    sniffed = bom_enc
    if sniffed is None:
        for head, enc in _SNIFF:
            if data.startswith(head):
                sniffed = enc
                break
    probe_enc = sniffed or "utf-8"
    probe = body[:400].decode(probe_enc, errors="replace")
    match = _DECL.match(probe)
    declared = match.group("enc") if match and match.group("enc") else None
    encoding = sniffed or "utf-8"
    if declared:
        canon = _canonical(declared)
        if canon is None:
            errors.append(_err("UnknownEncoding", f"unknown character encoding {declared!r}"))
            return None, errors, warnings
        if sniffed:
            if canon not in _UNICODE_FAMILY or not canon.startswith(sniffed[:6]):
                errors.append(
                    _err(
                        "EncodingMismatch",
                        f"the XML declaration says {declared!r} but the document "
                        f"starts like {sniffed}",
                    )
                )
                return None, errors, warnings
        else:
            if canon.startswith(("utf-16", "utf-32")):
                errors.append(
                    _err(
                        "EncodingMismatch",
                        f"the XML declaration says {declared!r} but the bytes are "
                        "ASCII-compatible and there is no byte order mark",
                    )
                )
                return None, errors, warnings
            encoding = canon
    if keep_ascii and encoding == "utf-8" and body.isascii():
        return body, errors, warnings  # valid UTF-8, and no C1 control characters
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        col = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        code = "NotUTF8" if encoding == "utf-8" else "BadCharacters"
        errors.append(
            _err(code, f"bytes are not valid {encoding} at offset {exc.start}", line, col)
        )
        return None, errors, warnings
    # C1 controls are U+0080-U+009F; ASCII text, or UTF-8 without a 0xC2 byte, has none.
    clean = text.isascii() or (encoding == "utf-8" and b"\xc2" not in body)
    c1 = None if clean else _C1.search(text)
    if c1:
        head = text[: c1.start()]
        warnings.append(
            Message(
                "BadCharacters",
                "C1 control character found; the text is probably windows-1252 "
                f"mislabelled as {encoding}",
                head.count("\n") + 1,
                c1.start() - (head.rfind("\n") + 1) + 1,
                "warning",
            )
        )
    return text, errors, warnings


def _line_col(text: str, offset: int, line_starts: list[int]) -> tuple[int, int]:
    import bisect

    idx = bisect.bisect_right(line_starts, offset) - 1
    return idx + 1, offset - line_starts[idx] + 1


def locate(text: str, root: etree._Element) -> dict[etree._Element, tuple[int, int]]:
    """Map each element to the line/column of its start tag.

    libxml2 only reports the line where a start tag ends, so start tags are found
    again in the text: they appear in the same order as the elements of the tree.
    """
    line_starts = [0]
    line_starts.extend(m.end() for m in re.finditer("\n", text))
    offsets = [m.start() for m in _TOKENS.finditer(text) if m.group() == "<"]
    positions: dict[etree._Element, tuple[int, int]] = {}
    for el, off in zip(root.iter(etree.Element), offsets, strict=False):
        positions[el] = _line_col(text, off, line_starts)
    return positions


class Positions(dict):
    """:func:`locate`'s map, worked out on first use: a clean feed never needs it.

    Locating every start tag costs about a tenth of validating a document.
    """

    def __init__(self, source: str | bytes, root: etree._Element) -> None:
        super().__init__()
        self._pending: tuple[str | bytes, etree._Element] | None = (source, root)

    def _fill(self) -> None:
        if self._pending is not None:
            source, root = self._pending
            self._pending = None
            text = source if isinstance(source, str) else source.decode("ascii")
            self.update(locate(text, root))

    def get(self, key, default=None):  # type: ignore[override]
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key) -> bool:
        self._fill()
        return super().__contains__(key)

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()


def _doctype_check(source: str | bytes) -> tuple[list[Message], str | None]:
    if (b"!" if isinstance(source, bytes) else "!") not in source:
        return [], None  # one memchr; searching for "<!" would visit every "<"
    text = source if isinstance(source, str) else source.decode("ascii")
    match = _DOCTYPE.search(text)
    if not match:
        return [], None
    start = match.start()
    head = text[:start]
    line = head.count("\n") + 1
    col = start - (head.rfind("\n") + 1) + 1
    end = text.find(">", start)
    bracket = text.find("[", start)
    subset = ""
    if bracket != -1 and (end == -1 or bracket < end):
        close = text.find("]", bracket)
        subset = text[bracket : close if close != -1 else len(text)]
        end = text.find(">", close) if close != -1 else -1
    decl = text[start : end + 1 if end != -1 else len(text)]
    if _ENTITY_DECL.search(subset):
        return [
            _err(
                "EntityDeclaration",
                "the DOCTYPE declares entities; they are refused (entity expansion and "
                "external entities are unsafe in feeds)",
                line,
                col,
            )
        ], decl
    return [], decl


def parse(data: bytes) -> Parsed:
    """Decode and parse a document without ever expanding entities or fetching anything."""
    text, errors, warnings = _decode(data, keep_ascii=True)
    if text is None:
        return Parsed(None, "", tuple(errors), tuple(warnings))
    doctype_errors, doctype = _doctype_check(text)
    if doctype_errors:
        return Parsed(None, text, tuple(doctype_errors), tuple(warnings), doctype)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_blank_text=False,
        encoding="utf-8",
    )
    try:
        root = etree.fromstring(text if isinstance(text, bytes) else text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (None, None)
        msg = str(exc.msg or exc).split(", line ")[0]
        return Parsed(None, text, (_err("SAXError", f"not well-formed XML: {msg}", line, col),))
    if root is None:
        return Parsed(None, text, (_err("SAXError", "the document is empty"),))
    for entity in root.iter(etree.Entity):
        line = entity.sourceline
        return Parsed(
            None,
            text,
            (_err("UndefinedEntity", f"undefined entity {entity.text}", line, None),),
        )
    return Parsed(root, text, tuple(errors), tuple(warnings), doctype, Positions(text, root))
