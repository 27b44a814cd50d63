"""Atom 1.0 rules (RFC 4287): the structure of its RELAX NG grammar plus the
constraints the grammar cannot express (authors, alternate links, ids, dates...)."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from lxml import etree

from feedpub.validator import urls
from feedpub.validator.context import XML_NS, Ctx, children, qname, scan, split
from feedpub.validator.dates import rfc3339_verdict
from feedpub.validator.extensions import (
    ATOM,
    IANA_REL_PREFIX,
    XHTML,
    check_extension,
    is_self,
)
from feedpub.validator.htmlcheck import html_risks, xhtml_risks
from feedpub.validator.langcodes import valid_language
from feedpub.validator.memo import memoize
from feedpub.validator.mime import is_media_type
from feedpub.validator.modules import THR, check_thread_attributes
from feedpub.validator.numbers import is_non_negative

TEXT_CONSTRUCTS = frozenset({"title", "subtitle", "summary", "rights"})
FEED_ONCE = frozenset(["generator", "icon", "id", "logo", "rights", "subtitle", "title", "updated"])
FEED_MANY = frozenset(["author", "category", "contributor", "link"])
ENTRY_ONCE = frozenset(
    ["content", "id", "published", "rights", "source", "summary", "title", "updated"]
)
ENTRY_MANY = FEED_MANY
_FEED_CHILDREN = FEED_MANY | {"entry"}
_PERSON_PARTS = {f"{{{ATOM}}}{local}": local for local in ("name", "uri", "email")}
_ENTRY = f"{{{ATOM}}}entry"
_NO_ATTRIBUTES: frozenset[str] = frozenset()
SOURCE_ONCE = FEED_ONCE
REGISTERED_RELS = frozenset(
    [
        "alternate",
        "related",
        "self",
        "enclosure",
        "via",
        "first",
        "last",
        "previous",
        "next",
        "current",
        "payment",
        "license",
        "replies",
        "edit",
        "edit-media",
        "service",
        "hub",
        "search",
        "up",
        "version-history",
        "latest-version",
        "predecessor-version",
        "successor-version",
        "working-copy",
        "working-copy-of",
        "prev-archive",
        "next-archive",
        "archives",
        "icon",
        "stylesheet",
        "describedby",
        "preview",
    ]
)
# Attributes each Atom element may carry (besides xml:* and namespaced ones).
ATTRIBUTES: dict[str, frozenset[str]] = {
    "link": frozenset(["href", "rel", "type", "hreflang", "title", "length"]),
    "category": frozenset(["term", "scheme", "label"]),
    "generator": frozenset(["uri", "version"]),
    "content": frozenset(["type", "src"]),
}
for _name in TEXT_CONSTRUCTS:
    ATTRIBUTES[_name] = frozenset({"type"})
_ADDR_SPEC = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*$"
)
_EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# RFC 3987 isegment-nz-nc: iunreserved / pct-encoded / sub-delims / "@" (no ":" or "/").
_ISEGMENT_NZ_NC = re.compile(
    r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=@\u00a0-\U0010fffd]|%[0-9A-Fa-f]{2})+$"
)
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\s]*$")


def _local(el: etree._Element) -> str | None:
    """Local name when el is in the Atom namespace, else None."""
    ns, local = split(el.tag)
    return local if ns == ATOM else None


def _text(el: etree._Element) -> str:
    return el.text or ""


def validate_atom(feed: etree._Element, ctx: Ctx) -> None:
    """Check an Atom feed document rooted at atom:feed."""
    _attributes(feed, "feed", ctx)
    seen_entry = False
    for child in children(feed):
        if child.tag == _ENTRY:
            seen_entry = True
        elif seen_entry and _local(child) is not None:
            ctx.error(
                "MisplacedMetadata",
                f"<{qname(child)}> must come before the first <entry>",
                child,
            )
    found = _metadata(feed, "feed", FEED_ONCE, _FEED_CHILDREN, ctx)
    for name in ("id", "title", "updated"):
        if name not in found:
            ctx.error("MissingElement", f"<feed> must contain <{name}>", feed)
    if not any(is_self(link.get("rel")) for link in found.get("link", [])):
        ctx.warn("MissingSelf", "the feed should have <link rel='self'> with its own URL", feed)
    feed_has_author = "author" in found
    entries = found.get("entry", [])
    ids = [_entry(entry, feed_has_author, ctx) for entry in entries]
    _check_ids(entries, ids, ctx)


def _common_attributes(el: etree._Element, ctx: Ctx) -> None:
    """xml:base must be an IRI reference; xml:lang a language tag (or empty)."""
    base = el.get(f"{{{XML_NS}}}base")
    if base is not None:
        problem = urls.reference_problem(base)
        if problem:
            ctx.error(problem[0], f"xml:base: {problem[1]}", el)
    lang = el.get(f"{{{XML_NS}}}lang")
    if lang is not None and lang and not valid_language(lang):
        ctx.error("InvalidLanguage", f"xml:lang {lang!r} is not a language tag", el)


def _attributes(el: etree._Element, name: str, ctx: Ctx) -> None:
    """Unqualified attributes not defined by RFC 4287 are errors; namespaced ones are not."""
    keys = el.keys()
    if keys:
        allowed = ATTRIBUTES.get(name, _NO_ATTRIBUTES)
        if not allowed.issuperset(keys):  # an unknown or a namespaced attribute
            _attribute_names(el, keys, allowed, ctx)


def _attribute_names(
    el: etree._Element, keys: list[str], allowed: frozenset[str], ctx: Ctx
) -> None:
    qualified = False
    for attr in keys:
        if attr[0] == "{":
            qualified = True
        elif attr not in allowed:
            ctx.error("UnexpectedAttribute", f"<{qname(el)}> has no attribute {attr!r}", el)
    if qualified:  # xml:base and xml:lang are the only ones checked
        _common_attributes(el, ctx)


def _metadata(
    parent: etree._Element,
    level: str,
    once: frozenset[str],
    many: frozenset[str],
    ctx: Ctx,
) -> dict[str, list[etree._Element]]:
    """Check the children of feed, entry or source; return Atom children by name."""
    found: dict[str, list[etree._Element]] = {}
    alternates: list[tuple[etree._Element, tuple[str, str]]] = []
    allowed = _allowed_children(once, many)
    kids, tags, stray = scan(parent)
    if stray:
        ctx.error("UnexpectedText", f"<{qname(parent)}> holds elements, not text", parent)
    for child, tag in zip(kids, tags, strict=True):
        known = allowed.get(tag)
        if known is None:
            ns, local = split(tag)
            if ns != ATOM:
                if not ns:
                    ctx.warn(
                        "UndeterminableVocabulary",
                        f"<{local}> has no namespace, so its vocabulary is unknown",
                        child,
                    )
                else:
                    check_extension(child, level, ctx)
            else:
                ctx.error(
                    "UndefinedElement",
                    f"<{qname(child)}> is not allowed in <{qname(parent)}>",
                    child,
                )
            continue
        local, checker, single = known
        same = found.get(local)
        if same is None:
            found[local] = [child]
        else:
            same.append(child)
            if len(same) == 2 and single:
                ctx.error(
                    "DuplicateElement", f"<{qname(parent)}> may contain only one <{local}>", child
                )
        if checker is not None:
            key = checker(child, ctx)  # only _link returns something: an alternate's key
            if key is not None:
                alternates.append((child, key))
    if alternates:
        _duplicate_alternates(alternates, parent, ctx)
    return found


_Allowed = dict[str, tuple[str, "Callable[[etree._Element, Ctx], None] | None", bool]]
_ALLOWED: dict[tuple[frozenset[str], frozenset[str]], _Allowed] = {}


def _allowed_children(once: frozenset[str], many: frozenset[str]) -> _Allowed:
    """Atom child tags a container accepts: {tag: (local name, checker, at most once?)}."""
    table = _ALLOWED.get((once, many))
    if table is None:
        table = _ALLOWED[(once, many)] = {
            f"{{{ATOM}}}{local}": (local, _CHECKS.get(local), local in once)
            for local in once | many
        }
    return table


def _entry(
    entry: etree._Element, feed_has_author: bool, ctx: Ctx
) -> tuple[str | None, str]:
    """Check one entry; return its id and updated texts (stripped) for _check_ids."""
    _attributes(entry, "entry", ctx)
    found = _metadata(entry, "entry", ENTRY_ONCE, ENTRY_MANY, ctx)
    for name in ("id", "title", "updated"):
        if name not in found:
            ctx.error("MissingElement", f"<entry> must contain <{name}>", entry)
    if not feed_has_author and "author" not in found:
        source_authors = [
            a for s in found.get("source", []) for a in children(s) if _local(a) == "author"
        ]
        if not source_authors:
            ctx.error(
                "MissingElement",
                "<entry> must contain <author> when the feed has none",
                entry,
            )
    contents = found.get("content", [])
    if not contents and not any(_is_alternate(link) for link in found.get("link", [])):
        ctx.error(
            "MissingContentOrAlternate",
            "<entry> without <content> must have a <link rel='alternate'>",
            entry,
        )
    if not contents and "summary" not in found:
        ctx.warn(
            "MissingTextualContent",
            "<entry> has neither <content> nor <summary>; readers will show only the title",
            entry,
        )
    if contents and "summary" not in found and _needs_summary(contents[0]):
        ctx.error(
            "MissingSummary",
            "<entry> must have a <summary> when its content is remote or binary",
            entry,
        )
    ids = found.get("id")
    updated = found.get("updated")
    return (
        _text(ids[0]).strip() if ids else None,
        _text(updated[0]).strip() if updated else "",
    )


def _needs_summary(content: etree._Element) -> bool:
    if content.get("src") is not None:
        return True
    mime = (content.get("type") or "text").strip().lower()
    if mime in ("text", "html", "xhtml") or not is_media_type(mime):
        return False
    return not (_is_xml_mime(mime) or mime.startswith("text/"))


def _is_xml_mime(mime: str) -> bool:
    base = mime.split(";")[0].strip().lower()
    return base.endswith("+xml") or base.endswith("/xml")


def _check_ids(
    entries: list[etree._Element], texts: list[tuple[str | None, str]], ctx: Ctx
) -> None:
    """Same id means same entry (RFC 4287 4.1.1); their updated SHOULD then differ.

    ``texts`` holds each entry's first <id> and <updated>, as _entry found them.
    """
    ids: list[tuple[etree._Element, str, str]] = []
    for entry, (eid, upd) in zip(entries, texts, strict=True):
        if eid:
            ids.append((entry, eid, upd))
    if len(ids) > 2 and len(ids) == len(entries) and len({i for _, i, _ in ids}) == 1:
        ctx.error(
            "DuplicateIds", "every entry has the same <id>; ids must identify entries", entries[0]
        )
        return
    updated: dict[str, str] = {}
    for entry, eid, upd in ids:
        if upd and updated.setdefault(upd, eid) != eid:
            ctx.warn(
                "DuplicateUpdated",
                f"two entries have the same <updated> {upd!r}; readers may miss one",
                entry,
            )
    seen: dict[tuple[str, str], etree._Element] = {}
    for entry, eid, upd in ids:
        if (eid, upd) in seen:
            ctx.warn(
                "DuplicateEntries",
                f"two entries share id {eid!r} and the same <updated>",
                entry,
            )
        seen[(eid, upd)] = entry


_ALTERNATE = frozenset(["alternate", IANA_REL_PREFIX + "alternate"])


def _is_alternate(link: etree._Element) -> bool:
    """rel absent or "alternate", also as its IANA registry IRI (RFC 4287 4.2.7.2)."""
    rel = link.get("rel", "alternate").strip()
    return rel in ("alternate", IANA_REL_PREFIX + "alternate")


def _duplicate_alternates(
    alternates: list[tuple[etree._Element, tuple[str, str]]], parent: etree._Element, ctx: Ctx
) -> None:
    """At most one alternate link per (type, hreflang) pair (RFC 4287 4.1.1).

    ``alternates`` holds the alternate links, in order, with the key _link made.
    """
    seen: set[tuple[str, str]] = set()
    for link, key in alternates:
        if key in seen:
            ctx.error(
                "DuplicateAtomLink",
                f"<{qname(parent)}> has two alternate links with type={key[0] or None!r} "
                f"and hreflang={key[1] or None!r}",
                link,
            )
        seen.add(key)


def _no_children(el: etree._Element, ctx: Ctx) -> bool:
    if not len(el):  # no child nodes at all
        return True
    kids = children(el)
    for kid in kids:
        ctx.error("UndefinedElement", f"<{qname(kid)}> is not allowed in <{qname(el)}>", kid)
    return not kids


def _text_construct(el: etree._Element, ctx: Ctx) -> None:
    """text / html / xhtml content (RFC 4287 3.1)."""
    keys = el.keys()
    if keys:
        _attributes(el, split(el.tag)[1], ctx)
    kind = el.get("type", "text") if keys else "text"
    if not kind or kind.isspace():  # kind.strip() == ""
        ctx.warn("AttrNotBlank", f"<{qname(el)} type> should not be blank", el)
        kind = "text"
    if kind not in ("text", "html", "xhtml"):
        ctx.error("InvalidTextType", f"<{qname(el)} type={kind!r}> must be text, html or xhtml", el)
        return
    if kind == "xhtml":
        _xhtml_div(el, ctx)
        return
    if len(el) and not _no_children(el, ctx):
        return
    value = el.text or ""
    if not value or value.isspace():
        ctx.warn("NotBlank", f"<{qname(el)}> should not be blank", el)
    if kind == "html":
        for risk in html_risks(value):
            ctx.warn("SecurityRisk", f"<{qname(el)}> contains a {risk}", el)


def _xhtml_div(el: etree._Element, ctx: Ctx) -> None:
    """xhtml content is exactly one xhtml:div, with only whitespace around it."""
    kids = children(el)
    stray = (el.text or "").strip() or any((k.tail or "").strip() for k in kids)
    if len(kids) != 1 or kids[0].tag != f"{{{XHTML}}}div" or stray:
        ctx.error(
            "MissingXhtmlDiv",
            f"<{qname(el)} type='xhtml'> must contain a single XHTML <div>",
            el,
        )
        return
    for node in kids[0].iter(etree.Element):
        if not split(node.tag)[0]:
            ctx.error(
                "MissingNamespace",
                f"<{node.tag}> inside XHTML content must be in the XHTML namespace",
                node,
            )
    for risk in xhtml_risks(kids[0]):
        ctx.warn("SecurityRisk", f"<{qname(el)}> contains a {risk}", el)


def _content(el: etree._Element, ctx: Ctx) -> None:
    """atom:content (RFC 4287 4.1.3)."""
    _attributes(el, "content", ctx)
    raw_type = el.get("type")
    # The type attribute is taken verbatim: " text/html" is not a media type.
    kind = raw_type if raw_type and raw_type.strip() else "text"
    src = el.get("src")
    if src is not None:
        problem = urls.reference_problem(src)
        if problem:
            ctx.error(problem[0], f"<{qname(el)} src>: {problem[1]}", el)
        if kind in ("text", "html", "xhtml") and el.get("type") is not None:
            ctx.error(
                "InvalidMIMEType",
                f"<{qname(el)} src> needs a MIME type, not {kind!r}",
                el,
            )
        if children(el) or (el.text or "").strip():
            ctx.error("UnexpectedText", f"<{qname(el)} src> must be empty", el)
        return
    if kind in ("text", "html"):
        text = _text(el)
        if _no_children(el, ctx) and kind == "html":
            for risk in html_risks(text):
                ctx.warn("SecurityRisk", f"<{qname(el)}> contains a {risk}", el)
        if (not text or text.isspace()) and not children(el):
            ctx.warn("NotBlank", f"<{qname(el)}> should not be blank", el)
        return
    if kind == "xhtml":
        _xhtml_div(el, ctx)
        return
    if not is_media_type(kind) or kind.lower().startswith(("multipart/", "message/")):
        ctx.error("InvalidMIMEType", f"<{qname(el)} type={kind!r}> is not a valid MIME type", el)
        return
    kids = children(el)
    if _is_xml_mime(kind):
        stray = (el.text or "").strip() or any((k.tail or "").strip() for k in kids)
        if len(kids) > 1 or (kids and stray):
            ctx.error("UnexpectedText", f"<{qname(el)}> must hold a single XML element", el)
    elif kind.lower().startswith("text/"):
        _no_children(el, ctx)
    else:
        if kids:
            _no_children(el, ctx)
        elif not _is_base64(_text(el)):
            ctx.error("NotBase64", f"<{qname(el)} type={kind!r}> must be Base64-encoded", el)


def _is_base64(value: str) -> bool:
    if not _BASE64.match(value):
        return False
    compact = "".join(value.split())
    try:
        base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _person(el: etree._Element, ctx: Ctx) -> None:
    """author / contributor: one name, at most one uri and one email."""
    _attributes(el, "person", ctx)
    kids, tags, stray = scan(el)
    if stray:
        ctx.error("UnexpectedText", f"<{qname(el)}> holds name, uri and email elements", el)
    found: dict[str, list[etree._Element]] = {}
    for child, tag in zip(kids, tags, strict=True):
        local = _PERSON_PARTS.get(tag)
        if local is None:
            ns, local = split(tag)
            if ns != ATOM:
                continue
        if local not in ("name", "uri", "email"):
            ctx.error(
                "UndefinedElement", f"<{qname(child)}> is not allowed in <{qname(el)}>", child
            )
            continue
        same = found.get(local)
        if same is None:
            found[local] = [child]
        else:
            same.append(child)
            if len(same) == 2:
                ctx.error(
                    "DuplicateElement", f"<{qname(el)}> may contain only one <{local}>", child
                )
        if child.keys():
            _attributes(child, local, ctx)
        if len(child):
            _no_children(child, ctx)
    if "name" not in found:
        ctx.error("MissingElement", f"<{qname(el)}> must contain <name>", el)
    for uri in found.get("uri", [])[:1]:
        _iri_text(uri, ctx, absolute=False)
    for email in found.get("email", [])[:1]:
        if not _ADDR_SPEC.match(_text(email)):
            ctx.error(
                "InvalidAddrSpec",
                f"<{qname(email)}> {_text(email)!r} is not an e-mail address",
                email,
            )
    for name in found.get("name", [])[:1]:
        if "@" in _text(name) and _EMAIL_IN_TEXT.search(_text(name)):
            ctx.warn("ContainsEmail", "put the e-mail address in <email>, not <name>", name)


def _iri_text(el: etree._Element, ctx: Ctx, *, absolute: bool) -> None:
    """Elements whose content is an IRI: no surrounding whitespace allowed."""
    raw = el.text or ""
    if urls.is_clean(raw):
        return  # no surrounding space, and a shape every URI check accepts
    if raw[:1].isspace() or raw[-1:].isspace():  # raw != raw.strip()
        ctx.error(
            "UnexpectedWhitespace", f"<{qname(el)}> must not have whitespace around the IRI", el
        )
        raw = raw.strip()
    problem = urls.full_uri_problem(raw) if absolute else urls.reference_problem(raw)
    if problem:
        ctx.error(problem[0], f"<{qname(el)}>: {problem[1]}", el)


def _id(el: etree._Element, ctx: Ctx) -> None:
    if el.keys():
        _attributes(el, "id", ctx)
    if len(el) and not _no_children(el, ctx):
        return
    if urls.is_uuid_urn(el.text or ""):
        return  # a valid IRI, no surrounding space, nothing for scheme_warning to say
    before = len(ctx.errors)
    _iri_text(el, ctx, absolute=True)
    if len(ctx.errors) == before:
        warning = urls.scheme_warning(_text(el).strip())
        if warning:
            ctx.warn(warning[0], f"<{qname(el)}>: {warning[1]}", el)


def _uri_element(el: etree._Element, ctx: Ctx) -> None:
    _attributes(el, "uri", ctx)
    if _no_children(el, ctx):
        _iri_text(el, ctx, absolute=False)


def _date(el: etree._Element, ctx: Ctx) -> None:
    if el.keys():
        _attributes(el, "date", ctx)
    if len(el) and not _no_children(el, ctx):
        return
    code, detail, warning = rfc3339_verdict(el.text or "")
    if code:
        ctx.error(code, f"<{qname(el)}>: {detail}", el)
    elif warning:
        ctx.warn(warning, f"<{qname(el)}> {_text(el)!r} is an unlikely date", el)


@memoize(512, 512)
def _rel_verdict(rel: str) -> tuple[str, str, str] | None:
    """(level, code, end of the message after "<link rel") for a rel value, or None."""
    if not rel.strip():
        return "warning", "AttrNotBlank", "> should not be blank"
    if urls.is_absolute(rel):
        problem = urls.char_problem(rel)
        if problem:
            return "error", problem[0], f">: {problem[1]}"
        return None
    if not _ISEGMENT_NZ_NC.match(rel):
        # RFC 4287 4.2.7.2: rel MUST match isegment-nz-nc or IRI (RFC 3987).
        return "error", "InvalidAtomLinkRel", (
            f"={rel!r}> is neither a simple name nor an absolute IRI"
        )
    if rel not in REGISTERED_RELS:
        return "warning", "UnregisteredAtomLinkRel", f"={rel!r}> is not registered"
    return None


_LINK_ATTRIBUTES = ATTRIBUTES["link"]
_CATEGORY_ATTRIBUTES = ATTRIBUTES["category"]
_THR_COUNT = f"{{{THR}}}count"
_THR_UPDATED = f"{{{THR}}}updated"
_SELF_RELS = frozenset(["self", IANA_REL_PREFIX + "self"])


def _link(el: etree._Element, ctx: Ctx) -> tuple[str, str] | None:
    """atom:link (RFC 4287 4.2.7); returns the (type, hreflang) key of an alternate link.

    The attributes are read in one lxml call (each read costs more than its check).
    """
    attrs = dict(el.items())
    if not _LINK_ATTRIBUTES.issuperset(attrs):  # an unknown or a namespaced attribute
        _attribute_names(el, list(attrs), _LINK_ATTRIBUTES, ctx)
    get = attrs.get
    href = get("href")
    if href is None:
        ctx.error("MissingHref", f"<{qname(el)}> needs an href attribute", el)
    elif not urls.is_clean(href):
        problem = urls.reference_problem(href)
        if problem:
            ctx.error(problem[0], f"<{qname(el)} href>: {problem[1]}", el)
    rel = get("rel")
    if rel is not None and rel not in REGISTERED_RELS:  # a registered name is fine
        verdict = _rel_verdict(rel)
        if verdict is not None:
            level, code, rest = verdict
            report = ctx.warn if level == "warning" else ctx.error
            report(code, f"<{qname(el)} rel{rest}", el)
    mime = get("type")
    if mime is not None and not is_media_type(mime):
        ctx.error("InvalidMIMEType", f"<{qname(el)} type={mime!r}> is not a MIME type", el)
    lang = get("hreflang")
    if lang is not None and not valid_language(lang):
        ctx.error("InvalidLanguage", f"<{qname(el)} hreflang={lang!r}> is not a language tag", el)
    length = get("length")
    if length is not None and not is_non_negative(length):
        ctx.error(
            "InvalidNonNegativeInteger",
            f"<{qname(el)} length={length!r}> must be a whole number of bytes",
            el,
        )
    if (
        href is not None
        and rel is not None
        and (rel == "self" or (rel not in REGISTERED_RELS and rel.strip() in _SELF_RELS))
        and not urls.is_absolute(href.strip())
    ):  # is_self(rel): a registered name other than "self" has no space to strip
        ctx.warn("RelativeSelf", f"<{qname(el)} rel='self'> should be an absolute URL", el)
    if _THR_COUNT in attrs or _THR_UPDATED in attrs:
        check_thread_attributes(el, ctx)
    title = get("title")
    if title is not None and (not title or title.isspace()):  # not title.strip()
        ctx.warn("AttrNotBlank", f"<{qname(el)} title> should not be blank", el)
    text = el.text
    if (text and not text.isspace()) or (
        len(el) and any(_local(c) is not None for c in children(el))
    ):
        ctx.warn("AtomLinkNotEmpty", f"<{qname(el)}> should be empty", el)
    # _is_alternate: rel absent or "alternate" (a registered name has no space to strip)
    if (
        rel is None
        or rel in _ALTERNATE
        or (rel not in REGISTERED_RELS and rel.strip() in _ALTERNATE)
    ):
        return (mime or "").lower(), (lang or "").lower()
    return None


def _category(el: etree._Element, ctx: Ctx) -> None:
    keys = el.keys()
    if not _CATEGORY_ATTRIBUTES.issuperset(keys):  # an unknown or a namespaced attribute
        _attribute_names(el, keys, _CATEGORY_ATTRIBUTES, ctx)
    if "term" not in keys:
        ctx.error("MissingAttribute", f"<{qname(el)}> needs a term attribute", el)
    scheme = el.get("scheme") if "scheme" in keys else None
    if scheme is not None:
        problem = urls.full_uri_problem(scheme)
        if problem:
            ctx.error(problem[0], f"<{qname(el)} scheme>: {problem[1]}", el)


def _generator(el: etree._Element, ctx: Ctx) -> None:
    _attributes(el, "generator", ctx)
    _no_children(el, ctx)
    uri = el.get("uri")
    if uri is not None:
        problem = urls.reference_problem(uri)
        if problem:
            ctx.error(problem[0], f"<{qname(el)} uri>: {problem[1]}", el)


def _source(el: etree._Element, ctx: Ctx) -> None:
    """atom:source: feed metadata, all optional, no entries."""
    _attributes(el, "source", ctx)
    found = _metadata(el, "source", SOURCE_ONCE, FEED_MANY, ctx)
    for name in ("id", "title", "updated"):
        if name not in found:
            ctx.warn("MissingSourceElement", f"<{qname(el)}> should contain <{name}>", el)


_CHECKS: dict[str, Callable[[etree._Element, Ctx], None]] = {
    "title": _text_construct,
    "subtitle": _text_construct,
    "summary": _text_construct,
    "rights": _text_construct,
    "content": _content,
    "author": _person,
    "contributor": _person,
    "id": _id,
    "icon": _uri_element,
    "logo": _uri_element,
    "updated": _date,
    "published": _date,
    "link": _link,
    "category": _category,
    "generator": _generator,
    "source": _source,
}
