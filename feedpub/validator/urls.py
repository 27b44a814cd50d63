"""URI and IRI checks (RFC 3986, RFC 3987), tag: URIs (RFC 4151) and URNs (RFC 2141).

Functions return a (code, message) problem or None, so the format checkers can
choose the element to blame and the level. The checks are pure functions of the
string, and feeds repeat their URLs (an entry's links appear in the RSS and the Atom
feed of every topic it is in), so the answers are memoized in bounded caches.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from feedpub.validator.memo import memoize

Problem = tuple[str, str] | None
#: Memoized URLs per check: the distinct links of several thousand entries.
CACHE_SIZE = 16384
CACHE_MAX_LEN = 512

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_BAD_ASCII = re.compile(r"[\x00-\x20\x7f<>\"{}|\\^`]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
#: ``scheme://host`` up to the path, the host made only of characters that leave urlsplit
#: nothing to refuse (no ``:`` port, ``@`` user, ``[`` literal, space or non-ASCII).
_PLAIN_AUTHORITY = re.compile(r"[A-Za-z]+://[A-Za-z0-9._~!$&'()*+,;=%-]+(?:[/?#]|\Z)")
_LOWER_PERCENT = re.compile(r"%(?:[0-9A-F][a-f]|[a-f][0-9A-Fa-f])")
_DNS = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*"
_EMAIL_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+"
_TAG = re.compile(
    rf"^tag:(?:{_DNS}|{_EMAIL_LOCAL}@{_DNS}),\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?:"
    r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*(?:#[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*)?$"
)
# RFC 2141: NID is 2-32 letters, digits and hyphens, not starting with a hyphen.
_URN = re.compile(r"^urn:[A-Za-z0-9][A-Za-z0-9-]{1,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$", re.I)
# RFC 4122 section 3: urn:uuid: followed by the 8-4-4-4-12 hex string form.
_UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# RFC 3986 section 3.2.2: "[" and "]" only delimit an IP literal host.
_IP_LITERAL = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@\[\]]*@)?\[[0-9A-Za-z:.+_~!$&'()*,;=-]+\]"
)
# Schemes registered with IANA that feeds plausibly use (RFC 7595 registry, abridged).
REGISTERED_SCHEMES = frozenset(
    [
        "about",
        "acap",
        "cap",
        "cid",
        "crid",
        "data",
        "dav",
        "dict",
        "dns",
        "fax",
        "file",
        "ftp",
        "geo",
        "go",
        "gopher",
        "h323",
        "http",
        "https",
        "iax",
        "icap",
        "im",
        "imap",
        "info",
        "ipp",
        "iris",
        "iris.beep",
        "iris.xpc",
        "iris.xpcs",
        "iris.lwz",
        "ldap",
        "mailto",
        "mid",
        "msrp",
        "msrps",
        "mtqp",
        "mupdate",
        "news",
        "nfs",
        "nntp",
        "opaquelocktoken",
        "pop",
        "pres",
        "rtsp",
        "service",
        "shttp",
        "sieve",
        "sip",
        "sips",
        "sms",
        "snmp",
        "soap.beep",
        "soap.beeps",
        "tag",
        "tel",
        "telnet",
        "tftp",
        "thismessage",
        "tip",
        "tn3270",
        "tv",
        "urn",
        "vemmi",
        "ws",
        "wss",
        "xmlrpc.beep",
        "xmlrpc.beeps",
        "xmpp",
        "z39.50r",
        "z39.50s",
    ]
)
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
# The shapes feeds are made of, which every check above accepts: an http(s) URL whose
# host has no port, user or IP literal and whose other characters are unreserved,
# sub-delims, ":", "@", "/", "?", "#" or %XX escapes (char_problem finds nothing and
# scheme_problem's _PLAIN_AUTHORITY matches); and a lower-case UUID URN (_URN and
# _UUID match).
_UUID_LOWER = re.compile(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PATH_CHARS = r"[A-Za-z0-9._~!$&'()*+,;=:@/?#-]*"  # then %XX escapes, each followed by more
_CLEAN = re.compile(
    rf"https?://[A-Za-z0-9._~!$&'()*+,;=-]+(?:[/?#]{_PATH_CHARS}(?:%[0-9A-Fa-f]{{2}}{_PATH_CHARS})*)?"
    r"|" + _UUID_LOWER.pattern
)


def is_absolute(uri: str) -> bool:
    """True when the reference has a scheme (RFC 3986 section 4.3)."""
    return bool(_SCHEME.match(uri))


def char_problem(uri: str, *, iri: bool = True) -> Problem:
    """Characters not allowed in a URI (or IRI, which also admits non-ASCII characters)."""
    if _BAD_ASCII.search(uri):
        return "InvalidUriChar", f"{uri!r} contains a character not allowed in a URI"
    if "[" in uri or "]" in uri:
        literal = _IP_LITERAL.match(uri)
        rest = uri[literal.end() :] if literal else uri
        if "[" in rest or "]" in rest:
            return "InvalidUriChar", f"{uri!r}: '[' and ']' may only enclose an IP address host"
    if _BAD_PERCENT.search(uri):
        return "InvalidUriChar", f"{uri!r} has a '%' not followed by two hex digits"
    if not uri.isascii():
        if not iri:
            return "UriNotIri", f"{uri!r} contains non-ASCII characters (an IRI, not a URI)"
        if any(0xE000 <= ord(c) <= 0xF8FF or 0xFFF0 <= ord(c) <= 0xFFFF for c in uri):
            return "InvalidUriChar", f"{uri!r} contains a private-use character"
    return None


def scheme_problem(uri: str) -> Problem:
    """Scheme-specific syntax for the schemes ids commonly use."""
    lower = uri.lower()
    if lower.startswith("tag:") and not _TAG.match(uri):
        return "InvalidTAG", f"{uri!r} is not a valid tag: URI (RFC 4151)"
    if lower.startswith("urn:") and not _URN.match(uri):
        return "InvalidURN", f"{uri!r} is not a valid URN (RFC 2141)"
    if lower.startswith("urn:uuid:") and not _UUID.match(uri):
        return "InvalidURN", f"{uri!r} is not a valid UUID URN (RFC 4122)"
    if lower.startswith(("http:", "https:", "ftp:")):
        if _PLAIN_AUTHORITY.match(uri):
            return None  # a host with no port, user or brackets: urlsplit cannot object
        return _authority_problem(uri)
    return None


def _authority_problem(uri: str) -> Problem:
    """What urlsplit finds wrong with the host or port of an http(s)/ftp URI."""
    try:
        parts = urlsplit(uri)
        _ = parts.port
    except ValueError:
        return "InvalidFullLink", f"{uri!r} has an invalid host or port"
    if not parts.netloc:
        return "InvalidFullLink", f"{uri!r} has no host"
    return None


#: A match when the URI has a shape every check here accepts (see _CLEAN), else None.
is_clean = _CLEAN.fullmatch
#: A match for a lower-case UUID URN: is_clean, and scheme_warning finds nothing.
is_uuid_urn = _UUID_LOWER.fullmatch


def full_uri_problem(uri: str, *, iri: bool = True) -> Problem:
    """An absolute URI/IRI is required (RSS links, Atom ids, license URLs...)."""
    if _CLEAN.fullmatch(uri):
        return None
    return _full_iri_problem(uri) if iri else _full_ascii_uri_problem(uri)


def _full_uri_problem(uri: str, *, iri: bool = True) -> Problem:
    if not uri.strip():
        return "InvalidFullLink", "the URL is empty"
    problem = char_problem(uri, iri=iri)
    if problem:
        return problem
    if not is_absolute(uri):
        return "InvalidFullLink", f"{uri!r} is not an absolute URL (no scheme)"
    return scheme_problem(uri)


def reference_problem(uri: str, *, iri: bool = True) -> Problem:
    """Any URI/IRI reference, possibly relative."""
    if _CLEAN.fullmatch(uri):
        return None
    return _iri_reference_problem(uri) if iri else _ascii_reference_problem(uri)


def _reference_problem(uri: str, *, iri: bool = True) -> Problem:
    problem = char_problem(uri, iri=iri)
    if problem:
        return problem
    if is_absolute(uri):
        return scheme_problem(uri)
    return None


_full_iri_problem = memoize(CACHE_SIZE, CACHE_MAX_LEN)(_full_uri_problem)
_full_ascii_uri_problem = memoize(CACHE_SIZE, CACHE_MAX_LEN)(
    lambda uri: _full_uri_problem(uri, iri=False)
)
_iri_reference_problem = memoize(CACHE_SIZE, CACHE_MAX_LEN)(_reference_problem)
_ascii_reference_problem = memoize(CACHE_SIZE, CACHE_MAX_LEN)(
    lambda uri: _reference_problem(uri, iri=False)
)


def scheme_warning(uri: str) -> Problem:
    """Unregistered schemes and non-canonical forms are legal but worth a warning."""
    if _UUID_LOWER.fullmatch(uri):
        return None  # a registered scheme, lower case, no percent sign, no port to omit
    return _scheme_warning(uri)


@memoize(CACHE_SIZE, CACHE_MAX_LEN)
def _scheme_warning(uri: str) -> Problem:
    match = _SCHEME.match(uri)
    if not match:
        return None
    scheme = match.group()[:-1].lower()
    if scheme not in REGISTERED_SCHEMES:
        return "SchemeNotIANARegistered", f"URI scheme {scheme!r} is not registered with IANA"
    return canonical_warning(uri)


def canonical_warning(uri: str) -> Problem:
    """RFC 3986 section 6.2.2 normalisation: the forms Atom ids should use."""
    scheme = uri.split(":", 1)[0]
    if scheme != scheme.lower() or _LOWER_PERCENT.search(uri):
        return "NonCanonicalURI", f"{uri!r} is not in canonical form"
    if scheme in _DEFAULT_PORTS:
        try:
            parts = urlsplit(uri)
            port = parts.port
        except ValueError:
            return None
        host = parts.netloc.rsplit("@", 1)[-1]
        if (
            port == _DEFAULT_PORTS[scheme]
            or host != host.lower()
            or "/./" in parts.path
            or ("/../" in parts.path)
        ):
            return "NonCanonicalURI", f"{uri!r} is not in canonical form"
        if parts.netloc and not parts.path:
            return "NonCanonicalURI", f"{uri!r} should end with '/' after the host"
    return None


def resolve(base: str | None, ref: str) -> str:
    """Resolve a reference against a base, tolerating odd input."""
    if not base:
        return ref
    try:
        return urljoin(base, ref)
    except ValueError:
        return ref
