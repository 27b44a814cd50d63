"""Bounded memoization of the validator's pure value checks.

A build validates the same values many times: an entry's id, links, dates and HTML
appear in the RSS and the Atom feed of every topic it is in, and media types,
languages and rel values repeat in every entry. The checks are pure functions of
one string, so their answers are kept in a dict per check, emptied when it holds
``maxsize`` answers (cheaper than LRU bookkeeping, and the values that matter come
back at once). Long strings are checked but not kept, so a hostile document cannot
make a cache hold more than ``maxsize * max_len`` characters.

The memoized check is the cache's own ``__getitem__``: a hit costs one dict lookup
in C, with no Python call at all; a miss calls ``__missing__``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")

_CACHES: list[dict[Any, Any]] = []
_CLEARERS: list[Callable[[], None]] = []


class _Memo(dict):  # type: ignore[type-arg]
    __slots__ = ("check", "maxsize", "max_len")

    def __init__(self, check: Callable[[Any], Any], maxsize: int, max_len: int) -> None:
        super().__init__()
        self.check = check
        self.maxsize = maxsize
        self.max_len = max_len

    def __missing__(self, value: Any) -> Any:
        result = self.check(value)
        if value.__class__ is str and len(value) <= self.max_len:
            if len(self) >= self.maxsize:
                self.clear()
            self[value] = result
        return result


def memoize(maxsize: int, max_len: int) -> Callable[[Callable[[Any], R]], Callable[[Any], R]]:
    """Cache ``fn(value)`` for str values of at most ``max_len`` characters."""

    def decorate(fn: Callable[[Any], R]) -> Callable[[Any], R]:
        cache = _Memo(fn, maxsize, max_len)
        _CACHES.append(cache)
        return cache.__getitem__

    return decorate


def on_clear(clear: Callable[[], None]) -> None:
    """Have ``clear_caches`` also empty another cache (an ``lru_cache``, say)."""
    _CLEARERS.append(clear)


def clear_caches() -> None:
    """Forget every memoized answer (benchmarks measure cold documents with it)."""
    for cache in _CACHES:
        cache.clear()
    for clear in _CLEARERS:
        clear()
