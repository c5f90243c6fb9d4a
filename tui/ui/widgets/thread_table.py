"""The table of a library's threads: title, comments, size and modification time.

A Line-API `RowList`: a row is drawn only when it is on screen, so 10,000 threads cost
what 40 do, and filtering replaces an index array, never widgets.  The library screen
shows one; the list beside a reader is a compact one (`LibraryPane`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from tui.core.library import ThreadEntry
from tui.core.outline import display_text
from tui.ui.widgets.row_list import RowList, fit, highlighted


def human_size(size: int) -> str:
    """A file size in the fewest characters a reader can still compare: 1.2 MB."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.5 or unit == "TB":
            break
    return f"{value:.1f} {unit}" if value < 9.95 else f"{value:.0f} {unit}"


def _spans_of(offsets: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of consecutive offsets as (start, end) spans."""
    spans: list[tuple[int, int]] = []
    for offset in offsets:
        if spans and spans[-1][1] == offset:
            spans[-1] = (spans[-1][0], offset + 1)
        else:
            spans.append((offset, offset + 1))
    return spans


class ThreadTable(RowList):
    """The library's threads: title, comments, size and modification time."""

    empty_text = "Looking for threads…"
    COUNT_WIDTH = 8
    SIZE_WIDTH = 7
    TIME_WIDTH = 16

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(header=True, id=id)
        self.entries: list[ThreadEntry] = []
        self.view: list[tuple[int, tuple[int, ...]]] = []
        # Comments new since the last visit, by the entry's path (only those with any).
        self.new_counts: dict[Path, int] = {}

    def set_view(self, view: list[tuple[int, tuple[int, ...]]], keep: ThreadEntry | None) -> None:
        """Show these entries (indexes with matched offsets), the cursor on `keep` if
        it is among them."""
        self.view = view
        cursor = 0
        if keep is not None:
            for row, (index, _offsets) in enumerate(view):
                if self.entries[index] is keep:
                    cursor = row
                    break
        self.set_row_count(len(view), cursor)

    @property
    def selected(self) -> ThreadEntry | None:
        if not self.view or not 0 <= self.cursor < len(self.view):
            return None
        return self.entries[self.view[self.cursor][0]]

    def _columns(self, width: int) -> tuple[int, bool, bool]:
        """The title's width, and whether the size and time columns fit."""
        show_time = width >= 70
        show_size = width >= 45
        rest = self.COUNT_WIDTH + 1
        if show_size:
            rest += self.SIZE_WIDTH + 1
        if show_time:
            rest += self.TIME_WIDTH + 1
        return max(8, width - rest - 1), show_size, show_time

    def render_header(self, width: int, base: Style) -> list[Segment]:
        title_width, show_size, show_time = self._columns(width - 1)
        text = " " + "Title".ljust(title_width) + " " + "Comments".rjust(self.COUNT_WIDTH)
        if show_size:
            text += " " + "Size".rjust(self.SIZE_WIDTH)
        if show_time:
            text += " " + "Modified".ljust(self.TIME_WIDTH)
        return [Segment(text, base)]

    def render_row(self, row: int, width: int, base: Style) -> list[Segment]:
        index, offsets = self.view[row]
        entry = self.entries[index]
        title_width, show_size, show_time = self._columns(width)
        label = display_text(entry.label)
        new = self.new_counts.get(entry.path, 0)
        badge = f"{new:,} new" if new else ""
        # The badge takes the end of the title column, so the other columns stay put.
        room = title_width - (len(badge) + 1 if badge else 0)
        shown = fit(label, max(1, room))
        muted = base + self.style_of("muted")
        title_style = base if entry.title else muted
        spans = _spans_of(o for o in offsets if o < len(shown)) if offsets else []
        if len(entry.folded) != len(entry.label):
            spans = []
        segments = highlighted(shown, spans, title_style, self.style_of("match"))
        if badge:
            segments.append(Segment(" " * max(1, room - cell_len(shown) + 1), base))
            segments.append(Segment(badge, base + self.style_of("new")))
            segments.append(Segment(" ", base))
        else:
            pad = title_width - cell_len(shown)
            segments.append(Segment(" " * (pad + 1), base))
        if entry.error is not None:
            segments.append(Segment("error".rjust(self.COUNT_WIDTH), base + self.style_of("error")))
        elif entry.comments is None:
            segments.append(Segment("…".rjust(self.COUNT_WIDTH), muted))
        else:
            segments.append(Segment(f"{entry.comments:,}".rjust(self.COUNT_WIDTH), base))
        if show_size:
            segments.append(Segment(" " + human_size(entry.size).rjust(self.SIZE_WIDTH), muted))
        if show_time:
            when = datetime.fromtimestamp(entry.mtime).strftime("%Y-%m-%d %H:%M")
            segments.append(Segment(" " + when, muted))
        return segments
