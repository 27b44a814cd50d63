"""The documents a build writes besides the feeds: the OPML list and the HTML pages.

Entries are loaded through a callback, a few at a time: the index needs only
the newest headlines of each feed, and each topic page its own feed's
entries, so memory grows with the number of topics, never with the corpus.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

from feedpub.config import Site
from feedpub.entry import Entry
from feedpub.htmlindex import HEADLINES, OPML_FILE, render_index, render_topic_page
from feedpub.opml import render_opml
from feedpub.plan import FeedPlan, Plan
from feedpub.summary import ALL_LABEL, FeedSummary

#: Loads full entries by id, in the order given.
Loader = Callable[[tuple[str, ...]], list[Entry]]


def site_document_names(plan: Plan) -> list[str]:
    """The pages written for ``plan``: :func:`index_documents`, then every :func:`topic_page`."""
    return [OPML_FILE, "index.html",
            *(f"{feed.name}.html" for feed in plan.feeds if feed.topic is not None)]


def index_documents(
    plan: Plan, load: Loader, site: Site, formats: tuple[str, ...]
) -> Iterator[tuple[str, bytes]]:
    """``feeds.opml`` and ``index.html``: every feed, with the newest headlines of each."""
    combined, *topics = plan.feeds
    index = [_summary(combined, load(combined.entry_ids[: HEADLINES * 2]), site.title)]
    index += [_summary(f, _headline_only(load(f.entry_ids[:HEADLINES])), site.title)
              for f in topics]
    yield OPML_FILE, render_opml(site, index, formats)
    yield "index.html", render_index(site, index, formats)


def topic_page(
    feed: FeedPlan, entries: list[Entry], combined: FeedPlan, site: Site,
    formats: tuple[str, ...],
) -> tuple[str, bytes]:
    """``topics/<slug>.html`` from the entries of its feed (links to the combined feed too)."""
    page = _summary(feed, entries, site.title)
    # The combined feed is only linked from a topic page: its entries are not needed.
    return page.page, render_topic_page(site, page, _summary(combined, [], site.title), formats)


def _summary(feed: FeedPlan, entries: list[Entry], site_title: str) -> FeedSummary:
    if feed.topic is None:
        return FeedSummary(feed.name, site_title, ALL_LABEL, feed.total, tuple(entries))
    label = feed.topic.label
    return FeedSummary(feed.name, f"{site_title}: {label}", label, feed.total, tuple(entries))


def _headline_only(entries: list[Entry]) -> list[Entry]:
    """Entries slimmed to what a headline shows, so the index holds little per topic."""
    return [dataclasses.replace(e, summary="", body=None, images=(), related=()) for e in entries]
