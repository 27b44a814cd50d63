"""JSON Feed 1.1 rules (https://jsonfeed.org/version/1.1).

JSON has no line information once parsed, so findings point at the line of the
key's first occurrence in the text when it can be found.
"""

from __future__ import annotations

import json
import re
from typing import Any

from feedpub.validator import urls
from feedpub.validator.dates import check_rfc3339
from feedpub.validator.htmlcheck import html_risks
from feedpub.validator.report import Message

VERSIONS = ("https://jsonfeed.org/version/1.1", "https://jsonfeed.org/version/1")
_MAX_DEPTH = 64
_STRING_KEYS_FEED = (
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "language",
)
_URL_KEYS_FEED = ("home_page_url", "feed_url", "next_url", "icon", "favicon")
_STRING_KEYS_ITEM = (
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "language",
)
_URL_KEYS_ITEM = ("url", "external_url", "image", "banner_image")
_MIME = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+(\s*;.*)?$")


class _Out:
    """Error/warning lists with a best-effort line lookup in the source text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.errors: list[Message] = []
        self.warnings: list[Message] = []

    def _line(self, key: str | None) -> int | None:
        if not key:
            return 1
        idx = self.text.find(f'"{key}"')
        return self.text.count("\n", 0, idx) + 1 if idx >= 0 else 1

    def error(self, code: str, message: str, key: str | None = None) -> None:
        self.errors.append(Message(code, message, self._line(key), None, "error"))

    def warn(self, code: str, message: str, key: str | None = None) -> None:
        self.warnings.append(Message(code, message, self._line(key), None, "warning"))


def validate_json(data: bytes, base: str | None) -> tuple[list[Message], list[Message]]:
    """Validate a JSON Feed document; return (errors, warnings)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [
            Message("NotUTF8", f"JSON Feed must be UTF-8 (bad byte at {exc.start})", 1, None)
        ], []
    out = _Out(text)
    # Deep nesting makes the json module recurse; refuse it before parsing.
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                out.error("TooDeep", f"JSON nesting deeper than {_MAX_DEPTH} levels")
                return out.errors, out.warnings
        elif ch in "]}":
            depth -= 1
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        out.errors.append(
            Message("InvalidJSON", f"not valid JSON: {getattr(exc, 'msg', exc)}", line, col)
        )
        return out.errors, out.warnings
    if not isinstance(doc, dict):
        out.error("InvalidJSON", "a JSON Feed is a JSON object")
        return out.errors, out.warnings
    _feed(doc, out)
    return out.errors, out.warnings


def _type(
    obj: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str, out: _Out
) -> bool:
    if key in obj and not isinstance(obj[key], kind):
        out.error("InvalidType", f"{what}.{key} has the wrong type", key)
        return False
    return key in obj


def _url(obj: dict[str, Any], key: str, what: str, out: _Out) -> None:
    value = obj.get(key)
    if isinstance(value, str):
        problem = urls.full_uri_problem(value)
        if problem:
            out.error("InvalidFullLink", f"{what}.{key}: {problem[1]}", key)


def _feed(doc: dict[str, Any], out: _Out) -> None:
    version = doc.get("version")
    if version is None:
        out.error("MissingElement", "the feed must have a version")
    elif version not in VERSIONS:
        out.error(
            "InvalidVersion", f"version {version!r} is not a JSON Feed version URL", "version"
        )
    if "title" not in doc:
        out.error("MissingElement", "the feed must have a title")
    for key in _STRING_KEYS_FEED:
        _type(doc, key, str, "feed", out)
    for key in _URL_KEYS_FEED:
        _url(doc, key, "feed", out)
    _type(doc, "expired", bool, "feed", out)
    if "feed_url" not in doc:
        out.warn("MissingSelf", "the feed should give its own URL in feed_url")
    _authors(doc, "feed", out)
    hubs = doc.get("hubs")
    if hubs is not None and not (
        isinstance(hubs, list)
        and all(
            isinstance(h, dict) and isinstance(h.get("type"), str) and isinstance(h.get("url"), str)
            for h in hubs
        )
    ):
        out.error("InvalidType", "hubs must be a list of objects with type and url", "hubs")
    items = doc.get("items")
    if items is None:
        out.error("MissingElement", "the feed must have items (possibly empty)")
        return
    if not isinstance(items, list):
        out.error("InvalidType", "items must be an array", "items")
        return
    ids: set[str] = set()
    for index, item in enumerate(items):
        _item(item, index, ids, out)


