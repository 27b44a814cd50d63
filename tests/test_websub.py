"""WebSub: hub links in every format, and --ping announcing exactly the feeds that changed."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree
from publish_support import REPO, SEEDS, build_seeds

from feedpub.cli import main
from feedpub.validator import validate_bytes
from feedpub.websub import ping

BASE = "https://feeds.example.org/everyday-ai/"
A = "{http://www.w3.org/2005/Atom}"


class Hub:
    """A hub on 127.0.0.1 that records publish notifications and answers ``status``."""

    def __init__(self, status: int = 204) -> None:
        self.status = status
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
                hub.requests.append((self.path, self.headers["Content-Type"],
                                     urllib.parse.parse_qs(body)))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"

    @property
    def announced(self) -> list[str]:
        return [fields["hub.url"][0] for _, _, fields in self.requests]


@contextlib.contextmanager
def running_hub(status: int = 204) -> Iterator[Hub]:
    hub = Hub(status)
    thread = threading.Thread(target=hub.server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield hub
    finally:
        hub.server.shutdown()
        hub.server.server_close()
        thread.join(5)


def run_build(out: Path, *args: str, sources: Path = SEEDS):
    return CliRunner().invoke(
        main, ["build", str(sources), "--out", str(out),
               "--config", str(REPO / "feedpub.yaml"), *args],
    )


def feed_bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.suffix in (".rss", ".atom", ".json") and "archive" not in p.parts}


def test_hub_link_in_every_format_validates(tmp_path: Path) -> None:
    hub = "https://hub.example.net/"
    build_seeds(tmp_path, site={"hub": hub})
    for relative, data in feed_bytes(tmp_path).items():
        report = validate_bytes(data, path=relative, base=BASE + relative)
        assert not report.errors and not report.warnings, (relative, report)
        if relative.endswith(".json"):
            assert json.loads(data)["hubs"] == [{"type": "WebSub", "url": hub}]
            continue
        root = etree.fromstring(data)
        parent = root.find("channel") if root.tag == "rss" else root
        rels = {(link.get("rel"), link.get("href")) for link in parent.findall(f"{A}link")}
        assert ("hub", hub) in rels and ("self", BASE + relative) in rels
        parsed = feedparser.parse(data)
        assert not parsed.bozo
        assert hub in [link.href for link in parsed.feed.links if link.rel == "hub"]


def test_ping_announces_changed_feeds_only(tmp_path: Path) -> None:
    source, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, source)
    with running_hub() as hub:
        first = run_build(out, "--hub", hub.url, "--ping", sources=source)
        assert first.exit_code == 0, first.output
        assert sorted(hub.announced) == sorted(BASE + name for name in feed_bytes(out))
        assert len(hub.announced) == 17 * 3
        assert {path for path, _, _ in hub.requests} == {"/hub"}
        assert {ctype for _, ctype, _ in hub.requests} == {"application/x-www-form-urlencoded"}
        assert all(fields["hub.mode"] == ["publish"] for _, _, fields in hub.requests)
        assert "websub: 51 of 51 changed feeds announced" in first.output

        hub.requests.clear()
        again = run_build(out, "--hub", hub.url, "--ping", sources=source)
        assert again.exit_code == 0 and hub.requests == []
        assert "websub: 0 of 0 changed feeds announced" in again.output

        before = feed_bytes(out)
        record = source / "2019-12-16-waymo-acquires-ai-startup-latent-logic.md"
        record.write_text(record.read_text().replace('title: "', 'title: "New: ', 1))
        third = run_build(out, "--hub", hub.url, "--ping", sources=source)
        after = feed_bytes(out)
        changed = sorted(BASE + name for name in after if after[name] != before[name])
        assert sorted(hub.announced) == changed
        assert 3 <= len(changed) < 51 and BASE + "all.atom" in changed
        assert third.exit_code == 0


def test_archive_pages_are_not_announced(tmp_path: Path) -> None:
    with running_hub() as hub:
        result = run_build(tmp_path, "--hub", hub.url, "--ping", "--archive", "--limit", "5")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "all/archive/1.atom").is_file()
    assert len(hub.announced) == 51
    assert not [url for url in hub.announced if "/archive/" in url]


def test_hub_errors_are_reported_not_fatal(tmp_path: Path) -> None:
    with running_hub(status=500) as hub:
        result = run_build(tmp_path, "--hub", hub.url, "--ping", "--formats", "atom")
    assert result.exit_code == 0
    assert (tmp_path / "all.atom").is_file()
    assert f"ping failed: {BASE}all.atom: hub answered 500" in result.stderr
    assert "websub: 0 of 17 changed feeds announced" in result.output


def test_unreachable_hub_is_reported(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    results = ping(f"http://127.0.0.1:{port}/", ["https://x.example/a.atom"], timeout=5)
    assert len(results) == 1 and not results[0].ok
    assert results[0].error.startswith("hub not reached:")


def test_hub_from_the_settings_file(tmp_path: Path) -> None:
    with running_hub() as hub:
        config = tmp_path / "feedpub.yaml"
        config.write_text((REPO / "feedpub.yaml").read_text() + f"hub: {hub.url}\n")
        result = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "o"),
                                           "--config", str(config), "--formats", "rss", "--ping"])
        assert result.exit_code == 0, result.output
        assert len(hub.announced) == 17
    assert f'href="{hub.url}" rel="hub"' in (tmp_path / "o/all.rss").read_text()


def test_ping_without_a_hub_is_a_usage_error(tmp_path: Path) -> None:
    result = run_build(tmp_path, "--ping")
    assert result.exit_code == 2
    assert "--ping needs a hub" in result.output
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("hub", ["ftp://hub.example/", "not a url"])
def test_bad_hub_url_is_a_usage_error(tmp_path: Path, hub: str) -> None:
    result = run_build(tmp_path, "--hub", hub)
    assert result.exit_code == 2
    assert "hub: not an absolute http(s) URL" in result.output
