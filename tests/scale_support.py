"""Helpers shared by the cache, writer, lock and crash tests."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from feedpub.build import BuildOptions, BuildReport, build
from feedpub.config import Site

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SITE = Site(title="Test feeds", base_url="https://feeds.example.org/t/",
            asset_base_url="https://assets.example.org/")


def synth():
    """``benchmarks/synth.py``: synthetic records shaped like the real ones."""
    spec = importlib.util.spec_from_file_location("synth", REPO / "benchmarks" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tree(folder: Path) -> dict[str, bytes]:
    """Every published file under ``folder`` (hidden ones, the cache and lock, left out)."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
    }


def mtimes(folder: Path) -> dict[str, int]:
    return {name: (folder / name).stat().st_mtime_ns for name in tree(folder)}


def run_build(sources, out: Path, cache: Path | None, **kwargs) -> BuildReport:
    kwargs.setdefault("site", SITE)
    kwargs.setdefault("jobs", 1)
    return build(BuildOptions(tuple(map(str, sources)), out, cache=cache, **kwargs))


def cold(sources, out: Path, **kwargs) -> dict[str, bytes]:
    """What a from-scratch build of ``sources`` publishes."""
    run_build(sources, out, None, **kwargs)
    return tree(out)


def feedpub(*args: str, cwd: Path = REPO, **kwargs) -> subprocess.Popen:
    """``python -m feedpub ARGS`` as a real process (of this worktree's code)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "feedpub", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **kwargs)
