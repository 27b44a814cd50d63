"""Rendered entries are remembered per entry object: the documents do not change."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from scale_support import SEEDS
from test_builder import FULL_SITE, SITE, feed_documents, load_entries

from feedpub import builder
from feedpub.builder import FeedInfo, render_atom, render_rss
from feedpub.entry import Entry, Provider, Topic


def _render_all(documents: list[tuple[FeedInfo, list[Entry]]]) -> list[bytes]:
    return [render(info, entries) for info, entries in documents
            for render in (render_rss, render_atom)]


def _fresh(documents: list[tuple[FeedInfo, list[Entry]]]) -> list[bytes]:
    """Each document rendered from copies of its entries met for the first time."""
    builder.forget_rendered()
    found = []
    for info, entries in documents:
        for render in (render_rss, render_atom):
            found.append(render(info, [copy.copy(e) for e in entries]))
            builder.forget_rendered()
    return found


@pytest.mark.parametrize("site", [SITE, FULL_SITE], ids=["plain", "hub"])
def test_remembered_entries_render_as_new_ones(site):
    entries = load_entries(SEEDS, site)
    documents = feed_documents(entries, site)
    assert len({id(e) for _, es in documents for e in es}) < sum(len(es) for _, es in documents)
    builder.forget_rendered()
    first = _render_all(documents)
    assert builder._RENDERED, "entries in several feeds are remembered"
    assert _render_all(documents) == first  # every text remembered now
    assert _fresh(documents) == first
    # The same entry objects in feeds with and without a hub: each is written as such
    # (empty categories and creators differ: <category></category> or <category/>).
    blank = [(info, [dataclasses.replace(e, topics=(*e.topics, Topic("", "", "")),
                                         provider=Provider(""))
                     for e in es]) for info, es in documents]
    other = FULL_SITE if site is SITE else SITE
    both = [*blank, *((dataclasses.replace(info, hub_url=other.hub), es) for info, es in blank)]
    builder.forget_rendered()
    assert _render_all(both) == _fresh(both)


def _kept_chars() -> int:
    return sum(len(text or "") for _, text in builder._RENDERED.values())


def test_remembered_texts_are_bounded_by_size_and_hold_their_entries(monkeypatch):
    monkeypatch.setattr(builder, "_RENDERED_BUDGET", 5000)
    entries = load_entries(SEEDS, SITE)
    documents = feed_documents(entries, SITE)
    builder.forget_rendered()
    assert _render_all(documents) == _fresh(documents)
    builder.forget_rendered()
    _render_all(documents)
    assert builder._RENDERED
    assert _kept_chars() == builder._rendered_chars <= 5000
    assert all(id(entry) == key[0] for key, (entry, _) in builder._RENDERED.items())


def test_a_text_longer_than_the_limit_is_not_kept(monkeypatch):
    entry = next(e for e in load_entries(SEEDS, SITE) if e.is_published and e.summary)
    long = dataclasses.replace(entry, summary="word " * 30_000)
    info = feed_documents([long], SITE)[0][0]
    builder.forget_rendered()
    first = render_rss(info, [long])
    assert all(len(text or "") <= builder._RENDERED_LONGEST
               for _, text in builder._RENDERED.values())
    assert not any(kind == "content" for _, kind in builder._RENDERED)
    assert render_rss(info, [long]) == first


def test_a_changed_copy_is_rendered_again():
    entry = next(e for e in load_entries(SEEDS, SITE) if e.is_published)
    info = feed_documents([entry], SITE)[0][0]
    builder.forget_rendered()
    before = render_rss(info, [entry])
    changed = dataclasses.replace(entry, title="Another title", summary="Another summary")
    after = render_rss(info, [changed])
    assert b"Another title" in after and b"Another summary" in after and before != after
    assert render_rss(info, [entry]) == before
