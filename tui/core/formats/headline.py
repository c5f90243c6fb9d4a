"""Titles for threads whose site has none: a post's first line.

Discourse's `posts.json`, Mastodon and Bluesky posts carry no title, yet the library
lists threads by title and quotes are attributed to one; the first line of the opening
post is what a person would call the thread.
"""

from __future__ import annotations

import json
import re

# A title longer than this is cut, with an ellipsis: it names a thread in one row.
TITLE_CHARS = 100


def first_line(text: str, limit: int = TITLE_CHARS) -> str:
    """The first non-empty line of `text`, its whitespace collapsed, at most `limit`
    characters long."""
    line = next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return line


def json_string(head: str, key: str) -> str | None:
    """The first string value of member `key` in a JSON document's first bytes, for
    titles read before the whole file is; None when there is none yet."""
    match = re.search(rf'"{re.escape(key)}"\s*:\s*("(?:[^"\\]|\\.)*")', head)
    if match is None:
        return None
    try:
        value = json.loads(match.group(1))
    except ValueError:
        return None
    return value if isinstance(value, str) else None
