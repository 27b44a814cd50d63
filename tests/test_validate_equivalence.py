"""The validator says exactly what it said before it was made faster.

``validator_messages/expected.jsonl`` was written by the validator as it was before
the speed-up (``tests/validator_corpus.py`` explains how); every case is our own
output or a hand-written feed, valid or deliberately broken. Codes, lines, columns
and texts of every error and warning must be unchanged.
"""

from __future__ import annotations

import pytest
from validator_corpus import build, corpus_digest, load_bases, messages, read_expected

from feedpub.validator import validate_bytes

HEADER, CASES = read_expected()
BASES = load_bases()


def test_fixture_documents_are_the_recorded_ones() -> None:
    """The bases were not edited since the messages were recorded."""
    assert len(CASES) == HEADER["cases"]
    assert corpus_digest([case for case, _ in CASES], BASES) == HEADER["digest"]


def test_fixture_covers_valid_and_broken_documents_of_both_formats() -> None:
    formats = {row["format"] for _, row in CASES}
    assert {"rss2", "atom1"} <= formats
    codes = {m[0] for _, row in CASES for m in row["errors"] + row["warnings"]}
    assert len(codes) > 80
    assert any(not row["errors"] for _, row in CASES)


@pytest.mark.parametrize("chunk", range(8))
def test_messages_are_unchanged(chunk: int) -> None:
    differ = []
    for case, expected in CASES[chunk::8]:
        report = validate_bytes(build(case, BASES), path="<case>", base=case.url)
        got = messages(report)
        if got != expected:
            differ.append((case.name, expected, got))
    assert not differ, differ[:3]
