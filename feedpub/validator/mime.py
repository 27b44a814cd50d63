"""MIME media type syntax (RFC 2045 section 5.1, RFC 6838 section 4.2).

type "/" subtype, then parameters ";" attribute "=" value, where value is a
token or a quoted string. No whitespace around the whole value: attributes that
hold a media type (Atom type, enclosure type) carry it verbatim.
"""

from __future__ import annotations

import re

from feedpub.validator.memo import memoize

_TOKEN = r"[!#$%&'*+\-.^_`{|}~0-9A-Za-z]+"
_QUOTED = r'"(?:[^"\\\r\n]|\\.)*"'
_MEDIA_TYPE = re.compile(rf"^{_TOKEN}/{_TOKEN}(?:[ \t]*;[ \t]*{_TOKEN}=(?:{_TOKEN}|{_QUOTED}))*$")


def _is_media_type(value: str) -> bool:
    """True for 'text/html' or 'text/html; charset=utf-8', not ' text/html' or 'html'."""
    return bool(_MEDIA_TYPE.match(value))


#: ``_is_media_type``, memoized: feeds repeat a handful of media types.
is_media_type = memoize(1024, 256)(_is_media_type)


def is_xml_media_type(value: str) -> bool:
    """XML media types (RFC 3023): */xml and */*+xml."""
    base = value.split(";")[0].strip().lower()
    return base.endswith("+xml") or base.endswith("/xml")
