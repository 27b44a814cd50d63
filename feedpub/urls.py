"""URL clean-up and canonical form.

Seed URLs come from scrapers: HTML entities (``&#038;``), spaces, non-ASCII
paths, tracking parameters. A published URL must be an absolute http(s) URI
(the W3C validator rejects spaces), and two URLs that name the same story
must give the same entry id.
"""

from __future__ import annotations

import html
import ipaddress
import re
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

#: Query parameters that only track the click, never select the content.
TRACKING_PARAMS = frozenset({"source", "fbclid", "gclid", "dclid", "mc_cid", "mc_eid", "igshid"})
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_PCT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: A DNS name after IDNA encoding (underscores occur in real host names).
_HOST = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*"
                   r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$")
#: Longer URLs are refused: no real article needs one, and it would be copied into every feed.
MAX_URL_CHARS = 4096


def _quote(part: str, safe: str) -> str:
    # A lone '%' is not an escape: encode it; valid escapes are kept as they are.
    return quote(_PCT.sub("%25", part), safe=safe)


_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_CHARS = r"[A-Za-z0-9/:@!$'()*+,;=._~%-]"
_QUERY_CHARS = r"[A-Za-z0-9/:@!$'()*+,;=._~?%-]"
#: With no '%' that is not an escape (:data:`_PCT`), a URL :func:`clean_url` returns
#: unchanged: lowercase http(s) scheme and DNS name, no port, user, '&' (entities) or
#: space, a path, only URI characters. (Runs of one character class: no backtracking.)
_ALREADY_CLEAN = re.compile(
    rf"https?://(?:{_LABEL}\.)*{_LABEL}\.?/{_CHARS}*(?:\?{_QUERY_CHARS}+)?(?:#{_QUERY_CHARS}+)?"
)


def clean_url(value: object, base: str | None = None) -> str | None:
    """An absolute http(s) URL with every character legal in a URI, or ``None``.

    ``base`` resolves a relative reference (used for provider logos).
    """
    if (
        value.__class__ is str
        and len(value) <= MAX_URL_CHARS
        and _ALREADY_CLEAN.fullmatch(value)
        and ("%" not in value or _PCT.search(value) is None)
    ):
        return value  # the common case (tests/test_fast_paths.py: same result)
    return _clean_url(value, base)


def _clean_url(value: object, base: str | None = None) -> str | None:
    """:func:`clean_url` without its fast path."""
    if not isinstance(value, str) or len(value) > MAX_URL_CHARS * 2:
        return None
    raw = html.unescape(value).strip()
    if not raw or any(c in raw for c in "\r\n\t\x00"):
        return None
    if base and "://" not in raw:
        raw = urljoin(base, raw)
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or "\\" in parts.netloc:
        # Browsers read a backslash as '/', so 'https://a.org\\@b.org/' means a.org to
        # them and b.org to urlsplit: a URL two readers disagree on is refused.
        return None
    host = _host(parts.hostname)
    if host is None:
        return None
    netloc = host if port is None or str(port) == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _quote(parts.path, _SAFE_PATH) or "/"
    query = _quote(parts.query, _SAFE_QUERY)
    url = urlunsplit((scheme, netloc, path, query, _quote(parts.fragment, _SAFE_QUERY)))
    return url if len(url) <= MAX_URL_CHARS else None


def _host(name: str) -> str | None:
    """The host as a URI writes it: an ASCII DNS name, an IPv4 address or ``[IPv6]``."""
    if ":" in name:
        try:
            return f"[{ipaddress.IPv6Address(name).compressed}]"
        except ValueError:
            return None
    try:
        host = name.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return host if _HOST.match(host) else None


def canonical_url(url: str) -> str:
    """The form two URLs of the same story share: no fragment, no tracking parameters.

    Parameters are filtered as raw ``name=value`` pieces so that everything
    else keeps its exact spelling.
    """
    parts = urlsplit(url)
    kept = [
        piece
        for piece in parts.query.split("&")
        if piece and not _is_tracking(unquote(piece.partition("=")[0]).lower())
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), ""))


def _is_tracking(name: str) -> bool:
    return name.startswith("utm_") or name in TRACKING_PARAMS
