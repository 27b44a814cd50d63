"""Untrusted input: no entity expansion, no external access, bounded size and depth."""

from __future__ import annotations

import codecs
import time
from pathlib import Path

from feedpub.validator import validate_bytes

RSS_BODY = (
    "<channel><title>t</title><link>https://example.org/</link>"
    "<description>{}</description></channel></rss>"
)


def test_billion_laughs_is_refused_quickly() -> None:
    levels = ['<!ENTITY lol0 "lol">']
    for i in range(1, 10):
        levels.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    doc = (
        '<?xml version="1.0"?><!DOCTYPE rss ['
        + "".join(levels)
        + ']><rss version="2.0">'
        + RSS_BODY.format("&lol9;")
    ).encode()
    started = time.perf_counter()
    report = validate_bytes(doc)
    assert time.perf_counter() - started < 0.5
    assert [m.code for m in report.errors] == ["EntityDeclaration"]


def test_quadratic_blowup_is_refused_quickly() -> None:
    doc = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "'
        + "x" * 50_000
        + '">]>'
        + '<rss version="2.0">'
        + RSS_BODY.format("&a;" * 50_000)
    ).encode()
    started = time.perf_counter()
    report = validate_bytes(doc)
    assert time.perf_counter() - started < 0.5
    assert not report.valid


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    for system_id in (secret.as_uri(), "http://127.0.0.1:9/ping"):
        doc = (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{system_id}">]>'
            + '<rss version="2.0">'
            + RSS_BODY.format("&x;")
        ).encode()
        report = validate_bytes(doc)
        assert not report.valid
        assert "TOP-SECRET" not in repr(report.to_json())


def test_plain_doctype_is_accepted_but_rss091_dtd_on_rss2_is_not() -> None:
    plain = ('<!DOCTYPE rss><rss version="2.0">' + RSS_BODY.format("d")).encode()
    assert validate_bytes(plain).valid
    netscape = (
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="2.0">'
        + RSS_BODY.format("d")
    ).encode()
    assert "InvalidDoctype" in {m.code for m in validate_bytes(netscape).errors}


def test_undefined_entity_with_external_dtd_is_an_error() -> None:
    doc = (
        '<!DOCTYPE rss SYSTEM "http://example.org/x.dtd"><rss version="2.0">'
        + RSS_BODY.format("&nbsp;")
    ).encode()
    report = validate_bytes(doc)
    assert not report.valid


def test_size_limit() -> None:
    doc = ('<rss version="2.0">' + RSS_BODY.format("x" * 5000)).encode()
    report = validate_bytes(doc, max_bytes=1000)
    assert [m.code for m in report.errors] == ["TooLarge"]
    assert validate_bytes(doc, max_bytes=100_000).valid


def test_binary_garbage_does_not_crash() -> None:
    import random

    rng = random.Random(1234)
    for _ in range(50):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        report = validate_bytes(blob)
        assert report.errors


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    deep = "<a>" * 100_000 + "</a>" * 100_000
    doc = (
        '<rss version="2.0"><channel><title>t</title><link>https://example.org/</link>'
        f"<description>d</description><x:y xmlns:x='urn:x:y'>{deep}</x:y></channel></rss>"
    )
    started = time.perf_counter()
    report = validate_bytes(doc.encode())
    assert time.perf_counter() - started < 2
    assert not report.valid
    json_deep = ("[" * 100_000 + "]" * 100_000).encode()
    assert not validate_bytes(json_deep).valid


def test_encodings() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">' + RSS_BODY.format("é")
    utf16 = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    report = validate_bytes(utf16)
    assert report.format == "rss2" and not report.errors
    latin = text.replace("utf-16", "iso-8859-1").encode("latin-1")
    assert not validate_bytes(latin).errors
    undeclared = text.replace(' encoding="utf-16"', "").encode("latin-1")
    assert [m.code for m in validate_bytes(undeclared).errors] == ["NotUTF8"]
    lying = text.replace("utf-16", "utf-16").encode("utf-8")
    assert [m.code for m in validate_bytes(lying).errors] == ["EncodingMismatch"]
    bom = codecs.BOM_UTF8 + text.replace("utf-16", "utf-8").encode()
    assert not validate_bytes(bom).errors


def test_not_well_formed_reports_position() -> None:
    report = validate_bytes(b'<rss version="2.0">\n<channel>\n</rss>')
    (msg,) = report.errors
    assert msg.code == "SAXError" and msg.line == 3
