"""RSS 2.0 rules, on small documents written for each rule."""

from __future__ import annotations

from feedpub.validator import validate_bytes

SELF = '<atom:link href="https://example.org/feed.rss" rel="self" type="application/rss+xml"/>'


def rss(channel_extra: str = "", item: str | None = None, ns: str = "") -> bytes:
    """A valid RSS 2.0 feed, with room for the element under test."""
    if item is None:
        item = (
            "<title>Hello</title><link>https://example.org/1</link>"
            "<description>First post</description>"
            "<guid>https://example.org/1</guid>"
            "<pubDate>Tue, 31 Dec 2002 14:20:20 GMT</pubDate>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" {ns}>\n'
        "<channel>\n<title>Example</title>\n<link>https://example.org/</link>\n"
        f"<description>An example feed</description>\n{SELF}\n{channel_extra}\n"
        f"<item>{item}</item>\n</channel>\n</rss>\n"
    ).encode()


def codes(data: bytes) -> tuple[set[str], set[str]]:
    report = validate_bytes(data, path="t.rss", base="https://example.org/feed.rss")
    assert report.format == "rss2"
    return {m.code for m in report.errors}, {m.code for m in report.warnings}


def test_valid_feed_is_clean() -> None:
    assert codes(rss()) == (set(), set())


def test_missing_channel_elements() -> None:
    data = b'<rss version="2.0"><channel><title>x</title></channel></rss>'
    errors, warnings = codes(data)
    assert {"MissingLink", "MissingDescription"} <= errors
    assert "MissingAtomSelfLink" in warnings


def test_item_needs_title_or_description() -> None:
    errors, _ = codes(
        rss(item="<link>https://example.org/1</link><guid>https://example.org/1</guid>")
    )
    assert errors == {"ItemMustContainTitleOrDescription"}


def test_wrong_day_of_week() -> None:
    errors, _ = codes(rss("<pubDate>Mon, 31 Dec 2002 14:20:20 GMT</pubDate>"))
    assert errors == {"IncorrectDOW"}


def test_non_rfc822_date() -> None:
    errors, _ = codes(rss("<lastBuildDate>2002-12-31T14:20:20Z</lastBuildDate>"))
    assert errors == {"InvalidRFC2822Date"}


def test_rfc822_comments_are_only_a_warning() -> None:
    errors, warnings = codes(rss("<pubDate>Tue (ugh), 31 Dec 2002 14:20 +0000</pubDate>"))
    assert not errors
    assert "ProblematicalRFC822Date" in warnings


def test_relative_link_is_an_error() -> None:
    data = rss().replace(b"<link>https://example.org/</link>", b"<link>example.org/</link>")
    errors, _ = codes(data)
    assert errors == {"InvalidFullLink"}


def test_iri_is_not_a_uri_in_rss() -> None:
    data = rss().replace(b"https://example.org/1</link>", "https://exämple.org/1</link>".encode())
    assert codes(data)[0] == {"UriNotIri"}


def test_duplicate_and_unknown_elements() -> None:
    errors, _ = codes(rss("<ttl>60</ttl><ttl>30</ttl><textinput/>"))
    assert errors == {"DuplicateElement", "UndefinedElement"}


def test_enclosure_attributes() -> None:
    base = "<title>t</title><guid>https://example.org/1</guid>"
    ok = base + '<enclosure url="https://example.org/a.mp3" length="123" type="audio/mpeg"/>'
    assert codes(rss(item=ok)) == (set(), set())
    bad_len = ok.replace('"123"', '"12.5"')
    assert codes(rss(item=bad_len))[0] == {"InvalidIntegerAttribute"}
    negative = ok.replace('"123"', '"-1"')
    assert codes(rss(item=negative))[0] == {"UseZeroForUnknown"}
    bad_type = ok.replace("audio/mpeg", "mp3")
    assert codes(rss(item=bad_type))[0] == {"InvalidMIMEAttribute"}
    no_len = ok.replace(' length="123"', "")
    assert codes(rss(item=no_len))[0] == {"MissingAttribute"}


def test_guid_rules() -> None:
    assert codes(rss(item="<title>t</title><guid>example.com</guid>"))[0] == {"InvalidHttpGUID"}
    ok = '<title>t</title><guid isPermaLink="false">example.com</guid>'
    assert codes(rss(item=ok)) == (set(), set())
    assert codes(rss(item="<title>t</title>"))[1] == {"MissingGuid"}
    twice = rss(item=ok).replace(b"</item>", b"</item><item>" + ok.encode() + b"</item>", 1)
    assert codes(twice)[0] == {"DuplicateValue"}


