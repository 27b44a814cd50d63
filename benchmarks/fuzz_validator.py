"""Fuzz the feed validator: mutated RSS, Atom and JSON Feed documents through ``validate_bytes``.

``validate_bytes`` promises never to raise on bad input; an exception or an
input slower than a second is a failure (saved under
``benchmarks/_work/fuzz-validator/``). Outcomes are counted by format and verdict.

    python benchmarks/fuzz_validator.py [--seconds 30] [--seed 1] [--engine builtin|atheris]

Corpus: ``benchmarks/fuzz-corpus/validator/`` (small feeds written for this,
some built by feedpub, some broken on purpose). Not part of the unit test time budget.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import _fuzz  # noqa: E402

ARGS = _fuzz.parse_args(__doc__.splitlines()[0])
if ARGS.engine == "atheris":  # pragma: no cover - needs the fuzz extra
    import atheris

    with atheris.instrument_imports(include=["feedpub"]):
        import feedpub.validator  # noqa: F401

from feedpub.validator import validate_bytes  # noqa: E402

CORPUS = HERE / "fuzz-corpus" / "validator"
TOKENS = [
    b"<?xml version='1.0' encoding='UTF-8'?>", b"<?xml version=\"1.0\" encoding=\"latin-1\"?>",
    b"<!DOCTYPE rss [<!ENTITY a \"aaaa\">]>", b"<!ENTITY x SYSTEM \"file:///etc/passwd\">",
    b"&a;", b"&x;", b"&#0;", b"&#x1F600;", b"&amp;", b"<![CDATA[", b"]]>", b"<!--", b"-->",
    b"<rss version=\"2.0\">", b"<channel>", b"</channel>", b"<item>", b"</item>",
    b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", b"<entry>", b"</entry>",
    b"<link rel=\"self\" href=\"", b"<link>", b"<guid isPermaLink=\"true\">", b"<pubDate>",
    b"<updated>", b"<content type=\"xhtml\">", b"<div xmlns=\"http://www.w3.org/1999/xhtml\">",
    b"<enclosure url=\"http://a/\" length=\"-1\" type=\"x\"/>", b"xmlns:media=",
    b"Tue, 24 Aug 2021 19:00:00 GMT", b"2021-08-24T19:00:00Z", b"2021-02-30T25:61:00+25:00",
    b"javascript:", b"http://[::1/", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\x80",
    b"{\"version\": \"https://jsonfeed.org/version/1.1\"", b"\"items\": [", b"\"id\": ",
    b"\"url\": ", b"\"date_published\": ", b"null", b"1e999", b"[[[[[[[[", b"{\"a\":",
]


def target(data: bytes) -> str:
    report = validate_bytes(data, path="fuzz", base="https://feeds.example.org/fuzz/all")
    verdict = "valid" if report.valid else "invalid"
    return f"{report.format}: {verdict}"


if __name__ == "__main__":
    sys.exit(_fuzz.run("validator", target, CORPUS, TOKENS, ARGS))
