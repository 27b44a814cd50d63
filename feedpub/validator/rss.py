"""RSS 2.0 rules, from the RSS Advisory Board specification (2.0.11) and RSS profile."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from feedpub.validator import urls
from feedpub.validator.context import XML_NS, Ctx, children, qname, scan, split
from feedpub.validator.dates import rfc822_verdict
from feedpub.validator.extensions import (
    ATOM,
    RDF,
    check_atom_in_rss,
    check_extension,
    check_singletons,
    extension_check,
    is_self,
)
from feedpub.validator.htmlcheck import html_risks
from feedpub.validator.langcodes import valid_language
from feedpub.validator.mime import is_media_type
from feedpub.validator.numbers import parse_int

CHANNEL_ELEMENTS = frozenset(
    [
        "title",
        "link",
        "description",
        "language",
        "copyright",
        "managingEditor",
        "webMaster",
        "pubDate",
        "lastBuildDate",
        "category",
        "generator",
        "docs",
        "cloud",
        "ttl",
        "image",
        "rating",
        "textInput",
        "skipHours",
        "skipDays",
        "item",
    ]
)
CHANNEL_REPEATABLE = frozenset({"category", "item"})
ITEM_ELEMENTS = frozenset(
    [
        "title",
        "link",
        "description",
        "author",
        "category",
        "comments",
        "enclosure",
        "guid",
        "pubDate",
        "source",
    ]
)
ITEM_REPEATABLE = frozenset({"category"})
IMAGE_ELEMENTS = frozenset(["url", "title", "link", "width", "height", "description"])
TEXTINPUT_ELEMENTS = frozenset(["title", "description", "name", "link"])
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
# addr-spec (RFC 2822 section 3.4.1) with a fully qualified domain (RFC 2821
# section 2.3.5: a domain in an address is a FQDN) or an IPv4 literal.
_DOMAIN = r"(?:(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*|\[\d{1,3}(?:\.\d{1,3}){3}\])"
_EMAIL = rf"{_ATEXT}(?:\.{_ATEXT})*@{_DOMAIN}"
_EMAIL_ONLY = re.compile(rf"^{_EMAIL}$")
_EMAIL_NAME = re.compile(rf"^{_EMAIL}\s*\(.*\)$", re.DOTALL)
_NAME_EMAIL = re.compile(rf"^[^<>@()]*<{_EMAIL}>$")
# Core elements holding other elements; all the others hold text (or nothing).
CONTAINERS = frozenset(["channel", "item", "image", "textInput", "skipHours", "skipDays"])
# Attributes RSS 2.0 defines; every other core element has none.
ATTRIBUTES = {
    "rss": frozenset({"version"}),
    "category": frozenset({"domain"}),
    "cloud": frozenset({"domain", "port", "path", "registerProcedure", "protocol"}),
    "enclosure": frozenset({"url", "length", "type"}),
    "guid": frozenset({"isPermaLink"}),
    "source": frozenset({"url"}),
}
_NO_ATTRIBUTES: frozenset[str] = frozenset()
_XML_LANG = f"{{{XML_NS}}}lang"
_XML_BASE = f"{{{XML_NS}}}base"
_MISSING_CODES = {
    "title": "MissingTitle",
    "link": "MissingLink",
    "description": "MissingDescription",
}


def validate_rss(root: etree._Element, ctx: Ctx) -> None:
    """Check an <rss> document."""
    ns, _ = split(root.tag)
    if ns:
        ctx.error("InvalidNamespace", "<rss> must not be in a namespace", root)
    _attributes(root, ATTRIBUTES["rss"], ctx)
    version = root.get("version")
    if version is None:
        ctx.error("MissingAttribute", "<rss> needs a version attribute (2.0)", root)
    elif version.strip() not in ("2.0", "0.91", "0.92", "0.93", "0.94"):
        ctx.error("InvalidValue", f"<rss version={version!r}> is not a known RSS version", root)
    channels = []
    for child in children(root):
        cns, local = split(child.tag)
        if not cns and local == "channel":
            _attributes(child, frozenset(), ctx)
            channels.append(child)
        elif not cns:
            ctx.error("UndefinedElement", f"<{qname(child)}> is not allowed in <rss>", child)
    if not channels:
        ctx.error("MissingElement", "<rss> must contain a <channel>", root)
        return
    for extra in channels[1:]:
        ctx.error("DuplicateElement", "<rss> may contain only one <channel>", extra)
    _channel(channels[0], ctx)


def _once(
    parent: etree._Element, allowed: frozenset[str], repeatable: frozenset[str], ctx: Ctx
) -> dict[str, list[etree._Element]]:
    """Group core (un-namespaced) children by name, reporting unknown and repeated ones."""
    return _group(parent, allowed, repeatable, ctx)[0]


def _group(
    parent: etree._Element, allowed: frozenset[str], repeatable: frozenset[str], ctx: Ctx
) -> tuple[dict[str, list[etree._Element]], list[tuple[etree._Element, str]]]:
    """``_once``, also returning the namespaced children with their namespace, in order."""
    found: dict[str, list[etree._Element]] = {}
    foreign: list[tuple[etree._Element, str]] = []
    kids, tags, stray = scan(parent)
    if stray:
        ctx.error("UnexpectedText", f"<{qname(parent)}> holds elements, not text", parent)
    for child, tag in zip(kids, tags, strict=True):
        if tag[0] == "{":  # namespaced ("{}x" does not occur: no namespace is no braces)
            foreign.append((child, split(tag)[0]))
            continue
        local = tag
        if len(child) and local not in CONTAINERS:
            # Text-valued elements: markup inside must be escaped, not nested elements.
            for kid in children(child):
                if not split(kid.tag)[0]:
                    ctx.error(
                        "UndefinedElement",
                        f"<{qname(kid)}> is not allowed in <{local}>; escape HTML markup",
                        kid,
                    )
        if local not in allowed:
            ctx.error(
                "UndefinedElement",
                f"<{local}> is not an RSS 2.0 element of <{qname(parent)}>",
                child,
            )
            continue
        keys = child.keys()
        if keys:
            defined = ATTRIBUTES.get(local, _NO_ATTRIBUTES)
            if not defined.issuperset(keys):  # an unknown or a namespaced attribute
                _attribute_names(child, keys, defined, ctx)
        same = found.get(local)
        if same is None:
            found[local] = [child]
        else:
            same.append(child)
            if len(same) == 2 and local not in repeatable:
                ctx.error(
                    "DuplicateElement", f"<{qname(parent)}> may contain only one <{local}>", child
                )
    return found, foreign


def _text(el: etree._Element) -> str:
    return (el.text or "").strip()


def _require(
    found: dict[str, list[etree._Element]], names: tuple[str, ...], parent: etree._Element, ctx: Ctx
) -> None:
    for name in names:
        if name not in found:
            code = _MISSING_CODES.get(name, "MissingElement")
            ctx.error(code, f"<{qname(parent)}> must contain <{name}>", parent)


def _url(el: etree._Element, ctx: Ctx) -> None:
    text = el.text or ""
    if urls.is_clean(text):
        return  # nothing to strip, and a shape every URI check accepts
    problem = urls.full_uri_problem(text.strip(), iri=False)
    if problem:
        ctx.error(problem[0], f"<{qname(el)}>: {problem[1]}", el)


def _date(el: etree._Element, ctx: Ctx) -> None:
    code, detail, warning = rfc822_verdict(el.text or "")
    if code:
        ctx.error(code, f"<{qname(el)}>: {detail}", el)
    elif warning:
        ctx.warn(warning, f"<{qname(el)}>: {_text(el)!r} is unusual", el)


def _contact(el: etree._Element, ctx: Ctx) -> None:
    value = _text(el)
    if value.startswith("mailto:"):
        if urls.char_problem(value):
            ctx.error("InvalidContact", f"<{qname(el)}>: {value!r} is not a mailto: URL", el)
        return
    if _EMAIL_NAME.match(value) or _NAME_EMAIL.match(value):
        return
    if _EMAIL_ONLY.match(value):
        ctx.warn("MissingRealName", f"<{qname(el)}> should add the name: 'email (Name)'", el)
        return
    ctx.error(
        "InvalidContact",
        f"<{qname(el)}> must be an e-mail address, optionally followed by (Real Name)",
        el,
    )


def _html_text(el: etree._Element, ctx: Ctx) -> None:
    for risk in html_risks(el.text or ""):
        ctx.warn("SecurityRisk", f"<{qname(el)}> contains a {risk}", el)


def _bounded(el: etree._Element, ctx: Ctx, code: str, limit: int | None = None) -> None:
    """A positive integer (xsd:positiveInteger), at most limit when one is given."""
    value = _text(el)
    number = parse_int(value)
    if number is None or number < 1 or (limit is not None and number > limit):
        bound = f" between 1 and {limit}" if limit else ""
        ctx.error(code, f"<{qname(el)}> must be a positive whole number{bound}, not {value!r}", el)


def _attributes(el: etree._Element, allowed: frozenset[str], ctx: Ctx) -> None:
    """Unqualified attributes RSS 2.0 does not define for the element are errors.

    Namespaced attributes are extensions (allowed, with a warning on <rss> where the
    W3C service notes them); xml:lang / xml:base are XML's own.
    """
    keys = el.keys()
    if keys:
        _attribute_names(el, keys, allowed, ctx)


def _attribute_names(
    el: etree._Element, keys: list[str], allowed: frozenset[str], ctx: Ctx
) -> None:
    """``_attributes`` given the element's attribute names (it has at least one)."""
    if any(attr[0] == "{" for attr in keys):
        lang = el.get(_XML_LANG)
        if lang and not valid_language(lang):
            ctx.error("InvalidLanguage", f"xml:lang {lang!r} is not a language tag", el)
        xml_base = el.get(_XML_BASE)
        if xml_base is not None:
            problem = urls.reference_problem(xml_base)
            if problem:
                ctx.error(problem[0], f"xml:base: {problem[1]}", el)
    for attr in keys:
        if attr[0] != "{" and attr not in allowed:
            ctx.error(
                "UnexpectedAttribute",
                f"<{qname(el)}> has no attribute {attr!r} in RSS 2.0",
                el,
            )


