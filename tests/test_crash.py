"""``kill -9`` at any moment, and overlapping builds, never break what subscribers see."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest
from lxml import etree
from scale_support import feedpub, synth, tree

from feedpub.validator import validate_bytes

BASE = "https://feeds.example.org/crash/"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "seeds"
    synth().generate(folder, 1500, seed=7)
    return folder


def _build(corpus: Path, out: Path, *extra: str):
    return feedpub("build", str(corpus), "--out", str(out), "--base-url", BASE,
                   "--limit", "10", "-q", *extra)


def _finish(process) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def _check_all_valid(out: Path, seen: dict[str, bytes]) -> None:
    """Every feed validates, every other file is whole; only changed files are checked again."""
    for name, data in tree(out).items():
        if name.endswith(".html"):
            assert data.rstrip().endswith(b"</html>"), name
            continue
        if name.endswith(".opml"):
            etree.fromstring(data)
            continue
        if seen.get(name) != data:
            report = validate_bytes(data, path=name, base=BASE + name)
            assert report.valid, (name, report.errors[:3])
            seen[name] = data


def test_kill_9_at_any_moment_keeps_feeds_valid_and_the_next_build_catches_up(
    corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    started = time.monotonic()
    code, stderr = _finish(_build(corpus, out))
    assert code == 0, stderr
    cold_seconds = time.monotonic() - started  # kills are timed in fractions of it
    published = set(tree(out))
    seen: dict[str, bytes] = {}
    _check_all_valid(out, seen)

    generator = synth()
    generator.generate(corpus, 250, seed=7, start=1500)  # new records
    for n in range(0, 1500, 15):  # edited records
        (corpus / generator.file_name(n)).write_text(generator.record(n, seed=7, edit=1))
    for n in range(5, 1500, 40):  # deleted records
        (corpus / generator.file_name(n)).unlink()

    rng = random.Random(1)
    # Three kills into incremental builds, then (cache deleted) four into cold ones.
    fractions = (0.15, 0.35, 0.55, 0.25, 0.5, 0.75, 0.95)
    delays = [cold_seconds * rng.uniform(f - 0.1, f + 0.1) for f in fractions]
    rewritten = 0
    for number, delay in enumerate(delays):
        if number == 3:
            for path in out.glob(".feedpub-cache*"):
                path.unlink()  # the next kills land while the cache is being filled
        process = _build(corpus, out)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert published <= set(tree(out))
        before = dict(seen)
        _check_all_valid(out, seen)
        rewritten += sum(before.get(name) != data for name, data in seen.items())
    assert rewritten, "no kill landed while feeds were being written"

    code, stderr = _finish(_build(corpus, out))
    assert code == 0, stderr
    code, stderr = _finish(_build(corpus, tmp_path / "cold", "--no-cache"))
    assert code == 0, stderr
    assert tree(out) == tree(tmp_path / "cold")
    assert not list(out.rglob(".*.tmp"))
    again = feedpub("build", str(corpus), "--out", str(out), "--base-url", BASE,
                    "--limit", "10")
    stdout, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert ", 0 parsed" not in stdout and "seed files: 0 parsed" in stdout
    assert "0 files written" in stdout


def test_two_builds_started_at_once_end_consistent(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    first, second = _build(corpus, out, "--wait", "300"), _build(corpus, out, "--wait", "300")
    assert _finish(first)[0] == 0 and _finish(second)[0] == 0
    code, _ = _finish(_build(corpus, tmp_path / "cold", "--no-cache"))
    assert code == 0
    assert tree(out) == tree(tmp_path / "cold")
    _check_all_valid(out, {})
    impatient = [_build(corpus, out), _build(corpus, out)]
    codes = sorted(_finish(process)[0] for process in impatient)
    assert codes in ([0, 0], [0, 3])
    assert tree(out) == tree(tmp_path / "cold")
