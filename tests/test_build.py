"""`feedpub build` end to end on small seed folders written by the tests."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from conftest import ROOT, record
from lxml import etree

from feedpub.cli import main

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://feeds.example.org/news/"


def run_build(tmp_path: Path, *args: str, config: str = "title: Test News\n"):
    config_path = tmp_path / "feedpub.yaml"
    config_path.write_text(config, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(tmp_path / "seeds"), "--out", str(out), "--base-url", BASE,
         "--config", str(config_path), *args],
    )
    return result, out


def test_good_records_publish_and_bad_ones_are_reported_by_file_and_field(tmp_path, write_seed):
    write_seed("good-1.md", record(1))
    write_seed("good-2.md", record(2, topics=["AI", "Robots"]))
    write_seed("no-title.md", record(3, title=None))
    write_seed("bad-date.md", record(4, publishedDateTime="next tuesday"))
    write_seed("no-url.md", record(5, webUrl=None))
    write_seed("bad-yaml.md", "---\ntitle: [unclosed\n---\n")
    write_seed("list-title.md", record(6, title=["a", "b"]))
    write_seed("js-url.md", record(7, webUrl="javascript:alert(1)"))
    result, out = run_build(tmp_path)
    assert result.exit_code == 0, result.output
    assert "records: 8 read, 2 published, 0 held back (unpublished), 6 rejected" in result.output
    seeds = tmp_path / "seeds"
    for line in (
        f"rejected: {seeds / 'no-title.md'}: title: missing",
        f"rejected: {seeds / 'bad-date.md'}: publishedDateTime: not a date: 'next tuesday'",
        f"rejected: {seeds / 'no-url.md'}: webUrl: missing",
        f"rejected: {seeds / 'bad-yaml.md'}:3: front matter: invalid YAML",
        f"rejected: {seeds / 'list-title.md'}: title: expected text, got a list",
        f"rejected: {seeds / 'js-url.md'}: webUrl: no usable link",
    ):
        assert line in result.output
    titles = [e.title for e in feedparser.parse((out / "all.atom").read_bytes()).entries]
    assert titles == ["Story number 2", "Story number 1"]
    robots = feedparser.parse((out / "topics" / "robots.rss").read_bytes())
    assert [e.title for e in robots.entries] == ["Story number 2"]


def test_strict_exits_1_when_a_record_was_rejected(tmp_path, write_seed):
    write_seed("good.md", record(1))
    write_seed("bad.md", record(2, title=""))
    result, out = run_build(tmp_path, "--strict")
    assert result.exit_code == 1
    assert "title: empty" in result.output
    assert (out / "all.rss").exists(), "the good record is still published"


def test_usage_errors_exit_2(tmp_path, write_seed):
    write_seed("good.md", record(1))
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.output
    result, _ = run_build(tmp_path, config="limit: many\n")
    assert result.exit_code == 2
    assert "limit: expected a whole number" in result.output
    (tmp_path / "ftp.yaml").write_text("base_url: ftp://x/\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "seeds"), "--config",
                                       str(tmp_path / "ftp.yaml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "base_url: not an absolute http(s) URL: 'ftp://x/'" in result.output


def test_output_is_byte_identical_across_builds_and_unchanged_files_are_not_rewritten(
    tmp_path, write_seed
):
    for n in range(1, 8):
        write_seed(f"s{n}.md", record(n, topics=["AI", f"Topic {n % 3}"]))
    first, out = run_build(tmp_path)
    assert first.exit_code == 0
    copy = tmp_path / "copy"
    os.rename(out, copy)
    second, out = run_build(tmp_path)
    assert "files written" in second.output
    assert published_files(copy) == published_files(out)
    assert filecmp.cmp(copy / "all.atom", out / "all.atom", shallow=False)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
              and not p.name.startswith(".")}
    third, _ = run_build(tmp_path)
    assert "0 files written" in third.output
    assert mtimes == {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()
                      and not p.name.startswith(".")}


def published_files(root: Path) -> dict[str, bytes]:
    """Every file a build publishes (hidden files: the cache and the lock, are not)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def test_duplicates_by_canonical_url_become_one_entry_newest_wins_topics_merged(
    tmp_path, write_seed
):
    write_seed("day1.md", record(1, title="Old headline", topics=["AI"],
                                 webUrl="https://news.example.com/story?id=7&utm_source=x"))
    write_seed("day2.md", record(2, title="New headline", topics=["Robots"],
                                 publishedDateTime="2021-09-01T00:00:00Z",
                                 webUrl="https://news.example.com/story?id=7#comments"))
    result, out = run_build(tmp_path)
    assert "2 read, 1 published" in result.output
    assert "1 duplicates merged" in result.output
    entries = feedparser.parse((out / "all.atom").read_bytes()).entries
    assert [(e.title, e.link) for e in entries] == [
        ("New headline", "https://news.example.com/story?id=7")
    ]
    assert [t.term for t in entries[0].tags] == ["Robots", "AI"]
    assert (out / "topics" / "ai.atom").exists() and (out / "topics" / "robots.atom").exists()


