"""Topic identity and file names.

A topic is identified by its *key*: the label with Unicode compatibility
forms folded, case folded and spaces collapsed, so "AI", "ai" and " AI "
are one topic. Its *slug* names its files: accents folded, every run of
other characters turned into one hyphen, letters of any script kept.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

_MAX_SLUG = 80
_SEPARATORS = re.compile(r"[^\w]+|_+")


def topic_key(label: str) -> str:
    """The identity of a topic label (two labels with one key are one topic)."""
    return " ".join(unicodedata.normalize("NFKC", label).casefold().split())


def slugify(label: str) -> str:
    """``"AI in Autos"`` → ``"ai-in-autos"``; ``"Café Società"`` → ``"cafe-societa"``."""
    decomposed = unicodedata.normalize("NFKD", label)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    slug = _SEPARATORS.sub("-", unicodedata.normalize("NFKC", folded)).strip("-")
    slug = slug[:_MAX_SLUG].rstrip("-")
    return slug or "topic-" + _short_hash(label)


def assign_slugs(keys: Iterable[str]) -> dict[str, str]:
    """A file slug for every topic key, never the same for two keys.

    Keys whose slugs collide are sorted; the first keeps the plain slug and
    each other one gets ``-`` plus six hex digits of its key's SHA-1, so the
    choice depends only on the keys, never on reading order.
    """
    by_slug: dict[str, list[str]] = defaultdict(list)
    for key in set(keys):
        by_slug[slugify(key)].append(key)
    slugs: dict[str, str] = {}
    for slug, group in by_slug.items():
        first, *rest = sorted(group)
        slugs[first] = slug
        for key in rest:
            slugs[key] = f"{slug}-{_short_hash(key)}"
    return slugs


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:6]