def _channel(channel: etree._Element, ctx: Ctx) -> None:
    found, foreign = _group(channel, CHANNEL_ELEMENTS, CHANNEL_REPEATABLE, ctx)
    _require(found, ("title", "link", "description"), channel, ctx)
    check_singletons(channel, ctx)
    checks: dict[str, Callable[[etree._Element, Ctx], None]] = {
        "link": _url,
        "docs": _url,
        "pubDate": _date,
        "lastBuildDate": _date,
        "managingEditor": _contact,
        "webMaster": _contact,
        "language": _language,
        "ttl": lambda el, c: _bounded(el, c, "InvalidPositiveInteger"),
        "cloud": _cloud,
        "image": lambda el, c: _image(el, channel, c),
        "textInput": _textinput,
        "skipHours": _skip_hours,
        "skipDays": _skip_days,
        "title": _blank_check,
        "category": _blank_check,
    }
    for name, elements in found.items():
        check = checks.get(name)
        if check:
            for el in elements:
                check(el, ctx)
    has_self = False
    for child, ns in foreign:
        local = split(child.tag)[1]
        if ns == ATOM:
            check_atom_in_rss(child, "channel", ctx)
            if local == "link" and is_self(child.get("rel")):
                has_self = True
        elif ns == RDF:
            _rdf_in_rss(child, ctx)
        elif ns:
            check_extension(child, "channel", ctx)
    if not has_self:
        ctx.warn(
            "MissingAtomSelfLink",
            "the channel should have <atom:link rel='self'> giving the feed's own URL",
            channel,
        )
    guids: dict[str, etree._Element] = {}
    for item in found.get("item", []):
        _item(item, ctx, guids)


