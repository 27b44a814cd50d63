"""Helpers for the hostile-input tests: one record through the real pipeline, feeds validated."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from typing import Any

import yaml
from conftest import seed_text

from feedpub.builder import FeedInfo
from feedpub.entry import Entry
from feedpub.formats import FORMATS
from feedpub.normalize import Normalized, normalize
from feedpub.problems import Problem
from feedpub.reader import DEFAULT_LIMITS, Limits, SeedRecord, parse_seed_bytes
from feedpub.validator import validate_bytes

BASE = "https://feeds.example.org/hostile/"
GOOD: dict[str, Any] = {
    "title": "A good story",
    "publishedDateTime": "2021-08-24T19:00:00Z",
    "webUrl": "https://news.example.com/story",
}


def fields(**overrides: Any) -> dict[str, Any]:
    """The minimal good record with ``overrides``; ``...`` removes a field."""
    data = dict(GOOD)
    for key, value in overrides.items():
        if value is ...:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def seed_bytes(data: dict[str, Any], body: str | None = None) -> bytes:
    return seed_text(data, body).encode("utf-8")


def run(raw: bytes | dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> Normalized:
    """Bytes (or fields) → read → normalize, as ``feedpub build`` does for one file."""
    if isinstance(raw, dict):
        raw = seed_bytes(raw)
    record = parse_seed_bytes(raw, "seeds/x.md", limits)
    if isinstance(record, Problem):
        return Normalized(None, (record,))
    return normalize(record, limits)


def rejection(result: Normalized) -> Problem:
    assert result.entry is None, f"expected a rejection, got an entry: {result.entry}"
    fatal = [p for p in result.problems if p.fatal]
    assert len(fatal) == 1, result.problems
    return fatal[0]


def accepted(result: Normalized) -> Entry:
    assert result.entry is not None, [str(p) for p in result.problems]
    return result.entry


def notes(result: Normalized) -> dict[str, str]:
    return {p.field: p.reason for p in result.problems if not p.fatal}


def feeds(entry: Entry) -> dict[str, bytes]:
    """Every format for a one-entry feed; each must pass ``feedpub validate`` without errors."""
    info = FeedInfo(
        title="Hostile", description="Hostile input", site_url=BASE, self_url=BASE + "all.rss",
        updated=entry.updated,
    )
    out = {}
    for name, fmt in FORMATS.items():
        url = f"{BASE}all{fmt.ext}"
        data = fmt.render(dataclasses.replace(info, self_url=url), [entry])
        report = validate_bytes(data, path=f"all{fmt.ext}", base=url)
        assert not report.errors, (name, [f"{m.code}: {m.message}" for m in report.errors])
        out[name] = data
    assert {"rss", "atom"} <= out.keys()
    return out


def parsed(raw: bytes) -> SeedRecord:
    record = parse_seed_bytes(raw, "seeds/x.md")
    assert isinstance(record, SeedRecord), str(record)
    return record


UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
