"""Fast paths give exactly what the general code gives (they exist only for speed)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from feedpub.urls import _ALREADY_CLEAN, MAX_URL_CHARS, _clean_url, clean_url

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
