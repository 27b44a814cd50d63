"""The forked worker pool: same results as a plain map, errors raised, no worker left behind."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from scale_support import SITE, synth

from feedpub import build as build_module
from feedpub import incremental, pool
from feedpub.build import BuildOptions, build
from feedpub.cli import main
from feedpub.parallel import map_ordered


def _scaled(factor: int, item: int) -> tuple[int, int]:
    return item * factor, os.getpid()


def _fails_at(bad: int, item: int) -> int:
    if item == bad:
        raise ValueError(f"item {item} is bad")
    return item


def _dies_at(bad: int, item: int) -> int:
    if item == bad:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


class _Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def _unpicklable_at(bad: int, item: int) -> int:
    if item == bad:
        raise _Unpicklable("odd")
    return item


_SETUP_PIDS: list[int] = []


def _setup() -> None:
    _SETUP_PIDS.append(os.getpid())


def _setup_count(_: None, item: int) -> tuple[int, int]:
    return os.getpid(), len(_SETUP_PIDS)


@settings(max_examples=15, deadline=None)
@given(count=st.integers(0, 60), jobs=st.integers(1, 3), chunk=st.integers(1, 9))
def test_results_are_those_of_a_plain_map_in_order(count: int, jobs: int, chunk: int):
    items = list(range(count))
    found = list(pool.ordered(_scaled, 3, items, jobs, chunk))
    assert [value for value, _ in found] == [3 * item for item in items]
    pids = {pid for _, pid in found}
    assert os.getpid() not in pids
    assert len(pids) <= min(jobs, -(-count // chunk)) if count else not pids
    assert not multiprocessing.active_children()


def test_work_is_shared_and_the_parent_runs_no_threads():
    threads = threading.active_count()
    found = []
    for value in pool.ordered(_scaled, 1, list(range(400)), 2, 4):
        found.append(value)
        assert threading.active_count() == threads
    assert len({pid for _, pid in found}) == 2
    assert not multiprocessing.active_children()


def test_setup_runs_once_in_each_worker_before_its_first_item():
    found = list(pool.ordered(_setup_count, None, list(range(50)), 2, 3, _setup))
    assert {count for _, count in found} == {1}
    assert not _SETUP_PIDS  # not in the parent


def test_an_error_in_a_worker_is_raised_and_every_worker_stops():
    with pytest.raises(ValueError, match="item 37 is bad"):
        list(pool.ordered(_fails_at, 37, list(range(200)), 2, 5))
    assert not multiprocessing.active_children()


def test_an_error_that_cannot_be_pickled_still_arrives():
    with pytest.raises(RuntimeError, match="_Unpicklable: odd"):
        list(pool.ordered(_unpicklable_at, 11, list(range(40)), 2, 2))
    assert not multiprocessing.active_children()


def test_a_killed_worker_is_an_error_not_a_hang():
    with pytest.raises(pool.WorkerDied):
        list(pool.ordered(_dies_at, 23, list(range(100)), 2, 3))
    assert not multiprocessing.active_children()


def test_stopping_early_stops_the_workers():
    results = pool.ordered(_scaled, 2, list(range(1000)), 2, 2)
    assert next(results)[0] == 0
    assert multiprocessing.active_children()
    results.close()
    assert not multiprocessing.active_children()


def test_map_ordered_runs_small_maps_here_and_large_ones_in_workers():
    here = list(map_ordered(_scaled, 2, [1, 2, 3], 2, threshold=4))
    assert here == [(2, os.getpid()), (4, os.getpid()), (6, os.getpid())]
    assert [v for v, _ in map_ordered(_scaled, 2, [1, 2, 3], 1, threshold=1)] == [2, 4, 6]
    there = list(map_ordered(_scaled, 2, list(range(10)), 2, threshold=4, chunk=3))
    assert [v for v, _ in there] == [2 * n for n in range(10)]
    assert os.getpid() not in {pid for _, pid in there}


_PARSE = incremental.parse_file


def _killed_at_record_3(task, *settings):
    if task.path.endswith("0000003.md"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _PARSE(task, *settings)


def test_a_build_whose_worker_is_killed_fails_with_a_message(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    synth().generate(corpus, 300)
    monkeypatch.setattr(incremental, "parse_file", _killed_at_record_3)
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"),
                                       "--jobs", "2", "-q"])
    assert result.exit_code == 1
    assert "error: a worker process ended without finishing its work" in result.output
    assert not multiprocessing.active_children()


def test_an_error_in_the_callers_loop_stops_the_workers_at_once(tmp_path):
    # The error (here: from the progress bar) keeps the loop's frame alive in its
    # traceback; the workers must stop before the build lets go of the output lock.
    corpus = tmp_path / "corpus"
    synth().generate(corpus, 600)

    def progress(paths):
        for number, path in enumerate(paths):
            if number == 300:
                raise KeyError("the progress bar broke")
            yield path

    options = BuildOptions(sources=(str(corpus),), out_dir=tmp_path / "out", site=SITE,
                           jobs=2)
    with pytest.raises(KeyError) as raised:
        build(options, progress)
    assert raised.value is not None  # the traceback, and the frames it holds, are alive
    assert not multiprocessing.active_children()


def _cache_files_open() -> list[str]:
    """The SQLite cache files this process has open (file descriptors under /proc)."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):
            target = os.readlink(f"/proc/self/fd/{fd}")
            if ".feedpub-cache.sqlite" in target:
                found.append(target)
    return found


_FIRST_TASK_SEEN: set[int] = set()


def _checking_first_task(real):
    def wrapped(*args):
        if os.getpid() not in _FIRST_TASK_SEEN:  # before this worker opens its own
            _FIRST_TASK_SEEN.add(os.getpid())
            if _cache_files_open():
                raise RuntimeError(f"inherited an open cache: {_cache_files_open()}")
        return real(*args)
    return wrapped


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux /proc")
def test_workers_are_forked_with_the_parents_cache_connection_closed(tmp_path, monkeypatch):
    # SQLite's per-process lock state must not be inherited by a child (it would think
    # it holds locks it does not); the parent reopens its connection after the fork.
    corpus = tmp_path / "corpus"
    synth().generate(corpus, 400)
    monkeypatch.setattr(incremental, "parse_file", _checking_first_task(incremental.parse_file))
    monkeypatch.setattr(build_module, "_render", _checking_first_task(build_module._render))
    monkeypatch.setattr(build_module, "_RENDER_POOL_THRESHOLD", 2)
    result = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"),
                                       "--jobs", "2", "-q"])
    assert result.exit_code == 0, result.output
    assert "feeds" not in result.output  # quiet: problems only
    monkeypatch.undo()
    again = CliRunner().invoke(main, ["build", str(corpus), "--out", str(tmp_path / "out"),
                                      "--jobs", "1"])
    assert "0 parsed, 400 reused from cache" in again.output
