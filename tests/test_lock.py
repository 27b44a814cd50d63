"""One build per output folder at a time, between real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scale_support import REPO, SEEDS, SITE, feedpub, tree

from feedpub.lock import EXIT_BUSY, LockBusy, acquire

HOLD = """
import sys, time
from pathlib import Path
from feedpub.lock import acquire
lock = acquire(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()  # hold until the test closes our stdin (or kills us)
"""


@pytest.fixture()
def holder(tmp_path: Path):
    """Start a process that holds the lock on ``tmp_path / 'out'``; yields it."""
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], cwd=REPO, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stdout.readline().strip() == "locked"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def _build(out: Path, *extra: str) -> subprocess.Popen:
    return feedpub("build", str(SEEDS), "--out", str(out), "--base-url", SITE.base_url,
                   "--jobs", "1", *extra)


def test_a_second_build_gives_up_with_exit_3(tmp_path: Path, holder: subprocess.Popen):
    out = tmp_path / "out"
    started = time.monotonic()
    process = _build(out)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_BUSY == 3
    assert f"another feedpub build (pid {holder.pid}) is writing to {out}" in stderr
    assert "--wait SECONDS" in stderr and "Traceback" not in stderr
    assert tree(out) == {}
    waited = _build(out, "--wait", "1.5")
    _, stderr = waited.communicate(timeout=60)
    assert waited.returncode == 3 and "after waiting 1.5 s" in stderr
    assert time.monotonic() - started >= 1.5


def test_a_waiting_build_runs_once_the_other_ends(tmp_path: Path, holder: subprocess.Popen):
    out = tmp_path / "out"
    process = _build(out, "--wait", "60")
    time.sleep(0.5)
    assert process.poll() is None  # still waiting
    holder.stdin.close()  # the holder finishes
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    reference = _build(tmp_path / "cold", "--no-cache")
    assert reference.wait(timeout=60) == 0
    assert tree(out) == tree(tmp_path / "cold")


def test_a_killed_holder_releases_the_lock(tmp_path: Path, holder: subprocess.Popen):
    out = tmp_path / "out"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    process = _build(out)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr


def test_lock_in_process(tmp_path: Path):
    with acquire(tmp_path) as lock:
        assert (tmp_path / ".feedpub.lock").read_text().strip() == str(os.getpid())
        # flock locks belong to open files: a second open in this process is refused too.
        with pytest.raises(LockBusy, match=f"pid {os.getpid()}"):
            acquire(tmp_path, wait=0.2, poll=0.05)
        assert lock.fd >= 0
    with acquire(tmp_path):
        pass
