"""What the site documents (OPML, HTML pages) say about each feed of a build."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedpub.entry import Entry

ALL_LABEL = "All stories"


@dataclass(frozen=True)
class FeedSummary:
    """One feed as listed in the OPML file and on the HTML pages."""

    name: str  # "all" or "topics/<slug>": files are name + extension
    title: str  # the feed's own title
    label: str  # "All stories" or the topic label
    total: int  # stories in the feed, also those past the limit
    entries: tuple[Entry, ...]  # what the subscription document holds, newest first

    @property
    def is_topic(self) -> bool:
        return self.name != "all"

    @property
    def page(self) -> str:
        """The HTML page about this feed."""
        return f"{self.name}.html" if self.is_topic else "index.html"

    @property
    def updated(self) -> datetime | None:
        return max((e.updated for e in self.entries), default=None)
