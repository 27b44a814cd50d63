"""A small fuzzing driver shared by ``fuzz_reader.py`` and ``fuzz_validator.py``.

Two engines:

- ``builtin`` (default, no dependency): takes the corpus files, mutates them
  (bit flips, byte runs, inserted tokens from a dictionary, deleted and
  duplicated slices, splices of two files) with a seeded RNG, and runs the
  target on each mutant for a fixed time.
- ``atheris`` (``pip install -e '.[fuzz]'``): coverage-guided libFuzzer over
  the same corpus (copied to a scratch folder, so the checked-in corpus never
  grows) and the same target.

A target returns an outcome label (counted in the table) and raises only on
a bug. Failing inputs are saved under ``benchmarks/_work/fuzz-<name>/`` and the
script exits 1; a clean run exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import random
import shutil
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "_work"
#: An input slower than this is listed as a finding (a hang in the making).
SLOW_SECONDS = 1.0


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to fuzz")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed (builtin engine)")
    parser.add_argument("--engine", choices=("builtin", "atheris"), default="builtin")
    parser.add_argument("--max-len", type=int, default=16_384, help="largest mutant in bytes")
    return parser.parse_args()


def load_corpus(folder: Path) -> list[bytes]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    if not files:
        raise SystemExit(f"empty corpus: {folder}")
    return [p.read_bytes() for p in files]


def mutate(data: bytes, rng: random.Random, corpus: list[bytes], tokens: list[bytes],
           max_len: int) -> bytes:
    """One to four random edits of ``data``."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(8)
        pos = rng.randint(0, len(buf))
        if choice == 0 and buf:  # flip a bit
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
        elif choice == 1:  # an interesting byte
            buf[pos:pos] = bytes([rng.choice(b"\x00\x01\x0b\x1b\x7f\x80\xa0\xc3\xef\xfe\xff")])
        elif choice in (2, 3):  # a dictionary token
            buf[pos:pos] = rng.choice(tokens)
        elif choice == 4 and buf:  # delete a slice
            end = min(len(buf), pos + rng.randint(1, 64))
            del buf[pos:end]
        elif choice == 5 and buf:  # duplicate a slice many times (deep nesting, long runs)
            start = rng.randrange(len(buf))
            piece = bytes(buf[start : start + rng.randint(1, 16)])
            buf[pos:pos] = piece * rng.choice((2, 8, 100, 1000))
        elif choice == 6:  # splice in part of another corpus file
            other = rng.choice(corpus)
            start = rng.randint(0, len(other))
            buf[pos:pos] = other[start : start + rng.randint(1, 256)]
        else:  # replace a byte with a random one
            if buf:
                buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf[:max_len])


def run(
    name: str,
    target: Callable[[bytes], str],
    corpus_dir: Path,
    tokens: list[bytes],
    args: argparse.Namespace,
) -> int:
    """Fuzz ``target`` for ``args.seconds``; print a table; 0 if nothing failed."""
    out = WORK / f"fuzz-{name}"
    if args.engine == "atheris":
        return _run_atheris(name, target, corpus_dir, tokens, args, out)
    corpus = load_corpus(corpus_dir)
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    failures: dict[str, str] = {}  # one saved input per distinct bug (type and place)
    slow: list[tuple[float, str]] = []
    slowest = 0.0
    runs = 0
    started = time.perf_counter()
    deadline = started + args.seconds
    inputs = iter(corpus)  # every corpus file once, unmutated, first
    while time.perf_counter() < deadline:
        data = next(inputs, None)
        if data is None:
            data = mutate(rng.choice(corpus), rng, corpus, tokens, args.max_len)
        t0 = time.perf_counter()
        try:
            outcomes[target(data)] += 1
        except Exception as exc:  # noqa: BLE001 - any exception is the finding
            where = traceback.extract_tb(exc.__traceback__)[-1]
            bug = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
            if bug not in failures:
                failures[bug] = _save(out, "crash", data, traceback.format_exc())
            outcomes[f"EXCEPTION {bug}"] += 1
        took = time.perf_counter() - t0
        if took > SLOW_SECONDS:  # time it again: a GC pause or a busy machine is not a finding
            t0 = time.perf_counter()
            with contextlib.suppress(Exception):  # already counted above
                target(data)
            took = min(took, time.perf_counter() - t0)
        slowest = max(slowest, took)
        if took > SLOW_SECONDS:
            slow.append((took, _save(out, "slow", data, f"{took:.2f} s\n")))
        runs += 1
    elapsed = time.perf_counter() - started
    print(f"fuzz {name}: builtin engine, seed {args.seed}, corpus {len(corpus)} files "
          f"({corpus_dir.relative_to(REPO)})")
    print(f"{'inputs':>8} {'seconds':>8} {'inputs/s':>9} {'slowest ms':>11} {'failures':>9}")
    print(f"{runs:>8} {elapsed:>8.1f} {runs / elapsed:>9.0f} {slowest * 1000:>11.1f} "
          f"{len(failures):>9}")
    print(f"\n{'outcome':<40} {'count':>8}")
    for label, count in outcomes.most_common():
        print(f"{label:<40} {count:>8}")
    for bug, path in failures.items():
        print(f"FAILED: {bug}: {path}")
    for took, path in slow[:10]:
        print(f"SLOW ({took:.2f} s): {path}")
    return 1 if failures or slow else 0


def _save(out: Path, kind: str, data: bytes, detail: str) -> str:
    out.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    path = out / f"{kind}-{digest}"
    path.write_bytes(data)
    path.with_suffix(".txt").write_text(detail, encoding="utf-8")
    return str(path.relative_to(REPO))


def _run_atheris(name, target, corpus_dir, tokens, args, out) -> int:  # pragma: no cover
    import atheris

    scratch = out / "corpus"
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(corpus_dir, scratch)
    out.mkdir(parents=True, exist_ok=True)
    dictionary = out / "tokens.dict"
    dictionary.write_text(
        "".join('"' + "".join(f"\\x{b:02x}" for b in t) + '"\n' for t in tokens),
        encoding="ascii",
    )

    def one_input(data: bytes) -> None:
        target(data)

    atheris.Setup(
        [sys.argv[0], str(scratch), f"-max_total_time={int(args.seconds)}",
         f"-max_len={args.max_len}", f"-dict={dictionary}", f"-artifact_prefix={out}/",
         f"-seed={args.seed}", "-timeout=10", "-print_final_stats=1"],
        one_input,
    )
    atheris.Fuzz()
    return 0
