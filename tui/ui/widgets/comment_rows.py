"""How one row of the comment list looks: the focus bar and guides, the header, the text.

A mixin of `CommentList`: the list decides which item and row sit on a line of the
screen (its `RowIndex`), these methods draw it.  Untrusted text is shown through
`display_text` and Segments, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.model import Status
from tui.core.outline import display_text
from tui.ui.widgets.text_rows import styled_row

if TYPE_CHECKING:
    from tui.ui.widgets.comment_list import CommentList

    _Base = CommentList
else:
    _Base = object

MAX_INDENT_LEVELS = 12
FOLD_OPEN = "▾"
FOLD_CLOSED = "▸"
LEAF = "•"
BOOKMARK = "★"

#: Header marks for rows that are not ordinary posts (a deleted row or a stub for
#: replies not in the file says so in its text).
STATUS_LABELS = {Status.DEAD: "dead", Status.ORPHAN: "orphan: parent not in this file"}


class CommentRows(_Base):
    """Drawing the rows of one comment item."""

    def _prefix(self, number: int, base: Style, focused: bool) -> list[Segment]:
        depth = min(self._depth(number), MAX_INDENT_LEVELS)
        bar = Segment("▌ " if focused else "  ", self._style("bar", focused))
        if not depth:
            return [bar]
        return [bar, Segment("│ " * depth, self._style("guide", focused))]

    def _render_item_row(
        self, number: int, offset: int, width: int, base: Style
    ) -> tuple[Strip, int]:
        """One row of an item, and how many characters its bar and guides take."""
        focused = number == self.focused
        base = self._style(None, focused)
        if offset == 0:
            prefix = self._prefix(number, base, focused)
            segments = prefix + self._header(number, focused)
        else:
            layout = self._layout(number)
            line = offset - 1
            prefix = self._prefix(number, base, focused)
            if line >= len(layout.rows):
                segments = prefix if focused else []
            else:
                start, end = layout.rows[line]
                current = None
                if self._current_hit is not None and self._current_hit[0] == number:
                    current = self._current_hit[1:]
                segments = prefix + styled_row(
                    layout.text,
                    start,
                    end,
                    base,
                    hits=self._hits.get(number, ()),
                    current=current,
                    match_style=self._style("match", focused),
                    current_style=self._style("match-current", focused),
                    control_style=self._style("control", focused),
                )
        width_of_prefix = sum(len(segment.text) for segment in prefix)
        return Strip(segments).adjust_cell_length(width, base), width_of_prefix

    def _header(self, number: int, focused: bool = False) -> list[Segment]:
        comment = self.posts.get(number)
        folded = number in self.folded
        replies = self.posts.descendants(number)
        marker = FOLD_CLOSED if folded else (FOLD_OPEN if replies else LEAF)
        base = self._style(None, focused)
        meta = self._style("meta", focused)
        segments = [
            Segment(f"{marker} ", self._style("marker", focused)),
            Segment(f"#{number}", self._style("number", focused)),
        ]
        if number in self.bookmarks:
            segments.append(Segment(" ", base))
            segments.append(Segment(BOOKMARK, self._style("bookmark", focused)))
        if number in self.new:
            segments.append(Segment(" ", base))
            segments.append(Segment(" new ", self._style("new", focused)))
        if comment.author:
            segments.append(Segment("  ", base))
            segments.append(Segment(display_text(comment.author), self._style("author", focused)))
        if comment.posted is not None:
            segments.append(Segment(f" · {comment.posted:%Y-%m-%d %H:%M}", meta))
        if comment.score is not None:
            points = f"{comment.score:,} point{'' if comment.score == 1 else 's'}"
            segments.append(Segment(f" · {points}", meta))
        if comment.status in STATUS_LABELS:
            segments.append(Segment(f" · {STATUS_LABELS[comment.status]}", meta))
        if folded:
            first = " ".join(comment.text.split()[:12])
            if first:
                segments.append(Segment("  " + display_text(first), base))
            extra = f"+{replies} repl{'y' if replies == 1 else 'ies'}, " if replies else ""
            words = comment.words
            segments.append(Segment(f"  ({extra}{words} word{'' if words == 1 else 's'})", meta))
        elif replies:
            segments.append(Segment(f"  {replies} repl{'y' if replies == 1 else 'ies'}", meta))
        if comment.depth > MAX_INDENT_LEVELS:
            segments.append(Segment(f"  depth {comment.depth}", meta))
        return segments
