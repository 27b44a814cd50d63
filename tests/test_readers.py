"""Real readers over loopback: feedparser reads every feed as written, newsboat reloads them all.

Neither reader here knows JSON Feed (feedparser 6.0.14, newsboat 2.21), so the
JSON twins serve as the record of what was written; test_jsonfeed checks them.
"""

from __future__ import annotations

import calendar
import json
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from publish_support import build_seeds, serving


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample build, made for and served at a loopback URL."""
    out = tmp_path_factory.mktemp("readers")
    with serving(out) as base:
        build_seeds(out, site={"base_url": base, "hub": None})
        yield base, out


def feeds(out: Path, *suffixes: str) -> list[str]:
    found = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.suffix in suffixes)
    assert len(found) == 17 * len(suffixes)
    return found


def expected(out: Path, relative: str) -> list[dict]:
    """The items as written, taken from the JSON Feed twin of the feed."""
    stem = relative.rsplit(".", 1)[0]
    return json.loads((out / f"{stem}.json").read_bytes())["items"]


def timestamp(value: str) -> int:
    return int(datetime.fromisoformat(value).timestamp())


def test_feedparser_reads_every_feed_as_written(site_url: tuple[str, Path]) -> None:
    base, out = site_url
    for relative in feeds(out, ".rss", ".atom"):
        parsed = feedparser.parse(base + relative)
        assert parsed.status == 200
        assert not parsed.bozo, (relative, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if relative.endswith(".rss") else "atom10")
        assert parsed.headers["content-type"].startswith(
            "application/rss+xml" if relative.endswith(".rss") else "application/atom+xml")
        items = expected(out, relative)
        assert [e.id for e in parsed.entries] == [i["id"] for i in items]
        for entry, item in zip(parsed.entries, items, strict=True):
            assert entry.title == item["title"]
            assert entry.link == item["url"]
            assert timestamp_of(entry.published_parsed) == timestamp(item["date_published"])
            if relative.endswith(".atom"):
                assert timestamp_of(entry.updated_parsed) == timestamp(item["date_modified"])
            attachments = [(a["url"], a["mime_type"]) for a in item.get("attachments", [])]
            enclosures = [(e.href, e.type) for e in entry.enclosures]
            # RSS carries one enclosure per item (the first image), Atom all of them
            assert enclosures == (attachments[:1] if relative.endswith(".rss") else attachments)
            assert [t.term for t in entry.tags] == item.get("tags", [])
        # a second fetch with the validators feedparser kept is answered 304
        again = feedparser.parse(base + relative, etag=parsed.etag, modified=parsed.modified)
        assert again.status == 304 and again.entries == []


def timestamp_of(parsed: time.struct_time) -> int:
    return calendar.timegm(parsed)


NEWSBOAT = shutil.which("newsboat")


@pytest.mark.skipif(
    NEWSBOAT is None, reason="newsboat is not installed (Debian package 'newsboat')"
)
def test_newsboat_reloads_every_feed(site_url: tuple[str, Path], tmp_path: Path) -> None:
    base, out = site_url
    subscribed = feeds(out, ".rss", ".atom")
    urls = tmp_path / "urls"
    urls.write_text("".join(f"{base}{relative}\n" for relative in subscribed))
    cache = tmp_path / "cache.db"
    home = tmp_path / "home"
    home.mkdir()
    result = subprocess.run(
        [NEWSBOAT, "-x", "reload", "-u", str(urls), "-c", str(cache), "-C", "/dev/null"],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(cache) as db:
        feed_rows = dict(db.execute("SELECT rssurl, title FROM rss_feed").fetchall())
        items = db.execute(
            "SELECT guid, title, url, pubDate, author FROM rss_item"
        ).fetchall()
    assert set(feed_rows) == {base + relative for relative in subscribed}
    assert feed_rows[base + "topics/ai-hardware.atom"] == "Everyday AI: AI Hardware"
    # newsboat keeps one row per guid across all feeds: every story once
    written = {item["id"]: item for item in expected(out, "all.atom")}
    assert len(items) == len(written) == 31
    # (newsboat keeps only audio and video enclosures, so our images are not in its cache)
    for guid, title, link, published, author in items:
        item = written[guid]
        assert (title, link) == (item["title"], item["url"])
        assert published == timestamp(item["date_published"])
        assert author == item["authors"][0]["name"]
