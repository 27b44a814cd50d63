"""Shared test helpers: seed records written from Python values, and paths to real data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "everyday-ai"


def seed_text(fields: dict[str, Any], body: str | None = None) -> str:
    """A seed file's text: the fields as YAML front matter, then the optional body."""
    front = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n{body or ''}"


def record(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid record's fields, numbered so that several differ; ``None`` removes a field."""
    fields: dict[str, Any] = {
        "category": "news",
        "title": f"Story number {n}",
        "excerpt": f"What happened in story {n}.",
        "publishedDateTime": f"2021-08-{10 + n % 18:02d}T12:00:00Z",
        "webUrl": f"https://news.example.com/story-{n}",
        "type": "article",
        "provider": {"name": "Example News", "domain": "news.example.com"},
        "topics": ["AI"],
        "images": [{"url": f"https://img.example.com/{n}.jpg", "width": 800, "height": 600}],
        "secured": "c2VjcmV0;c2VjcmV0",
    }
    for key, value in overrides.items():
        if value is None:
            fields.pop(key, None)
        else:
            fields[key] = value
    return fields


@pytest.fixture
def write_seed(tmp_path: Path):
    """Write a seed file under ``tmp_path/seeds`` and return its path."""
    folder = tmp_path / "seeds"
    folder.mkdir(exist_ok=True)

    def write(name: str, fields: dict[str, Any] | str | bytes, body: str | None = None) -> Path:
        path = folder / name
        if isinstance(fields, bytes):
            path.write_bytes(fields)
        elif isinstance(fields, str):
            path.write_text(fields, encoding="utf-8")
        else:
            path.write_text(seed_text(fields, body), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not beside the checkout ({SHARED_CORPUS})")
    return SHARED_CORPUS
