"""The HTML pages that let people find the feeds: ``index.html`` and one page per topic.

Plain HTML5 with one inline style sheet (no scripts, fonts or images from
elsewhere), readable on a phone, every text and attribute value escaped
with :func:`html.escape`. Links between our own files are relative, so
the pages work wherever the folder is served; each page has
``<link rel="alternate">`` tags so browsers and readers discover the
combined feed and, on a topic page, the topic's feed. Nothing depends on
the clock: dates shown are the entries' own.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from html import escape

from feedpub.config import Site
from feedpub.entry import Entry
from feedpub.formats import FORMATS
from feedpub.summary import FeedSummary

#: Headlines shown per topic on the index page.
HEADLINES = 3
OPML_FILE = "feeds.opml"

_STYLE = """
:root { color-scheme: light dark; --muted: #666; --line: #ddd; --accent: #0b5cad; }
@media (prefers-color-scheme: dark) { :root { --muted: #aaa; --line: #444; --accent: #7db7ff; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 46rem; padding: 1rem; line-height: 1.45;
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: anywhere; }
a { color: var(--accent); }
header { border-bottom: 1px solid var(--line); margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: .3rem 0; }
h2 { font-size: 1.2rem; margin: 0 0 .3rem; }
.count, time, .source, .muted { color: var(--muted); font-size: .9rem; }
time { white-space: nowrap; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem .9rem; }
section { border-bottom: 1px solid var(--line); padding: .8rem 0; }
ul { padding-left: 1.1rem; margin: .3rem 0; }
li { margin: .25rem 0; }
.formats { margin: .4rem 0; }
.formats a { display: inline-block; margin: 0 .35rem .35rem 0; padding: .15rem .55rem;
  border: 1px solid var(--line); border-radius: .3rem; text-decoration: none; }
"""


def render_index(site: Site, feeds: list[FeedSummary], formats: tuple[str, ...]) -> bytes:
    """``index.html``: the combined feed, then every topic with its count and latest headlines."""
    combined, topics = feeds[0], feeds[1:]
    page = "index.html"
    parts = [
        "<header>",
        f"<h1>{escape(site.title)}</h1>",
        f"<p>{escape(site.description)}</p>",
        f'<p class="muted">{_count(combined.total)} in {len(topics)} '
        f"topic{'s' if len(topics) != 1 else ''}{_updated(combined)}.</p>",
        _format_links(page, combined, formats, with_opml=True),
        "</header>",
        '<nav aria-label="Topics"><h2>Topics</h2><ul>',
        *(f'<li><a href="#{escape(posixpath.basename(f.name))}">{escape(f.label)}</a> '
          f'<span class="count">{f.total}</span></li>' for f in topics),
        "</ul></nav>",
        "<main>",
        '<section id="latest">',
        f"<h2>Latest stories</h2>{_headlines(combined.entries[:HEADLINES * 2])}",
        "</section>",
    ]
    for feed in topics:
        slug = posixpath.basename(feed.name)
        parts += [
            f'<section id="{escape(slug)}">',
            f'<h2><a href="{escape(_href(page, feed.page))}">{escape(feed.label)}</a> '
            f'<span class="count">{_count(feed.total)}</span></h2>',
            _headlines(feed.entries[:HEADLINES]),
            _format_links(page, feed, formats),
            "</section>",
        ]
    parts.append("</main>")
    return _document(site.title, site, page, [combined], formats, parts)


def render_topic_page(
    site: Site, feed: FeedSummary, combined: FeedSummary, formats: tuple[str, ...]
) -> bytes:
    """``topics/<slug>.html``: one topic's stories and its feed links."""
    page = feed.page
    parts = [
        "<header>",
        f'<p><a href="{escape(_href(page, "index.html"))}">{escape(site.title)}</a></p>',
        f"<h1>{escape(feed.label)}</h1>",
        f'<p class="muted">{_count(feed.total)}{_updated(feed)}; '
        f"the feed holds the newest {len(feed.entries)}.</p>",
        _format_links(page, feed, formats),
        "</header>",
        "<main>",
        _headlines(feed.entries, with_source=True),
        "</main>",
    ]
    return _document(f"{feed.label} | {site.title}", site, page, [feed, combined], formats, parts)


def _document(
    title: str,
    site: Site,
    page: str,
    discover: list[FeedSummary],
    formats: tuple[str, ...],
    body: Iterable[str],
) -> bytes:
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(site.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
    ]
    for feed in discover:
        for name in formats:
            fmt = FORMATS[name]
            head.append(
                f'<link rel="alternate" type="{fmt.media_type}" '
                f'title="{escape(feed.title)} ({fmt.label})" '
                f'href="{escape(_href(page, feed.name + fmt.ext))}">'
            )
    head += [f"<style>{_STYLE}</style>", "</head>", "<body>"]
    return ("\n".join([*head, *body, "</body>", "</html>"]) + "\n").encode("utf-8")


def _format_links(
    page: str, feed: FeedSummary, formats: tuple[str, ...], with_opml: bool = False
) -> str:
    links = [
        f'<a href="{escape(_href(page, feed.name + FORMATS[n].ext))}" '
        f'type="{FORMATS[n].media_type}">{FORMATS[n].label}</a>'
        for n in formats
    ]
    if with_opml:
        links.append(f'<a href="{escape(_href(page, OPML_FILE))}" type="text/x-opml">'
                     "OPML (every feed)</a>")
    return f'<p class="formats"><span class="muted">Subscribe:</span> {" ".join(links)}</p>'


def _headlines(entries: Iterable[Entry], with_source: bool = False) -> str:
    items = []
    for entry in entries:
        source = ""
        if with_source and entry.provider:
            source = f' <span class="source">{escape(entry.provider.name)}</span>'
        day = entry.published.date().isoformat()
        items.append(
            f'<li><a href="{escape(entry.link)}">{escape(entry.title)}</a>{source} '
            f'<time datetime="{escape(entry.published.isoformat())}">{day}</time></li>'
        )
    if not items:
        return '<p class="muted">No stories yet.</p>'
    return "<ul>" + "".join(items) + "</ul>"


def _count(total: int) -> str:
    return f"{total} {'story' if total == 1 else 'stories'}"


def _updated(feed: FeedSummary) -> str:
    updated = feed.updated
    return f", updated {updated.date().isoformat()}" if updated else ""


def _href(page: str, target: str) -> str:
    """The relative URL of output file ``target`` seen from output file ``page``."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")
