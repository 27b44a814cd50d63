"""Building the whole shared corpus: every published story lands where it belongs, and
every document reads back in lxml and feedparser as written."""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree

from feedpub.cli import main

BASE = "https://feeds.example.org/ai/"


def _raw_records(corpus: Path) -> list[dict]:
    records = []
    for path in sorted(corpus.iterdir()):
        text = path.read_text(encoding="utf-8")
        front = text.split("\n---", 1)[0].removeprefix("---\n")
        records.append(yaml.safe_load(front))
    return records


def _link_key(url: str) -> str:
    """The documented duplicate rule, written out again: no fragment, no utm_*/source."""
    base, _, query = unquote(html.unescape(url)).strip().partition("#")[0].partition("?")
    kept = [p for p in query.split("&")
            if p and not p.startswith("utm_") and p.split("=")[0] != "source"]
    return base + ("?" + "&".join(kept) if kept else "")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory, request) -> tuple[Path, list[dict]]:
    corpus = request.getfixturevalue("shared_corpus")
    out = tmp_path_factory.mktemp("corpus-out")
    result = CliRunner().invoke(
        main, ["build", str(corpus), "--out", str(out), "--base-url", BASE, "--limit", "1000",
               "--config", str(_empty_config(out))],
    )
    assert result.exit_code == 0, result.output
    return out, _raw_records(corpus)


def _empty_config(out: Path) -> Path:
    config = out.parent / f"{out.name}.yaml"
    config.write_text("title: Corpus\n", encoding="utf-8")
    return config


def test_every_published_story_is_in_the_combined_feed_once(corpus_build):
    out, records = corpus_build
    published = [r for r in records if r.get("published", True) is not False]
    expected = {_link_key(r.get("originalUrl") or r["webUrl"]) for r in published}
    feed = feedparser.parse((out / "all.atom").read_bytes())
    links = [_link_key(e.link) for e in feed.entries]
    assert len(links) == len(set(links)), "a story appears twice in the combined feed"
    assert set(links) == expected
    unpublished = {_link_key(r.get("originalUrl") or r["webUrl"]) for r in records} - expected
    assert unpublished and not unpublished & set(links)


def test_every_story_is_in_the_feed_of_each_of_its_topics_and_no_other(corpus_build):
    out, records = corpus_build
    expected: dict[str, set[str]] = defaultdict(set)
    for r in records:
        if r.get("published", True) is not False:
            for topic in r["topics"]:
                expected[topic].add(_link_key(r.get("originalUrl") or r["webUrl"]))
    found: dict[str, set[str]] = {}
    for path in sorted((out / "topics").glob("*.atom")):
        feed = feedparser.parse(path.read_bytes())
        label = feed.feed.title.removeprefix("Corpus: ")
        found[label] = {_link_key(e.link) for e in feed.entries}
    assert found == expected


@pytest.mark.parametrize("suffix", [".rss", ".atom"])
def test_every_document_parses_and_round_trips(corpus_build, suffix):
    out, records = corpus_build
    by_link: dict[str, dict] = {}  # the newest published record of each story wins
    for r in sorted(records, key=lambda r: r["publishedDateTime"]):
        if r.get("published", True) is not False:
            by_link[_link_key(r.get("originalUrl") or r["webUrl"])] = r
    paths = sorted(out.rglob(f"*{suffix}"))
    assert len(paths) > 10
    for path in paths:
        data = path.read_bytes()
        etree.fromstring(data)  # well-formed for a strict XML parser
        feed = feedparser.parse(data)
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == ("rss20" if suffix == ".rss" else "atom10")
        dates = [e.published_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True), f"{path} is not newest first"
        for e in feed.entries:
            raw = by_link[_link_key(e.link)]
            assert e.title == " ".join(html.unescape(raw["title"]).split())
            when = raw["publishedDateTime"]
            assert tuple(e.published_parsed)[:6] == when.utctimetuple()[:6]
            assert {t.term for t in e.tags} == _merged_topics(records, raw)
            images = [i["url"] for i in raw.get("images") or []]
            enclosures = [_link_key(x.href) for x in e.enclosures]
            if suffix == ".atom":
                assert enclosures == [_link_key(u) for u in images]
            else:
                assert enclosures == [_link_key(u) for u in images[:1]]


def _merged_topics(records: list[dict], raw: dict) -> set[str]:
    link = _link_key(raw.get("originalUrl") or raw["webUrl"])
    return {
        t for r in records
        if _link_key(r.get("originalUrl") or r["webUrl"]) == link
        and r.get("published", True) is not False
        for t in r["topics"]
    }


def test_secured_blobs_never_reach_the_output(corpus_build):
    out, records = corpus_build
    blobs = [r["secured"].split(";")[0][:40] for r in records if r.get("secured")]
    written = b"".join(p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert blobs
    assert not [b for b in blobs if b.encode() in written]
