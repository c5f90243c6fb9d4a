"""threadread: a terminal reader for discussion threads scraped into text files."""

__version__ = "0.1.0"
