"""Fast paths give exactly what the general code gives (they exist only for speed)."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedpub.normalize import _FUTURE_YEARS, _clean_image_type, _latest, image_type
from feedpub.text import _CLEAN_LINE, _clean_line, clean_line
from feedpub.urls import _ALREADY_CLEAN, MAX_URL_CHARS, _clean_url, canonical_url, clean_url
from feedpub.validator import urls as validator_urls

MANY = settings(max_examples=3000, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

HOSTS = st.sampled_from([
    "a.example", "news.example.com", "x", "a-b.c_d.example.", "1.2.3.4", "a..b", ".a", "a.",
    "A.example", "-a.example", "a-.example", "xn--bcher-kva.example", "ex\u00e4mple.org",
    "a.example:443", "a.example:8080", "a.example:", "user@a.example", "[::1]", "a\\b",
    "x" * 63 + ".example", "x" * 64 + ".example", "a.example\x00", "a.example ", "",
])
URL_CHARS = st.text(alphabet="aZ09/:@!$&'()*+,;=-._~%?#[]<> \"\\^`{|}\t\u00e9fF", max_size=30)


@MANY
@given(st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "http:/", "//", ""]),
       HOSTS, URL_CHARS)
@example("https://", "a.example", "/")
@example("https://", "a.example", "/p?q=1&amp;r=2")
@example("https://", "a.example", "/%41%zz")
@example("https://", "a.example", "/p?")
@example("https://", "a.example", "/p#")
@example("https://", "a.example", "/p#a#b")
@example("https://", "a.example", "/" + "x" * MAX_URL_CHARS)
def test_the_clean_url_fast_path_agrees_with_the_full_one(scheme, host, rest):
    url = scheme + host + rest
    assert clean_url(url) == _clean_url(url)


@MANY
@given(st.text(max_size=40))
def test_the_clean_url_fast_path_agrees_on_any_text(url):
    assert clean_url(url) == _clean_url(url)


def test_the_clean_url_fast_path_is_taken_for_ordinary_urls():
    for url in ("https://provider75.example.com/2019/10/06/story-6083/",
                "http://a.example/p?q=1;x=%2F#top", "https://cdn.example/img/0-4957.jpg"):
        assert _ALREADY_CLEAN.fullmatch(url)
        assert clean_url(url) == url == _clean_url(url)


@MANY
@given(st.sampled_from(["http://", "HTTPS://", "ftp://", "http:", "http:/", "https:///"]),
       st.text(alphabet="aZ09.-_~!$&'()*+,;=%@:[]/?# \t\n\u00e9\u2100", max_size=25))
@example("http://", "a.example:99999/")
@example("http://", "[::1/")
@example("http://", "a\u2100b/")
def test_the_scheme_problem_fast_path_agrees_with_urlsplit(scheme, rest):
    uri = scheme + rest
    assert validator_urls.scheme_problem(uri) == validator_urls._authority_problem(uri)


LINE_CHARS = st.text(alphabet="ab \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000&;#x\x00\x08\x7f\x84\x9f"
                              "\ufdd0\ufffe\u00e9<>", max_size=20)


@MANY
@given(st.one_of(LINE_CHARS, st.text(max_size=20)))
@example("")
@example("a b")
@example(" a")
@example("a ")
@example("a  b")
@example("a\u2028b")
@example("a\ud800b")
@example("AT&amp;T")
@example("AT&T")
def test_the_clean_line_fast_path_agrees_with_the_full_one(value):
    assert clean_line(value) == _clean_line(value)


def test_the_clean_line_fast_path_is_taken_for_ordinary_lines():
    for line in ("Provider 75", "Research open climate edge ai voice speech model (6083)", "é"):
        assert _CLEAN_LINE.fullmatch(line)


URLS = st.builds(lambda scheme, host, rest: scheme + host + rest,
                 st.sampled_from(["http://", "https://", "HTTPS://"]), HOSTS, URL_CHARS)


@MANY
@given(URLS)
@example("https://a.example/img/x.JPG")
@example("https://a.example/img.png/")
@example("https://a.example/x.png?format=gif")
@example("https://a.example")
@example("https://img.png")
@example("https://a.example:8080/.png")
def test_shortcuts_for_clean_urls_agree_with_the_general_code(url):
    clean = clean_url(url)
    if clean is None:
        return
    if "?" not in clean and "#" not in clean:
        assert canonical_url(clean) == clean  # normalize takes a clean link as it is
    assert _clean_image_type(clean) == image_type(clean)


def test_the_latest_accepted_date_is_december_31_twenty_years_on_at_this_second():
    def expected():
        latest = datetime.now(timezone.utc).replace(microsecond=0)
        return latest.replace(year=latest.year + _FUTURE_YEARS, month=12, day=31)

    before = expected()
    found = _latest()
    assert found in (before, expected())
    assert found.tzinfo is timezone.utc and found.month == 12 and found.day == 31
