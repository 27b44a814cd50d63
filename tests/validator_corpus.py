"""Documents for the validator equivalence test: base feeds plus recorded edits.

The bases (``validator_messages/bases/``) are our own output of the seeds and of
synthetic records, two hand-written feeds that use most RSS 2.0 / Atom 1.0 elements
and extensions, and the validator fuzz corpus. Each case is a base with a few text
edits (remove or duplicate an element, replace a text or an attribute by a bad
value, insert a foreign element, break the encoding...), recorded as
``[offset, length, replacement]`` so the test rebuilds the exact bytes without
depending on the generator's random choices or on lxml's serializer.

``validator_messages/expected.jsonl`` holds, for every case, the messages the
validator gave when the fixture was written. It was produced by the validator as
it was *before* the speed-up (see ``git log`` of the fixture), so the test proves
that a faster validator says exactly the same things. Regenerate it only for a
deliberate change of verdicts or messages:

    python tests/validator_corpus.py --write
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASES = HERE / "validator_messages" / "bases"
EXPECTED = HERE / "validator_messages" / "expected.jsonl"
SEED = 20240611

# (offset, length, replacement): the replacement is new text, or [offset, length] of
# the base text to copy there (duplicated or moved elements).
Edit = tuple[int, int, "str | tuple[int, int]"]

# The feed URL each base says it lives at (its self link), used as --base.
SELF_URLS = {
    "rich.rss": "https://news.example.org/rich.rss",
    "rich.atom": "https://news.example.org/rich.atom",
    "seeds.rss": "https://feeds.example.org/everyday-ai/all.rss",
    "seeds.atom": "https://feeds.example.org/everyday-ai/all.atom",
    "synthetic.rss": "http://127.0.0.1:8000/topics/topic-007.rss",
    "synthetic.atom": "http://127.0.0.1:8000/topics/topic-007.atom",
}
OTHER_URL = "https://elsewhere.example.net/feed.xml"


@dataclass(frozen=True)
class Case:
    name: str
    base: str
    edits: tuple[Edit, ...]
    url: str | None
    encoding: str = "utf-8"
    newline: str = "\n"


def load_bases() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(BASES.iterdir()) if p.is_file()}


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def build(case: Case, bases: dict[str, bytes]) -> bytes:
    """The case's document: its base with the edits applied, then encoded."""
    original = _text(bases[case.base])
    text = original
    for offset, length, new in sorted(case.edits, key=lambda e: e[0], reverse=True):
        if not isinstance(new, str):
            new = original[new[0] : new[0] + new[1]]
        text = text[:offset] + new + text[offset + length :]
    if case.newline != "\n":
        text = text.replace("\n", case.newline)
    if case.encoding == "utf-8":
        return text.encode("utf-8", "surrogateescape")
    return text.encode(case.encoding)


def messages(report: Any) -> dict[str, Any]:
    """Everything a report says, in a JSON-friendly form."""

    def rows(found: tuple[Any, ...], level: str) -> list[list[Any]]:
        assert all(m.level == level for m in found)
        return [[m.code, m.line, m.column, m.message] for m in found]

    return {
        "format": report.format,
        "errors": rows(report.errors, "error"),
        "warnings": rows(report.warnings, "warning"),
    }


def read_expected() -> tuple[dict[str, Any], list[tuple[Case, dict[str, Any]]]]:
    """The fixture's header and its cases with the messages recorded for each."""
    lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    rows = []
    for line in lines[1:]:
        row = json.loads(line)
        edits = tuple(
            (int(o), int(n), new if isinstance(new, str) else (int(new[0]), int(new[1])))
            for o, n, new in row.pop("edits")
        )
        case = Case(row.pop("name"), row.pop("base"), edits, row.pop("url", None),
                    row.pop("encoding", "utf-8"), row.pop("newline", "\n"))
        row.setdefault("errors", [])
        row.setdefault("warnings", [])
        rows.append((case, row))
    return json.loads(lines[0]), rows


