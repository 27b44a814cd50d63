"""Atomic writes: a reader sees the old file or the new one; failures leave the old one."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from scale_support import SEEDS, SITE, tree

from feedpub import writer
from feedpub.cache import Cache
from feedpub.cli import main
from feedpub.validator import validate_bytes


def _no_temps(folder: Path) -> bool:
    return not [p for p in folder.rglob(".*.tmp")]


def test_writes_only_when_bytes_differ(tmp_path: Path):
    target = tmp_path / "sub" / "feed.rss"
    assert writer.write_if_changed(target, b"<rss/>") is True
    os.utime(target, ns=(1, 1_000_000_000))
    assert writer.write_if_changed(target, b"<rss/>") is False
    assert target.stat().st_mtime_ns == 1_000_000_000
    assert writer.write_if_changed(target, b"<rss></rss>") is True
    assert target.read_bytes() == b"<rss></rss>"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert _no_temps(tmp_path)


@pytest.mark.parametrize("stage", ["write", "fsync", "replace"])
def test_a_crash_mid_write_leaves_the_old_file(tmp_path: Path, monkeypatch, stage: str):
    target = tmp_path / "all.atom"
    target.write_bytes(b"old feed")

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if stage == "write":
        real_write = os.write

        def half(fd, data):
            if len(data) < 8:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_write(fd, data[: len(data) // 2])  # half the bytes reach the disk

        monkeypatch.setattr(writer.os, "write", half)
    elif stage == "fsync":
        monkeypatch.setattr(writer.os, "fsync", fail)
    else:
        monkeypatch.setattr(writer.os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        writer.write_if_changed(target, b"new feed, much longer than the old one")
    assert target.read_bytes() == b"old feed"
    assert _no_temps(tmp_path)


def test_an_interrupt_mid_write_cleans_up(tmp_path: Path, monkeypatch):
    target = tmp_path / "all.rss"
    target.write_bytes(b"old")

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(writer.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        writer.write_atomic(target, b"new")
    assert target.read_bytes() == b"old" and _no_temps(tmp_path)


def test_a_temporary_name_left_by_another_process_is_not_reused(tmp_path: Path):
    target = tmp_path / "all.rss"
    stale = tmp_path / f".all.rss.{os.getpid()}.tmp"
    stale.write_bytes(b"left by a killed process with this id")
    writer.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stale.read_bytes() == b"left by a killed process with this id"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == [stale.name]
    assert writer.remove_stale_temps(tmp_path, (".rss",)) == [stale]
    writer.write_atomic(tmp_path / "new" / "folder" / "all.rss", b"made")
    assert (tmp_path / "new" / "folder" / "all.rss").read_bytes() == b"made"
    assert _no_temps(tmp_path)


def test_stale_temporary_files_are_removed(tmp_path: Path):
    for name in (".all.rss.ab12_x.tmp", ".ai.atom.zz9.tmp", ".notes.txt.q1.tmp", "keep.rss"):
        (tmp_path / name).write_bytes(b"x")
    removed = writer.remove_stale_temps(tmp_path, (".rss", ".atom"))
    assert sorted(p.name for p in removed) == [".ai.atom.zz9.tmp", ".all.rss.ab12_x.tmp"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".notes.txt.q1.tmp", "keep.rss"]


def _build(out: Path, seeds: Path, *extra: str):
    return CliRunner().invoke(main, ["build", str(seeds), "--out", str(out), "--base-url",
                                     SITE.base_url, "--jobs", "1", *extra])


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_feeds(tmp_path: Path, monkeypatch):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, seeds)
    assert _build(out, seeds).exit_code == 0
    before = tree(out)
    (seeds / "2019-12-16-waymo-acquires-ai-startup-latent-logic.md").unlink()

    def full(path, data, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr("feedpub.build.write_atomic", full)
    result = _build(out, seeds)
    assert result.exit_code == 1
    assert f"error: {out}/all.rss: cannot write: No space left on device; " \
           "the old file is left in place" in result.output
    assert "Traceback" not in result.output
    assert tree(out) == before
    monkeypatch.undo()
    again = _build(out, seeds)  # the next build, with room again, catches up
    assert again.exit_code == 0 and "0 parsed" in again.output
    assert tree(out) != before


@pytest.fixture()
def tiny_disk(tmp_path: Path):
    """A 2 MB tmpfs (root only); skipped where mounting is not permitted."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, timeout=10)


def test_a_really_full_disk_keeps_valid_old_feeds(tmp_path: Path, tiny_disk: Path):
    seeds, out = tmp_path / "seeds", tiny_disk / "out"
    shutil.copytree(SEEDS, seeds)
    cache = str(tmp_path / "cache.sqlite")
    assert _build(out, seeds, "--cache", cache).exit_code == 0
    before = tree(out)
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # take every byte left
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    for path in seeds.iterdir():  # every feed changes
        _retitle(path)
    result = _build(out, seeds, "--cache", cache)
    assert result.exit_code == 1, result.output
    assert "No space left on device; the old file is left in place" in result.output
    assert "Traceback" not in result.output
    assert tree(out) == before
    for name, data in before.items():
        if name.endswith((".rss", ".atom", ".json")):
            assert validate_bytes(data, path=name).valid, name
    assert _no_temps(out)
    filler.unlink()
    assert _build(out, seeds, "--cache", cache).exit_code == 0
    assert tree(out) != before


def _retitle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\ntitle: ", "\ntitle: Updated: ", 1).replace(
        'Updated: "', '"Updated: ', 1), encoding="utf-8")


def test_a_read_only_output_folder_is_a_clear_error(tmp_path: Path, tiny_disk: Path):
    seeds, out = tmp_path / "seeds", tiny_disk / "out"
    shutil.copytree(SEEDS, seeds)
    assert _build(out, seeds, "--no-cache").exit_code == 0
    before = tree(out)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True, timeout=10)
    result = _build(out, seeds, "--no-cache")
    assert result.exit_code == 1
    assert f"error: cannot write to {out}/.feedpub.lock: Read-only file system" in result.output
    assert "Traceback" not in result.output
    assert tree(out) == before


def test_a_full_disk_under_the_cache_is_a_clear_error(tmp_path: Path, monkeypatch):
    seeds, out = tmp_path / "seeds", tmp_path / "out"
    shutil.copytree(SEEDS, seeds)
    assert _build(out, seeds).exit_code == 0
    before = tree(out)
    _retitle(seeds / "2019-12-16-waymo-acquires-ai-startup-latent-logic.md")

    def full(self, parsed, batch=250):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Cache, "store", full)
    result = _build(out, seeds)
    assert result.exit_code == 1
    assert f"error: cache {out}/.feedpub-cache.sqlite: database or disk is full" in result.output
    assert "Traceback" not in result.output and "rebuilding" not in result.output
    assert tree(out) == before
    monkeypatch.undo()
    again = _build(out, seeds)
    assert again.exit_code == 0 and "1 parsed, 37 reused" in again.output
