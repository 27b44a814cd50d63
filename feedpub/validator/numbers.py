"""Integer values as the XML Schema integer types define them.

xsd:integer is an optional sign and decimal digits; surrounding whitespace is
collapsed away (XML Schema part 2, section 4.3.6). Feeds use positiveInteger
(ttl, sy:updateFrequency), nonNegativeInteger (lengths, counts) and bounded ranges.
"""

from __future__ import annotations

import re

_INTEGER = re.compile(r"^[+-]?[0-9]+$")


def parse_int(value: str | None) -> int | None:
    """The integer an xsd:integer lexical form denotes, or None."""
    if value is None:
        return None
    if value.isdigit() and value.isascii():  # the common case: plain ASCII digits
        return int(value)
    text = value.strip()
    if not _INTEGER.match(text):
        return None
    return int(text)


def is_positive(value: str | None) -> bool:
    number = parse_int(value)
    return number is not None and number > 0


def is_non_negative(value: str | None) -> bool:
    number = parse_int(value)
    return number is not None and number >= 0
