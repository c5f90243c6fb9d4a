"""A post's style spans in exported text and Markdown.

The text a thread holds is plain (see `tui.core.model`); its spans say where the links,
code and quotes were.  An export for people should keep what matters of them:

* plain text: a link whose text is not its address is followed by ` <address>`, and
  each line of a quote starts with `> ` (unless it already starts with `>`, as Hacker
  News quotes do);
* Markdown: links become `[text](address)` (http, https and mailto only: that is all a
  span can hold), inline code `` `code` ``, code blocks fenced blocks, quotes `> `
  lines.  Everything else is escaped as before, so it renders as typed.

Every stretch of text still goes through `tui.core.safety.visible`.  Emphasis, strong
and headings are left plain: the words are what a reader searches and quotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from tui.core.model import Span
from tui.core.safety import visible

_BACKTICKS = re.compile(r"`+")
_INLINE_ROLES = frozenset({"link", "code"})


def _line_starts(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets of the starts of the lines that text[start:end] touches."""
    line = text.rfind("\n", 0, start) + 1
    while line < end or line == start:
        yield line
        nxt = text.find("\n", line)
        if nxt < 0:
            return
        line = nxt + 1


def _quoted_lines(text: str, spans: tuple[Span, ...]) -> set[int]:
    starts: set[int] = set()
    for span in spans:
        if span.role == "quote":
            starts.update(_line_starts(text, span.start, span.end))
    return starts


def styled(text: str, spans: tuple[Span, ...]) -> bool:
    """Whether the spans change an export: anything but links that show their own
    address (the bare URLs of plain text, left as typed so old exports stay as
    they were)."""
    return any(span.role != "link" or text[span.start : span.end] != span.href for span in spans)


def plain_with_spans(text: str, spans: tuple[Span, ...]) -> str:
    """`text` for a plain-text export: link targets shown, quote lines marked, and
    every control character made visible."""
    if not spans:
        return visible(text)
    inserts: list[tuple[int, int, str]] = []
    for span in spans:
        if span.role == "link" and span.href:
            shown = text[span.start : span.end]
            if shown not in (span.href, span.href.removeprefix("mailto:")):
                inserts.append((span.end, 1, f" <{span.href}>"))
    for line in _quoted_lines(text, spans):
        if not text.startswith(">", line):
            inserts.append((line, 0, "> "))
    if not inserts:
        return visible(text)
    inserts.sort()
    out: list[str] = []
    at = 0
    for position, _order, extra in inserts:
        out.append(visible(text[at:position]))
        out.append(visible(extra))
        at = position
    out.append(visible(text[at:]))
    return "".join(out)


def _code(text: str) -> str:
    """Inline code that holds any backticks it contains."""
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _href(href: str) -> str:
    """A link target as Markdown reads it whatever characters it holds."""
    if any(c in href for c in " ()<>"):
        return "<" + href.replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def _inline_spans(text: str, spans: tuple[Span, ...], start: int, end: int) -> list[Span]:
    """The outermost link and code spans inside [start, end), in order; a link that
    shows its own address stays plain text."""
    chosen: list[Span] = []
    reach = start
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.role not in _INLINE_ROLES or span.start < reach or span.end > end:
            continue
        if span.role == "link" and (not span.href or span.href == text[span.start : span.end]):
            continue
        chosen.append(span)
        reach = span.end
    return chosen


def markdown_lines(
    text: str,
    spans: tuple[Span, ...],
    quote: str,
    escape_inline: Callable[[str], str],
    escape_line_start: Callable[[str], str],
) -> Iterator[str]:
    """Lines of Markdown for a post, each prefixed with `quote` (its depth's markers).

    Paragraphs are separated by a line holding only the markers, as before; a code
    block is fenced; links and inline code keep their meaning.
    """
    blank = quote.rstrip()
    blocks = sorted((s for s in spans if s.role == "code_block"), key=lambda s: s.start)
    quoted = _quoted_lines(text, spans)
    at = 0
    first = True
    pieces: list[tuple[str, int, int]] = []
    for block in blocks:
        if block.start < at:
            continue
        pieces.append(("text", at, block.start))
        pieces.append(("code", block.start, block.end))
        at = block.end
    pieces.append(("text", at, len(text)))
    for kind, start, end in pieces:
        if kind == "code":
            body = visible(text[start:end])
            longest = max((len(m.group()) for m in re.finditer(r"`{3,}", body)), default=2)
            fence = "`" * (longest + 1)
            if not first:
                yield blank
            first = False
            yield quote + fence
            for line in body.split("\n"):
                yield (quote + line).rstrip() if not line.strip() else quote + line
            yield quote + fence
            continue
        inline = _inline_spans(text, spans, start, end)
        paragraph_open = False
        line_start = start
        while line_start <= end:
            line_end = text.find("\n", line_start, end)
            if line_end < 0:
                line_end = end
            raw = text[line_start:line_end]
            if not raw.strip():
                paragraph_open = False
            else:
                if not paragraph_open and not first:
                    yield blank
                paragraph_open = True
                first = False
                yield quote + _markdown_line(
                    text,
                    line_start,
                    line_end,
                    inline,
                    line_start in quoted,
                    escape_inline,
                    escape_line_start,
                )
            if line_end >= end:
                break
            line_start = line_end + 1


def _markdown_line(
    text: str,
    start: int,
    end: int,
    inline: list[Span],
    quoted: bool,
    escape_inline: Callable[[str], str],
    escape_line_start: Callable[[str], str],
) -> str:
    prefix = ""
    if quoted:
        prefix = "> "
        if text.startswith(">", start):
            start += 1
            if text.startswith(" ", start):
                start += 1
    out: list[str] = []
    at = start
    plain_first = True
    for span in inline:
        if span.end <= start or span.start >= end:
            continue
        s, e = max(span.start, start), min(span.end, end)
        if s > at:
            out.append(escape_inline(visible(text[at:s])))
        elif not out:
            plain_first = False
        shown = visible(text[s:e])
        if span.role == "code":
            out.append(_code(shown))
        else:
            label = escape_inline(shown).replace("[", "\\[").replace("]", "\\]")
            out.append(f"[{label}]({_href(visible(span.href or ''))})")
        at = e
    if at < end:
        out.append(escape_inline(visible(text[at:end].rstrip())))
    line = "".join(out).rstrip()
    if plain_first:
        line = escape_line_start(line)
    return prefix + line
