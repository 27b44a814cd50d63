"""Synthetic seed records shaped like the real ones, for benchmarks and crash tests.

Records vary their titles, URLs and dates, carry 1-4 of ~300 topics (a few
topics are in most records, most are rare), 0-3 images, 0-6 related stories
and a ``secured`` blob, about 4 KB each. The same ``seed`` gives the same files.
"""

from __future__ import annotations

import base64
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

WORDS = (
    "ai", "model", "robot", "vision", "language", "cloud", "chip", "data", "neural", "learning",
    "startup", "research", "autonomous", "health", "finance", "security", "privacy", "ethics",
    "regulation", "market", "growth", "google", "amazon", "microsoft", "facebook", "ibm",
    "nvidia", "intel", "apple", "open", "source", "benchmark", "dataset", "training",
    "inference", "edge", "device", "sensor", "camera", "speech", "translation", "search",
    "ranking", "drug", "discovery", "protein", "climate", "energy", "factory", "logistics",
    "retail", "bank", "fraud", "voice"
)
PROVIDERS = [(f"Provider {i}", f"provider{i}.example.com") for i in range(400)]
TOPICS = ["AI", "Machine Learning", "Computer Vision", "Natural Language Processing"] + [
    f"Topic {i:03d}" for i in range(296)
]
_EPOCH = datetime(2016, 1, 1, tzinfo=timezone.utc)


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _topics(rng: random.Random) -> list[str]:
    count = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
    picked: dict[str, None] = {}
    while len(picked) < count:
        # Skewed: index ~ exponential, so "AI" is in most records, Topic 295 in few.
        index = min(int(rng.expovariate(1 / 25)), len(TOPICS) - 1)
        picked[TOPICS[index]] = None
    return list(picked)


def _image(rng: random.Random, host: str, n: int, indent: str) -> str:
    return (
        f'{indent}- url: "https://cdn.{host}/img/{n}-{rng.randrange(10**8)}.jpg"\n'
        f"{indent}  width: {rng.choice((600, 800, 1200))}\n"
        f"{indent}  height: {rng.choice((338, 450, 675))}\n"
        f"{indent}  isCached: true\n"
    )


def record(n: int, seed: int = 0, edit: int = 0, newest: bool = False) -> str:
    """The text of synthetic record number ``n`` (``edit`` changes its title and excerpt).

    Records are dated over five years from 2016; a ``newest`` one comes after all of them
    (a story just published).
    """
    rng = random.Random(seed * 1_000_003 + n)
    when = _EPOCH + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
    if newest:
        when = _EPOCH + timedelta(days=5 * 366, minutes=n)
    title = _words(rng, 5, 12).capitalize() + f" ({n})"
    if edit:
        title += f" [edited {edit}]"
    slug = "-".join(title.lower().split()[:6]).strip("()") + f"-{n}"
    name, host = rng.choice(PROVIDERS)
    lines = [
        "---",
        "category: news",
        f"title: {_quote(title)}",
        f"excerpt: {_quote(_words(rng, 25, 45).capitalize() + (f' edit {edit}' if edit else ''))}",
        f"publishedDateTime: {when:%Y-%m-%dT%H:%M:%SZ}",
        f'webUrl: "https://{host}/{when:%Y/%m/%d}/{slug}/"',
        f'ampWebUrl: "https://{host}/{when:%Y/%m/%d}/{slug}/amp/"',
        f'cdnAmpWebUrl: "https://{host.replace(".", "-")}.cdn.ampproject.org/c/s/{host}/{slug}/"',
        "type: article",
        f"quality: {rng.randrange(200)}",
        f"heat: {rng.randrange(-1, 200)}",
        f"published: {'false' if rng.random() < 0.03 else 'true'}",
        "",
        "provider:",
        f"  name: {name}",
        f"  domain: {host}",
        "",
        "topics:",
        *(f"  - {topic}" for topic in _topics(rng)),
        "",
    ]
    text = "\n".join(lines) + "\n"
    images = rng.randint(0, 3)
    if images:
        text += "images:\n" + "".join(_image(rng, host, i, "  ") for i in range(images)) + "\n"
    related = rng.randint(0, 6)
    if related:
        text += "related:\n"
        for i in range(related):
            other, other_host = rng.choice(PROVIDERS)
            other_when = when + timedelta(minutes=rng.randrange(-600, 600))
            path = f"{other_when:%Y/%m/%d}/{'-'.join(_words(rng, 3, 6).split())}-{n}-{i}"
            text += (
                f"  - title: {_quote(_words(rng, 5, 10).capitalize())}\n"
                f"    excerpt: {_quote(_words(rng, 15, 30).capitalize())}\n"
                f"    publishedDateTime: {other_when:%Y-%m-%dT%H:%M:%SZ}\n"
                f'    webUrl: "https://{other_host}/{path}"\n'
                f'    ampWebUrl: "https://{other_host}/amp/{path}"\n'
                "    type: article\n"
                "    provider:\n"
                f"      name: {other}\n"
                f"      domain: {other_host}\n"
                f"    quality: {rng.randrange(200)}\n"
            )
            if rng.random() < 0.7:
                text += "    images:\n" + _image(rng, other_host, i, "      ")
        text += "\n"
    blob = base64.b64encode(rng.randbytes(rng.randint(700, 1400))).decode()
    text += f'secured: "{blob};{base64.b64encode(rng.randbytes(16)).decode()}"\n---\n'
    return text


def file_name(n: int) -> str:
    """Records are spread over 100 folders, like a seed tree that grows by month."""
    return f"{n % 100:02d}/{n:07d}.md"


def generate(folder: str | Path, count: int, seed: int = 0, start: int = 0) -> list[Path]:
    """Write records ``start .. start+count-1`` under ``folder``; returns their paths."""
    root = Path(folder)
    paths = []
    for n in range(start, start + count):
        path = root / file_name(n)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(record(n, seed), encoding="utf-8")
        paths.append(path)
    return paths