def test_unpublished_records_are_held_back_unless_asked(tmp_path, write_seed):
    write_seed("live.md", record(1))
    write_seed("draft.md", record(2, published=False))
    result, out = run_build(tmp_path)
    assert "1 published, 1 held back (unpublished)" in result.output
    assert len(feedparser.parse((out / "all.rss").read_bytes()).entries) == 1
    result, out = run_build(tmp_path, "--include-unpublished")
    assert "2 published, 0 held back" in result.output
    assert len(feedparser.parse((out / "all.rss").read_bytes()).entries) == 2


def test_feedgen_pitfalls_are_handled(tmp_path, write_seed):
    write_seed("a.md", record(1, images=[
        {"url": "https://img.example.com/a.png", "width": 10, "height": 20},
        {"url": "https://img.example.com/b", "width": 30, "height": 40},
    ], related=[{"title": "Elsewhere", "webUrl": "https://other.example.net/x",
                 "provider": {"name": "Other"}}]))
    write_seed("b.md", record(2, publishedDateTime="2021-08-01T00:00:00Z"))
    _, out = run_build(tmp_path)
    atom = etree.parse(str(out / "all.atom")).getroot()
    first = atom.find(f"{ATOM}entry")
    links = [(link.get("rel"), link.get("type"), link.get("href"), link.get("length"))
             for link in first.findall(f"{ATOM}link")]
    assert links == [
        ("alternate", "text/html", "https://news.example.com/story-1", None),
        ("enclosure", "image/png", "https://img.example.com/a.png", "0"),
        ("enclosure", None, "https://img.example.com/b", "0"),
        ("related", "text/html", "https://other.example.net/x", None),
    ]
    # Dates come from the entries, never from the clock.
    # Entry `updated` is `published` plus a sub-second offset from the id (documented).
    newest = first.findtext(f"{ATOM}updated")
    assert atom.findtext(f"{ATOM}updated") == newest
    assert newest.startswith("2021-08-11T12:00:00.") and newest.endswith("+00:00")
    assert first.findtext(f"{ATOM}published") == "2021-08-11T12:00:00+00:00"
    rss = etree.parse(str(out / "all.rss")).getroot()
    channel = rss.find("channel")
    assert channel.findtext("link") == BASE
    assert channel.findtext("lastBuildDate") == "Wed, 11 Aug 2021 12:00:00 +0000"
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert (self_link.get("rel"), self_link.get("href")) == ("self", BASE + "all.rss")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Story number 1", "Story number 2"]
    enclosure = items[0].find("enclosure")
    assert dict(enclosure.attrib) == {
        "url": "https://img.example.com/a.png", "length": "0", "type": "image/png"
    }
    media = items[0].findall("{http://search.yahoo.com/mrss/}content")
    assert [(m.get("url"), m.get("width"), m.get("height"), m.get("medium")) for m in media] == [
        ("https://img.example.com/a.png", "10", "20", "image"),
        ("https://img.example.com/b", "30", "40", "image"),
    ]
    assert items[0].find("guid").get("isPermaLink") == "false"
    assert items[0].findtext("{http://purl.org/dc/elements/1.1/}creator") == "Example News"


