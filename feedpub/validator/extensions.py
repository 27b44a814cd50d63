"""Checks for the namespaced extensions feeds commonly carry, in RSS and Atom alike.

Dublin Core, DCMI terms, Syndication, Media RSS, content:encoded, Creative
Commons, admin, blogChannel, Slash, Trackback, W3C Geo/ICBM and GeoRSS. An
unknown element in one of these namespaces is an error (``UndefinedElement``),
since these vocabularies are closed; unknown namespaces are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from feedpub.validator import urls
from feedpub.validator.context import Ctx, children, qname, split
from feedpub.validator.dates import check_w3cdtf, rfc3339_verdict
from feedpub.validator.htmlcheck import html_risks, xhtml_risks
from feedpub.validator.langcodes import valid_language
from feedpub.validator.mime import is_media_type
from feedpub.validator.modules import HANDLERS as MODULE_HANDLERS
from feedpub.validator.modules import media_rating
from feedpub.validator.numbers import is_non_negative, is_positive

DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
SY = "http://purl.org/rss/1.0/modules/syndication/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
MEDIA = "http://search.yahoo.com/mrss/"
CREATIVE_COMMONS = "http://backend.userland.com/creativeCommonsRssModule"
CC = "http://web.resource.org/cc/"
ADMIN = "http://webns.net/mvcb/"
BLOGCHANNEL = "http://backend.userland.com/blogChannelModule"
SLASH = "http://purl.org/rss/1.0/modules/slash/"
TRACKBACK = "http://madskills.com/public/xml/rss/module/trackback/"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
ICBM = "http://postneo.com/icbm"
GEORSS = "http://www.georss.org/georss"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML = "http://www.w3.org/1999/xhtml"
ATOM = "http://www.w3.org/2005/Atom"

DC_ELEMENTS = frozenset(
    [
        "contributor",
        "coverage",
        "creator",
        "date",
        "description",
        "format",
        "identifier",
        "language",
        "publisher",
        "relation",
        "rights",
        "source",
        "subject",
        "title",
        "type",
    ]
)
DCTERMS_ELEMENTS = DC_ELEMENTS | frozenset(
    [
        "abstract",
        "accessRights",
        "accrualMethod",
        "accrualPeriodicity",
        "accrualPolicy",
        "alternative",
        "audience",
        "available",
        "bibliographicCitation",
        "conformsTo",
        "created",
        "dateAccepted",
        "dateCopyrighted",
        "dateSubmitted",
        "educationLevel",
        "extent",
        "hasFormat",
        "hasPart",
        "hasVersion",
        "instructionalMethod",
        "isFormatOf",
        "isPartOf",
        "isReferencedBy",
        "isReplacedBy",
        "isRequiredBy",
        "isVersionOf",
        "issued",
        "license",
        "mediator",
        "medium",
        "modified",
        "provenance",
        "references",
        "replaces",
        "requires",
        "rightsHolder",
        "spatial",
        "tableOfContents",
        "temporal",
        "valid",
    ]
)
DCTERMS_DATES = frozenset(
    ["created", "dateAccepted", "dateCopyrighted", "dateSubmitted", "issued", "modified", "date"]
)
MEDIA_ELEMENTS = frozenset(
    [
        "group",
        "content",
        "rating",
        "title",
        "description",
        "keywords",
        "thumbnail",
        "category",
        "hash",
        "player",
        "credit",
        "copyright",
        "text",
        "restriction",
        "community",
        "comments",
        "embed",
        "responses",
        "backLinks",
        "status",
        "price",
        "license",
        "subTitle",
        "peerLink",
        "location",
        "rights",
        "scenes",
    ]
)
SLASH_ELEMENTS = frozenset(["section", "department", "comments", "hit_parade"])
# Elements that may appear at most once at feed (channel) level.
CHANNEL_SINGLETONS = {
    (DC, "date"),
    (DC, "rights"),
    (SY, "updateBase"),
    (SY, "updatePeriod"),
    (SY, "updateFrequency"),
    (ADMIN, "errorReportsTo"),
    (ADMIN, "generatorAgent"),
}
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


IANA_REL_PREFIX = "http://www.iana.org/assignments/relation/"


def is_self(rel: str | None) -> bool:
    """rel="self", also spelled as its full IANA registry IRI."""
    return rel is not None and rel.strip() in ("self", IANA_REL_PREFIX + "self")


def known_namespace(ns: str) -> bool:
    """Namespaces whose vocabulary this module validates."""
    return ns in _HANDLERS


def check_extension(el: etree._Element, level: str, ctx: Ctx) -> None:
    """Validate one extension element; level is 'channel', 'item', 'feed' or 'entry'."""
    ns, _ = split(el.tag)
    handler = _HANDLERS.get(ns)
    if handler is not None:
        handler(el, level, ctx)


def extension_check(ns: str) -> Callable[[etree._Element, str, Ctx], None] | None:
    """The check ``check_extension`` runs for elements of a namespace (None: unknown)."""
    return _HANDLERS.get(ns)


def check_singletons(parent: etree._Element, ctx: Ctx) -> None:
    """Report extension elements that may appear only once in a channel or feed."""
    seen: set[tuple[str, str]] = set()
    for child in children(parent):
        key = split(child.tag)
        if key in CHANNEL_SINGLETONS:
            if key in seen:
                ctx.error("DuplicateElement", f"<{qname(child)}> may appear only once", child)
            seen.add(key)


def _text(el: etree._Element) -> str:
    return (el.text or "").strip()


def _undefined(el: etree._Element, ctx: Ctx) -> None:
    ctx.error("UndefinedElement", f"<{qname(el)}> is not defined in its namespace", el)


def _full_url(value: str, el: etree._Element, ctx: Ctx, what: str) -> None:
    problem = urls.full_uri_problem(value)
    if problem:
        ctx.error(problem[0], f"{what}: {problem[1]}", el)


def _resource(el: etree._Element, ctx: Ctx) -> None:
    value = el.get(f"{{{RDF}}}resource")
    if value is None:
        value = _text(el)
    _full_url(value, el, ctx, f"<{qname(el)}>")


def _dc(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    # Qualified DC written as element refinements ("date.Taken") follow their element.
    if "." in local:
        local = local.split(".", 1)[0]
    if local not in DC_ELEMENTS:
        _undefined(el, ctx)
    elif local == "date":
        _w3cdtf(el, ctx)
    elif local == "language" and not valid_language(_text(el)):
        ctx.error("InvalidLanguage", f"<{qname(el)}> {_text(el)!r} is not a language code", el)


def _dcterms(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    local = local.split(".", 1)[0]
    if local not in DCTERMS_ELEMENTS:
        _undefined(el, ctx)
    elif local in DCTERMS_DATES:
        _w3cdtf(el, ctx)


def _w3cdtf(el: etree._Element, ctx: Ctx) -> None:
    verdict = check_w3cdtf(el.text or "")
    if not verdict.ok:
        ctx.error(verdict.code, f"<{qname(el)}>: {verdict.detail}", el)


def _sy(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    value = _text(el)
    if local == "updatePeriod":
        if value not in ("hourly", "daily", "weekly", "monthly", "yearly"):
            ctx.error(
                "InvalidUpdatePeriod",
                f"<{qname(el)}> must be hourly, daily, weekly, monthly or yearly",
                el,
            )
    elif local == "updateFrequency":
        if not is_positive(value):
            ctx.error("InvalidPositiveInteger", f"<{qname(el)}> must be a positive integer", el)
    elif local == "updateBase":
        _w3cdtf(el, ctx)
    else:
        _undefined(el, ctx)


def _content(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local != "encoded":
        if local not in ("items", "item", "format", "encoding"):
            _undefined(el, ctx)
        return
    for risk in html_risks(el.text or ""):
        ctx.warn("SecurityRisk", f"<{qname(el)}> contains a {risk}", el)


def _xhtml(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local == "body":
        for risk in xhtml_risks(el):
            ctx.warn("SecurityRisk", f"<{qname(el)}> contains a {risk}", el)


def _license(el: etree._Element, level: str, ctx: Ctx) -> None:
    ns, local = split(el.tag)
    if ns == CREATIVE_COMMONS and local == "license":
        _full_url(_text(el), el, ctx, f"<{qname(el)}>")
    elif ns == CC and local == "license":
        _resource(el, ctx)


def _admin(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local in ("errorReportsTo", "generatorAgent"):
        _resource(el, ctx)
    else:
        _undefined(el, ctx)


def _blogchannel(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local in ("blogRoll", "mySubscriptions", "blink", "changes"):
        _full_url(_text(el), el, ctx, f"<{qname(el)}>")
    else:
        _undefined(el, ctx)


def _slash(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    value = _text(el)
    if local not in SLASH_ELEMENTS:
        _undefined(el, ctx)
    elif local == "comments" and not is_non_negative(value):
        ctx.error("InvalidNonNegativeInteger", f"<{qname(el)}> must be an integer", el)
    elif local == "hit_parade" and not re.match(r"^\d+(,\d+)*$", value):
        ctx.error(
            "InvalidCommaSeparatedIntegers",
            f"<{qname(el)}> must be comma-separated integers",
            el,
        )


def _trackback(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local not in ("ping", "about"):
        _undefined(el, ctx)
        return
    if level not in ("item", "entry"):
        ctx.error("UndefinedElement", f"<{qname(el)}> belongs in an item or entry", el)
        return
    _resource(el, ctx)


def _coordinate(el: etree._Element, ctx: Ctx, limit: float, code: str) -> None:
    value = _text(el)
    if not _FLOAT.match(value) or abs(float(value)) > limit:
        ctx.error(code, f"<{qname(el)}> must be a number between -{limit:g} and {limit:g}", el)


def _geo(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local in ("lat", "latitude"):
        _coordinate(el, ctx, 90, "InvalidLatitude")
    elif local in ("long", "longitude", "lon"):
        _coordinate(el, ctx, 180, "InvalidLongitude")


def _media(el: etree._Element, level: str, ctx: Ctx) -> None:
    """Media RSS 1.5.1: attribute types and the elements' required attributes."""
    _, local = split(el.tag)
    if local not in MEDIA_ELEMENTS:
        _undefined(el, ctx)
        return
    attrs = dict(el.items())  # one lookup of the attributes, then plain dict gets
    if local == "group":
        contents = [c for c in children(el) if c.tag == _MEDIA_CONTENT]
        if len(contents) < 2:
            ctx.warn(
                "MediaGroupWithoutAlternatives",
                f"<{qname(el)}> should hold two or more alternative <media:content>",
                el,
            )
        for child in children(el):
            if split(child.tag)[0] == MEDIA:
                _media(child, level, ctx)
        return
    if local == "content":
        if attrs.get("url") is None and not any(c.tag == _MEDIA_PLAYER for c in el):
            ctx.error(
                "MissingAttribute", f"<{qname(el)}> needs a url attribute (or a player)", el
            )
        for attr, integer in _CONTENT_NUMBERS:
            value = attrs.get(attr)
            # ASCII digits pass both the integer and the number check
            if value is not None and not (value.isdigit() and value.isascii()):
                _attr_number(el, attrs, attr, ctx, integer=integer)
        if attrs.get("medium", "image") not in _MEDIUMS:
            _attr_enum(el, attrs, "medium", _MEDIUMS, ctx)
        if "expression" in attrs:
            _attr_enum(el, attrs, "expression", ("sample", "full", "nonstop"), ctx)
        if "isDefault" in attrs:
            _attr_enum(el, attrs, "isDefault", ("true", "false"), ctx)
        mime = attrs.get("type")
        if mime is not None and not is_media_type(mime):
            ctx.error(
                "InvalidMIMEAttribute", f"<{qname(el)} type={mime!r}> is not a MIME type", el
            )
        if len(el):
            for child in children(el):
                if split(child.tag)[0] == MEDIA:
                    _media(child, level, ctx)
    elif local in ("thumbnail", "player"):
        if attrs.get("url") is None:
            ctx.error("MissingAttribute", f"<{qname(el)}> needs a url attribute", el)
        for attr in ("height", "width"):
            value = attrs.get(attr)
            if value is not None and not (value.isdigit() and value.isascii()):
                _attr_number(el, attrs, attr, ctx, integer=True)
    elif local in ("title", "description", "text", "copyright"):
        _attr_enum(el, attrs, "type", ("plain", "html"), ctx)
    elif local == "rating":
        media_rating(el, ctx)
    elif local == "hash":
        _attr_enum(el, attrs, "algo", ("md5", "sha-1"), ctx)
    elif local == "restriction":
        if attrs.get("relationship") is None:
            ctx.error("MissingAttribute", f"<{qname(el)}> needs a relationship attribute", el)
        _attr_enum(el, attrs, "relationship", ("allow", "deny"), ctx)
        _attr_enum(el, attrs, "type", ("country", "uri", "sharing"), ctx)
    url = attrs.get("url")
    if url is not None and not urls.is_clean(url):
        problem = urls.full_uri_problem(url.strip())
        if problem:
            ctx.error("InvalidURLAttribute", f"<{qname(el)} url>: {problem[1]}", el)


