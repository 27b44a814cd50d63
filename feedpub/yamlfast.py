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
"""

from __future__ import annotations

from typing import Any

import yaml

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_Scalar = yaml.ScalarEvent
_MapStart, _MapEnd = yaml.MappingStartEvent, yaml.MappingEndEvent
_SeqStart, _SeqEnd = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_ScalarNode = yaml.ScalarNode
#: Larger front matter takes the full path: the events are gathered in one list first.
MAX_CHARS = 65_536
#: The implicit tag of short plain scalars (keys, numbers, booleans), per loader class:
#: resolving depends on nothing but the text, and the same few recur in every record.
_TAGS: dict[type, dict[str, str]] = {}
_MEMO_CHARS, _MEMO_SIZE = 40, 1024
#: Marks "this mapping waits for a key" on the key stack.
_NO_KEY = object()


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
    resolve = loader.resolve
    tags = _TAGS.setdefault(type(loader), {})
    constructors = loader.yaml_constructors
    duplicates: list[tuple[str, int, int]] = []
    containers: list[Any] = []  # open lists and dicts, innermost last
    keys: list[Any] = []  # per open container: its pending key (dicts) or None (lists)
    firsts: list[dict[str, int] | None] = []  # per open dict: the line of each raw key
    root: Any = None
    values = 0
    value: Any
    for event in events[2:-2]:
        kind = event.__class__
        if kind is _Scalar:
            if event.anchor is not None or event.tag is not None:
                return None
            values += 1
            raw = value = event.value
            implicit = event.implicit
            if implicit[0]:
                tag = tags.get(raw)
                if tag is None:
                    tag = resolve(_ScalarNode, raw, implicit)
                    if len(raw) <= _MEMO_CHARS and tag != _TIMESTAMP:  # dates rarely recur
                        if len(tags) >= _MEMO_SIZE:
                            tags.clear()
                        tags[raw] = tag
                if tag != _STR:
                    constructor = constructors.get(tag)
                    if constructor is None:
                        return None  # merge keys, '=' and anything unusual
                    try:
                        value = constructor(loader, _ScalarNode(
                            tag, raw, event.start_mark, event.end_mark, event.style))
                    except Exception:  # noqa: BLE001 - the full path reports it exactly
                        return None
        elif kind is _MapStart or kind is _SeqStart:
            if event.anchor is not None or event.tag is not None:
                return None
            if len(containers) >= max_depth:
                return None
            values += 1  # the shape check counts collections as values too
            if containers and keys[-1] is _NO_KEY:
                return None  # a collection as a mapping key
            value = {} if kind is _MapStart else []
        elif kind is _MapEnd or kind is _SeqEnd:
            containers.pop()
            keys.pop()
            firsts.pop()
            continue
        else:
            return None  # an alias, or a second document
        if values > max_nodes:
            return None
        if not containers:
            root = value
        else:
            top = containers[-1]
            if top.__class__ is list:
                top.append(value)
            else:
                key = keys[-1]
                if key is _NO_KEY:
                    seen = firsts[-1]
                    line = event.start_mark.line + 2
                    if raw in seen:
                        duplicates.append((raw, seen[raw], line))
                    else:
                        seen[raw] = line
                    keys[-1] = value
                else:
                    top[key] = value
                    keys[-1] = _NO_KEY
        if kind is _MapStart:
            containers.append(value)
            keys.append(_NO_KEY)
            firsts.append({})
        elif kind is _SeqStart:
            containers.append(value)
            keys.append(None)
            firsts.append(None)
    return root, duplicates
