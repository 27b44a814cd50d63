"""Security screening of HTML carried in feeds (escaped text or inline XHTML).

Readers render this markup; scripts, plug-ins, frames and event handlers in it
are what the W3C service reports as ``SecurityRisk``. Screening is a warning:
the feed is still valid, but aggregators will strip or refuse the markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

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
_HTML_HINT = re.compile(
    r"<\s*/?\s*[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.I
)


def html_risks(markup: str) -> Iterator[str]:
    """Describe each risky construct in an HTML fragment held as text."""
    for match in _TAG.finditer(markup):
        name = match.group(1).lower()
        attrs = match.group(2) or ""
        if name in DANGEROUS_TAGS:
            yield f"<{name}> element"
        event = _EVENT_ATTR.search(attrs)
        if event:
            yield f"{event.group(1).lower()} attribute on <{name}>"
        if _JS_URL.search(attrs):
            yield f"script URL in <{name}>"


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
