"""The article pane: title, a line of facts, and the article's paragraphs.

A Line-API view like the comment list, so both share wrapping, control-character
display and search highlighting, and so the pane knows which paragraph is on screen
(that is what `y` copies here).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from tui.core.model import Thread, count_words
from tui.core.outline import display_text, wrap_offsets
from tui.settings.themes import role_css
from tui.ui.keys import bindings
from tui.ui.widgets.text_rows import selected_text, styled_row, stylize_range


@dataclass(slots=True)
class _Row:
    kind: str  # "title" | "facts" | "blank" | "text"
    start: int = 0
    end: int = 0


class ArticleView(ScrollView, can_focus=True):
    """Scrollable article with search highlights."""

    DEFAULT_CSS = (
        """
    ArticleView {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    ArticleView > .article-view--title { color: $foreground; text-style: bold; }
    """
        # Colours are the theme's reader roles (tui/themes.py, themes/dark.toml).
        + role_css(
            "ArticleView",
            {
                "article-view--facts": "meta",
                "article-view--match": "match",
                "article-view--match-current": "current-match",
                "article-view--control": "control",
            },
        )
    )

    COMPONENT_CLASSES = {  # noqa: RUF012 (Textual reads this class attribute)
        "article-view--title",
        "article-view--facts",
        "article-view--match",
        "article-view--match-current",
        "article-view--control",
    }

    BINDINGS = bindings("article")

    def __init__(
        self,
        thread: Thread,
        *,
        max_width: int = 100,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.thread = thread
        self.max_width = max_width
        self.text = display_text(thread.article_text)
        self.title_text = display_text(thread.title or "(untitled thread)")
        self.repairs: int | None = None
        self._rows: list[_Row] = []
        self._facts = ""
        self._width = 0
        self._hits: list[tuple[int, int]] = []
        self._current: tuple[int, int] | None = None
        self._styles: dict[str, Style] = {}
        self._frame_style: Style | None = None

    def facts(self) -> str:
        """The line under the title: comments, words, repairs."""
        count = len(self.thread.tree)
        words = count_words(self.thread.article_text)
        parts = [
            f"{count:,}+ comments so far, reading the file…"
            if self.thread.partial
            else f"{count:,} comment{'s' if count != 1 else ''}",
            f"{words:,} words in the article",
        ]
        if not self.thread.repair:
            parts.append("shown as written (no repair)")
        elif self.repairs is None:
            parts.append("counting repairs…")
        elif self.repairs:
            parts.append(
                f"{self.repairs:,} garbled sequence{'s' if self.repairs != 1 else ''} repaired"
            )
        else:
            parts.append("no garbled text")
        if self.thread.encoding != "utf-8":
            parts.append(f"read as {self.thread.encoding}")
        return " · ".join(parts)

    def set_repairs(self, count: int) -> None:
        self.repairs = count
        if self.is_mounted:
            self._relayout()
        self.refresh()

    # -- layout -----------------------------------------------------------------------

    def _relayout(self) -> None:
        width = max(10, min(self.max_width, self.scrollable_content_region.width - 2))
        self._width = width
        rows = [_Row("title", s, e) for s, e in wrap_offsets(self.title_text, width)]
        self._facts = self.facts()
        rows.extend(_Row("facts", s, e) for s, e in wrap_offsets(self._facts, width))
        if self.text:
            rows.append(_Row("blank"))
            rows.extend(_Row("text", s, e) for s, e in wrap_offsets(self.text, width))
        self._rows = rows
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))

    def on_mount(self) -> None:
        # The width is known only from the first resize; a layout at width 0 would
        # draw the title wrapped at ten columns for one frame.
        if self.scrollable_content_region.width:
            self._relayout()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        """A part's full style, translucent theme colours blended as the theme means."""
        style = self._styles.get(name)
        if style is None:
            style = self.get_visual_style(f"article-view--{name}").rich_style
            self._styles[name] = style
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        # One style lookup a frame, not one a line: `rich_style` walks up the DOM.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._frame_style if self._frame_style is not None else self.rich_style
        row_index = int(self.scroll_y) + y
        if row_index >= len(self._rows):
            return Strip.blank(width, base)
        row = self._rows[row_index]
        pad = Segment(" ", base)
        if row.kind == "title":
            segments = [
                pad,
                Segment(self.title_text[row.start : row.end], self._style("title")),
            ]
        elif row.kind == "facts":
            segments = [pad, Segment(self._facts[row.start : row.end], self._style("facts"))]
        elif row.kind == "text":
            segments = [
                pad,
                *styled_row(
                    self.text,
                    row.start,
                    row.end,
                    base,
                    hits=self._hits,
                    current=self._current,
                    match_style=self._style("match"),
                    current_style=self._style("match-current"),
                    control_style=self._style("control"),
                ),
            ]
        else:
            segments = []
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(row_index)) is not None:
            start, end = span
            segments = stylize_range(
                segments,
                1 + max(0, start),
                -1 if end == -1 else 1 + end,
                self.screen.get_component_rich_style("screen--selection"),
            )
        strip = Strip(segments).adjust_cell_length(width, base)
        return strip.apply_offsets(-1, row_index)

    def _row_text(self, row: _Row) -> str:
        if row.kind == "title":
            return self.title_text[row.start : row.end]
        if row.kind == "facts":
            return self._facts[row.start : row.end]
        if row.kind == "text":
            return self.text[row.start : row.end]
        return ""

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under a mouse selection."""
        if not self._rows:
            return None
        first = selection.start.y if selection.start is not None else 0
        last = selection.end.y if selection.end is not None else len(self._rows) - 1
        last = min(last, len(self._rows) - 1)
        rows = [self._row_text(self._rows[i]) for i in range(first, last + 1)]
        spans = [selection.get_span(i) for i in range(first, last + 1)]
        return selected_text(rows, spans), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    # -- search and copying ------------------------------------------------------------

    def set_highlights(self, hits: list[tuple[int, int]], current: tuple[int, int] | None) -> None:
        self._hits = hits
        self._current = current
        self.refresh()

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so the text at character `offset` of the article is in view."""
        for i, row in enumerate(self._rows):
            if row.kind == "text" and row.start <= offset <= row.end:
                view = max(1, self.scrollable_content_region.height)
                top = int(self.scroll_y)
                if not top <= i < top + view:
                    self.scroll_to(y=max(0, i - view // 3), animate=False, immediate=True)
                return

    def paragraph_in_view(self) -> int | None:
        """Index of the first paragraph with a line on screen (None without text)."""
        if not self.thread.article:
            return None
        top = int(self.scroll_y)
        for row in self._rows[top:]:
            if row.kind == "text" and row.end > row.start:
                return self.thread.article_text.count("\n\n", 0, row.start)
        return len(self.thread.article) - 1

    def replace_thread(self, thread: Thread) -> None:
        """Show a new reading of the thread (its file changed), keeping the scroll
        position; highlights go until the search runs again."""
        self.thread = thread
        self.text = display_text(thread.article_text)
        self.title_text = display_text(thread.title or "(untitled thread)")
        self.repairs = None
        self._hits = []
        self._current = None
        top = self.scroll_y
        if self.is_mounted and self.scrollable_content_region.width:
            self._relayout()
        self.scroll_to(y=top, animate=False, immediate=True)
        self.refresh()
