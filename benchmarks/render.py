"""Rendering RSS and Atom: feedpub's direct writer against the feedgen code it replaced.

Loads real feed inputs (every combined and topic feed a build of the given
seed folders would write, through the reader/normalize/plan pipeline), then
times, per document, feedgen (``tests/feedgen_oracle.py``) split into its
object model (FeedGenerator and FeedEntry calls), lxml tree building
(``_create_rss``/``_create_atom``) and serialization (``etree.tostring``),
against :func:`feedpub.builder.render_rss`/:func:`~feedpub.builder.render_atom`,
and checks that both give the same bytes.

    python benchmarks/render.py                        # seeds/ and the 10k synthetic corpus
    python benchmarks/render.py SOURCE [SOURCE ...]    # other seed folders

Not a test: it prints a table (best of ``--repeat`` passes, one core).
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(HERE)]
import feedgen_oracle  # noqa: E402

from feedpub.build import BuildOptions, feed_info, load_entry, seed_paths  # noqa: E402
from feedpub.builder import FeedInfo, render_atom, render_rss  # noqa: E402
from feedpub.config import Site  # noqa: E402
from feedpub.entry import Entry  # noqa: E402
from feedpub.plan import Candidate, plan_feeds  # noqa: E402

SITE = Site(base_url="http://127.0.0.1:8000/", limit=50)
Document = tuple[FeedInfo, list[Entry]]


def documents(source: str, ext: str) -> list[Document]:
    """The (info, entries) of every ``ext`` feed a build of ``source`` writes."""
    options = BuildOptions(sources=(source,), out_dir=Path("unused"), site=SITE)
    loaded = (load_entry(path, options).entry for path in seed_paths(options))
    by_path = {e.source_path: e for e in loaded if e is not None and e.is_published}
    plan = plan_feeds((Candidate.of(e) for e in by_path.values()), SITE.limit)
    found = []
    for feed in plan.feeds:
        members = [dataclasses.replace(by_path[plan.winners[i].path], topics=plan.merged_topics[i])
                   for i in feed.entry_ids]
        found.append((feed_info(feed, members, SITE, feed.name + ext), members))
    return found


def best(
    repeat: int, run: Callable[[list[Document], bool], tuple[float, ...]], docs: list[Document],
    atom: bool,
) -> tuple[float, ...]:
    """The pass with the smallest total time (the machine is shared and noisy)."""
    return min((run(docs, atom) for _ in range(repeat)), key=sum)


def feedgen_split(docs: list[Document], atom: bool) -> tuple[float, float, float]:
    """Seconds in feedgen's object model, lxml tree building and serialization."""
    model = tree = serialize = 0.0
    for info, entries in docs:
        start = time.perf_counter()
        generator = feedgen_oracle._feed(info, entries)
        built = time.perf_counter()
        document = generator._create_atom()[1] if atom else generator._create_rss()[1]
        made = time.perf_counter()
        etree.tostring(document, pretty_print=True, encoding="UTF-8", xml_declaration=True)
        model, tree = model + built - start, tree + made - built
        serialize += time.perf_counter() - made
    return model, tree, serialize


def direct(docs: list[Document], atom: bool) -> tuple[float]:
    render = render_atom if atom else render_rss
    start = time.perf_counter()
    for info, entries in docs:
        render(info, entries)
    return (time.perf_counter() - start,)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", help="seed folders (default: seeds/ and 10k)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.sources:
        sources = args.sources
    else:
        import scale

        sources = [str(REPO / "seeds"), str(scale.corpus(10_000))]
    print(f"python {platform.python_version()}, lxml {etree.__version__}, "
          f"libxml2 {'.'.join(map(str, etree.LIBXML_VERSION))}; ms per document, best of "
          f"{args.repeat}\n")
    print("| input | format | documents | entries/doc | feedgen: model + tree + serialize "
          "= total | direct | speed-up |")
    print("|---|---|---:|---:|---|---:|---:|")
    for source in sources:
        for ext in (".rss", ".atom"):
            atom = ext == ".atom"
            docs = documents(source, ext)
            new = render_atom if atom else render_rss
            oracle = feedgen_oracle.feedgen_atom if atom else feedgen_oracle.feedgen_rss
            if any(new(i, e) != oracle(i, e) for i, e in docs):
                raise SystemExit(f"{source} {ext}: the direct writer differs from feedgen")
            n = len(docs)
            split = [s * 1000 / n for s in best(args.repeat, feedgen_split, docs, atom)]
            mine = best(args.repeat, direct, docs, atom)[0] * 1000 / n
            entries = sum(len(e) for _, e in docs) / n
            name = Path(source).name
            print(f"| {name} | {ext[1:]} | {n} | {entries:.1f} | {split[0]:.2f} + {split[1]:.2f}"
                  f" + {split[2]:.2f} = {sum(split):.2f} | {mine:.2f} | {sum(split) / mine:.1f}× |")


if __name__ == "__main__":
    main()
