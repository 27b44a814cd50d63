"""index.html and the topic pages: content, links, autodiscovery, escaping, and a real browser."""

from __future__ import annotations

import shutil
import struct
import subprocess
import urllib.parse
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest
from publish_support import build_seeds, serving, site

from feedpub.entry import Entry, Provider
from feedpub.htmlindex import render_index, render_topic_page
from feedpub.summary import FeedSummary

FORMATS = ("rss", "atom", "json")
TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml",
         "json": "application/feed+json"}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    build_seeds(folder)
    return folder


def page(out: Path, relative: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / relative).read_bytes())


def alternates(doc: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    links = doc.xpath("//head/link[@rel='alternate']")
    return [(link.get("type"), link.get("href")) for link in links]


def internal_links(doc: lxml.html.HtmlElement) -> list[str]:
    hrefs = [el.get("href") for el in doc.xpath("//*[@href]")]
    return [h for h in hrefs if not urllib.parse.urlsplit(h).scheme]


def test_index_lists_every_topic_with_count_headlines_and_formats(out: Path) -> None:
    doc = page(out, "index.html")
    assert doc.findtext(".//title") == "Everyday AI"
    assert alternates(doc) == [(TYPES[f], f"all.{f}") for f in FORMATS]
    sections = {s.get("id"): s for s in doc.xpath("//main/section")}
    topic_pages = sorted(p.stem for p in (out / "topics").glob("*.html"))
    assert sorted(k for k in sections if k != "latest") == topic_pages
    hardware = sections["ai-hardware"]
    assert hardware.xpath("string(h2)").split() == ["AI", "Hardware", "2", "stories"]
    assert [a.text for a in hardware.xpath(".//li/a")] == [
        "Cerebras’ CS-2 brain-scale chip can power AI models with 120 trillion parameters",
        "MediaTek MT9638 AI chip will power the next generation of 4K smart TVs",
    ]
    assert [a.get("href") for a in hardware.xpath(".//p[@class='formats']/a")] == [
        f"topics/ai-hardware.{f}" for f in FORMATS
    ]
    assert len(sections["ai"].xpath(".//li")) == 3  # latest headlines only
    assert doc.xpath("//a[@href='feeds.opml']")


def test_topic_page_discovers_its_feed_then_the_combined_one(out: Path) -> None:
    doc = page(out, "topics/ai-hardware.html")
    assert alternates(doc) == [
        *[(TYPES[f], f"ai-hardware.{f}") for f in FORMATS],
        *[(TYPES[f], f"../all.{f}") for f in FORMATS],
    ]
    assert doc.findtext(".//h1") == "AI Hardware"
    assert len(doc.xpath("//main//li")) == 2
    assert doc.xpath("//a[@href='../index.html']")


def test_every_internal_link_names_a_file_and_nothing_is_external(out: Path) -> None:
    topics = (p.relative_to(out).as_posix() for p in (out / "topics").glob("*.html"))
    pages = ["index.html", *topics]
    assert len(pages) == 17
    for relative in pages:
        doc = page(out, relative)
        for href in internal_links(doc):
            target, _, fragment = href.partition("#")
            resolved = (out / relative).parent / target if target else out / relative
            assert resolved.resolve().is_file(), (relative, href)
            if fragment:
                assert doc.xpath(f"//*[@id='{fragment}']"), (relative, href)
        assert not doc.xpath("//script | //img | //iframe | //*[@src] | //link[@rel='stylesheet']")
        assert doc.xpath("//head/style") and doc.xpath("//meta[@name='viewport']")
        hrefs = [el.get("href") for el in doc.xpath("//*[@href]")]
        assert {urllib.parse.urlsplit(h).scheme for h in hrefs} <= {"", "http", "https"}
        assert not [h for h in hrefs if h.startswith("//")]


def test_rebuild_leaves_pages_unchanged(out: Path) -> None:
    report = build_seeds(out)
    assert [r for r in report.written if r.endswith((".html", ".opml"))] == []


def _hostile_feeds() -> tuple[FeedSummary, FeedSummary]:
    nasty = '</a><script>alert("x")</script> & <b>'
    entry = Entry(
        id="urn:uuid:1", canonical_url="https://e.example/", title=nasty,
        link='https://e.example/?a=1&b="2"><script>',
        published=datetime(2021, 1, 2, tzinfo=timezone.utc),
        updated=datetime(2021, 1, 2, tzinfo=timezone.utc),
        provider=Provider(nasty),
    )
    combined = FeedSummary("all", nasty, "All stories", 1, (entry,))
    topic = FeedSummary("topics/x", nasty, nasty, 1, (entry,))
    return combined, topic


def test_everything_is_escaped() -> None:
    nasty = '</a><script>alert("x")</script> & <b>'
    combined, topic = _hostile_feeds()
    hostile_site = site(title=nasty, description=nasty)
    for data in (render_index(hostile_site, [combined, topic], FORMATS),
                 render_topic_page(hostile_site, topic, combined, FORMATS)):
        assert b"<script" not in data and b"<b>" not in data
        doc = lxml.html.fromstring(data)
        assert not doc.xpath("//script | //b")
        assert doc.findtext(".//title").startswith(nasty)
        assert nasty in [a.text for a in doc.xpath("//main//li/a")]
        assert 'https://e.example/?a=1&b="2"><script>' in [a.get("href") for a in doc.xpath("//a")]
        assert {link.get("title") for link in doc.xpath("//head/link")} >= {f"{nasty} (RSS)"}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (Debian packages 'chromium', 'chromium-driver')",
)
@pytest.mark.parametrize("relative", ["index.html", "topics/ai-hardware.html"])
def test_in_headless_chromium(out: Path, tmp_path: Path, relative: str) -> None:
    with serving(out) as base:
        url = base + relative
        dumped = chromium(tmp_path, "--dump-dom", url)
        assert dumped.returncode == 0, dumped.stderr[-2000:]
        dom = lxml.html.fromstring(dumped.stdout)
        assert dom.xpath("//h1")
        discovered = [urllib.parse.urljoin(url, h) for _, h in alternates(dom)]
        anchors = [urllib.parse.urljoin(url, a.get("href")) for a in dom.xpath("//a[@href]")]
        ours = {u.partition("#")[0] for u in [*discovered, *anchors] if u.startswith(base)}
        assert len(discovered) >= 3 and len(ours) >= 4
        for link in sorted(ours):
            with urllib.request.urlopen(link, timeout=10) as response:
                assert response.status == 200, link
        shot = tmp_path / (relative.replace("/", "-") + ".png")
        taken = chromium(tmp_path, f"--screenshot={shot}", "--window-size=390,844", url)
        assert taken.returncode == 0, taken.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (390, 844)
    assert len(data) > 10_000  # a page with text, not a blank image
