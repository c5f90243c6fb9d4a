"""Titles for threads whose site has none: a post's first line.

Discourse's `posts.json`, Mastodon and Bluesky posts carry no title, yet the library
lists threads by title and quotes are attributed to one; the first line of the opening
post is what a person would call the thread.
"""

from __future__ import annotations

# A title longer than this is cut, with an ellipsis: it names a thread in one row.
TITLE_CHARS = 100


def first_line(text: str, limit: int = TITLE_CHARS) -> str:
    """The first non-empty line of `text`, its whitespace collapsed, at most `limit`
    characters long."""
    line = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line
