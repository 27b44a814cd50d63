"""RFC 5005 archives: page rule, links and markers, full pages never change as entries are added."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from publish_support import SEEDS, build_seeds, local_path, site

from feedpub.archive import Page, feed_members, paginate
from feedpub.build import BuildOptions, load_entry, seed_paths
from feedpub.plan import Candidate, plan_feeds
from feedpub.validator import validate_bytes

A = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"
BASE = "https://feeds.example.org/everyday-ai/"
LIMIT = 4


def test_pages_fill_oldest_first_and_the_last_one_may_be_empty() -> None:
    ids = [f"e{n:02}" for n in range(12, 0, -1)]  # newest first: e12 .. e01
    assert paginate("all", ids[:4], 4) == ()
    assert paginate("all", ids[:5], 4) == (Page("all", 1, ("e08",)),)
    assert paginate("all", ids, 4) == (
        Page("all", 1, ("e04", "e03", "e02", "e01")),
        Page("all", 2, ("e08", "e07", "e06", "e05")),
        Page("all", 3, ()),  # 8 older entries: two full pages and an empty last one
    )
    assert Page("topics/ai", 2, ()).relative(".rss") == "topics/ai/archive/2.rss"


def test_members_agree_with_the_plan() -> None:
    options = BuildOptions((str(SEEDS),), Path("unused"), site(limit=LIMIT))
    entries = (load_entry(path, options).entry for path in seed_paths(options))
    plan = plan_feeds((Candidate.of(e) for e in entries if e and e.is_published), LIMIT)
    members = feed_members(plan)
    assert len(members["all"]) == 31 and len(members["topics/ai"]) == 31
    for feed in plan.feeds:
        assert len(members[feed.name]) == feed.total
        assert tuple(members[feed.name][:LIMIT]) == feed.entry_ids


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("archive")
    build_seeds(folder, archive=True, site={"limit": LIMIT})
    return folder


def atom(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def links(root: etree._Element, rel: str) -> list[str]:
    parent = root.find("channel") if root.tag == "rss" else root
    return [link.get("href") for link in parent.findall(f"{A}link") if link.get("rel") == rel]


def ids(root: etree._Element) -> list[str]:
    if root.tag == "rss":
        return [guid.text for guid in root.iter("guid")]
    return [entry.findtext(f"{A}id") for entry in root.findall(f"{A}entry")]


@pytest.mark.parametrize("ext", [".atom", ".rss"])
def test_walking_prev_archive_finds_every_entry_once(out: Path, ext: str) -> None:
    current = atom(out / f"all{ext}")
    seen = ids(current)
    assert len(seen) == LIMIT
    assert not list(current.iter(f"{FH}complete", f"{FH}archive"))
    url = links(current, "prev-archive")[0]
    numbers = []
    while url:
        page = atom(local_path(out, BASE, url))
        assert list(page.iter(f"{FH}archive")), url
        assert links(page, "current") == [BASE + "all" + ext]
        assert links(page, "self") == [url]
        numbers.append(int(Path(url).stem))
        seen += ids(page)
        older = links(page, "prev-archive")
        if older:
            assert links(atom(local_path(out, BASE, older[0])), "next-archive") == [url]
        url = older[0] if older else None
    assert numbers == list(range(numbers[0], 0, -1))
    assert len(seen) == len(set(seen)) == 31


def test_json_chains_with_next_url(out: Path) -> None:
    doc = json.loads((out / "all.json").read_bytes())
    seen = [item["id"] for item in doc["items"]]
    pages = 0
    while "next_url" in doc:
        doc = json.loads(local_path(out, BASE, doc["next_url"]).read_bytes())
        seen += [item["id"] for item in doc["items"]]
        pages += 1
    assert pages == 7  # 27 archived entries: six full pages of 4 and one of 3
    assert len(seen) == len(set(seen)) == 31
    atom_order = ids(atom(out / "all.atom"))
    assert seen[:LIMIT] == atom_order


def test_small_feeds_are_complete(out: Path) -> None:
    small = atom(out / "topics/ai-hardware.atom")
    assert len(ids(small)) == 2
    assert list(small.iter(f"{FH}complete"))
    assert not links(small, "prev-archive")
    assert not (out / "topics/ai-hardware/archive").exists()
    rss = atom(out / "topics/ai-hardware.rss")
    assert list(rss.iter(f"{FH}complete"))


def test_every_document_validates_and_parses(out: Path) -> None:
    documents = [p for p in out.rglob("*") if p.suffix in (".rss", ".atom", ".json")]
    assert len([p for p in documents if "archive" in p.parts]) > 20
    for path in documents:
        relative = path.relative_to(out).as_posix()
        report = validate_bytes(path.read_bytes(), path=relative, base=BASE + relative)
        assert not report.errors and not report.warnings, (relative, report)
        if path.suffix != ".json":
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, (relative, parsed.bozo_exception)


def test_rebuild_writes_nothing(out: Path) -> None:
    report = build_seeds(out, archive=True, site={"limit": LIMIT})
    assert report.written == [] and len(report.unchanged) > 100


def test_without_archive_nothing_is_marked(tmp_path: Path) -> None:
    build_seeds(tmp_path, site={"limit": LIMIT})
    assert not (tmp_path / "all").exists()
    assert b"syndication/history" not in (tmp_path / "all.atom").read_bytes()


def _published_order(folder: Path) -> list[Path]:
    options = BuildOptions((str(folder),), Path("unused"), site())
    dated = []
    for path in sorted(folder.iterdir()):
        entry = load_entry(path, options).entry
        if entry is not None and entry.is_published:
            dated.append((entry.published, path.name, path))
    return [path for *_, path in sorted(dated)]


def _count(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_bytes())["items"])
    return len(ids(atom(path)))


def test_full_pages_never_change_as_records_arrive(tmp_path: Path) -> None:
    """Add the seeds oldest first, a few per build: once full, a page keeps its bytes."""
    records = _published_order(SEEDS)
    source, out = tmp_path / "seeds", tmp_path / "out"
    source.mkdir()
    frozen: dict[Path, bytes] = {}
    for start in range(0, len(records), 3):
        for path in records[start : start + 3]:
            shutil.copy(path, source / path.name)
        build_seeds(out, (str(source),), archive=True, site={"limit": LIMIT})
        for path, data in frozen.items():
            assert path.read_bytes() == data, f"{path} changed after it was full"
        for path in out.glob("**/archive/*"):
            if path not in frozen and _count(path) == LIMIT:
                frozen[path] = path.read_bytes()
    assert len(frozen) >= 6 * 3 * 2  # combined and AI feeds: six full pages each, three formats


def test_editing_an_archived_record_rewrites_only_its_pages(tmp_path: Path) -> None:
    source, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, source)
    build_seeds(out, (str(source),), archive=True, site={"limit": LIMIT})
    oldest = _published_order(source)[0]
    text = oldest.read_text(encoding="utf-8")
    assert 'title: "' in text
    oldest.write_text(text.replace('title: "', 'title: "Edited ', 1), encoding="utf-8")
    report = build_seeds(out, (str(source),), archive=True, site={"limit": LIMIT})
    # The oldest record (topic AI only) is on page 1 of the combined and the AI feeds.
    formats = (".atom", ".json", ".rss")
    assert sorted(report.written) == sorted(
        f"{feed}/archive/1{ext}" for feed in ("all", "topics/ai") for ext in formats
    )
    assert b"Edited Saffron" in (out / "all/archive/1.atom").read_bytes()


def test_deleting_an_archived_record_shifts_every_later_page(tmp_path: Path) -> None:
    source, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, source)
    build_seeds(out, (str(source),), archive=True, site={"limit": LIMIT})
    _published_order(source)[0].unlink()
    report = build_seeds(out, (str(source),), archive=True, site={"limit": LIMIT})
    assert {f"all/archive/{n}.atom" for n in range(1, 8)} <= set(report.written)
    assert "all.atom" not in report.written  # the subscription document keeps its entries
