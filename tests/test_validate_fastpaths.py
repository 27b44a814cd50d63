"""The validator's fast paths agree with the checks they stand in for.

Each shortcut (a pattern that admits only values a slower check accepts, a cheap
search that must succeed before a risk can exist, a memoized answer) is compared
with the full check on generated values, including the awkward ones: non-ASCII
digits, characters that match letters only ignoring case, stray spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.validator import dates, htmlcheck, numbers, urls, xmlsafe
from feedpub.validator.context import children, scan, stray_text
from feedpub.validator.memo import clear_caches, memoize

# --- URLs -----------------------------------------------------------------------

URL_PIECES = st.sampled_from(
    [
        "http://", "https://", "HTTP://", "urn:uuid:", "urn:", "tag:", "ftp://", "mailto:", "a",
        "Z", "0", "9", "f", "-", ".", "_", "~", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";",
        "=", ":", "@", "/", "?", "#", "%", "%2F", "%zz", "%4", " ", "\t", "[", "]", "<", "\"",
        "é", "\ue000", "example.org", ":80", ":99999", "6f1c2a9e-8a4e-5b0e-9d57-0c6c1e6a1f01",
        "6F1C2A9E-8A4E-5B0E-9D57-0C6C1E6A1F01", "u@", "\u0661",
    ]
)
URLS = st.lists(URL_PIECES, max_size=8).map("".join)


@settings(max_examples=1500)
@given(URLS)
def test_clean_urls_pass_every_uri_check(uri: str) -> None:
    if urls.is_clean(uri):
        for iri in (True, False):
            assert urls._full_uri_problem(uri, iri=iri) is None
            assert urls._reference_problem(uri, iri=iri) is None
    if urls.is_uuid_urn(uri):
        assert urls._scheme_warning(uri) is None
    for iri in (True, False):
        assert urls.full_uri_problem(uri, iri=iri) == urls._full_uri_problem(uri, iri=iri)
        assert urls.reference_problem(uri, iri=iri) == urls._reference_problem(uri, iri=iri)
    assert urls.scheme_warning(uri) == urls._scheme_warning(uri)


TRICKY_URLS = [
    "https://a%zz/", "https://a%41/", "http://a.example%", "https://a.example/%4",
    "https://a.example/%41", "https://a.example:8080/", "https://[::1]/", "https://a.example/[x]",
    "https://a.example/a|b", "https://a.example/\u00e9", "https://a.example/ ",
    " https://a.example/", "https:///path", "http://", "https://a.example#frag",
    "https://a.example?q", "urn:uuid:6f1c2a9e-8a4e-5b0e-9d57-0c6c1e6a1f0",
    "urn:uuid:6f1c2a9e-8a4e-5b0e-9d57-0c6c1e6a1f01x", "urn:uuid:6f1c2a9e8a4e5b0e9d570c6c1e6a1f01",
]


def test_tricky_urls_agree_with_the_full_checks() -> None:
    for uri in TRICKY_URLS:
        for iri in (True, False):
            assert urls.full_uri_problem(uri, iri=iri) == urls._full_uri_problem(uri, iri=iri), uri
            assert urls.reference_problem(uri, iri=iri) == urls._reference_problem(uri, iri=iri)
        assert urls.scheme_warning(uri) == urls._scheme_warning(uri), uri


def test_clean_url_shapes() -> None:
    assert urls.is_clean("https://news.example.com/2021/08/a-b_c?x=1&y=%2F#top")
    assert urls.is_clean("urn:uuid:6f1c2a9e-8a4e-5b0e-9d57-0c6c1e6a1f01")
    for shape in ("https://a.example:80/", "https://a.example/%zz", "HTTP://a.example/",
                  "https://a.example/a b", "https://u@a.example/", "relative/path",
                  "urn:uuid:6F1C2A9E-8A4E-5B0E-9D57-0C6C1E6A1F01", "https://a.example/é"):
        assert not urls.is_clean(shape), shape


# --- dates ----------------------------------------------------------------------

MOMENTS = st.datetimes(
    min_value=dt.datetime(1, 1, 1),
    max_value=dt.datetime(9999, 12, 31),
    timezones=st.sampled_from(
        [
            dt.timezone.utc,
            dt.timezone(dt.timedelta(hours=-5)),
            dt.timezone(dt.timedelta(hours=5, minutes=45)),
        ]
    ),
)
DATE_NOISE = st.sampled_from(
    ["", " ", "0", "9", "-", ":", "T", "t", "Z", "+", ".5", "\u0661", "GMT", "Mon", ",", "Feb",
     "31", "29", "60", "24", "0000", "\n"]
)


def _mutations(text: str, draw_noise: list[tuple[int, str]]) -> str:
    for position, noise in draw_noise:
        at = position % (len(text) + 1)
        text = text[:at] + noise + text[at + 1 :] if noise else text[:at] + text[at + 1 :]
    return text


@st.composite
def rfc3339_texts(draw: st.DrawFn) -> str:
    moment = draw(MOMENTS)
    text = moment.isoformat(timespec=draw(st.sampled_from(["seconds", "microseconds"])))
    if draw(st.booleans()):
        text = text.replace("+00:00", "Z")
    edits = draw(st.lists(st.tuples(st.integers(0, 40), DATE_NOISE), max_size=2))
    return _mutations(text, edits)


@st.composite
def rfc822_texts(draw: st.DrawFn) -> str:
    moment = draw(MOMENTS)
    day = draw(st.sampled_from(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", ""]))
    day = day or moment.strftime("%a")
    zones = ["+0000", "-0500", "+0545", "+0007", "GMT", "EST", "Z", "A", "UTC"]
    zone = draw(st.sampled_from(zones))
    seconds = draw(st.sampled_from([":%S", ""]))
    text = f"{day}, " + moment.strftime(f"%d %b {moment.year:04d} %H:%M{seconds}") + f" {zone}"
    edits = draw(st.lists(st.tuples(st.integers(0, 40), DATE_NOISE), max_size=2))
    return _mutations(text, edits)


def _as_verdict(check: dates.DateCheck) -> tuple[str, str, str]:
    return (check.code, check.detail, "") if not check.ok else ("", "", check.warning)


@settings(max_examples=1500)
@given(rfc3339_texts())
def test_rfc3339_verdict_agrees_with_the_full_parse(text: str) -> None:
    clear_caches()
    assert dates.rfc3339_verdict(text) == _as_verdict(dates.check_rfc3339(text))
    assert dates.rfc3339_verdict(text) == dates._verdict(dates._rfc3339(text))


@settings(max_examples=1500)
@given(rfc822_texts())
def test_rfc822_verdict_agrees_with_the_full_parse(text: str) -> None:
    clear_caches()
    assert dates.rfc822_verdict(text) == _as_verdict(dates.check_rfc822(text))
    assert dates.rfc822_verdict(text) == dates._verdict(dates._rfc822(text))


TRICKY_DATES = [
    "2021-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2021-04-31T00:00:00Z",
    "0000-01-01T00:00:00Z", "2021-08-24T24:00:00Z", "2021-08-24T23:60:00Z",
    "2021-08-24T23:59:60Z", "2021-08-24T23:59:61Z",
    "2021-08-24T19:00:00+24:00", "2021-08-24T19:00:00-23:59", "2021-08-24T19:00:00.Z",
    "2021-08-\u0662\u0664T19:00:00Z", "1969-12-31T23:59:59Z", "9999-12-28T00:00:00Z",
    "Sun, 29 Feb 2021 00:00:00 GMT", "Thu, 29 Feb 2024 00:00:00 GMT",
    "Thu, 31 Apr 2021 10:00 GMT", "Tue, 24 Aug 2021 19:00:00 +0007",
    "Tue, 24 Aug 2021 19:00:00 +2400", "Tue, 24 Aug 21 19:00 GMT",
    "Tue, 24 aug 2021 19:00:00 GMT", "tue, 24 Aug 2021 19:00:00 GMT",
    "Tue, 24 Aug 2021 19:00:60 GMT", "Tue, 24 Aug 0000 19:00:00 GMT",
    "Tue, 04 Aug 1969 19:00:00 GMT", "Tue,  24 Aug 2021 19:00 GMT",
    "Tue, 24 Aug 2021 19:00:00 UTC", "Tue, 24 Aug 2021 19:00:00 A",
    "Tue, 24 Aug 2021 19:00:00 J",
]


def test_tricky_dates_agree_with_the_full_parse() -> None:
    for text in TRICKY_DATES:
        clear_caches()
        assert dates.rfc3339_verdict(text) == dates._verdict(dates._rfc3339(text)), text
        assert dates.rfc822_verdict(text) == dates._verdict(dates._rfc822(text)), text


def test_date_values_and_warnings() -> None:
    check = dates.check_rfc3339("2021-08-24T19:00:00.5+05:30")
    offset = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert check.ok and check.value == dt.datetime(2021, 8, 24, 19, 0, 0, tzinfo=offset)
    wrong = dates.check_rfc822("Mon, 24 Aug 2021 19:00:00 GMT")
    assert wrong.code == "IncorrectDOW" and wrong.value is not None
    assert dates.rfc822_verdict("Mon, 24 Aug 2099 19:00:00 GMT") == ("", "", "ImplausibleDate")
    assert dates.rfc3339_verdict("0000-01-01T00:00:00Z")[0] == "InvalidRFC3339Date"
    assert dates.rfc3339_verdict("2021-02-29T00:00:00Z")[0] == "InvalidRFC3339Date"
    assert dates.rfc3339_verdict("2021-08-24T19:00:00Z ")[0] == "UnexpectedWhitespace"


# --- HTML -----------------------------------------------------------------------

_TAG = re.compile(r"<\s*([A-Za-z][A-Za-z0-9]*)(?=[\s/>])([^<>]*)>?", re.DOTALL)
_EVENT = re.compile(r"""(?:^|[\s"'/])(on[a-z]+)\s*=""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*(?:java|vb)script:""", re.I)


def reference_risks(markup: str) -> Iterator[str]:
    """The screening as first written: every tag, every attribute search."""
    for match in _TAG.finditer(markup):
        name = match.group(1).lower()
        attrs = match.group(2) or ""
        if name in htmlcheck.DANGEROUS_TAGS:
            yield f"<{name}> element"
        event = _EVENT.search(attrs)
        if event:
            yield f"{event.group(1).lower()} attribute on <{name}>"
        if _SCRIPT_URL.search(attrs):
            yield f"script URL in <{name}>"


HTML_PIECES = st.sampled_from(
    [
        "<", ">", "/", " ", "\n", "=", "\"", "'", "a", "p", "b", "<a ", "<p>", "</p>", "< ",
        "<script", "<SCRIPT", "<Iframe", "<frame", "<frameset", "<linked", "<meta", "<base",
        "<style", "<form", "<blink", "<marquee", "<embed", "<object", "<applet", "on", "On",
        "onclick", "ONLOAD", "onİ", "onı", "onſ", "onK", "xonclick", " onmouseover =", "href",
        "src", "action", "href=", "javascript:", "JaVaScRiPt:", "vbscript:", "ſcript:", "scrİpt:",
        "scrıpt:", "pt:", "text", "İ", "\u0307", "K",
    ]
)
MARKUP = st.lists(HTML_PIECES, max_size=14).map("".join)


@settings(max_examples=2000)
@given(MARKUP)
def test_html_risks_agree_with_the_reference_scan(markup: str) -> None:
    clear_caches()
    assert htmlcheck.html_risks(markup) == tuple(reference_risks(markup))


TRICKY_MARKUP = [
    '<a onİ="x">', '<a onı=1>', '<a onſ =1>', '<a onK=1>', "<p/onload=x>",
    '<a href="scrİpt:x">', '<a href="ſcript:x">', '<a src = " JavaScript:x">',
    '<a href="vbſcript:x">', "<IFRAME\n>", "< script>", "<frameset/>", "<linked>",
    "<a title='on'>", "<p>on click = here</p>", "<b conditions=1>",
]


def test_html_risks_on_tricky_markup() -> None:
    for markup in TRICKY_MARKUP:
        clear_caches()
        assert htmlcheck.html_risks(markup) == tuple(reference_risks(markup)), markup
    assert sum(bool(htmlcheck.html_risks(m)) for m in TRICKY_MARKUP) >= 10


def test_html_risks_are_found() -> None:
    assert htmlcheck.html_risks('<p onclick="x()">hi</p>') == ("onclick attribute on <p>",)
    assert htmlcheck.html_risks("< IFRAME src=x>") == ("<iframe> element",)
    assert htmlcheck.html_risks('<a href="JaVaScRiPt:x">') == ("script URL in <a>",)
    assert htmlcheck.html_risks("<p>plain</p> conditions=3 on=1") == ()


# --- numbers, children, parsing -------------------------------------------------


def _reference_int(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip()
    return int(text) if re.match(r"^[+-]?[0-9]+$", text) else None


@settings(max_examples=800)
@given(st.text(alphabet="0123456789+- \t\n\u0661\u00b2x", max_size=6) | st.none())
def test_parse_int_agrees_with_the_xsd_pattern(value: str | None) -> None:
    assert numbers.parse_int(value) == _reference_int(value)


def test_scan_is_children_tags_and_stray_text() -> None:
    docs = [
        "<a>\n  <b/>\n  <!-- c -->\n  <?p i?>\n  <d>x</d>\n</a>",
        "<a> <b/> stray <c/></a>",
        "<a><b/><!-- c -->tail after a comment</a>",
        "<a>\u00a0<b/>\u2003</a>",
        "<a>text</a>",
        "<a/>",
    ]
    for doc in docs:
        root = etree.fromstring(doc)
        kids, tags, stray = scan(root)
        assert kids == children(root)
        assert tags == [k.tag for k in kids]
        assert stray == stray_text(root), doc


def test_ascii_documents_keep_their_bytes_until_text_is_needed() -> None:
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel/></rss>'
    parsed = xmlsafe.parse(data)
    assert parsed.source == data
    assert parsed.text == xmlsafe.decode(data)[0]
    root = parsed.root
    assert root is not None and parsed.positions[root[0]] == (2, 20)
    latin = '<?xml version="1.0" encoding="latin-1"?><rss>é</rss>'.encode("latin-1")
    assert xmlsafe.parse(latin).source == latin.decode("latin-1")
    bang = b'<!DOCTYPE rss [<!ENTITY a "x">]><rss>&a;</rss>'
    assert [m.code for m in xmlsafe.parse(bang).errors] == ["EntityDeclaration"]


# --- memoization ----------------------------------------------------------------


def test_memo_is_bounded_and_only_keeps_short_strings() -> None:
    calls: list[object] = []

    def check(value: object) -> str:
        calls.append(value)
        return f"<{value}>"

    cached = memoize(maxsize=3, max_len=5)(check)
    assert cached("ab") == "<ab>" and cached("ab") == "<ab>"
    assert calls == ["ab"]
    assert cached("long value") == cached("long value") and calls.count("long value") == 2
    assert cached(None) == "<None>" and cached(None) == "<None>" and calls.count(None) == 2
    for value in ("c", "d", "e"):  # the fourth answer empties the cache first
        cached(value)
    cached("ab")
    assert calls.count("ab") == 2
    clear_caches()
    cached("e")
    assert calls.count("e") == 2
