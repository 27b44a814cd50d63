"""Archived feeds (RFC 5005, section 4): every entry stays reachable, old pages never change.

With ``--archive`` each feed's subscription document holds its newest
``limit`` entries, as without it; the entries older than those go into
archive documents ``<feed>/archive/<N>.<ext>`` (``all/archive/1.atom``,
``topics/ai/archive/3.rss``, ...).

Page rule: the older entries are put in order oldest first (by published
date, then id) and cut into pages of ``limit`` entries: page 1 holds the
oldest ``limit`` entries, page 2 the next ``limit``, and the last page the
remaining ``0 .. limit-1`` entries. As newer entries are added, entries
leave the subscription document and are appended to the last page; when it
is full a new (possibly empty) last page follows. So a full page never
changes again: not its entries, not its links (a full page always has a
next page, so its ``next-archive`` link exists from the moment it is full).
Only the last, partial page changes from build to build.

Pages are derived from the records at every build; nothing else is kept.
Editing an archived record rewrites the page that holds it (readers take
the new version by its id). Deleting a record, or adding one older than
the newest archived entry, moves every later entry by one place, so every
page from there on is rewritten: published archives assume records are
only added, and new ones are newer. Changing the site settings (title,
base URL, hub) rewrites every page too. A page that no longer exists (after
deletions) is left on disk, unlinked: builds never delete files.

Links: the subscription document has ``fh:complete`` when nothing is
archived, else ``prev-archive`` to the last page; every page has
``fh:archive``, ``current`` (the subscription document in the same format),
``prev-archive`` (the older page, if any) and ``next-archive`` (the newer
page, if any). JSON Feed has no archive vocabulary: its documents chain
with ``next_url`` from the subscription document to the newest page and
on to older ones, which also never changes once a page is full.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from feedpub.builder import FeedInfo
from feedpub.config import Site
from feedpub.entry import Entry
from feedpub.feedlinks import add_links
from feedpub.formats import FORMATS, Format
from feedpub.jsonfeed import encode
from feedpub.plan import FeedPlan, Plan

#: ``feed_info(feed, members, site, relative)`` of build.py.
InfoFor = Callable[[FeedPlan, list[Entry], Site, str], FeedInfo]
#: Loads full entries by id, in the order given.
Loader = Callable[[tuple[str, ...]], list[Entry]]


@dataclass(frozen=True)
class Page:
    """One archive document of one feed."""

    feed: str
    number: int
    entry_ids: tuple[str, ...]  # newest first, like every feed

    def relative(self, ext: str) -> str:
        return f"{self.feed}/archive/{self.number}{ext}"


def paginate(feed: str, ids_newest_first: list[str], limit: int) -> tuple[Page, ...]:
    """The archive pages of a feed whose entries, newest first, are ``ids_newest_first``."""
    older = ids_newest_first[limit:][::-1]
    if not older:
        return ()
    count = len(older) // limit + 1
    return tuple(
        Page(feed, n + 1, tuple(reversed(older[n * limit : (n + 1) * limit])))
        for n in range(count)
    )


def feed_members(plan: Plan) -> dict[str, list[str]]:
    """Every entry of every feed (not just the newest ``limit``), newest first."""
    def order(entry_id: str) -> tuple[float, str]:
        return (-plan.winners[entry_id].published.timestamp(), entry_id)

    everything = sorted(plan.winners, key=order)
    names = {feed.topic.key: feed.name for feed in plan.feeds if feed.topic is not None}
    members: dict[str, list[str]] = {feed.name: [] for feed in plan.feeds}
    for entry_id in everything:
        for topic in plan.merged_topics[entry_id]:
            members[names[topic.key]].append(entry_id)
    for feed in plan.feeds:
        if feed.topic is None:
            members[feed.name] = everything
    return members


@dataclass(frozen=True)
class Archive:
    """The archive pages of every feed of one build."""

    pages: dict[str, tuple[Page, ...]]

    @classmethod
    def of(cls, plan: Plan, limit: int) -> Archive:
        members = feed_members(plan)
        return cls({feed.name: paginate(feed.name, members[feed.name], limit)
                    for feed in plan.feeds})

    def subscription_link(self, feed: str, fmt: Format, site: Site) -> str:
        """``""`` when nothing of ``feed`` is archived, else the URL of its newest page."""
        pages = self.pages.get(feed, ())
        return site.url(pages[-1].relative(fmt.ext)) if pages else ""

    def documents(
        self, plan: Plan, formats: tuple[str, ...], site: Site, load: Loader, info: InfoFor
    ) -> Iterator[tuple[str, bytes]]:
        """Every archive document as ``(relative path, bytes)``, one page in memory at a time."""
        for feed in plan.feeds:
            for page in self.pages.get(feed.name, ()):
                members = load(page.entry_ids)
                for name in formats:
                    fmt = FORMATS[name]
                    relative = page.relative(fmt.ext)
                    data = fmt.render(info(feed, members, site, relative), members)
                    yield relative, self._mark_page(feed.name, page, fmt, data, site)

    def _mark_page(self, feed: str, page: Page, fmt: Format, data: bytes, site: Site) -> bytes:
        last = len(self.pages[feed])
        older = site.url(f"{feed}/archive/{page.number - 1}{fmt.ext}") if page.number > 1 else None
        if fmt.name == "json":
            return _with_next_url(data, older) if older else data
        links = [("current", site.url(feed + fmt.ext), fmt.media_type)]
        if older:
            links.append(("prev-archive", older, fmt.media_type))
        if page.number < last:
            newer = site.url(f"{feed}/archive/{page.number + 1}{fmt.ext}")
            links.append(("next-archive", newer, fmt.media_type))
        return add_links(data, links, "archive")


def mark_subscription(ext: str, data: bytes, newest_page: str) -> bytes:
    """Mark a subscription document: ``fh:complete`` (no ``newest_page``) or ``prev-archive``.

    A plain function of the link, so worker processes need no :class:`Archive`.
    """
    fmt = next(f for f in FORMATS.values() if f.ext == ext)
    if not newest_page:
        return data if fmt.name == "json" else add_links(data, [], "complete")
    if fmt.name == "json":
        return _with_next_url(data, newest_page)
    return add_links(data, [("prev-archive", newest_page, fmt.media_type)])


def _with_next_url(data: bytes, url: str) -> bytes:
    doc: dict[str, Any] = json.loads(data)
    out: dict[str, Any] = {}
    for key, value in doc.items():
        out[key] = value
        if key == "feed_url":
            out["next_url"] = url
    return encode(out)