_MEDIA_CONTENT = f"{{{MEDIA}}}content"
_MEDIUMS = ("image", "audio", "video", "document", "executable")
_MEDIA_PLAYER = f"{{{MEDIA}}}player"
# media:content's numeric attributes, in the order they are checked: (name, integer?)
_CONTENT_NUMBERS = (
    ("fileSize", True),
    ("bitrate", False),
    ("samplingrate", False),
    ("channels", True),
    ("height", True),
    ("width", True),
    ("framerate", False),
    ("duration", False),
)


def _attr_number(
    el: etree._Element, attrs: dict[str, str], attr: str, ctx: Ctx, *, integer: bool
) -> None:
    value = attrs.get(attr)
    if value is None:
        return
    value = value.strip()
    ok = is_non_negative(value) if integer else bool(_FLOAT.match(value)) and float(value) >= 0
    if not ok:
        kind = "a non-negative integer" if integer else "a non-negative number"
        ctx.error(
            "InvalidIntegerAttribute" if integer else "InvalidFloatAttribute",
            f"<{qname(el)} {attr}={value!r}> must be {kind}",
            el,
        )


def _attr_enum(
    el: etree._Element, attrs: dict[str, str], attr: str, allowed: tuple[str, ...], ctx: Ctx
) -> None:
    value = attrs.get(attr)
    if value is not None and value not in allowed:
        ctx.error(
            "InvalidAttributeValue",
            f"<{qname(el)} {attr}={value!r}> must be one of {', '.join(allowed)}",
            el,
        )


