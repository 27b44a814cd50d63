"""Agreement of `feedpub validate` with the W3C Feed Validation Service.

Runs the validator (the same `validate_path` the CLI uses, with the manifest's
`base` as --base) over the W3C test-suite sample in ../shared/conformance and
prints, per format, how often our verdict (errors or none) equals W3C's.

    python benchmarks/conformance.py [PATH] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from feedpub.validator import validate_path  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "conformance" / "w3c-testcases"


def _section(path: str) -> str:
    """The suite's section of a case: its folder, e.g. atom/4.1.1 or rss20/element-channel."""
    return path.rsplit("/", 1)[0]


def run(data_dir: Path, verbose: bool, by_section: bool = False) -> int:
    """Print the agreement table; return 0 when every format reaches 97%."""
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sections: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    disagreements: list[str] = []
    started = time.perf_counter()
    for case in manifest:
        report = validate_path(data_dir / case["path"], base=case.get("base"))
        ours = "valid" if report.valid else "invalid"
        fmt = case["format"]
        totals[fmt][1] += 1
        sections[_section(case["path"])][1] += 1
        if ours == case["w3c"]:
            totals[fmt][0] += 1
            sections[_section(case["path"])][0] += 1
        else:
            codes = ",".join(sorted({m.code for m in report.errors})) or "-"
            w3c = ",".join(sorted(set(case["w3c_errors"]))) or "-"
            disagreements.append(f"{case['path']}: w3c={case['w3c']} [{w3c}] ours={ours} [{codes}]")
    elapsed = time.perf_counter() - started
    print(f"{'format':<8} {'agree':>6} {'total':>6} {'percent':>8}")
    ok = True
    for fmt in sorted(totals):
        agree, total = totals[fmt]
        pct = 100.0 * agree / total
        ok = ok and pct >= 97.0
        print(f"{fmt:<8} {agree:>6} {total:>6} {pct:>7.1f}%")
    print(f"{len(manifest)} files in {elapsed:.2f} s")
    if by_section:
        print(f"\n{'section':<44} {'agree':>6} {'total':>6}")
        for name in sorted(sections):
            agree, total = sections[name]
            print(f"{name:<44} {agree:>6} {total:>6}")
    if verbose and disagreements:
        print("\nDisagreements:")
        for line in disagreements:
            print("  " + line)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--verbose", "-v", action="store_true", help="list disagreements")
    parser.add_argument(
        "--by-section", action="store_true", help="agreement per suite folder (holdout view)"
    )
    args = parser.parse_args(argv)
    if not (args.path / "manifest.json").is_file():
        print(f"no manifest.json in {args.path}", file=sys.stderr)
        return 2
    return run(args.path, args.verbose, args.by_section)


if __name__ == "__main__":
    sys.exit(main())
