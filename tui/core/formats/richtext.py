"""Posts written in HTML or Markdown, rendered to plain text plus style spans.

Every site stores a post's markup its own way (Hacker News: HTML fragments with bare
`<p>` separators; Reddit: Markdown and escaped HTML; Lobsters and Discourse: HTML).
The rest of threadread works on plain text -- search, grep, export and quotes must
find a word whatever markup surrounded it -- so each post is rendered once into
`(text, spans)`: the text a reader sees, and `tui.core.model.Span`s saying which
stretches are emphasis, code, quotes, links...

HTML is read with the standard library's `html.parser` (entities decoded, unknown tags
ignored, never evaluated), not with regular expressions, which cannot follow nesting.
Markdown goes through markdown-it-py (installed with Textual), CommonMark with tables
and strikethrough, with raw HTML turned off so that a `<script>` in a post stays text;
its HTML output is then read as above, so both paths share one set of rules:

* blocks (paragraphs, list items, headings, quotes, code blocks) are separated by a
  blank line; `<br>` is a line break; other whitespace collapses to one space;
* `<pre>` keeps its text exactly, as a "code_block" span (never re-wrapped);
* `<blockquote>`, and with `gt_quotes` a paragraph starting with `>` (how Hacker News
  users quote), is a "quote" span;
* list items start on their own line with `• ` or `N. `, indented two spaces a level;
* `<a href>` is a "link" span when its target is http, https or mailto (relative
  targets are resolved against `base` first); any other target is dropped and its
  text kept as plain text;
* bare http(s) URLs in text outside links and code become links too (`linkify`),
  as they do in the seed's plain-text format.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from tui.core.model import Span

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "table",
        "details",
        "summary",
        "dl",
        "dt",
        "dd",
        "tr",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_INLINE_ROLES = {
    "i": "emphasis",
    "em": "emphasis",
    "cite": "emphasis",
    "b": "strong",
    "strong": "strong",
    "code": "code",
    "kbd": "code",
    "tt": "code",
    "samp": "code",
    "s": "strike",
    "strike": "strike",
    "del": "strike",
}
_SKIPPED = frozenset({"script", "style", "template", "head", "title", "noscript"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "area", "col", "source"})
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
_URL = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"'`]+", re.IGNORECASE)
_MAILTO = re.compile("mailto:", re.IGNORECASE)
_URL_TRAIL = ".,;:!?'\"*_"
_CLOSERS = {")": "(", "]": "["}


def safe_href(href: str | None, base: str | None = None) -> str | None:
    """`href` when it is an http, https or mailto URL (after resolving it against
    `base`), else None: a `javascript:` or `file:` link must never become clickable."""
    if not href:
        return None
    href = _CONTROL.sub("", href)
    if not href:
        return None
    if base is not None:
        try:
            href = urljoin(base, href)
        except ValueError:
            return None
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in SAFE_SCHEMES else None


def _url_end(text: str, start: int, end: int) -> int:
    """Where a bare URL found at text[start:end] really ends: without trailing
    punctuation, and without a closing bracket it does not open."""
    while end > start:
        char = text[end - 1]
        opener = _CLOSERS.get(char)
        unbalanced = opener is not None and text.count(opener, start, end) < text.count(
            char, start, end
        )
        if char in _URL_TRAIL or unbalanced:
            end -= 1
        else:
            break
    return end


def linkify(text: str, offset: int = 0) -> list[Span]:
    """Link spans for the bare URLs in plain text (positions shifted by `offset`)."""
    if "://" not in text and (":" not in text or _MAILTO.search(text) is None):
        return []
    spans: list[Span] = []
    for match in _URL.finditer(text):
        start = match.start()
        end = _url_end(text, start, match.end())
        url = text[start:end]
        if len(url) > len("https://") and safe_href(url) == url:
            spans.append(Span(start + offset, end + offset, "link", url))
    return spans


def plain_spans(text: str) -> tuple[Span, ...]:
    """The spans of a post that has no markup: its bare URLs as links."""
    return tuple(linkify(text))


class _Renderer(HTMLParser):
    """Builds (text, spans) from HTML events.  Separators (a space, a line break, a
    blank line) are held back until more text comes, so none dangles at the end and
    no span starts on one."""

    def __init__(self, base: str | None, gt_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.gt_quotes = gt_quotes
        self.out: list[str] = []
        self.pos = 0
        self.breaks = 0  # newlines owed before the next text
        self.space = False  # a space owed before the next text
        self.spans: list[Span] = []
        # Open spans: [tag, role, href, start or -1 until text arrives]
        self.open: list[list] = []  # type: ignore[type-arg]
        self.pre = 0
        self.skip = 0
        self.link_depth = 0
        self.lists: list[list[int]] = []  # per open list: [ordered, next number]
        self.block_starts: list[int] = []  # where each paragraph began (for `>` quotes)
        self.cells = 0

    # -- output --------------------------------------------------------------------

    def _block(self, newlines: int = 2) -> None:
        if self.pos:
            if self.lists:
                newlines = 1
            self.breaks = max(self.breaks, newlines)
        self.space = False

    def _emit(self, chunk: str) -> None:
        if not chunk:
            return
        if self.pos:
            if self.breaks:
                self.out.append("\n" * self.breaks)
                self.pos += self.breaks
                if self.breaks == 2 or not self.block_starts:
                    self.block_starts.append(self.pos)
            elif self.space:
                self.out.append(" ")
                self.pos += 1
        else:
            self.block_starts.append(0)
        self.breaks = 0
        self.space = False
        for entry in self.open:
            if entry[3] < 0:
                entry[3] = self.pos
        self.out.append(chunk)
        self.pos += len(chunk)

    def _text(self, data: str) -> None:
        """Inline text: whitespace collapsed, bare URLs made links."""
        if not data:
            return
        collapsed = _WHITESPACE.sub(" ", data)
        if collapsed.startswith(" "):
            if self.pos and not self.breaks:
                self.space = True
            collapsed = collapsed[1:]
        trailing = collapsed.endswith(" ")
        collapsed = collapsed.rstrip(" ")
        if collapsed:
            self._emit(collapsed)
            if not self.link_depth and not self._in_code():
                self.spans.extend(linkify(collapsed, self.pos - len(collapsed)))
        if trailing:
            self.space = True

    def _in_code(self) -> bool:
        return any(entry[1] in ("code", "code_block") for entry in self.open)

    def _push(self, tag: str, role: str, href: str | None = None) -> None:
        self.open.append([tag, role, href, -1])

    def _pop(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                # Close what was left open inside it too (HTML in the wild is sloppy).
                for entry in reversed(self.open[index:]):
                    self._close(entry)
                del self.open[index:]
                return

    def _close(self, entry: list) -> None:
        _tag, role, href, start = entry
        if start < 0 or start >= self.pos:
            return
        if role == "link":
            self.link_depth -= 1
            if href is None:
                return
        self.spans.append(Span(start, self.pos, role, href))

    # -- parser events ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "br":
            if self.pos:
                self.breaks = min(2, self.breaks + 1)
            self.space = False
            return
        if tag == "hr":
            self._block()
            self._emit("───")
            self._block()
            return
        if tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._text(alt)
            return
        if tag in ("td", "th"):
            if self.cells and self.pos:
                self.space = False
                self._emit(" | ")
            self.cells += 1
            if tag == "th":
                self._push(tag, "strong")
            return
        if tag == "tr":
            self.cells = 0
            self._block(1)
            return
        if tag in _BLOCK_TAGS:
            self._block()
            return
        if tag in _HEADINGS:
            self._block()
            self._push(tag, "heading")
            return
        if tag == "blockquote":
            self._block()
            self._push(tag, "quote")
            return
        if tag == "pre":
            self._block()
            self._push(tag, "code_block")
            self.pre += 1
            return
        if tag in ("ul", "ol"):
            if not self.lists:
                self._block()
            start = 1
            if tag == "ol":
                try:
                    start = int(dict(attrs).get("start") or 1)
                except ValueError:
                    start = 1
            self.lists.append([tag == "ol", start])
            return
        if tag == "li":
            if self.pos:
                self.breaks = max(self.breaks, 1)
            indent = "  " * max(0, len(self.lists) - 1)
            if self.lists and self.lists[-1][0]:
                marker = f"{self.lists[-1][1]}. "
                self.lists[-1][1] += 1
            else:
                marker = "• "
            self._emit(indent + marker)
            return
        if tag == "a":
            self.link_depth += 1
            self._push(tag, "link", safe_href(dict(attrs).get("href"), self.base))
            return
        role = _INLINE_ROLES.get(tag)
        if role is not None and not (role == "code" and self.pre):
            self._push(tag, role)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip or tag in _VOID:
            return
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            if not self.lists:
                self._block()
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._drop_newlines()
            self._pop(tag)
            self._block()
            return
        if tag in _HEADINGS or tag == "blockquote":
            self._pop(tag)
            self._block()
            return
        if tag in _BLOCK_TAGS:
            self._block(1 if tag == "tr" else 2)
            return
        if tag in ("td", "th"):
            if tag == "th":
                self._pop(tag)
            return
        if tag == "li":
            return
        if tag == "a" or tag in _INLINE_ROLES:
            self._pop(tag)

    def _drop_newlines(self) -> None:
        """Drop the newlines a `<pre>` ends with: the block's end is the separator."""
        while self.out and self.out[-1].endswith("\n"):
            last = self.out.pop()
            kept = last.rstrip("\n")
            self.pos -= len(last) - len(kept)
            if kept:
                self.out.append(kept)
                break

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            data = data.replace("\r\n", "\n")
            if not self.pos_in_pre_started():
                data = data.lstrip("\n")
            self._emit(data)
            return
        self._text(data)

    def pos_in_pre_started(self) -> bool:
        for entry in self.open:
            if entry[1] == "code_block":
                return entry[3] >= 0
        return True

    # -- result ------------------------------------------------------------------------

    def result(self) -> tuple[str, tuple[Span, ...]]:
        self.close()
        for entry in reversed(self.open):
            self._close(entry)
        self.open.clear()
        text = "".join(self.out)
        # A code block's last newline is the `</pre>`'s, not the code's.
        spans = self.spans
        stripped = text.rstrip()
        if len(stripped) < len(text):
            text = stripped
            spans = [
                Span(s.start, min(s.end, len(text)), s.role, s.href)
                for s in spans
                if s.start < len(text)
            ]
        spans = self._trim_code_blocks(text, spans)
        if self.gt_quotes:
            spans.extend(_gt_quotes(text, self.block_starts))
        spans.sort(key=lambda s: (s.start, -s.end))
        return text, tuple(spans)

    @staticmethod
    def _trim_code_blocks(text: str, spans: list[Span]) -> list[Span]:
        out = []
        for span in spans:
            if span.role == "code_block":
                end = span.end
                while end > span.start and text[end - 1] == "\n":
                    end -= 1
                span = Span(span.start, end, span.role, None)
            out.append(span)
        return out


