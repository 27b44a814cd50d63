"""Shared helpers of the publishing tests: build the sample seeds, serve a folder on loopback."""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from feedpub.build import BuildOptions, BuildReport, build
from feedpub.config import Site, load_site
from feedpub.serve import make_server, server_url

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def site(**changes: object) -> Site:
    """The repository's ``feedpub.yaml`` settings with ``changes`` applied."""
    loaded = load_site(REPO / "feedpub.yaml")
    assert isinstance(loaded, Site), loaded
    return dataclasses.replace(loaded, **changes)


def build_seeds(
    out: Path, sources: tuple[str, ...] = (str(SEEDS),), **options: object
) -> BuildReport:
    """Build ``sources`` (default: the sample seeds) into ``out``; ``options`` go to BuildOptions
    except ``site`` changes, which are passed as ``site=dict(...)``."""
    site_changes = options.pop("site", {})
    assert isinstance(site_changes, dict)
    report = build(BuildOptions(sources, out, site(**site_changes), **options))  # type: ignore[arg-type]
    assert not report.invalid, report.invalid
    return report


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """``feedpub serve``'s server for ``folder`` on a free loopback port; yields its URL."""
    server = make_server(folder, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def copy_seeds(target: Path) -> Path:
    """A writable copy of the sample seeds."""
    shutil.copytree(SEEDS, target)
    return target


def local_path(out: Path, base_url: str, url: str) -> Path:
    """The file under ``out`` that the public ``url`` names."""
    assert url.startswith(base_url), (url, base_url)
    return out / url[len(base_url):]
