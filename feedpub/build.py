"""The build pipeline: seed files → entries → feed plans → documents → files.

Data flows one way. Reading and normalizing produce entries (or problems),
planning picks what each feed holds, rendering turns entries into bytes,
every document is validated, and writing replaces only what changed.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from feedpub.archive import Archive
from feedpub.builder import FeedInfo
from feedpub.config import Site
from feedpub.entry import Entry
from feedpub.formats import DEFAULT_FORMATS, FORMATS, by_extension
from feedpub.normalize import Normalized, normalize
from feedpub.plan import Candidate, FeedPlan, Plan, plan_feeds
from feedpub.problems import Problem
from feedpub.publish import site_documents
from feedpub.reader import DEFAULT_LIMITS, Limits, find_seed_files, read_seed_file
from feedpub.writer import write_if_changed

#: Renderers by file extension: every format a feed can be written in (see feedpub.formats).
RENDERERS: dict[str, Callable[[FeedInfo, list[Entry]], bytes]] = {
    f.ext: f.render for f in FORMATS.values()
}
#: ``updated`` of a feed with no entries at all.
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class BuildOptions:
    """What to build from where; the CLI fills it from flags and ``feedpub.yaml``."""

    sources: tuple[str, ...]
    out_dir: Path
    site: Site
    include_unpublished: bool = False
    limits: Limits = DEFAULT_LIMITS
    validate: bool = True
    formats: tuple[str, ...] = DEFAULT_FORMATS  # names in feedpub.formats.FORMATS
    archive: bool = False  # RFC 5005 archive pages (feedpub.archive)


@dataclass
class BuildReport:
    """What a build did, for the summary and the exit code."""

    read: int = 0
    published: int = 0
    held_back: int = 0
    rejected: int = 0
    duplicates_merged: int = 0
    topics: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def rejections(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if not p.fatal]


def load_entry(path: str | Path, options: BuildOptions) -> Normalized:
    """Read and normalize one seed file."""
    record = read_seed_file(path, options.limits)
    if isinstance(record, Problem):
        return Normalized(None, (record,))
    return normalize(record, options.limits, options.site.asset_base_url)


def seed_paths(options: BuildOptions) -> list[Path]:
    """Every seed file the build reads, in a stable order."""
    return list(find_seed_files(options.sources))


def collect(
    results: Iterable[Normalized], options: BuildOptions, report: BuildReport
) -> Iterator[Candidate]:
    """Count and filter normalized records, yielding the publishable ones as candidates."""
    for result in results:
        report.read += 1
        report.problems.extend(result.problems)
        entry = result.entry
        if entry is None:
            report.rejected += 1
        elif not entry.is_published and not options.include_unpublished:
            report.held_back += 1
        else:
            report.published += 1
            yield Candidate.of(entry)


def render_plan(
    plan: Plan,
    entries: dict[str, Entry],
    site: Site,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    archive: Archive | None = None,
) -> Iterator[tuple[str, bytes]]:
    """Every feed document as ``(relative path, bytes)``, in a stable order."""
    for feed in plan.feeds:
        members = [entries[i] for i in feed.entry_ids]
        for name in formats:
            fmt = FORMATS[name]
            relative = feed.name + fmt.ext
            data = fmt.render(feed_info(feed, members, site, relative), members)
            if archive is not None:
                data = archive.mark_current(feed.name, fmt, data, site)
            yield relative, data


def extra_documents(
    plan: Plan, entries: dict[str, Entry], options: BuildOptions, archive: Archive | None
) -> Iterator[tuple[str, bytes]]:
    """Archive pages (with ``--archive``), then ``feeds.opml`` and the HTML pages."""
    if archive is not None:
        def load(ids: tuple[str, ...]) -> list[Entry]:
            return [load_winner(i, plan, options) for i in ids]

        yield from archive.documents(plan, options.formats, options.site, load, feed_info)
    yield from site_documents(plan, entries, options.site, options.formats)


def feed_info(feed: FeedPlan, members: list[Entry], site: Site, relative: str) -> FeedInfo:
    """Title, links and dates of one feed; ``updated`` is its newest entry, never the clock."""
    updated = max((e.updated for e in members), default=_EPOCH)
    if feed.topic is None:
        title, description = site.title, site.description
    else:
        title = f"{site.title}: {feed.topic.label}"
        description = f"{feed.topic.label}: {site.description}"
    return FeedInfo(
        title=title,
        description=description,
        site_url=site.base_url,
        self_url=site.url(relative),
        updated=updated,
        language=site.language,
        author_name=site.author_name,
        author_email=site.author_email,
        author_uri=site.base_url,
        icon_url=site.icon,
        logo_url=site.logo,
        hub_url=site.hub,
    )


def load_plan_entries(plan: Plan, options: BuildOptions) -> dict[str, Entry]:
    """The full entries the feeds hold, with the topics merged from duplicates."""
    return {entry_id: load_winner(entry_id, plan, options) for entry_id in plan.needed()}


def load_winner(entry_id: str, plan: Plan, options: BuildOptions) -> Entry:
    """The full entry of one story, with the topics merged from its duplicates."""
    winner = plan.winners[entry_id]
    result = load_entry(winner.path, options)
    if result.entry is None or result.entry.id != entry_id:
        raise RuntimeError(f"{winner.path}: changed while the build was running")
    return dataclasses.replace(result.entry, topics=plan.merged_topics[entry_id])


def build(
    options: BuildOptions,
    progress: Callable[[Iterable[Path]], Iterable[Path]] = lambda paths: paths,
) -> BuildReport:
    """Run the whole pipeline once; problems are reported in the result, not raised."""
    report = BuildReport()
    paths = seed_paths(options)
    results = (load_entry(path, options) for path in progress(paths))
    plan = plan_feeds(collect(results, options, report), options.site.limit)
    report.duplicates_merged = plan.duplicates_merged
    report.published -= plan.duplicates_merged
    report.topics = len(plan.topics)
    entries = load_plan_entries(plan, options)
    archive = Archive.of(plan, options.site.limit) if options.archive else None
    documents = itertools.chain(
        render_plan(plan, entries, options.site, options.formats, archive),
        extra_documents(plan, entries, options, archive),
    )
    for relative, data in documents:
        if options.validate and by_extension(Path(relative).suffix) is not None:
            errors, warnings = check_document(data, relative, options.site.url(relative))
            report.warnings.extend(warnings)
            if errors:
                report.invalid.extend(errors)
                continue
        if write_if_changed(options.out_dir / relative, data):
            report.written.append(relative)
        else:
            report.unchanged.append(relative)
    return report


def check_document(data: bytes, relative: str, url: str) -> tuple[list[str], list[str]]:
    """The errors and warnings ``feedpub validate`` gives for a document we are about to write.

    A document with an error is not written (the old file stays) and fails the build.
    """
    from feedpub.validator import validate_bytes

    result = validate_bytes(data, path=relative, base=url)
    messages = (*result.errors, *result.warnings)
    show = [f"{relative}:{m.line}: {m.code}: {m.message}" for m in messages]
    return show[: len(result.errors)], show[len(result.errors) :]

