"""Bounded memoization of the validator's pure value checks.

A build validates the same values many times: an entry's id, links, dates and HTML
appear in the RSS and the Atom feed of every topic it is in, and media types,
languages and rel values repeat in every entry. The checks are pure functions of
the string, so their answers are kept in LRU caches. Long strings are checked but
not kept, so a hostile document cannot make the caches hold more than
``maxsize * max_len`` characters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

R = TypeVar("R")

_CLEARERS: list[Callable[[], None]] = []


def memoize(maxsize: int, max_len: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Cache ``fn(value, **options)`` for values of at most ``max_len`` characters."""

    def decorate(fn: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize=maxsize)(fn)
        _CLEARERS.append(cached.cache_clear)

        @wraps(fn)
        def check(value: Any, *args: Any, **options: Any) -> R:
            if value.__class__ is not str or len(value) > max_len:
                return fn(value, *args, **options)
            return cached(value, *args, **options)

        check.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return check

    return decorate


def clear_caches() -> None:
    """Forget every memoized answer (benchmarks measure cold documents with it)."""
    for clear in _CLEARERS:
        clear()
