"""The build pipeline: seed files → entries → feed plans → documents → files.

Data flows one way. Reading and normalizing produce entries (or problems),
planning picks what each feed holds, rendering turns entries into bytes,
every document is validated, and writing replaces only what changed.

The entries live in a cache (:mod:`feedpub.cache`; a throwaway one without
``cache``), so memory holds only the planning view of every record and the
entries of one feed at a time. A rebuild parses only changed seed files and
renders only feeds whose inputs changed (:mod:`feedpub.incremental`); the
output folder is locked while a build runs (:mod:`feedpub.lock`).

Besides the feeds, a build writes the site documents (OPML, HTML pages:
:mod:`feedpub.publish`), re-rendered only when a feed or a count changed,
and with ``--archive`` the RFC 5005 archive pages (:mod:`feedpub.archive`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from feedpub import incremental
from feedpub.archive import Archive, mark_subscription
from feedpub.builder import FeedInfo, forget_rendered
from feedpub.cache import (
    HELD_BACK,
    PUBLISHED,
    REJECTED,
    Cache,
    CacheError,
    discard,
    encode_topics,
    is_damage,
)
from feedpub.config import Site
from feedpub.entry import Entry, Topic
from feedpub.formats import DEFAULT_FORMATS, FORMATS, Format
from feedpub.lock import EXIT_BUSY, LockBusy, acquire
from feedpub.normalize import Normalized, normalize
from feedpub.parallel import default_jobs, map_ordered
from feedpub.plan import Candidate, FeedPlan, Plan, plan_feeds
from feedpub.pool import WorkerDied
from feedpub.problems import Problem
from feedpub.publish import index_documents, site_document_names, topic_page
from feedpub.reader import DEFAULT_LIMITS, Limits, find_seed_names, read_seed_file
from feedpub.writer import holds, remove_stale_temps, sync_folder, write_atomic

#: Renderers by file extension: every format a feed can be written in (see feedpub.formats).
RENDERERS: dict[str, Callable[[FeedInfo, list[Entry]], bytes]] = {
    f.ext: f.render for f in FORMATS.values()
}
#: Every kind of file a build writes (feeds, OPML, HTML pages).
_WRITTEN_SUFFIXES = (*RENDERERS, ".opml", ".html")
#: ``plan_rows`` depth that means "every record" (archives need every entry).
_EVERYTHING = 2**62
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
    #: The incremental cache file; ``None`` builds from scratch (nothing kept).
    cache: Path | None = None
    #: Worker processes for parsing (0: one per core).
    jobs: int = 0
    #: Seconds to wait for another build of the same output folder.
    wait: float = 0.0
    #: Feed formats to write: names in :data:`feedpub.formats.FORMATS`.
    formats: tuple[str, ...] = DEFAULT_FORMATS
    #: Keep older entries in RFC 5005 archive pages (:mod:`feedpub.archive`).
    archive: bool = False

    @property
    def feed_formats(self) -> list[Format]:
        return [FORMATS[name] for name in self.formats]


class BuildError(Exception):
    """The build could not run or finish (its message is for the user); old feeds are kept."""

    exit_code = 1


class BuildBusy(BuildError):
    """Another build holds the output folder."""

    exit_code = EXIT_BUSY


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
    #: Seed files parsed, reused from the cache, and dropped from it (deleted).
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    #: Feeds of topics that have no records any more: left as they were.
    kept: list[str] = field(default_factory=list)
    #: Files that could not be written (the old ones are left in place).
    errors: list[str] = field(default_factory=list)
    cache_notes: list[str] = field(default_factory=list)

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


def seed_paths(options: BuildOptions) -> list[str]:
    """Every seed file the build reads, in a stable order, each once.

    A source given twice (``seeds`` and ``./seeds``), or inside a folder
    given before it, is read once, under the name it was first given by.
    Sources are compared, not files: one ``realpath`` per source, not per file.
    """
    kept: list[str] = []
    folders: list[str] = []
    for source in options.sources:
        real = os.path.realpath(source)
        if any(real == f or real.startswith(f.rstrip(os.sep) + os.sep) for f in folders) or (
            real in map(os.path.realpath, kept)
        ):
            continue
        kept.append(source)
        if os.path.isdir(real):
            folders.append(real)
    return list(dict.fromkeys(find_seed_names(kept)))


def feed_info(feed: FeedPlan, members: list[Entry], site: Site, relative: str) -> FeedInfo:
    """Title, links and dates of one feed; ``updated`` is its newest entry, never the clock."""
    return feed_info_at(feed, max((e.updated for e in members), default=_EPOCH), site, relative)


def feed_info_at(feed: FeedPlan, updated: datetime, site: Site, relative: str) -> FeedInfo:
    """:func:`feed_info` from the newest entry's ``updated`` alone."""
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


