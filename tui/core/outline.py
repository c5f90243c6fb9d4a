"""Pure layout helpers for the Line-API views: row bookkeeping and word wrapping.

The comment list shows up to 100,000 comments in one widget.  Each comment's height
in rows is only known once it has been wrapped, and wrapping everything up front costs
seconds, so heights start as estimates and are corrected as comments come into view.
`RowIndex` keeps those heights in a Fenwick tree: changing one height, finding the first
row of an item, and finding the item under a row are all O(log n), so neither folding
nor a corrected estimate ever walks the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len, get_character_cell_size

from tui.core.safety import CONTROL_SYMBOLS, control_positions, on_screen

__all__ = [
    "CONTROL_SYMBOLS",
    "RowIndex",
    "control_positions",
    "display_text",
    "wrap_offsets",
]

# What the screen shows for unsafe characters is `tui.core.safety`'s policy; the
# names stay here for the widgets that wrap and draw text.
display_text = on_screen


def _fit(text: str, start: int, end: int, width: int) -> int:
    """The largest index `i <= end` such that text[start:i] fits in `width` cells."""
    total = 0
    i = start
    while i < end:
        size = get_character_cell_size(text[i])
        if total + size > width:
            break
        total += size
        i += 1
    return i if i > start else min(start + 1, end)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Word-wrap `text` to `width` cells; return (start, end) offsets of each row.

    Existing line breaks are kept (an empty line is an empty row); long words are cut.
    Works in slices and `str.rfind` rather than per character where the text is ASCII,
    so a 2 MB single-line comment wraps in milliseconds.
    """
    width = max(1, width)
    rows: list[tuple[int, int]] = []
    ascii_only = text.isascii()
    length = len(text)
    pos = 0
    while True:
        line_end = text.find("\n", pos)
        if line_end < 0:
            line_end = length
        start = pos
        if start == line_end:
            rows.append((start, start))
        while start < line_end:
            if ascii_only:
                limit = min(start + width, line_end)
            elif cell_len(text[start : min(start + width, line_end)]) <= width and (
                start + width >= line_end
            ):
                limit = line_end
            else:
                limit = _fit(text, start, line_end, width)
            if limit >= line_end:
                rows.append((start, line_end))
                break
            cut = text.rfind(" ", start, limit + 1)
            if cut <= start:
                rows.append((start, limit))
                start = limit
            else:
                rows.append((start, cut))
                start = cut + 1
        if line_end >= length:
            break
        pos = line_end + 1
    return rows


class RowIndex:
    """Heights of a list of items with O(log n) prefix sums and row lookup."""

    __slots__ = ("_heights", "_size", "_tree")

    def __init__(self, heights: Iterable[int]) -> None:
        self._heights = list(heights)
        self._size = len(self._heights)
        self._build()

    def _build(self) -> None:
        tree = [0, *self._heights]
        size = self._size
        for i in range(1, size + 1):
            parent = i + (i & -i)
            if parent <= size:
                tree[parent] += tree[i]
        self._tree = tree

    def reset(self, heights: Iterable[int]) -> None:
        """Replace every height at once (cheaper than n updates)."""
        self._heights = list(heights)
        self._size = len(self._heights)
        self._build()

    def reset_uniform(self, count: int, height: int) -> None:
        """`count` items of one height: each tree node covers lowbit(i) items, so the
        tree is written down directly instead of summed."""
        self._heights = [height] * count
        self._size = count
        self._tree = [height * (i & -i) for i in range(count + 1)]

    def __len__(self) -> int:
        return self._size

    def height(self, index: int) -> int:
        return self._heights[index]

    def set(self, index: int, height: int) -> None:
        delta = height - self._heights[index]
        if not delta:
            return
        self._heights[index] = height
        i = index + 1
        tree = self._tree
        size = self._size
        while i <= size:
            tree[i] += delta
            i += i & -i

    def start(self, index: int) -> int:
        """The first row of item `index` (the sum of the heights before it)."""
        total = 0
        i = index
        tree = self._tree
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    @property
    def total(self) -> int:
        return self.start(self._size)

    def find(self, row: int) -> tuple[int, int]:
        """The item covering `row` and the row's offset inside it.

        Rows past the end map to the last item with a non-zero height.
        """
        if self._size == 0:
            raise IndexError("no items")
        tree = self._tree
        pos = 0
        remaining = row
        step = 1 << self._size.bit_length()
        while step:
            nxt = pos + step
            if nxt <= self._size and tree[nxt] <= remaining:
                pos = nxt
                remaining -= tree[nxt]
            step >>= 1
        if pos >= self._size:
            pos = self._size - 1
            while pos > 0 and self._heights[pos] == 0:
                pos -= 1
            return pos, max(0, self._heights[pos] - 1)
        return pos, remaining
