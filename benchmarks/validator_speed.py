"""Time of `validate_bytes` on the documents a build writes, optionally against another checkout.

Builds (or takes) an output folder of RSS and Atom feeds, then prints, for
``all.rss``, ``all.atom`` and the largest topic feed in each format:
- "cold": the best of several runs, each with every memoized check forgotten first
  (one document on its own);
- "warm": the best of several runs of the same document again (memoized answers kept);
and, for every feed in the folder validated once in a row starting with empty caches
(what one build worker does), the total and the mean per document.

Times are CPU seconds of the validating process (``time.process_time``), so other
work on a shared machine disturbs them less than wall time would.

    python benchmarks/validator_speed.py                    # builds 10k synthetic records
    python benchmarks/validator_speed.py --out /tmp/x       # an existing output folder
    python benchmarks/validator_speed.py --out /tmp/x --baseline /path/to/old/checkout

With ``--baseline`` the same measurements run with that checkout's ``feedpub`` (in a
child process) and the table shows both and their ratio. The 10k corpus is
``benchmarks/_work/corpus-10000`` (``benchmarks/scale.py`` makes it).
Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
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


def picks(out: Path, docs: list[Path]) -> list[Path]:
    chosen = [p for p in (out / "all.rss", out / "all.atom") if p in docs]
    for ext in (".rss", ".atom"):
        topics = [p for p in docs if p.parent != out and p.suffix == ext]
        if topics:
            chosen.append(max(topics, key=lambda p: p.stat().st_size))
    return chosen


def measure(out: Path, runs: int) -> dict[str, object]:
    """Milliseconds per document (cold, warm) and the in-a-row total, for this feedpub."""
    from feedpub.validator import validate_bytes

    try:
        from feedpub.validator.memo import clear_caches
    except ImportError:  # a validator without memoized checks

        def clear_caches() -> None:
            pass

    docs = feeds(out)
    data = {p: p.read_bytes() for p in docs}
    url = {p: BASE_URL + p.relative_to(out).as_posix() for p in docs}

    def best(path: Path, cold: bool) -> tuple[float, int]:
        fastest, messages = float("inf"), 0
        for _ in range(runs):
            if cold:
                clear_caches()
            start = time.process_time()
            report = validate_bytes(data[path], path=path.name, base=url[path])
            fastest = min(fastest, time.process_time() - start)
            messages = len(report.errors) + len(report.warnings)
        return fastest * 1000, messages

    rows = []
    for path in picks(out, docs):
        cold, messages = best(path, cold=True)
        warm, _ = best(path, cold=False)
        rows.append([path.relative_to(out).as_posix(), len(data[path]), cold, warm, messages])
    clear_caches()
    start = time.process_time()
    for path in docs:
        validate_bytes(data[path], path=path.name, base=url[path])
    total = time.process_time() - start
    return {"rows": rows, "docs": len(docs), "row_total": total}


def baseline(checkout: Path, out: Path, runs: int) -> dict[str, object]:
    command = [sys.executable, str(Path(__file__).resolve()), "--out", str(out), "--runs",
               str(runs), "--json"]
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    done = subprocess.run(command, env=env, cwd=tempfile.gettempdir(), check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="an output folder to read instead of building")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if "PYTHONPATH" not in os.environ:
        sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out
        if out is None:
            out = Path(tmp) / "out"
            build(args.corpus, out)
        if not feeds(out):
            print(f"no feeds in {out}", file=sys.stderr)
            return 2
        ours = measure(out, args.runs)
        if args.json:
            print(json.dumps(ours))
            return 0
        old = baseline(args.baseline, out, args.runs) if args.baseline else None
    import feedpub.validator

    print(f"validator: {Path(feedpub.validator.__file__).parent}")
    if old is not None:
        print(f"baseline:  {args.baseline}")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, "
          f"Python {platform.python_version()}; CPU ms per document, best of {args.runs}")
    head = f"{'document':<24} {'KB':>5} {'cold':>7} {'warm':>7}"
    if old is not None:
        head += f" {'base cold':>9} {'base warm':>9} {'x cold':>6} {'x warm':>6}"
    print(head + f" {'messages':>8}")
    old_rows = {r[0]: r for r in old["rows"]} if old else {}  # type: ignore[index]
    for name, size, cold, warm, messages in ours["rows"]:  # type: ignore[union-attr]
        line = f"{name:<24} {size / 1024:>5.0f} {cold:>7.2f} {warm:>7.2f}"
        if name in old_rows:
            base_cold, base_warm = old_rows[name][2], old_rows[name][3]
            line += (f" {base_cold:>9.2f} {base_warm:>9.2f} {base_cold / cold:>6.2f}"
                     f" {base_warm / warm:>6.2f}")
        print(line + f" {messages:>8}")
    docs, total = ours["docs"], ours["row_total"]
    line = f"{docs} feeds in a row: {total:.2f} s, {total / docs * 1000:.2f} ms/doc"  # type: ignore[operator]
    if old is not None:
        base_total = old["row_total"]
        line += f"; baseline {base_total:.2f} s, x{base_total / total:.2f}"  # type: ignore[operator]
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