def build(
    options: BuildOptions,
    progress: Callable[[list[str]], Iterable[str]] = lambda paths: paths,
) -> BuildReport:
    """Run the whole pipeline once; problems are reported in the result, not raised.

    Raises :class:`BuildError` (:class:`BuildBusy` for a locked output
    folder) when the build cannot run at all; the old feeds are then untouched.
    """
    report = BuildReport()
    try:
        lock = acquire(options.out_dir, options.wait)
    except LockBusy as exc:
        raise BuildBusy(str(exc)) from None
    except OSError as exc:
        raise BuildError(f"cannot write to {exc.filename or options.out_dir}: "
                         f"{exc.strerror or exc}") from None
    with lock:
        for folder in _output_folders(options.out_dir):
            remove_stale_temps(folder, _WRITTEN_SUFFIXES)
        try:
            try:
                _build_cached(options, options.cache, progress, report)
            except (sqlite3.Error, CacheError) as exc:
                if options.cache is None or not is_damage(exc):
                    raise
                # Damaged while in use: start again from scratch, once.
                report = BuildReport(cache_notes=[
                    f"cache {options.cache} is unreadable ({exc}); rebuilding it"])
                discard(options.cache)
                _build_cached(options, options.cache, progress, report)
        except (sqlite3.Error, CacheError) as exc:
            raise BuildError(f"cache {options.cache or '(temporary)'}: {exc}") from None
        except WorkerDied as exc:
            raise BuildError(f"{exc} (killed, or out of memory?)") from None
        finally:
            forget_rendered()  # archive pages are rendered here, after the render phase
    return report


def _build_cached(
    options: BuildOptions, cache_path: Path | None, progress, report: BuildReport
) -> None:
    site = options.site
    with incremental.open_store(
        cache_path, options.limits, site.asset_base_url, report.cache_notes
    ) as cache:
        changes = incremental.sync_seeds(
            cache, seed_paths(options), options.limits, site.asset_base_url,
            options.jobs or default_jobs(), progress,
        )
        report.parsed, report.reused, report.removed = (
            changes.parsed, changes.reused, changes.removed)
        _count(cache, options, report)
        settings = incremental.settings_digest(
            site, options.include_unpublished, options.formats, options.archive)
        outputs = cache.outputs()
        last = None if changes.changed else cache.last_build(settings)
        if last is not None and incremental.on_disk(outputs, options.out_dir):
            # Nothing changed since a complete build: its plan and files stand.
            report.duplicates_merged, report.topics = last["duplicates"], last["topics"]
            report.published -= report.duplicates_merged
            report.unchanged = sorted(outputs)
            report.kept = _orphans(options.out_dir, outputs)
            return
        cache.mark_incomplete()
        plan, digests = _plan(cache, options)
        report.duplicates_merged = plan.duplicates_merged
        report.published -= plan.duplicates_merged
        report.topics = len(plan.topics)
        archive = Archive.of(plan, site.limit) if options.archive else None
        planned = _render_and_write(
            plan, digests, cache, outputs, settings, options, report, archive)
        if archive is not None:
            planned |= _write_archive(plan, archive, cache, options, report)
        cache.forget_outputs(set(outputs) - planned)
        report.kept = _orphans(options.out_dir, planned)
        if not report.invalid and not report.errors:
            cache.mark_complete({"settings": settings, "duplicates": plan.duplicates_merged,
                                 "topics": len(plan.topics)})


def _count(cache: Cache, options: BuildOptions, report: BuildReport) -> None:
    """Record counts and problems, from the cache: every seed file, parsed now or before."""
    counts = cache.counts()
    report.read = sum(counts.values())
    report.rejected = counts[REJECTED]
    if options.include_unpublished:
        report.published = counts[PUBLISHED] + counts[HELD_BACK]
    else:
        report.published, report.held_back = counts[PUBLISHED], counts[HELD_BACK]
    report.problems.extend(cache.problems())


