"""Date formats used by feeds: RFC 822 (RSS), RFC 3339 (Atom, JSON Feed), W3C-DTF (Dublin Core).

Each checker returns a verdict value rather than raising, so callers decide
whether a problem is an error or a warning. Parsing is memoized (feeds repeat their
dates across documents); the plausibility warning depends on today's date, so it is
worked out on every call. The ``*_verdict`` forms give the validator the codes
without building a datetime.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import time
from dataclasses import dataclass

from feedpub.validator.memo import memoize

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ZONES = {"UT": 0, "GMT": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5}
_ZONES.update({"MST": -7, "MDT": -6, "PST": -8, "PDT": -7})
# RFC 822 section 5: [day ","] date time zone; seconds optional; 2- or 4-digit year.
_RFC822 = re.compile(
    r"^(?:(?P<dow>[A-Za-z]{3}),\s*)?(?P<day>\d{1,2})\s+(?P<mon>[A-Za-z]{3})\s+(?P<year>\d{2}|\d{4})\s+"
    r"(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?\s+"
    r"(?P<zone>[+-]\d{4}|[A-Za-z]{1,3})$"
)
_RFC3339 = re.compile(
    r"^(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})T(?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"(?:\.\d+)?(?P<tz>Z|[+-](?P<tzh>\d{2}):(?P<tzm>\d{2}))$"
)
_W3CDTF = re.compile(
    r"^(?P<y>\d{4})(?:-(?P<mo>\d{2})(?:-(?P<d>\d{2})"
    r"(?:T(?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>Z|[+-](?P<tzh>\d{2}):(?P<tzm>\d{2})))?)?)?$"
)
_COMMENT = re.compile(r"\([^()]*\)")
# Subsets of _RFC822 and _RFC3339 that only match dates those accept with no warning but
# a plausibility one (ASCII digits, fields in range; year 0000 is not a date).
_PLAIN_RFC822 = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (0?[1-9]|[12][0-9]|3[01]) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ((?!0000)[0-9]{4}) "
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60))? "
    r"(?:[+-](?:[01][0-9]|2[0-3])(?:00|30|45)|GMT|UT|Z|[ECMP][SD]T)"
)
_PLAIN_RFC3339 = re.compile(
    r"((?!0000)[0-9]{4})-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\.[0-9]+)?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)


@dataclass(frozen=True)
class DateCheck:
    """Verdict on a date string: ok, problem code (error) and/or warning code."""

    ok: bool
    code: str = ""
    detail: str = ""
    warning: str = ""
    value: dt.datetime | None = None


def _valid_ymd(y: int, mo: int, d: int) -> bool:
    try:
        dt.date(y, mo, d)
    except ValueError:
        return False
    return True


def _implausible(year: int) -> str:
    """The warning for a year a feed is unlikely to mean (it depends on today's date).

    The current year is ``time.gmtime().tm_year``, worked out again only when the
    clock leaves the year it was worked out for.
    """
    global _YEAR
    now = time.time()
    start, end, this_year = _YEAR
    if not start <= now < end:
        this_year = time.gmtime(now).tm_year
        start = calendar.timegm((this_year, 1, 1, 0, 0, 0))
        end = calendar.timegm((this_year + 1, 1, 1, 0, 0, 0))
        _YEAR = start, end, this_year
    return "ImplausibleDate" if year < 1970 or year > this_year + 20 else ""


_YEAR: tuple[float, float, int] = (0.0, 0.0, 0)


_DATE_CACHE = 8192
_DATE_MAX_LEN = 128
# What parsing a date gives: (error code, its detail, warning, fields) with an empty code
# when the date is valid, and fields (year, month, day, hour, minute, second, offset in
# minutes) when it names a real date and time.
Parsed = tuple[str, str, str, "tuple[int, int, int, int, int, int, int] | None"]
Verdict = tuple[str, str, str]


def _zone(minutes: int) -> dt.timezone:
    """The fixed-offset time zone, made once per offset (there are fewer than 2880)."""
    zone = _ZONE_CACHE.get(minutes)
    if zone is None:
        zone = _ZONE_CACHE[minutes] = dt.timezone(dt.timedelta(minutes=minutes))
    return zone


_ZONE_CACHE: dict[int, dt.timezone] = {}
_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, 1)}
_MONTH_NUMBERS.update({name.title(): number for name, number in list(_MONTH_NUMBERS.items())})
_DAY_NAMES = tuple(day.title() for day in DAYS)


def _check(parsed: Parsed) -> DateCheck:
    code, detail, warning, fields = parsed
    value = None
    if fields is not None:
        y, mo, d, h, mi, s, offset = fields
        value = dt.datetime(y, mo, d, h, mi, min(s, 59), tzinfo=_zone(offset))
    if code:
        return DateCheck(False, code, detail, value=value)
    return DateCheck(True, warning=warning or _implausible(value.year), value=value)


def _verdict(parsed: Parsed) -> Verdict:
    code, detail, warning, fields = parsed
    if code:
        return code, detail, ""
    return "", "", warning or _implausible(fields[0])  # type: ignore[index]


def check_rfc822(raw: str) -> DateCheck:
    """RSS 2.0 dates: RFC 822 with 2- or 4-digit years; day of week must match the date."""
    return _check(_rfc822(raw))


def rfc822_verdict(raw: str) -> Verdict:
    """``check_rfc822`` as (error code, detail, warning code), without building a datetime.

    Dates written the usual way ("Tue, 29 Dec 2020 23:23:00 +0000") are recognised by
    one pattern that admits only values _rfc822 accepts without a warning; then only
    the day of the month (29-31) and of the week are left to check.
    """
    match = _PLAIN_RFC822.fullmatch(raw)
    if match is not None:
        dow, day, month, year_text = match.groups()
        year = int(year_text)
        try:
            weekday = dt.date(year, _MONTH_NUMBERS[month], int(day)).weekday()
        except ValueError:
            weekday = -1
        if weekday >= 0 and _DAY_NAMES[weekday] == dow:
            return "", "", _implausible(year)
    return _verdict(_rfc822(raw))


@memoize(_DATE_CACHE, _DATE_MAX_LEN)
def _rfc822(raw: str) -> Parsed:
    text = raw.strip()
    warning = ""
    match = _RFC822.match(text)
    if match is None:
        cleaned = " ".join(_COMMENT.sub(" ", text).split()).replace(" ,", ",")
        match = _RFC822.match(cleaned)
        if match is None:
            return "InvalidRFC2822Date", f"{raw!r} is not an RFC 822 date", "", None
        warning = "ProblematicalRFC822Date"
    if "  " in text or "\t" in text or "\n" in text:
        warning = "ProblematicalRFC822Date"
    dow, day_text, mon_text, year_text, h_text, m_text, s_text, zone = match.groups()
    month = _MONTH_NUMBERS.get(mon_text.lower())
    if month is None:
        return "InvalidRFC2822Date", f"unknown month {mon_text!r}", "", None
    year = int(year_text)
    if len(year_text) == 2:
        year += 1900 if year >= 50 else 2000
        warning = warning or "ProblematicalRFC822Date"
    day, h, m, s = int(day_text), int(h_text), int(m_text), int(s_text or 0)
    if h > 23 or m > 59 or s > 60 or not _valid_ymd(year, month, day):
        return "InvalidRFC2822Date", f"{raw!r} is not a real date and time", "", None
    if zone[0] in "+-":
        zh, zm = int(zone[1:3]), int(zone[3:5])
        if zm > 59 or zh > 23:  # datetime.timezone needs |offset| < 24 h
            return "InvalidRFC2822Date", f"bad time zone offset {zone!r}", "", None
        if zm not in (0, 30, 45):
            warning = warning or "ProblematicalRFC822Date"
        offset = (zh * 60 + zm) * (1 if zone[0] == "+" else -1)
    elif zone.upper() in _ZONES:
        offset = _ZONES[zone.upper()] * 60
    elif len(zone) == 1 and zone.upper() != "J":
        # RFC 822 military zones are ambiguous (RFC 1123 says their sign is wrong).
        warning = warning or "ProblematicalRFC822Date"
        offset = 0
    else:
        return "InvalidRFC2822Date", f"unknown time zone {zone!r}", "", None
    fields = (year, month, day, h, m, s, offset)
    if dow:
        if dow.lower() not in DAYS:
            return "InvalidRFC2822Date", f"unknown day of week {dow!r}", "", None
        actual = DAYS[dt.date(year, month, day).weekday()]
        if dow.lower() != actual:
            detail = f"{raw.strip()!r}: that date is a {actual.title()}, not a {dow}"
            return "IncorrectDOW", detail, "", fields
    return "", "", warning, fields


def check_rfc3339(raw: str) -> DateCheck:
    """Atom dates: RFC 3339 date-time with upper-case T and Z (RFC 4287 section 3.3)."""
    return _check(_rfc3339(raw))


def rfc3339_verdict(raw: str) -> Verdict:
    """``check_rfc3339`` as (error code, detail, warning code), without building a datetime.

    A date-time whose fields are all in range and whose day is at most 28 (valid in
    every month) needs no more than one pattern; other ones are parsed.
    """
    match = _PLAIN_RFC3339.fullmatch(raw)
    if match is not None:
        return "", "", _implausible(int(match.group(1)))
    return _verdict(_rfc3339(raw))


@memoize(_DATE_CACHE, _DATE_MAX_LEN)
def _rfc3339(raw: str) -> Parsed:
    if raw[:1].isspace() or raw[-1:].isspace():  # raw != raw.strip()
        return "UnexpectedWhitespace", "whitespace around the date", "", None
    match = _RFC3339.match(raw)
    if match is None:
        return "InvalidRFC3339Date", f"{raw!r} is not an RFC 3339 date-time", "", None
    y, mo, d, h, mi, s, tz, tzh, tzm = match.groups()
    y, mo, d, h, mi, s = int(y), int(mo), int(d), int(h), int(mi), int(s)
    if h > 23 or mi > 59 or s > 60 or not _valid_ymd(y, mo, d):
        return "InvalidRFC3339Date", f"{raw!r} is not a real date and time", "", None
    offset = 0
    if tzh:
        tzh, tzm = int(tzh), int(tzm)
        if tzh > 23 or tzm > 59:
            return "InvalidRFC3339Date", f"bad time zone offset in {raw!r}", "", None
        offset = (tzh * 60 + tzm) * (1 if tz[0] == "+" else -1)
    return "", "", "", (y, mo, d, h, mi, s, offset)


def _check_w3cdtf(raw: str) -> DateCheck:
    """Dublin Core dates: the W3C profile of ISO 8601 (year down to fractional seconds)."""
    text = raw.strip()
    match = _W3CDTF.match(text)
    if match is None:
        return DateCheck(False, "InvalidW3CDTFDate", f"{raw!r} is not a W3C-DTF date")
    y = int(match["y"])
    mo = int(match["mo"] or 1)
    d = int(match["d"] or 1)
    if not _valid_ymd(y, mo, d):
        return DateCheck(False, "InvalidW3CDTFDate", f"{raw!r} is not a real date")
    if match["h"] and (int(match["h"]) > 23 or int(match["mi"]) > 59 or int(match["s"] or 0) > 60):
        return DateCheck(False, "InvalidW3CDTFDate", f"{raw!r} is not a real time")
    if match["tzh"] and (int(match["tzh"]) > 23 or int(match["tzm"]) > 59):
        return DateCheck(False, "InvalidW3CDTFDate", f"bad time zone offset in {raw!r}")
    return DateCheck(True, value=dt.datetime(y, mo, d, tzinfo=dt.timezone.utc))


#: ``_check_w3cdtf``, memoized.
check_w3cdtf = memoize(_DATE_CACHE, _DATE_MAX_LEN)(_check_w3cdtf)