def test_ties_are_broken_by_id_and_limit_keeps_the_newest(tmp_path, write_seed):
    for n in range(1, 6):
        write_seed(f"s{n}.md", record(n, publishedDateTime="2021-08-01T00:00:00Z"))
    write_seed("new.md", record(9, publishedDateTime="2021-09-01T00:00:00Z"))
    _, out = run_build(tmp_path, "--limit", "3")
    ids = [i.findtext("guid") for i in etree.parse(str(out / "all.rss")).getroot().iter("item")]
    assert len(ids) == 3
    first, *tied = ids
    assert tied == sorted(tied)
    feed = feedparser.parse((out / "all.rss").read_bytes())
    assert feed.entries[0].title == "Story number 9"


def test_unicode_topics_get_distinct_stable_slugs(tmp_path, write_seed):
    write_seed("a.md", record(1, topics=["AI in Autos", "Café Società", "C++", "C--", "人工知能"],
                              title="Ünïcödé — “quoted” 東京"))
    _, out = run_build(tmp_path)
    names = sorted(p.name for p in (out / "topics").glob("*.atom"))
    assert names == sorted([
        "ai-in-autos.atom", "cafe-societa.atom", "c.atom", "c-ae6a22.atom", "人工知能.atom"
    ])
    c_titles = {feedparser.parse(p.read_bytes()).feed.title
                for p in (out / "topics").glob("c*.atom") if not p.name.startswith("cafe")}
    assert c_titles == {"Test News: C++", "Test News: C--"}
    feed = feedparser.parse((out / "topics" / "人工知能.rss").read_bytes())
    assert not feed.bozo
    assert feed.entries[0].title == "Ünïcödé — “quoted” 東京"
    self_link = next(link.href for link in feed.feed.links if link.rel == "self")
    assert self_link.endswith("/topics/%E4%BA%BA%E5%B7%A5%E7%9F%A5%E8%83%BD.rss")


def test_settings_file_is_read_and_flags_win(tmp_path, write_seed):
    write_seed("a.md", record(1))
    config = "title: From File\nlanguage: de\nlimit: 1\nbase_url: https://file.example.org/f/\n"
    (tmp_path / "cfg.yaml").write_text(config, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(tmp_path / "seeds"), "--out", str(out),
                                       "--config", str(tmp_path / "cfg.yaml")])
    assert result.exit_code == 0, result.output
    feed = feedparser.parse((out / "all.atom").read_bytes())
    assert feed.feed.title == "From File"
    assert feed.feed.language == "de"
    assert feed.feed.id == "https://file.example.org/f/all.atom"
    CliRunner().invoke(main, ["build", str(tmp_path / "seeds"), "--out", str(out),
                              "--config", str(tmp_path / "cfg.yaml"),
                              "--base-url", "https://flag.example.org/"])
    assert feedparser.parse((out / "all.atom").read_bytes()).feed.id == (
        "https://flag.example.org/all.atom"
    )


def test_unknown_setting_is_a_usage_error_naming_the_key(tmp_path, write_seed):
    write_seed("a.md", record(1))
    result, _ = run_build(tmp_path, config="titel: typo\n")
    assert result.exit_code == 2
    assert "titel: unknown setting" in result.output