def _plan(cache: Cache, options: BuildOptions) -> tuple[Plan, dict[str, tuple[datetime, bytes]]]:
    """The feed plan from the cache's planning rows, and each record's (updated, digest).

    Only the records that can decide a feed are planned (see
    :meth:`Cache.plan_rows`): memory and time do not grow with the corpus.
    """
    depth = _EVERYTHING if options.archive else options.site.limit
    found = cache.plan_rows(options.include_unpublished, depth)
    digests = {row.path: (row.updated, row.entry_digest) for row in found.rows}
    plan = plan_feeds(
        (Candidate(r.entry_id, r.published, r.path, r.topics) for r in found.rows),
        options.site.limit,
    )
    plan.feeds = [dataclasses.replace(f, total=found.totals[f.topic.key] if f.topic
                                      else found.stories) for f in plan.feeds]
    plan.stories = found.stories
    return plan, digests


@dataclass(frozen=True)
class _Document:
    """One feed file to render: everything a worker process needs for it besides entries."""

    relative: str
    ext: str  # its key in RENDERERS
    info: FeedInfo
    #: With --archive: ``""`` for a complete feed, else the URL of its newest archive page.
    archive_link: str | None
    digest: bytes


@dataclass(frozen=True)
class _Feed:
    """The files of one feed to render (its formats, its topic page): one task.

    The entries are loaded once for all of them.
    """

    feed: FeedPlan
    paths: tuple[str, ...]
    topics: tuple[tuple[Topic, ...], ...]
    documents: tuple[_Document, ...]
    #: The digest of the topic's HTML page, when it must be rendered.
    page_digest: bytes | None = None


@dataclass(frozen=True)
class _Context:
    """What every render task needs; inherited by forked workers, never sent."""

    cache_path: Path
    out_dir: Path
    site: Site
    formats: tuple[str, ...]
    validate: bool
    plan: Plan
    #: The digest of ``feeds.opml`` and ``index.html`` (see :func:`_site_digests`).
    index_digest: bytes


#: The render task that makes ``feeds.opml`` and ``index.html`` (they list every feed).
_INDEX = "index pages"


@dataclass(frozen=True)
class _Outcome:
    """What became of one document: ``written``, ``unchanged``, ``fresh``, ``invalid``, ``error``.

    ``fresh``: not even rendered, its inputs are those of the file on disk.
    """

    relative: str
    digest: bytes
    status: str
    size: int = 0
    mtime_ns: int = 0
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


#: Below this many documents to render, forking workers costs more than it saves.
_RENDER_POOL_THRESHOLD = 16


def _render_and_write(
    plan: Plan,
    digests: dict[str, tuple[datetime, bytes]],
    cache: Cache,
    outputs: dict[str, tuple[bytes, int, int]],
    settings: str,
    options: BuildOptions,
    report: BuildReport,
    archive: Archive | None = None,
) -> set[str]:
    """Render, validate and write every feed and site page whose inputs changed.

    A topic's HTML page is rendered in its feed's task, from the same entries;
    ``feeds.opml`` and ``index.html`` are one more task. Returns every planned file.
    """
    planned: dict[str, bytes] = {}
    feeds: list[tuple[FeedPlan, tuple[str, ...], tuple[tuple[Topic, ...], ...],
                      list[_Document]]] = []
    for feed in plan.feeds:
        paths = tuple(plan.winners[i].path for i in feed.entry_ids)
        topics = tuple(plan.merged_topics[i] for i in feed.entry_ids)
        updated = max((digests[p][0] for p in paths), default=_EPOCH)
        members = [digests[p][1] + encode_topics(t).encode()
                   for p, t in zip(paths, topics, strict=True)]
        documents = []
        for fmt in options.feed_formats:
            relative = feed.name + fmt.ext
            info = feed_info_at(feed, updated, options.site, relative)
            link = archive.subscription_link(feed.name, fmt, options.site) if archive else None
            digest = incremental.feed_digest(settings, relative, (info, link), members)
            planned[relative] = digest
            if incremental.is_fresh(outputs.get(relative), digest, options.out_dir / relative):
                report.unchanged.append(relative)
            else:
                documents.append(_Document(relative, fmt.ext, info, link, digest))
        feeds.append((feed, paths, topics, documents))
    page_digests = _site_digests(plan, planned, options)
    fresh = {name for name, digest in page_digests.items()
             if incremental.is_fresh(outputs.get(name), digest, options.out_dir / name)}
    index_names = site_document_names(plan)[:2]
    tasks: list[_Feed | str] = []
    if not fresh.issuperset(index_names):
        # First: the longest task, started while the other workers take the feeds.
        tasks.append(_INDEX)
    for feed, paths, topics, documents in feeds:
        page = f"{feed.name}.html"
        page_digest = None if feed.topic is None or page in fresh else page_digests[page]
        if documents or page_digest is not None:
            tasks.append(_Feed(feed, paths, topics, tuple(documents), page_digest))
    context = _Context(cache.path, options.out_dir, options.site, options.formats,
                       options.validate, plan, page_digests[index_names[0]])
    page_outcomes: list[_Outcome] = [_Outcome(name, b"", "fresh") for name in page_digests
                                     if name in fresh and (name not in index_names
                                                           or _INDEX not in tasks)]
    jobs = options.jobs or default_jobs()
    done: list[tuple[str, bytes, int, int]] = []
    written: set[Path] = set()

    def note(outcome: _Outcome) -> None:
        report.warnings.extend(outcome.warnings)
        if outcome.status == "invalid":
            report.invalid.extend(outcome.errors)
        elif outcome.status == "error":
            report.errors.extend(outcome.errors)
        elif outcome.status == "fresh":
            report.unchanged.append(outcome.relative)
        else:
            if outcome.status == "written":
                report.written.append(outcome.relative)
                written.add((options.out_dir / outcome.relative).parent)
            else:
                report.unchanged.append(outcome.relative)
            done.append((outcome.relative, outcome.digest, outcome.size, outcome.mtime_ns))

    rendering = map_ordered(_render, context, tasks, jobs, _RENDER_POOL_THRESHOLD,
                            forking=cache.closed_for_fork)
    try:
        with contextlib.closing(rendering):
            for outcomes in rendering:
                for outcome in outcomes:
                    if outcome.relative in page_digests:
                        page_outcomes.append(outcome)  # noted after the feeds, in page order
                    else:
                        note(outcome)
                if len(done) >= 100:
                    cache.record_outputs(done)
                    done.clear()
    finally:
        Cache.close_readers()  # with the entries they kept
        forget_rendered()
    order = {name: number for number, name in enumerate(page_digests)}
    for outcome in sorted(page_outcomes, key=lambda o: order[o.relative]):
        note(outcome)
    cache.record_outputs(done)
    for folder in written:
        sync_folder(folder)  # once per folder, not per file
    return set(planned) | set(page_digests)


