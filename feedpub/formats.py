"""The feed formats a build can write: name, file extension, media type, renderer.

``--formats rss,atom,json`` picks from :data:`FORMATS`; the serve command
uses the media types, the HTML index and OPML the labels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from feedpub.builder import ATOM_TYPE, RSS_TYPE, FeedInfo, render_atom, render_rss
from feedpub.entry import Entry
from feedpub.jsonfeed import JSON_FEED_TYPE, render_json

Renderer = Callable[[FeedInfo, list[Entry]], bytes]


@dataclass(frozen=True)
class Format:
    """One feed format."""

    name: str
    ext: str
    media_type: str
    label: str
    render: Renderer


FORMATS: dict[str, Format] = {
    "rss": Format("rss", ".rss", RSS_TYPE, "RSS", render_rss),
    "atom": Format("atom", ".atom", ATOM_TYPE, "Atom", render_atom),
    "json": Format("json", ".json", JSON_FEED_TYPE, "JSON Feed", render_json),
}
DEFAULT_FORMATS: tuple[str, ...] = tuple(FORMATS)
#: Which written format a reader is pointed at when only one can be named (OPML).
PREFERRED = ("atom", "rss", "json")


def parse_formats(text: str) -> tuple[str, ...] | str:
    """``"atom,rss"`` → ``("rss", "atom")`` (registry order); an error message if bad."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        return f"unknown format {unknown[0]!r} (known: {', '.join(FORMATS)})"
    if not names:
        return "no format given"
    return tuple(name for name in FORMATS if name in names)


def by_extension(ext: str) -> Format | None:
    """The format written with file extension ``ext`` (``".atom"``), if any."""
    return next((f for f in FORMATS.values() if f.ext == ext), None)


def preferred(formats: tuple[str, ...]) -> Format:
    """The one format to name when a reader needs a single URL per feed."""
    return FORMATS[next(name for name in PREFERRED if name in formats)]
