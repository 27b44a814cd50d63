"""WebSub publishing (https://www.w3.org/TR/websub/#publishing): telling the hub what changed.

After a build, the hub gets one ``POST`` per subscription feed whose bytes
changed (``hub.mode=publish``, ``hub.url=<feed URL>``), and no other; the hub
then fetches the feed and pushes it to subscribers. Archive pages are not
announced (nobody subscribes to them). A hub that is down or says no is
reported, never fatal: the feeds are written either way, and the next
build that changes them pings again.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

from feedpub import __version__
from feedpub.config import Site
from feedpub.formats import by_extension

TIMEOUT_SECONDS = 5.0
#: Requests in flight at once.
PARALLEL = 4


@dataclass(frozen=True)
class PingResult:
    """What the hub answered for one feed URL; ``error`` is ``None`` on success (2xx)."""

    feed_url: str
    status: int | None
    error: str | None
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def changed_feeds(written: Iterable[str], site: Site) -> list[str]:
    """The public URLs of the subscription feeds among the written files (relative paths)."""
    urls = []
    for relative in written:
        path = PurePosixPath(relative)
        if by_extension(path.suffix) is not None and "archive" not in path.parts[:-1]:
            urls.append(site.url(relative))
    return urls


def ping(hub: str, feed_urls: Iterable[str], timeout: float = TIMEOUT_SECONDS) -> list[PingResult]:
    """Notify ``hub`` of each URL in ``feed_urls``; one result per URL, in order.

    Up to :data:`PARALLEL` requests at once, so a hub that does not answer
    costs about ``timeout`` times feeds / PARALLEL seconds, not times feeds.
    """
    urls = list(feed_urls)
    if not urls:
        return []
    with ThreadPoolExecutor(max_workers=min(PARALLEL, len(urls))) as pool:
        results = list(pool.map(lambda url: _ping_one(hub, url, timeout), urls))
    # One more try, one at a time, where the connection failed (a busy hub's listen
    # queue can refuse a burst); not where the hub answered "no" or did not answer in time.
    return [_ping_one(hub, r.feed_url, timeout) if r.status is None and not r.timed_out else r
            for r in results]


def _ping_one(hub: str, feed_url: str, timeout: float) -> PingResult:
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode("ascii")
    request = urllib.request.Request(
        hub,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": f"feedpub/{__version__}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return PingResult(feed_url, exc.code, f"hub answered {exc.code} {exc.reason}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        timed_out = isinstance(reason, TimeoutError)
        return PingResult(feed_url, None, f"hub not reached: {reason}", timed_out)
    if not 200 <= status < 300:
        return PingResult(feed_url, status, f"hub answered {status}")
    return PingResult(feed_url, status, None)