def _blank_check(el: etree._Element, ctx: Ctx) -> None:
    text = el.text
    if not text or text.isspace():  # not _text(el)
        ctx.warn("NotBlank", f"<{qname(el)}> should not be blank", el)


def _language(el: etree._Element, ctx: Ctx) -> None:
    if not valid_language(_text(el)):
        ctx.error("InvalidLanguage", f"<{qname(el)}> {_text(el)!r} is not a language code", el)


def _cloud(el: etree._Element, ctx: Ctx) -> None:
    for attr in ("domain", "port", "path", "registerProcedure", "protocol"):
        if el.get(attr) is None:
            ctx.error("MissingAttribute", f"<cloud> needs a {attr} attribute", el)
    port = el.get("port")
    number = parse_int(port)
    if port is not None and (number is None or not 0 < number < 65536):
        ctx.error("InvalidIntegerAttribute", f"<cloud port={port!r}> must be a port number", el)
    protocol = el.get("protocol")
    if protocol is not None and protocol not in ("xml-rpc", "soap", "http-post"):
        ctx.error("InvalidCloudProtocol", "<cloud protocol> must be xml-rpc, soap or http-post", el)


def _image(el: etree._Element, channel: etree._Element, ctx: Ctx) -> None:
    found = _once(el, IMAGE_ELEMENTS, frozenset(), ctx)
    _require(found, ("url", "title", "link"), el, ctx)
    for name in ("url", "link"):
        for sub in found.get(name, []):
            _url(sub, ctx)
    for sub in found.get("width", []):
        _bounded(sub, ctx, "InvalidWidth", 144)
    for sub in found.get("height", []):
        _bounded(sub, ctx, "InvalidHeight", 400)
    channel_title = channel.find("title")
    if (
        found.get("title")
        and channel_title is not None
        and (_text(found["title"][0]) != _text(channel_title))
    ):
        ctx.warn("ImageTitleDoesntMatch", "the image title should match the channel title", el)
    channel_link = channel.find("link")
    if (
        found.get("link")
        and channel_link is not None
        and (_text(found["link"][0]) != _text(channel_link))
    ):
        ctx.warn("ImageLinkDoesntMatch", "the image link should match the channel link", el)


