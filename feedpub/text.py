"""Text cleaning shared by every field that ends up in a feed.

XML 1.0 forbids most C0 control characters (and a few others); lxml refuses
them outright, so they are removed before anything is built. HTML is
sanitized with nh3's allowlist: scraped excerpts must never carry script.
"""

from __future__ import annotations

import html
import re

import nh3

_INVALID_CHARS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
)
_XML_INVALID = re.compile(f"[{_INVALID_CHARS}]")
_SPACES = re.compile(r"\s+")
#: A line :func:`clean_line` leaves as it is (most are): words of characters that are
#: neither spaces, '&' (entities) nor invalid in XML, between single spaces.
_CLEAN_LINE = re.compile(rf"(?:[^\s&{_INVALID_CHARS}]+(?: [^\s&{_INVALID_CHARS}]+)*)?")
#: Something that is markup, not prose: a whole tag, end tag, comment or entity-free
#: doctype. "a <b" or "x < y" is text and is escaped.
_TAG = re.compile(r"<(?:/?[A-Za-z][^<>]*|!--.*?--|![A-Za-z][^<>]*)>", re.DOTALL)

#: Tags allowed in summaries and bodies: enough for prose, nothing active.
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "dl", "dt",
        "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
        "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong",
        "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def strip_xml_invalid(value: str) -> str:
    """Remove characters that XML 1.0 cannot carry (and lone surrogates)."""
    return _XML_INVALID.sub("", value)


def clean_line(value: str) -> str:
    """One line of plain text: entities decoded, invalid characters removed, spaces folded."""
    if _is_clean_line(value):
        return value  # the common case (tests/test_fast_paths.py: same result)
    return _clean_line(value)


def _is_clean_line(value: str) -> bool:
    """Whether :func:`clean_line` leaves ``value`` as it is: :data:`_CLEAN_LINE` matches.

    Printable text (no space but ' ', nothing invalid in XML: ``str.isprintable``
    refuses every such character) with no '&' and single inner spaces matches;
    checking that first takes half the time of the pattern.
    """
    if (
        value.isprintable()
        and "&" not in value
        and "  " not in value
        and not value.startswith(" ")
        and not value.endswith(" ")
    ):
        return True
    return _CLEAN_LINE.fullmatch(value) is not None


def _clean_line(value: str) -> str:
    """:func:`clean_line` without its fast path."""
    return _SPACES.sub(" ", strip_xml_invalid(html.unescape(value))).strip()


def markup_free_line(value: str) -> str:
    """One line of text with every tag (and script/style content) removed.

    For labels that end up in places some readers render as HTML, such as a
    topic feed's channel description: a topic name never needs markup.
    """
    return clean_line(nh3.clean(strip_xml_invalid(value), tags=set(), strip_comments=True))


def cut_text(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, at a space when one is near, with "…"."""
    if len(value) <= limit:
        return value
    head = value[: max(limit - 1, 0)]
    space = head.rfind(" ")
    if space >= limit * 3 // 4:
        head = head[:space]
    return head.rstrip() + "…"


def sanitize_html(value: str, base: str | None = None) -> str:
    """An HTML fragment safe to publish: allowlisted tags, http(s)/mailto links only.

    Relative links are resolved against ``base`` (the record's own URL) or
    dropped: in a feed they would resolve against the feed, not the article.
    """
    cleaned = nh3.clean(
        strip_xml_invalid(value),
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=("rewrite_with_base", base) if base else "deny",
    )
    # The sanitizer decodes character references: "&#8;" comes out as a raw U+0008.
    return strip_xml_invalid(cleaned).strip()


def text_to_html(value: str, base: str | None = None) -> str:
    """Plain text or HTML in, safe HTML out.

    Text with no markup is escaped and split into paragraphs at blank lines;
    anything that looks like markup goes through the sanitizer.
    """
    if "<" not in value and ">" not in value and _is_clean_line(value):
        return value  # one clean line of prose (most excerpts): nothing to remove or escape
    value = strip_xml_invalid(value).strip()
    if not value:
        return ""
    if _TAG.search(value):
        return sanitize_html(value, base)
    if "\n" not in value:  # one paragraph (most excerpts): no need to split
        return html.escape(clean_line(value), quote=False)
    paragraphs = [p for p in re.split(r"\n\s*\n", value.replace("\r\n", "\n")) if p.strip()]
    if len(paragraphs) <= 1:
        return html.escape(clean_line(value), quote=False)
    return "".join(f"<p>{html.escape(clean_line(p), quote=False)}</p>" for p in paragraphs)
