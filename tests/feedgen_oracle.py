"""The feedgen renderer feedpub used before writing XML itself: the oracle for its output.

:mod:`feedpub.builder` writes RSS and Atom directly; these functions are the
feedgen 1.0.0 code it replaced (with its workarounds for feedgen's pitfalls,
see the README), kept so tests can check, byte for byte, that the direct
writer produces exactly what feedgen produced, and so benchmarks can time both.
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub import __version__
from feedpub.builder import ATOM_TYPE, RSS_TYPE, UNKNOWN_TYPE, FeedInfo, content_html
from feedpub.entry import Entry
from feedpub.feedlinks import add_links


def feedgen_rss(info: FeedInfo, entries: list[Entry]) -> bytes:
    """An RSS 2.0 document with ``atom:link rel=self``, Media RSS and Dublin Core."""
    fg = _feed(info, entries)
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def feedgen_atom(info: FeedInfo, entries: list[Entry]) -> bytes:
    """An Atom 1.0 document with enclosure and related links and Media RSS."""
    fg = _feed(info, entries)
    return fg.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def feedgen_rss_with_hub(info: FeedInfo, entries: list[Entry]) -> bytes:
    """What ``FORMATS["rss"]`` wrote: feedgen's RSS plus the hub link it leaves out."""
    data = feedgen_rss(info, entries)
    return add_links(data, [("hub", info.hub_url, None)]) if info.hub_url else data


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
