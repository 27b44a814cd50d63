"""Untrusted seed records: every malformed one is rejected as `path: field: reason`, never raised.

Each case goes through the real entry points (``parse_seed_bytes``/``read_seed_file``
and ``normalize``); accepted records are rendered in both formats and checked
with ``feedpub.validator``. The last tests run ``feedpub build`` on a folder of
good and bad records.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from conftest import seed_text
from hostile_support import (
    BASE,
    accepted,
    feeds,
    fields,
    notes,
    rejection,
    run,
    seed_bytes,
    utc,
)
from lxml import etree
from lxml import html as lxml_html

from feedpub.cli import main
from feedpub.config import ConfigError, load_site
from feedpub.problems import Problem
from feedpub.reader import Limits, _read_up_to, read_seed_bytes, read_seed_file
from feedpub.text import strip_xml_invalid
from feedpub.urls import MAX_URL_CHARS, clean_url

GOOD_FRONT = "title: Caf\u00e9 story\npublishedDateTime: 2021-08-24T19:00:00Z\nwebUrl: https://a.example/\n"


# --- files that are not seed records -----------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "field", "reason", "line"),
    [
        (b"", "file", "empty file", None),
        (b" \n\r\n\t\n", "file", "empty file", None),
        (b"title: x\n", "front matter", "no front matter", 1),
        (b"---\ntitle: x\nwebUrl: https://a.example/\n", "front matter", "unterminated", 1),
        (b"---\ntitle: [unclosed\n---\n", "front matter", "invalid YAML", 3),
        (b"---\ntitle: x\n  bad: indent\n---\n", "front matter", "invalid YAML", 3),
        (b"---\n- a\n- b\n---\n", "front matter", "expected a mapping of fields, got a list", 2),
        (b"---\njust a string\n---\n", "front matter", "got a string", 2),
        (b"---\n42\n---\n", "front matter", "got a number", 2),
        (b"---\n---\nbody only\n", "front matter", "got nothing", 2),
        (bytes(range(256)) * 8, "file", "NUL bytes", None),
        (bytes(range(1, 256)) * 8, "file", "not UTF-8", None),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "file", "NUL bytes", None),
        (b"---\ntitle: !!binary aGVsbG8=\n---\n", "title", "expected text, got binary data",
         None),
    ],
    ids=["empty", "blank", "no-front-matter", "unterminated", "invalid-yaml", "bad-indent",
         "top-level-list", "top-level-string", "top-level-number", "empty-front-matter",
         "binary", "binary-no-nul", "png", "binary-tag"],
)
def test_unusable_files_are_rejected_naming_the_problem(raw, field, reason, line):
    problem = rejection(run(raw))
    assert problem.path == "seeds/x.md"
    assert problem.field == field
    assert reason in problem.reason
    if line is not None:
        assert problem.line == line
    assert str(problem).startswith("seeds/x.md")
    assert f": {field}: " in str(problem)


def test_bom_and_crlf_line_endings_are_accepted():
    raw = codecs.BOM_UTF8 + (
        "---\r\n" + GOOD_FRONT.replace("\n", "\r\n") + "---\r\nThe body.\r\n\r\nSecond.\r\n"
    ).encode("utf-8")
    result = run(raw)
    entry = accepted(result)
    assert entry.title == "Caf\u00e9 story"
    assert entry.body == "<p>The body.</p><p>Second.</p>"
    assert notes(result) == {}
    # Old Mac line endings (CR only) too.
    assert accepted(run(raw.replace(b"\r\n", b"\r"))).title == "Caf\u00e9 story"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded_with_a_note(encoding):
    text = "---\n" + GOOD_FRONT + "---\n"
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = codecs.BOM_UTF16_BE + raw
    result = run(raw)
    assert accepted(result).title == "Caf\u00e9 story"
    assert "byte order mark" in notes(result)["file"]
    assert "save seed files as UTF-8" in notes(result)["file"]


def test_utf16_without_a_byte_order_mark_is_rejected_clearly():
    raw = ("---\n" + GOOD_FRONT + "---\n").encode("utf-16-le")
    problem = rejection(run(raw))
    assert problem.field == "file"
    assert "UTF-16 without a byte order mark" in problem.reason


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_legacy_encodings_are_rejected_with_line_and_byte_never_guessed(encoding):
    raw = ("---\n" + GOOD_FRONT + "---\n").encode(encoding)
    problem = rejection(run(raw))
    assert problem.field == "file"
    assert problem.line == 2
    assert "not UTF-8: invalid byte 0xe9" in problem.reason
    assert "no other encoding is guessed" in problem.reason


# --- required fields ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("overrides", "field", "reason"),
    [
        ({"title": ...}, "title", "missing"),
        ({"title": ""}, "title", "empty"),
        ({"title": "\x01\x02\x1f\x7f"}, "title", "empty after removing"),
        ({"title": "   "}, "title", "empty after removing"),
        ({"title": True}, "title", "expected text, got true/false"),
        ({"title": ["a", "b"]}, "title", "expected text, got a list"),
        ({"title": {"en": "x"}}, "title", "expected text, got a mapping"),
        ({"title": float("nan")}, "title", "not finite"),
        ({"publishedDateTime": ...}, "publishedDateTime", "missing"),
        ({"publishedDateTime": ""}, "publishedDateTime", "missing"),
        ({"publishedDateTime": "next tuesday"}, "publishedDateTime", "not a date"),
        ({"publishedDateTime": "2021-02-30T00:00:00Z"}, "publishedDateTime", "not a date"),
        ({"publishedDateTime": "2021-01-01T00:00:00+25:00"}, "publishedDateTime", "not a date"),
        ({"publishedDateTime": 20210824}, "publishedDateTime", "expected a date, got a number"),
        ({"publishedDateTime": 1.5}, "publishedDateTime", "expected a date, got a number"),
        ({"publishedDateTime": True}, "publishedDateTime", "got true/false"),
        ({"publishedDateTime": ["2021-08-24"]}, "publishedDateTime", "got a list"),
        ({"publishedDateTime": {"y": 2021}}, "publishedDateTime", "got a mapping"),
        ({"publishedDateTime": "0001-01-01T00:00:00Z"}, "publishedDateTime", "out of range"),
        ({"publishedDateTime": "1969-12-31T23:59:59Z"}, "publishedDateTime", "out of range"),
        ({"publishedDateTime": "9999-12-31T23:59:59Z"}, "publishedDateTime", "out of range"),
        ({"webUrl": ...}, "webUrl", "missing"),
        ({"webUrl": ""}, "webUrl", "no usable link: missing"),
        ({"webUrl": "javascript:alert(1)"}, "webUrl", "not an absolute http(s) URL"),
        ({"webUrl": "data:text/html,<script>alert(1)</script>"}, "webUrl", "not an absolute"),
        ({"webUrl": "/2021/08/story"}, "webUrl", "not an absolute http(s) URL"),
        ({"webUrl": "ftp://files.example/x"}, "webUrl", "not an absolute http(s) URL"),
        ({"webUrl": "https://bad host.example/"}, "webUrl", "not an absolute http(s) URL"),
        ({"webUrl": "https://a.example:99999/"}, "webUrl", "not an absolute http(s) URL"),
        ({"webUrl": "https://a.example\\@b.example/"}, "webUrl", "not an absolute http(s)"),
        ({"webUrl": 42}, "webUrl", "expected a URL, got a number"),
        ({"webUrl": ["https://a.example/"]}, "webUrl", "expected a URL, got a list"),
        ({"webUrl": "https://a.example/" + "x" * MAX_URL_CHARS}, "webUrl", "longer than"),
        ({"webUrl": ..., "originalUrl": "javascript:x"}, "originalUrl", "not an absolute"),
        ({"published": "yes"}, "published", "expected true or false"),
    ],
)
def test_a_record_missing_what_a_feed_needs_is_rejected_naming_the_field(overrides, field, reason):
    problem = rejection(run(fields(**overrides)))
    assert (problem.field, problem.path) == (field, "seeds/x.md")
    assert reason in problem.reason
    assert str(problem).startswith(f"seeds/x.md: {field}: ")


def test_unusable_original_url_is_noted_and_web_url_is_used():
    result = run(fields(originalUrl="javascript:alert(1)", ampWebUrl="data:text/html,x"))
    entry = accepted(result)
    assert entry.link == "https://news.example.com/story"
    assert "not an absolute http(s) URL" in notes(result)["originalUrl"]
    assert "ampWebUrl" in notes(result)
    assert entry.amp_url is None


# --- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-08-24T19:00:00Z", utc(2021, 8, 24, 19)),
        ("2021-08-24T19:00:00z", utc(2021, 8, 24, 19)),
        ("2021-08-24T19:00:00", utc(2021, 8, 24, 19)),  # no zone: read as UTC
        ("2021-08-24 19:00:00", utc(2021, 8, 24, 19)),
        ("2021-08-24t19:00:00.5+00:00", utc(2021, 8, 24, 19, 0, 0, 500000)),
        ("2021-08-24T19:00:00+05:30", utc(2021, 8, 24, 13, 30)),
        ("2021-08-24T19:00:00-07:00", utc(2021, 8, 25, 2)),
        ("Tue, 24 Aug 2021 19:00:00 GMT", utc(2021, 8, 24, 19)),
        ("Tue, 24 Aug 2021 19:00:00 +0200", utc(2021, 8, 24, 17)),
        ("24 Aug 2021 19:00:00", utc(2021, 8, 24, 19)),  # RFC 822 without a zone: UTC
        ("2021-08-24", utc(2021, 8, 24)),
    ],
)
def test_dates_in_iso_and_rfc822_forms_become_utc(value, expected):
    entry = accepted(run(fields(publishedDateTime=value)))
    assert entry.published == expected
    assert entry.published.utcoffset() == timedelta(0)
    rss = feedparser.parse(feeds(entry)["rss"])
    assert rss.entries[0].published_parsed[:6] == expected.timetuple()[:6]


@pytest.mark.parametrize(
    ("yaml_value", "expected"),
    [
        ("2021-08-24T19:00:00Z", utc(2021, 8, 24, 19)),
        ("2021-08-24 19:00:00", utc(2021, 8, 24, 19)),
        ("2021-08-24T19:00:00+05:30", utc(2021, 8, 24, 13, 30)),
        ("2021-08-24", utc(2021, 8, 24)),
    ],
)
def test_unquoted_yaml_timestamps_are_read_the_same_way(yaml_value, expected):
    raw = f"---\ntitle: t\npublishedDateTime: {yaml_value}\nwebUrl: https://a.example/\n---\n"
    assert accepted(run(raw.encode())).published == expected


@pytest.mark.parametrize(
    "yaml_value",
    ["2021-02-30T00:00:00Z", "2021-01-01T00:00:00+25:00", "2021-01-01 25:61:00", "0000-01-01"],
)
def test_unquoted_impossible_yaml_timestamps_are_rejected_on_their_field(yaml_value):
    raw = f"---\ntitle: t\npublishedDateTime: {yaml_value}\nwebUrl: https://a.example/\n---\n"
    problem = rejection(run(raw.encode()))
    assert problem.field == "publishedDateTime"
    assert yaml_value in problem.reason


# --- text that would break XML -----------------------------------------------------------------

def test_control_characters_are_removed_from_every_text_field():
    nasty = "A\x00B\x08C\x0bD\x0cE\x1fF\x7fG\ufffeH\uffff"
    entry = accepted(run(fields(
        title=nasty, excerpt=nasty, category=nasty, type=nasty, topics=[nasty],
        provider={"name": nasty}, images=[{"url": "https://a.example/i.jpg", "title": nasty}],
        related=[{"title": nasty, "webUrl": "https://b.example/r", "provider": {"name": nasty}}],
    )))
    assert entry.title == "ABCDEFGH"
    for text in (entry.summary, entry.category, entry.type, entry.topics[0].label,
                 entry.provider.name, entry.images[0].title, entry.related[0].title):
        assert text == strip_xml_invalid(text)
        assert "ABCDEFGH" in text
    out = feeds(entry)
    etree.fromstring(out["rss"])
    etree.fromstring(out["atom"])
    assert "\\u0000" not in out["json"].decode() and "\\u001f" not in out["json"].decode()


@pytest.mark.parametrize("reference", ["&#8;", "&#8", "&#x1b;", "&#X1F;", "&#0;", "&#xD800;",
                                       "&#x7f;", "&#1114112;", "&#xFFFE;"])
def test_character_references_to_control_characters_in_html_are_removed(reference):
    # The sanitizer decodes references, so a raw control character would reach lxml.
    html = f"<p>a{reference}b</p>"
    entry = accepted(run(seed_bytes(fields(excerpt=html), body=html)))
    for text in (entry.summary, entry.body):
        assert text == strip_xml_invalid(text)
        assert text.startswith("<p>a") and text.endswith("b</p>")
    feeds(entry)


def test_yaml_escapes_for_control_characters_are_removed_too():
    raw = b'---\ntitle: "a\\0b\\x01c\\u0085d\\x1b"\npublishedDateTime: 2021-08-24T19:00:00Z\n' \
          b"webUrl: https://a.example/\n---\nbody \x1b[31m red\n"
    entry = accepted(run(raw))
    assert entry.title == "abc d"  # NEL (U+0085) is a line break: a space in a title
    assert "\x1b" not in (entry.body or "")
    feeds(entry)


def test_a_100_kb_title_is_cut_with_a_note_and_the_feeds_stay_valid():
    title = " ".join(["word"] * 20_000) + "X" * 20_000
    result = run(fields(title=title))
    entry = accepted(result)
    assert len(entry.title) <= 500
    assert entry.title.endswith("word…")
    assert "longer than 500 characters" in notes(result)["title"]
    out = feeds(entry)
    assert feedparser.parse(out["atom"]).entries[0].title == entry.title


def test_title_cap_is_a_limit():
    result = run(fields(title="x" * 50), Limits(max_title_chars=10))
    assert accepted(result).title == "x" * 9 + "…"
    assert "longer than 10" in notes(result)["title"]


def test_oversized_text_fields_are_cut_at_the_configured_limit():
    excerpt = "y" * 5_000
    result = run(fields(excerpt=excerpt), Limits(max_field_chars=1_000))
    entry = accepted(result)
    assert len(entry.summary) == 1_000
    assert "longer than 1000 characters; cut" in notes(result)["excerpt"]
    body = run(seed_bytes(fields()) + b"z" * 5_000, Limits(max_field_chars=1_000))
    assert len(accepted(body).body) == 1_000
    assert "body" in notes(body)


def test_numbers_as_titles_are_read_as_text():
    raw = b"---\ntitle: 1984\npublishedDateTime: 2021-08-24T19:00:00Z\nwebUrl: https://a.example/\n---\n"
    assert accepted(run(raw)).title == "1984"
    assert accepted(run(fields(title=3.5))).title == "3.5"


def test_unicode_titles_survive_and_stay_valid():
    title = "Ünïcödé 😀 中文 \u202e right-to-left \u2028 line separator"
    entry = accepted(run(fields(title=title)))
    assert "😀 中文" in entry.title
    out = feeds(entry)
    assert "😀 中文" in feedparser.parse(out["rss"]).entries[0].title


# --- HTML sanitizing ---------------------------------------------------------------------------

HOSTILE_HTML = [
    "<script>alert(1)</script>Hello",
    '<img src="x.png" onerror="alert(1)">Hello',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">Hello</p>',
    '<a href="javascript:alert(1)">Hello</a>',
    '<a href="JaVaScRiPt:alert(1)">Hello</a>',
    '<a href="  javascript:alert(1)">Hello</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">Hello</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">Hello',
    '<iframe src="https://evil.example/"></iframe>Hello',
    '<svg><script>alert(1)</script></svg>Hello',
    '<style>body{display:none}</style>Hello',
    '<object data="x.swf"></object><embed src="x.swf">Hello',
    '<form action="https://evil.example/"><input name="p"></form>Hello',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">Hello',
    '<base href="https://evil.example/">Hello',
    "<scr<script>ipt>alert(1)</script>Hello",
    '<div onmouseover="alert(1)">Hello</div>',
    "<!-- <script>alert(1)</script> -->Hello",
    '<a href="vbscript:msgbox(1)">Hello</a>',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>Hello',
]
_ACTIVE = re.compile(
    r"<script|<iframe|<object|<embed|<style|<svg|<form|<meta|<base|<math|\son\w+\s*=|"
    r"style\s*=|javascript:|vbscript:|data:",
    re.IGNORECASE,
)


@pytest.mark.parametrize("html", HOSTILE_HTML)
def test_html_in_excerpts_and_bodies_is_sanitized_in_every_format(html):
    result = run(seed_bytes(fields(excerpt=html), body=html))
    entry = accepted(result)
    for text in (entry.summary, entry.body or ""):
        assert not _ACTIVE.search(text), text
    out = feeds(entry)
    if "json" in out:
        item = json.loads(out["json"])["items"][0]
        assert not _ACTIVE.search(item.get("content_html", "") + item.get("summary", ""))
    for name in ("rss", "atom"):
        data = out[name]
        root = etree.fromstring(data)
        # Every piece of HTML the feed carries, once unescaped, is free of active content.
        for node in root.iter():
            for text in (node.text, *node.attrib.values()):
                if text and ("<" in text or ":" in text):
                    assert not _ACTIVE.search(text.replace(BASE, "")), (name, text)
        entries = feedparser.parse(data).entries
        assert len(entries) == 1
        if "Hello" in entry.summary:
            assert "Hello" in entries[0].summary


def test_relative_links_in_html_are_made_absolute_against_the_story():
    entry = accepted(run(fields(excerpt='See <a href="/more">more</a> and <img src="pic.jpg">')))
    assert 'href="https://news.example.com/more"' in entry.summary
    assert 'src="https://news.example.com/pic.jpg"' in entry.summary


@pytest.mark.parametrize(
    ("text", "summary"),
    [
        ("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d"),
        ("x <script", "x &lt;script"),
        ("1 <b and 2", "1 &lt;b and 2"),
        ("]]> <![CDATA[ x ]]>", "]]&gt; &lt;![CDATA[ x ]]&gt;"),
        ("Tom &amp; Jerry", "Tom &amp; Jerry"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ],
)
def test_plain_text_is_escaped_not_interpreted(text, summary):
    entry = accepted(run(fields(excerpt=text)))
    assert entry.summary == summary
    feeds(entry)


# --- lists, images, topics: wrong types drop the value with a note -----------------------------

def test_a_string_where_topics_belong_is_one_topic():
    entry = accepted(run(fields(topics="AI")))
    assert [t.label for t in entry.topics] == ["AI"]


def test_a_string_where_images_belong_is_one_image():
    entry = accepted(run(fields(images="https://img.example/a.jpg")))
    assert [i.url for i in entry.images] == ["https://img.example/a.jpg"]
    assert entry.images[0].mime_type == "image/jpeg"
    feeds(entry)


@pytest.mark.parametrize(
    ("image", "field", "reason"),
    [
        ({"url": "https://img.example/a.jpg", "width": -5}, "images[0].width", "positive whole"),
        ({"url": "https://img.example/a.jpg", "height": "big"}, "images[0].height", "'big'"),
        ({"url": "https://img.example/a.jpg", "width": 1.5}, "images[0].width", "1.5"),
        ({"url": "https://img.example/a.jpg", "width": True}, "images[0].width", "True"),
        ({"url": "https://img.example/a.jpg", "width": 0}, "images[0].width", "positive whole"),
    ],
)
def test_unusable_image_sizes_are_dropped_with_a_note(image, field, reason):
    result = run(fields(images=[image]))
    entry = accepted(result)
    assert entry.images[0].url == "https://img.example/a.jpg"
    assert reason in notes(result)[field]
    feeds(entry)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:image/png;base64,iVBORw0KGgo=", "/assets/a.jpg", "", 5, None,
     ["https://img.example/a.jpg"], "https://bad host/a.jpg"],
)
def test_an_unusable_image_is_dropped_with_a_note_and_the_record_kept(url):
    result = run(fields(images=[{"url": url}, {"url": "https://img.example/ok.png"}]))
    entry = accepted(result)
    assert [i.url for i in entry.images] == ["https://img.example/ok.png"]
    assert "image dropped" in notes(result)["images[0].url"]
    feeds(entry)


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [
        ("topics", 5, "topics"),
        ("topics", {"a": 1}, "topics"),
        ("topics", [["nested"]], "topics[0]"),
        ("topics", [{"a": 1}], "topics[0]"),
        ("topics", [True], "topics[0]"),
        ("topics", ["\x01\x02"], "topics[0]"),
        ("images", 5, "images"),
        ("images", [5], "images[0]"),
        ("related", "x", "related"),
        ("related", [5], "related[0]"),
        ("related", [{"title": "t", "webUrl": "javascript:x"}], "related[0]"),
        ("provider", ["a"], "provider"),
        ("provider", {"name": ["x"]}, "provider.name"),
        ("provider", {"name": "n", "domain": "bad host/../<x>"}, "provider.domain"),
        ("excerpt", ["a"], "excerpt"),
        ("excerpt", {"a": 1}, "excerpt"),
        ("category", ["a"], "category"),
        ("type", {"a": 1}, "type"),
        ("quality", "high", "quality"),
        ("heat", 1.5, "heat"),
    ],
)
def test_wrong_types_in_optional_fields_drop_the_value_with_a_note(name, value, field):
    result = run(fields(**{name: value}))
    entry = accepted(result)
    assert field in notes(result), result.problems
    assert all(p.path == "seeds/x.md" for p in result.problems)
    feeds(entry)


def test_very_many_topics_images_and_related_are_capped_with_a_note():
    result = run(fields(
        topics=[f"topic {i}" for i in range(5_000)],
        images=[f"https://img.example/{i}.jpg" for i in range(500)],
        related=[{"title": f"r{i}", "webUrl": f"https://r.example/{i}"} for i in range(500)],
    ))
    entry = accepted(result)
    assert len(entry.topics) == 50
    assert len(entry.images) == 20
    assert len(entry.related) == 50
    assert notes(result)["topics"] == "5000 given; only the first 50 are kept"
    assert "500 given" in notes(result)["images"]
    assert "500 given" in notes(result)["related"]


@pytest.mark.parametrize("label", ["x" * 5_000, "\U00020000" * 60])
def test_topic_names_too_long_for_a_file_name_are_ignored_with_a_note(label):
    result = run(fields(topics=[label, "AI"]))
    entry = accepted(result)
    assert [t.label for t in entry.topics] == ["AI"]
    assert "not a topic name" in notes(result)["topics[0]"]


def test_unknown_fields_are_ignored_silently():
    result = run(fields(foo="bar", nested={"a": [1, 2, {"b": None}]}, **{"42": 1}))
    accepted(result)
    assert result.problems == ()
    raw = seed_bytes(fields()).replace(b"---\n", b"---\n1: one\n2021-01-01: date key\n", 1)
    assert accepted(run(raw))


# --- YAML attacks ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:os.system ['touch {marker}']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    ],
)
def test_python_object_tags_never_run(tmp_path, tag):
    marker = tmp_path / "pwned"
    raw = f"---\ntitle: {tag.format(marker=marker)}\n---\n".encode()
    problem = rejection(run(raw))
    assert problem.field == "front matter"
    assert "could not determine a constructor" in problem.reason
    assert problem.line == 2
    assert not marker.exists()


@pytest.mark.parametrize(
    "value",
    ["!!float x", "!!int 0x_", "!!bool maybe", "!!int ''", "!!timestamp x", "1" * 5_000,
     "!!binary '*'", "!!omap [a]", "!!set [a]", "{<<: 5}", "{[a]: b}"],
)
def test_values_pyyaml_cannot_build_are_reported_never_raised(value):
    raw = f"---\ntitle: ok\nquality: {value}\npublishedDateTime: 2021-08-24T19:00:00Z\n" \
          "webUrl: https://a.example/\n---\n"
    result = run(raw.encode())
    # Either the front matter is refused (with its line) or the value ends up noted.
    if result.entry is None:
        problem = rejection(result)
        assert (problem.field, problem.line) == ("front matter", 3)
    else:
        assert "quality" in notes(result)


BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
title: *i
published: *i
topics: *i
publishedDateTime: 2021-08-24T19:00:00Z
webUrl: https://a.example/
---
"""