@pytest.mark.parametrize("name", ["all.rss", "all.atom"])
def test_default_settings_make_absolute_links(tmp_path, write_seed, monkeypatch, name):
    write_seed("a.md", record(1))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "seeds", "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    feed = feedparser.parse((tmp_path / "output" / name).read_bytes())
    assert not feed.bozo
    assert feed.feed.link == "http://127.0.0.1:8000/"


def test_committed_output_is_exactly_what_a_fresh_build_makes(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "fresh"
    result = CliRunner().invoke(main, ["build", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output

    committed, fresh = published_files(ROOT / "output"), published_files(out)
    assert sorted(committed) == sorted(fresh), "run `feedpub build` and commit output/"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"output/ is stale (run `feedpub build`): {stale}"


def test_entries_of_the_same_second_get_distinct_updated_and_headlines_get_content(
    tmp_path, write_seed
):
    for n in range(1, 6):
        write_seed(f"s{n}.md", record(n, publishedDateTime="2021-08-01", excerpt=None,
                                      images=None))
    result, out = run_build(tmp_path)
    assert result.exit_code == 0
    assert "warning" not in result.output
    atom = etree.parse(str(out / "all.atom")).getroot()
    entries = atom.findall(f"{ATOM}entry")
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert len(set(updated)) == 5
    assert all(u.startswith("2021-08-01T00:00:00.") for u in updated)
    assert {e.findtext(f"{ATOM}published") for e in entries} == {"2021-08-01T00:00:00+00:00"}
    content = entries[0].findtext(f"{ATOM}content")
    assert content.startswith('<p><a href="https://news.example.com/story-')
    assert content.endswith("(Example News)</p>")
    again, _ = run_build(tmp_path)
    assert "0 files written" in again.output


def test_a_fifo_named_like_a_seed_is_skipped_not_waited_on(tmp_path, write_seed):
    write_seed("good.md", record(1))
    os.mkfifo(tmp_path / "seeds" / "pipe.md")
    result, out = run_build(tmp_path)
    assert result.exit_code == 0
    assert f"rejected: {tmp_path / 'seeds' / 'pipe.md'}: file: not a regular file" in (
        result.output
    )
    assert "1 published" in result.output


@pytest.mark.parametrize(("setting", "message"), [
    ('title: ""', "title: must not be empty"),
    ('description: "  "', "description: must not be empty"),
    ("language: english", "language: not a language code"),
    ("author_email: nobody", "author_email: not an e-mail address: 'nobody'"),
])
def test_settings_feeds_cannot_carry_are_usage_errors(tmp_path, write_seed, setting, message):
    write_seed("good.md", record(1))
    result, out = run_build(tmp_path, config=setting + "\n")
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_a_source_given_twice_is_read_once(tmp_path, write_seed):
    write_seed("a.md", record(1))
    write_seed("b.md", record(2))
    seeds = tmp_path / "seeds"
    result, _ = run_build(tmp_path, str(seeds), str(seeds / "a.md"))
    assert "records: 2 read, 2 published" in result.output
    assert "0 duplicates merged" in result.output


def test_dropping_a_format_keeps_old_files_without_calling_topics_gone(tmp_path, write_seed):
    write_seed("a.md", record(1, topics=["AI", "Robots"]))
    run_build(tmp_path)
    result, out = run_build(tmp_path, "--formats", "rss")
    assert "kept:" not in result.output
    assert (out / "topics" / "robots.atom").exists()


def test_every_problem_with_verbose_and_twenty_of_each_kind_without(tmp_path, write_seed):
    for n in range(25):
        write_seed(f"bad-{n:02d}.md", record(n, title=None))
    write_seed("good.md", record(99, images=[{"url": "https://img.example.com/x.png"}] * 2))
    result, _ = run_build(tmp_path)
    assert result.output.count("rejected: ") == 21
    assert "rejected: ... and 5 more (--verbose shows all)" in result.output
    assert "images[1].url: repeats an earlier image; dropped" in result.output
    result, _ = run_build(tmp_path, "--verbose")
    assert result.output.count("rejected: ") == 25
