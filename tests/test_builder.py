"""The direct RSS/Atom writer against the feedgen code it replaced, byte for byte.

``feedgen_oracle`` is the feedgen 1.0.0 renderer feedpub used before (with
its workarounds); every document the build could write must come out of
:mod:`feedpub.builder` exactly as it came out of feedgen and lxml, for real
records, synthetic ones and generated odd ones. Where feedgen refused an
input (``ValueError``), the writer must refuse it too.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

import feedparser
import pytest
from conftest import ROOT, SHARED_CORPUS
from feedgen_oracle import feedgen_atom, feedgen_rss, feedgen_rss_with_hub
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from scale_support import synth

from feedpub.build import BuildOptions, feed_info, load_entry, seed_paths
from feedpub.builder import FeedInfo, render_atom, render_rss
from feedpub.config import Site
from feedpub.entry import Entry, Image, Provider, Related, Topic
from feedpub.formats import FORMATS
from feedpub.plan import Candidate, plan_feeds

SITE = Site(title="Everyday AI", base_url="https://feeds.example.org/ai/",
            description="AI news & more <from> \"everywhere\"", author="Editors",
            asset_base_url="https://everyday-cc.github.io/ai/")
#: Every optional feed setting given (hub, icon, logo, e-mail).
FULL_SITE = dataclasses.replace(
    SITE, author_email="editors@example.org", icon="https://feeds.example.org/icon.png",
    logo="https://feeds.example.org/logo.png?a=1&b=2", hub="https://hub.example.org/?x=1&y=2")


def load_entries(source: Path, site: Site = SITE) -> list[Entry]:
    """Every record under ``source`` that normalizes to an entry (published or not)."""
    options = BuildOptions(sources=(str(source),), out_dir=Path("unused"), site=site)
    loaded = (load_entry(path, options).entry for path in seed_paths(options))
    return [entry for entry in loaded if entry is not None]


def feed_documents(entries: list[Entry], site: Site) -> list[tuple[FeedInfo, list[Entry]]]:
    """The (info, entries) of every RSS and Atom document a build of ``entries`` writes."""
    by_path = {entry.source_path: entry for entry in entries if entry.is_published}
    plan = plan_feeds((Candidate.of(e) for e in by_path.values()), site.limit)
    documents = []
    for feed in plan.feeds:
        members = [dataclasses.replace(by_path[plan.winners[i].path], topics=plan.merged_topics[i])
                   for i in feed.entry_ids]
        for ext in (".rss", ".atom"):
            relative = feed.name + ext
            documents.append((feed_info(feed, members, site, relative), members))
    return documents


def assert_same_as_feedgen(info: FeedInfo, entries: list[Entry]) -> None:
    """Both formats, as the build's format table renders them, equal feedgen's bytes."""
    assert FORMATS["rss"].render(info, entries) == feedgen_rss_with_hub(info, entries)
    assert FORMATS["atom"].render(info, entries) == feedgen_atom(info, entries)


def assert_documents_match(entries: list[Entry]) -> int:
    """Every feed of a build of ``entries``, with plain and full settings; how many compared."""
    count = 0
    for site in (SITE, FULL_SITE):
        for info, members in feed_documents(entries, site):
            assert_same_as_feedgen(info, members)
            count += 1
    return count


def test_every_record_of_the_shared_corpus_renders_as_feedgen_did():
    entries = load_entries(SHARED_CORPUS)
    assert len(entries) > 100
    # Each entry on its own (unpublished ones too), then as the build groups them.
    info = feed_info_for(entries, FULL_SITE, "all.rss")
    for entry in entries:
        assert_same_as_feedgen(info, [entry])
    assert_same_as_feedgen(feed_info_for(entries, SITE, "all.atom"), entries)
    assert assert_documents_match(entries) >= 4 * 17


def test_the_sample_seeds_render_as_feedgen_did():
    entries = load_entries(ROOT / "seeds")
    assert len(entries) == 38
    assert assert_documents_match(entries) >= 4 * 17


def test_a_sample_of_the_synthetic_corpus_renders_as_feedgen_did(tmp_path):
    generator = synth()
    for n in range(0, 10_000, 41):  # records of the 10k benchmark corpus (seed 42)
        path = tmp_path / generator.file_name(n)
        path.parent.mkdir(exist_ok=True)
        path.write_text(generator.record(n, 42), encoding="utf-8")
    entries = load_entries(tmp_path)
    assert len(entries) == 244
    assert any(e.images for e in entries) and any(not e.images for e in entries)
    assert any(e.related for e in entries) and any(not e.related for e in entries)
    assert assert_documents_match(entries) > 100


def feed_info_for(entries: list[Entry], site: Site, relative: str) -> FeedInfo:
    updated = max(e.updated for e in entries)
    return FeedInfo(title=site.title, description=site.description, site_url=site.base_url,
                    self_url=site.url(relative), updated=updated, language=site.language,
                    author_name=site.author_name, author_email=site.author_email,
                    author_uri=site.base_url, icon_url=site.icon, logo_url=site.logo,
                    hub_url=site.hub)


# --- generated entries ---------------------------------------------------------------------

UTC = timezone.utc
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                         timezone(timedelta(hours=-8)), timezone(timedelta(seconds=-3661))])
#: Text that survives normalization: any XML character, with the awkward ones made likely
#: (markup and quotes, CDATA ends, tab/newline/carriage return, NEL, line separator,
#: characters outside the BMP, noncharacters lxml accepts).
ODD = st.sampled_from(["&", "<", ">", '"', "'", "]]>", "&amp;", "&#13;", "\t", "\n", "\r",
                       "\r\n", "\x85", "\u2028", "\U0001f600", "\ufdd0", " ", "  ", "é", "<p>"])
XML_CHARS = st.characters(blacklist_categories=("Cs",),
                          blacklist_characters="\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
                          "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                          "\x1e\x1f\ufffe\uffff")
TEXT = st.lists(st.one_of(ODD, st.text(XML_CHARS, max_size=8)), max_size=6).map("".join)
SOME_TEXT = TEXT.filter(bool)
URL = st.one_of(st.just("https://example.org/a?b=1&c=2"), SOME_TEXT.map("https://x.example/".__add__))


def aware(zones=ZONES):
    """Datetimes in several zones (``st.none()``: naive ones, which feedgen refused)."""
    return st.datetimes(min_value=datetime(1000, 1, 1), timezones=zones)


@st.composite
def entries(draw, text=TEXT, some_text=SOME_TEXT, url=URL, when=None):
    when = aware() if when is None else when
    labels = draw(st.lists(text, max_size=12))
    images = draw(st.lists(st.builds(
        Image, url=url, width=st.one_of(st.none(), st.integers(0, 5000)),
        height=st.one_of(st.none(), st.integers(0, 5000)),
        mime_type=st.one_of(st.none(), st.just(""), st.sampled_from(["image/png", "image/jpeg"]))),
        max_size=3))
    related = draw(st.lists(st.builds(Related, title=text, url=url,
                                      provider=st.one_of(st.none(), text)), max_size=4))
    link = draw(url)
    if related and draw(st.booleans()):
        related[0] = dataclasses.replace(related[0], url=link)  # left out of Atom's links
    provider = draw(st.one_of(st.none(), st.builds(
        Provider, name=text, site_url=st.one_of(st.none(), st.just(""), url))))
    summary = draw(st.one_of(st.just(""), text, text.map(lambda t: f"<p>{t}</p>")))
    return Entry(
        id=draw(st.one_of(some_text, st.just("urn:uuid:8fc8ac2a-0bc1-5376-9264-f701b86d6709"))),
        canonical_url=link, title=draw(some_text), link=link,
        published=draw(when), updated=draw(when), summary=summary,
        body=draw(st.one_of(st.none(), st.just(""), text)), provider=provider,
        topics=tuple(Topic(label, label.lower(), "slug") for label in labels),
        images=tuple(images), related=tuple(related))


@st.composite
def infos(draw, text=TEXT, some_text=SOME_TEXT, url=URL, when=None):
    optional = st.one_of(st.none(), st.just(""), url)
    return FeedInfo(
        title=draw(some_text), description=draw(some_text), site_url=draw(url),
        self_url=draw(url) + draw(st.sampled_from([".rss", ".atom", ".xml", ""])),
        updated=draw(aware() if when is None else when),
        language=draw(st.sampled_from(["en", "de-AT", ""])),
        author_name=draw(some_text), author_email=draw(st.one_of(st.none(), text)),
        author_uri=draw(optional), icon_url=draw(optional), logo_url=draw(optional),
        hub_url=draw(optional))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(infos(), st.lists(entries(), max_size=4))
def test_generated_entries_render_as_feedgen_did(info, items):
    assert_same_as_feedgen(info, items)


def outcome(render, info, items) -> bytes | str:
    try:
        return render(info, items)
    except ValueError:  # includes UnicodeEncodeError (lone surrogates)
        return "ValueError"


#: Where an arbitrary value goes: a field of the feed, of an entry or of a part of one.
PLACES = {
    "info": ("title", "description", "site_url", "self_url", "language", "author_name",
             "author_email", "author_uri", "icon_url", "logo_url", "hub_url"),
    "entry": ("id", "title", "link", "summary", "body"),
    "provider": ("name", "site_url"),
    "topics": ("label",),
    "images": ("url", "mime_type"),
    "related": ("title", "url", "provider"),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(infos(), st.lists(entries(), min_size=1, max_size=3), st.data())
def test_anything_is_rendered_or_refused_as_feedgen_did(info, items, data):
    """One value anywhere made arbitrary (any characters, maybe empty) or a naive date:
    both renderers write the same bytes or both refuse with ``ValueError``."""
    bad = data.draw(st.one_of(st.text(max_size=4), st.datetimes()))
    if isinstance(bad, datetime):
        if data.draw(st.booleans()):
            info = dataclasses.replace(info, updated=bad)
        else:
            field = data.draw(st.sampled_from(["published", "updated"]))
            items[0] = dataclasses.replace(items[0], **{field: bad})
    else:
        place = data.draw(st.sampled_from(sorted(PLACES)))
        field = data.draw(st.sampled_from(PLACES[place]))
        if place == "info":
            info = dataclasses.replace(info, **{field: bad})
        elif place == "entry":
            items[0] = dataclasses.replace(items[0], **{field: bad})
        elif place == "provider":
            provider = items[0].provider or Provider("x")
            items[0] = dataclasses.replace(
                items[0], provider=dataclasses.replace(provider, **{field: bad}))
        else:
            parts = getattr(items[0], place) or (
                {"topics": Topic("x", "x", "x"), "images": Image("https://i.example/x.png"),
                 "related": Related("x", "https://r.example/")}[place],)
            changed = (dataclasses.replace(parts[0], **{field: bad}), *parts[1:])
            items[0] = dataclasses.replace(items[0], **{place: changed})
    assert outcome(render_rss, info, items) == outcome(feedgen_rss_with_hub, info, items)
    assert outcome(render_atom, info, items) == outcome(feedgen_atom, info, items)


# --- the cases above, spelled out --------------------------------------------------------

def odd_entry(**changes) -> Entry:
    when = datetime(2021, 8, 24, 19, 0, tzinfo=UTC)
    entry = Entry(
        id="urn:uuid:8fc8ac2a-0bc1-5376-9264-f701b86d6709", canonical_url="https://a.example/1",
        title='Tom & "Jerry" <b>]]></b>\r\n\x85\u2028 😀', link="https://a.example/1?x=1&y=2",
        published=when, updated=when + timedelta(microseconds=190256),
        summary="it's <i>fine</i>\ttab", provider=Provider("", None, None),
        topics=(Topic("", "", "t"), Topic("R&D <x>", "r&d", "r-d")),
        images=(Image("https://i.example/a b\"c.png", 0, 20, None, ""),),
        related=(Related('a "quote"\n', "https://a.example/1?x=1&y=2"),))
    return dataclasses.replace(entry, **changes)


@pytest.mark.parametrize("changes", [{}, {"summary": ""}, {"summary": "<p>html</p>"},
                                     {"provider": None, "images": (), "related": ()}])
def test_odd_values_are_escaped_and_kept_as_feedgen_did(changes):
    entry = odd_entry(**changes)
    info = feed_info_for([entry], FULL_SITE, "all.rss")
    assert_same_as_feedgen(info, [entry])
    rss = render_rss(info, [entry])
    item = etree.fromstring(rss).find("channel/item")
    assert item.findtext("title") == entry.title  # \r survives (written as &#13;)
    # Empty text is written as lxml wrote it; with a hub, as it wrote it after re-parsing.
    plain = render_rss(dataclasses.replace(info, hub_url=None), [entry])
    assert b"<category/>" in rss and b"<category></category>" in plain
    has_creator = entry.provider is not None
    assert (b"<dc:creator/>" in rss) == (b"<dc:creator></dc:creator>" in plain) == has_creator
    assert plain == feedgen_rss(dataclasses.replace(info, hub_url=None), [entry])
    parsed = feedparser.parse(rss)
    assert not parsed.bozo and parsed.entries[0].link == entry.link
    atom = etree.fromstring(render_atom(dataclasses.replace(info, self_url=info.self_url[:-3]
                                                            + "atom"), [entry]))
    assert atom.nsmap == {"media": "http://search.yahoo.com/mrss/",
                          None: "http://www.w3.org/2005/Atom"}


def test_feed_with_no_entries_and_no_optional_settings():
    info = FeedInfo(title="T", description="D", site_url="https://s.example/",
                    self_url="https://s.example/all.atom",
                    updated=datetime(1970, 1, 1, tzinfo=UTC), language="")
    assert_same_as_feedgen(info, [])
    assert b"xml:lang" not in render_atom(info, []) and b"<language>" not in render_rss(info, [])


@pytest.mark.parametrize("bad", ["\x00", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"])
def test_characters_xml_cannot_carry_are_refused(bad):
    entry = odd_entry(title=f"a{bad}b")
    info = feed_info_for([entry], SITE, "all.rss")
    for render in (render_rss, render_atom, feedgen_rss, feedgen_atom):
        with pytest.raises(ValueError):
            render(info, [entry])


def test_naive_dates_and_missing_required_values_are_refused():
    entry = odd_entry()
    info = feed_info_for([entry], SITE, "all.rss")
    cases = [
        (dataclasses.replace(info, updated=datetime(2021, 1, 1)), [entry]),
        (info, [dataclasses.replace(entry, published=datetime(2021, 1, 1))]),
        (info, [dataclasses.replace(entry, updated=datetime(2021, 1, 1))]),
        (dataclasses.replace(info, description=""), [entry]),
        (dataclasses.replace(info, author_name=""), [entry]),
    ]
    for case_info, items in cases:
        for render in (render_rss, feedgen_rss):
            with pytest.raises(ValueError):
                render(case_info, items)
    for items in ([dataclasses.replace(entry, title="")], [dataclasses.replace(entry, id="")]):
        with pytest.raises(ValueError):
            render_atom(info, items)
        with pytest.raises(ValueError):
            feedgen_atom(info, items)
        assert render_rss(info, items) == feedgen_rss(info, items)  # RSS just leaves it out


def test_dates_are_english_whatever_the_locale(monkeypatch):
    import locale

    entry = odd_entry()
    info = feed_info_for([entry], SITE, "all.rss")
    expected = feedgen_rss(info, [entry])
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8"):
        try:
            old = locale.setlocale(locale.LC_ALL, name)
        except locale.Error:
            continue
        try:
            assert render_rss(info, [entry]) == expected
        finally:
            locale.setlocale(locale.LC_ALL, old)
    assert b"<pubDate>Tue, 24 Aug 2021 19:00:00 +0000</pubDate>" in expected


def test_feedpub_itself_does_not_import_feedgen():
    """feedgen is only the tests' oracle (the ``test`` extra), not a dependency of feedpub."""
    import subprocess
    import sys

    code = ("import pkgutil, importlib, sys, feedpub\n"
            "for m in pkgutil.walk_packages(feedpub.__path__, 'feedpub.'):\n"
            "    if m.name != 'feedpub.__main__': importlib.import_module(m.name)\n"
            "assert 'feedgen' not in sys.modules, 'feedgen imported'\n"
            "print(len(sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