def test_billion_laughs_alias_expansion_is_refused():
    problem = rejection(run(BILLION_LAUGHS.encode()))
    assert problem.field == "front matter"
    assert "expands to more than 50000 values" in problem.reason


def test_a_few_aliases_are_fine():
    raw = b"---\nt: &t Shared title\ntitle: *t\npublishedDateTime: 2021-08-24T19:00:00Z\n" \
          b"webUrl: https://a.example/\ntopics: [*t, AI]\n---\n"
    entry = accepted(run(raw))
    assert entry.title == "Shared title"
    assert [t.label for t in entry.topics] == ["Shared title", "AI"]


def test_a_self_referencing_alias_is_refused_not_looped_forever():
    raw = b"---\ntopics: &a [*a]\ntitle: t\n---\n"
    problem = rejection(run(raw))
    assert "expands to more than" in problem.reason


@pytest.mark.parametrize(
    "front",
    ["title: " + "[" * 100_000 + "]" * 100_000,
     "title: " + "{a: " * 5_000 + "b" + "}" * 5_000,
     "title:\n" + "".join("  " * i + "- \n" for i in range(200)),
     "title:\n  " + "- " * 10_000 + "x"],
    ids=["flow-lists", "flow-maps", "block-lists", "compact-lists"],
)
def test_deep_nesting_is_refused_before_libyaml_can_crash(front):
    # Without the depth check, libyaml's recursive composer overflows the C
    # stack and kills the interpreter (a segmentation fault, not an exception).
    problem = rejection(run(f"---\n{front}\n---\n".encode()))
    assert problem.field == "front matter"
    assert "nested more than 64 levels deep" in problem.reason


