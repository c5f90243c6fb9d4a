"""Assemble text in the scraped seed format, so generated threads match real ones.

A scraped thread is the title, a blank line and the article paragraphs, then one block
per post, each block preceded by a line holding a lone NO-BREAK SPACE; the page's
"Back / Top" navigation ends the file with no final newline.  Keeping this in one place
means the bundled samples and the benchmark input cannot drift apart in format.
"""

from __future__ import annotations

from collections.abc import Iterable

SEPARATOR = "\n\u00a0\n"
CHROME = "Back\nTop"


def seed_thread(title: str, article: Iterable[str], posts: Iterable[str]) -> str:
    """The whole file as text: posts keep their own blank-line paragraph breaks."""
    head = title + "\n\n" + "\n\n".join(article)
    return SEPARATOR.join([head, *posts, CHROME])
