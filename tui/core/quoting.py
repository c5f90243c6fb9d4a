"""Quoting posts: the Markdown quote with its attribution, one post or a basket of them.

A copied quote has to keep its source attached wherever it is pasted, so every quote
ends with an attribution line naming the thread, the comment, and its author and
time when known.  The attribution is kept as data (`Attribution`), not as a line of
text: the quote basket stores the same fields and renders the same line from them,
so nothing ever has to parse an attribution back out of a formatted string.

Scraped text is hostile: a comment can carry terminal escape sequences (an OSC 52
sequence that rewrites the reader's clipboard, `ESC[2J` that clears a screen) or bidi
overrides that make pasted text read differently from what was copied.  What is
quoted goes through `tui.core.safety.for_clipboard`, which removes them, since the
paste target (a shell, an editor, a chat box) may act on them.  Putting the text on
a clipboard is I/O and belongs to the UI (`tui.ui.clipboard`).

Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from tui.core.model import Thread, split_paragraphs
from tui.core.safety import for_clipboard

__all__ = [
    "Attribution",
    "Quoted",
    "basket_markdown",
    "plain",
    "quote",
    "quote_block",
    "short_title",
]

TITLE_LIMIT = 24

_TRIM_BEFORE_ELLIPSIS = " \t,;:.-–—"


def short_title(title: str, limit: int = TITLE_LIMIT) -> str:
    """The title cut at a word boundary to at most `limit` characters, ellipsis
    included, so an attribution line stays short; unchanged when it fits."""
    title = " ".join(for_clipboard(title).split())
    if len(title) <= limit:
        return title
    room = title[: limit - 1]
    if title[limit - 1] != " " and " " in room:
        room = room.rsplit(" ", 1)[0]
    room = room.rstrip(_TRIM_BEFORE_ELLIPSIS) or title[: limit - 1]
    return room + "…"


def _post_text(thread: Thread, number: int, paragraph: int | None) -> str:
    """The raw text of post `number` (0 = article), or its `paragraph`-th paragraph."""
    if paragraph is not None and paragraph < 0:
        raise IndexError(f"no paragraph {paragraph}")
    if number == 0:
        if paragraph is None:
            return thread.article_text
        return thread.article[paragraph]
    text = thread.tree.get(number).text
    if paragraph is None:
        return text
    return split_paragraphs(text)[paragraph]


def plain(thread: Thread, number: int, paragraph: int | None = None) -> str:
    """The post's text alone, cleaned: for pasting where a quote would be noise.

    `number` 0 is the article; `paragraph` (0-based) picks one paragraph of the post.
    Raises IndexError for a post or paragraph that does not exist.
    """
    return for_clipboard(_post_text(thread, number, paragraph)).strip("\n")


def _blockquote(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a quote comes from: thread title, post `number` (0 the article), the
    quoted `paragraph` (0-based) if only one, and the comment's author and time.

    `line()` is the attribution as pasted, e.g.
    `— alice, 2024-05-01 14:03, comment #4 on "Short title"`.
    """

    title: str
    number: int
    paragraph: int | None = None
    author: str | None = None
    posted: datetime | None = None

    @classmethod
    def of(cls, thread: Thread, number: int, paragraph: int | None = None) -> Attribution:
        """The attribution of post `number` of `thread`; IndexError if there is none."""
        comment = thread.tree.get(number) if number else None
        return cls(
            title=thread.title,
            number=number,
            paragraph=paragraph,
            author=comment.author if comment is not None else None,
            posted=comment.posted if comment is not None else None,
        )

    def line(self) -> str:
        """The one-line attribution: title and author cleaned and whitespace-collapsed,
        so it never spans lines or carries control characters."""
        title = short_title(self.title)
        quoted_title = f'"{title}"' if title else ""
        if self.number == 0:
            parts = [quoted_title, "article"] if title else ["article"]
            if self.paragraph is not None:
                parts.append(f"paragraph {self.paragraph + 1}")
            return "— " + ", ".join(parts)
        parts = []
        author = " ".join(for_clipboard(self.author or "").split())
        if author:
            parts.append(author)
        if self.posted is not None:
            parts.append(self.posted.strftime("%Y-%m-%d %H:%M"))
        where = f"comment #{self.number}"
        if self.paragraph is not None:
            where += f", paragraph {self.paragraph + 1}"
        if quoted_title:
            where += f" on {quoted_title}"
        parts.append(where)
        return "— " + ", ".join(parts)


class Quoted(Protocol):
    """Anything with quoted `text` and its `source` (a basket entry, for one)."""

    @property
    def text(self) -> str: ...

    @property
    def source(self) -> Attribution: ...


def quote_block(text: str, source: Attribution) -> str:
    """`text` as a Markdown blockquote followed by a blank line and the attribution."""
    body = _blockquote(for_clipboard(text).strip("\n"))
    return f"{body}\n\n{source.line()}"


def quote(thread: Thread, number: int, paragraph: int | None = None) -> str:
    """The post as a Markdown blockquote followed by an attribution line, ready to
    paste into a reply or notes with its source still attached.

    `number` 0 quotes the article, whole or (with `paragraph`, 0-based) one
    paragraph.  Raises IndexError for a post or paragraph that does not exist.
    """
    return quote_block(plain(thread, number, paragraph), Attribution.of(thread, number, paragraph))


def basket_markdown(quotes: Iterable[Quoted]) -> str:
    """Several quotes as one Markdown document: each a blockquote followed by its
    attribution line, quotes separated by blank lines, so it pastes into notes or a
    reply with every source attached.  Empty for no quotes."""
    parts = [quote_block(item.text, item.source) for item in quotes]
    return "\n\n".join(parts) + "\n" if parts else ""