@pytest.mark.parametrize(
    "extra",
    ["topics: [" + "a, " * 60_000 + "]\n", "topics:\n" + "- a\n" * 60_000,
     "".join(f"k{i}: v\n" for i in range(60_000))],
    ids=["flow-list", "block-list", "many-keys"],
)
def test_front_matter_with_too_many_values_is_refused_before_it_is_built(extra):
    raw = seed_bytes(fields())[:-4] + extra.encode() + b"---\n"
    problem = rejection(run(raw))
    assert problem.field == "front matter"
    assert "more than 50000 values (limits.max_nodes); refused" in problem.reason
    assert problem.line is not None


def test_nesting_depth_is_a_limit():
    raw = seed_bytes(fields(extra=[[[["deep"]]]]))
    assert accepted(run(raw))
    problem = rejection(run(raw, Limits(max_depth=3)))
    assert "nested more than 3 levels" in problem.reason


def test_duplicate_keys_keep_the_last_value_with_a_note():
    raw = b"---\ntitle: first\ntitle: second\npublishedDateTime: 2021-08-24T19:00:00Z\n" \
          b"webUrl: https://a.example/\nbase: &b {x: 1}\nprovider: {<<: *b, name: n, x: 2}\n---\n"
    result = run(raw)
    assert accepted(result).title == "second"
    # A key that overrides a merged one (<<) is not a duplicate.
    assert [str(p) for p in result.problems] == [
        "seeds/x.md:3: title: given twice (lines 2 and 3); the last one is used"
    ]



