"""feedpub: publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 from YAML front-matter seed records;
validate feeds offline."""

__version__ = "0.1.0"