def test_contacts() -> None:
    good = "<managingEditor>ed@example.org (Ed Itor)</managingEditor>"
    assert codes(rss(good)) == (set(), set())
    assert codes(rss("<webMaster>Ed Itor</webMaster>"))[0] == {"InvalidContact"}
    assert codes(rss("<webMaster>ed@example.org</webMaster>"))[1] == {"MissingRealName"}


def test_skip_days_and_hours() -> None:
    days = "".join(f"<day>{d}</day>" for d in ("Monday", "Monday"))
    assert codes(rss(f"<skipDays>{days}</skipDays>"))[0] == {"DuplicateValue"}
    assert codes(rss("<skipDays></skipDays>"))[0] == {"MissingElement"}
    assert codes(rss("<skipHours><hour>24</hour></skipHours>"))[0] == {"InvalidHour"}
    eight = "".join(
        f"<day>{d}</day>"
        for d in [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Funday",
        ]
    )
    assert "EightDaysAWeek" in codes(rss(f"<skipDays>{eight}</skipDays>"))[0]


def test_image_and_ttl_and_cloud() -> None:
    image = (
        "<image><url>https://example.org/i.png</url><title>Example</title>"
        "<link>https://example.org/</link><width>200</width></image>"
    )
    assert codes(rss(image))[0] == {"InvalidWidth"}
    assert codes(rss("<ttl>-5</ttl>"))[0] == {"InvalidPositiveInteger"}
    cloud = (
        '<cloud domain="r.example.org" port="0" path="/RPC2" '
        'registerProcedure="p" protocol="soap"/>'
    )
    assert codes(rss(cloud))[0] == {"InvalidIntegerAttribute"}


def test_script_in_description_is_a_security_warning() -> None:
    item = (
        "<title>t</title><guid>https://example.org/1</guid>"
        "<description>&lt;script&gt;alert(1)&lt;/script&gt;</description>"
    )
    errors, warnings = codes(rss(item=item))
    assert not errors and "SecurityRisk" in warnings
    harmless = item.replace("script&gt;", "scriptingNews&gt;")
    assert codes(rss(item=harmless)) == (set(), set())


def test_common_extensions_are_accepted() -> None:
    ns = (
        'xmlns:media="http://search.yahoo.com/mrss/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"'
    )
    item = (
        "<title>t</title><guid>https://example.org/1</guid><dc:creator>Ann</dc:creator>"
        "<description>d</description><content:encoded>&lt;p&gt;Hi&lt;/p&gt;</content:encoded>"
        '<media:content url="https://example.org/a.jpg" medium="image" type="image/jpeg" '
        'width="640" height="480"/><media:thumbnail url="https://example.org/t.jpg"/>'
    )
    assert codes(rss(item=item, ns=ns)) == (set(), set())


def test_media_rules() -> None:
    ns = 'xmlns:media="http://search.yahoo.com/mrss/"'
    one = '<title>t</title><guid>https://example.org/1</guid><media:group><media:content url="https://example.org/a.jpg"/></media:group>'
    assert codes(rss(item=one, ns=ns))[1] == {"MediaGroupWithoutAlternatives"}
    bad = (
        "<title>t</title><guid>https://example.org/1</guid>"
        '<media:content url="https://example.org/a.jpg" fileSize="big"/>'
    )
    assert codes(rss(item=bad, ns=ns))[0] == {"InvalidIntegerAttribute"}
    unknown = "<title>t</title><guid>https://example.org/1</guid><media:bogus/>"
    assert codes(rss(item=unknown, ns=ns))[0] == {"UndefinedElement"}


def test_dublin_core_date_and_duplicates() -> None:
    ns = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
    assert codes(rss("<dc:date>2002-12-31T19:20+01:00</dc:date>", ns=ns)) == (set(), set())
    assert codes(rss("<dc:date>31/12/2002</dc:date>", ns=ns))[0] == {"InvalidW3CDTFDate"}
    twice = "<dc:date>2002-12-31</dc:date><dc:date>2002-12-30</dc:date>"
    assert codes(rss(twice, ns=ns))[0] == {"DuplicateElement"}


def test_error_positions_point_at_the_element() -> None:
    data = rss("<ttl>soon</ttl>")
    report = validate_bytes(data)
    (msg,) = report.errors
    line = data.decode().splitlines()[msg.line - 1]
    assert line[msg.column - 1 :].startswith("<ttl>")


def test_zone_offset_of_a_day_or_more_is_an_error_not_a_crash() -> None:
    errors, _ = codes(rss("<pubDate>Tue, 24 Aug 2021 19:00:00 +8000</pubDate>"))
    assert errors == {"InvalidRFC2822Date"}
