"""From a seed record's loose mapping to a strict :class:`~feedpub.entry.Entry`.

Every field is checked for type; a record missing what a feed entry cannot
do without (title, date, a usable link) is rejected with the field named.
Smaller faults (an unusable image, a wrong-typed optional field) drop just
that value and leave a note. ``secured`` and unknown fields are ignored.
"""

from __future__ import annotations

import email.utils
import functools
import hashlib
import math
import mimetypes
import posixpath
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from time import time as time_now
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from feedpub.entry import Entry, Image, Provider, Related, Topic
from feedpub.problems import Problem
from feedpub.reader import DEFAULT_LIMITS, Limits, SeedRecord
from feedpub.slugs import slugify, topic_key
from feedpub.text import clean_line, cut_text, markup_free_line, text_to_html
from feedpub.urls import MAX_URL_CHARS, canonical_url, clean_url

# The interpreter's built-in table only: /etc/mime.types differs between machines.
_MIME = mimetypes.MimeTypes(filenames=())
_MAX_RELATED = 50
_MAX_TOPICS = 50
_MAX_IMAGES = 20
#: Longer topic labels are not topic names (and would not fit in a file name).
_MAX_TOPIC_CHARS = 100
#: UTF-8 bytes of a topic's slug: with a collision suffix and ".atom" it stays
#: under the 255-byte file name limit of common file systems.
_MAX_SLUG_BYTES = 200
#: Dates outside this range are refused: the validator calls them implausible,
#: and RSS cannot write a year before 1000.
_EARLIEST = datetime(1970, 1, 1, tzinfo=timezone.utc)
_FUTURE_YEARS = 20
#: YAML gives dicts: testing for ``dict`` first skips the slower ABC check.
_MAPPING = (dict, Mapping)
_MAPPING_OR_TEXT = (dict, str, Mapping)
#: Values a text field accepts (made once: ``str | int | float`` in a test builds the union).
_TEXTUAL = str | int | float
_T = TypeVar("_T")
#: Characters that make a provider's domain something else than a host name.
_NOT_IN_HOST = re.compile(r"[/?#@:\\ ]")


@dataclass(frozen=True)
class Normalized:
    """The outcome for one record: an entry (or ``None`` if rejected) and the notes."""

    entry: Entry | None
    problems: tuple[Problem, ...]


