"""Speedups of the per-file parse (reader, normalize, cache rows) give exactly what the
plain code they replaced gave; the plain code is kept here as the reference."""

from __future__ import annotations

import dataclasses
import html
import os
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedpub import cache, text
from feedpub.entry import Entry, Related
from feedpub.normalize import (
    _story_id,
    _topic,
    _updated,
    entry_id,
    updated_time,
)
from feedpub.problems import Problem
from feedpub.reader import SEED_SUFFIXES, is_seed_name, split_front_matter

MANY = settings(max_examples=1500, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
SOME = settings(MANY, max_examples=500)


def split_by_lines(text: str) -> tuple[str, str | None] | str:
    """The front matter split as the reader did it before :func:`split_front_matter`."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return "no front matter: the file must start with a '---' line"
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        return "unterminated: no closing '---' line"
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]).strip() or None


#: Lines that are, or almost are, front matter fences (spaces of every kind after them).
LINES = st.one_of(
    st.sampled_from(["---", "...", "--", "----", "....", " ---", "--- x", "a: 1", "", "-", "."]),
    st.builds(lambda fence, tail: fence + tail, st.sampled_from(["---", "...", "-- -"]),
              st.text(alphabet=" \t\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000x", max_size=3)),
    st.text(alphabet="-. a:\t\u2029", max_size=6),
)


@MANY
@given(st.lists(LINES, max_size=8))
@example(["---", "---"])
@example(["---", "a: 1", "...", "", "body", ""])
@example(["---  ", "a: 1", "--- \x85", "---"])
@example(["--- x", "---"])
def test_the_front_matter_split_agrees_with_splitting_lines(lines):
    text = "\n".join(lines)
    assert split_front_matter(text) == split_by_lines(text)


@MANY
@given(st.text(alphabet="-.\n \t\x85\u2028ab:", max_size=40))
def test_the_front_matter_split_agrees_on_any_text(text):
    assert split_front_matter(text) == split_by_lines(text)


@SOME
@given(st.one_of(st.text(max_size=80), st.from_regex(r"https?://[a-z.]{1,20}/[!-~]{0,60}",
                                                     fullmatch=True)))
@example("https://provider75.example.com/2019/10/06/research-6083/")
def test_the_story_id_is_the_uuid5_of_the_canonical_url(canonical):
    try:
        expected = uuid.uuid5(uuid.NAMESPACE_URL, canonical)
    except UnicodeEncodeError:  # a lone surrogate: both refuse it
        return
    story_id, number = _story_id(canonical)
    assert story_id == expected.urn == entry_id(canonical)
    assert number == expected.int
    published = datetime(2021, 8, 24, 19, 0, 0, 123, tzinfo=timezone.utc)
    assert _updated(published, number) == updated_time(published, story_id)


@MANY
@given(st.one_of(st.text(max_size=30), st.text(alphabet="aé <b>&;x\u0301 ", min_size=90,
                                               max_size=130)))
@example("  ")
@example("<b></b>")
@example("AI")
def test_remembered_topics_are_the_topics_of_their_names(raw):
    # The function itself, not a copy of it: lru_cache keeps it as __wrapped__.
    assert _topic(raw) == _topic.__wrapped__(raw)
    assert _topic(raw) == _topic.__wrapped__(raw)  # the second time remembered


def text_to_html_by_paragraphs(value: str, base: str | None = None) -> str:
    """:func:`text.text_to_html` as it was before one-line text skipped the split."""
    value = text.strip_xml_invalid(value).strip()
    if not value:
        return ""
    if text._TAG.search(value):
        return text.sanitize_html(value, base)
    paragraphs = [p for p in re.split(r"\n\s*\n", value.replace("\r\n", "\n")) if p.strip()]
    if len(paragraphs) <= 1:
        return html.escape(text.clean_line(value), quote=False)
    return "".join(f"<p>{html.escape(text.clean_line(p), quote=False)}</p>" for p in paragraphs)


@MANY
@given(st.text(alphabet="ab <>&;#\r\n\t\x0b\x85\u2028\x01", max_size=30))
@example("one line & more")
@example("a\r\rb")
def test_one_line_text_becomes_the_same_html(value):
    assert text.text_to_html(value) == text_to_html_by_paragraphs(value)


MOMENTS = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31),
                       timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5)),
                                                  timezone(timedelta(0), "GMT")]))


@SOME
@given(MOMENTS, MOMENTS, st.lists(st.one_of(st.none(), MOMENTS, st.datetimes()), max_size=3))
def test_stored_entries_keep_every_date_exactly(published, updated, related_dates):
    entry = Entry(id="urn:x", canonical_url="https://a.example/", title="t",
                  link="https://a.example/", published=published, updated=updated,
                  related=tuple(Related(title=f"r{i}", url=f"https://a.example/{i}",
                                        published=when, provider=None)
                                for i, when in enumerate(related_dates)))
    blob = cache.encode(entry)
    back = cache.decode(blob)
    assert back == entry and cache.encode(back) == blob
    pairs = [(back.published, published), (back.updated, updated)]
    pairs += [(r.published, when) for r, when in zip(back.related, related_dates, strict=True)]
    for got, expected in pairs:  # equal is not enough: the same zone, naive stays naive
        assert repr(got) == repr(expected)


def test_a_stored_date_that_is_not_one_is_damage():
    entry = Entry(id="urn:x", canonical_url="https://a.example/", title="t",
                  link="https://a.example/", published=datetime(2021, 8, 24, tzinfo=timezone.utc),
                  updated=datetime(2021, 8, 24, tzinfo=timezone.utc))
    layout, *values = cache._entry_values(entry)
    values[cache._PUBLISHED] = b"\x07\xe5"
    with pytest.raises(cache.CacheError, match="damaged entry"):
        cache.decode(cache.pickle.dumps((layout, *values)))


def _objects(entry: Entry):
    yield entry
    yield from (x for x in (entry.provider,) if x is not None)
    yield from entry.topics
    yield from entry.images
    yield from entry.related


def test_normalized_entries_are_whole_dataclasses_with_every_field_in_order():
    from pathlib import Path

    from feedpub.normalize import normalize
    from feedpub.reader import read_seed_file

    repo = Path(__file__).resolve().parents[1]
    paths = sorted((repo / "seeds").iterdir())
    paths += sorted((repo / "benchmarks" / "fuzz-corpus" / "reader").rglob("*.md"))
    seen = 0
    for path in paths:
        record = read_seed_file(path)
        entry = None if isinstance(record, Problem) else normalize(record).entry
        for made in _objects(entry) if entry is not None else ():
            names = [field.name for field in dataclasses.fields(made)]
            assert list(vars(made)) == names
            assert made == type(made)(**vars(made))
            seen += 1
    assert seen > 100


@MANY
@given(st.one_of(
    st.text(max_size=20),
    st.text(alphabet="a &;\t\n\x0b\x1c\x85\xa0\xad\u2028\u200b\u3000\ud800\ufdd0\uffff\U0001f600",
            max_size=8),
))
@example("a b")
@example(" a")
@example("a  b")
@example("\u00a0")
def test_the_printable_check_for_clean_lines_agrees_with_the_pattern(value):
    assert text._is_clean_line(value) == (text._CLEAN_LINE.fullmatch(value) is not None)


def test_every_printable_character_but_space_and_ampersand_is_a_clean_line():
    odd = [c for c in map(chr, range(0x110000))
           if c.isprintable() and text._CLEAN_LINE.fullmatch(c) is None]
    assert odd == [" ", "&"]


@SOME
@given(st.text(alphabet="ab.-/?#@:\\ \t%", max_size=12))
def test_the_domain_check_refuses_what_it_refused_character_by_character(domain):
    from feedpub.normalize import _NOT_IN_HOST

    assert bool(_NOT_IN_HOST.search(domain)) == any(c in domain for c in "/?#@:\\ ")


@given(st.text(alphabet=st.sampled_from("aM.dkx~ ymltrn\u0130é"), max_size=12))
@example("a.MD")
@example("a.md")
@example(".a.md")
@example("md")
@example("a.md.bak")
@example("a.")
@example("x.Yaml")
def test_seed_names_are_told_as_splitext_would(name: str):
    plain = not name.startswith(".") and os.path.splitext(name)[1].lower() in SEED_SUFFIXES
    assert is_seed_name(name) == plain
