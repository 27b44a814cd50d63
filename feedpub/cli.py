"""The ``feedpub`` command: wires options to the pipeline, prints the summary.

Exit codes: 0 success (even with rejected records), 1 a rejected record with
``--strict``, an output file that failed validation or could not be written
(the old file is kept), 2 usage errors, 3 another build holds the output
folder (see ``--wait``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from feedpub import __version__
from feedpub.build import BuildError, BuildOptions, BuildReport, build
from feedpub.config import ConfigError, load_site
from feedpub.formats import DEFAULT_FORMATS, parse_formats
from feedpub.reader import SEED_SUFFIXES, missing_sources
from feedpub.validator.command import validate_command

#: How many problem lines the summary shows before counting the rest.
SHOWN_PROBLEMS = 20
#: The cache file's name in the output folder (hidden: not published with the feeds).
CACHE_NAME = ".feedpub-cache.sqlite"
#: ``feedpub serve``'s port (``feedpub.serve.DEFAULT_PORT``). ``serve`` and ``websub`` are
#: imported by the commands that use them: their HTTP modules cost every build ~10 ms.
DEFAULT_PORT = 8000


@click.group()
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """Publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds from YAML front-matter seed records."""


main.add_command(validate_command)


@main.command("build")
@click.argument("sources", nargs=-1, type=click.Path(path_type=str))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("output"), show_default=True, help="Folder the feeds are written to.")
@click.option("--base-url", help="Public URL of the output folder (self links are made from it).")
@click.option("--limit", type=click.IntRange(min=1), help="Entries per feed (default 50).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Settings file (default: feedpub.yaml in the current folder, if any).")
@click.option("--include-unpublished", is_flag=True,
              help="Publish records marked 'published: false' too.")
@click.option("--strict", is_flag=True, help="Exit 1 if any record was rejected.")
@click.option("--max-file-bytes", type=click.IntRange(min=1),
              help="Refuse larger seed files (default 1048576; limits.max_file_bytes).")
@click.option("--max-field-chars", type=click.IntRange(min=1),
              help="Cut longer text fields (default 100000; limits.max_field_chars).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; problems only.")
@click.option("--verbose", "-v", is_flag=True,
              help=f"Print every problem line (default: {SHOWN_PROBLEMS} of each kind, "
              "then a count).")
@click.option("--formats", "formats_text", default=",".join(DEFAULT_FORMATS), show_default=True,
              help="Feed formats to write, comma-separated: rss, atom, json.")
@click.option("--archive", is_flag=True,
              help="Keep older entries in archive pages (RFC 5005) instead of dropping them.")
@click.option("--hub", help="WebSub hub URL announced in every feed (or 'hub:' in feedpub.yaml).")
@click.option("--ping", is_flag=True, help="Notify the WebSub hub of every feed that changed.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Incremental cache file (default: OUT/{CACHE_NAME}).")
@click.option("--no-cache", is_flag=True, help="Build from scratch and keep no cache.")
@click.option("--jobs", "-j", type=click.IntRange(min=1),
              help="Processes that parse seeds and render feeds (default: one per CPU).")
@click.option("--wait", type=click.FloatRange(min=0), default=0, show_default=True,
              help="Seconds to wait while another build writes to OUT (then exit 3).")
def build_command(
    sources: tuple[str, ...],
    out_dir: Path,
    base_url: str | None,
    limit: int | None,
    config_path: Path | None,
    include_unpublished: bool,
    strict: bool,
    max_file_bytes: int | None,
    max_field_chars: int | None,
    quiet: bool,
    verbose: bool,
    formats_text: str,
    archive: bool,
    hub: str | None,
    ping: bool,
    cache_path: Path | None,
    no_cache: bool,
    jobs: int | None,
    wait: float,
) -> None:
    """Build the combined and per-topic feeds from SOURCES (files or folders; default seeds/).

    A rebuild parses only new and changed seed files and rewrites only feeds
    whose content changed. Exit codes: 0 done; 1 a rejected record with
    --strict, an invalid feed or a file that could not be written (the old
    files are kept); 2 usage error; 3 another build holds OUT (see --wait).
    """
    sources = sources or ("seeds",)
    missing = missing_sources(sources)
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(missing)}")
    formats = parse_formats(formats_text)
    if isinstance(formats, str):
        raise click.BadParameter(formats, param_hint="--formats")
    limits = {"max_file_bytes": max_file_bytes, "max_field_chars": max_field_chars}
    site = load_site(
        config_path, {"base_url": base_url, "limit": limit, "hub": hub, "limits": limits}
    )
    if isinstance(site, ConfigError):
        raise click.UsageError(str(site))
    if ping and not site.hub:
        raise click.UsageError("--ping needs a hub: --hub URL or 'hub:' in feedpub.yaml")
    if no_cache and cache_path is not None:
        raise click.UsageError("--cache and --no-cache exclude each other")
    cache = None if no_cache else (cache_path or out_dir / CACHE_NAME)
    options = BuildOptions(sources, out_dir, site, include_unpublished=include_unpublished,
                           limits=site.limits, formats=formats, archive=archive,
                           cache=cache, jobs=jobs or 0, wait=wait)
    try:
        report = build(options, progress=_progress_bar(quiet))
    except BuildError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for note in report.cache_notes:
        click.echo(f"note: {note}", err=True)
    shown = None if verbose else SHOWN_PROBLEMS
    if report.read == 0:
        click.echo(f"warning: no seed files found in {', '.join(sources)} "
                   f"(read: {', '.join(sorted(SEED_SUFFIXES))})", err=True)
    _print_problems(report, shown)
    if not quiet:
        click.echo(summary(report, out_dir))
    if ping and site.hub:
        from feedpub.websub import changed_feeds

        _ping_hub(site.hub, changed_feeds(report.written, site), quiet, shown)
    if report.invalid or report.errors or (strict and report.rejected):
        sys.exit(1)


def _ping_hub(hub: str, feed_urls: list[str], quiet: bool, shown: int | None) -> None:
    """Tell the hub which feeds changed; failures are printed, never fatal."""
    from feedpub.websub import ping

    results = ping(hub, feed_urls)
    failed = [r for r in results if not r.ok]
    _echo_lines("ping failed", [f"{r.feed_url}: {r.error}" for r in failed], shown)
    if not quiet:
        click.echo(f"websub: {len(results) - len(failed)} of {len(results)} changed feeds "
                   f"announced to {hub}")


@main.command("serve")
@click.argument("folder", default="output",
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=DEFAULT_PORT,
              show_default=True, help="Port on 127.0.0.1 (0: any free port).")
@click.option("--quiet", "-q", is_flag=True, help="Do not log requests.")
def serve_command(folder: Path, port: int, quiet: bool) -> None:
    """Preview FOLDER (default output/) at http://127.0.0.1:PORT/ for browsers and feed readers."""
    from feedpub.serve import make_server, server_url

    try:
        server = make_server(folder, port, quiet=quiet)
    except OSError as exc:
        reason = exc.strerror or exc
        raise click.ClickException(f"cannot listen on 127.0.0.1:{port}: {reason}") from None
    click.echo(f"Serving {folder}/ at {server_url(server)} (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def _progress_bar(quiet: bool):
    """click's progress bar on a terminal for long runs; nothing otherwise."""

    def wrap(paths: list[Path]) -> Iterable[Path]:
        if quiet or len(paths) < 500 or not sys.stderr.isatty():
            yield from paths
            return
        with click.progressbar(paths, label="Reading seeds", file=sys.stderr) as bar:
            yield from bar

    return wrap


def _print_problems(report: BuildReport, shown: int | None) -> None:
    groups = (
        ("rejected", [str(p) for p in report.rejections]),
        ("note", [str(p) for p in report.notes]),
        ("warning", report.warnings),
        ("invalid output, not written", report.invalid),
        ("error", report.errors),
    )
    for label, lines in groups:
        _echo_lines(label, lines, shown)


def _echo_lines(label: str, lines: list[str], shown: int | None) -> None:
    """``label: line`` on standard error, the first ``shown`` of them (all for ``None``)."""
    for line in lines[:shown]:
        click.echo(f"{label}: {line}", err=True)
    if shown is not None and len(lines) > shown:
        click.echo(f"{label}: ... and {len(lines) - shown} more (--verbose shows all)", err=True)


def summary(report: BuildReport, out_dir: Path) -> str:
    """The end-of-build summary: one screen at most."""
    lines = [
        f"records: {report.read} read, {report.published} published, "
        f"{report.held_back} held back (unpublished), {report.rejected} rejected, "
        f"{report.duplicates_merged} duplicates merged",
        f"seed files: {report.parsed} parsed, {report.reused} reused from cache, "
        f"{report.removed} gone since the last build",
        f"feeds: {report.topics} topics; {len(report.written)} files written, "
        f"{len(report.unchanged)} unchanged, {len(report.invalid)} invalid"
        + (f", {len(report.errors)} not writable" if report.errors else "")
        + f" -> {out_dir}/",
    ]
    if report.kept:
        shown = ", ".join(report.kept[:6]) + (", ..." if len(report.kept) > 6 else "")
        lines.append(f"kept: {len(report.kept)} files of topics no record has any more "
                     f"(left as they were): {shown}")
    if report.notes:
        lines.append(f"notes: {len(report.notes)} values dropped from otherwise good records")
    return "\n".join(lines)
