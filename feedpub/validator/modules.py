"""Value rules of further extension vocabularies: iTunes podcasts, Well-Formed Web,
Atom threading (RFC 4685), OpenSearch 1.1, FeedBurner, GeoRSS Simple and Media RSS
ratings and enumerations.

Each handler takes (element, level, ctx) like those in `extensions`; the spec
sentence a rule follows is cited where it is not obvious.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from feedpub.validator import urls
from feedpub.validator.context import Ctx, children, qname, split
from feedpub.validator.numbers import is_non_negative, is_positive, parse_int

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
WFW = "http://wellformedweb.org/CommentAPI/"
THR = "http://purl.org/syndication/thread/1.0"
OPENSEARCH_11 = "http://a9.com/-/spec/opensearch/1.1/"
OPENSEARCH_10 = "http://a9.com/-/spec/opensearchrss/1.0/"
FEEDBURNER = "http://rssnamespace.org/feedburner/ext/1.0"
GEORSS = "http://www.georss.org/georss"
FEED_HISTORY = "http://purl.org/syndication/history/1.0"

ITUNES_ELEMENTS = frozenset(
    [
        "author",
        "block",
        "category",
        "complete",
        "duration",
        "email",
        "episode",
        "episodeType",
        "explicit",
        "image",
        "isClosedCaptioned",
        "keywords",
        "name",
        "new-feed-url",
        "order",
        "owner",
        "season",
        "subtitle",
        "summary",
        "title",
        "type",
    ]
)
# Apple's podcast categories: the 2019 list plus the earlier one, which feeds
# still carry ("Games & Hobbies", "Science & Medicine", ...).
ITUNES_CATEGORIES: dict[str, frozenset[str]] = {
    "Arts": frozenset(
        [
            "Books",
            "Design",
            "Fashion & Beauty",
            "Food",
            "Performing Arts",
            "Visual Arts",
            "Literature",
        ]
    ),
    "Business": frozenset(
        [
            "Careers",
            "Entrepreneurship",
            "Investing",
            "Management",
            "Marketing",
            "Non-Profit",
            "Business News",
            "Management & Marketing",
            "Shopping",
        ]
    ),
    "Comedy": frozenset(["Comedy Interviews", "Improv", "Stand-Up"]),
    "Education": frozenset(
        [
            "Courses",
            "How To",
            "Language Learning",
            "Self-Improvement",
            "Educational Technology",
            "Higher Education",
            "K-12",
            "Training",
        ]
    ),
    "Fiction": frozenset(["Comedy Fiction", "Drama", "Science Fiction"]),
    "Government": frozenset(),
    "Government & Organizations": frozenset(["Local", "National", "Non-Profit", "Regional"]),
    "Games & Hobbies": frozenset(
        ["Automotive", "Aviation", "Hobbies", "Other Games", "Video Games"]
    ),
    "Health": frozenset(["Alternative Health", "Fitness & Nutrition", "Self-Help", "Sexuality"]),
    "Health & Fitness": frozenset(
        [
            "Alternative Health",
            "Fitness",
            "Medicine",
            "Mental Health",
            "Nutrition",
            "Sexuality",
        ]
    ),
    "History": frozenset(),
    "Kids & Family": frozenset(
        ["Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"]
    ),
    "Leisure": frozenset(
        [
            "Animation & Manga",
            "Automotive",
            "Aviation",
            "Crafts",
            "Games",
            "Hobbies",
            "Home & Garden",
            "Video Games",
        ]
    ),
    "Music": frozenset(["Music Commentary", "Music History", "Music Interviews"]),
    "News": frozenset(
        [
            "Business News",
            "Daily News",
            "Entertainment News",
            "News Commentary",
            "Politics",
            "Sports News",
            "Tech News",
        ]
    ),
    "News & Politics": frozenset(),
    "Religion & Spirituality": frozenset(
        [
            "Buddhism",
            "Christianity",
            "Hinduism",
            "Islam",
            "Judaism",
            "Religion",
            "Spirituality",
            "Other",
        ]
    ),
    "Science": frozenset(
        [
            "Astronomy",
            "Chemistry",
            "Earth Sciences",
            "Life Sciences",
            "Mathematics",
            "Natural Sciences",
            "Nature",
            "Physics",
            "Social Sciences",
        ]
    ),
    "Science & Medicine": frozenset(["Medicine", "Natural Sciences", "Social Sciences"]),
    "Society & Culture": frozenset(
        [
            "Documentary",
            "Personal Journals",
            "Philosophy",
            "Places & Travel",
            "Relationships",
            "History",
        ]
    ),
    "Sports": frozenset(
        [
            "Baseball",
            "Basketball",
            "Cricket",
            "Fantasy Sports",
            "Football",
            "Golf",
            "Hockey",
            "Rugby",
            "Running",
            "Soccer",
            "Swimming",
            "Tennis",
            "Volleyball",
            "Wilderness",
            "Wrestling",
        ]
    ),
    "Sports & Recreation": frozenset(
        ["Amateur", "College & High School", "Outdoor", "Professional"]
    ),
    "Technology": frozenset(["Gadgets", "Tech News", "Podcasting", "Software How-To"]),
    "True Crime": frozenset(),
    "TV & Film": frozenset(
        ["After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"]
    ),
}
# iTunes durations: seconds, or [H]H:MM:SS / [M]M:SS.
_DURATION = re.compile(r"^\d+(?::[0-5]\d(?::[0-5]\d)?)?$")
_FLOAT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_ADDR_SPEC = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9-]+\.)+[A-Za-z][A-Za-z0-9-]*$"
)


def _text(el: etree._Element) -> str:
    return (el.text or "").strip()


def _undefined(el: etree._Element, ctx: Ctx) -> None:
    ctx.error("UndefinedElement", f"<{qname(el)}> is not defined in its namespace", el)


def _full_url(value: str | None, el: etree._Element, ctx: Ctx, what: str) -> None:
    problem = urls.full_uri_problem((value or "").strip())
    if problem:
        ctx.error(problem[0], f"{what}: {problem[1]}", el)


def _enum(el: etree._Element, allowed: tuple[str, ...], code: str, ctx: Ctx) -> None:
    if _text(el).lower() not in allowed:
        ctx.error(code, f"<{qname(el)}> must be one of {', '.join(allowed)}", el)


# --- iTunes (Apple Podcasts RSS feed requirements) ---------------------------


def _itunes(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local not in ITUNES_ELEMENTS:
        _undefined(el, ctx)
        return
    handler = _ITUNES_CHECKS.get(local)
    if handler is not None:
        handler(el, ctx)


def _itunes_category(el: etree._Element, ctx: Ctx, parent: str | None = None) -> None:
    """<itunes:category text="..."> from Apple's list; one level of nesting."""
    text = el.get("text")
    if text is None:
        ctx.error("MissingAttribute", f"<{qname(el)}> needs a text attribute", el)
    elif parent is None and text not in ITUNES_CATEGORIES:
        ctx.error("InvalidItunesCategory", f"{text!r} is not an iTunes category", el)
    elif parent is not None and text not in ITUNES_CATEGORIES.get(parent, frozenset()):
        ctx.error(
            "InvalidItunesCategory", f"{text!r} is not an iTunes subcategory of {parent!r}", el
        )
    for child in children(el):
        if child.tag == f"{{{ITUNES}}}category":
            if parent is not None:
                ctx.error("InvalidItunesCategory", "iTunes categories nest one level only", child)
            elif text in ITUNES_CATEGORIES:
                _itunes_category(child, ctx, text)


