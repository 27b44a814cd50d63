"""The `feedpub validate` click command."""

from __future__ import annotations

import click


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@click.option("--base", default=None, help="URL the document is served from.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--strict", is_flag=True, help="Treat warnings as failures.")
@click.option("--max-bytes", type=int, default=10 * 2**20, show_default=True)
def validate_command(
    paths: tuple[str, ...], base: str | None, fmt: str, strict: bool, max_bytes: int
) -> None:
    """Validate RSS 2.0, Atom 1.0 and JSON Feed files (stub)."""
    raise SystemExit(0)