class _Reject(Exception):
    """Internal: stops normalizing one record; turned into a :class:`Problem`."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def entry_id(canonical: str) -> str:
    """A stable id for a story: a name-based UUID of its canonical URL."""
    return uuid.uuid5(uuid.NAMESPACE_URL, canonical).urn


def updated_time(published: datetime, entry_id: str) -> datetime:
    """``published`` plus a sub-second offset taken from the id.

    Records carry one date, and many share a second (date-only records all
    say midnight); two Atom entries with the same ``updated`` make readers
    miss one (the W3C validator warns: DuplicateUpdated). The offset is the
    same on every build and machine, and under a second.
    """
    return _updated(published, uuid.UUID(entry_id.removeprefix("urn:uuid:")).int)


def _updated(published: datetime, number: int) -> datetime:
    return published.replace(microsecond=0) + timedelta(microseconds=number % 999_999 + 1)


_NAMESPACE = uuid.NAMESPACE_URL.bytes
#: The bits a version 5 (RFC 4122 variant) UUID has set, and the ones it has clear.
_V5_SET = (5 << 76) | (0x8000 << 48)
_V5_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))


def _story_id(canonical: str) -> tuple[str, int]:
    """:func:`entry_id` and the id as a number, without building UUID objects (twice as fast).

    What :func:`uuid.uuid5` computes: SHA-1 of namespace and name, version and variant set.
    """
    digest = hashlib.sha1(_NAMESPACE + canonical.encode("utf-8")).digest()
    number = int.from_bytes(digest[:16], "big") & _V5_CLEAR | _V5_SET
    text = f"{number:032x}"
    return (f"urn:uuid:{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}",
            number)


def normalize(
    record: SeedRecord, limits: Limits = DEFAULT_LIMITS, asset_base_url: str | None = None
) -> Normalized:
    """Turn one parsed seed record into an entry, or a rejection naming the field."""
    notes: list[Problem] = list(record.notes)
    try:
        entry = _build_entry(record, limits, asset_base_url, notes)
    except _Reject as exc:
        return Normalized(None, (Problem(record.path, exc.field, exc.reason), *notes))
    return Normalized(entry, tuple(notes))


def _build_entry(
    record: SeedRecord, limits: Limits, asset_base: str | None, notes: list[Problem]
) -> Entry:
    data = record.data
    path = record.path

    def note(field: str, reason: str) -> None:
        notes.append(Problem(path, field, reason, fatal=False))

    def text(field: str, value: Any, required: bool = False) -> str | None:
        if value is None or value == "":
            if required:
                raise _Reject(field, "missing" if value is None else "empty")
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, _TEXTUAL)
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            message = f"expected text, got {_kind(value)}"
            if required:
                raise _Reject(field, message)
            note(field, message + "; ignored")
            return None
        value = str(value)
        if len(value) > limits.max_field_chars:
            note(field, f"longer than {limits.max_field_chars} characters; cut")
            value = value[: limits.max_field_chars]
        return value

    title = clean_line(text("title", data.get("title"), required=True) or "")
    if not title:
        raise _Reject("title", "empty after removing control characters and spaces")
    if len(title) > limits.max_title_chars:
        note("title", f"longer than {limits.max_title_chars} characters; cut")
        title = cut_text(title, limits.max_title_chars)

    published = _parse_date(data.get("publishedDateTime"))
    if isinstance(published, str):
        raise _Reject("publishedDateTime", published)

    urls: dict[str, str | None] = {}
    url_notes: list[tuple[str, str]] = []
    for field in ("originalUrl", "webUrl", "ampWebUrl"):
        raw = data.get(field)
        urls[field] = None if raw is None else clean_url(raw)
        if raw is not None and urls[field] is None:
            url_notes.append((field, f"{_url_fault(raw)}; ignored"))
    link = urls["originalUrl"] or urls["webUrl"]
    if link is None:
        if data.get("originalUrl") is None and data.get("webUrl") is None:
            raise _Reject("webUrl", "missing (neither originalUrl nor webUrl is given)")
        bad = "originalUrl" if data.get("webUrl") is None else "webUrl"
        raise _Reject(bad, f"no usable link: {_url_fault(data.get(bad))}")
    for field, reason in url_notes:
        note(field, reason)
    # A clean URL without a query or fragment is already in canonical form.
    canonical = link if "?" not in link and "#" not in link else canonical_url(link)

    is_published = data.get("published", True)
    if not isinstance(is_published, bool):
        raise _Reject("published", f"expected true or false, got {_show(is_published)}")

    summary_text = text("excerpt", data.get("excerpt"))
    body_text = record.body
    if body_text and len(body_text) > limits.max_field_chars:
        note("body", f"longer than {limits.max_field_chars} characters; cut")
        body_text = body_text[: limits.max_field_chars]

    story_id, number = _story_id(canonical)
    return _new(
        Entry,
        id=story_id,
        canonical_url=canonical,
        title=title,
        link=canonical,
        published=published,
        updated=_updated(published, number),
        summary=text_to_html(summary_text, base=link) if summary_text else "",
        body=(text_to_html(body_text, base=link) or None) if body_text else None,
        web_url=urls["webUrl"],
        original_url=urls["originalUrl"],
        amp_url=urls["ampWebUrl"],
        category=_opt_line(text("category", data.get("category"))),
        type=_opt_line(text("type", data.get("type"))),
        quality=_opt_int("quality", data.get("quality"), note),
        heat=_opt_int("heat", data.get("heat"), note),
        is_published=is_published,
        provider=_provider(data.get("provider"), asset_base, note),
        topics=_topics(data.get("topics"), note),
        images=_images(data.get("images"), "images", note),
        related=_related(data.get("related"), note),
        source_path=path,
    )


def _new(cls: type[_T], **fields: Any) -> _T:
    """``cls(**fields)`` for a frozen entry dataclass given every field, in order.

    A frozen dataclass sets each field through ``object.__setattr__``: for the
    ten or so objects of a record that was a tenth of normalizing it. This is
    how unpickling (and :mod:`feedpub.cache`) makes them too.
    """
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


def _parse_date(value: Any) -> datetime | str:
    """A timezone-aware UTC datetime, or the reason the value is not a date.

    Times without a zone are read as UTC (documented in the README).
    """
    if isinstance(value, datetime):  # first: comparing a datetime with "" takes a while
        moment = value
    elif value is None or value == "":
        return "missing"
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        parsed = _parse_date_text(value.strip())
        if parsed is None:
            return f"not a date: {_show(value)} (use ISO 8601, e.g. 2021-08-24T19:00:00Z)"
        moment = parsed
    else:
        return f"expected a date, got {_kind(value)}"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    latest = _latest()
    try:
        moment = moment.astimezone(timezone.utc)
        in_range = _EARLIEST <= moment <= latest
    except (OverflowError, ValueError):
        in_range = False
    if not in_range:
        return (
            f"date out of range: {_show(value)} (accepted: {_EARLIEST.year} "
            f"to {latest.year})"
        )
    return moment


def _latest() -> datetime:
    """The latest date accepted: December 31, ``_FUTURE_YEARS`` years on, at this second."""
    second = int(time_now())
    if _LATEST[0] != second:
        now = datetime.fromtimestamp(second, timezone.utc)
        _LATEST[:] = second, now.replace(year=now.year + _FUTURE_YEARS, month=12, day=31)
    return _LATEST[1]


#: The second :func:`_latest` was last asked in, and its answer.
_LATEST: list = [None, None]


def _parse_date_text(raw: str) -> datetime | None:
    """ISO 8601 / RFC 3339 (``T`` or a space, ``Z`` or an offset), or RFC 822 as in RSS."""
    iso = raw[:-1] + "+00:00" if raw[-1:] in ("Z", "z") else raw
    if len(iso) > 10 and iso[10] in "tT ":
        iso = iso[:10] + "T" + iso[11:]
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _opt_line(value: str | None) -> str | None:
    return clean_line(value) or None if value is not None else None


def _opt_int(field: str, value: Any, note) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        note(field, f"expected a whole number, got {_show(value)}; ignored")
        return None
    return value


def _provider(value: Any, asset_base: str | None, note) -> Provider | None:
    if value is None:
        return None
    if not isinstance(value, _MAPPING):
        note("provider", f"expected a mapping, got {_kind(value)}; ignored")
        return None
    name = value.get("name")
    name = clean_line(str(name)) if isinstance(name, _TEXTUAL) and name != "" else ""
    domain = value.get("domain")
    domain = clean_line(domain).lower() if isinstance(domain, str) else None
    site_url = clean_url(f"https://{domain}/") if domain else None
    if domain and (site_url is None or _NOT_IN_HOST.search(domain)):
        note("provider.domain", f"not a host name: {_show(value.get('domain'))}; ignored")
        domain = site_url = None
    if not name:
        if value.get("name") is not None:
            note("provider.name", f"expected text, got {_show(value.get('name'))}; ignored")
        name = domain or ""
    if not name:
        return None
    logo = None
    raw_images = value.get("images")
    if isinstance(raw_images, list):
        for raw in raw_images:
            if isinstance(raw, _MAPPING) and isinstance(raw.get("url"), str):
                logo = _asset_url(raw["url"], asset_base)
                if logo:
                    break
    return _new(Provider, name=name, domain=domain or None, site_url=site_url, logo_url=logo)


def _asset_url(raw: str, asset_base: str | None) -> str | None:
    """Absolute URLs as they are; site-relative ones under ``asset_base`` (as Jekyll's baseurl)."""
    absolute = clean_url(raw)
    if absolute or not asset_base:
        return absolute
    return clean_url(asset_base.rstrip("/") + "/" + raw.strip().lstrip("/"))


def _topics(value: Any, note) -> tuple[Topic, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        note("topics", f"expected a list of names, got {_kind(value)}; ignored")
        return ()
    _over_cap("topics", value, _MAX_TOPICS, note)
    topics: dict[str, Topic] = {}
    for index, raw in enumerate(value[:_MAX_TOPICS]):
        if isinstance(raw, bool) or not isinstance(raw, _TEXTUAL):
            note(f"topics[{index}]", f"expected a topic name, got {_kind(raw)}; ignored")
            continue
        topic = _topic(str(raw))
        if topic.__class__ is str:
            note(f"topics[{index}]", topic)
        elif topic.key not in topics:
            topics[topic.key] = topic
    return tuple(topics.values())


@functools.lru_cache(maxsize=1024)
def _topic(raw: str) -> Topic | str:
    """The topic a name stands for, or why it is none (the same few recur in every record).

    One :class:`Topic` per name is shared by the entries that have it (it is frozen).
    """
    label = markup_free_line(raw)
    key = topic_key(label)
    if not key:
        return "empty topic name; ignored"
    slug = slugify(key)
    if len(label) > _MAX_TOPIC_CHARS or len(slug.encode("utf-8")) > _MAX_SLUG_BYTES:
        return f"longer than {_MAX_TOPIC_CHARS} characters: not a topic name; ignored"
    return Topic(label=label, key=key, slug=slug)


def _over_cap(field: str, value: list, cap: int, note) -> None:
    if len(value) > cap:
        note(field, f"{len(value)} given; only the first {cap} are kept")


def _images(value: Any, field: str, note) -> tuple[Image, ...]:
    if value is None:
        return ()
    if isinstance(value, _MAPPING_OR_TEXT):
        value = [value]
    if not isinstance(value, list):
        note(field, f"expected a list of images, got {_kind(value)}; ignored")
        return ()
    _over_cap(field, value, _MAX_IMAGES, note)
    images: list[Image] = []
    seen: set[str] = set()
    for index, raw in enumerate(value[:_MAX_IMAGES]):
        where = f"{field}[{index}]"
        if isinstance(raw, str):
            raw = {"url": raw}
        if not isinstance(raw, _MAPPING):
            note(where, f"expected a mapping with a url, got {_kind(raw)}; dropped")
            continue
        url = clean_url(raw.get("url"))
        if url is None:
            note(f"{where}.url", f"{_url_fault(raw.get('url'))}; image dropped")
            continue
        if url in seen:
            note(f"{where}.url", "repeats an earlier image; dropped")
            continue
        seen.add(url)
        title = raw.get("title")
        images.append(
            _new(
                Image,
                url=url,
                width=_size(raw.get("width"), where, "width", note),
                height=_size(raw.get("height"), where, "height", note),
                title=(clean_line(title) or None) if isinstance(title, str) else None,
                mime_type=_clean_image_type(url),
            )
        )
    return tuple(images)


def _size(value: Any, where: str, name: str, note) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        note(f"{where}.{name}", f"expected a positive whole number, got {_show(value)}; ignored")
        return None
    return value


def image_type(url: str) -> str | None:
    """The MIME type an image URL's extension (or ``format=`` parameter) names, if any."""
    parts = urlsplit(url)
    guessed = _type_of(posixpath.splitext(parts.path)[1].lower())
    if guessed is None:
        for key, val in parse_qsl(parts.query):
            if key.lower() in ("format", "fm", "ext"):
                guessed, _ = _MIME.guess_type("x." + val.lower())
                break
    return guessed if guessed and guessed.startswith("image/") else None


def _clean_image_type(url: str) -> str | None:
    """:func:`image_type` of a URL :func:`clean_url` made (absolute, with a path), faster."""
    slash = url.find("/", url.find("://") + 3)  # after the host: what urlsplit calls the path
    if slash < 0 or "?" in url or "#" in url:
        return image_type(url)
    guessed = _type_of(posixpath.splitext(url[slash:])[1].lower())
    return guessed if guessed and guessed.startswith("image/") else None


@functools.lru_cache(maxsize=256)
def _type_of(extension: str) -> str | None:
    return _MIME.guess_type("x" + extension)[0]


def _related(value: Any, note) -> tuple[Related, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        note("related", f"expected a list, got {_kind(value)}; ignored")
        return ()
    _over_cap("related", value, _MAX_RELATED, note)
    items: list[Related] = []
    seen: set[str] = set()
    for index, raw in enumerate(value[:_MAX_RELATED]):
        if not isinstance(raw, _MAPPING):
            note(f"related[{index}]", f"expected a mapping, got {_kind(raw)}; dropped")
            continue
        title = raw.get("title")
        url = clean_url(raw.get("originalUrl")) or clean_url(raw.get("webUrl"))
        title = clean_line(str(title)) if isinstance(title, _TEXTUAL) else ""
        if not title or url is None:
            note(f"related[{index}]", "needs a title and an absolute http(s) webUrl; dropped")
            continue
        if url in seen:
            note(f"related[{index}]", "repeats an earlier related item; dropped")
            continue
        seen.add(url)
        when = _parse_date(raw.get("publishedDateTime"))
        provider = raw.get("provider")
        name = provider.get("name") if isinstance(provider, _MAPPING) else None
        items.append(
            _new(
                Related,
                title=title,
                url=url,
                published=when if isinstance(when, datetime) else None,
                provider=(clean_line(name) or None) if isinstance(name, str) else None,
            )
        )
    return tuple(items)


def _url_fault(value: Any) -> str:
    """Why a URL value is unusable, for a note or a rejection."""
    if value is None or value == "":
        return "missing"
    if isinstance(value, str) and len(value) > MAX_URL_CHARS:
        return f"longer than {MAX_URL_CHARS} characters"
    if not isinstance(value, str):
        return f"expected a URL, got {_kind(value)}"
    return f"not an absolute http(s) URL: {_show(value)}"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not math.isfinite(value):
        return f"a number that is not finite ({value})"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, _MAPPING):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, datetime | date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def _show(value: Any, width: int = 60) -> str:
    """A value as the user wrote it, more or less: dates in ISO form, no Python type names."""
    if isinstance(value, datetime | date):
        shown = value.isoformat()
    elif isinstance(value, bytes):
        shown = f"binary data ({len(value)} bytes)"
    else:
        shown = repr(value)
    return shown if len(shown) <= width else shown[: width - 3] + "..."
