"""Rendering entries as JSON Feed 1.1 (https://jsonfeed.org/version/1.1).

The document carries the same ids, dates and order as the RSS and Atom
renderings of the same feed: ``id`` is the entry's URN, ``date_published``
and ``date_modified`` are the Atom dates, items keep the given order. Keys
are written in a fixed order with a fixed indent, so equal input gives
equal bytes.
"""

from __future__ import annotations

import json
from typing import Any

from feedpub.builder import UNKNOWN_TYPE, FeedInfo, content_html
from feedpub.entry import Entry

VERSION = "https://jsonfeed.org/version/1.1"
JSON_FEED_TYPE = "application/feed+json"


def render_json(info: FeedInfo, entries: list[Entry]) -> bytes:
    """A JSON Feed 1.1 document; ``hubs`` lists the WebSub hub when one is set."""
    doc: dict[str, Any] = {
        "version": VERSION,
        "title": info.title,
        "home_page_url": info.site_url,
        "feed_url": info.self_url,
        "description": info.description,
        "language": info.language,
    }
    if info.logo_url:
        doc["icon"] = info.logo_url
    if info.icon_url:
        doc["favicon"] = info.icon_url
    author = _drop_empty({"name": info.author_name, "url": info.author_uri})
    if author:
        doc["authors"] = [author]
    if info.hub_url:
        doc["hubs"] = [{"type": "WebSub", "url": info.hub_url}]
    doc["items"] = [_item(entry) for entry in entries]
    return encode(doc)


def encode(doc: dict[str, Any]) -> bytes:
    """The canonical bytes of a JSON document (UTF-8, two-space indent, final newline)."""
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item(entry: Entry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.link,
        "title": entry.title,
        "content_html": content_html(entry),
    }
    if entry.summary:
        item["summary"] = entry.summary
    if entry.images:
        item["image"] = entry.images[0].url
    item["date_published"] = entry.published.isoformat()
    item["date_modified"] = entry.updated.isoformat()
    if entry.provider:
        provider = entry.provider
        item["authors"] = [_drop_empty({"name": provider.name, "url": provider.site_url,
                                        "avatar": provider.logo_url})]
    if entry.topics:
        item["tags"] = [topic.label for topic in entry.topics]
    if entry.images:
        item["attachments"] = [
            _drop_empty({"url": image.url, "mime_type": image.mime_type or UNKNOWN_TYPE,
                         "title": image.title})
            for image in entry.images
        ]
    return item


def _drop_empty(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v}
