"""Rendering entries as RSS 2.0 and Atom 1.0 documents, written directly as text.

The documents are byte for byte what feedgen 1.0.0 wrote (with the
workarounds for its pitfalls, see the README) when lxml pretty-printed its
tree: tests compare every output with that feedgen code, which is kept as
the oracle in ``tests/feedgen_oracle.py``. Writing the text directly is
about 5 times faster than building feedgen's objects and lxml's tree
(``benchmarks/render.py``).

What "exactly lxml's output" takes: the same XML declaration and namespace
declarations, two-space indentation with text-only elements on one line,
``<x/>`` for elements without content and ``<x></x>`` for empty text, and
libxml2's escaping (text: ``& < >`` and carriage return; attributes also
``"``, newline and tab); characters XML cannot carry raise ``ValueError``
as lxml does. feedgen's own rules are kept too: elements it leaves out when
a value is empty, the ``ValueError`` for missing required values and naive
datetimes, and the element order (the Atom entry links are the ones our
feedgen extension rewrote, with rel/type/href/length/title).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedpub import __version__
from feedpub.entry import Entry, Image

ATOM_NS = "http://www.w3.org/2005/Atom"
RSS_TYPE = "application/rss+xml"
ATOM_TYPE = "application/atom+xml"
#: Declared type of an enclosure whose URL names no image type.
UNKNOWN_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class FeedInfo:
    """Everything about one feed that is not its entries."""

    title: str
    description: str
    site_url: str
    self_url: str
    updated: datetime
    language: str = "en"
    author_name: str = "feedpub"
    author_email: str | None = None
    author_uri: str | None = None
    icon_url: str | None = None
    logo_url: str | None = None
    hub_url: str | None = None


def render_rss(info: FeedInfo, entries: list[Entry]) -> bytes:
    """An RSS 2.0 document with ``atom:link`` self (and hub) links, Media RSS and Dublin Core."""
    _check_feed(info)
    if not (info.title and info.site_url and info.description):
        raise ValueError("Required fields not set (RSS title, link or description)")
    text, attr = _text, _attr
    out = [
        _DECLARATION,
        _RSS_ROOT,
        "  <channel>\n",
        f"    <title>{text(info.title)}</title>\n",
        f"    <link>{text(info.site_url)}</link>\n",
        f"    <description>{text(info.description)}</description>\n",
        f'    <atom:link href="{attr(info.self_url)}" rel="self" type="{_self_type(info)}"/>\n',
    ]
    if info.hub_url:
        # feedgen wrote the hub link into Atom only; it was added to the RSS afterwards
        # by parsing and re-serializing the document, which turned empty elements such
        # as <category></category> into <category/>: with a hub they are still written so.
        out.append(f'    <atom:link href="{attr(info.hub_url)}" rel="hub"/>\n')
    out.append(_RSS_DOCS_GENERATOR)
    if info.logo_url:
        out.append(f"    <image>\n      <url>{text(info.logo_url)}</url>\n"
                   f"      <title>{text(info.title)}</title>\n"
                   f"      <link>{text(info.site_url)}</link>\n    </image>\n")
    if info.language:
        out.append(f"    <language>{text(info.language)}</language>\n")
    out.append(f"    <lastBuildDate>{_rfc2822(info.updated)}</lastBuildDate>\n")
    kind, empty = ("rss/hub", _EMPTY_COLLAPSED) if info.hub_url else ("rss", _EMPTY)
    out.extend(_remembered(kind, entry, _rss_item, empty) for entry in entries)
    out.append("  </channel>\n</rss>\n")
    return _encode(out)


def render_atom(info: FeedInfo, entries: list[Entry]) -> bytes:
    """An Atom 1.0 document with enclosure and related links and Media RSS."""
    _check_feed(info)
    if not (info.self_url and info.title):
        raise ValueError("Required fields not set (Atom id or title)")
    text, attr = _text, _attr
    lang = f' xml:lang="{attr(info.language)}"' if info.language else ""
    out = [
        _DECLARATION,
        f"{_ATOM_ROOT}{lang}>\n",
        f"  <id>{text(info.self_url)}</id>\n",
        f"  <title>{text(info.title)}</title>\n",
        f"  <updated>{info.updated.isoformat()}</updated>\n",
    ]
    if info.author_name:
        out.append(f"  <author>\n    <name>{text(info.author_name)}</name>\n")
        if info.author_email:
            out.append(f"    <email>{text(info.author_email)}</email>\n")
        if info.author_uri:
            out.append(f"    <uri>{text(info.author_uri)}</uri>\n")
        out.append("  </author>\n")
    out.append(f'  <link href="{attr(info.self_url)}" rel="self" type="{_self_type(info)}"/>\n')
    if info.hub_url:
        out.append(f'  <link href="{attr(info.hub_url)}" rel="hub"/>\n')
    out.append(f'  <link href="{attr(info.site_url)}" rel="alternate" type="text/html"/>\n')
    out.append(_ATOM_GENERATOR)
    if info.icon_url:
        out.append(f"  <icon>{text(info.icon_url)}</icon>\n")
    if info.logo_url:
        out.append(f"  <logo>{text(info.logo_url)}</logo>\n")
    if info.description:
        out.append(f"  <subtitle>{text(info.description)}</subtitle>\n")
    out.extend(_remembered("atom", entry, _atom_entry) for entry in entries)
    out.append("</feed>\n")
    return _encode(out)


def content_html(entry: Entry) -> str:
    """The entry's full HTML: summary, body, then its related stories as a list."""
    parts = []
    if entry.summary:
        parts.append(entry.summary if entry.summary.startswith("<") else f"<p>{entry.summary}</p>")
    if entry.body:
        parts.append(entry.body)
    if entry.related:
        items = []
        for item in entry.related:
            source = f" ({html.escape(item.provider)})" if item.provider else ""
            items.append(
                f'<li><a href="{html.escape(item.url)}">{html.escape(item.title)}</a>{source}</li>'
            )
        parts.append("<p>Related coverage:</p><ul>" + "".join(items) + "</ul>")
    if not parts:
        # Nothing but a headline: say where to read it, so no entry is without text
        # (Atom readers show content; the W3C validator warns when there is none).
        source = f" ({html.escape(entry.provider.name)})" if entry.provider else ""
        parts.append(f'<p><a href="{html.escape(entry.link)}">{html.escape(entry.title)}</a>'
                     f"{source}</p>")
    return "\n".join(parts)