def _itunes_owner(el: etree._Element, ctx: Ctx) -> None:
    for child in children(el):
        ns, local = split(child.tag)
        if ns == ITUNES and local == "email" and not _ADDR_SPEC.match(_text(child)):
            ctx.error("InvalidEmail", f"<{qname(child)}> is not an e-mail address", child)


def _itunes_image(el: etree._Element, ctx: Ctx) -> None:
    href = el.get("href")
    if href is None:
        ctx.error("MissingAttribute", f"<{qname(el)}> needs an href attribute", el)
    else:
        _full_url(href, el, ctx, f"<{qname(el)} href>")


def _yes_no(el: etree._Element, ctx: Ctx) -> None:
    _enum(el, ("yes", "no", "true", "false"), "InvalidYesNo", ctx)


def _explicit(el: etree._Element, ctx: Ctx) -> None:
    _enum(el, ("yes", "no", "clean", "true", "false"), "InvalidYesNoClean", ctx)


def _duration(el: etree._Element, ctx: Ctx) -> None:
    if not _DURATION.match(_text(el)):
        ctx.error(
            "InvalidDuration",
            f"<{qname(el)}> must be seconds or HH:MM:SS, not {_text(el)!r}",
            el,
        )


def _positive(el: etree._Element, ctx: Ctx) -> None:
    if not is_positive(el.text):
        ctx.error("InvalidPositiveInteger", f"<{qname(el)}> must be a positive integer", el)


