"""The normalized entry: what every feed format is built from.

Entries are frozen so that a cached, shared or merged entry can never be
changed behind the back of a feed that holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Image:
    """An image of the story; ``mime_type`` is ``None`` when the URL does not tell."""

    url: str
    width: int | None = None
    height: int | None = None
    title: str | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class Provider:
    """The publisher of the story, shown as its author."""

    name: str
    domain: str | None = None
    site_url: str | None = None
    logo_url: str | None = None


@dataclass(frozen=True)
class Topic:
    """A topic label as written, its identity ``key`` and its base ``slug``."""

    label: str
    key: str
    slug: str


@dataclass(frozen=True)
class Related:
    """Another story about the same thing, listed under the entry."""

    title: str
    url: str
    published: datetime | None = None
    provider: str | None = None


@dataclass(frozen=True)
class Entry:
    """One story, normalized from one (or, after merging duplicates, several) seed records."""

    id: str
    canonical_url: str
    title: str
    link: str
    published: datetime
    updated: datetime
    summary: str = ""
    body: str | None = None
    web_url: str | None = None
    original_url: str | None = None
    amp_url: str | None = None
    category: str | None = None
    type: str | None = None
    quality: int | None = None
    heat: int | None = None
    is_published: bool = True
    provider: Provider | None = None
    topics: tuple[Topic, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[Related, ...] = ()
    source_path: str = field(default="", compare=False)
