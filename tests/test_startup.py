"""What every build pays before it starts: the modules ``feedpub build`` imports."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

from feedpub import cache, cli, serve

REPO = Path(__file__).resolve().parents[1]


def test_a_build_does_not_load_the_http_server_client_or_package_metadata():
    code = ("import sys, json, feedpub.cli; print(json.dumps([m for m in "
            "('http.server', 'urllib.request', 'concurrent.futures', 'importlib.metadata') "
            "if m in sys.modules]))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True,
                          capture_output=True, text=True)
    assert json.loads(done.stdout) == []


def test_the_serve_port_and_library_versions_are_those_of_their_sources():
    assert cli.DEFAULT_PORT == serve.DEFAULT_PORT
    assert cache.dist_versions() == {
        name: importlib.metadata.version(name) for name in ("PyYAML", "nh3", "lxml")}