@pytest.mark.parametrize("anchored", [False, True], ids=["plain-front-matter", "pyyaml-path"])
def test_keys_given_twice_are_noted_in_file_order_whichever_way_the_file_is_read(anchored):
    # An anchor sends the front matter through PyYAML's full loader, which meets the outer
    # mapping's keys before the inner ones: the notes must still follow the file.
    inner = "provider: &p {name: n, name: m}\nalias: *p\n" if anchored else \
        "provider: {name: n, name: m}\n"
    raw = ("---\ntitle: first\n" + inner + "title: second\n"
           "publishedDateTime: 2021-08-24T19:00:00Z\nwebUrl: https://a.example/\n---\n").encode()
    result = run(raw)
    assert accepted(result).title == "second"
    last = 5 if anchored else 4
    assert [str(p) for p in result.problems] == [
        "seeds/x.md:3: name: given twice (lines 3 and 3); the last one is used",
        f"seeds/x.md:{last}: title: given twice (lines 2 and {last}); the last one is used",
    ]

# --- files on disk -----------------------------------------------------------------------------

def test_a_50_mb_file_is_refused_from_its_size_without_reading_it(tmp_path):
    path = tmp_path / "huge.md"
    with open(path, "wb") as handle:
        handle.write(b"---\ntitle: x\n")
        handle.truncate(50 * 2**20)  # sparse: costs no disk
    problem = read_seed_file(path)
    assert isinstance(problem, Problem)
    assert problem.field == "file"
    assert f"{50 * 2**20} bytes, larger than the 1048576-byte limit" in problem.reason


