"""feeds.opml: every feed once with title, xmlUrl, htmlUrl, topics grouped; newsboat imports it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from publish_support import build_seeds, local_path

from feedpub.opml import render_opml
from feedpub.summary import FeedSummary

BASE = "https://feeds.example.org/everyday-ai/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("opml")
    build_seeds(folder)
    return folder


def outlines(out: Path) -> tuple[etree._Element, list[etree._Element]]:
    root = etree.parse(str(out / "feeds.opml")).getroot()
    return root, root.findall(".//outline[@xmlUrl]")


def test_lists_every_feed_once_with_urls_that_exist(out: Path) -> None:
    root, feeds = outlines(out)
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "Everyday AI"
    assert root.findtext("head/dateModified") == "Tue, 24 Aug 2021 19:00:00 GMT"
    atom_files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.atom"))
    listed = sorted(local_path(out, BASE, o.get("xmlUrl")).relative_to(out).as_posix()
                    for o in feeds)
    assert listed == atom_files  # one outline per feed, Atom preferred
    for outline in feeds:
        assert outline.get("type") == "rss"
        assert outline.get("text") == outline.get("title") != ""
        assert local_path(out, BASE, outline.get("htmlUrl")).is_file()
        feed = etree.parse(str(local_path(out, BASE, outline.get("xmlUrl")))).getroot()
        assert feed.findtext("{http://www.w3.org/2005/Atom}title") == outline.get("title")


def test_topics_are_grouped_in_a_folder(out: Path) -> None:
    root, _ = outlines(out)
    body = root.find("body")
    combined, folder = list(body)
    assert combined.get("xmlUrl") == BASE + "all.atom"
    assert combined.get("htmlUrl") == BASE + "index.html"
    assert folder.get("text") == "Topics" and folder.get("xmlUrl") is None
    topics = list(folder)
    assert len(topics) == 16
    ai = next(o for o in topics if o.get("xmlUrl") == BASE + "topics/ai.atom")
    assert ai.get("title") == "Everyday AI: AI"
    assert ai.get("category") == "/Topics/AI"
    assert ai.get("htmlUrl") == BASE + "topics/ai.html"
    assert ai.get("description") == "31 stories (Atom)"


def test_names_rss_when_atom_is_not_written() -> None:
    from publish_support import site

    feeds = [FeedSummary("all", "S", "All stories", 1, ()),
             FeedSummary("topics/a-b", 'S: A/B <&">', 'A/B <&">', 1, ())]
    data = render_opml(site(), feeds, ("rss", "json"))
    root = etree.fromstring(data)
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    assert urls == [BASE + "all.rss", BASE + "topics/a-b.rss"]
    topic = root.find("body/outline/outline")
    assert topic.get("title") == 'S: A/B <&">'  # escaped in the bytes, intact when parsed
    assert topic.get("category") == '/Topics/A B <&">'
    assert topic.get("description") == "1 story (RSS)"
    assert root.find("head/dateModified") is None  # no entries, no date; never the clock


@pytest.mark.skipif(shutil.which("newsboat") is None,
                    reason="newsboat is not installed (Debian package 'newsboat')")
def test_newsboat_imports_every_feed(out: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    urls = tmp_path / "urls"
    result = subprocess.run(
        ["newsboat", "-i", str(out / "feeds.opml"), "-u", str(urls), "-C", "/dev/null",
         "-c", str(tmp_path / "cache.db")],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in urls.read_text().splitlines() if line.strip()]
    imported = {line.split()[0] for line in lines}
    _, feeds = outlines(out)
    assert imported == {o.get("xmlUrl") for o in feeds}
    assert len(lines) == 17
    for line in lines:  # the folder became a newsboat tag
        assert line.endswith('"Topics"') == ("/topics/" in line), line
