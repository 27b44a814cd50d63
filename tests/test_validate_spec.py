"""Spec rules of `feedpub validate`, one small document per rule.

Each case names the rule's source. Documents are written here, inline; a case
lists the error code it must raise, or None when the document must be valid
(warnings allowed).
"""

from __future__ import annotations

import pytest

from feedpub.validator import validate_bytes

ITUNES = 'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
MEDIA = 'xmlns:media="http://search.yahoo.com/mrss/"'
DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
THR = 'xmlns:thr="http://purl.org/syndication/thread/1.0"'
WFW = 'xmlns:wfw="http://wellformedweb.org/CommentAPI/"'
GEORSS = 'xmlns:georss="http://www.georss.org/georss"'
OS = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
SY = 'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"'
FH = 'xmlns:fh="http://purl.org/syndication/history/1.0"'
SLASH = 'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'


def rss(channel: str = "", item: str = "<title>i</title>", ns: str = "", head: str = "") -> bytes:
    """A valid RSS 2.0 feed with extra channel markup and one item."""
    return (
        f'{head}<rss version="2.0" {ns}><channel><title>t</title>'
        "<link>http://example.org/</link><description>d</description>"
        f"{channel}<item>{item}</item></channel></rss>"
    ).encode()


def atom(feed: str = "", entry: str = "", ns: str = "", entry_attrs: str = "") -> bytes:
    """A valid Atom feed with extra feed and entry markup."""
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom" {ns}><title>t</title>'
        "<id>urn:uuid:60a76c80-d399-11d9-b93c-0003939e0af6</id>"
        "<updated>2020-01-01T00:00:00Z</updated><author><name>a</name></author>"
        f'<link rel="self" href="http://example.org/feed"/>{feed}'
        f"<entry {entry_attrs}><title>e</title>"
        "<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>"
        '<updated>2020-01-01T00:00:00Z</updated><link href="http://example.org/1"/>'
        f"<summary>s</summary>{entry}</entry></feed>"
    ).encode()