def corpus_digest(cases: list[Case], bases: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for case in cases:
        data = build(case, bases)
        digest.update(f"{case.name}\0{case.url}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


# --- the generator -----------------------------------------------------------

_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>"
    r"|<(/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>",
    re.DOTALL,
)
_ATTR = re.compile(r"([^\s=/>]+)\s*=\s*(\"([^\"]*)\"|'([^']*)')")


@dataclass
class Span:
    """One element of a base document, located in its text."""

    name: str
    start: int
    stag_end: int
    etag_start: int
    end: int
    attrs: list[tuple[str, int, int]]  # name, value start, value end
    children: int = 0
    depth: int = 0

    @property
    def local(self) -> str:
        return self.name.split(":")[-1]

    @property
    def empty(self) -> bool:
        return self.stag_end == self.end


def spans(text: str) -> list[Span]:
    """Elements of a well-formed document, in document order."""
    found: list[Span] = []
    stack: list[Span] = []
    for match in _TOKEN.finditer(text):
        closing, name, attrs, selfclose = match.groups()
        if name is None:
            continue
        if closing:
            span = stack.pop()
            span.etag_start, span.end = match.start(), match.end()
            continue
        base = match.start(3)
        attr_spans = []
        for attr in _ATTR.finditer(attrs):
            vstart = base + attr.start(2) + 1
            attr_spans.append((attr.group(1), vstart, base + attr.end(2) - 1))
        span = Span(name, match.start(), match.end(), match.end(), match.end(), attr_spans)
        span.depth = len(stack)
        if stack:
            stack[-1].children += 1
        found.append(span)
        if not selfclose:
            stack.append(span)
    return found


DATES = [
    "Tue, 24 Aug 2021 19:00:00 GMT", "Mon, 24 Aug 2021 19:00:00 GMT", "2021-08-24T19:00:00Z",
    " 2021-08-24T19:00:00Z", "2021-08-24t19:00:00z", "2021-02-30T10:00:00Z",
    "2021-08-24T25:00:00Z", "2021-08-24T19:00:00+24:00", "2021-08-24", "24 Aug 21 19:00 EST",
    "Tue, 24 Aug 2021 19:00:00 +0000 (UTC)", "Tue,  24 Aug 2021 19:00:00 +0000",
    "Tue, 24 Aug 2021 19:00:00 Z", "Tue, 24 Aug 2021 19:00:00 J", "Tue, 24 Aug 2021 19:00:00 +2400",
    "Tue, 24 Aug 2021 19:00:00 +0530", "Tue, 24 Aug 2021 19:00:00 +0007",
    "Xyz, 24 Aug 2021 19:00:00 GMT", "Tue, 24 Foo 2021 19:00:00 GMT",
    "Tue, 24 Aug 2099 19:00:00 GMT", "1899-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "yesterday",
    "", "2021-08-24T19:00:00.123456+05:30", "2021-08-24T19:00Z", "2021", "2021-08",
    "2021-08-24T19:00:00", "Tue, 31 Dec 2002 14:20:20 GMT", "Tue, 24 Aug 2021 19:00 PDT",
    "2021-08-24T19:00:00-00:60", "Tue, 24 Aug 2021 19:00:61 GMT", "Wed, 29 Feb 2021 10:00:00 GMT",
]
URLS = [
    "https://news.example.org/a", "news.example.org/a", "/relative/path", "relative", "http://",
    "https://exa mple.org/", "https://example.org/a b", "https://例え.jp/パス",
    "https://example.org/%zz", "https://example.org/%e2%82%ac", "HTTP://Example.ORG:80/a",
    "http://example.org", "http://example.org:99999/", "http://[::1]/", "http://[bad/",
    "https://u@example.org:8080/x", "tag:example.org,2021:x", "tag:bad", "urn:isbn:0451450523",
    "urn:x:", "urn:uuid:not-a-uuid", "urn:uuid:6F1C2A9E-8A4E-5B0E-9D57-0C6C1E6A1F01",
    "javascript:alert(1)", "mailto:a@example.org", "foo:bar", "x-unknown://thing", "",
    " https://news.example.org/a ", "https://example.org/<a>", "ftp://ftp.example.org/file",
    "https://example.org/\ue000", "data:text/plain,hi", "https://example.org/./a/../b", "#frag",
    "//example.org/x", "https://EXAMPLE.org/", "http://example.org:8080/a[1]",
    "https://example.org/a?q=1&b=2",
]
EMAILS = [
    "ed@example.org", "ed@example.org (Ed)", "Ed <ed@example.org>", "Ed", "ed@localhost",
    "mailto:ed@example.org", "mailto:ed example", "ed@[192.168.0.1]", "ed@example.org (Ed",
    "ed.@example.org", "",
]
LANGS = [
    "en", "en-US", "english", "xx", "i-klingon", "x-private", "x", "zh-Hant-TW", "qaa", "fre",
    "en_US", "", " en", "e",
]
MIMES = [
    "text/html", " text/html", "html", "text", "xhtml", "text/html; charset=utf-8",
    'text/html;charset="utf-8"', "image/", "application/atom+xml", "multipart/mixed",
    "audio/mpeg", "application/xml", "text/plain", "image/svg+xml", "application/octet-stream", "",
]
INTS = ["0", "1", "-1", "+5", " 12 ", "abc", "1.5", "99999999999999999999", "", "145", "401",
        "24", "65536", "1e3"]
RELS = [
    "alternate", "self", "enclosure", "related", "via", "hub", "", " ", "Self", "foo", "foo bar",
    "http://example.org/rel/x", "http://www.iana.org/assignments/relation/self",
    "http://www.iana.org/assignments/relation/alternate", "a:b", "replies", "license",
]
BOOLS = ["true", "false", "TRUE", "yes", ""]
ENUMS = [
    "image", "video", "audio", "picture", "full", "sample", "partial", "md5", "sha-1", "sha256",
    "allow", "deny", "maybe", "xml-rpc", "soap", "http-post", "rest", "request", "example",
    "bogus", "x:custom", "2.0", "0.91", "3.0", "plain", "html", "text", "xhtml",
]
MARKUP = [
    "plain text", "", "   ", "<p>Hello</p>", "&lt;p&gt;escaped&lt;/p&gt;",
    "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;",
    '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;', "&lt;img src=x onerror=alert(1)&gt;",
    '&lt;iframe src="https://evil.example/"&gt;&lt;/iframe&gt;',
    "&lt;p onclick='x()'&gt;hi&lt;/p&gt;", "&lt;STYLE&gt;p{}&lt;/STYLE&gt;",
    "&lt;a href = 'vbscript:x'&gt;", "&lt;b&gt;unclosed", "ed@example.org wrote this",
    "<b>bold</b> and <i>it</i>", "<![CDATA[<script>x()</script>]]>", "<![CDATA[<p>fine</p>]]>",
    "&lt;embed src=x&gt;", "&lt;meta http-equiv=refresh&gt;", "\u0085 C1 control",
    "caf\u00e9 \u2603", "&lt;p&gt;on=1 onx = 2 conditions=3&lt;/p&gt;",
    '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div>',
    '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script>'
    '<a href="javascript:x" onclick="y">z</a></div>',
    '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div> stray', "<p>no namespace</p>",
    "SGVsbG8=", "not base64!", '<ext:x xmlns:ext="urn:x:y"/>', "<a/><b/>",
    "&lt;FORM action='javascript:x'&gt;", "&lt;a href=&quot;JavaScript:x&quot;&gt;",
    "&lt;div/onmouseover=x&gt;", "&lt;p\nonload = 'x'&gt;", "&lt; script&gt;",
    "&lt;object&gt;&lt;applet&gt;&lt;frameset&gt;&lt;frame&gt;&lt;base&gt;&lt;link&gt;"
    "&lt;blink&gt;&lt;marquee&gt;",
]
SNIPPETS = [
    "<foo>x</foo>", "<b>bold</b>", "stray text", "<title>Extra</title>",
    "<link>https://a.example/</link>", "<guid>https://a.example/g</guid>",
    "<pubDate>Tue, 24 Aug 2021 19:00:00 GMT</pubDate>", "<item><title>Nested</title></item>",
    "<entry><title>Nested</title></entry>", "<id>urn:x:y</id>",
    "<updated>2021-08-24T19:00:00Z</updated>", "<author><name>A</name></author>",
    '<link href="https://a.example/x"/>', '<link rel="alternate" href="https://a.example/y"/>',
    '<category term="x"/>', "<content>x</content>", "<summary>x</summary>",
    "<image><url>https://a.example/i.png</url></image>",
    '<enclosure url="https://a.example/e.mp3" length="1" type="audio/mpeg"/>',
    '<source url="https://a.example/s">S</source>',
    '<dc:bogus xmlns:dc="http://purl.org/dc/elements/1.1/">x</dc:bogus>',
    '<dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">2021-13-01</dc:date>',
    '<dc:language xmlns:dc="http://purl.org/dc/elements/1.1/">english</dc:language>',
    '<dc:date.Taken xmlns:dc="http://purl.org/dc/elements/1.1/">2021</dc:date.Taken>',
    '<dcterms:valid xmlns:dcterms="http://purl.org/dc/terms/">x</dcterms:valid>',
    '<media:group xmlns:media="http://search.yahoo.com/mrss/">'
    '<media:content url="https://a.example/1.jpg"/></media:group>',
    '<media:content xmlns:media="http://search.yahoo.com/mrss/" width="-1" medium="photo" '
    'type="jpeg" framerate="x" bitrate="1.5" duration="-2" isDefault="1"/>',
    '<media:content xmlns:media="http://search.yahoo.com/mrss/"><media:player url="x"/>'
    "</media:content>",
    '<media:rating xmlns:media="http://search.yahoo.com/mrss/" scheme="urn:mpaa">xxx'
    "</media:rating>",
    '<media:restriction xmlns:media="http://search.yahoo.com/mrss/" type="planet">x'
    "</media:restriction>",
    '<media:thumbnail xmlns:media="http://search.yahoo.com/mrss/" height="x"/>',
    '<media:bogus xmlns:media="http://search.yahoo.com/mrss/"/>',
    '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" href="rel/x" rel="self"/>',
    '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" href="https://a.example/" type="html"/>',
    '<atom:updated xmlns:atom="http://www.w3.org/2005/Atom">2021-08-24 19:00</atom:updated>',
    '<a:link xmlns:a="http://www.w3.org/2005/Atom"/>',
    '<sy:updatePeriod xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">sometimes'
    "</sy:updatePeriod>",
    '<sy:updateFrequency xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">0'
    "</sy:updateFrequency>",
    '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
    "&lt;script&gt;x&lt;/script&gt;</content:encoded>",
    '<content:bogus xmlns:content="http://purl.org/rss/1.0/modules/content/"/>',
    '<itunes:category xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" text="Nope"/>',
    '<itunes:explicit xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">maybe'
    "</itunes:explicit>",
    '<itunes:duration xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">1:99'
    "</itunes:duration>",
    '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
    '<thr:in-reply-to xmlns:thr="http://purl.org/syndication/thread/1.0" ref="relative"/>',
    '<thr:total xmlns:thr="http://purl.org/syndication/thread/1.0">-3</thr:total>',
    '<georss:point xmlns:georss="http://www.georss.org/georss">91 0</georss:point>',
    '<georss:box xmlns:georss="http://www.georss.org/georss">1 2 3</georss:box>',
    '<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0">x</fh:archive>',
    '<trackback:ping xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">'
    "https://a.example/tb</trackback:ping>",
    '<slash:hit_parade xmlns:slash="http://purl.org/rss/1.0/modules/slash/">1,,2'
    "</slash:hit_parade>",
    '<geo:lat xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#">91</geo:lat>',
    '<wfw:comment xmlns:wfw="http://wellformedweb.org/CommentAPI/">rel</wfw:comment>',
    '<opensearch:Query xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" role="odd"/>',
    '<admin:generatorAgent xmlns:admin="http://webns.net/mvcb/">x y</admin:generatorAgent>',
    '<cc:license xmlns:cc="http://web.resource.org/cc/">relative</cc:license>',
    "<!-- a comment -->", "<?pi data?>", "<![CDATA[cdata <b>text</b>]]>",
    '<x:y xmlns:x="urn:x">ext</x:y>', "<hour>25</hour>", "<day>Funday</day>", "<ttl>0</ttl>",
    '<cloud domain="x" port="0"/>', "<textInput><title>T</title></textInput>", "<skipHours/>",
    "<skipDays><day>Monday</day><day>Monday</day></skipDays>", "<name>N</name>",
    "<email>bad</email>", "<uri>rel</uri>", '<rights type="xhtml">plain</rights>',
    '<title type="foo">x</title>', '<div xmlns="http://www.w3.org/1999/xhtml">x</div>',
    '<xhtml:body xmlns:xhtml="http://www.w3.org/1999/xhtml"><xhtml:script/></xhtml:body>',
    '<contributor><name>C</name><name>D</name><foo/></contributor>',
    '<source><title>S</title></source>', '<generator uri="rel path">g</generator>',
    '<content src="https://a.example/c" type="html"/>', '<content type="image/png">!!</content>',
    '<link rel="self" href="relative.atom"/>', '<icon>https://a.example/i.ico</icon>',
]
ATTR_NAMES = [
    "foo", "xml:lang", "xml:base", "rel", "type", "href", "version", "length", "title",
    "isPermaLink", "domain", "url", "src", "term", "scheme", "hreflang", "medium",
]


def _escape(value: str, attr: bool = False) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace('"', "&quot;") if attr else value


MARKUP_ELEMENTS = frozenset(
    ["description", "encoded", "content", "summary", "title", "subtitle", "rights"]
)


def _text_pool(local: str) -> list[str] | None:
    if local in ("pubDate", "lastBuildDate", "updated", "published", "date", "modified", "issued",
                 "created", "updateBase"):
        return DATES
    if local in ("link", "docs", "comments", "url", "uri", "icon", "logo", "id", "guid",
                 "commentRss", "origLink", "blogRoll", "license"):
        return URLS
    if local in ("author", "managingEditor", "webMaster", "email"):
        return EMAILS
    if local == "language":
        return LANGS
    if local in ("ttl", "width", "height", "hour", "updateFrequency", "total", "totalResults",
                 "startIndex", "itemsPerPage", "episode", "season"):
        return INTS
    if local in ("description", "encoded", "content", "summary", "title", "subtitle", "rights"):
        return None  # markup, inserted as is
    return None


def _attr_pool(name: str) -> list[str]:
    local = name.split(":")[-1]
    if local in ("href", "url", "src", "scheme", "uri", "ref", "resource", "base", "source"):
        return URLS
    if local == "type":
        return MIMES + ENUMS
    if local in ("hreflang", "lang"):
        return LANGS
    if local in ("length", "width", "height", "fileSize", "port", "count", "bitrate", "duration",
                 "framerate", "samplingrate", "channels"):
        return INTS
    if local == "rel":
        return RELS
    if local in ("isPermaLink", "isDefault"):
        return BOOLS
    if local == "updated":
        return DATES
    return ENUMS + URLS[:5] + INTS[:5]


class Mutator:
    """Random but reproducible edits of one base document."""

    def __init__(self, text: str, rng: random.Random) -> None:
        self.text = text
        self.rng = rng
        self.spans = spans(text)
        self.inner = [s for s in self.spans if s.depth > 0]

    def remove(self, s: Span) -> list[Edit]:
        return [(s.start, s.end - s.start, "")]

    def duplicate(self, s: Span) -> list[Edit]:
        return [(s.end, 0, (s.start, s.end - s.start))]

    def set_text(self, s: Span, value: str | None = None) -> list[Edit]:
        if value is None:
            pool = _text_pool(s.local)
            value = _escape(self.rng.choice(pool)) if pool else self.rng.choice(MARKUP)
        if s.empty:
            tag = self.text[s.start : s.stag_end]
            return [(s.start, s.end - s.start, f"{tag[:-2]}>{value}</{s.name}>")]
        return [(s.stag_end, s.etag_start - s.stag_end, value)]

    def set_attr(self, s: Span, index: int, value: str | None = None) -> list[Edit]:
        name, start, end = s.attrs[index]
        if value is None:
            value = self.rng.choice(_attr_pool(name))
        return [(start, end - start, _escape(value, attr=True))]

    def remove_attr(self, s: Span, index: int) -> list[Edit]:
        _, start, end = s.attrs[index]
        # from the space before the name to the closing quote
        head = self.text.rfind(" ", s.start, start)
        return [(head, end + 1 - head, "")]

    def add_attr(self, s: Span) -> list[Edit]:
        name = self.rng.choice(ATTR_NAMES + ["zz:x"])
        value = _escape(self.rng.choice(_attr_pool(name)), attr=True)
        extra = ' xmlns:zz="urn:zz"' if name.startswith("zz:") else ""
        at = s.start + 1 + len(s.name)
        return [(at, 0, f'{extra} {name}="{value}"')]

    def insert_child(self, s: Span, snippet: str | None = None) -> list[Edit]:
        snippet = snippet if snippet is not None else self.rng.choice(SNIPPETS)
        if s.empty:
            tag = self.text[s.start : s.stag_end]
            return [(s.start, s.end - s.start, f"{tag[:-2]}>{snippet}</{s.name}>")]
        kids = [k for k in self.spans if k.depth == s.depth + 1 and s.start < k.start < s.end]
        at = self.rng.choice([s.stag_end, s.etag_start] + [k.end for k in kids])
        return [(at, 0, snippet)]

    def move(self, s: Span) -> list[Edit]:
        siblings = [k for k in self.inner if k.depth == s.depth and k is not s
                    and (k.end <= s.start or k.start >= s.end)]
        if not siblings:
            return self.remove(s)
        target = self.rng.choice(siblings)
        return [(s.start, s.end - s.start, ""), (target.start, 0, (s.start, s.end - s.start))]

    def copy_text(self, s: Span) -> list[Edit]:
        same = [k for k in self.inner if k.name == s.name and k is not s and not k.empty]
        if not same or s.empty:
            return self.duplicate(s)
        other = self.rng.choice(same)
        return [(s.stag_end, s.etag_start - s.stag_end,
                 (other.stag_end, other.etag_start - other.stag_end))]

    def document(self) -> list[Edit]:
        text, rng = self.text, self.rng
        choice = rng.randrange(10)
        if choice == 0:
            at = rng.randrange(len(text))
            return [(at, len(text) - at, "")]
        if choice == 1:
            return [(0, 0, "\ufeff")]
        if choice == 2:
            decl = text.find("?>")
            length = decl + 2 if text.startswith("<?xml") and decl > 0 else 0
            return [(0, length, rng.choice(['<?xml version="1.0" encoding="latin-1"?>',
                                 '<?xml version="1.0" encoding="utf-16"?>',
                                 '<?xml version="1.0" encoding="bogus-8"?>',
                                 '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape '
                                 'Communications//DTD RSS 0.91//EN" "http://x/rss-0.91.dtd">',
                                 '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "x">]>',
                                 '<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "x.dtd">']))]
        leaves = [s for s in self.inner if s.children == 0 and not s.empty] or self.inner
        s = rng.choice(leaves)
        at = rng.randrange(s.stag_end, s.etag_start + 1)
        if choice == 3:
            return [(at, 0, rng.choice(["&bogus;", "&#0;", "\x01", "&#x1F600;", "&amp;"]))]
        if choice == 4:
            return [(at, 0, rng.choice(["\u0085", "\u0093", "\udc80", "\udcff\udcfe"]))]
        if choice == 5:
            decls = list(re.finditer(r'\sxmlns(:\w+)?="[^"]*"', text))
            if decls:
                d = rng.choice(decls)
                return [(d.start(), d.end() - d.start(), "")]
        if choice == 6:
            root = self.spans[0]
            for name, start, end in root.attrs:
                if name in ("xmlns", "version"):
                    return [(start, end - start, rng.choice(
                        ["http://purl.org/atom/ns#", "2.0", "0.92", "3", "",
                         "http://www.w3.org/2005/Atom"]))]
        return self.random_op()

    def random_op(self) -> list[Edit]:
        rng = self.rng
        s = rng.choice(self.inner)
        op = rng.randrange(10)
        if op == 0:
            return self.remove(s)
        if op == 1:
            return self.duplicate(s)
        if op == 2 and s.children == 0:
            return self.set_text(s)
        if op == 3 and s.attrs:
            return self.set_attr(s, rng.randrange(len(s.attrs)))
        if op == 4 and s.attrs:
            return self.remove_attr(s, rng.randrange(len(s.attrs)))
        if op == 5:
            return self.add_attr(s)
        if op == 6:
            return self.insert_child(s)
        if op == 7:
            return self.move(s)
        if op == 8:
            return self.copy_text(s)
        return self.set_text(s) if s.children == 0 else self.insert_child(s)


def _overlaps(edits: list[Edit]) -> bool:
    ordered = sorted(edits, key=lambda e: e[0])
    pairs = zip(ordered, ordered[1:], strict=False)
    return any(a[0] + a[1] > b[0] or a[0] == b[0] for a, b in pairs)


def generate() -> list[Case]:
    """Every case, in a fixed order; the same list on every run."""
    rng = random.Random(SEED)
    bases = load_bases()
    cases: list[Case] = []

    def add(base: str, edits: list[Edit], tag: str, encoding: str = "utf-8") -> None:
        url = rng.choice([None, SELF_URLS.get(base), SELF_URLS.get(base), OTHER_URL])
        name = f"{len(cases):05d}-{base}-{tag}"
        newline = "\r\n" if rng.random() < 0.02 else "\n"
        cases.append(Case(name, base, tuple(edits), url, encoding, newline))

    for base in bases:
        add(base, [], "as-is")
    structured = [b for b in bases if b in SELF_URLS]
    for base in structured:
        m = Mutator(_text(bases[base]), rng)
        for s in m.inner:
            add(base, m.remove(s), f"remove-{s.name}")
            if s.children == 0:
                for _ in range(3):
                    add(base, m.set_text(s), f"text-{s.name}")
            for i, (attr, _, _) in enumerate(s.attrs):
                for _ in range(2):
                    add(base, m.set_attr(s, i), f"attr-{s.name}-{attr}")
                if rng.random() < 0.3:
                    add(base, m.remove_attr(s, i), f"noattr-{s.name}-{attr}")
            if rng.random() < 0.2:
                add(base, m.duplicate(s), f"dup-{s.name}")
        # every bad value of each kind, on an element or attribute of that kind
        for pool in (DATES, URLS, EMAILS, LANGS, INTS, None):
            targets = [s for s in m.inner if s.children == 0 and _text_pool(s.local) is pool
                       and (pool is not None or s.local in MARKUP_ELEMENTS)]
            for value in (pool or MARKUP) if targets else ():
                s = rng.choice(targets)
                text = _escape(value) if pool is not None else value
                add(base, m.set_text(s, text), f"value-{s.name}")
        attrs = [(s, i, name) for s in m.inner for i, (name, _, _) in enumerate(s.attrs)]
        for pool in (URLS, MIMES, LANGS, INTS, RELS, BOOLS, ENUMS):
            targets = [(s, i) for s, i, name in attrs if _attr_pool(name) is pool
                       or (pool is MIMES and name == "type")]
            for value in pool if targets else ():
                s, i = rng.choice(targets)
                add(base, m.set_attr(s, i, value), f"value-{s.name}-{s.attrs[i][0]}")
        containers = [s for s in m.spans if s.children > 0]
        for snippet in SNIPPETS:
            s = rng.choice(containers)
            add(base, m.insert_child(s, snippet), f"insert-{s.name}")
    for i in range(1200):
        base = rng.choice(structured)
        m = Mutator(_text(bases[base]), rng)
        edits: list[Edit] = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            more = m.document() if rng.random() < 0.15 else m.random_op()
            if not _overlaps(edits + more):
                edits.extend(more)
        add(base, edits, f"random{i}")
    for _ in range(60):
        base = rng.choice(structured)
        m = Mutator(_text(bases[base]), rng)
        edits = m.random_op()
        encoding = rng.choice(["latin-1", "utf-16", "cp1252"])
        case = Case("probe", base, tuple(edits), None, encoding)
        try:
            build(case, bases)
        except UnicodeError:
            continue
        add(base, edits, f"encoded-{encoding}", encoding)
    return cases


def expected_lines(cases: list[Case], bases: dict[str, bytes]) -> Iterator[str]:
    from feedpub.validator import validate_bytes

    yield json.dumps({"cases": len(cases), "digest": corpus_digest(cases, bases)})
    for case in cases:
        report = validate_bytes(build(case, bases), path="<case>", base=case.url)
        row: dict[str, Any] = {"name": case.name, "base": case.base, "edits": case.edits}
        if case.url is not None:
            row["url"] = case.url
        if case.encoding != "utf-8":
            row["encoding"] = case.encoding
        if case.newline != "\n":
            row["newline"] = case.newline
        row.update((k, v) for k, v in messages(report).items() if v)
        yield json.dumps(row)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite expected.jsonl")
    args = parser.parse_args(argv)
    cases = generate()
    bases = load_bases()
    if not args.write:
        print(f"{len(cases)} cases, digest {corpus_digest(cases, bases)}")
        return 0
    lines = list(expected_lines(cases, bases))
    EXPECTED.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED} ({len(cases)} cases)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
