"""The subscription list ``feeds.opml`` (OPML 2.0, http://opml.org/spec2.opml).

One ``type="rss"`` outline per feed, so importing the file subscribes a
reader to each feed once: the combined feed at the top, the topic feeds in
a "Topics" folder (each also tagged with ``category="/Topics/<label>"``).
Each outline names one format, the first written of Atom, RSS, JSON Feed
(OPML has one ``xmlUrl`` per outline; the other formats are on the HTML
pages). No clock time is written: ``dateModified`` is the newest entry's.
"""

from __future__ import annotations

from datetime import timezone
from email.utils import format_datetime

from lxml import etree

from feedpub.config import Site
from feedpub.formats import preferred
from feedpub.summary import FeedSummary

SPEC = "http://opml.org/spec2.opml"


def render_opml(site: Site, feeds: list[FeedSummary], formats: tuple[str, ...]) -> bytes:
    """The OPML document listing ``feeds`` for a site written in ``formats``."""
    fmt = preferred(formats)
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = site.title
    newest = max((f.updated for f in feeds if f.updated), default=None)
    if newest is not None:
        etree.SubElement(head, "dateModified").text = format_datetime(
            newest.astimezone(timezone.utc), usegmt=True
        )
    etree.SubElement(head, "ownerName").text = site.author_name
    if site.author_email:
        etree.SubElement(head, "ownerEmail").text = site.author_email
    etree.SubElement(head, "docs").text = SPEC
    body = etree.SubElement(root, "body")
    folder = None
    for feed in feeds:
        parent = body
        if feed.is_topic:
            if folder is None:
                folder = etree.SubElement(body, "outline", text="Topics", title="Topics")
            parent = folder
        outline = etree.SubElement(parent, "outline")
        outline.set("text", feed.title)
        outline.set("title", feed.title)
        outline.set("type", "rss")
        outline.set("xmlUrl", site.url(feed.name + fmt.ext))
        outline.set("htmlUrl", site.url(feed.page))
        if feed.is_topic:
            # OPML categories are a comma-separated list of /-paths: neither may be in a label.
            label = feed.label.replace("/", " ").replace(",", " ")
            outline.set("category", "/Topics/" + label)
        stories = "story" if feed.total == 1 else "stories"
        outline.set("description", f"{feed.total} {stories} ({fmt.label})")
    return etree.tostring(root, pretty_print=True, encoding="UTF-8", xml_declaration=True)