CASES = [
    # RSS 2.0 <language>: ISO 639 codes (the W3C-allowed HTML language values).
    ("rss-language-639-2", rss("<language>UND</language>"), None),
    ("rss-language-region", rss("<language>pt-BR</language>"), None),
    ("rss-language-unknown", rss("<language>xx</language>"), "InvalidLanguage"),
    ("rss-language-underscore", rss("<language>en_US</language>"), "InvalidLanguage"),
    ("dc-language", rss("<dc:language>zz</dc:language>", ns=DC), "InvalidLanguage"),
    # ttl is a positive integer (number of minutes).
    ("rss-ttl-zero", rss("<ttl>0</ttl>"), "InvalidPositiveInteger"),
    ("rss-ttl-plus", rss("<ttl>+60</ttl>"), None),
    # Attributes RSS 2.0 does not define are errors; namespaced ones are extensions.
    (
        "rss-guid-attr-case",
        rss(item='<title>i</title><guid isPermalink="false">x</guid>'),
        "UnexpectedAttribute",
    ),
    ("rss-item-attr", rss(item='<title lang="en">i</title>'), "UnexpectedAttribute"),
    (
        "rss-namespaced-attr",
        rss(item='<title xml:lang="en" dc:x="1">i</title>', ns=DC),
        None,
    ),
    ("rss-category-domain", rss('<category domain="http://x.org/">c</category>'), None),
    # A permalink guid must be openable in a browser: not a tag: or urn: id.
    ("rss-guid-tag-permalink", rss(item="<guid>tag:x.org,2020:1</guid>"), "InvalidPermalink"),
    (
        "rss-guid-tag-not-permalink",
        rss(item='<title>i</title><guid isPermaLink="false">tag:x.org,2020:1</guid>'),
        None,
    ),
    # E-mail addresses need a domain with a dot (RFC 2821 section 2.3.5: an FQDN).
    ("rss-author-no-dot", rss(item="<author>me@localhost (Me)</author>"), "InvalidContact"),
    ("rss-author-ok", rss(item="<title>i</title><author>me@example.org (Me)</author>"), None),
    (
        "rss-author-bracket",
        rss(item="<title>i</title><author>Me &lt;me@example.org&gt;</author>"),
        None,
    ),
    # skipHours: 0-23; more than 24 hours cannot be.
    ("rss-hour-24", rss("<skipHours><hour>24</hour></skipHours>"), "InvalidHour"),
    ("rss-hour-0", rss("<skipHours><hour>0</hour></skipHours>"), None),
    # The Netscape RSS 0.91 DTD is withdrawn.
    (
        "rss-netscape-dtd",
        rss(
            head='<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
            '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        ),
        "DeprecatedDTD",
    ),
    # Enclosure: type is a media type (RFC 2045), with well-formed parameters.
    (
        "rss-enclosure-params",
        rss(
            item='<title>i</title><enclosure url="http://x.org/a.mp3" length="1" '
            'type="audio/mpeg; codecs=mp3"/>'
        ),
        None,
    ),
    (
        "rss-enclosure-bad-param",
        rss(
            item='<title>i</title><enclosure url="http://x.org/a.mp3" length="1" '
            'type="audio/mpeg; codecs"/>'
        ),
        "InvalidMIMEAttribute",
    ),
    # URIs: "[" and "]" only around an IP literal host (RFC 3986 section 3.2.2).
    ("rss-link-brackets", rss(item="<link>http://x.org/?a[]=1</link>"), "InvalidUriChar"),
    ("rss-link-ipv6", rss(item="<title>i</title><link>http://[2001:db8::1]/a</link>"), None),
    ("rss-link-ftp-no-host", rss(item="<link>ftp:/pub/a</link>"), "InvalidFullLink"),
    # iTunes podcast tags.
    (
        "itunes-category",
        rss(
            '<itunes:category text="Technology"><itunes:category text="Podcasting"/>'
            "</itunes:category>",
            ns=ITUNES,
        ),
        None,
    ),
    (
        "itunes-category-unknown",
        rss('<itunes:category text="Gardening"/>', ns=ITUNES),
        "InvalidItunesCategory",
    ),
    (
        "itunes-explicit",
        rss("<itunes:explicit>maybe</itunes:explicit>", ns=ITUNES),
        "InvalidYesNoClean",
    ),
    ("itunes-block", rss("<itunes:block>yes</itunes:block>", ns=ITUNES), None),
    (
        "itunes-duration",
        rss(item="<title>i</title><itunes:duration>1:02:03</itunes:duration>", ns=ITUNES),
        None,
    ),
    (
        "itunes-duration-bad",
        rss(item="<title>i</title><itunes:duration>1:75</itunes:duration>", ns=ITUNES),
        "InvalidDuration",
    ),
    ("itunes-image", rss("<itunes:image/>", ns=ITUNES), "MissingAttribute"),
    ("itunes-unknown", rss("<itunes:bogus/>", ns=ITUNES), "UndefinedElement"),
    (
        "itunes-owner-email",
        rss("<itunes:owner><itunes:email>nobody</itunes:email></itunes:owner>", ns=ITUNES),
        "InvalidEmail",
    ),
    # Media RSS 1.5.1 ratings and restrictions.
    (
        "media-rating",
        rss(item='<title>i</title><media:rating scheme="urn:mpaa">pg-13</media:rating>', ns=MEDIA),
        None,
    ),
    (
        "media-rating-bad",
        rss(item="<title>i</title><media:rating>naughty</media:rating>", ns=MEDIA),
        "InvalidMediaRating",
    ),
    (
        "media-restriction",
        rss(
            item='<title>i</title><media:restriction type="country">fr</media:restriction>',
            ns=MEDIA,
        ),
        "MissingAttribute",
    ),
    # Well-Formed Web comment API: full URLs.
    (
        "wfw-commentrss",
        rss(item="<title>i</title><wfw:commentRss>/c</wfw:commentRss>", ns=WFW),
        "InvalidFullLink",
    ),
    # sy:updateFrequency is a positive integer, slash:comments non-negative.
    (
        "sy-frequency",
        rss("<sy:updateFrequency>0</sy:updateFrequency>", ns=SY),
        "InvalidPositiveInteger",
    ),
    (
        "slash-comments",
        rss(item="<title>i</title><slash:comments>0</slash:comments>", ns=SLASH),
        None,
    ),
    # GeoRSS Simple.
    (
        "georss-point",
        rss(item="<title>i</title><georss:point>45.2 -71.9</georss:point>", ns=GEORSS),
        None,
    ),
    (
        "georss-point-bad",
        rss(item="<title>i</title><georss:point>45.2</georss:point>", ns=GEORSS),
        "InvalidCoord",
    ),
    (
        "georss-polygon-odd",
        rss(item="<title>i</title><georss:polygon>1 2 3 4 5</georss:polygon>", ns=GEORSS),
        "InvalidCoordList",
    ),
    # OpenSearch response elements.
    (
        "opensearch-total",
        rss("<opensearch:totalResults>-1</opensearch:totalResults>", ns=OS),
        "InvalidNonNegativeInteger",
    ),
    (
        "opensearch-role",
        rss('<opensearch:Query role="guess" searchTerms="x"/>', ns=OS),
        "InvalidLocalRole",
    ),
    ("opensearch-role-ok", rss('<opensearch:Query role="request" searchTerms="x"/>', ns=OS), None),
    # Qualified Dublin Core refinements follow their element's rules.
    ("dc-refinement", rss(item="<title>i</title><dc:date.Taken>2002</dc:date.Taken>", ns=DC), None),
    (
        "dc-refinement-bad",
        rss(item="<title>i</title><dc:date.Taken>yesterday</dc:date.Taken>", ns=DC),
        "InvalidW3CDTFDate",
    ),
    # RSS 2.0 is not RDF; xml:lang on RSS elements is a language tag.
    (
        "rss-rdf-element",
        rss("<rdf:Description/>", ns='xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'),
        "UndefinedElement",
    ),
    ("rss-xml-lang", rss(item='<title xml:lang="english">i</title>'), "InvalidLanguage"),
    # Atom xml:lang and hreflang: language tags with an ISO 639 primary subtag.
    ("atom-xml-lang-private", atom(entry_attrs='xml:lang="x-klingon"'), None),
    ("atom-xml-lang-bad", atom(entry_attrs='xml:lang="xx"'), "InvalidLanguage"),
    (
        "atom-hreflang-bad",
        atom(entry='<link rel="related" href="http://x.org/" hreflang="english"/>'),
        "InvalidLanguage",
    ),
    # Unqualified attributes Atom does not define, on feed and entry too.
    ("atom-entry-attr", atom(entry_attrs='lang="en"'), "UnexpectedAttribute"),
    # Atom type attributes hold a media type verbatim (RFC 4287 4.2.7.3, 4.1.3.1).
    (
        "atom-link-type-space",
        atom(entry='<link rel="related" href="http://x.org/" type=" text/html"/>'),
        "InvalidMIMEType",
    ),
    (
        "atom-content-type-space",
        atom(entry='<content type=" text/html">x</content>'),
        "InvalidMIMEType",
    ),
    # atom:email is an addr-spec: no surrounding whitespace, a dotted domain.
    (
        "atom-email-space",
        atom(entry="<author><name>n</name><email> n@example.org</email></author>"),
        "InvalidAddrSpec",
    ),
    # rel is isegment-nz-nc or an IRI (RFC 4287 4.2.7.2).
    (
        "atom-rel-slash",
        atom(entry='<link rel="foo/bar" href="http://x.org/"/>'),
        "InvalidAtomLinkRel",
    ),
    ("atom-rel-name", atom(entry='<link rel="service.foo" href="http://x.org/"/>'), None),
    # A full IANA rel IRI for alternate counts as an alternate link.
    (
        "atom-iana-alternate",
        atom(
            entry='<link rel="http://www.iana.org/assignments/relation/alternate" '
            'href="http://x.org/2" type="text/plain"/>'
        ),
        None,
    ),
    # URNs: NID of 2-32 characters (RFC 2141); urn:uuid needs the RFC 4122 form.
    (
        "atom-urn-short-nid",
        atom(entry="<rights>r</rights><source><id>urn:x:1</id></source>"),
        "InvalidURN",
    ),
    (
        "atom-uuid-bad",
        atom(feed="<icon>i.png</icon>", entry="<source><id>urn:uuid:42</id></source>"),
        "InvalidURN",
    ),
    # RFC 5005: fh:complete is an empty marker in the feed head.
    ("fh-complete", atom(feed="<fh:complete/>", ns=FH), None),
    ("fh-complete-text", atom(feed="<fh:complete>yes</fh:complete>", ns=FH), "UnexpectedText"),
    ("fh-in-entry", atom(entry="<fh:archive/>", ns=FH), "UndefinedElement"),
    # Text directly in element-only containers; elements inside RSS text elements.
    ("atom-author-text", atom(entry="<author>Jane<name>J</name></author>"), "UnexpectedText"),
    ("rss-item-text", rss(item="<title>i</title>loose"), "UnexpectedText"),
    ("rss-unescaped-html", rss(item="<description><p>x</p></description>"), "UndefinedElement"),
    # RFC 4685 threading.
    (
        "thr-in-reply-to",
        atom(entry="<thr:in-reply-to href='http://x.org/'/>", ns=THR),
        "MissingAttribute",
    ),
    ("thr-total", atom(entry="<thr:total>many</thr:total>", ns=THR), "InvalidNonNegativeInteger"),
    (
        "thr-count",
        atom(
            entry='<link rel="replies" href="http://x.org/c" thr:count="2" '
            'thr:updated="2020-01-01T00:00:00Z"/>',
            ns=THR,
        ),
        None,
    ),
]


@pytest.mark.parametrize(("doc", "code"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(doc: bytes, code: str | None) -> None:
    report = validate_bytes(doc, base="http://example.org/feed")
    codes = [m.code for m in report.errors]
    if code is None:
        assert codes == [], [m.message for m in report.errors]
    else:
        assert code in codes, codes


def test_helpers_follow_their_grammars() -> None:
    from feedpub.validator.langcodes import valid_language
    from feedpub.validator.mime import is_media_type
    from feedpub.validator.numbers import is_non_negative, is_positive, parse_int
    from feedpub.validator.urls import full_uri_problem

    assert [valid_language(t) for t in ("en", "EN-gb", "und", "i-navajo", "qaa")] == [True] * 5
    assert not any(valid_language(t) for t in ("", "e", "en_GB", "english", "xx", "i"))
    assert is_media_type('text/plain; charset="utf-8"') and is_media_type("application/atom+xml")
    assert not any(is_media_type(t) for t in ("text", "text/", " text/html", "text/html;", "a/b c"))
    assert [parse_int(v) for v in (" 7 ", "+3", "-2", "1.0", "", "٣")] == [
        7,
        3,
        -2,
        None,
        None,
        None,
    ]
    assert is_positive("1") and not is_positive("0") and is_non_negative("0")
    assert full_uri_problem("urn:uuid:1225C695-CFB8-4EBB-AAAA-80DA344EFA6A") is None
    assert full_uri_problem("urn:a:b") is not None  # NID of one character
    assert full_uri_problem("http://[::1]:8080/x") is None
