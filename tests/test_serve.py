"""feedpub serve: media types, ETag/Last-Modified, 304s, and nothing outside the folder."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from email.utils import formatdate
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_support import REPO, build_seeds, serving

from feedpub.cli import main
from feedpub.serve import DEFAULT_PORT, resolve


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    folder = root / "site"
    build_seeds(folder)
    (root / "secret.txt").write_text("outside")
    (folder / ".hidden").write_text("dot file")
    os.symlink(root / "secret.txt", folder / "escape.txt")
    return folder


def request(base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None
            ) -> tuple[int, dict[str, str], bytes]:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(("path", "media_type"), [
    ("/all.rss", "application/rss+xml; charset=utf-8"),
    ("/topics/ai.atom", "application/atom+xml; charset=utf-8"),
    ("/all.json", "application/feed+json; charset=utf-8"),
    ("/feeds.opml", "text/x-opml; charset=utf-8"),
    ("/index.html", "text/html; charset=utf-8"),
    ("/", "text/html; charset=utf-8"),
])
def test_media_types_and_bodies(out: Path, path: str, media_type: str) -> None:
    with serving(out) as base:
        status, headers, body = request(base, path)
    assert status == 200
    assert headers["Content-Type"] == media_type
    file = out / (path.lstrip("/") or "index.html")
    assert body == file.read_bytes()
    assert headers["Content-Length"] == str(len(body))


def test_conditional_requests(out: Path) -> None:
    with serving(out) as base:
        status, headers, _ = request(base, "/all.atom")
        etag, modified = headers["ETag"], headers["Last-Modified"]
        assert status == 200 and etag.startswith('"') and modified.endswith("GMT")
        assert request(base, "/all.atom", headers={"If-None-Match": etag})[0] == 304
        not_modified = request(base, "/all.atom", headers={"If-None-Match": f'"x", {etag}'})
        assert not_modified[0] == 304 and not_modified[2] == b""
        assert not_modified[1]["ETag"] == etag
        assert request(base, "/all.atom", headers={"If-None-Match": '"other"'})[0] == 200
        assert request(base, "/all.atom", headers={"If-Modified-Since": modified})[0] == 304
        old = formatdate(time.time() - 10 * 365 * 86400, usegmt=True)
        assert request(base, "/all.atom", headers={"If-Modified-Since": old})[0] == 200
        assert request(base, "/all.atom", headers={"If-Modified-Since": "garbage"})[0] == 200
        # If-None-Match wins over If-Modified-Since (RFC 9110)
        both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
        assert request(base, "/all.atom", headers=both)[0] == 200
        head = request(base, "/all.atom", method="HEAD")
        assert head[0] == 200 and head[2] == b"" and head[1]["ETag"] == etag


def test_rebuild_keeps_etags_of_unchanged_feeds(out: Path) -> None:
    with serving(out) as base:
        before = request(base, "/topics/ai.rss")[1]["ETag"]
        build_seeds(out)
        assert request(base, "/topics/ai.rss", headers={"If-None-Match": before})[0] == 304


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/topics/%2e%2e/%2e%2e/secret.txt",
    "/..%2fsecret.txt", "/escape.txt", "/.hidden", "/%00", "/topics/..%5c..%5csecret.txt",
    "/missing.rss", "/topics/", "/%ff",
])
def test_only_files_under_the_folder(out: Path, path: str) -> None:
    with serving(out) as base:
        status, _, body = request(base, path)
    assert status == 404, path
    assert b"outside" not in body


def test_resolve_rejects_escapes(out: Path) -> None:
    root = out.resolve()
    assert resolve(root, "/topics/ai.atom") == root / "topics" / "ai.atom"
    assert resolve(root, "/index.html?x=1") == root / "index.html"
    assert resolve(root, "//all.rss") == root / "all.rss"
    assert resolve(root, "/../site/all.rss") is None


def test_serve_command_in_a_real_process(out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "feedpub", "serve", str(out), "--port", "0", "--quiet"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(f"Serving {out}/ at http://127.0.0.1:"), line
        base = line.split(" at ")[1].split()[0]
        status, headers, _ = request(base, "/all.json")
        assert status == 200 and headers["Content-Type"].startswith("application/feed+json")
    finally:
        process.terminate()
        process.wait(10)


def test_serve_defaults_and_errors(tmp_path: Path) -> None:
    assert DEFAULT_PORT == 8000
    missing = CliRunner().invoke(main, ["serve", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    with serving(tmp_path) as base:
        port = base.rstrip("/").rsplit(":", 1)[1]
        taken = CliRunner().invoke(main, ["serve", str(tmp_path), "--port", port])
    assert taken.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in taken.output
