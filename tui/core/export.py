"""`threadread export`: a thread as plain text, Markdown or `threadread/1` JSON.

Text and Markdown are for people (a terminal, a pager, a notes file), so every piece of
scraped text goes through `tui.core.safety.visible` first and no control character reaches
the terminal.  JSON is for programs and keeps the text exactly; JSON escaping makes it
safe.  All three walk the flat comment tree in reading order, so a 10,000-deep reply
chain costs no stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from rich.cells import cell_len

from tui.core.export_spans import markdown_lines, plain_with_spans, styled
from tui.core.formats.native_json import dump_json
from tui.core.model import Comment, Span, Status, Thread, split_paragraphs
from tui.core.safety import visible

FORMATS = ("text", "markdown", "json")
UNTITLED = "(untitled)"
# Indentation and quote markers stop growing at this depth; deeper comments say their
# depth in the heading instead.  A 10,000-deep chain indented in full would be hundreds
# of megabytes, and no Markdown renderer nests blockquotes that far.
MAX_NESTING = 16

_LINE_BREAKS = re.compile(r"\s*\n\s*")
# Characters that open a Markdown block when they start a line: headings, quotes,
# lists, fences, tables, thematic breaks and setext underlines.
_BLOCK_START = re.compile(r"^( {0,3})([#>+\-*=_`~|]|\d{1,9}(?=[.)]))")
# `<` opens raw HTML (a stray `<!--` would hide the rest of the document) and `&name;`
# is an entity; both are shown as typed.
_INLINE = re.compile(r"<|&(?=#?\w+;)")


def format_posted(posted: datetime) -> str:
    """A time as a reader wants it in a heading: minutes, and the zone when known."""
    shown = (
        f"{posted.year:04d}-{posted.month:02d}-{posted.day:02d} "
        f"{posted.hour:02d}:{posted.minute:02d}"
    )
    offset = posted.utcoffset()
    if offset is None:
        return shown
    if not offset:
        return f"{shown} UTC"
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    return f"{shown} {sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", visible(text)).strip()


def _heading(comment: Comment, escape: Callable[[str], str]) -> str:
    parts = [f"#{comment.number}"]
    author = _one_line(comment.author or "")
    if author:
        parts.append(escape(author))
    if comment.posted is not None:
        parts.append(format_posted(comment.posted))
    if comment.score is not None:
        parts.append(f"{comment.score:,} point{'' if comment.score == 1 else 's'}")
    if comment.status in _STATUS_WORDS:
        parts.append(_STATUS_WORDS[comment.status])
    if comment.depth > MAX_NESTING:
        parts.append(f"depth {comment.depth}")
    return " · ".join(parts)


_STATUS_WORDS = {Status.DEAD: "dead", Status.ORPHAN: "reply to a comment not in this file"}


def _story_lines(thread: Thread, link: Callable[[str], str]) -> list[str]:
    """Where the thread came from, for site threads: its site and links."""
    lines = []
    about = [visible(part) for part in (thread.site, thread.author) if part]
    if thread.posted is not None:
        about.append(format_posted(thread.posted))
    if thread.score is not None:
        about.append(f"{thread.score:,} point{'' if thread.score == 1 else 's'}")
    if about:
        lines.append(" · ".join(_one_line(part) for part in about))
    if thread.url:
        lines.append(f"Link: {link(thread.url)}")
    if thread.permalink:
        lines.append(f"Thread: {link(thread.permalink)}")
    return lines


def _comments(thread: Thread) -> Iterator[Comment]:
    tree = thread.tree
    for number in range(1, len(tree) + 1):
        yield tree.get(number)


# -- plain text -------------------------------------------------------------------------


def _plain(text: str) -> str:
    return text


def render_text(thread: Thread) -> str:
    """Title, underline, article, then each comment indented two spaces per level."""
    title = _one_line(thread.title) or UNTITLED
    out = [title, "=" * cell_len(title), ""]
    story = _story_lines(thread, visible)
    if story:
        out.extend((*story, ""))
    if styled(thread.article_text, thread.article_spans):
        out.extend((plain_with_spans(thread.article_text, thread.article_spans), ""))
    else:
        for paragraph in thread.article:
            out.extend((visible(paragraph), ""))
    heading = f"Comments ({len(thread):,})"
    out.extend((heading, "-" * len(heading), ""))
    for comment in _comments(thread):
        indent = "  " * min(comment.depth, MAX_NESTING)
        out.append(indent + _heading(comment, _plain))
        if styled(comment.text, comment.spans):
            text = plain_with_spans(comment.text, comment.spans).strip("\n")
        else:
            text = visible(comment.text).strip("\n")
        if text.strip():
            out.extend(indent + line if line.strip() else "" for line in text.split("\n"))
        out.append("")
    return "\n".join(out)


# -- Markdown ---------------------------------------------------------------------------


def escape_inline(text: str) -> str:
    """Text that renders as typed inside a line: no HTML, no entity."""
    return _INLINE.sub(lambda m: "\\" + m.group(), text)


def escape_markdown(line: str) -> str:
    """One line of plain text that renders as typed: no block it starts, no HTML."""
    return escape_line_start(escape_inline(line))


def escape_line_start(line: str) -> str:
    """A line (already escaped inside) that starts no Markdown block."""
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    lead, marker = match.groups()
    if marker[0].isdigit():
        end = match.end()
        return line[:end] + "\\" + line[end:]
    return lead + "\\" + line[len(lead) :]


def _markdown_block(text: str, quote: str) -> Iterator[str]:
    """Paragraphs of `text`, each line escaped and prefixed with the quote markers."""
    blank = quote.rstrip()
    for index, paragraph in enumerate(split_paragraphs(visible(text))):
        if index:
            yield blank
        for line in paragraph.split("\n"):
            yield quote + escape_markdown(line.rstrip())


def _rich_markdown(text: str, spans: tuple[Span, ...], quote: str) -> Iterator[str]:
    return markdown_lines(text, spans, quote, escape_inline, escape_line_start)


def render_markdown(thread: Thread) -> str:
    """A Markdown document: the article, then one section per comment.

    Each comment's heading is `### #N · author · time` (author and time when known);
    its text is quoted once per level of depth, so top-level comments read as plain
    paragraphs and replies sit inside their parents' quotes.
    """
    title = escape_markdown(_one_line(thread.title)) or UNTITLED
    out = [f"# {title}", ""]
    story = _story_lines(thread, lambda url: f"<{visible(url)}>")
    if story:
        out.extend(f"{line}  " if i < len(story) - 1 else line for i, line in enumerate(story))
        out.append("")
    if styled(thread.article_text, thread.article_spans):
        out.extend(_rich_markdown(thread.article_text, thread.article_spans, ""))
        out.append("")
    else:
        for paragraph in thread.article:
            out.extend(_markdown_block(paragraph, ""))
            out.append("")
    out.extend((f"## Comments ({len(thread):,})", ""))
    for comment in _comments(thread):
        out.extend((f"### {_heading(comment, escape_markdown)}", ""))
        quote = "> " * min(comment.depth, MAX_NESTING)
        if styled(comment.text, comment.spans):
            body = list(_rich_markdown(comment.text, comment.spans, quote))
        else:
            body = list(_markdown_block(comment.text, quote))
        if body:
            out.extend(body)
            out.append("")
    return "\n".join(out)


# -- entry point ------------------------------------------------------------------------


def render(thread: Thread, fmt: str) -> str:
    """The thread in format `fmt` ("text", "markdown" or "json"), ending in a newline."""
    if fmt == "text":
        return render_text(thread)
    if fmt == "markdown":
        return render_markdown(thread)
    if fmt == "json":
        return dump_json(thread)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
