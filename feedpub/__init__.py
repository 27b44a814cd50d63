"""feedpub: publish RSS 2.0 / Atom 1.0 feeds from YAML front-matter seed records."""

__version__ = "0.1.0"
