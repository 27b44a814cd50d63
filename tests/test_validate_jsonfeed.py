"""JSON Feed 1.1 rules."""

from __future__ import annotations

import json
from typing import Any

from feedpub.validator import validate_bytes


def feed(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Example",
        "home_page_url": "https://example.org/",
        "feed_url": "https://example.org/feed.json",
        "authors": [{"name": "Ann"}],
        "items": [
            {
                "id": "1",
                "url": "https://example.org/1",
                "title": "One",
                "content_html": "<p>Hi</p>",
                "date_published": "2024-05-01T10:00:00Z",
                "attachments": [
                    {
                        "url": "https://example.org/a.mp3",
                        "mime_type": "audio/mpeg",
                        "size_in_bytes": 123,
                    }
                ],
            }
        ],
    }
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


def codes(doc: Any) -> tuple[set[str], set[str]]:
    report = validate_bytes(json.dumps(doc).encode(), path="feed.json")
    assert report.format == "jsonfeed"
    return {m.code for m in report.errors}, {m.code for m in report.warnings}


def test_valid_feed_is_clean() -> None:
    assert codes(feed()) == (set(), set())


def test_required_keys() -> None:
    assert codes(feed(version=None))[0] == {"MissingElement"}
    assert codes(feed(title=None))[0] == {"MissingElement"}
    assert codes(feed(items=None))[0] == {"MissingElement"}
    assert codes(feed(items=[{"content_text": "x"}]))[0] == {"MissingElement"}
    assert codes(feed(items=[{"id": "1"}]))[0] == {"MissingElement"}


def test_types_and_urls() -> None:
    assert codes(feed(title=5))[0] == {"InvalidType"}
    assert codes(feed(home_page_url="/relative"))[0] == {"InvalidFullLink"}
    assert codes(feed(version="2"))[0] == {"InvalidVersion"}
    item = {"id": "1", "content_text": "x", "date_published": "yesterday"}
    assert codes(feed(items=[item]))[0] == {"InvalidRFC3339Date"}
    attach = {"id": "1", "content_text": "x", "attachments": [{"url": "https://e.org/a"}]}
    assert codes(feed(items=[attach]))[0] == {"MissingElement"}


def test_duplicate_ids_and_missing_feed_url() -> None:
    item = {"id": "1", "content_text": "x"}
    assert codes(feed(items=[item, item]))[0] == {"DuplicateValue"}
    assert codes(feed(feed_url=None))[1] == {"MissingSelf"}


def test_not_json() -> None:
    report = validate_bytes(b'{"version": ', path="feed.json")
    assert [m.code for m in report.errors] == ["InvalidJSON"]
    assert report.format == "jsonfeed"
