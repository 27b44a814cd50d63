"""The `feedpub validate` click command: compiler-style or JSON reports, CI-friendly exit codes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from feedpub.validator.core import DEFAULT_MAX_BYTES, validate_bytes, validate_path
from feedpub.validator.report import FileReport, Message

FEED_SUFFIXES = frozenset({".rss", ".atom", ".xml", ".json"})


def _expand(paths: tuple[str, ...]) -> Iterator[str]:
    """Files as given; folders walked recursively for feed-like suffixes, in sorted order."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            found = [
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FEED_SUFFIXES
            ]
            yield from (os.fspath(p) for p in sorted(found))
        else:
            yield raw


def _format_message(path: str, msg: Message) -> str:
    return f"{path}:{msg.line or 0}:{msg.column or 0}: {msg.level} {msg.code}: {msg.message}"


def _read_stdin(max_bytes: int) -> bytes:
    stream = click.get_binary_stream("stdin")
    return stream.read(max_bytes + 1)


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--base",
    default=None,
    metavar="URL",
    help="URL the document is served from; relative references resolve against it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings as well as errors.")
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_BYTES,
    show_default=True,
    help="Largest document accepted.",
)
def validate_command(
    paths: tuple[str, ...], base: str | None, fmt: str, strict: bool, max_bytes: int
) -> None:
    """Validate RSS 2.0, Atom 1.0 and JSON Feed 1.1 files offline.

    PATHS are files, folders (searched for .rss, .atom, .xml, .json) or - for stdin.
    Exit status: 0 when no file has an error (with --strict, no warning either),
    1 when some file does, 2 for usage errors or unreadable input.
    """
    reports: list[FileReport] = []
    unreadable: list[str] = []
    for name in _expand(paths):
        try:
            if name == "-":
                report = validate_bytes(
                    _read_stdin(max_bytes), path="<stdin>", base=base, max_bytes=max_bytes
                )
            else:
                report = validate_path(name, base=base, max_bytes=max_bytes)
        except OSError as exc:
            unreadable.append(f"{name}: {exc.strerror or exc}")
            continue
        reports.append(report)
    for problem in unreadable:
        click.echo(f"feedpub validate: cannot read {problem}", err=True)
    if fmt == "json":
        click.echo(json.dumps([r.to_json() for r in reports], indent=2, ensure_ascii=False))
    else:
        _print_text(reports)
    failed = any(r.errors or (strict and r.warnings) for r in reports)
    if unreadable:
        sys.exit(2)
    sys.exit(1 if failed else 0)


def _print_text(reports: list[FileReport]) -> None:
    n_errors = n_warnings = n_bad = 0
    for report in reports:
        for msg in sorted(
            report.errors + report.warnings, key=lambda m: (m.line or 0, m.column or 0)
        ):
            click.echo(_format_message(report.path, msg))
        n_errors += len(report.errors)
        n_warnings += len(report.warnings)
        n_bad += not report.valid
    files = len(reports)
    click.echo(
        f"{files} file{'s' if files != 1 else ''} checked: {files - n_bad} valid, "
        f"{n_bad} invalid; {n_errors} error{'s' if n_errors != 1 else ''}, "
        f"{n_warnings} warning{'s' if n_warnings != 1 else ''}"
    )
