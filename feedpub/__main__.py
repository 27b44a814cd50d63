"""``python -m feedpub`` runs the CLI (used by tests that start real processes)."""

from feedpub.cli import main

main()
