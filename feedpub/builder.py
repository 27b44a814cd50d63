"""Rendering entries as RSS 2.0 and Atom 1.0 documents with feedgen.

feedgen 1.0.0 needs help to produce feeds that validate cleanly (see the
README's "feedgen pitfalls"): every date is set explicitly (never "now"),
entries are appended in our order, the self link is added before the site
link (RSS uses the last link added as ``<channel><link>``), Media RSS is
written with ``group=None`` and string sizes, and Atom entry links, which
feedgen writes without their ``rel``/``type``/``length``/``title``, are
rewritten by the :class:`_AtomLinks` entry extension.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub import __version__
from feedpub.entry import Entry

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
    """An RSS 2.0 document with ``atom:link rel=self``, Media RSS and Dublin Core."""
    fg = _feed(info, entries)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def render_atom(info: FeedInfo, entries: list[Entry]) -> bytes:
    """An Atom 1.0 document with enclosure and related links and Media RSS."""
    fg = _feed(info, entries)
    return fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


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


def _feed(info: FeedInfo, entries: list[Entry]) -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("feedpub_links", BaseExtension, _AtomLinks, atom=True, rss=False)
    is_atom_self = info.self_url.endswith(".atom")
    fg.id(info.self_url)
    fg.title(info.title)
    fg.subtitle(info.description)  # RSS <description> and Atom <subtitle>
    fg.language(info.language)
    fg.author({k: v for k, v in (("name", info.author_name), ("email", info.author_email),
                                 ("uri", info.author_uri)) if v})
    fg.generator("feedpub", version=__version__, uri=None)
    fg.updated(info.updated)
    fg.lastBuildDate(info.updated)
    if info.icon_url:
        fg.icon(info.icon_url)
    if info.logo_url:
        fg.logo(info.logo_url)
    # Order matters: RSS's <channel><link> is the href of the last link added.
    fg.link(href=info.self_url, rel="self", type=ATOM_TYPE if is_atom_self else RSS_TYPE)
    if info.hub_url:
        fg.link(href=info.hub_url, rel="hub")
    fg.link(href=info.site_url, rel="alternate", type="text/html")
    for entry in entries:
        _add_entry(fg, entry)
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry) -> None:
    fe = fg.add_entry(order="append")
    fe.id(entry.id)
    fe.guid(entry.id, permalink=False)
    fe.title(entry.title)
    fe.link(href=entry.link, rel="alternate")
    fe.published(entry.published)
    fe.updated(entry.updated)
    if entry.summary:
        fe.summary(entry.summary, type="html")  # RSS <description>, Atom <summary>
        fe.description(entry.summary)
    full = content_html(entry)
    if full and full != entry.summary:
        fe.content(full, type="html")  # RSS content:encoded, Atom <content>
    for topic in entry.topics:
        fe.category(term=topic.label)
    if entry.provider:
        author: dict[str, Any] = {"name": entry.provider.name}
        if entry.provider.site_url:
            author["uri"] = entry.provider.site_url
        fe.author(author)
        fe.dc.dc_creator(entry.provider.name)
    if entry.images:
        first = entry.images[0]
        fe.enclosure(first.url, "0", first.mime_type or UNKNOWN_TYPE)
    for image in entry.images:
        media: dict[str, str] = {"url": image.url, "medium": "image"}
        if image.mime_type:
            media["type"] = image.mime_type
        if image.width and image.height:
            media["width"], media["height"] = str(image.width), str(image.height)
        fe.media.content(group=None, **media)
    fe.feedpub_links.links = _atom_links(entry)


def _atom_links(entry: Entry) -> list[dict[str, str]]:
    links = [{"rel": "alternate", "type": "text/html", "href": entry.link}]
    for image in entry.images:
        link = {"rel": "enclosure", "href": image.url, "length": "0"}
        if image.mime_type:
            link["type"] = image.mime_type
        links.append(link)
    for item in entry.related:
        if item.url != entry.link:
            links.append({"rel": "related", "type": "text/html", "href": item.url,
                          "title": item.title})
    return links


class _AtomLinks(BaseEntryExtension):
    """Rewrites an Atom entry's links with their attributes (feedgen issue #135)."""

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        # feedgen builds Atom elements without a namespace and writes xmlns as
        # a plain attribute on <feed>, so the links are un-namespaced here.
        old = entry.findall("link")
        position = entry.index(old[0]) if old else len(entry)
        for element in old:
            entry.remove(element)
        for offset, attributes in enumerate(self.links):
            link = etree.Element("link")
            for key in ("rel", "type", "href", "length", "title"):
                if key in attributes:
                    link.set(key, attributes[key])
            entry.insert(position + offset, link)
        return entry
