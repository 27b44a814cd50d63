"""Atom 1.0 (RFC 4287) rules, on small documents written for each rule."""

from __future__ import annotations

from feedpub.validator import validate_bytes

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/">\n'
)
FEED_META = (
    "<title>Example</title>\n<id>https://example.org/feed.atom</id>\n"
    "<updated>2024-05-01T10:00:00Z</updated>\n"
    '<link rel="self" type="application/atom+xml" href="https://example.org/feed.atom"/>\n'
    '<link rel="alternate" type="text/html" href="https://example.org/"/>\n'
)
AUTHOR = "<author><name>Ann</name><email>ann@example.org</email></author>\n"
ENTRY = (
    "<entry><title>One</title><id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>"
    "<updated>2024-05-01T10:00:00Z</updated>"
    '<link href="https://example.org/1"/><summary>First</summary></entry>\n'
)


def atom(meta: str = FEED_META + AUTHOR, entries: str = ENTRY) -> bytes:
    return (HEAD + meta + entries + "</feed>\n").encode()


def entry(extra: str, *, link: bool = True, summary: bool = True) -> str:
    parts = [
        "<entry><title>One</title><id>tag:example.org,2024:1</id>",
        "<updated>2024-05-01T10:00:00Z</updated>",
        '<link href="https://example.org/1"/>' if link else "",
        "<summary>First</summary>" if summary else "",
        extra,
        "</entry>\n",
    ]
    return "".join(parts)


def codes(data: bytes) -> tuple[set[str], set[str]]:
    report = validate_bytes(data, path="t.atom", base="https://example.org/feed.atom")
    assert report.format == "atom1"
    return {m.code for m in report.errors}, {m.code for m in report.warnings}


def test_valid_feed_is_clean() -> None:
    assert codes(atom()) == (set(), set())


def test_required_feed_elements() -> None:
    errors, _ = codes(atom(meta=AUTHOR))
    assert errors == {"MissingElement"}
    report = validate_bytes(atom(meta=AUTHOR))
    assert {m.message for m in report.errors} >= {"<feed> must contain <id>"}


def test_missing_self_is_a_warning() -> None:
    meta = FEED_META.replace('rel="self"', 'rel="related"') + AUTHOR
    assert codes(atom(meta=meta)) == (set(), {"MissingSelf"})


def test_author_required_on_feed_or_every_entry() -> None:
    assert codes(atom(meta=FEED_META))[0] == {"MissingElement"}
    with_author = entry("<author><name>Bob</name></author>")
    assert codes(atom(meta=FEED_META, entries=with_author)) == (set(), set())


def test_content_or_alternate_link() -> None:
    errors, _ = codes(atom(entries=entry("", link=False)))
    assert errors == {"MissingContentOrAlternate"}
    with_content = entry("<content>Body</content>", link=False)
    assert codes(atom(entries=with_content)) == (set(), set())


def test_duplicate_alternate_links() -> None:
    twice = entry('<link rel="alternate" href="https://example.org/other"/>')
    assert codes(atom(entries=twice))[0] == {"DuplicateAtomLink"}
    other_type = entry('<link rel="alternate" type="text/plain" href="https://example.org/o"/>')
    assert codes(atom(entries=other_type)) == (set(), set())
    related = entry(
        '<link rel="related" href="https://example.org/a"/>'
        '<link rel="related" href="https://example.org/b"/>'
    )
    assert codes(atom(entries=related)) == (set(), set())


def test_enclosure_link_and_media() -> None:
    extra = (
        '<link rel="enclosure" type="audio/mpeg" length="1234" href="https://example.org/a.mp3"/>'
        '<media:content url="https://example.org/a.jpg" medium="image"/>'
    )
    assert codes(atom(entries=entry(extra))) == (set(), set())
    bad = '<link rel="enclosure" type="audio/mpeg" length="-3" href="https://example.org/a.mp3"/>'
    assert codes(atom(entries=entry(bad)))[0] == {"InvalidNonNegativeInteger"}


