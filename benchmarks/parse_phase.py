"""The parse phase of a cold build: per-file costs on one core, and the phase as built.

A cold build first brings the cache up to date with the seed files
(``incremental.sync_seeds``): worker processes read, hash, parse and
normalize every file and the parent stores the rows in SQLite. This prints

- per file, on one core (CPU time, best of three passes over the same files):
  reading, hashing, parsing the front matter (and, of that, libyaml's events
  alone), normalizing, and making the cache row; then the whole worker step;
- the phase itself, as a build runs it (``--jobs`` workers, default one per
  core), into a throwaway cache (``--no-cache``) and into a cache file: wall
  time, CPU of the parent and of the workers, and the size of the cache file.

    python benchmarks/parse_phase.py                 # 10k records
    python benchmarks/parse_phase.py --sizes 2000 --jobs 1
    python benchmarks/parse_phase.py --corpus path/to/seeds

Uses the corpus ``benchmarks/scale.py`` makes (``benchmarks/_work/corpus-N``).
Not a test: it prints a table. A busy machine inflates every number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
import scale  # noqa: E402

from feedpub import cache, incremental, parallel  # noqa: E402
from feedpub.normalize import normalize  # noqa: E402
from feedpub.reader import (  # noqa: E402
    DEFAULT_LIMITS,
    _SeedLoader,
    parse_seed_bytes,
    read_seed_bytes,
    split_front_matter,
)
from feedpub.yamlfast import load_plain  # noqa: E402


def per_file(paths: Sequence[str]) -> list[tuple[str, float]]:
    """Milliseconds of CPU per file for each step, on one core."""
    raws = [read_seed_bytes(path) for path in paths]
    fronts = [_front(raw) for raw in raws]
    records = [parse_seed_bytes(raw, path) for raw, path in zip(raws, paths, strict=True)]
    results = [normalize(record) for record in records]
    tasks = [parallel.Task(path, 0, 0) for path in paths]

    def events(front: str) -> None:
        loader = _SeedLoader(front)
        try:
            list(iter(loader.get_event, None))
        finally:
            loader.dispose()

    def built(front: str) -> None:
        loader = _SeedLoader(front)
        try:
            load_plain(loader, front, DEFAULT_LIMITS.max_depth, DEFAULT_LIMITS.max_nodes)
        finally:
            loader.dispose()

    return [
        ("read", _cpu(read_seed_bytes, paths)),
        ("hash (sha-256, 16 bytes)", _cpu(parallel._digest, raws)),
        ("parse: libyaml events only", _cpu(events, fronts)),
        ("parse: front matter built (yamlfast)", _cpu(built, fronts)),
        ("parse: whole file (split, load, notes)",
         _cpu(lambda pair: parse_seed_bytes(*pair), list(zip(raws, paths, strict=True)))),
        ("normalize", _cpu(normalize, records)),
        ("cache row (encode, digest, fields)", _cpu(
            lambda pair: parallel._row(pair[0], 0, b"", cache.PUBLISHED, pair[1].entry,
                                       pair[1].problems), list(zip(tasks, results, strict=True)))),
        ("worker step (parse_file: all of the above)",
         _cpu(lambda task: parallel.parse_file(task, DEFAULT_LIMITS, None), tasks)),
    ]


def _front(raw: bytes) -> str:
    parts = split_front_matter(raw.decode("utf-8-sig"))
    assert not isinstance(parts, str), parts
    return parts[0]


def _cpu(function: Callable, items: Sequence) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        for item in items:
            function(item)
        best = min(best, time.process_time() - start)
    return best / len(items) * 1000


def phase(seeds: Path, jobs: int, cache_file: Path | None) -> dict:
    """Run in a child process of its own, so that its workers' CPU is counted alone."""
    paths = sorted(str(path) for path in seeds.rglob("*.md"))
    notes: list[str] = []
    with incremental.open_store(cache_file, DEFAULT_LIMITS, None, notes) as store:
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        changes = incremental.sync_seeds(store, paths, DEFAULT_LIMITS, None, jobs, lambda p: p)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(os.path.getsize(f"{cache_file}{suffix}") for suffix in ("", "-wal")
               if cache_file and os.path.exists(f"{cache_file}{suffix}"))
    return {"parsed": changes.parsed, "seconds": seconds, "size": size,
            "parent": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "workers": workers.ru_utime + workers.ru_stime}


def run_phase(seeds: Path, jobs: int, with_cache: bool) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="feedpub-parse-"))
    try:
        command = [sys.executable, __file__, "--child", str(seeds), str(jobs)]
        if with_cache:
            command.append(str(folder / "cache.sqlite"))
        found = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO)
        return json.loads(found.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        seeds, jobs = Path(sys.argv[2]), int(sys.argv[3])
        print(json.dumps(phase(seeds, jobs, Path(sys.argv[4]) if len(sys.argv) > 4 else None)))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--jobs", type=int, default=parallel.default_jobs())
    parser.add_argument("--sample", type=int, default=2000,
                        help="files timed one by one (default: 2000)")
    parser.add_argument("--runs", type=int, default=2, help="runs of each phase (default: 2)")
    parser.add_argument("--corpus", type=Path, help="a seed folder to use instead")
    args = parser.parse_args()
    scale.WORK.mkdir(parents=True, exist_ok=True)
    for count in [None] if args.corpus else args.sizes:
        seeds = args.corpus or scale.corpus(count)
        count = count or sum(1 for _ in seeds.rglob("*.md"))
        paths = sorted(str(path) for path in seeds.rglob("*.md"))[: args.sample]
        print(f"\n{count:,} records; per file, one core ({len(paths)} files):")
        for label, ms in per_file(paths):
            print(f"  {label:45s} {ms:7.3f} ms")
        print(f"\nthe parse phase of a cold build, {args.jobs} jobs:")
        print(f"  {'cache':10s} {'wall s':>7s} {'parent s':>9s} {'workers s':>10s} "
              f"{'CPU ms/file':>12s} {'cache MB':>9s}")
        for with_cache in (False, True):
            for _ in range(args.runs):
                found = run_phase(seeds, args.jobs, with_cache)
                cpu = found["parent"] + found["workers"]
                print(f"  {'file' if with_cache else 'throwaway':10s} {found['seconds']:7.2f} "
                      f"{found['parent']:9.2f} {found['workers']:10.2f} "
                      f"{cpu / found['parsed'] * 1000:12.3f} "
                      f"{found['size'] / 1e6 if with_cache else 0:9.1f}")
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
