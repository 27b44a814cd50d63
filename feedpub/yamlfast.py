"""Building plain front matter straight from libyaml's event stream (the common case, fast).

:mod:`feedpub.reader` walks the event stream anyway (a safety check: libyaml's
composer recurses in C and crashes on deep nesting), then composes and
constructs the document with PyYAML. For front matter that uses nothing but
mappings, sequences and untagged scalars, the values can be built during that
same walk: one pass instead of three, about twice as fast.

:func:`load_plain` does that, with the loader's own resolver and constructors
for every scalar that is not a string, so the result is the one PyYAML would
build. Anything else (anchors, aliases, tags, merge keys, complex keys, more
than one document, a value a constructor refuses, a syntax error, too deep or
too many values) returns ``None``, and the reader takes its full path, which
gives the exact answer or error. Equivalence is tested in tests/test_yamlfast.py.

Most of the time goes to the scalars, so three shortcuts skip the resolver
and the constructors where their answer is known (each is a strict subset of
what PyYAML's resolver and constructor accept, and anything they refuse goes
the long way): short plain scalars recur (keys, small numbers, ``true``) and
their values are remembered; plain decimal numbers are ``int(text)``; and
timestamps of the usual shapes are built with the constructor's own arithmetic (or
``fromisoformat``, which reads those shapes the same).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Scalar = yaml.ScalarEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_ScalarNode = yaml.ScalarNode
#: Larger front matter takes the full path: the events are gathered in one list first.
MAX_CHARS = 65_536
#: Values of short plain scalars, per loader class: building them depends on
#: nothing but the text, and the same few (keys, small numbers, booleans) recur
#: in every record. Bounded, so memory does not grow with the corpus.
_MEMO_CHARS, _MEMO_SIZE = 40, 4096
#: Immutable results only may be shared between documents.
_SHAREABLE = frozenset({str, int, float, bool, type(None)})
#: Timestamps the shortcut builds: ``2021-08-24``, ``2021-08-24T19:00:00``
#: (``t`` or a space for ``T``), a fraction, ``Z`` or ``±hh:mm``. PyYAML's resolver
#: reads every match as a timestamp (its number patterns cannot match a ``-``
#: after four digits), and its constructor's groups are these.
_STAMP = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(Z|([-+])([0-9]{2}):([0-9]{2}))?)?"
)
_ZONES: dict[str, timezone] = {}
_MISSING = object()


class _Settings:
    """What one loader class allows the shortcuts to do, found once per class."""

    def __init__(self, loader: Any) -> None:
        constructors = loader.yaml_constructors
        # The resolver must be PyYAML's own (no added patterns, no path resolvers).
        standard = (
            loader.yaml_implicit_resolvers is Resolver.yaml_implicit_resolvers
            and not loader.yaml_path_resolvers
        )
        self.ints = standard and constructors.get(_INT) is SafeConstructor.construct_yaml_int
        # A loader may refine the timestamp constructor (feedpub's keeps an
        # impossible date as text) if it returns PyYAML's value whenever PyYAML
        # succeeds: it says so with ``yamlfast_timestamps = True``.
        timestamps = constructors.get(_TIMESTAMP)
        self.stamps = standard and (
            timestamps is SafeConstructor.construct_yaml_timestamp
            or bool(getattr(loader, "yamlfast_timestamps", False))
        )
        self.values: dict[str, Any] = {}
        # Path resolvers would make a scalar's tag depend on where it is.
        self.usable = not loader.yaml_path_resolvers


_SETTINGS: dict[type, _Settings] = {}


class _NotPlain(Exception):
    """Internal: this document is for the full path."""


def load_plain(
    loader: Any, front: str, max_depth: int, max_nodes: int
) -> tuple[Any, list[tuple[str, int, int]]] | None:
    """The document and its duplicate keys ``(key, first line, line)``, or ``None``.

    ``loader`` is a fresh PyYAML C loader over ``front`` (its resolver and
    constructors are used for non-string scalars); it is left unusable.
    ``None`` means: use the full loader, this document is not plain.
    """
    if len(front) > MAX_CHARS:
        return None
    try:
        events = list(iter(loader.get_event, None))
    except yaml.YAMLError:
        return None
    if (
        len(events) < 5
        or events[1].__class__ is not yaml.DocumentStartEvent
        or events[-2].__class__ is not yaml.DocumentEndEvent
        or events[-1].__class__ is not yaml.StreamEndEvent
    ):
        return None
    # Values and collections count alike (as in the shape check); end events do not.
    if len(events) - 4 > max_nodes and sum(
        1 for e in events if e.__class__ in (_Scalar, _MapStart, _SeqStart)
    ) > max_nodes:
        return None
    settings = _SETTINGS.get(type(loader))
    if settings is None:
        settings = _SETTINGS[type(loader)] = _Settings(loader)
    if not settings.usable:
        return None
    if ("&" in front or "!" in front) and any(  # without either, no anchor or tag can be
        e.__class__ in (_Scalar, _MapStart, _SeqStart)
        and (e.anchor is not None or e.tag is not None) for e in events
    ):
        return None
    builder = _Builder(loader, settings, max_depth)
    stream = iter(events[2:-2])
    try:
        root = builder.node(next(stream), stream, 0)
        for _ in stream:
            raise _NotPlain  # a second document
    except (_NotPlain, RecursionError):  # a max_depth beyond Python's own limit
        return None
    return root, builder.duplicates


class _Builder:
    """One document's values, built by recursive descent over its events.

    Untagged, unanchored events only (:func:`load_plain` checked). A scalar is
    its text when quoted (or a block), else a remembered value or
    :meth:`resolved`; the loops spell that out, it is most of the work.
    """

    def __init__(self, loader: Any, settings: _Settings, max_depth: int) -> None:
        self.loader = loader
        self.settings = settings
        self.memo = settings.values
        self.max_depth = max_depth
        self.duplicates: list[tuple[str, int, int]] = []

    def node(self, event: Any, stream: Any, depth: int) -> Any:
        kind = event.__class__
        if kind is _Scalar:
            if not event.implicit[0]:
                return event.value
            value = self.memo.get(event.value, _MISSING)
            return self.resolved(event) if value is _MISSING else value
        if kind is _MapStart:
            return self.mapping(stream, depth)
        if kind is _SeqStart:
            return self.sequence(stream, depth)
        raise _NotPlain  # an alias, or a second document

    def mapping(self, stream: Any, depth: int) -> dict:
        if depth >= self.max_depth:
            raise _NotPlain
        depth += 1
        result: dict = {}
        seen: dict[str, Any] = {}  # the key event of each raw key, for duplicate notes
        memo, resolved, node = self.memo, self.resolved, self.node
        for event in stream:
            if event.__class__ is not _Scalar:
                if event.__class__ is _MapEnd:
                    return result
                raise _NotPlain  # a collection as a key, or an alias
            raw = event.value
            if event.implicit[0]:
                key = memo.get(raw, _MISSING)
                if key is _MISSING:
                    key = resolved(event)
            else:
                key = raw
            first = seen.setdefault(raw, event)
            if first is not event:
                self.duplicates.append(
                    (raw, first.start_mark.line + 2, event.start_mark.line + 2))
            event = next(stream, None)
            if event.__class__ is _Scalar:
                value = event.value
                if event.implicit[0]:
                    found = memo.get(value, _MISSING)
                    value = resolved(event) if found is _MISSING else found
                result[key] = value
            else:
                result[key] = node(event, stream, depth)
        raise _NotPlain  # pragma: no cover - libyaml always ends what it starts

    def sequence(self, stream: Any, depth: int) -> list:
        if depth >= self.max_depth:
            raise _NotPlain
        depth += 1
        result: list = []
        append, memo, resolved, node = result.append, self.memo, self.resolved, self.node
        for event in stream:
            kind = event.__class__
            if kind is _Scalar:
                value = event.value
                if event.implicit[0]:
                    found = memo.get(value, _MISSING)
                    value = resolved(event) if found is _MISSING else found
                append(value)
            elif kind is _SeqEnd:
                return result
            else:
                append(node(event, stream, depth))
        raise _NotPlain  # pragma: no cover - libyaml always ends what it starts

    def resolved(self, event: Any) -> Any:
        """The value of a plain scalar not remembered: shortcuts, else resolver and constructor."""
        raw = event.value
        settings = self.settings
        value = _MISSING
        if "0" <= raw[:1] <= "9":
            value = self.number_or_stamp(raw, settings)
        if value is _MISSING:
            value = self.constructed(event)
        if len(raw) <= _MEMO_CHARS and value.__class__ in _SHAREABLE:
            memo = self.memo
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            memo[raw] = value
        return value

    def constructed(self, event: Any) -> Any:
        """The value the loader's own resolver and constructor give a plain scalar."""
        raw = event.value
        loader = self.loader
        tag = loader.resolve(_ScalarNode, raw, event.implicit)
        if tag == _STR:
            return raw
        constructor = loader.yaml_constructors.get(tag)
        if constructor is None:
            raise _NotPlain  # merge keys, '=' and anything unusual
        try:
            return constructor(loader, _ScalarNode(
                tag, raw, event.start_mark, event.end_mark, event.style))
        except Exception:  # noqa: BLE001 - the full path reports it exactly
            raise _NotPlain from None

    @staticmethod
    def number_or_stamp(raw: str, settings: _Settings) -> Any:
        """A decimal number or a timestamp built without the resolver, or ``_MISSING``."""
        if raw.isdigit():
            # Decimal digits without a leading zero (that would be octal) are an int to
            # PyYAML's resolver; ``int`` refuses more than 4300 digits, as PyYAML does.
            if settings.ints and raw[0] != "0" and raw.isascii() and len(raw) <= 4300:
                return int(raw)
            return _MISSING
        if not settings.stamps:
            return _MISSING
        match = _STAMP.fullmatch(raw)
        if match is None:
            return _MISSING
        year, month, day, hour, minute, second, fraction, zone, sign, zone_h, zone_m = (
            match.groups())
        try:
            if hour is None:
                return date.fromisoformat(raw)
            if fraction is None and zone in (None, "Z"):
                # The usual shape: ``fromisoformat`` reads the same fields (any of the
                # separators, ``Z`` as UTC) and refuses the same values, in a third the time.
                return datetime.fromisoformat(raw)
            tzinfo = None
            if zone is not None:
                tzinfo = _ZONES.get(zone)
                if tzinfo is None:
                    if zone == "Z":
                        tzinfo = timezone.utc
                    else:
                        delta = timedelta(hours=int(zone_h), minutes=int(zone_m))
                        tzinfo = timezone(-delta if sign == "-" else delta)
                    if len(_ZONES) < 64:
                        _ZONES[zone] = tzinfo
            return datetime(int(year), int(month), int(day), int(hour), int(minute),
                            int(second), int(fraction[:6].ljust(6, "0")) if fraction else 0,
                            tzinfo=tzinfo)
        except ValueError:
            return _MISSING  # not a real date or zone: the constructor decides what it is
