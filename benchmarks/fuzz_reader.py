"""Fuzz the seed-record reader: mutated seed files through read → normalize → render → validate.

Every input must end as an entry whose feeds (every format) pass
``feedpub.validator`` without errors, or as exactly one rejection naming a
field; an exception, an invalid feed or an input slower than a second is a
failure (saved under ``benchmarks/_work/fuzz-reader/``).

    python benchmarks/fuzz_reader.py [--seconds 30] [--seed 1] [--engine builtin|atheris]

Corpus: ``benchmarks/fuzz-corpus/reader/`` (small seed files written for this).
Not part of the unit test time budget.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import _fuzz  # noqa: E402

ARGS = _fuzz.parse_args(__doc__.splitlines()[0])
if ARGS.engine == "atheris":  # pragma: no cover - needs the fuzz extra
    import atheris

    with atheris.instrument_imports(include=["feedpub", "yaml"]):
        import feedpub.formats  # noqa: F401
        import feedpub.normalize  # noqa: F401

from feedpub.builder import FeedInfo  # noqa: E402
from feedpub.formats import FORMATS  # noqa: E402
from feedpub.normalize import normalize  # noqa: E402
from feedpub.problems import Problem  # noqa: E402
from feedpub.reader import parse_seed_bytes  # noqa: E402
from feedpub.validator import validate_bytes  # noqa: E402

CORPUS = HERE / "fuzz-corpus" / "reader"
BASE = "https://feeds.example.org/fuzz/"
TOKENS = [
    b"---\n", b"...\n", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b": ", b"- ", b"  ", b"\t", b"[",
    b"]", b"{", b"}", b",", b"&a ", b"*a", b"<<: *a\n", b"!!python/object/apply:os.system ",
    b"!!binary ", b"!!timestamp ", b"!!int ", b"!!float ", b"!!set ", b"!!omap ", b"? ", b"|\n",
    b">-\n", b"'", b'"', b"\\x00", b"\\u0085", b"#", b"%YAML 1.1\n", b"title: ", b"webUrl: ",
    b"originalUrl: ", b"publishedDateTime: ", b"topics: ", b"images: ", b"related: ",
    b"provider: ", b"excerpt: ", b"published: ", b"width: ", b"url: ", b"secured: ",
    b"https://", b"http://[::1]/", b"javascript:", b"data:", b"2021-02-30T00:00:00Z",
    b"2021-08-24T19:00:00+25:00", b"Tue, 24 Aug 2021 19:00:00 GMT", b".nan", b".inf",
    b"99999999999999999999", b"<script>", b"<img src=x onerror=alert(1)>", b"&#0;", b"&amp;",
    b"]]>", b"\x00", b"\x1b",
]


def target(data: bytes) -> str:
    """Read, normalize, render and validate one mutated seed file; raise only on a bug."""
    record = parse_seed_bytes(data, "fuzz.md")
    if isinstance(record, Problem):
        return f"rejected: {record.field}"
    result = normalize(record)
    fatal = [p for p in result.problems if p.fatal]
    if result.entry is None:
        assert len(fatal) == 1, result.problems
        return f"rejected: {fatal[0].field}"
    assert not fatal, result.problems
    info = FeedInfo(title="Fuzz", description="Fuzz", site_url=BASE, self_url=BASE + "all.rss",
                    updated=result.entry.updated)
    for fmt in FORMATS.values():
        name = "all" + fmt.ext
        document = fmt.render(dataclasses.replace(info, self_url=BASE + name), [result.entry])
        report = validate_bytes(document, path=name, base=BASE + name)
        if report.errors:
            raise AssertionError(f"{name} invalid: {[m.code for m in report.errors]}")
    return "published" if not result.problems else "published with notes"


if __name__ == "__main__":
    sys.exit(_fuzz.run("reader", target, CORPUS, TOKENS, ARGS))
