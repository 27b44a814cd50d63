"""CPU of a cold build, split into the parent process and its workers.

On a 2-core machine both phases of a cold build keep both cores busy, so
the build's wall time follows its CPU time, and every CPU second the parent
spends (receiving, storing, planning, starting workers) is taken from the
workers. Wall time is unreliable on a shared machine; CPU time much less so.
This runs the cold build of the issue-4 target (RSS + Atom, limit 50, a
cache file in the output folder) several times, each in a fresh process,
and prints the CPU (user + sys) of the build process itself and of its
workers, per run and the medians.

    python benchmarks/cold_cpu.py                         # benchmarks/_work/corpus-10000
    python benchmarks/cold_cpu.py --corpus SEEDS --runs 7
    python benchmarks/cold_cpu.py --compare ../other-worktree   # runs interleaved

``--compare`` runs another checkout's feedpub the same way, alternating
runs, so both see the same load. Not a test: it prints a table.
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

#: Runs the build in this process and prints its CPU and its workers' at exit.
DRIVER = """
import atexit, json, os, runpy, sys, time
start = time.perf_counter()
def report():
    t = os.times()
    print(json.dumps({"parent": t.user + t.system, "workers": t.children_user + t.children_system,
                      "wall": time.perf_counter() - start}), file=sys.stderr)
atexit.register(report)
sys.argv = ["feedpub", *sys.argv[1:]]
runpy.run_module("feedpub", run_name="__main__")
"""


def cold_build(checkout: Path, corpus: Path, jobs: int | None) -> dict[str, float]:
    """One cold build with ``checkout``'s feedpub (and its feedpub.yaml), into an empty folder."""
    out = Path(tempfile.mkdtemp(prefix="feedpub-cold-cpu-"))
    try:
        command = [sys.executable, "-c", DRIVER, "build", str(corpus), "--out", str(out / "out"),
                   "--limit", "50", "--base-url", "http://127.0.0.1:8000/",
                   "--formats", "rss,atom", "-q"]
        if jobs:
            command += ["--jobs", str(jobs)]
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        done = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True,
                              check=True)
        return json.loads(done.stderr.strip().splitlines()[-1])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=HERE / "_work" / "corpus-10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, help="--jobs of the build (default: one per core)")
    parser.add_argument("--compare", type=Path, help="another checkout to run the same way")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus} (make one with benchmarks/scale.py --sizes 10000)")
    checkouts = {"this": REPO}
    if args.compare:
        checkouts["compared"] = args.compare.resolve()
    results: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    print(f"cold build of {args.corpus} (rss+atom, limit 50), CPU seconds (user + sys)")
    print(f"  {'checkout':10s} {'run':>3s} {'parent':>7s} {'workers':>8s} {'total':>7s} "
          f"{'wall':>6s}")
    for run in range(1, args.runs + 1):
        for name, checkout in checkouts.items():
            found = cold_build(checkout, args.corpus, args.jobs)
            results[name].append(found)
            print(f"  {name:10s} {run:3d} {found['parent']:7.2f} {found['workers']:8.2f} "
                  f"{found['parent'] + found['workers']:7.2f} {found['wall']:6.2f}")
    print("medians:")
    for name, runs in results.items():
        parent = statistics.median(r["parent"] for r in runs)
        workers = statistics.median(r["workers"] for r in runs)
        total = statistics.median(r["parent"] + r["workers"] for r in runs)
        wall = statistics.median(r["wall"] for r in runs)
        print(f"  {name:10s} {'':3s} {parent:7.2f} {workers:8.2f} {total:7.2f} {wall:6.2f}"
              f"   ({checkouts[name]})")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
