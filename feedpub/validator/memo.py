"""Bounded memoization of the validator's pure value checks.

A build validates the same values many times: an entry's id, links, dates and HTML
appear in the RSS and the Atom feed of every topic it is in, and media types,
languages and rel values repeat in every entry. The checks are pure functions of
one string, so their answers are kept in a dict per check, emptied when it holds
``maxsize`` answers (cheaper than LRU bookkeeping, and the values that matter come
back at once). Long strings are checked but not kept, so a hostile document cannot
make a cache hold more than ``maxsize * max_len`` characters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

R = TypeVar("R")

_CACHES: list[dict[Any, Any]] = []
_MISSING = object()


def memoize(maxsize: int, max_len: int) -> Callable[[Callable[[Any], R]], Callable[[Any], R]]:
    """Cache ``fn(value)`` for str values of at most ``max_len`` characters."""

    def decorate(fn: Callable[[Any], R]) -> Callable[[Any], R]:
        cache: dict[str, R] = {}
        _CACHES.append(cache)

        @wraps(fn)
        def check(value: Any) -> R:
            found = cache.get(value, _MISSING) if value.__class__ is str else _MISSING
            if found is not _MISSING:
                return found  # type: ignore[return-value]
            result = fn(value)
            if value.__class__ is str and len(value) <= max_len:
                if len(cache) >= maxsize:
                    cache.clear()
                cache[value] = result
            return result

        return check

    return decorate


def clear_caches() -> None:
    """Forget every memoized answer (benchmarks measure cold documents with it)."""
    for cache in _CACHES:
        cache.clear()