def _authors(obj: dict[str, Any], what: str, out: _Out) -> None:
    if "author" in obj:
        out.warn("DeprecatedElement", f"{what}.author is deprecated in 1.1; use authors", "author")
        if not isinstance(obj["author"], dict):
            out.error("InvalidType", f"{what}.author must be an object", "author")
    authors = obj.get("authors")
    if authors is None:
        return
    if not isinstance(authors, list) or not all(isinstance(a, dict) for a in authors):
        out.error("InvalidType", f"{what}.authors must be an array of objects", "authors")
        return
    for author in authors:
        if not any(k in author for k in ("name", "url", "avatar")):
            out.error(
                "MissingElement", f"each {what} author needs a name, url or avatar", "authors"
            )
        for key in ("name", "url", "avatar"):
            _type(author, key, str, f"{what}.authors[]", out)
        for key in ("url", "avatar"):
            _url(author, key, f"{what}.authors[]", out)


def _item(item: Any, index: int, ids: set[str], out: _Out) -> None:
    what = f"items[{index}]"
    if not isinstance(item, dict):
        out.error("InvalidType", f"{what} must be an object", "items")
        return
    item_id = item.get("id")
    if item_id is None:
        out.error("MissingElement", f"{what} must have an id", "items")
    elif not isinstance(item_id, (str, int, float)) or isinstance(item_id, bool):
        out.error("InvalidType", f"{what}.id must be a string", "id")
    else:
        if not isinstance(item_id, str):
            out.warn("InvalidType", f"{what}.id should be a string", "id")
        key = str(item_id)
        if key in ids:
            out.error("DuplicateValue", f"{what}.id {key!r} is used by another item", "id")
        ids.add(key)
    for key in _STRING_KEYS_ITEM:
        _type(item, key, str, what, out)
    for key in _URL_KEYS_ITEM:
        _url(item, key, what, out)
    if "content_html" not in item and "content_text" not in item:
        out.error("MissingElement", f"{what} must have content_html or content_text", "items")
    html = item.get("content_html")
    if isinstance(html, str):
        for risk in html_risks(html):
            out.warn("SecurityRisk", f"{what}.content_html contains a {risk}", "content_html")
    for key in ("date_published", "date_modified"):
        value = item.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            out.error("InvalidType", f"{what}.{key} must be a string", key)
            continue
        verdict = check_rfc3339(value)
        if not verdict.ok:
            out.error("InvalidRFC3339Date", f"{what}.{key}: {verdict.detail}", key)
    tags = item.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        out.error("InvalidType", f"{what}.tags must be an array of strings", "tags")
    _authors(item, what, out)
    attachments = item.get("attachments")
    if attachments is None:
        return
    if not isinstance(attachments, list):
        out.error("InvalidType", f"{what}.attachments must be an array", "attachments")
        return
    for att in attachments:
        if not isinstance(att, dict):
            out.error("InvalidType", f"{what}.attachments[] must be objects", "attachments")
            continue
        for key in ("url", "mime_type"):
            if key not in att:
                out.error("MissingElement", f"{what}.attachments[] needs {key}", "attachments")
        _url(att, "url", f"{what}.attachments[]", out)
        mime = att.get("mime_type")
        if mime is not None and not (isinstance(mime, str) and _MIME.match(mime)):
            out.error(
                "InvalidMIMEType", f"{what}.attachments[].mime_type is not a MIME type", "mime_type"
            )
        for key in ("size_in_bytes", "duration_in_seconds"):
            value = att.get(key)
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0
            ):
                out.error(
                    "InvalidType", f"{what}.attachments[].{key} must be a non-negative number", key
                )
