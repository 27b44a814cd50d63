"""Time of `validate_bytes` on the documents a build writes.

Builds (or takes) an output folder of RSS and Atom feeds, then prints:
- per document, for ``all.rss``, ``all.atom`` and the largest topic feed in each
  format: the best of several runs with every memoized check forgotten first
  ("cold", one document on its own) and with the caches left as the previous run
  left them ("warm", the document validated again);
- for every feed in the folder validated once in a row, starting with empty caches,
  as one build worker does: total seconds and the mean per document.

    python benchmarks/validator_speed.py                 # builds 10k synthetic records
    python benchmarks/validator_speed.py --out /tmp/x    # an existing output folder

The 10k corpus is ``benchmarks/_work/corpus-10000`` (``benchmarks/scale.py`` makes it).
Run with ``PYTHONPATH`` pointing at another checkout to time another validator.
Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(REPO))

from feedpub.validator import validate_bytes  # noqa: E402

try:
    from feedpub.validator.memo import clear_caches
except ImportError:  # a validator without memoized checks

    def clear_caches() -> None:
        pass


CORPUS = HERE / "_work" / "corpus-10000"
BASE_URL = "http://127.0.0.1:8000/"


def build(corpus: Path, out: Path) -> None:
    command = [sys.executable, "-m", "feedpub", "build", str(corpus), "--out", str(out),
               "--limit", "50", "--base-url", BASE_URL, "--formats", "rss,atom", "--no-cache",
               "--quiet"]
    subprocess.run(command, cwd=REPO, check=True, env={**os.environ, "PYTHONPATH": str(REPO)})


def feeds(out: Path) -> list[Path]:
    found = [p for p in out.rglob("*") if p.suffix in (".rss", ".atom")]
    return sorted(found, key=lambda p: p.relative_to(out).as_posix())


def timed(data: bytes, url: str, *, cold: bool, runs: int) -> tuple[float, int]:
    best = float("inf")
    messages = 0
    for _ in range(runs):
        if cold:
            clear_caches()
        start = time.perf_counter()
        report = validate_bytes(data, path="feed", base=url)
        best = min(best, time.perf_counter() - start)
        messages = len(report.errors) + len(report.warnings)
    return best, messages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="an output folder to read instead of building")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out
        if out is None:
            out = Path(tmp) / "out"
            build(args.corpus, out)
        docs = feeds(out)
        if not docs:
            print(f"no feeds in {out}", file=sys.stderr)
            return 2
        url = {p: BASE_URL + p.relative_to(out).as_posix() for p in docs}
        data = {p: p.read_bytes() for p in docs}
        picks = [out / "all.rss", out / "all.atom"]
        for ext in (".rss", ".atom"):
            topics = [p for p in docs if p.parent != out and p.suffix == ext]
            if topics:
                picks.append(max(topics, key=lambda p: len(data[p])))
        print(f"validator: {sys.modules['feedpub.validator'].__file__}")
        print(f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
              f"Python {platform.python_version()}")
        print(f"{'document':<24} {'KB':>6} {'cold ms':>8} {'warm ms':>8} {'messages':>8}")
        for path in picks:
            if path not in data:
                continue
            cold, count = timed(data[path], url[path], cold=True, runs=args.runs)
            warm, _ = timed(data[path], url[path], cold=False, runs=args.runs)
            name = path.relative_to(out).as_posix()
            print(f"{name:<24} {len(data[path]) / 1024:>6.0f} {cold * 1000:>8.2f} "
                  f"{warm * 1000:>8.2f} {count:>8}")
        clear_caches()
        start = time.perf_counter()
        for path in docs:
            validate_bytes(data[path], path=path.name, base=url[path])
        total = time.perf_counter() - start
        print(f"{len(docs)} feeds in a row: {total:.2f} s, {total / len(docs) * 1000:.2f} ms/doc")
    return 0


if __name__ == "__main__":
    sys.exit(main())