def check_link_href(el: etree._Element, ctx: Ctx) -> str | None:
    """An atom:link's ``href``: present and a valid IRI reference (RFC 4287 4.2.7.1)."""
    href = el.get("href")
    if href is None:
        ctx.error("MissingHref", f"<{qname(el)}> needs an href attribute", el)
        return None
    problem = urls.reference_problem(href)
    if problem:
        ctx.error(problem[0], f"<{qname(el)} href>: {problem[1]}", el)
    return href


def _atom_in_rss(el: etree._Element, level: str, ctx: Ctx) -> None:
    """Atom elements borrowed by RSS feeds: links and dates are checked."""
    _, local = split(el.tag)
    if local == "link":
        href = check_link_href(el, ctx)
        rel = el.get("rel", "alternate")
        if is_self(rel) and href is not None and not urls.is_absolute(href.strip()):
            ctx.warn("RelativeSelf", f"<{qname(el)} rel='self'> should be absolute", el)
        mime = el.get("type")
        if mime is not None and not is_media_type(mime):
            ctx.error("InvalidMIMEType", f"<{qname(el)} type={mime!r}> is not a MIME type", el)
    elif local in ("updated", "published"):
        code, detail, _ = rfc3339_verdict(el.text or "")
        if code:
            ctx.error(code, f"<{qname(el)}>: {detail}", el)


_HANDLERS = {
    DC: _dc,
    DCTERMS: _dcterms,
    SY: _sy,
    CONTENT: _content,
    XHTML: _xhtml,
    CREATIVE_COMMONS: _license,
    CC: _license,
    ADMIN: _admin,
    BLOGCHANNEL: _blogchannel,
    SLASH: _slash,
    TRACKBACK: _trackback,
    GEO: _geo,
    ICBM: _geo,
    MEDIA: _media,
    **MODULE_HANDLERS,
}


def check_atom_in_rss(el: etree._Element, level: str, ctx: Ctx) -> None:
    """Entry point for atom:* children of RSS channel and item."""
    _atom_in_rss(el, level, ctx)
