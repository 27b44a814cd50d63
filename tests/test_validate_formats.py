"""Date and URI checkers, including properties over generated values."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.validator import validate_bytes
from feedpub.validator.dates import check_rfc822, check_rfc3339, check_w3cdtf
from feedpub.validator.urls import full_uri_problem, reference_problem, scheme_warning

aware = st.datetimes(
    min_value=dt.datetime(1971, 1, 1),
    max_value=dt.datetime(2030, 12, 31),
    timezones=st.sampled_from([dt.timezone.utc, dt.timezone(dt.timedelta(hours=-5))]),
)


@settings(max_examples=200)
@given(aware)
def test_any_rfc822_date_python_writes_is_valid(value: dt.datetime) -> None:
    verdict = check_rfc822(format_datetime(value.replace(microsecond=0)))
    assert verdict.ok and not verdict.warning


@settings(max_examples=200)
@given(aware)
def test_wrong_weekday_is_always_caught(value: dt.datetime) -> None:
    text = format_datetime(value)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    wrong = days[(days.index(text[:3]) + 1) % 7]
    assert check_rfc822(wrong + text[3:]).code == "IncorrectDOW"


@settings(max_examples=200)
@given(aware)
def test_any_isoformat_date_time_is_rfc3339(value: dt.datetime) -> None:
    text = value.isoformat().replace("+00:00", "Z")
    assert check_rfc3339(text).ok
    assert check_w3cdtf(text).ok


def test_rfc822_variants() -> None:
    assert check_rfc822("31 Dec 2002 14:20 EST").ok
    assert check_rfc822("Tue, 31 Dec 2002 14:20:20 Z").ok
    assert check_rfc822("Tue, 31 Dec 2002 14:20:20 A").warning == "ProblematicalRFC822Date"
    assert check_rfc822("Tue, 31 Dec 2002 25:20:20 GMT").code == "InvalidRFC2822Date"
    assert check_rfc822("31 Foo 2002 14:20:20 GMT").code == "InvalidRFC2822Date"
    assert check_rfc822("Thu, 13 Dec 2103 18:30:02 GMT").warning == "ImplausibleDate"


def test_w3cdtf_precision_levels() -> None:
    for ok in ("2005", "2005-07", "2005-07-04", "2005-07-04T01:00+05:00", "2005-07-04T01:00:30.5Z"):
        assert check_w3cdtf(ok).ok, ok
    for bad in ("2005-7-4", "2005-07-04T01:00", "2005-02-30", "04/07/2005"):
        assert not check_w3cdtf(bad).ok, bad


def test_uri_checks() -> None:
    assert full_uri_problem("https://example.org/a?b=c#d") is None
    assert full_uri_problem("example.org")[0] == "InvalidFullLink"
    assert full_uri_problem("http://exa mple.org/")[0] == "InvalidUriChar"
    assert full_uri_problem("http://example.org/%zz")[0] == "InvalidUriChar"
    assert full_uri_problem("http://例え.jp/", iri=False)[0] == "UriNotIri"
    assert full_uri_problem("http://例え.jp/") is None
    assert full_uri_problem("tag:example.org,2024-05:post/1") is None
    assert full_uri_problem("tag:example.org,24:post")[0] == "InvalidTAG"
    assert full_uri_problem("urn:isbn:0451450523") is None
    assert full_uri_problem("urn:-bad:x")[0] == "InvalidURN"
    assert reference_problem("../relative/path") is None
    assert scheme_warning("doi:10.1000/1")[0] == "SchemeNotIANARegistered"
    assert scheme_warning("http://example.org:80/")[0] == "NonCanonicalURI"
    assert scheme_warning("http://example.org/") is None


def test_self_link_must_match_the_given_base() -> None:
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/feeds/">'
        b"<title>t</title><id>https://example.org/</id><updated>2024-05-01T10:00:00Z</updated>"
        b'<author><name>a</name></author><link rel="self" href="all.atom"/></feed>'
    )
    ok = validate_bytes(doc, base="https://example.org/feeds/all.atom")
    assert [m.code for m in ok.warnings] == ["RelativeSelf"]
    moved = validate_bytes(doc, base="https://example.org/elsewhere.atom")
    assert "SelfDoesntMatchLocation" in {m.code for m in moved.warnings}
