"""Collector of findings shared by the format checkers."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from feedpub.validator.report import Message

XML_NS = "http://www.w3.org/XML/1998/namespace"


@dataclass
class Ctx:
    """Accumulates messages, locating them by element start tag."""

    positions: dict[etree._Element, tuple[int, int]] = field(default_factory=dict)
    base: str | None = None
    errors: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)

    def where(self, el: etree._Element | None) -> tuple[int | None, int | None]:
        if el is None:
            return None, None
        pos = self.positions.get(el)
        if pos:
            return pos
        return el.sourceline, None

    def error(self, code: str, message: str, el: etree._Element | None = None) -> None:
        line, col = self.where(el)
        self.errors.append(Message(code, message, line, col, "error"))

    def warn(self, code: str, message: str, el: etree._Element | None = None) -> None:
        line, col = self.where(el)
        self.warnings.append(Message(code, message, line, col, "warning"))


def split(tag: object) -> tuple[str, str]:
    """Return (namespace, local name) of an lxml tag; comments give ('', '')."""
    found = _SPLIT.get(tag)
    if found is not None:
        return found
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        found = ns, local
    else:
        found = "", tag
    if len(_SPLIT) < 4096:  # the few names feeds use; a hostile one cannot grow it
        _SPLIT[tag] = found
    return found


_SPLIT: dict[str, tuple[str, str]] = {}


def qname(el: etree._Element) -> str:
    """Human-readable prefixed name of an element, as written in the document."""
    ns, local = split(el.tag)
    if el.prefix:
        return f"{el.prefix}:{local}"
    return local


def children(el: etree._Element) -> list[etree._Element]:
    """Element children only (no comments or processing instructions)."""
    return list(el.iterchildren(etree.Element))


def text_of(el: etree._Element) -> str:
    """All character data inside an element (comments excluded)."""
    return "".join(el.itertext(tag=None)) if len(el) else (el.text or "")


def stray_text(el: etree._Element) -> bool:
    """Non-whitespace character data directly inside an element-only container."""
    if (el.text or "").strip():
        return True
    return any((child.tail or "").strip() for child in el)


def scan(el: etree._Element) -> tuple[list[etree._Element], list[str], bool]:
    """``children(el)``, their tags and ``stray_text(el)``, in one pass over the child nodes.

    Each lxml access (a child, its tag, a text) costs more than the checks made with
    it, so they are made once. ``str.isspace`` and ``str.strip`` agree on what
    whitespace is: a text is stray exactly when it is not empty and not all whitespace.
    """
    text = el.text
    stray = bool(text) and not text.isspace()
    kids = []
    tags = []
    for child in el:
        tag = child.tag
        if tag.__class__ is str:
            kids.append(child)
            tags.append(tag)
        if not stray:
            tail = child.tail
            if tail and not tail.isspace():
                stray = True
    return kids, tags, stray
