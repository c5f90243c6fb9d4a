"""Stepping through search hits with `n`/`N`: the window of hits on hand, no UI."""

from __future__ import annotations

import threading

from tui.core.formats.plaintext import read_seed
from tui.core.model import Thread
from tui.core.search.index import SearchIndex
from tui.core.search.navigator import END, START, SearchNavigator, coverage, window
from tui.core.search.query import compile_query


def thread_of(*comments: str) -> Thread:
    """A thread with the article "Intro." and these comments."""
    text = "Title\n\nIntro.\n\u00a0\n" + "\n\u00a0\n".join(comments)
    return read_seed(text.encode("utf-8"))


def searched(thread: Thread, query: str, limit: int) -> tuple[SearchIndex, SearchNavigator]:
    index = SearchIndex(thread)
    index.build()
    pattern = compile_query(query, regex=False)
    navigator = SearchNavigator(limit)
    navigator.take_results(index.search(pattern, limit=limit), pattern)
    return index, navigator


SIX = thread_of(*(f"Comment {n} has one word." for n in range(1, 7)))


def test_all_hits_on_hand_step_and_wrap_with_a_count() -> None:
    _index, navigator = searched(SIX, "word", limit=100)
    assert navigator.covered == (START, END)
    hit, wrapped = navigator.answer((2, -1), forward=True)
    assert (hit.number, wrapped) == (2, False)
    assert navigator.go_to(hit) == "2/6"
    hit, wrapped = navigator.answer(navigator.position((0, -1)), forward=True)
    assert (hit.number, wrapped) == (3, False)
    last = navigator.hits[-1]
    hit, wrapped = navigator.answer((last.number, last.start), forward=True)
    assert (hit.number, wrapped) == (1, True)
    hit, wrapped = navigator.answer((1, 0), forward=False)
    assert (hit.number, wrapped) == (6, True)


def test_past_the_hit_limit_the_navigator_cannot_tell_and_a_window_answers() -> None:
    index, navigator = searched(SIX, "word", limit=3)
    assert len(navigator.hits) == 3
    first = navigator.hits[0]
    assert navigator.go_to(first) == "1/3+", "the total is not known"
    # From comment 5 the next match lies beyond the three on hand.
    assert navigator.answer((5, -1), forward=True) is None
    # Wrapping is not an answer either: matches beyond the window come first.
    third = navigator.hits[2]
    assert navigator.answer((third.number, third.start), forward=True) is None
    assert navigator.pattern is not None
    found = window(index, navigator.pattern, (5, -1), forward=True, limit=3)
    assert found is not None
    assert (found.hit.number, found.wrapped) == (5, False)
    assert [hit.number for hit in found.hits] == [5, 6]
    navigator.take_window(found)
    assert navigator.go_to(found.hit) == "in #5 of 3+"


def test_a_window_at_the_end_wraps_to_the_first_hits() -> None:
    index, navigator = searched(SIX, "word", limit=3)
    assert navigator.pattern is not None
    last = (6, 100)
    found = window(index, navigator.pattern, last, forward=True, limit=3)
    assert found is not None
    assert (found.hit.number, found.wrapped) == (1, True)
    assert found.covered == coverage(found.hits, limit=3)
    back = window(index, navigator.pattern, (1, 0), forward=False, limit=3)
    assert back is not None
    assert (back.hit.number, back.wrapped) == (6, True)
    assert [hit.number for hit in back.hits] == [4, 5, 6], "backwards keeps the last hits"


def test_window_finds_nothing_when_nothing_matches_or_it_is_cancelled() -> None:
    index, _navigator = searched(SIX, "word", limit=3)
    nothing = compile_query("zeppelin", regex=False)
    assert nothing is not None
    assert window(index, nothing, (1, -1), forward=True, limit=3) is None
    cancel = threading.Event()
    cancel.set()
    word = compile_query("word", regex=False)
    assert word is not None
    assert window(index, word, (6, 100), forward=True, cancel=cancel, limit=3) is None


def test_moving_away_from_the_current_hit_steps_from_the_new_place() -> None:
    _index, navigator = searched(SIX, "word", limit=100)
    hit = navigator.hits[1]
    navigator.go_to(hit)
    navigator.moved_to(hit.number)
    assert navigator.position((5, -1)) == (hit.number, hit.start), "still on the hit"
    assert navigator.origin((5, -1)) == (hit.number, -1)
    navigator.moved_to(5)
    assert navigator.position((5, -1)) == (5, -1)
    assert navigator.answer((5, -1), forward=True) is not None


def test_a_search_without_hits_forgets_the_current_one() -> None:
    _index, navigator = searched(SIX, "word", limit=100)
    navigator.go_to(navigator.hits[0])
    navigator.take_results([], None)
    assert navigator.current is None
    assert navigator.position((3, -1)) == (3, -1)
