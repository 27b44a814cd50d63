"""Property tests: whatever a seed record holds, the result is valid feeds or a clear rejection.

Hypothesis maps the seed schema's keys to arbitrary YAML values (text with
control characters, numbers, dates, nested lists and mappings, hostile URLs
and HTML), writes them as a seed file, and runs the real reader, normalizer,
renderers and validator. Runs are derandomized so CI is repeatable; the
random exploration lives in ``benchmarks/fuzz_reader.py``.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import yaml
from hostile_support import GOOD, feeds, run, seed_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.normalize import Normalized
from feedpub.text import clean_line, strip_xml_invalid, text_to_html
from feedpub.urls import canonical_url, clean_url
from feedpub.validator.urls import full_uri_problem

FAST = settings(
    max_examples=300, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: Every key the seed schema knows (the real corpus's keys).
SCHEMA_KEYS = (
    "title", "excerpt", "publishedDateTime", "originalUrl", "webUrl", "ampWebUrl",
    "cdnAmpWebUrl", "category", "type", "quality", "heat", "published", "provider",
    "topics", "images", "related", "secured",
)
#: Where a rejection may point: a schema key, or the file / front matter as a whole.
REJECTION_FIELDS = {*SCHEMA_KEYS, "file", "front matter"}

URLS = st.sampled_from([
    "https://news.example.com/a", "http://a.example/p?q=1&utm_source=x#frag",
    "https://exämple.org/ü path", "javascript:alert(1)", "JAVASCRIPT:alert(1)",
    "data:text/html,<script>alert(1)</script>", "/relative/path", "//proto.example/x",
    "https://bad host/", "https://a.example:99999/", "https://[::1]/", "mailto:a@b.example",
    "https://a.example\\@b.example/", "https://a.example/&#038;x", "ftp://a.example/", "",
    "https://" + "x" * 300 + ".example/", "http://127.0.0.1:8080/x",
])
DATES = st.sampled_from([
    "2021-08-24T19:00:00Z", "2021-08-24T19:00:00", "2021-08-24T19:00:00+05:30",
    "Tue, 24 Aug 2021 19:00:00 GMT", "2021-08-24", "2021-02-30T00:00:00Z", "yesterday",
    "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "24/08/2021",
])
HTML = st.sampled_from([
    "<script>alert(1)</script>x", '<img src=x onerror="alert(1)">', '<a href="javascript:x">y</a>',
    '<p style="color:red" onclick="x">z</p>', "a < b & c", "<b>bold</b> &amp; &bogus; &#0;",
    "]]>", "<!-- c -->", "<svg onload=alert(1)>", '<a href="/rel">r</a>', "\x00\x01\x1b\ufffe",
    "<i>&#8;&#x1b;&#0;&#xFFFE;&#x85;</i>", "<b>&#8</b>",
])
TEXT = st.text(max_size=80)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), TEXT, URLS, DATES, HTML,
    st.dates(), st.datetimes(timezones=st.none() | st.just(timezone.utc)),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["url", "name", "domain", "title", "webUrl",
                                       "width", "height", "images", "provider",
                                       "publishedDateTime"]) | TEXT, children, max_size=4),
    max_leaves=12,
)
#: A record: a good one with some keys replaced by anything, or any keys at all.
RECORDS = st.one_of(
    st.dictionaries(st.sampled_from(SCHEMA_KEYS), VALUES, max_size=len(SCHEMA_KEYS)).map(
        lambda extra: {**GOOD, **extra}
    ),
    st.dictionaries(st.sampled_from(SCHEMA_KEYS), VALUES, max_size=len(SCHEMA_KEYS)),
)


def _check_outcome(result: Normalized) -> None:
    """An entry whose feeds validate, or exactly one fatal problem naming a known field."""
    fatal = [p for p in result.problems if p.fatal]
    if result.entry is None:
        assert len(fatal) == 1, result.problems
        problem = fatal[0]
        assert problem.field in REJECTION_FIELDS, problem
        assert problem.reason and "Traceback" not in problem.reason
        assert str(problem).startswith(f"{problem.path}")
        return
    assert not fatal, result.problems
    entry = result.entry
    assert entry.title and entry.title == clean_line(entry.title)
    assert entry.link == clean_url(entry.link)
    assert entry.published.tzinfo is not None and entry.published.utcoffset() == timedelta(0)
    for problem in result.problems:
        assert problem.field.split("[")[0].split(".")[0] in REJECTION_FIELDS | {"body"}, problem
    for data in feeds(entry).values():  # asserts feedpub.validator finds no error
        assert b"secured" not in data


@FAST
@given(RECORDS, st.one_of(st.none(), TEXT, HTML))
def test_any_mapping_of_schema_keys_becomes_valid_feeds_or_a_clear_rejection(record, body):
    _check_outcome(run(seed_bytes(record, body)))


@FAST
@given(st.dictionaries(st.sampled_from(SCHEMA_KEYS), VALUES, min_size=1))
def test_flow_style_yaml_with_anchors_is_handled_too(record):
    # The same values written as one flow mapping with every repeated node aliased.
    front = yaml.safe_dump({**GOOD, **record}, default_flow_style=True, allow_unicode=False)
    _check_outcome(run(f"---\n{front}---\n".encode()))


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes_after_a_front_matter_line_never_raise(raw):
    for data in (b"---\n" + raw, b"---\n" + raw + b"\n---\n", raw):
        _check_outcome(run(data))


@FAST
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_arbitrary_front_matter_text_never_raises(text):
    _check_outcome(run(f"---\n{text}\n---\n".encode("utf-8", "surrogatepass")))


@FAST
@given(st.one_of(TEXT, URLS, st.from_regex(r"https?://[a-zA-Z0-9.\[\]:@%/?#&=_~ -]{0,40}")))
def test_clean_url_is_an_absolute_http_uri_or_none_and_idempotent(value):
    url = clean_url(value)
    if url is None:
        return
    assert url.startswith(("http://", "https://"))
    assert full_uri_problem(url, iri=False) is None, url
    assert clean_url(url) == url
    assert clean_url(canonical_url(url)) == canonical_url(url)


@FAST
@given(st.one_of(TEXT, HTML, st.lists(st.one_of(TEXT, HTML), max_size=5).map("".join)))
def test_text_to_html_output_is_safe_and_xml_clean(value):
    out = text_to_html(value, base="https://news.example.com/a")
    assert out == strip_xml_invalid(out)
    lowered = out.lower()
    for needle in ("<script", "<svg", " onerror", " onload", " onclick", "javascript:",
                   "style="):
        assert needle not in lowered, out
    element = etree.Element("summary")
    element.text = out  # lxml refuses text with characters XML cannot carry
    assert etree.fromstring(etree.tostring(element)).text == (out or None)


@FAST
@given(st.one_of(st.floats(), st.integers()))
def test_numbers_as_titles_are_text_or_rejected(number):
    result = run(seed_bytes({**GOOD, "title": number}))
    if isinstance(number, float) and not math.isfinite(number):
        assert result.entry is None and result.problems[0].field == "title"
    else:
        assert result.entry is not None and result.entry.title == clean_line(str(number))


@FAST
@given(
    st.datetimes(datetime(1970, 1, 2), datetime(2040, 1, 1), timezones=st.timezones())
    | st.dates(date(1970, 1, 2), date(2040, 1, 1)).map(str)
)
def test_any_plausible_date_in_any_zone_is_read_as_the_same_instant(moment):
    result = run(seed_bytes({**GOOD, "publishedDateTime": moment}))
    entry = result.entry
    if isinstance(moment, str):
        assert entry is not None
        assert entry.published == datetime.fromisoformat(moment).replace(tzinfo=timezone.utc)
        return
    assert entry is not None, result.problems
    assert entry.published == moment.astimezone(timezone.utc)
