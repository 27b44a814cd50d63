"""JSON Feed 1.1 beside RSS and Atom: same ids, dates, order; attachments; authors; --formats."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from publish_support import REPO, SEEDS, build_seeds

from feedpub.builder import FeedInfo
from feedpub.cli import main
from feedpub.entry import Entry, Image, Provider, Topic
from feedpub.jsonfeed import render_json
from feedpub.validator import validate_bytes

A = "{http://www.w3.org/2005/Atom}"
BASE = "https://feeds.example.org/everyday-ai/"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("json")
    build_seeds(folder)
    return folder


def feed_names(out: Path) -> list[str]:
    names = [p.relative_to(out).with_suffix("").as_posix() for p in out.rglob("*.json")]
    assert "all" in names and len(names) == 17
    return sorted(names)


def test_every_feed_has_a_json_twin_that_agrees_with_atom(out: Path) -> None:
    for name in feed_names(out):
        doc = json.loads((out / f"{name}.json").read_bytes())
        atom = etree.parse(str(out / f"{name}.atom")).getroot()
        entries = atom.findall(f"{A}entry")
        assert doc["version"] == "https://jsonfeed.org/version/1.1"
        assert doc["title"] == atom.findtext(f"{A}title")
        assert doc["feed_url"] == BASE + name + ".json"
        assert [i["id"] for i in doc["items"]] == [e.findtext(f"{A}id") for e in entries]
        for item, entry in zip(doc["items"], entries, strict=True):
            assert item["title"] == entry.findtext(f"{A}title")
            assert item["date_published"] == entry.findtext(f"{A}published")
            assert item["date_modified"] == entry.findtext(f"{A}updated")
            assert item["url"] == entry.find(f"{A}link[@rel='alternate']").get("href")
            enclosures = [(link.get("href"), link.get("type"))
                          for link in entry.findall(f"{A}link[@rel='enclosure']")]
            assert [(a["url"], a["mime_type"]) for a in item.get("attachments", [])] == enclosures
            if enclosures:
                assert item["image"] == enclosures[0][0]
            authors = [(a.findtext(f"{A}name"), a.findtext(f"{A}uri"))
                       for a in entry.findall(f"{A}author")]
            assert [(a["name"], a.get("url")) for a in item.get("authors", [])] == authors
            assert item.get("tags", []) == [c.get("term") for c in entry.findall(f"{A}category")]


def test_json_feeds_validate_clean(out: Path) -> None:
    for name in feed_names(out):
        data = (out / f"{name}.json").read_bytes()
        report = validate_bytes(data, path=name, base=BASE + name + ".json")
        assert report.format == "jsonfeed"
        assert not report.errors and not report.warnings, (name, report)


def test_rebuild_writes_nothing(out: Path) -> None:
    report = build_seeds(out)
    assert report.written == []
    assert any(name.endswith(".json") for name in report.unchanged)


def _entry(**changes: object) -> Entry:
    values: dict[str, object] = dict(
        id="urn:uuid:00000000-0000-5000-8000-000000000001",
        canonical_url="https://news.example/a",
        title='Tom & "Jerry" <3',
        link="https://news.example/a",
        published=datetime(2021, 3, 1, 12, 0, tzinfo=timezone.utc),
        updated=datetime(2021, 3, 2, 8, 30, tzinfo=timezone.utc),
    )
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


INFO = FeedInfo("Site", "About", "https://s.example/", "https://s.example/all.json",
                datetime(2021, 3, 2, tzinfo=timezone.utc), author_uri="https://s.example/")


def test_minimal_entry_has_content_and_no_empty_keys() -> None:
    doc = json.loads(render_json(INFO, [_entry()]))
    (item,) = doc["items"]
    assert item == {
        "id": "urn:uuid:00000000-0000-5000-8000-000000000001",
        "url": "https://news.example/a",
        "title": 'Tom & "Jerry" <3',
        "content_html": (
            '<p><a href="https://news.example/a">Tom &amp; &quot;Jerry&quot; &lt;3</a></p>'
        ),
        "date_published": "2021-03-01T12:00:00+00:00",
        "date_modified": "2021-03-02T08:30:00+00:00",
    }
    assert "hubs" not in doc
    assert doc["authors"] == [{"name": "feedpub", "url": "https://s.example/"}]


def test_full_entry_maps_images_provider_topics_and_hub() -> None:
    entry = _entry(
        summary="<p>Short</p>",
        provider=Provider("Wire", site_url="https://wire.example/",
                          logo_url="https://wire.example/logo.png"),
        topics=(Topic("AI", "ai", "ai"), Topic("Robots", "robots", "robots")),
        images=(Image("https://img.example/1.jpg", 10, 20, mime_type="image/jpeg"),
                Image("https://img.example/2")),
    )
    info = FeedInfo(**{**INFO.__dict__, "hub_url": "https://hub.example/"})
    doc = json.loads(render_json(info, [entry]))
    (item,) = doc["items"]
    assert doc["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"}]
    assert item["summary"] == "<p>Short</p>"
    assert item["image"] == "https://img.example/1.jpg"
    assert item["authors"] == [{"name": "Wire", "url": "https://wire.example/",
                                "avatar": "https://wire.example/logo.png"}]
    assert item["tags"] == ["AI", "Robots"]
    assert item["attachments"] == [
        {"url": "https://img.example/1.jpg", "mime_type": "image/jpeg"},
        {"url": "https://img.example/2", "mime_type": "application/octet-stream"},
    ]
    assert not validate_bytes(render_json(info, [entry])).errors


def test_formats_option_chooses_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = CliRunner().invoke(
        main, ["build", str(SEEDS), "--out", str(tmp_path), "--formats", "json,rss", "-q"]
    )
    assert result.exit_code == 0, result.output
    suffixes = {p.suffix for p in tmp_path.rglob("*") if p.is_file()
                and not p.name.startswith(".")}
    assert suffixes == {".json", ".rss", ".opml", ".html"}
    index = (tmp_path / "index.html").read_text()
    assert 'href="all.rss"' in index and 'href="all.json"' in index and "all.atom" not in index
    assert "all.rss" in (tmp_path / "feeds.opml").read_text()


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(SEEDS), "--out", str(tmp_path), "--formats", "rss,xml"]
    )
    assert result.exit_code == 2
    assert "unknown format 'xml' (known: rss, atom, json)" in result.output
    assert not any(tmp_path.iterdir())
