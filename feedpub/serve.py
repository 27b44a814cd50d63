"""``feedpub serve``: a preview server for a build folder, on 127.0.0.1 only.

It serves exactly the files under the folder (no listings, no dot files,
nothing reached through ``..`` or a symbolic link pointing out of it) with
the media type of each feed format, and answers conditional requests the
way feed readers make them: a strong ``ETag`` from the file's size and
modification time plus ``Last-Modified``, and ``304 Not Modified`` for a
matching ``If-None-Match`` (or, without one, an ``If-Modified-Since`` no
older than the file). Since the build rewrites only files whose bytes
changed, an unchanged feed keeps its ETag across rebuilds.
"""

from __future__ import annotations

import email.utils
import os
import urllib.parse
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from feedpub.formats import FORMATS

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MEDIA_TYPES: dict[str, str] = {
    **{fmt.ext: fmt.media_type + "; charset=utf-8" for fmt in FORMATS.values()},
    ".opml": "text/x-opml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
}
FALLBACK_TYPE = "application/octet-stream"


def resolve(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or ``None`` if it names nothing we serve.

    ``root`` must be resolved. A folder means its ``index.html``.
    """
    if url_path.startswith("/"):  # origin-form: the path may itself start with "//"
        raw = url_path.partition("?")[0].partition("#")[0]
    else:  # absolute-form, "http://host/path"
        raw = urllib.parse.urlsplit(url_path).path
    path = urllib.parse.unquote(raw, errors="strict")
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") or p.startswith(".") for p in parts):
        return None
    candidate = root.joinpath(*parts)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real != root and root not in real.parents:
        return None
    if real.is_dir():
        real = real / "index.html"
    return real if real.is_file() else None


def etag_for(stat: os.stat_result) -> str:
    return f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'


class FeedRequestHandler(BaseHTTPRequestHandler):
    """GET and HEAD for files under ``root``, with validators and 304s."""

    server_version = "feedpub-serve"
    root: Path

    def __init__(self, *args, root: Path, quiet: bool = False, **kwargs) -> None:
        self.root = root
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._send(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        if not self.quiet:
            super().log_message(format, *args)

    def _send(self, body: bool) -> None:
        try:
            path = resolve(self.root, self.path)
        except UnicodeDecodeError:
            path = None
        if path is None:
            self._plain(HTTPStatus.NOT_FOUND, body)
            return
        try:
            with open(path, "rb") as stream:
                stat = os.fstat(stream.fileno())
                data = stream.read() if body else b""
        except OSError:
            self._plain(HTTPStatus.NOT_FOUND, body)
            return
        etag = etag_for(stat)
        modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
        if self._not_modified(etag, int(stat.st_mtime)):
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self._validators(etag, modified)
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", MEDIA_TYPES.get(path.suffix.lower(), FALLBACK_TYPE))
        self.send_header("Content-Length", str(stat.st_size))
        self._validators(etag, modified)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _validators(self, etag: str, modified: str) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.send_header("Cache-Control", "no-cache")

    def _not_modified(self, etag: str, mtime: int) -> bool:
        match = self.headers.get("If-None-Match")
        if match is not None:
            tags = [t.strip() for t in match.split(",")]
            return "*" in tags or etag in tags or f"W/{etag}" in tags
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if when is None or when.tzinfo is None:
            return False
        return mtime <= when.timestamp()

    def _plain(self, status: HTTPStatus, body: bool) -> None:
        text = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if body:
            self.wfile.write(text)


def make_server(folder: str | os.PathLike[str], port: int = DEFAULT_PORT,
                quiet: bool = False) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1:``port`` (0: any free port) serving ``folder``.

    Raises ``OSError`` if the port is taken.
    """
    root = Path(folder).resolve()
    handler = partial(FeedRequestHandler, root=root, quiet=quiet)
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def server_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host}:{port}/"


