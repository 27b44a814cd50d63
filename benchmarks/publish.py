"""Cost of the publishing extras: JSON Feed, OPML/HTML pages, archives, on the real corpus.

Builds the corpus (default ../shared/corpus/everyday-ai) into a temporary folder
with each variant, a fresh build and then an unchanged rebuild, best of N runs:

    python benchmarks/publish.py [CORPUS] [--runs 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from feedpub.build import BuildOptions, build  # noqa: E402
from feedpub.config import Site, load_site  # noqa: E402

VARIANTS = [
    ("rss,atom", {"formats": ("rss", "atom")}, {}),
    ("rss,atom,json (default)", {}, {}),
    ("default + --archive (limit 50)", {"archive": True}, {}),
    ("default + --archive --limit 10", {"archive": True}, {"limit": 10}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared/corpus/everyday-ai"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    site = load_site(REPO / "feedpub.yaml")
    assert isinstance(site, Site), site
    print(f"corpus: {args.corpus}, best of {args.runs}")
    print(f"{'variant':34} {'fresh s':>8} {'rebuild s':>10} {'files':>6} {'bytes':>10}")
    for name, option_changes, site_changes in VARIANTS:
        fresh, again = [], []
        files = size = 0
        for _ in range(args.runs):
            out = Path(tempfile.mkdtemp(prefix="feedpub-bench-"))
            options = BuildOptions((args.corpus,), out, dataclasses.replace(site, **site_changes),
                                   **option_changes)
            start = time.perf_counter()
            build(options)
            fresh.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = build(options)
            again.append(time.perf_counter() - start)
            assert not report.written, report.written
            paths = [p for p in out.rglob("*") if p.is_file()]
            files, size = len(paths), sum(p.stat().st_size for p in paths)
            shutil.rmtree(out)
        print(f"{name:34} {min(fresh):8.2f} {min(again):10.2f} {files:6} {size:10}")


if __name__ == "__main__":
    main()