def _render(context: _Context, task: _Feed | str) -> list[_Outcome]:
    """Render one feed's files and page (or the index pages); validate and write what differs.

    Runs in a worker process.
    """
    reader = Cache.reader(context.cache_path)
    if task == _INDEX:
        load = _loader(context.plan, reader)
        return [_write_document(context.out_dir, relative, data, context.index_digest)
                for relative, data in index_documents(context.plan, load, context.site,
                                                      context.formats)]
    assert isinstance(task, _Feed)
    entries = reader.feed_entries(task.paths, task.topics)
    outcomes = [_render_document(context, document, entries) for document in task.documents]
    if task.page_digest is not None:
        relative, data = topic_page(task.feed, entries, context.plan.feeds[0], context.site,
                                    context.formats)
        outcomes.append(_write_document(context.out_dir, relative, data, task.page_digest))
    return outcomes


def _render_document(context: _Context, document: _Document, entries: list[Entry]) -> _Outcome:
    relative = document.relative
    data = RENDERERS[document.ext](document.info, entries)
    if document.archive_link is not None:
        data = mark_subscription(document.ext, data, document.archive_link)
    errors: list[str] = []
    warnings: list[str] = []
    changed = not holds(context.out_dir / relative, data)
    if changed and context.validate:
        errors, warnings = check_document(data, relative, context.site.url(relative))
    if errors:
        return _Outcome(relative, document.digest, "invalid", errors=tuple(errors),
                        warnings=tuple(warnings))
    return _write_document(context.out_dir, relative, data, document.digest, tuple(warnings),
                           changed)


