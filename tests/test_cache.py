"""The incremental cache: a rebuild publishes exactly what a cold build would."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import random
import re
import shutil
import sqlite3
import tracemalloc
import zlib
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from scale_support import SEEDS, SITE, cold, mtimes, run_build, synth, tree

from feedpub import cache as cache_module
from feedpub.build import BuildOptions, _plan, load_entry, seed_paths
from feedpub.cache import Cache, fingerprint
from feedpub.cli import main
from feedpub.entry import Entry
from feedpub.incremental import sync_seeds
from feedpub.parallel import map_ordered
from feedpub.plan import Candidate, plan_feeds
from feedpub.reader import DEFAULT_LIMITS

SECURITY = "2021-03-10-startup-uses-nlp-and-ai-to-make-software-security-reviews-less-painful.md"


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


def _age(folder: Path) -> None:
    """Make every file look a minute old, so a rewrite shows in its mtime."""
    for path in folder.rglob("*"):
        if path.is_file():
            stat = path.stat()
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))


def _edit_title(path: Path, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("\ntitle:") + 1
    end = text.index("\n", start)
    path.write_text(text[:start] + f'title: "{new}"' + text[end:], encoding="utf-8")


def test_rebuilds_after_add_edit_delete_rename_equal_cold_builds(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    first = run_build([seeds], out, store)
    assert first.parsed == 38 and first.reused == 0
    assert tree(out) == cold([seeds], tmp_path / "cold0")

    steps = [
        ("add", lambda: shutil.copy(SEEDS / SECURITY, seeds / "zz-copy-elsewhere.md")),
        ("edit", lambda: _edit_title(seeds / SECURITY, "Security reviews, edited")),
        ("delete", lambda: (seeds / "2019-12-16-waymo-acquires-ai-startup-latent-logic.md")
         .unlink()),
        ("rename", lambda: (seeds / SECURITY).rename(seeds / "renamed.md")),
    ]
    for number, (label, change) in enumerate(steps, 1):
        change()
        report = run_build([seeds], out, store)
        assert tree(out) == cold([seeds], tmp_path / f"cold{number}"), label
        assert report.parsed == (0 if label == "delete" else 1), label
        assert report.removed == (1 if label in ("delete", "rename") else 0), label


def test_unchanged_rerun_parses_and_writes_nothing(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    _age(out)
    before = mtimes(out)
    report = run_build([seeds], out, store)
    assert (report.parsed, report.reused, report.written) == (0, 38, [])
    assert len(report.unchanged) == len(before)
    assert mtimes(out) == before
    assert report.read == 38 and report.published == 31 and report.topics == 16


def test_touched_seed_is_hashed_not_parsed(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    _age(seeds)
    report = run_build([seeds], out, store)
    assert report.parsed == 0 and report.reused == 38 and report.written == []


def test_an_edit_rewrites_only_the_feeds_of_that_record(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    _age(out)
    before = mtimes(out)
    _edit_title(seeds / SECURITY, "Only these feeds change")
    report = run_build([seeds], out, store)
    feeds = {"all", "topics/ai", "topics/natural-language-processing", "topics/ai-in-security"}
    pages = {"index.html", *(f"{name}.html" for name in feeds if name != "all")}
    expected = sorted({f"{name}.{ext}" for name in feeds for ext in ("rss", "atom", "json")}
                      | pages)
    assert sorted(report.written) == expected
    after = mtimes(out)
    changed = sorted(name for name in before if after[name] != before[name])
    assert changed == expected
    parsed = feedparser.parse((out / "topics/ai-in-security.atom").read_bytes())
    assert parsed.entries[0].title == "Only these feeds change"


def test_a_topic_with_no_records_left_keeps_its_feed(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    old = (out / "topics/ai-in-security.rss").read_bytes()
    (seeds / SECURITY).unlink()
    report = run_build([seeds], out, store)
    assert report.kept == [f"topics/ai-in-security.{ext}"
                           for ext in ("atom", "html", "json", "rss")]
    assert (out / "topics/ai-in-security.rss").read_bytes() == old
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(seeds), "--out", str(out), "--cache", str(store),
                                  "--base-url", SITE.base_url, "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "kept: 4 files of topics no record has any more" in result.output
    assert ("topics/ai-in-security.atom, topics/ai-in-security.html, "
            "topics/ai-in-security.json, topics/ai-in-security.rss") in result.output


def test_settings_that_normalization_depends_on_start_a_new_cache(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    (seeds / SECURITY).unlink()  # its row must not survive in the new cache
    old_inode = store.stat().st_ino
    keep_open = sqlite3.connect(store)  # holds the old inode, so it cannot be reused
    other = dataclasses.replace(SITE, asset_base_url="https://other.example.org/assets/")
    report = run_build([seeds], out, store, site=other)
    keep_open.close()
    assert report.parsed == 37 and report.removed == 0
    assert report.cache_notes == [
        f"cache {store}: feedpub or the settings entries depend on changed; rebuilding it"]
    # A new file, not the old one emptied row by row (much slower for a big cache).
    assert store.stat().st_ino != old_inode
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT count(*) FROM files").fetchone() == (37,)
    assert report.kept  # the deleted record's own topic keeps its last feed
    kept = set(report.kept)
    assert {k: v for k, v in tree(out).items() if k not in kept} == cold(
        [seeds], tmp_path / "cold", site=other)


def test_site_and_publishing_settings_rerender_without_reparsing(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    report = run_build([seeds], out, store, include_unpublished=True)
    assert report.parsed == 0 and report.published == 37 and report.duplicates_merged == 1
    assert tree(out) == cold([seeds], tmp_path / "cold1", include_unpublished=True)
    retitled = dataclasses.replace(SITE, title="Renamed site", limit=3)
    report = run_build([seeds], out, store, site=retitled)
    assert report.parsed == 0
    assert tree(out) == cold([seeds], tmp_path / "cold2", site=retitled)


def test_unreadable_cache_is_rebuilt_with_a_note(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    store.write_bytes(b"this is not an SQLite database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    result = CliRunner().invoke(main, ["build", str(seeds), "--out", str(out),
                                       "--cache", str(store), "--base-url", SITE.base_url])
    assert result.exit_code == 0, result.output
    assert f"note: cache {store} is unreadable" in result.output
    assert "rebuilding it" in result.output
    assert "38 parsed" in result.output
    again = CliRunner().invoke(main, ["build", str(seeds), "--out", str(out),
                                      "--cache", str(store), "--base-url", SITE.base_url])
    assert "0 parsed, 38 reused from cache" in again.output


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_a_tampered_cache_cannot_run_code_and_is_rebuilt(seeds: Path, tmp_path: Path):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    evil = zlib.compress(pickle.dumps(_Boom()))
    with pytest.raises(cache_module.CacheError, match="posix.system is not allowed"):
        cache_module.decode(evil)
    with sqlite3.connect(store) as db:
        db.execute("UPDATE files SET entry = ?", (evil,))
    for path in out.rglob("*.rss"):
        path.unlink()  # forces feeds to be rendered from the (tampered) entries
    report = run_build([seeds], out, store)
    assert any("unreadable" in note for note in report.cache_notes)
    assert report.parsed == 38
    assert tree(out) == cold([seeds], tmp_path / "cold")


def test_entries_round_trip_through_the_cache(seeds: Path):

    options = BuildOptions((str(seeds),), Path("unused"), SITE)
    for path in sorted(seeds.iterdir()):
        entry = load_entry(path, options).entry
        if entry is not None:
            back = cache_module.decode(cache_module.encode(entry))
            assert isinstance(back, Entry)
            assert back == entry and back.source_path == entry.source_path


def test_entries_loaded_with_other_topics_equal_replacing_the_decoded_ones(
    seeds: Path, tmp_path: Path
):
    store = Cache(tmp_path / "c.sqlite", "fp")
    sync_seeds(store, sorted(map(str, seeds.iterdir())), DEFAULT_LIMITS, None, 1,
               lambda paths: paths)
    paths = [p for (p,) in store._db.execute("SELECT path FROM files WHERE entry IS NOT NULL")]
    own = store.entries(paths)
    others = [own[p].topics[::-1] + own[paths[0]].topics for p in paths]
    given = store.entries(paths, others)
    for path, topics in zip(paths, others, strict=True):
        expected = dataclasses.replace(own[path], topics=topics)
        assert given[path] == expected and given[path].topics is topics
        assert given[path].source_path == expected.source_path == path
        assert given[path].__dict__ == expected.__dict__
    again = store.entries(paths)  # providers and topics are shared, never changed
    assert again == own and all(e.__dict__ == own[p].__dict__ for p, e in again.items())
    store.close()


def test_stored_entries_are_the_same_bytes_every_time_and_damage_is_an_error(seeds: Path):
    options = BuildOptions((str(seeds),), Path("unused"), SITE)
    entry = next(e for e in (load_entry(p, options).entry for p in sorted(seeds.iterdir())) if e)
    blob = cache_module.encode(entry)
    assert cache_module.encode(cache_module.decode(blob)) == blob  # feed digests rely on it
    assert cache_module.encode(dataclasses.replace(entry)) == blob
    assert cache_module.decode(zlib.compress(blob)) == entry  # compressed, as entries were
    layout, *values = pickle.loads(blob)
    for damaged in ((layout + 1, *values), (layout, *values[:-1]), (layout, *values, "x")):
        with pytest.raises(cache_module.CacheError, match="damaged entry"):
            cache_module.decode(pickle.dumps(damaged))


def _row(path: str, topics: str | None, stamp: int = 1) -> cache_module.Parsed:
    return cache_module.Parsed(path, 1, 1, b"d", cache_module.PUBLISHED, f"id-{path}", "x", stamp,
                               "x", topics, b"e", b"ed", None)


def _topic(label: str) -> str:
    return "\x1f".join((label, label.lower(), label.lower()))


def test_storing_a_path_again_replaces_its_topic_rows(tmp_path: Path):
    store = Cache(tmp_path / "c.sqlite", "fp")
    store.store([_row("a", _topic("X") + "\x1e" + _topic("Y")), _row("b", _topic("X"))])
    store.store([_row("a", _topic("Z"), stamp=2), _row("c", None)])
    rows = store._db.execute("SELECT path, key, stamp FROM topics ORDER BY path, key").fetchall()
    assert rows == [("a", "z", 2), ("b", "x", 1)]
    assert [p for (p,) in store._db.execute("SELECT path FROM files ORDER BY path")] == [
        "a", "b", "c"]
    store.close()


def test_storing_commits_every_batch_and_a_failure_loses_only_the_open_one(tmp_path: Path):
    store = Cache(tmp_path / "c.sqlite", "fp")

    def rows():
        for number in range(450):
            yield _row(f"p{number:03d}", _topic("X"))
        raise RuntimeError("a worker died")

    with pytest.raises(RuntimeError):
        store.store(rows(), batch=250)  # commits after 300 rows (groups of 100)
    store.close()
    with sqlite3.connect(tmp_path / "c.sqlite") as db:  # another reader sees the commits
        assert db.execute("SELECT count(*) FROM files").fetchone() == (300,)
        assert db.execute("SELECT count(*) FROM topics").fetchone() == (300,)


def _indexes(path: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(path) as db:
        return set(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"))


def test_a_cold_store_makes_its_indexes_at_the_end_and_after_a_kill(tmp_path: Path):
    fresh = Cache(tmp_path / "fresh.sqlite", "fp")
    fresh.close()
    expected = _indexes(tmp_path / "fresh.sqlite")
    assert len(expected) >= 7
    store = Cache(tmp_path / "c.sqlite", "fp")
    seen: list[set] = []

    def rows():
        for number in range(450):
            if number == 300:
                seen.append(_indexes(tmp_path / "c.sqlite"))  # what a kill would leave
            yield _row(f"p{number:03d}", _topic("X"))

    store.store(rows(), batch=250)
    assert _indexes(tmp_path / "c.sqlite") == expected
    assert seen[0] < expected  # stored without them
    assert store._db.execute("SELECT count(*) FROM files INDEXED BY files_by_date "
                             "WHERE stamp > 0").fetchone() == (450,)
    store.store([_row("p999", _topic("Y"))])  # not cold: indexes kept up to date
    assert _indexes(tmp_path / "c.sqlite") == expected
    store.close()

    killed = Cache(tmp_path / "killed.sqlite", "fp")
    killed._db.execute("DROP INDEX files_by_date")
    killed._db.execute("DROP INDEX topics_by_key")
    killed.close()
    Cache(tmp_path / "killed.sqlite", "fp").close()  # the next build opens it
    assert _indexes(tmp_path / "killed.sqlite") == expected


def test_a_failed_cold_store_keeps_its_committed_rows_and_the_next_open_indexes_them(
    tmp_path: Path,
):
    store = Cache(tmp_path / "c.sqlite", "fp")
    expected = _indexes(tmp_path / "c.sqlite")

    def rows():
        for number in range(450):
            yield _row(f"p{number:03d}", _topic("X"))
        raise RuntimeError("a worker died")

    with pytest.raises(RuntimeError):
        store.store(rows(), batch=250)
    # No index is made on the way out (seconds after a Ctrl-C at 100k): the next open does.
    assert _indexes(tmp_path / "c.sqlite") < expected
    store.close()
    again = Cache(tmp_path / "c.sqlite", "fp")
    assert _indexes(tmp_path / "c.sqlite") == expected
    assert again._db.execute("SELECT count(*) FROM files").fetchone() == (300,)  # committed
    again.close()


def test_two_builds_filling_one_new_cache_drop_its_indexes_once(tmp_path: Path):
    first, second = Cache(tmp_path / "c.sqlite", "fp"), Cache(tmp_path / "c.sqlite", "fp")
    expected = _indexes(tmp_path / "c.sqlite")
    ours = {name for name, _ in expected if not name.startswith("sqlite_")}
    assert len(ours) == 7
    with first.filling():
        assert not ours & {name for name, _ in _indexes(tmp_path / "c.sqlite")}
        with second.filling():  # sees them gone: leaves them to the first
            second.store([_row("a", _topic("X"))])
        assert not ours & {name for name, _ in _indexes(tmp_path / "c.sqlite")}
        second.make_indexes()  # what sync_seeds does after its fill, whoever dropped them
        assert _indexes(tmp_path / "c.sqlite") == expected
        first.store([_row("b", _topic("Y"))])
    assert _indexes(tmp_path / "c.sqlite") == expected
    first.close()
    second.close()


def test_a_new_cache_has_large_pages_and_a_throwaway_one_does_not_sync(tmp_path: Path):
    store = Cache(tmp_path / "c.sqlite", "fp")
    assert store._db.execute("PRAGMA page_size").fetchone() == (16384,)
    assert store._db.execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
    store.throwaway()
    assert store._db.execute("PRAGMA synchronous").fetchone() == (0,)  # OFF
    store.close()


def test_no_cache_leaves_no_cache_file_and_conflicts_with_cache(seeds: Path, tmp_path: Path):
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(seeds), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert "38 parsed, 0 reused" in result.output
    assert not list(out.glob(".feedpub-cache*"))
    result = runner.invoke(main, ["build", str(seeds), "--out", str(out), "--no-cache",
                                  "--cache", str(tmp_path / "c.sqlite")])
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_default_cache_lives_hidden_in_the_output_folder(seeds: Path, tmp_path: Path):
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(main, ["build", str(seeds), "--out", str(out)])
    second = runner.invoke(main, ["build", str(seeds), "--out", str(out)])
    assert first.exit_code == second.exit_code == 0
    assert (out / ".feedpub-cache.sqlite").is_file()
    assert "0 parsed, 38 reused from cache" in second.output
    assert "0 files written, 69 unchanged" in second.output


def test_parallel_cold_build_equals_serial(tmp_path: Path):

    corpus = tmp_path / "corpus"
    synth().generate(corpus, 300)
    serial = cold([corpus], tmp_path / "serial")
    run_build([corpus], tmp_path / "parallel", tmp_path / "c.sqlite", jobs=2)
    assert tree(tmp_path / "parallel") == serial
    for name, data in serial.items():
        if name.endswith((".rss", ".atom", ".opml")):
            etree.fromstring(data)  # well-formed
        elif name.endswith(".json"):
            json.loads(data)
        else:
            assert name.endswith(".html"), name


def _contents(path: Path) -> tuple:
    with sqlite3.connect(path) as db:
        return (db.execute("SELECT * FROM files ORDER BY path").fetchall(),
                db.execute("SELECT * FROM topics ORDER BY path, key").fetchall(),
                sorted(db.execute("SELECT name, sql FROM sqlite_master")))


def test_workers_storing_their_own_rows_fill_the_cache_as_one_process_does(tmp_path: Path):
    corpus = tmp_path / "corpus"
    synth().generate(corpus, 700)
    (corpus / "broken.md").write_text("---\ntitle: [\n---\n")
    _age(corpus)  # mtimes old enough to be trusted, by both builds alike
    report = run_build([corpus], tmp_path / "one", tmp_path / "one.sqlite", jobs=1)
    assert report.parsed == 701 and report.rejected == 1
    assert run_build([corpus], tmp_path / "two", tmp_path / "two.sqlite", jobs=2).parsed == 701
    serial, parallel = _contents(tmp_path / "one.sqlite"), _contents(tmp_path / "two.sqlite")
    assert len(serial[0]) == 701 and len(serial[1]) > 701
    assert parallel == serial
    for path in corpus.rglob("*.md"):  # touched only: hashed by the workers, not parsed
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**9))
    again = run_build([corpus], tmp_path / "two", tmp_path / "two.sqlite", jobs=2)
    assert (again.parsed, again.reused) == (0, 701)
    assert _contents(tmp_path / "two.sqlite")[1:] == serial[1:]


def _store_rows(path: Path, rows: list[cache_module.Parsed]) -> int:
    cache_module.Cache.writer(path).store(rows)
    return os.getpid()


def test_processes_storing_at_once_wait_their_turn_and_indexes_come_last(tmp_path: Path):
    store = Cache(tmp_path / "c.sqlite", "fp")
    expected = _indexes(tmp_path / "c.sqlite")
    chunks = [[_row(f"p{n:04d}-{k}", _topic("X")) for k in range(20)] for n in range(300)]
    with store.filling():
        pids = set(map_ordered(_store_rows, tmp_path / "c.sqlite", chunks, 2, 1))
        assert len(pids) == 2
        made = {name for name, sql in _indexes(tmp_path / "c.sqlite") if sql}
        assert not made  # made once, at the end
    assert _indexes(tmp_path / "c.sqlite") == expected
    assert store._db.execute("SELECT count(*) FROM files").fetchone() == (6000,)
    assert store._db.execute("SELECT count(*) FROM topics").fetchone() == (6000,)
    store.close()


@pytest.mark.parametrize("limit", [1, 3, 50])
def test_planning_from_the_cache_equals_planning_every_record(tmp_path: Path, limit: int):
    """The cache plans from a few records per feed; the feeds must be those of all records."""



    generator = synth()
    corpus = tmp_path / "corpus"
    paths = generator.generate(corpus, 400, seed=3)
    rng = random.Random(5)
    for number, path in enumerate(rng.sample(paths, 40)):  # duplicates: same URLs
        text = path.read_text(encoding="utf-8")
        when = text.index("publishedDateTime: ") + len("publishedDateTime: ")
        text = text[:when] + str(2016 + number % 7) + text[when + 4 :]  # another year
        text = text.replace("topics:\n", f"topics:\n  - Dup Topic {number % 3}\n  - ai\n", 1)
        (corpus / f"dup-{number}.md").write_text(text, encoding="utf-8")
    oldest = re.sub(r"topics:\n(  - .*\n)+", "topics:\n  - COMPUTER VISION\n",
                    generator.record(9999, seed=3))
    when = oldest.index("publishedDateTime: ") + len("publishedDateTime: ")
    (corpus / "oldest.md").write_text(oldest[:when] + "1990" + oldest[when + 4 :])
    options = BuildOptions((str(corpus),), tmp_path / "out", dataclasses.replace(SITE, limit=limit))
    store = Cache(tmp_path / "c.sqlite", fingerprint(options.limits, SITE.asset_base_url))
    sync_seeds(store, seed_paths(options), options.limits, SITE.asset_base_url, 1,
               lambda p: p)
    plan, _ = _plan(store, options)
    everything = [load_entry(p, options).entry for p in seed_paths(options)]
    full = plan_feeds((Candidate.of(e) for e in everything if e and e.is_published), limit)
    assert plan.duplicates_merged == full.duplicates_merged > 0
    assert plan.stories == full.stories
    assert plan.topics == full.topics
    assert plan.topics["computer vision"].label == "COMPUTER VISION"  # only in the oldest record
    assert plan.feeds == full.feeds
    for feed in full.feeds:
        for entry_id in feed.entry_ids:
            assert plan.merged_topics[entry_id] == full.merged_topics[entry_id]
            assert plan.winners[entry_id] == full.winners[entry_id]
    store.close()


def test_memory_does_not_hold_the_corpus(tmp_path: Path):
    """Peak memory grows by far less per record than an entry takes: entries are not kept."""


    generator = synth()
    peaks = {}
    run_build([SEEDS], tmp_path / "warm-up", None)  # imports and one-time allocations
    for count in (80, 800):
        corpus = tmp_path / f"corpus-{count}"
        # The same few topics in both corpora: rendering holds every topic's feeds
        # (and synthetic corpora have more topics the larger they are), not records.
        for number, path in enumerate(generator.generate(corpus, count, seed=11)):
            path.write_text(re.sub(r"topics:\n(  - .*\n)+",
                                   f"topics:\n  - Topic {number % 7}\n  - Topic {number % 3}\n",
                                   path.read_text()))
        tracemalloc.start()
        run_build([corpus], tmp_path / f"out-{count}", tmp_path / f"c-{count}.sqlite",
                  site=dataclasses.replace(SITE, limit=5), validate=False)
        peaks[count] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # What keeping every entry would cost, measured the same way.
    tracemalloc.start()
    options = BuildOptions((str(corpus),), tmp_path / "unused", SITE)
    kept = [load_entry(path, options).entry for path in sorted(corpus.rglob("*.md"))[:100]]
    entry_bytes = tracemalloc.get_traced_memory()[0] / len(kept)
    tracemalloc.stop()
    per_record = (peaks[800] - peaks[80]) / 720
    assert per_record < entry_bytes / 4, (per_record, entry_bytes)


def test_only_topic_pages_whose_feed_changed_are_rendered_again(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out, store = tmp_path / "out", tmp_path / "cache.sqlite"
    run_build([seeds], out, store)
    from feedpub import publish

    rendered: list[str] = []
    render = publish.render_topic_page

    def counting(site, feed, combined, formats):
        rendered.append(feed.page)
        return render(site, feed, combined, formats)

    monkeypatch.setattr(publish, "render_topic_page", counting)
    _age(seeds)
    _edit_title(seeds / SECURITY, "Security reviews, retold")
    topics = load_entry(seeds / SECURITY, BuildOptions((), out, SITE)).entry.topics
    report = run_build([seeds], out, store)
    pages = {f"topics/{topic.slug}.html" for topic in topics}
    assert pages and set(rendered) == pages
    assert pages <= set(report.written)
    assert tree(out) == cold([seeds], tmp_path / "cold")

    untouched = sorted(set(tree(out)) - pages - {"index.html"})
    lost = next(name for name in untouched if name.endswith(".html"))
    (out / lost).unlink()
    rendered.clear()
    report = run_build([seeds], out, store)
    assert rendered == [lost] and report.written == [lost]
    assert tree(out) == cold([seeds], tmp_path / "cold")