def test_the_file_size_limit_is_configurable(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(seed_bytes(fields()))
    assert not isinstance(read_seed_file(path), Problem)
    problem = read_seed_file(path, Limits(max_file_bytes=50))
    assert isinstance(problem, Problem)
    assert "larger than the 50-byte limit" in problem.reason


def test_a_file_that_grows_after_its_size_was_taken_is_read_to_its_end_or_the_limit(tmp_path):
    path = tmp_path / "growing.md"
    data = bytes(range(256)) * 1000  # 256 000 bytes; the stat said 10
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert _read_up_to(fd, 1_000_000, 10) == data
        os.lseek(fd, 0, os.SEEK_SET)
        assert _read_up_to(fd, 100_001, 10) == data[:100_001]  # one byte past the limit
        os.lseek(fd, 0, os.SEEK_SET)
        assert _read_up_to(fd, 1_000_000, len(data)) == data
    finally:
        os.close(fd)
    assert read_seed_bytes(path) == data
    assert read_seed_bytes(tmp_path / "empty.md") != b""  # missing: a problem
    (tmp_path / "empty.md").write_bytes(b"")
    assert read_seed_bytes(tmp_path / "empty.md") == b""
    too_large = read_seed_bytes(path, Limits(max_file_bytes=1000))
    assert isinstance(too_large, Problem) and "256000 bytes" in too_large.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_named_pipe_among_the_seeds_is_skipped_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    problem = read_seed_file(fifo)
    assert isinstance(problem, Problem)
    assert (problem.field, problem.reason) == ("file", "not a regular file; skipped")


def test_a_dangling_symlink_is_reported(tmp_path):
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "missing.md")
    problem = read_seed_file(link)
    assert isinstance(problem, Problem)
    assert problem.reason.startswith("cannot read: ")


