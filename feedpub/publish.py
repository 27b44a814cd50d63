"""The documents a build writes besides the feeds: the OPML list and the HTML pages."""

from __future__ import annotations

from collections.abc import Iterator

from feedpub.config import Site
from feedpub.entry import Entry
from feedpub.htmlindex import OPML_FILE, render_index, render_topic_page
from feedpub.opml import render_opml
from feedpub.plan import Plan
from feedpub.summary import summarize


def site_documents(
    plan: Plan, entries: dict[str, Entry], site: Site, formats: tuple[str, ...]
) -> Iterator[tuple[str, bytes]]:
    """``feeds.opml``, ``index.html`` and ``topics/<slug>.html`` as ``(relative path, bytes)``."""
    feeds = summarize(plan, entries, site.title)
    yield OPML_FILE, render_opml(site, feeds, formats)
    yield "index.html", render_index(site, feeds, formats)
    for feed in feeds[1:]:
        yield feed.page, render_topic_page(site, feed, feeds[0], formats)
