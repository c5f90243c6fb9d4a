"""The comment list: every comment of a thread in one Line-API widget.

One widget, not one per comment: mounting a widget per comment takes seconds at a
thousand comments and minutes at ten thousand.  Here each comment is an *item* whose
height in rows lives in a `RowIndex`; only the items on screen are decoded, wrapped and
rendered, and folding changes heights, never the widget tree.

An unfolded item is a header row, its wrapped text and a blank row; a folded item is
its header alone (with the first words and what is hidden); an item below a folded
ancestor has height 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from tui.core.model import Comment, Thread
from tui.core.outline import RowIndex, display_text, wrap_offsets
from tui.settings.themes import role_css
from tui.ui.keys import bindings
from tui.ui.widgets.comment_keys import CommentKeys
from tui.ui.widgets.comment_rows import MAX_INDENT_LEVELS, CommentRows
from tui.ui.widgets.text_rows import selected_text, stylize_range

INDENT = 2
MIN_TEXT_WIDTH = 20
LAYOUT_CACHE_SIZE = 512
# Rendered rows kept, by (comment, row within it).
STRIP_CACHE_SIZE = 4096


@dataclass(slots=True)
class ItemLayout:
    """A comment wrapped for one text width."""

    width: int
    text: str
    rows: list[tuple[int, int]]


class CommentList(CommentKeys, CommentRows, ScrollView, can_focus=True):
    """Scrollable, foldable list of a thread's comments with a focused comment."""

    DEFAULT_CSS = (
        """
    CommentList {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    /* The bar is the meta colour while the other pane has the keys. */
    CommentList > .comment-list--bar {
        color: $reader-meta;
        background: $reader-bar-background;
        text-style: $reader-meta-style;
    }
    CommentList:focus > .comment-list--bar {
        color: $reader-bar;
        text-style: $reader-bar-style;
    }
    CommentList > .comment-list--empty { color: $reader-meta; text-style: italic; }
    """
        # Colours are the theme's reader roles (tui/themes.py, themes/dark.toml).
        + role_css(
            "CommentList",
            {
                "comment-list--focused": "focused",
                "comment-list--number": "number",
                "comment-list--author": "author",
                "comment-list--meta": "meta",
                "comment-list--marker": "meta",
                "comment-list--guide": "guide",
                "comment-list--match": "match",
                "comment-list--match-current": "current-match",
                "comment-list--control": "control",
                "comment-list--new": "new",
                "comment-list--bookmark": "bookmark",
            },
        )
    )

    COMPONENT_CLASSES = {  # noqa: RUF012 (Textual reads this class attribute)
        "comment-list--number",
        "comment-list--author",
        "comment-list--meta",
        "comment-list--marker",
        "comment-list--guide",
        "comment-list--focused",
        "comment-list--bar",
        "comment-list--match",
        "comment-list--match-current",
        "comment-list--control",
        "comment-list--new",
        "comment-list--bookmark",
        "comment-list--empty",
    }

    BINDINGS = bindings("comments")

    class Focused(Message):
        """The focused comment changed (number 0 when the thread has none)."""

        def __init__(self, number: int) -> None:
            self.number = number
            super().__init__()

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
        self.posts = thread.tree
        self.count = len(thread.tree)
        self.max_width = max_width
        self.folded: set[int] = set()
        self._focused = 1 if self.count else 0
        self._text_width = 0
        self._estimate = 4
        self._measured = bytearray(self.count + 1)
        self._row_index: RowIndex | None = None
        # Where scroll_to_focus last scrolled to; a scroll elsewhere is the user's.
        self._scroll_target: int | None = None
        self._layouts: LRUCache[int, ItemLayout] = LRUCache(LAYOUT_CACHE_SIZE)
        self._strips: LRUCache[tuple[int, int], tuple[Strip, int]] = LRUCache(STRIP_CACHE_SIZE)
        self._hits: Mapping[int, list[tuple[int, int]]] = {}
        self._current_hit: tuple[int, int, int] | None = None
        self._styles: dict[tuple[str | None, bool], Style] = {}
        self._frame_style: Style | None = None
        # Comments gained since the last visit (badged "new" for this session), those
        # of them not drawn yet, and those drawn since `take_shown` last asked.
        self.new: set[int] = set()
        self._unseen: set[int] = set()
        self._shown: list[int] = []
        self.bookmarks: set[int] = set()

    # -- geometry ---------------------------------------------------------------------

    def _text_width_for(self, width: int, depth: int = 0) -> int:
        indent = INDENT * min(depth, MAX_INDENT_LEVELS)
        return max(MIN_TEXT_WIDTH, min(self.max_width, width - 3 - indent))

    def _estimated_height(self) -> int:
        width = max(1, self._text_width)
        return 2 + max(1, math.ceil(self.posts.average_chars / width))

    def _height_of(self, number: int) -> int:
        """Height of an item that is not hidden, measured if known, else estimated."""
        if number in self.folded:
            return 1
        if self._measured[number]:
            layout = self._layout(number)
            return len(layout.rows) + 2
        return self._estimate

    def _is_hidden(self, number: int) -> bool:
        parent = self.posts.parent(number)
        while parent:
            if parent in self.folded:
                return True
            parent = self.posts.parent(parent)
        return False

    def _relayout(self) -> None:
        """Recompute every height for a new width or fold-all (O(n), rare)."""
        self._text_width = self._text_width_for(self.scrollable_content_region.width or 80)
        self._estimate = self._estimated_height()
        self._measured = bytearray(self.count + 1)
        self._layouts.clear()
        self._strips.clear()
        if not self.folded:
            self._row_index = RowIndex([])
            self._row_index.reset_uniform(self.count, self._estimate)
            self._update_virtual_size()
            return
        heights = [0] * self.count
        number = 1
        while number <= self.count:
            heights[number - 1] = self._height_of(number)
            number = self.posts.subtree_end(number) if number in self.folded else number + 1
        self._row_index = RowIndex(heights)
        self._update_virtual_size()

    def _update_virtual_size(self) -> None:
        total = self._rows.total if self.count else 1
        self.virtual_size = Size(self.scrollable_content_region.width, total)

    def _set_height(self, number: int, height: int) -> None:
        if self._rows.height(number - 1) != height:
            self._rows.set(number - 1, height)
            self._update_virtual_size()

    def _layout(self, number: int) -> ItemLayout:
        layout = self._layouts.get(number)
        width = self._text_width_for(
            self.scrollable_content_region.width or 80, self._depth(number)
        )
        if layout is not None and layout.width == width:
            return layout
        comment = self.posts.get(number)
        text = display_text(comment.text)
        layout = ItemLayout(width, text, wrap_offsets(text, width) if text else [(0, 0)])
        self._layouts.set(number, layout)
        return layout

    def _depth(self, number: int) -> int:
        return self.posts.depth(number)

    def _measure(self, number: int) -> None:
        """Replace an estimated height with the real one."""
        if self._measured[number] or number in self.folded:
            return
        self._measured[number] = 1
        self._set_height(number, self._height_of(number))

    def _items_from(self, row: int) -> Iterator[tuple[int, int]]:
        """(number, first row) of the visible items from the one covering `row` on."""
        if not self.count:
            return
        index, _ = self._rows.find(row)
        number = index + 1
        while number <= self.count:
            height = self._rows.height(number - 1)
            if height:
                yield number, self._rows.start(number - 1)
            number = self.posts.subtree_end(number) if number in self.folded else number + 1

    def _settle(self) -> None:
        """Measure every item on screen, so what is drawn matches the row index.

        Only items from the top of the view down are measured, so the top item keeps
        its row and the view does not jump.
        """
        if not self.count:
            return
        top = int(self.scroll_y)
        bottom = top + max(1, self.scrollable_content_region.height)
        for _ in range(8):
            changed = False
            for number, first in self._items_from(top):
                if first >= bottom:
                    break
                if not self._measured[number] and number not in self.folded:
                    self._measure(number)
                    changed = True
            if not changed:
                break

    # -- Textual hooks ----------------------------------------------------------------

    def on_mount(self) -> None:
        # Until the first resize the width is unknown; laying out now would be wasted.
        if self.scrollable_content_region.width:
            self._relayout()

    def on_resize(self, event: events.Resize) -> None:
        width = self._text_width_for(self.scrollable_content_region.width or 80)
        if width != self._text_width or self._row_index is None:
            self._relayout()
        self.call_after_refresh(self.scroll_to_focus, False)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str | None = None, focused: bool = False) -> Style:
        """The full style of a part, on the focused comment's background if `focused`.

        Visual styles blend each part over the widget's background, so translucent
        theme colours ($boost, `$warning 35%`) come out as the theme means them.
        """
        key = (name, focused)
        style = self._styles.get(key)
        if style is None:
            classes = ["comment-list--focused"] if focused else []
            if name is not None:
                classes.append(f"comment-list--{name}")
            style = self.get_visual_style(*classes).rich_style
            self._styles[key] = style
        return style

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self.count or not self.focused or self._row_index is None:
            return
        if self._scroll_target is not None and round(new_value) == self._scroll_target:
            # Our own scroll to the focus: the focus stays where it was put.
            self._scroll_target = None
            return
        # Scrolled by wheel or scrollbar: keep the focus on something the user can see.
        self._settle()
        top = int(new_value)
        view = max(1, self.scrollable_content_region.height)
        start, height = self.item_region(self.focused)
        if start + height <= top or start >= top + view:
            index, offset = self._rows.find(top)
            number = index + 1
            if offset:
                number = self._next_visible(number) or number
            self.focused = number
            self._strips.clear()
            self.post_message(self.Focused(number))

    def render_lines(self, crop: Region) -> list[Strip]:
        self._settle()
        # One style lookup a frame, not one a line: `rich_style` walks up the DOM.
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._frame_style if self._frame_style is not None else self.rich_style
        if not self.count:
            if y == 0:
                empty = Segment("  No comments in this thread.", self._style("empty"))
                return Strip([empty]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        row = int(self.scroll_y) + y
        if row >= self._rows.total:
            return Strip.blank(width, base)
        index, offset = self._rows.find(row)
        number = index + 1
        if number in self._unseen:
            self._unseen.discard(number)
            self._shown.append(number)
        key = (number, offset)
        cached = self._strips.get(key)
        if cached is None:
            cached = self._render_item_row(number, offset, width, base)
            self._strips.set(key, cached)
        strip, prefix = cached
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(row)) is not None:
            start, end = span
            strip = Strip(
                stylize_range(
                    list(strip),
                    prefix + max(0, start),
                    -1 if end == -1 else prefix + end,
                    self.screen.get_component_rich_style("screen--selection"),
                ),
                strip.cell_length,
            )
        # Offsets let Textual map a mouse selection to text; the text starts at x=0.
        return strip.apply_offsets(-prefix, row)

    def _row_text(self, number: int, offset: int) -> str:
        """The plain text of one row of an item, without bar and guides."""
        if offset == 0:
            return "".join(segment.text for segment in self._header(number))
        layout = self._layout(number)
        if offset - 1 < len(layout.rows):
            start, end = layout.rows[offset - 1]
            return layout.text[start:end]
        return ""

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The text under a mouse selection (at most 20,000 rows)."""
        if not self.count:
            return None
        first = selection.start.y if selection.start is not None else 0
        last = selection.end.y if selection.end is not None else self._rows.total - 1
        last = min(last, first + 20_000, self._rows.total - 1)
        rows, spans = [], []
        for row in range(first, last + 1):
            index, offset = self._rows.find(row)
            rows.append(self._row_text(index + 1, offset))
            spans.append(selection.get_span(row))
        return selected_text(rows, spans), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    @property
    def _rows(self) -> RowIndex:
        """Item heights, laid out on first use (the first resize usually does it)."""
        if self._row_index is None:
            self._relayout()
        assert self._row_index is not None
        return self._row_index

    @property
    def focused(self) -> int:
        """The focused comment's number (0 when the thread has none)."""
        return self._focused

    @focused.setter
    def focused(self, number: int) -> None:
        # Only the rows of the comment losing and the one gaining focus change look.
        old = self._focused
        self._focused = number
        if old != number:
            self._forget_rows(old)
            self._forget_rows(number)
            self.refresh()

    def _forget_rows(self, number: int) -> None:
        if not 1 <= number <= self.count:
            return
        rows = self._row_index
        for offset in range(max(1, rows.height(number - 1)) if rows is not None else 1):
            self._strips.discard((number, offset))

    def refresh_items(self) -> None:
        """Forget rendered rows (after a focus, fold or search change) and repaint."""
        self._strips.clear()
        self.refresh()

    # -- focus and scrolling -------------------------------------------------------------

    def item_region(self, number: int) -> tuple[int, int]:
        """First row and height of a comment's item."""
        return self._rows.start(number - 1), self._rows.height(number - 1)

    def scroll_to_focus(self, center: bool = False, line: int | None = None) -> None:
        """Bring the focused comment (or one of its text lines) into view."""
        if not self.count or not self.focused:
            return
        view = max(1, self.scrollable_content_region.height)
        for _ in range(4):
            self._measure(self.focused)
            start, height = self.item_region(self.focused)
            top = int(self.scroll_y)
            if line is not None:
                target = start + 1 + line
                if center or not top <= target < top + view:
                    new_top = max(0, target - view // 3)
                else:
                    new_top = top
            elif center:
                new_top = max(0, start - view // 3)
            elif start < top:
                new_top = start
            elif start + min(height, view) > top + view:
                new_top = start + min(height, view) - view
            else:
                new_top = top
            new_top = min(new_top, max(0, self._rows.total - view))
            self._scroll_target = new_top
            self.scroll_to(y=new_top, animate=False, immediate=True)
            self._settle()
            if self.item_region(self.focused) == (start, height):
                break
        self.refresh()

    def set_focus_to(
        self, number: int | None, *, center: bool = False, line: int | None = None
    ) -> None:
        """Focus comment `number` (unfolding its ancestors) and keep it in view."""
        if number is None or not self.count:
            return
        number = max(1, min(self.count, number))
        self._reveal(number)
        changed = number != self.focused
        self.focused = number
        self.scroll_to_focus(center=center, line=line)
        if changed:
            self.post_message(self.Focused(number))

    def open_whole(self, number: int) -> None:
        """Unfold comment `number` and every comment it replies to, so that all of its
        text is on screen (a search hit inside it is about to be shown)."""
        self._unfold(number)
        self._reveal(number)

    def _reveal(self, number: int) -> None:
        ancestors = []
        parent = self.posts.parent(number)
        while parent:
            ancestors.append(parent)
            parent = self.posts.parent(parent)
        for ancestor in reversed(ancestors):
            if ancestor in self.folded:
                self._unfold(ancestor)

    # -- folding ----------------------------------------------------------------------

    def _large(self, number: int) -> bool:
        """Whether a subtree is big enough that one O(n) relayout beats many updates."""
        return self.posts.descendants(number) > max(2048, self.count // 8)

    def _fold(self, number: int) -> None:
        if number in self.folded:
            return
        self._forget_rows(number)
        self.folded.add(number)
        if self._large(number):
            self._relayout()
            return
        self._rows.set(number - 1, 1)
        for hidden in range(number + 1, self.posts.subtree_end(number)):
            self._rows.set(hidden - 1, 0)
        self._update_virtual_size()

    def _unfold(self, number: int) -> None:
        if number not in self.folded:
            return
        self._forget_rows(number)
        self.folded.discard(number)
        if self._large(number):
            self._relayout()
            return
        self._rows.set(number - 1, self._height_of(number))
        child = number + 1
        end = self.posts.subtree_end(number)
        while child < end:
            self._rows.set(child - 1, self._height_of(child))
            child = self.posts.subtree_end(child) if child in self.folded else child + 1
        self._update_virtual_size()

    def toggle(self, number: int) -> None:
        if number in self.folded:
            self._unfold(number)
        else:
            self._fold(number)
        self.scroll_to_focus()

    # -- search highlights ------------------------------------------------------------

    def set_highlights(
        self, hits: Mapping[int, list[tuple[int, int]]], current: tuple[int, int, int] | None
    ) -> None:
        """Show search hits: offsets per comment, and the current (number, start, end)."""
        self._hits = hits
        self._current_hit = current
        self.refresh_items()

    def line_of_offset(self, number: int, offset: int) -> int:
        """Which wrapped text line of comment `number` holds character `offset`."""
        layout = self._layout(number)
        for i, (_, end) in enumerate(layout.rows):
            if offset <= end:
                return i
        return max(0, len(layout.rows) - 1)

    # -- mouse ------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.count:
            return
        row = int(self.scroll_y) + offset.y
        if row >= self._rows.total:
            return
        index, item_row = self._rows.find(row)
        number = index + 1
        indent = 2 + INDENT * min(self._depth(number), MAX_INDENT_LEVELS)
        if item_row == 0 and indent <= offset.x <= indent + 1:
            self.focused = number
            self.toggle(number)
            self.post_message(self.Focused(number))
        else:
            self.set_focus_to(number)
        self.focus()

    def comment(self) -> Comment | None:
        """The focused comment."""
        return self.posts.get(self.focused) if self.focused else None

    # -- reading state ------------------------------------------------------------------

    def set_new(self, numbers: set[int]) -> None:
        """Badge these comments "new"; each counts as seen once it has been drawn."""
        self.new = {n for n in numbers if 1 <= n <= self.count}
        self._unseen = set(self.new)
        self._shown.clear()
        self.refresh_items()

    def take_shown(self) -> list[int]:
        """The new comments drawn since the last call, for recording them as seen."""
        shown, self._shown = self._shown, []
        return shown

    def set_bookmarks(self, numbers: set[int]) -> None:
        """Mark these comments as bookmarked in their header rows."""
        self.bookmarks = set(numbers)
        self.refresh_items()

    def next_new(self, after: int) -> tuple[int, bool] | None:
        """The first new comment after `after`, and whether the search wrapped to the
        top to find it; None when there is no new comment."""
        if not self.new:
            return None
        later = [n for n in self.new if n > after]
        if later:
            return min(later), False
        return min(self.new), True

    def restore_folds(self, numbers: set[int]) -> None:
        """Fold exactly these comments, as a saved position had them."""
        self.folded = {n for n in numbers if 1 <= n <= self.count}
        if self._row_index is not None:
            self._relayout()
            self.scroll_to_focus()
        self.refresh_items()

    def number_at_row(self, row: int) -> int | None:
        """The comment drawn at virtual row `row` (a mouse selection's first row)."""
        if not self.count or not 0 <= row < self._rows.total:
            return None
        index, _ = self._rows.find(row)
        return index + 1

    def replace_thread(self, thread: Thread, *, same_numbers: bool = False) -> None:
        """Show a new reading of the thread (its file changed) without moving the
        reader: the focus keeps its number and its place on screen, folds stay, and
        everything folded stays everything folded when comments were added.

        `same_numbers`: the new reading extends the old one (the whole file after its
        head), so what is new, seen and bookmarked keeps its numbers."""
        old_count = self.count
        everything = bool(old_count) and len(self.folded) >= old_count
        offset: int | None = None
        if self.count and self.focused and self._row_index is not None:
            offset = self.item_region(self.focused)[0] - int(self.scroll_y)
        self.thread = thread
        self.posts = thread.tree
        self.count = len(thread.tree)
        if everything:
            self.folded = set(range(1, self.count + 1))
        else:
            self.folded = {n for n in self.folded if n <= self.count}
        self.new = {n for n in self.new if n <= self.count}
        if not same_numbers:
            # Numbers may have moved: nothing counts as seen until the new reading's
            # visit says which comments are new.
            self._unseen = set()
            self._shown.clear()
        self.bookmarks = {n for n in self.bookmarks if n <= self.count}
        self._hits = {}
        self._current_hit = None
        old_focus = self._focused
        self._focused = max(1, min(self._focused, self.count)) if self.count else 0
        self._scroll_target = None
        self._row_index = None
        self._measured = bytearray(self.count + 1)
        self._layouts.clear()
        self._strips.clear()
        if self.scrollable_content_region.width:
            self._relayout()
        if offset is not None and self.focused:
            self._reveal(self.focused)
            self._measure(self.focused)
            view = max(1, self.scrollable_content_region.height)
            top = max(0, self.item_region(self.focused)[0] - offset)
            top = min(top, max(0, self._rows.total - view))
            self._scroll_target = top
            self.scroll_to(y=top, animate=False, immediate=True)
            self._settle()
        self.refresh_items()
        if self._focused != old_focus:
            self.post_message(self.Focused(self._focused))
