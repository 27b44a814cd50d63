"""CPU time of the render phase of a cold build, optionally against another checkout.

The render phase is ``build._render_and_write``: loading the planned entries,
rendering RSS and Atom, validating and writing every document and the HTML pages,
in the worker processes and the parent. Each measured build starts from a warm
cache (parsing is done once, before) and an empty output folder, so the phase
renders everything. Its CPU time is user + system of the parent and of the workers
it waited for (``os.times``), so other work on a shared machine disturbs it less
than wall time would; the two checkouts take turns, so both see the same load.

    python benchmarks/render_phase.py                              # this checkout
    python benchmarks/render_phase.py --baseline /path/to/checkout # and another one
    python benchmarks/render_phase.py --jobs 1                     # one process

The output folder and caches are made in a temporary folder (where new files are
created matters on some file systems: pass ``--tmp``). The 10k corpus is
``benchmarks/_work/corpus-10000`` (``benchmarks/scale.py`` makes it); it is only read.
Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / "_work" / "corpus-10000"


def child(corpus: Path, work: Path, jobs: int, runs: int) -> list[float]:
    """Render-phase CPU seconds of ``runs`` builds with this process's ``feedpub``."""
    from feedpub import build
    from feedpub.cli import main

    render_and_write = build._render_and_write
    times: list[float] = []

    def timed(*args, **kwargs):
        start = os.times()
        try:
            return render_and_write(*args, **kwargs)
        finally:
            end = os.times()
            times.append(sum(end[:4]) - sum(start[:4]))  # user, system, children's

    build._render_and_write = timed
    out = work / "out"
    command = ["build", str(corpus), "--out", str(out), "--limit", "50", "--base-url",
               "http://127.0.0.1:8000/", "--formats", "rss,atom", "--jobs", str(jobs),
               "--cache", str(work / "cache.db"), "--quiet"]
    for _ in range(runs + 1):  # the first one fills the cache
        shutil.rmtree(out, ignore_errors=True)
        try:
            main(command, standalone_mode=False)
        except SystemExit as exc:
            if exc.code:
                raise
    shutil.rmtree(out, ignore_errors=True)
    return times[1:]


def run_child(checkout: Path, corpus: Path, work: Path, jobs: int, runs: int) -> list[float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(work),
               "--corpus", str(corpus), "--jobs", str(jobs), "--runs", str(runs)]
    done = subprocess.run(command, env={**os.environ, "PYTHONPATH": str(checkout)},
                          cwd=checkout, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4, help="turns each checkout takes")
    parser.add_argument("--runs", type=int, default=2, help="measured builds per turn")
    parser.add_argument("--tmp", type=Path, help="where the output folders are made")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.corpus, args.child, args.jobs, args.runs)))
        return 0
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus} (benchmarks/scale.py makes it)", file=sys.stderr)
        return 2
    checkouts = {"this": REPO}
    if args.baseline:
        checkouts["baseline"] = args.baseline.resolve()
    found: dict[str, list[float]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for _ in range(args.rounds):
            for name, checkout in checkouts.items():
                work = Path(tmp) / name  # its own cache: the code is part of its key
                work.mkdir(exist_ok=True)
                found[name] += run_child(checkout, args.corpus, work, args.jobs, args.runs)
    print(f"corpus: {args.corpus}; --jobs {args.jobs}")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python "
          f"{platform.python_version()}; render-phase CPU seconds (parent + workers), "
          f"{args.rounds * args.runs} builds each")
    print(f"{'checkout':10} {'best':>6} {'median':>7}  path")
    for name, times in found.items():
        print(f"{name:10} {min(times):6.3f} {statistics.median(times):7.3f}  {checkouts[name]}")
    if args.baseline:
        ratio = statistics.median(found["baseline"]) / statistics.median(found["this"])
        print(f"baseline / this (medians): x{ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
