"""Scheduled builds at scale: cold, unchanged, one added and one edited record.

Generates synthetic records shaped like the real ones (``benchmarks/synth.py``,
about 4 KB each) under ``benchmarks/_work/`` and, for each size, measures as
real processes: a cold build (no cache, empty output folder), a rerun with
nothing changed, a rerun after adding one record and one after editing one;
wall time, peak RSS (of the build process or any of its workers) and files
written. It also times the parse floor (libyaml's CSafeLoader over the same
files on one core) and, when ``hugo`` is installed, Hugo building the same
per-topic and combined RSS feeds from the same files, in the same run.

    python benchmarks/scale.py                  # 10k and 100k records
    python benchmarks/scale.py --sizes 2000     # a quick look
    python benchmarks/scale.py --repeat 3       # cold builds: median of 3 (noisy machines)

Not a test: it prints a table (the README quotes one with the machine it ran on).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

WORK = HERE / "_work"
SEED = 42
LIMIT = 50

FLOOR = """
import sys, time, yaml
from pathlib import Path
paths = sorted(p for p in Path(sys.argv[1]).rglob("*.md"))
start = time.perf_counter()
for path in paths:
    text = path.read_text(encoding="utf-8")
    yaml.load(text.split("\\n---", 1)[0][4:], Loader=yaml.CSafeLoader)
print(time.perf_counter() - start)
"""

HUGO_CONFIG = f"""
baseURL = "http://127.0.0.1:8000/"
title = "feedpub benchmark"
disableKinds = ["section", "taxonomy", "sitemap", "robotsTXT", "404"]
ignoreErrors = ["error-disable-taxonomy"]
rssLimit = {LIMIT}
[outputs]
home = ["RSS"]
term = ["RSS"]
[taxonomies]
topic = "topics"
[frontmatter]
date = ["publishedDateTime", ":default"]
[[cascade]]
  [cascade._build]
    render = "never"
    list = "always"
  [cascade._target]
    kind = "page"
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    output: str
    code: int

    @property
    def written(self) -> str:
        found = re.search(r"(\d+) files written", self.output)
        return found.group(1) if found else "?"


def measure(command: list[str], cwd: Path = REPO) -> Run:
    """Wall time and peak RSS of one command (its own or any waited-for child's)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    output = process.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(seconds, usage.ru_maxrss / 1024, output, process.returncode)


def corpus(count: int) -> Path:
    """``count`` synthetic records (made once, reused by later runs)."""
    folder = WORK / f"corpus-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {count} records in {folder} ...", flush=True)
        synth.generate(folder, count, seed=SEED)
        marker.write_text(str(count))
    return folder


#: What the issue's targets are stated for: RSS + Atom for every feed (JSON Feed and the
#: HTML pages cost extra; ``--formats rss,atom,json`` measures the default build).
FORMATS = "rss,atom"


def feedpub(seeds: Path, out: Path, *extra: str) -> Run:
    run = measure([sys.executable, "-m", "feedpub", "build", str(seeds), "--out", str(out),
                   "--limit", str(LIMIT), "--base-url", "http://127.0.0.1:8000/",
                   "--formats", FORMATS, *extra])
    if run.code != 0:
        raise SystemExit(f"feedpub build failed ({run.code}):\n{run.output[-2000:]}")
    return run


def hugo(seeds: Path) -> Run | None:
    if shutil.which("hugo") is None:
        return None
    site = WORK / "hugo-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG)
    shutil.rmtree(site / "public", ignore_errors=True)
    return measure(["hugo", "--quiet", "--contentDir", str(seeds), "-d", str(site / "public")],
                   cwd=site)


def median(runs: list[Run]) -> Run:
    """The run of median time (the slower middle one of an even count); its own peak RSS."""
    return sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]


def bench(count: int, jobs: str | None, with_hugo: bool, repeat: int = 1) -> list[list[str]]:
    seeds = corpus(count)
    # A copy the reruns may change, so the corpus stays as generated.
    live = WORK / f"live-{count}"
    shutil.rmtree(live, ignore_errors=True)
    shutil.copytree(seeds, live)
    out = WORK / f"out-{count}"
    shutil.rmtree(out, ignore_errors=True)
    extra = ("--jobs", jobs) if jobs else ()
    rows: list[list[str]] = []
    floor = measure([sys.executable, "-c", FLOOR, str(live)])
    floor_s = float(floor.output.strip().splitlines()[-1])
    # Cold builds, Hugo's and ours taking turns, ``repeat`` times: the median of each
    # (this machine is shared; turns spread its noise evenly over both).
    hugo_runs: list[Run] = []
    cold_runs: list[Run] = []
    for _ in range(repeat):
        if with_hugo:
            found = hugo(live)
            if found is not None:
                hugo_runs.append(found)
        shutil.rmtree(out, ignore_errors=True)
        cold_runs.append(feedpub(live, out, *extra))
    hugo_run = median(hugo_runs) if hugo_runs else None
    cold = median(cold_runs)

    def row(label: str, run: Run, ratio_to: Run | None = None) -> None:
        ratio = f"{run.seconds / ratio_to.seconds:.2f}x" if ratio_to else ""
        rows.append([f"{count:,}", label, f"{run.seconds:.2f}", f"{run.peak_mb:.0f}",
                     run.written, f"{run.seconds / floor_s:.2f}", ratio])

    rows.append([f"{count:,}", "parse floor (CSafeLoader, 1 core)", f"{floor_s:.2f}",
                 f"{floor.peak_mb:.0f}", "", "1.00", ""])
    if hugo_run is not None:
        rows.append([f"{count:,}", "hugo (RSS only)", f"{hugo_run.seconds:.2f}",
                     f"{hugo_run.peak_mb:.0f}", "", f"{hugo_run.seconds / floor_s:.2f}",
                     "1.00x"])
    row(f"feedpub cold ({FORMATS})", cold, hugo_run)
    row("feedpub rerun, nothing changed", feedpub(live, out, *extra))
    new = live / synth.file_name(count)
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(synth.record(count, SEED, newest=True), encoding="utf-8")
    row("feedpub rerun, 1 record added", feedpub(live, out, *extra))
    (live / synth.file_name(0)).write_text(synth.record(0, SEED, edit=1), encoding="utf-8")
    row("feedpub rerun, 1 record edited", feedpub(live, out, *extra))
    if hugo_run is not None:
        rows[-4][-1] = f"{cold.seconds / hugo_run.seconds:.2f}x time, " \
                       f"{cold.peak_mb / hugo_run.peak_mb:.2f}x memory"
    return rows


def main() -> None:
    global FORMATS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", help="passed to feedpub build --jobs (default: its own)")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--formats", default=FORMATS,
                        help=f"passed to feedpub build --formats (default: {FORMATS})")
    parser.add_argument("--repeat", type=int, default=1,
                        help="cold builds (Hugo's and ours, taking turns) per size; "
                             "the table shows the median of each")
    args = parser.parse_args()
    FORMATS = args.formats
    WORK.mkdir(parents=True, exist_ok=True)
    # Measure feedpub as it runs once installed: from compiled modules. (An editable
    # checkout with PYTHONDONTWRITEBYTECODE set would compile every module on each run.)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "feedpub")], check=True)
    rows = [["records", "run", "seconds", "peak MB", "written", "x floor", "vs hugo"]]
    for count in args.sizes:
        rows.extend(bench(count, args.jobs, not args.no_hugo, args.repeat))
    print(f"\nmachine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}, limit {LIMIT}, cold builds: median of {args.repeat}")
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


if __name__ == "__main__":
    main()
