"""Security screening of HTML carried in feeds (escaped text or inline XHTML).

Readers render this markup; scripts, plug-ins, frames and event handlers in it
are what the W3C service reports as ``SecurityRisk``. Screening is a warning:
the feed is still valid, but aggregators will strip or refuse the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from feedpub.validator.memo import on_clear

DANGEROUS_TAGS = frozenset(
    [
        "script",
        "embed",
        "object",
        "applet",
        "iframe",
        "frame",
        "frameset",
        "meta",
        "link",
        "style",
        "base",
        "form",
        "blink",
        "marquee",
    ]
)
_TAG = re.compile(r"<\s*([A-Za-z][A-Za-z0-9]*)(?=[\s/>])([^<>]*)>?", re.DOTALL)
_EVENT_ATTR = re.compile(r"""(?:^|[\s"'/])(on[a-z]+)\s*=""", re.IGNORECASE)
_JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*(?:java|vb)script:""", re.IGNORECASE)
_DANGER_HINT = re.compile(r"<\s*(?:" + "|".join(sorted(DANGEROUS_TAGS)) + ")")
_EVENT_HINT = re.compile("on[a-z\u0131\u017f\u0307]+\\s*=")
_ON = re.compile("[oO][nN][A-Za-z\u0130\u0131\u017f\u212a]+\\s*=")
_PT = re.compile("[pP][tT]:")
_HTML_HINT = re.compile(
    r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I
)


def _html_risks(markup: str) -> tuple[str, ...]:
    """Describe each risky construct in an HTML fragment held as text.

    Most fragments have no risk, and three fast searches of the lower-cased text
    show it (see _may_be_risky); the others are scanned tag by tag. Event handlers
    and script URLs live in attributes with an ``=``, and the case-insensitive
    searches for them (slow) only run where a case-sensitive one (fast) finds what
    they need: "on", letters and "=", or "pt:". Ignoring case, o, n, p and t match
    only themselves in either case, and [a-z] matches the ASCII letters and U+0130,
    U+0131, U+017F and U+212A.
    """
    if "<" not in markup or not _may_be_risky(markup.lower()):
        return ()
    found = []
    for match in _TAG.finditer(markup):
        name, attrs = match.groups()
        name = name.lower()
        if name in DANGEROUS_TAGS:
            found.append(f"<{name}> element")
        if "=" in attrs:
            if _ON.search(attrs):
                event = _EVENT_ATTR.search(attrs)
                if event:
                    found.append(f"{event.group(1).lower()} attribute on <{name}>")
            if _PT.search(attrs) and _JS_URL.search(attrs):
                found.append(f"script URL in <{name}>")
    return tuple(found)


_remembered_risks = lru_cache(maxsize=4096)(_html_risks)
on_clear(_remembered_risks.cache_clear)


def html_risks(markup: str) -> tuple[str, ...]:
    """``_html_risks``, remembered: the same content is checked in every feed it is in.

    Text without ``<`` (a plain summary) has no tag and is not kept; neither is
    markup longer than 16 KiB, so the cache holds at most 64 Mi characters.
    """
    if "<" not in markup:
        return ()
    if len(markup) > 16384:
        return _html_risks(markup)
    return _remembered_risks(markup)


def _may_be_risky(low: str) -> bool:
    """What every risk html_risks reports leaves in the lower-cased fragment.

    A dangerous tag: "<", spaces and its (ASCII) name. An event handler: "on",
    letters and "=", where lower() maps the letters [a-z] matches ignoring case to
    [a-z], U+0131, U+017F and U+0069 U+0307 (for U+0130). A script URL: "...script:",
    which ends with "pt:".
    """
    return bool(_DANGER_HINT.search(low) or _EVENT_HINT.search(low)) or "pt:" in low


def xhtml_risks(el: etree._Element) -> Iterator[str]:
    """Describe each risky construct in inline XHTML (descendants of el)."""
    for node in el.iter(etree.Element):
        if node is el:
            continue
        local = etree.QName(node).localname.lower()
        if local in DANGEROUS_TAGS:
            yield f"<{local}> element"
        for attr, value in node.attrib.items():
            attr_local = etree.QName(attr).localname.lower()
            if attr_local.startswith("on"):
                yield f"{attr_local} attribute on <{local}>"
            elif attr_local in ("href", "src", "action") and re.match(
                r"\s*(?:java|vb)script:", value, re.IGNORECASE
            ):
                yield f"script URL in <{local}>"


def looks_like_html(text: str) -> bool:
    """Heuristic: the text contains tags or character references."""
    return bool(_HTML_HINT.search(text))