# --- URLs --------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://Example.COM:443/a b?q=ä#f", "https://example.com/a%20b?q=%C3%A4#f"),
        ("https://exämple.org/ü", "https://xn--exmple-cua.org/%C3%BC"),
        ("https://user:secret@a.example/", "https://a.example/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("https://a.example/a&#038;b", "https://a.example/a&b"),
        ("https://a_b.example/", "https://a_b.example/"),
        ("https://bad host/", None),
        ("https://a%20b.example/", None),
        ("https://-a.example/", None),
        ("https://[::1/", None),
        ("https://a.example\\@b.example/", None),
        ("https://a.example/\nx", None),
        ("javascript://a.example/%0aalert(1)", None),
        ("https://a.example/" + "x" * MAX_URL_CHARS, None),
    ],
)
def test_clean_url_keeps_only_absolute_http_urls_a_uri_can_carry(raw, clean):
    assert clean_url(raw) == clean


# --- feedpub build on a folder of bad and good records -----------------------------------------

BAD_RECORDS: dict[str, tuple[bytes, str, str]] = {
    "empty.md": (b"", "file", "empty file"),
    "no-front.md": (b"# Just markdown\n", "front matter", "no front matter"),
    "unterminated.md": (b"---\ntitle: x\n", "front matter", "unterminated"),
    "invalid.md": (b"---\ntitle: [\n---\n", "front matter", "invalid YAML"),
    "list.md": (b"---\n- a\n---\n", "front matter", "got a list"),
    "latin1.md": ("---\ntitle: caf\xe9\n---\n".encode("latin-1"), "file", "not UTF-8"),
    "binary.md": (bytes(range(256)), "file", "NUL bytes"),
    "pytag.md": (b"---\ntitle: !!python/object/apply:os.system [ls]\n---\n", "front matter",
                 "could not determine a constructor"),
    "laughs.md": (BILLION_LAUGHS.encode(), "front matter", "expands to more than"),
    "deep.md": (b"---\ntitle: " + b"[" * 50_000 + b"\n---\n", "front matter", "nested more"),
    "no-title.md": (seed_bytes(fields(title=...)), "title", "missing"),
    "list-title.md": (seed_bytes(fields(title=["a"])), "title", "expected text, got a list"),
    "bad-date.md": (seed_bytes(fields(publishedDateTime="soon")), "publishedDateTime",
                    "not a date"),
    "no-url.md": (seed_bytes(fields(webUrl=...)), "webUrl", "missing"),
    "js-url.md": (seed_bytes(fields(webUrl="javascript:alert(1)")), "webUrl", "no usable link"),
    "published-str.md": (seed_bytes(fields(published="no")), "published", "true or false"),
}