_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_RSS_ROOT = (
    '<rss xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    ' xmlns:atom="http://www.w3.org/2005/Atom"'
    ' xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n'
)
# feedgen wrote xmlns as a plain attribute after the declared prefixes (its elements
# have no namespace in lxml's tree), so the default namespace comes second.
_ATOM_ROOT = f'<feed xmlns:media="http://search.yahoo.com/mrss/" xmlns="{ATOM_NS}"'
_RSS_DOCS_GENERATOR = (
    "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
    "    <generator>feedpub</generator>\n"
)
_ATOM_GENERATOR = f'  <generator version="{__version__}">feedpub</generator>\n'
#: RSS item elements whose text may be empty, written as lxml writes empty text...
_EMPTY = {tag: f"      <{tag}></{tag}>\n" for tag in ("category", "dc:creator")}
#: ... and as it writes them after parsing (no text at all).
_EMPTY_COLLAPSED = {tag: f"      <{tag}/>\n" for tag in _EMPTY}
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Bytes of the characters lxml refuses (C0 controls but tab, newline, carriage return).
_C0 = bytes(c for c in range(32) if c not in (9, 10, 13))


def _text(value: str) -> str:
    """``value`` escaped as libxml2 writes element content."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\r", "&#13;") if "\r" in value else value


def _attr(value: str) -> str:
    """``value`` escaped as libxml2 writes an attribute value in double quotes."""
    value = _text(value).replace('"', "&quot;")
    if "\n" in value or "\t" in value:
        value = value.replace("\n", "&#10;").replace("\t", "&#9;")
    return value


def _encode(parts: list[str]) -> bytes:
    """The document as UTF-8; ``ValueError`` for characters lxml would have refused.

    U+FFFE and U+FFFF are looked for in the text, not in the bytes: a text without
    characters beyond U+00FF (most feeds) cannot hold them, which Python knows
    without reading it.
    """
    text = "".join(parts)
    data = text.encode("utf-8")  # lone surrogates: UnicodeEncodeError
    if len(data.translate(None, _C0)) != len(data) or "\ufffe" in text or "\uffff" in text:
        raise ValueError("All strings must be XML compatible: no NULL bytes or control characters")
    return data


def _check_feed(info: FeedInfo) -> None:
    """The values feedgen refused whatever the format."""
    if (info.author_email or info.author_uri) and not info.author_name:
        raise ValueError("Data contains not all required keys (feed author name)")
    _aware(info.updated)


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("Datetime object has no timezone info")
    return when


def _rfc2822(when: datetime) -> str:
    """``when`` as RFC 2822, in English whatever the locale (as feedgen's C-locale strftime)."""
    names = f"{_DAYS[when.weekday()]}, %d {_MONTHS[when.month - 1]}"
    return when.strftime(f"{names} %Y %H:%M:%S %z")


def _self_type(info: FeedInfo) -> str:
    return ATOM_TYPE if info.self_url.endswith(".atom") else RSS_TYPE


def _content(entry: Entry) -> str | None:
    """The full HTML when it says more than the summary (feedgen's content), else ``None``."""
    return _remembered("content", entry, _full_content)


def _full_content(entry: Entry) -> str | None:
    full = content_html(entry)
    return full if full and full != entry.summary else None


#: Text rendered from recent entries: {(id(entry), kind): (entry, text)}; see _remembered.
_RENDERED: dict[tuple[int, str], tuple[Entry, str | None]] = {}
#: Bounds on what is kept, by size, not count (a field may hold 100k characters): all
#: texts together, and one text (a longer one is rendered again when needed).
_RENDERED_BUDGET = 24_000_000
_RENDERED_LONGEST = 100_000
_rendered_chars = 0


def _remembered(kind: str, entry: Entry, render: Callable[..., str | None], *args: Any) -> Any:
    """``render(entry, *args)``, kept for this very entry object (``kind`` names what it is).

    A story is in the RSS and the Atom feed (both with its content HTML) of every
    topic it is in, and a render worker is handed the same entry object for each
    (:meth:`feedpub.cache.Cache.feed_entries`). Entries are frozen, so the same object
    gives the same text; the entry is kept with its text, so no other object can
    have its ``id`` while the text is kept.
    """
    global _rendered_chars
    key = (id(entry), kind)
    found = _RENDERED.get(key)
    if found is not None:
        return found[1]
    text = render(entry, *args)
    size = len(text) if text else 0
    if size <= _RENDERED_LONGEST:
        if _rendered_chars + size > _RENDERED_BUDGET:
            forget_rendered()
        _RENDERED[key] = (entry, text)
        _rendered_chars += size
    return text


def forget_rendered() -> None:
    """Drop the kept texts (and the entries they hold): at the end of a render phase."""
    global _rendered_chars
    _RENDERED.clear()
    _rendered_chars = 0


def _rss_item(entry: Entry, empty: dict[str, str]) -> str:
    text = _text
    published = _aware(entry.published)
    _aware(entry.updated)
    summary, content = entry.summary, _content(entry)
    if not (entry.title or summary or content):
        raise ValueError("Required fields not set (RSS item title or description)")
    out = ["    <item>\n"]
    if entry.title:
        out.append(f"      <title>{text(entry.title)}</title>\n")
    if entry.link:
        out.append(f"      <link>{text(entry.link)}</link>\n")
    if summary:
        out.append(f"      <description>{text(summary)}</description>\n")
        if content:
            out.append(f"      <content:encoded>{text(content)}</content:encoded>\n")
    elif content:
        out.append(f"      <description>{text(content)}</description>\n")
    if entry.id:
        out.append(f'      <guid isPermaLink="false">{text(entry.id)}</guid>\n')
    for topic in entry.topics:
        label = topic.label
        out.append(f"      <category>{text(label)}</category>\n" if label
                   else empty["category"])
    if entry.images:
        first = entry.images[0]
        out.append(f'      <enclosure url="{_attr(first.url)}" length="0"'
                   f' type="{_attr(first.mime_type or UNKNOWN_TYPE)}"/>\n')
    out.append(f"      <pubDate>{_rfc2822(published)}</pubDate>\n")
    for image in entry.images:
        out.append(_media_content(image, "      "))
    if entry.provider:
        name = entry.provider.name
        out.append(f"      <dc:creator>{text(name)}</dc:creator>\n" if name
                   else empty["dc:creator"])
    out.append("    </item>\n")
    return "".join(out)


def _atom_entry(entry: Entry) -> str:
    text, attr = _text, _attr
    if not (entry.id and entry.title):
        raise ValueError("Required fields not set (Atom entry id or title)")
    published = _aware(entry.published)
    out = [
        "  <entry>\n",
        f"    <id>{text(entry.id)}</id>\n",
        f"    <title>{text(entry.title)}</title>\n",
        f"    <updated>{_aware(entry.updated).isoformat()}</updated>\n",
    ]
    provider = entry.provider
    if provider and provider.name:
        out.append(f"    <author>\n      <name>{text(provider.name)}</name>\n")
        if provider.site_url:
            out.append(f"      <uri>{text(provider.site_url)}</uri>\n")
        out.append("    </author>\n")
    summary, content = entry.summary, _content(entry)
    if content:
        out.append(f'    <content type="html">{text(content)}</content>\n')
    elif summary:
        # feedgen's description() also sets the Atom content, without a type.
        out.append(f"    <content>{text(summary)}</content>\n")
    link = entry.link
    out.append(f'    <link rel="alternate" type="text/html" href="{attr(link)}"/>\n')
    for image in entry.images:
        kind = f' type="{attr(image.mime_type)}"' if image.mime_type else ""
        out.append(f'    <link rel="enclosure"{kind} href="{attr(image.url)}" length="0"/>\n')
    for item in entry.related:
        if item.url != link:
            out.append(f'    <link rel="related" type="text/html" href="{attr(item.url)}"'
                       f' title="{attr(item.title)}"/>\n')
    if summary:
        out.append(f'    <summary type="html">{text(summary)}</summary>\n')
    for topic in entry.topics:
        out.append(f'    <category term="{attr(topic.label)}"/>\n')
    out.append(f"    <published>{published.isoformat()}</published>\n")
    for image in entry.images:
        out.append(_media_content(image, "    "))
    out.append("  </entry>\n")
    return "".join(out)


def _media_content(image: Image, indent: str) -> str:
    """A ``media:content`` with feedgen's attribute order, empty values left out."""
    attrs = f' url="{_attr(image.url)}"' if image.url else ""
    if image.mime_type:
        attrs += f' type="{_attr(image.mime_type)}"'
    attrs += ' medium="image"'
    if image.width and image.height:
        attrs += f' height="{_attr(str(image.height))}" width="{_attr(str(image.width))}"'
    return f"{indent}<media:content{attrs}/>\n"