def _gt_quotes(text: str, starts: list[int]) -> list[Span]:
    """Quote spans for the paragraphs that start with `>` (Hacker News' convention)."""
    spans = []
    for start in starts:
        if text.startswith(">", start):
            end = text.find("\n\n", start)
            spans.append(Span(start, len(text) if end < 0 else end, "quote"))
    return spans


def html_to_rich(
    html: str, *, base: str | None = None, gt_quotes: bool = False
) -> tuple[str, tuple[Span, ...]]:
    """Render an HTML fragment to (plain text, spans); see the module docstring."""
    if "<" not in html and "&" not in html:
        # Plain text with no markup at all: only whitespace collapses.
        renderer = _Renderer(base, gt_quotes)
        renderer._text(html)
        return renderer.result()
    renderer = _Renderer(base, gt_quotes)
    renderer.feed(html)
    return renderer.result()


@lru_cache(maxsize=1)
def _markdown():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_to_html(markdown: str) -> str:
    """Markdown rendered to HTML by markdown-it-py, raw HTML left as text."""
    return _markdown().render(markdown)


def markdown_to_rich(markdown: str, *, base: str | None = None) -> tuple[str, tuple[Span, ...]]:
    """Render Markdown to (plain text, spans); see the module docstring."""
    return html_to_rich(markdown_to_html(markdown), base=base)