def _good_records(folder: Path) -> dict[str, str]:
    titles = {}
    for n in range(3):
        title = f"Good story {n} <b>&amp;</b> é"  # entities decoded, tags kept as text
        (folder / f"good-{n}.md").write_text(seed_text(fields(
            title=title, webUrl=f"https://news.example.com/{n}",
            publishedDateTime=f"2021-08-2{n}T10:00:00Z", topics=["AI", "Robots"],
            excerpt=f"<script>alert({n})</script><p onclick='x'>Story {n}</p>",
            images=[{"url": f"https://img.example/{n}.jpg", "width": -5}],
            secured=f"SECRET-{n}-do-not-publish",
        )), encoding="utf-8")
        titles[f"good-{n}.md"] = f"Good story {n} <b>&</b> é"
    # A UTF-16 record (with BOM) and a BOM+CRLF one are good records too.
    (folder / "utf16.md").write_bytes(seed_text(fields(
        title="UTF-16 story", webUrl="https://news.example.com/u16")).encode("utf-16"))
    titles["utf16.md"] = "UTF-16 story"
    (folder / "crlf.md").write_bytes(codecs.BOM_UTF8 + seed_text(fields(
        title="CRLF story", webUrl="https://news.example.com/crlf")).replace(
        "\n", "\r\n").encode())
    titles["crlf.md"] = "CRLF story"
    return titles


def test_build_publishes_every_good_record_and_reports_each_bad_one(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, (raw, _, _) in BAD_RECORDS.items():
        (seeds / name).write_bytes(raw)
    good = _good_records(seeds)
    out = tmp_path / "out"
    config = tmp_path / "feedpub.yaml"
    config.write_text("title: Hostile\n")
    args = ["build", str(seeds), "--out", str(out), "--base-url", BASE, "--config", str(config)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]
    assert len(rejected) == len(BAD_RECORDS)
    for name, (_, field, reason) in BAD_RECORDS.items():
        line = next(r for r in rejected if r.startswith(f"rejected: {seeds / name}"))
        assert re.match(rf"rejected: {re.escape(str(seeds / name))}(:\d+)?: {field}: ", line), line
        assert reason in line, line
    assert f"{len(good) + len(BAD_RECORDS)} read, {len(good)} published" in result.stdout
    assert f"{len(BAD_RECORDS)} rejected" in result.stdout
    notes_ = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert any("utf16.md: file: decoded as UTF-16" in line for line in notes_)
    assert any("good-0.md: images[0].width:" in line for line in notes_)

    for name in ("all.rss", "all.atom", "topics/ai.rss", "topics/robots.atom"):
        data = (out / name).read_bytes()
        parsed_feed = feedparser.parse(data)
        assert not parsed_feed.bozo, (name, parsed_feed.bozo_exception)
        titles = {e.title for e in parsed_feed.entries}
        expected = set(good.values()) if name.startswith("all") else {
            t for n, t in good.items() if n.startswith("good")}
        assert titles == expected, name
        text = data.decode("utf-8")
        assert "Good story 0 &lt;b&gt;&amp;&lt;/b&gt; é" in text  # escaped, not markup
        assert "SECRET-" not in text and "secured" not in text
        assert not _ACTIVE.search(text.replace("xmlns:", "")), name

    strict = CliRunner().invoke(main, [*args, "--strict", "-q"])
    assert strict.exit_code == 1


def test_build_limits_come_from_feedpub_yaml_and_flags(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "small.md").write_bytes(seed_bytes(fields(webUrl="https://a.example/small")))
    (seeds / "big.md").write_bytes(seed_bytes(fields(webUrl="https://a.example/big"), "b" * 900))
    config = tmp_path / "feedpub.yaml"
    config.write_text("title: Limits\nlimits:\n  max_file_bytes: 500\n  max_field_chars: 50\n")
    args = ["build", str(seeds), "--out", str(tmp_path / "out"), "--config", str(config)]

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "big.md: file: 1" in result.stderr and "larger than the 500-byte limit" in result.stderr
    assert "1 published" in result.stdout

    result = CliRunner().invoke(main, [*args, "--max-file-bytes", "5000"])
    assert "2 published" in result.stdout
    assert "big.md: body: longer than 50 characters; cut" in result.stderr

    result = CliRunner().invoke(main, [*args, "--max-file-bytes", "5000",
                                       "--max-field-chars", "2000"])
    assert "2 published" in result.stdout
    # Only the cache may note something here (new limits empty it); no record is cut.
    assert [line for line in result.stderr.splitlines()
            if line.startswith("note:") and "cache" not in line] == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("limits: 5\n", "limits: expected a mapping of limits"),
        ("limits:\n  max_bytes: 5\n", "unknown limit 'max_bytes'"),
        ("limits:\n  max_file_bytes: 0\n", "max_file_bytes: expected a whole number"),
        ("limits:\n  max_depth: yes\n", "max_depth: expected a whole number"),
    ],
)
def test_bad_limits_in_feedpub_yaml_are_usage_errors(tmp_path, config, message):
    path = tmp_path / "feedpub.yaml"
    path.write_text(config)
    site = load_site(path)
    assert isinstance(site, ConfigError)
    assert message in str(site)
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--config", str(path)])
    assert result.exit_code == 2
    assert message in result.output


