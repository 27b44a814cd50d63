"""Entry points: validate bytes or a file path and return a FileReport."""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from feedpub.validator import urls
from feedpub.validator.context import XML_NS, Ctx, split
from feedpub.validator.extensions import is_self
from feedpub.validator.report import FileReport, Message
from feedpub.validator.xmlsafe import parse

DEFAULT_MAX_BYTES = 10 * 2**20
ATOM_NS = "http://www.w3.org/2005/Atom"
_OLD_ATOM = "http://purl.org/atom/ns#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_NETSCAPE_DTD = "-//Netscape Communications//DTD RSS 0.91//EN"


def _report(path: str, fmt: str, errors: list[Message], warnings: list[Message]) -> FileReport:
    key = lambda m: (m.line or 0, m.column or 0)  # noqa: E731
    return FileReport(path, fmt, tuple(sorted(errors, key=key)), tuple(sorted(warnings, key=key)))


def _looks_json(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return head in (b"{", b"[")


def validate_bytes(
    data: bytes,
    *,
    path: str = "<stdin>",
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileReport:
    """Validate one feed document given as bytes; never raises on bad input."""
    if len(data) > max_bytes:
        msg = Message(
            "TooLarge", f"the document is larger than the {max_bytes}-byte limit", None, None
        )
        return FileReport(path, "unknown", (msg,), ())
    if _looks_json(data):
        from feedpub.validator.jsonfeed import validate_json

        errors, warnings = validate_json(data, base)
        return _report(path, "jsonfeed", errors, warnings)
    parsed = parse(data)
    errors = list(parsed.errors)
    warnings = list(parsed.warnings)
    root = parsed.root
    if root is None:
        return _report(path, _guess_format(parsed.text), errors, warnings)
    if base is None:
        link = _self_link(root)
        base = link.get("href") if link is not None else _file_uri(path)
        check_base = None
    else:
        check_base = base
    ctx = Ctx(positions=parsed.positions, base=base, errors=errors, warnings=warnings)
    ns, local = split(root.tag)
    if local == "rss":
        from feedpub.validator.rss import validate_rss

        if parsed.doctype and _NETSCAPE_DTD in parsed.doctype:
            # Netscape withdrew the RSS 0.91 DTD; the W3C service reports its use as an error.
            ctx.error("DeprecatedDTD", "the Netscape RSS 0.91 DTD is withdrawn; drop it", root)
            if root.get("version") != "0.91":
                ctx.error(
                    "InvalidDoctype", "the RSS 0.91 DOCTYPE is only for version 0.91 feeds", root
                )
        validate_rss(root, ctx)
        fmt = "rss2"
    elif ns == ATOM_NS and local == "feed":
        from feedpub.validator.atom import validate_atom

        validate_atom(root, ctx)
        fmt = "atom1"
    elif ns == ATOM_NS and local == "entry":
        ctx.error("UnsupportedFormat", "an Atom entry document is not a feed", root)
        fmt = "atom1"
    else:
        what = {
            _OLD_ATOM: "Atom 0.3 (obsolete; use Atom 1.0)",
            _RDF: "RSS 1.0 / RDF (not supported; use RSS 2.0 or Atom 1.0)",
        }.get(ns, f"<{local}> is not an RSS 2.0 or Atom 1.0 root element")
        ctx.error("UnsupportedFormat", f"unrecognised feed format: {what}", root)
        fmt = "unknown"
    _check_self_location(root, check_base, ctx)
    return _report(path, fmt, ctx.errors, ctx.warnings)


def _self_link(root: etree._Element) -> etree._Element | None:
    """The feed's rel="self" link: atom:link in an RSS channel, or a feed-level Atom link."""
    ns, local = split(root.tag)
    parent = root.find("channel") if local == "rss" else root
    if parent is None:
        return None
    for link in parent.iterchildren(f"{{{ATOM_NS}}}link"):
        if is_self(link.get("rel")) and link.get("href") is not None:
            return link
    return None


def _check_self_location(root: etree._Element, base: str | None, ctx: Ctx) -> None:
    """The self link names where the feed lives; it should agree with --base when given.

    Relative self links resolve against xml:base (RFC 3986 section 5.1) and then
    against the document's own location.
    """
    link = _self_link(root)
    if link is None or not base:
        return
    href = link.get("href", "").strip()
    bases = [b for b in _xml_bases(link) if b]
    resolved = href
    for xml_base in reversed(bases):
        resolved = urls.resolve(xml_base, resolved)
    resolved = urls.resolve(base, resolved)
    if resolved.rstrip("/") != base.rstrip("/"):
        ctx.warn(
            "SelfDoesntMatchLocation",
            f"the self link {resolved!r} is not where the feed is served from ({base!r})",
            link,
        )


def _xml_bases(el: etree._Element) -> list[str]:
    """xml:base values from el up to the root, innermost first."""
    found = []
    node: etree._Element | None = el
    while node is not None:
        value = node.get(f"{{{XML_NS}}}base")
        if value is not None:
            found.append(value.strip())
        node = node.getparent()
    return found


def _file_uri(path: str) -> str | None:
    """The document's own location when it is a file, used as the last-resort base."""
    if path.startswith("<"):
        return None
    try:
        return Path(path).resolve().as_uri()
    except (OSError, ValueError):
        return None


def _guess_format(text: str) -> str:
    if "<rss" in text:
        return "rss2"
    if ATOM_NS in text:
        return "atom1"
    return "unknown"


def validate_path(
    path: str | Path,
    *,
    base: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileReport:
    """Validate one feed file; reading errors raise OSError for the caller to report."""
    name = os.fspath(path)
    with open(name, "rb") as fh:
        data = fh.read(max_bytes + 1)
    return validate_bytes(data, path=name, base=base, max_bytes=max_bytes)
