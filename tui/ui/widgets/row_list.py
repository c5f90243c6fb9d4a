"""A list of rows drawn through the Line API, shared by the library's lists.

Only the rows on screen are drawn, so 100,000 rows cost what 40 do; subclasses say
how many rows there are and how one is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.settings.themes import role_css
from tui.ui.keys import bindings


class RowList(ScrollView, can_focus=True):
    """A list of rows with a cursor, drawn one visible row at a time.

    Subclasses say how many rows there are (`set_row_count`) and draw one
    (`render_row`); an optional header row stays on top while the rows scroll.
    """

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        height: 1fr;
    }
    RowList > .row-list--header { color: $text-muted; text-style: bold; }
    RowList > .row-list--cursor { background: $boost; }
    RowList:focus > .row-list--cursor { background: $accent 30%; }
    RowList > .row-list--bar { color: $accent; }
    RowList > .row-list--muted { color: $text-muted; }
    RowList > .row-list--number { color: $accent; text-style: bold; }
    RowList > .row-list--match { background: $warning 35%; text-style: bold; }
    RowList > .row-list--error { color: $error; }
    RowList > .row-list--empty { color: $text-muted; text-style: italic; }
    """ + role_css("RowList", {"row-list--new": "new"})

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-list--header",
        "row-list--cursor",
        "row-list--bar",
        "row-list--muted",
        "row-list--number",
        "row-list--match",
        "row-list--error",
        "row-list--empty",
        "row-list--new",
    }

    BINDINGS: ClassVar[list[Binding]] = bindings("list")

    class Selected(Message):
        """Enter or a double click on a row."""

        def __init__(self, row_list: RowList, row: int) -> None:
            self.row_list = row_list
            self.row = row
            super().__init__()

    class Moved(Message):
        """The cursor moved to another row."""

        def __init__(self, row_list: RowList, row: int) -> None:
            self.row_list = row_list
            self.row = row
            super().__init__()

    empty_text = "Nothing here."

    def __init__(self, *, header: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.has_header = header
        self.row_count = 0
        self.cursor = 0
        self._styles: dict[str, Style] = {}

    # -- to override --------------------------------------------------------------------

    def render_row(self, row: int, width: int, base: Style) -> list[Segment]:
        """The segments of one row (they are cropped or padded to `width`)."""
        raise NotImplementedError

    def render_header(self, width: int, base: Style) -> list[Segment]:
        return []

    # -- state --------------------------------------------------------------------------

    def style_of(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(f"row-list--{name}", partial=True)
            self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    @property
    def body_height(self) -> int:
        """Rows of the list on screen, below the header."""
        return max(1, self.scrollable_content_region.height - self.has_header)

    def set_row_count(self, count: int, cursor: int | None = None) -> None:
        """Change the number of rows (keeping the cursor in range) and redraw."""
        self.row_count = count
        if cursor is not None:
            self.cursor = cursor
        self.cursor = max(0, min(self.cursor, count - 1))
        self.virtual_size = Size(self.scrollable_content_region.width, count + self.has_header)
        self.scroll_to_cursor()
        self.refresh()

    def move_to(self, row: int) -> None:
        if not self.row_count:
            return
        row = max(0, min(row, self.row_count - 1))
        if row != self.cursor:
            self.cursor = row
            self.post_message(self.Moved(self, row))
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        top = int(self.scroll_y)
        height = self.body_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(
            self.scrollable_content_region.width, self.row_count + self.has_header
        )
        self.scroll_to_cursor()

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self.has_header and y == 0:
            header = self.render_header(width, base + self.style_of("header"))
            return Strip(header).adjust_cell_length(width, base)
        row = int(self.scroll_y) + y - self.has_header
        if not self.row_count:
            if row == 0:
                text = Segment(f"  {self.empty_text}", base + self.style_of("empty"))
                return Strip([text]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if row >= self.row_count:
            return Strip.blank(width, base)
        selected = row == self.cursor
        if selected:
            base = base + self.style_of("cursor")
        bar = Segment("▌" if selected else " ", base + self.style_of("bar"))
        segments = [bar, *self.render_row(row, width - 1, base)]
        return Strip(segments).crop(0, width).adjust_cell_length(width, base)

    # -- actions ------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_to(self.cursor + self.body_height - 1)

    def action_page_up(self) -> None:
        self.move_to(self.cursor - self.body_height + 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(self.row_count - 1)

    def action_select(self) -> None:
        if self.row_count:
            self.post_message(self.Selected(self, self.cursor))

    def on_click(self, event: events.Click) -> None:
        if self.has_header and event.y == 0:
            return
        row = int(self.scroll_y) + event.y - self.has_header
        if 0 <= row < self.row_count:
            self.move_to(row)
            if event.chain >= 2:
                self.post_message(self.Selected(self, row))


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells, with an ellipsis when something was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        size = cell_len(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"


def highlighted(
    text: str, spans: Sequence[tuple[int, int]], base: Style, match: Style
) -> list[Segment]:
    """`text` as segments, with the characters in `spans` (sorted) in the match style."""
    segments: list[Segment] = []
    position = 0
    for start, end in spans:
        start = max(start, position)
        if start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start], base))
        segments.append(Segment(text[start:end], base + match))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], base))
    return segments