def test_limits_from_feedpub_yaml_reach_the_site():
    site = load_site(None, {"limits": {"max_file_bytes": 10, "max_field_chars": None}})
    assert not isinstance(site, ConfigError)
    assert site.limits == Limits(max_file_bytes=10)


# --- secured blobs -----------------------------------------------------------------------------

def _secured_blobs(folder: Path) -> list[str]:
    blobs = []
    for path in sorted(folder.iterdir()):
        front = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        data = yaml.safe_load(front.removeprefix("---\n"))
        if isinstance(data, dict) and data.get("secured"):
            blobs.append(str(data["secured"]))
    return blobs


def test_secured_never_appears_in_any_output_of_the_shared_corpus(tmp_path, shared_corpus):
    blobs = _secured_blobs(shared_corpus)
    assert len(blobs) > 100
    out = tmp_path / "out"
    config = tmp_path / "feedpub.yaml"
    config.write_text("title: Everyday AI\n")
    result = CliRunner().invoke(
        main, ["build", str(shared_corpus), "--out", str(out), "--base-url", BASE,
               "--config", str(config), "--include-unpublished", "-q"],
    )
    assert result.exit_code == 0, result.output
    # Every published file (the hidden cache and lock are not published).
    files = sorted(p for p in out.rglob("*.*") if not p.name.startswith("."))
    assert len(files) > 20
    pieces = {piece for blob in blobs for piece in blob.split(";") if len(piece) >= 16}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "secured" not in text, path
        for piece in pieces:
            assert piece not in text, (path, piece[:20])


# --- every output format -----------------------------------------------------------------------

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'><svg onload=alert(3)>'
_HTML_CARRIERS = {"description", "encoded", "summary", "content"}
_DANGEROUS_TAGS = {"script", "svg", "iframe", "object", "embed", "style", "math", "form",
                   "base", "meta", "link"}


def _assert_inert_html(fragment: str, where: str) -> None:
    """Parsed as a browser would, the HTML has no active element, handler, style or bad URL."""
    if not fragment.strip():
        return
    tree = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag.lower() not in _DANGEROUS_TAGS, (where, el.tag)
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on") and name.lower() != "style", (where, name)
            if name.lower() in ("href", "src"):
                assert value.startswith(("https://", "http://", "mailto:")), (where, value)


def test_hostile_text_is_inert_in_every_output_format(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "evil.md").write_bytes(seed_bytes(fields(
        title="T " + EVIL, excerpt=EVIL, topics=[EVIL, "AI"], category=EVIL,
        provider={"name": EVIL, "domain": "evil.example"},
        images=[{"url": 'https://img.example/a.jpg?x="><script>', "title": EVIL}],
        related=[{"title": EVIL, "webUrl": 'https://r.example/"><script>',
                  "provider": {"name": EVIL}}],
    ), body=EVIL))
    config = tmp_path / "feedpub.yaml"
    config.write_text("title: Site\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(seeds), "--out", str(out), "--base-url", BASE,
                                       "--config", str(config), "-q"])
    assert result.exit_code == 0, result.output
    files = sorted(p for p in out.rglob("*") if p.is_file())
    suffixes = {p.suffix for p in files}
    assert {".rss", ".atom", ".json", ".html"} <= suffixes  # every default format
    for path in files:
        where = str(path.relative_to(out))
        if path.suffix in (".rss", ".atom", ".opml", ".xml"):
            root = etree.fromstring(path.read_bytes())
            for el in root.iter():
                local = etree.QName(el).localname if isinstance(el.tag, str) else ""
                if local in _HTML_CARRIERS and el.text and el.get("type") != "text":
                    _assert_inert_html(el.text, f"{where} <{local}>")
                assert not any(v.startswith("javascript:") for v in el.attrib.values())
        elif path.suffix == ".json":
            feed = json.loads(path.read_text(encoding="utf-8"))
            for item in feed["items"]:
                for key in ("content_html", "summary"):
                    if key == "content_html" or "<" in item.get(key, ""):
                        _assert_inert_html(item.get(key, ""), f"{where} {key}")
        elif path.suffix == ".html":
            page = lxml_html.document_fromstring(path.read_bytes())
            for el in page.iter():
                if not isinstance(el.tag, str):
                    continue
                assert el.tag.lower() not in {"script", "svg", "iframe", "object", "embed"}, where
                assert not any(n.lower().startswith("on") for n in el.attrib), where
                for name in ("href", "src"):
                    value = el.get(name)
                    assert value is None or not value.lower().startswith(
                        ("javascript:", "data:")), (where, value)
            if where == "index.html":  # the title is there, as text
                assert "T <script>alert(1)</script>" in page.text_content()


def test_file_names_cannot_inject_terminal_escapes_into_the_report(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    name = "evil\x1b]0;pwned\x07\x1b[2J\nrejected: fake.md\u202e.md"
    (seeds / name).write_bytes(b"")
    (seeds / "good.md").write_bytes(seed_bytes(fields(excerpt="Fine.")))
    config = tmp_path / "feedpub.yaml"
    config.write_text("title: Site\n")
    result = CliRunner().invoke(main, ["build", str(seeds), "--out", str(tmp_path / "out"),
                                       "--config", str(config)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]
    assert lines == [f"rejected: {seeds}/evil\\x1b]0;pwned\\x07\\x1b[2J\\nrejected: fake.md"
                     "\\u202e.md: file: empty file"]
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr
