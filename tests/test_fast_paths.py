"""Fast paths give exactly what the general code gives (they exist only for speed)."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedpub.urls import _ALREADY_CLEAN, MAX_URL_CHARS, _clean_url, clean_url
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


def _scheme_problem_without_fast_path(uri: str):
    """validator.urls.scheme_problem for http(s)/ftp as it was before its fast path."""
    try:
        parts = urlsplit(uri)
        _ = parts.port
    except ValueError:
        return "InvalidFullLink", f"{uri!r} has an invalid host or port"
    if not parts.netloc:
        return "InvalidFullLink", f"{uri!r} has no host"
    return None


@MANY
@given(st.sampled_from(["http://", "HTTPS://", "ftp://", "http:", "http:/", "https:///"]),
       st.text(alphabet="aZ09.-_~!$&'()*+,;=%@:[]/?# \t\n\u00e9\u2100", max_size=25))
@example("http://", "a.example:99999/")
@example("http://", "[::1/")
@example("http://", "a\u2100b/")
def test_the_scheme_problem_fast_path_agrees_with_urlsplit(scheme, rest):
    uri = scheme + rest
    assert validator_urls.scheme_problem(uri) == _scheme_problem_without_fast_path(uri)