def _textinput(el: etree._Element, ctx: Ctx) -> None:
    ctx.warn("AvoidTextInput", "<textInput> is rarely supported by readers", el)
    found = _once(el, TEXTINPUT_ELEMENTS, frozenset(), ctx)
    _require(found, ("title", "description", "name", "link"), el, ctx)
    for sub in found.get("link", []):
        _url(sub, ctx)


def _skip_hours(el: etree._Element, ctx: Ctx) -> None:
    seen: set[int] = set()
    hours = 0
    for child in children(el):
        ns, local = split(child.tag)
        if ns:
            continue
        _attributes(child, frozenset(), ctx)
        if local != "hour":
            ctx.error("UndefinedElement", f"<{local}> is not allowed in <skipHours>", child)
            continue
        hours += 1
        value = _text(child)
        number = parse_int(value)
        if number is None or not 0 <= number <= 23:
            ctx.error("InvalidHour", f"<hour> must be a whole number 0-23, not {value!r}", child)
        elif number in seen:
            ctx.error("DuplicateValue", f"hour {value} is listed twice", child)
        else:
            seen.add(number)
    if hours == 0:
        ctx.error("MissingElement", "<skipHours> must contain at least one <hour>", el)
    elif hours > 24:
        ctx.error("NotEnoughHoursInTheDay", "<skipHours> may list at most 24 hours", el)


def _skip_days(el: etree._Element, ctx: Ctx) -> None:
    seen: set[str] = set()
    days = 0
    for child in children(el):
        ns, local = split(child.tag)
        if ns:
            continue
        _attributes(child, frozenset(), ctx)
        if local != "day":
            ctx.error("UndefinedElement", f"<{local}> is not allowed in <skipDays>", child)
            continue
        days += 1
        value = _text(child)
        if value not in DAYS:
            ctx.error("InvalidDay", f"<day> must be an English day name, not {value!r}", child)
        elif value in seen:
            ctx.error("DuplicateValue", f"day {value} is listed twice", child)
        else:
            seen.add(value)
    if days == 0:
        ctx.error("MissingElement", "<skipDays> must contain at least one <day>", el)
    elif days > 7:
        ctx.error("EightDaysAWeek", "<skipDays> may list at most 7 days", el)


