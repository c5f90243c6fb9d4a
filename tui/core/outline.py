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

# Characters that would act on the terminal or reorder text if printed.  Each becomes
# exactly one visible symbol, so offsets into the original text stay valid on screen.
_C0_PICTURES = {code: 0x2400 + code for code in range(0x20)}
_VISIBLE = {
    **_C0_PICTURES,
    0x09: ord(" "),  # a tab is shown as one space; wrapping needs one cell per char
    0x0A: 0x0A,  # newlines are structure, not content
    0x7F: 0x2421,  # ␡
    **{code: 0xFFFD for code in range(0x80, 0xA0)},  # C1 controls
    **{code: 0x2E2E for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},  # ⸮
    0x200E: 0x2E2E,
    0x200F: 0x2E2E,
    0x061C: 0x2E2E,
}
_VISIBLE_TABLE = str.maketrans(_VISIBLE)
CONTROL_SYMBOLS = frozenset(chr(v) for k, v in _VISIBLE.items() if k not in (0x09, 0x0A))


def display_text(text: str) -> str:
    """Make untrusted text safe to put on screen, one character for one character.

    Control characters become Unicode control pictures (ESC shows as ␛), C1 controls
    as U+FFFD and bidi overrides/isolates as ⸮: none of them reaches the terminal, and
    nothing can reorder the text around it.
    """
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_VISIBLE_TABLE)


def control_positions(original: str) -> list[int]:
    """Offsets of characters that `display_text` replaced with a visible symbol."""
    if original.isascii() and original.isprintable():
        return []
    return [i for i, ch in enumerate(original) if ord(ch) in _VISIBLE and ch not in "\n\t"]


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