_ITUNES_CHECKS: dict[str, Callable[[etree._Element, Ctx], None]] = {
    "category": _itunes_category,
    "owner": _itunes_owner,
    "image": _itunes_image,
    "block": _yes_no,
    "complete": _yes_no,
    "isClosedCaptioned": _yes_no,
    "explicit": _explicit,
    "duration": _duration,
    "episode": _positive,
    "season": _positive,
    "new-feed-url": lambda el, c: _full_url(el.text, el, c, f"<{qname(el)}>"),
    "episodeType": lambda el, c: _enum(
        el, ("full", "trailer", "bonus"), "InvalidItunesEpisodeType", c
    ),
    "type": lambda el, c: _enum(el, ("episodic", "serial"), "InvalidItunesType", c),
}


# --- Well-Formed Web comment API ------------------------------------------------


def _wfw(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local in ("comment", "commentRss", "commentRSS"):
        _full_url(el.text, el, ctx, f"<{qname(el)}>")
    else:
        _undefined(el, ctx)


# --- Atom threading extensions (RFC 4685) -------------------------------------


def _thr(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local == "in-reply-to":
        # Section 3: "ref" is REQUIRED and is a persistent, universally unique id (an IRI).
        ref = el.get("ref")
        if ref is None:
            ctx.error("MissingAttribute", f"<{qname(el)}> needs a ref attribute", el)
        else:
            _full_url(ref, el, ctx, f"<{qname(el)} ref>")
        for attr in ("href", "source"):
            value = el.get(attr)
            if value is not None:
                problem = urls.reference_problem(value.strip())
                if problem:
                    ctx.error(problem[0], f"<{qname(el)} {attr}>: {problem[1]}", el)
    elif local == "total":
        # Section 5: a non-negative integer.
        if not is_non_negative(el.text):
            ctx.error(
                "InvalidNonNegativeInteger", f"<{qname(el)}> must be a non-negative integer", el
            )
    else:
        _undefined(el, ctx)


def check_thread_attributes(link: etree._Element, ctx: Ctx) -> None:
    """thr:count (non-negative integer) and thr:updated (RFC 3339) on replies links."""
    from feedpub.validator.dates import check_rfc3339

    count = link.get(f"{{{THR}}}count")
    if count is not None and not is_non_negative(count):
        ctx.error(
            "InvalidNonNegativeInteger", f"<{qname(link)} thr:count={count!r}> must be >= 0", link
        )
    updated = link.get(f"{{{THR}}}updated")
    if updated is not None and not check_rfc3339(updated).ok:
        ctx.error(
            "InvalidRFC3339Date", f"<{qname(link)} thr:updated={updated!r}> is not a date", link
        )


# --- OpenSearch 1.1 response elements -----------------------------------------

OPENSEARCH_ROLES = frozenset(["request", "example", "related", "correction", "subset", "superset"])


def _opensearch(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local in ("totalResults", "itemsPerPage"):
        if not is_non_negative(el.text):
            ctx.error(
                "InvalidNonNegativeInteger", f"<{qname(el)}> must be a non-negative integer", el
            )
    elif local == "startIndex":
        if parse_int(el.text) is None:
            ctx.error("InvalidInteger", f"<{qname(el)}> must be an integer", el)
    elif local == "Query":
        # OpenSearch 1.1 "Query element": role is required; unprefixed roles come from
        # the spec's list, others must be namespace-qualified ("prefix:role").
        role = el.get("role")
        if role is None:
            ctx.error("MissingAttribute", f"<{qname(el)}> needs a role attribute", el)
        elif ":" not in role and role not in OPENSEARCH_ROLES:
            ctx.error("InvalidLocalRole", f"<{qname(el)} role={role!r}> is not defined", el)
    elif local not in ("Url", "Description", "Image", "Tags", "Contact", "ShortName"):
        _undefined(el, ctx)


# --- FeedBurner ----------------------------------------------------------------


def _feedburner(el: etree._Element, level: str, ctx: Ctx) -> None:
    _, local = split(el.tag)
    if local in ("origLink", "origEnclosureLink"):
        _full_url(el.text, el, ctx, f"<{qname(el)}>")


# --- GeoRSS Simple -------------------------------------------------------------


def _numbers(value: str) -> list[float] | None:
    parts = value.split()
    if not parts or not all(_FLOAT.match(p) for p in parts):
        return None
    return [float(p) for p in parts]


def _latlon_pairs(values: list[float]) -> bool:
    pairs = zip(values[::2], values[1::2], strict=False)
    return all(abs(lat) <= 90 and abs(lon) <= 180 for lat, lon in pairs)


def _georss(el: etree._Element, level: str, ctx: Ctx) -> None:
    """GeoRSS Simple: "lat lon" pairs separated by whitespace."""
    _, local = split(el.tag)
    value = _text(el)
    if local in ("point", "line", "polygon", "box"):
        values = _numbers(value)
        minimum = {"point": 2, "line": 4, "polygon": 8, "box": 4}[local]
        exact = local in ("point", "box")
        if (
            values is None
            or len(values) % 2
            or len(values) < minimum
            or (exact and len(values) != minimum)
            or not _latlon_pairs(values)
        ):
            ctx.error(
                "InvalidCoordList" if local != "point" else "InvalidCoord",
                f"<{qname(el)}> must hold latitude/longitude pairs, not {value!r}",
                el,
            )
    elif local in ("elev", "radius"):
        if not _FLOAT.match(value):
            ctx.error("InvalidFloat", f"<{qname(el)}> must be a number", el)
    elif local == "floor":
        if parse_int(value) is None:
            ctx.error("InvalidInteger", f"<{qname(el)}> must be an integer", el)
    elif local not in ("where", "featureTypeTag", "relationshipTag", "featureName"):
        _undefined(el, ctx)


# --- Media RSS 1.5.1 details ---------------------------------------------------

MEDIA_RATINGS = {
    "urn:simple": frozenset(["adult", "nonadult"]),
    "urn:mpaa": frozenset(["g", "pg", "pg-13", "r", "nc-17"]),
    "urn:v-chip": frozenset(["tv-y", "tv-y7", "tv-y7-fv", "tv-g", "tv-pg", "tv-14", "tv-ma"]),
}


def media_rating(el: etree._Element, ctx: Ctx) -> None:
    """<media:rating scheme>: urn:simple (default), urn:mpaa and urn:v-chip have fixed values."""
    scheme = (el.get("scheme") or "urn:simple").strip().lower()
    allowed = MEDIA_RATINGS.get(scheme)
    if allowed is not None and _text(el).lower() not in allowed:
        ctx.error(
            "InvalidMediaRating",
            f"<{qname(el)}> {_text(el)!r} is not a {scheme} rating",
            el,
        )


# --- Feed paging and archiving (RFC 5005) -------------------------------------


def _feed_history(el: etree._Element, level: str, ctx: Ctx) -> None:
    """fh:complete (section 2) and fh:archive (section 4) are empty markers on the feed."""
    _, local = split(el.tag)
    if local not in ("complete", "archive"):
        _undefined(el, ctx)
        return
    if level not in ("feed", "channel"):
        ctx.error("UndefinedElement", f"<{qname(el)}> belongs in the feed head", el)
    elif _text(el) or children(el):
        ctx.error("UnexpectedText", f"<{qname(el)}> must be empty", el)


HANDLERS: dict[str, Callable[[etree._Element, str, Ctx], None]] = {
    ITUNES: _itunes,
    WFW: _wfw,
    THR: _thr,
    OPENSEARCH_11: _opensearch,
    OPENSEARCH_10: _opensearch,
    FEEDBURNER: _feedburner,
    GEORSS: _georss,
    FEED_HISTORY: _feed_history,
}