def _item(item: etree._Element, ctx: Ctx, guids: dict[str, etree._Element]) -> None:
    found, foreign = _group(item, ITEM_ELEMENTS, ITEM_REPEATABLE, ctx)
    if "title" not in found and "description" not in found:
        ctx.error(
            "ItemMustContainTitleOrDescription",
            "an <item> must contain a <title> or a <description>",
            item,
        )
    for el in found.get("link", []) + found.get("comments", []):
        _url(el, ctx)
    for el in found.get("pubDate", []):
        _date(el, ctx)
    for el in found.get("author", []):
        _contact(el, ctx)
    for el in found.get("title", []) + found.get("category", []):
        _blank_check(el, ctx)
    for el in found.get("description", []):
        _html_text(el, ctx)
    for el in found.get("enclosure", []):
        _enclosure(el, ctx)
    if len(found.get("enclosure", [])) > 1:
        ctx.warn("DuplicateEnclosure", "readers often support one <enclosure> per item", item)
    for el in found.get("source", []):
        _source(el, ctx)
    if "guid" in found:
        _guid(found["guid"][0], ctx, guids)
    else:
        ctx.warn("MissingGuid", "an <item> should have a <guid> so readers can track it", item)
    for child, ns in foreign:
        if ns == ATOM:
            check_atom_in_rss(child, "item", ctx)
        elif ns == RDF:
            _rdf_in_rss(child, ctx)
        else:
            check = extension_check(ns)
            if check is not None:
                check(child, "item", ctx)


def _rdf_in_rss(el: etree._Element, ctx: Ctx) -> None:
    """RSS 2.0 is not RDF: RDF syntax elements have no place in a channel or item."""
    ctx.error("UndefinedElement", f"<{qname(el)}> (RDF syntax) is not allowed in RSS 2.0", el)


def _enclosure(el: etree._Element, ctx: Ctx) -> None:
    attrs = dict(el.items())  # one lxml call for the three attributes
    for attr in ("url", "length", "type"):
        if attr not in attrs:
            ctx.error("MissingAttribute", f"<enclosure> needs a {attr} attribute", el)
    url = attrs.get("url")
    if url is not None and not urls.is_clean(url):
        problem = urls.full_uri_problem(url.strip(), iri=False)
        if problem:
            ctx.error("InvalidURLAttribute", f"<enclosure url>: {problem[1]}", el)
    length = attrs.get("length")
    if length is not None:
        number = parse_int(length)
        if number is not None and number < 0:
            ctx.error("UseZeroForUnknown", "<enclosure length> may not be negative; use 0", el)
        elif number is None:
            ctx.error(
                "InvalidIntegerAttribute",
                f"<enclosure length={length!r}> must be a whole number of bytes",
                el,
            )
    mime = attrs.get("type")
    if mime is not None and not is_media_type(mime.strip()):
        ctx.error("InvalidMIMEAttribute", f"<enclosure type={mime!r}> is not a MIME type", el)


def _source(el: etree._Element, ctx: Ctx) -> None:
    url = el.get("url")
    if url is None:
        ctx.error("MissingAttribute", "<source> needs a url attribute", el)
        return
    problem = urls.full_uri_problem(url.strip(), iri=False)
    if problem:
        ctx.error(problem[0], f"<source url>: {problem[1]}", el)
    else:
        warning = urls.scheme_warning(url.strip())
        if warning and warning[0] == "SchemeNotIANARegistered":
            ctx.warn(warning[0], f"<source url>: {warning[1]}", el)


def _guid(el: etree._Element, ctx: Ctx, guids: dict[str, etree._Element]) -> None:
    """A guid is a permalink (a URL a browser can open) unless isPermaLink="false"."""
    value = _text(el)
    permalink = el.get("isPermaLink", "true")
    if permalink not in ("true", "false"):
        ctx.error("InvalidBooleanAttribute", "<guid isPermaLink> must be true or false", el)
    if not value:
        ctx.error("NotBlank", "<guid> must not be empty", el)
    elif permalink == "true":
        problem = urls.full_uri_problem(value, iri=False)
        if problem:
            ctx.error(
                "InvalidHttpGUID", f"<guid> is a permalink, so must be a URL: {problem[1]}", el
            )
        elif value.lower().startswith(("tag:", "urn:")):
            ctx.error(
                "InvalidPermalink",
                f"<guid> {value!r} cannot be opened in a browser; add isPermaLink='false'",
                el,
            )
    if value in guids:
        ctx.error("DuplicateValue", f"<guid> {value!r} is used by another item", el)
    elif value:
        guids[value] = el