def _write_document(
    out_dir: Path,
    relative: str,
    data: bytes,
    digest: bytes,
    warnings: tuple[str, ...] = (),
    changed: bool | None = None,
) -> _Outcome:
    """Write ``data`` if the file differs (atomically; the folder is synced by the caller).

    ``changed``: whether it differs, when the caller already knows.
    """
    target = out_dir / relative
    status = "unchanged"
    try:
        if changed is None:
            changed = not holds(target, data)
        if changed:
            write_atomic(target, data, sync_dir=False)
            status = "written"
        stat = os.stat(target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        message = f"{target}: cannot write: {reason}; the old file is left in place"
        return _Outcome(relative, digest, "error", errors=(message,))
    return _Outcome(relative, digest, status, stat.st_size, stat.st_mtime_ns, warnings=warnings)


def _site_digests(
    plan: Plan, feed_digests: dict[str, bytes], options: BuildOptions
) -> dict[str, bytes]:
    """What each site page is made of, by page (in :func:`site_document_names` order).

    ``feeds.opml`` and ``index.html`` list every feed; a topic page shows its
    own feed only, so it is not rendered again while that feed stays the same.
    """
    names = site_document_names(plan)
    settings = repr((options.site, options.formats)).encode()
    digest = hashlib.blake2b(settings, digest_size=16)
    for feed in plan.feeds:
        digest.update(f"{feed.name}\n{feed.total}\n".encode())
    for relative in sorted(feed_digests):
        digest.update(relative.encode() + feed_digests[relative])
    digests = dict.fromkeys(names, digest.digest())
    for feed in plan.feeds:
        if feed.topic is not None:
            page = hashlib.blake2b(settings, digest_size=16)
            page.update(f"{feed.name}\n{feed.total}\n".encode())
            for fmt in options.feed_formats:
                relative = feed.name + fmt.ext
                page.update(relative.encode() + feed_digests[relative])
            digests[f"{feed.name}.html"] = page.digest()
    return digests


def _write_archive(
    plan: Plan, archive: Archive, cache: Cache, options: BuildOptions, report: BuildReport
) -> set[str]:
    """Every RFC 5005 archive page: rendered each build, written only when its bytes changed."""

    load = _loader(plan, cache)
    done: list[tuple[str, bytes, int, int]] = []
    written: set[str] = set()
    for relative, data in archive.documents(plan, options.formats, options.site, load, feed_info):
        written.add(relative)
        if options.validate:
            errors, warnings = check_document(data, relative, options.site.url(relative))
            report.warnings.extend(warnings)
            if errors:
                report.invalid.extend(errors)
                continue
        _write_extra(relative, data, hashlib.blake2b(data, digest_size=16).digest(),
                     options, report, done)
    cache.record_outputs(done)
    return written


def _write_extra(
    relative: str,
    data: bytes,
    digest: bytes,
    options: BuildOptions,
    report: BuildReport,
    done: list[tuple[str, bytes, int, int]],
    sync_dir: bool = True,
) -> None:
    """Write one non-feed (or archive) document if its bytes changed, and note it."""
    target = options.out_dir / relative
    try:
        changed = not holds(target, data)
        if changed:
            write_atomic(target, data, sync_dir=sync_dir)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        report.errors.append(f"{target}: cannot write: {reason}; the old file is left in place")
        return
    (report.written if changed else report.unchanged).append(relative)
    stat = os.stat(target)
    done.append((relative, digest, stat.st_size, stat.st_mtime_ns))


def _loader(plan: Plan, cache: Cache) -> Callable[[tuple[str, ...]], list[Entry]]:
    """Loads entries by id from the cache, with the topics merged from duplicates."""

    def load(ids: tuple[str, ...]) -> list[Entry]:
        paths = [plan.winners[i].path for i in ids]
        stored = cache.entries(paths, [plan.merged_topics[i] for i in ids])
        return [stored[p] for p in paths]

    return load


def _output_folders(out_dir: Path) -> list[Path]:
    """The folders a build writes into: OUT, OUT/topics and every archive folder."""
    folders = [out_dir, out_dir / "topics"]
    for root, dirs, _ in os.walk(out_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        if os.path.basename(root) == "archive":
            folders.append(Path(root))
    return folders


def _orphans(out_dir: Path, planned: Iterable[str]) -> list[str]:
    """Feed files and pages of topics no record has any more (kept: subscribers get no 404).

    A file of a topic that still has records (a format no longer written,
    say) is not an orphan: it is just left alone.
    """
    topics = {os.path.splitext(name)[0] for name in planned if name.startswith("topics/")}
    try:
        names = sorted(os.listdir(out_dir / "topics"))
    except OSError:
        return []
    return [f"topics/{name}" for name in names
            if not name.startswith(".") and name.endswith(_WRITTEN_SUFFIXES)
            and f"topics/{os.path.splitext(name)[0]}" not in topics]


def check_document(data: bytes, relative: str, url: str) -> tuple[list[str], list[str]]:
    """The errors and warnings ``feedpub validate`` gives for a document we are about to write.

    A document with an error is not written (the old file stays) and fails the build.
    """
    from feedpub.validator import validate_bytes

    result = validate_bytes(data, path=relative, base=url)
    messages = (*result.errors, *result.warnings)
    show = [f"{relative}:{m.line}: {m.code}: {m.message}" for m in messages]
    return show[: len(result.errors)], show[len(result.errors) :]