def test_rfc3339_dates() -> None:
    for bad in (
        "2024-05-01",
        "2024-05-01t10:00:00z",
        "2024-13-01T10:00:00Z",
        "2024-05-01T10:00:00+0100",
        "2024-02-30T10:00:00Z",
    ):
        data = atom().replace(
            b"<updated>2024-05-01T10:00:00Z</updated>\n<link",
            f"<updated>{bad}</updated>\n<link".encode(),
        )
        assert codes(data)[0] == {"InvalidRFC3339Date"}, bad
    spaced = atom().replace(
        b"<updated>2024-05-01T10:00:00Z</updated>\n<link",
        b"<updated> 2024-05-01T10:00:00Z</updated>\n<link",
    )
    assert codes(spaced)[0] == {"UnexpectedWhitespace"}


def test_text_constructs() -> None:
    assert codes(atom(entries=entry('<rights type="html">&lt;b&gt;x&lt;/b&gt;</rights>'))) == (
        set(),
        set(),
    )
    assert codes(atom(entries=entry('<rights type="text/plain">x</rights>')))[0] == {
        "InvalidTextType"
    }
    assert codes(atom(entries=entry('<rights type="xhtml">no div</rights>')))[0] == {
        "MissingXhtmlDiv"
    }
    div = '<rights type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><b>ok</b></div></rights>'
    assert codes(atom(entries=entry(div))) == (set(), set())
    assert codes(atom(entries=entry("<rights><b>child</b></rights>")))[0] == {"UndefinedElement"}


def test_xhtml_script_is_a_security_warning() -> None:
    div = (
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<script>alert(1)</script></div></content>"
    )
    assert codes(atom(entries=entry(div))) == (set(), {"SecurityRisk"})


def test_content_rules() -> None:
    remote = entry(
        '<content src="https://example.org/a.pdf" type="application/pdf"/>', summary=False
    )
    assert codes(atom(entries=remote))[0] == {"MissingSummary"}
    binary = entry('<content type="image/png">not base64!</content>')
    assert codes(atom(entries=binary))[0] == {"NotBase64"}
    assert codes(atom(entries=entry('<content type="xml">x</content>')))[0] == {"InvalidMIMEType"}


def test_ids() -> None:
    relative = ENTRY.replace("urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6", "/posts/1")
    assert codes(atom(entries=relative))[0] == {"InvalidFullLink"}
    bad_tag = ENTRY.replace("urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6", "tag:example.org:1")
    assert codes(atom(entries=bad_tag))[0] == {"InvalidTAG"}
    bad_urn = ENTRY.replace("urn:uuid:", "urn:uu.id:")
    assert codes(atom(entries=bad_urn))[0] == {"InvalidURN"}
    assert codes(atom(entries=ENTRY * 2))[1] == {"DuplicateEntries"}
    assert codes(atom(entries=ENTRY * 3))[0] == {"DuplicateIds"}


def test_structure_errors() -> None:
    assert codes(atom(entries=entry("<pubDate>x</pubDate>")))[0] == {"UndefinedElement"}
    assert codes(atom(entries=entry("<title>Again</title>")))[0] == {"DuplicateElement"}
    assert codes(atom(entries=entry('<category scheme="x"/>')))[0] == {
        "MissingAttribute",
        "InvalidFullLink",
    }
    assert codes(atom(entries=entry('<summary mode="escaped">x</summary>', summary=False)))[0] == {
        "UnexpectedAttribute"
    }
    late = atom(entries=ENTRY + "<subtitle>late</subtitle>\n")
    assert codes(late)[0] == {"MisplacedMetadata"}


def test_person_constructs() -> None:
    meta = FEED_META + "<author><email>not-an-address</email></author>\n"
    assert codes(atom(meta=meta))[0] == {"MissingElement", "InvalidAddrSpec"}


def test_xml_base_and_lang() -> None:
    data = atom().replace(b"<feed ", b'<feed xml:lang="en-GB" xml:base="https://example.org/" ')
    assert codes(data) == (set(), set())
    bad = atom().replace(b"<feed ", b'<feed xml:lang="English!" xml:base="bad iri" ')
    assert codes(bad)[0] == {"InvalidLanguage", "InvalidUriChar"}


def test_iri_allowed_in_atom() -> None:
    data = atom().replace(b'href="https://example.org/1"', 'href="https://例え.jp/一"'.encode())
    assert codes(data) == (set(), set())
