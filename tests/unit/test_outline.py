"""Row bookkeeping and wrapping behind the Line-API views."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.outline import RowIndex, display_text, wrap_offsets


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=300), st.data())
def test_row_index_matches_running_sums(heights: list[int], data) -> None:
    rows = RowIndex(heights)
    for _ in range(5):
        i = data.draw(st.integers(0, len(heights) - 1))
        h = data.draw(st.integers(0, 6))
        rows.set(i, h)
        heights[i] = h
    sums = [0, *itertools.accumulate(heights)]
    assert rows.total == sums[-1]
    for index in range(len(heights)):
        assert rows.start(index) == sums[index]
    for row in range(sums[-1]):
        index, offset = rows.find(row)
        assert sums[index] <= row < sums[index + 1]
        assert offset == row - sums[index]


@given(st.integers(0, 500), st.integers(0, 9))
def test_uniform_reset_equals_a_built_index(count: int, height: int) -> None:
    built = RowIndex([height] * count)
    uniform = RowIndex([])
    uniform.reset_uniform(count, height)
    assert uniform._tree == built._tree
    assert uniform.total == count * height


def test_wrap_keeps_words_and_breaks() -> None:
    text = "hello world this is a test\n\nanother line here"
    rows = [text[a:b] for a, b in wrap_offsets(text, 10)]
    assert rows == ["hello", "world this", "is a test", "", "another", "line here"]


def test_wrap_cuts_long_words_and_counts_wide_characters() -> None:
    assert [len(range(a, b)) for a, b in wrap_offsets("x" * 25, 10)] == [10, 10, 5]
    rows = wrap_offsets("🍕" * 7, 10)
    assert [b - a for a, b in rows] == [5, 2]


def test_wrap_two_megabytes_on_one_line() -> None:
    text = "word " * 400_000
    rows = wrap_offsets(text, 100)
    assert len(rows) == 20_000
    assert all(b - a <= 100 for a, b in rows)


def test_display_text_is_one_symbol_per_character() -> None:
    raw = "a\x1b[2Jb\u202ec\x07\x9bd\te"
    shown = display_text(raw)
    assert len(shown) == len(raw)
    assert shown == "a␛[2Jb⸮c␇\ufffdd e"
