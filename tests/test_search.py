"""In-thread search: smart case, regex handling, post boundaries, hit navigation."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model import CommentSpec, Thread, build_tree
from tui.reader import read_thread
from tui.search import (
    SEPARATOR,
    Hit,
    SearchError,
    SearchIndex,
    compile_query,
    hits_by_post,
    next_hit,
    prev_hit,
)
from tui.seed_format import read_seed

SMALL = "Title\n\nPara one\n\nPara two\n\u00a0\nComment one\n\u00a0\nComment two"


def seed(text: str) -> Thread:
    return read_seed(text.encode("utf-8"))


def post_text(thread: Thread, number: int) -> str:
    return thread.article_text if number == 0 else thread.tree.get(number).text


def find(thread: Thread, query: str, *, regex: bool = False) -> list[Hit]:
    return SearchIndex(thread).search(compile_query(query, regex=regex))


def spans(thread: Thread, query: str, *, regex: bool = False) -> list[tuple[int, str]]:
    """(post number, matched text) of every hit, which is what a reader sees."""
    return [
        (hit.number, post_text(thread, hit.number)[hit.start : hit.end])
        for hit in find(thread, query, regex=regex)
    ]


def many_posts(*posts: str) -> Thread:
    """A thread with the article "Intro." and these comments."""
    return seed("Title\n\nIntro.\n\u00a0\n" + "\n\u00a0\n".join(posts))


def raw_thread(article: str, *comments: str) -> Thread:
    """A thread whose texts are kept exactly, edge whitespace included."""
    tree = build_tree([CommentSpec(text) for text in comments])
    return Thread(title="Title", article=(article,), tree=tree)


@pytest.fixture
def real(seed_path: Path) -> Thread:
    return read_thread(seed_path)


# -- the real seed ----------------------------------------------------------------------


def test_pizza_in_the_seed_is_two_hits_in_comment_4(real: Thread) -> None:
    hits = find(real, "pizza")
    assert [hit.number for hit in hits] == [4, 4]
    text = real.tree.get(4).text
    assert text.startswith("I just had the craziest thought")
    assert [text[hit.start : hit.end] for hit in hits] == ["pizza", "pizza"]
    assert [hit.index for hit in hits] == [0, 1]


def test_seed_hits_point_at_their_match(real: Thread) -> None:
    for hit in find(real, "the"):
        assert post_text(real, hit.number)[hit.start : hit.end].lower() == "the"


# -- compiling queries ------------------------------------------------------------------


def test_empty_query_compiles_to_none() -> None:
    assert compile_query("", regex=False) is None
    assert compile_query("", regex=True) is None


def test_smart_case_literal() -> None:
    thread = many_posts("Foo foo FOO fOo")
    assert [t for _, t in spans(thread, "foo")] == ["Foo", "foo", "FOO", "fOo"]
    assert [t for _, t in spans(thread, "Foo")] == ["Foo"]
    assert [t for _, t in spans(thread, "FOO")] == ["FOO"]


def test_smart_case_regex_ignores_letters_of_escapes() -> None:
    thread = many_posts("xFoo xfoo")
    assert [t for _, t in spans(thread, r"\Sfoo", regex=True)] == ["xFoo", "xfoo"]
    assert [t for _, t in spans(thread, r"\SFoo", regex=True)] == ["xFoo"]
    assert compile_query(r"(?P<Word>foo)\b", regex=True).flags & re.IGNORECASE
    assert not compile_query(r"[A-Z]oo", regex=True).flags & re.IGNORECASE


def test_regex_off_searches_the_literal_text() -> None:
    thread = many_posts("a.c abc (see a+b")
    assert [t for _, t in spans(thread, "a.c")] == ["a.c"]
    assert [t for _, t in spans(thread, "a.c", regex=True)] == ["a.c", "abc"]
    assert [t for _, t in spans(thread, "(see")] == ["(see"]
    assert [t for _, t in spans(thread, "a+b")] == ["a+b"]


def test_bad_regex_is_a_one_line_search_error() -> None:
    with pytest.raises(SearchError) as caught:
        compile_query("foo(", regex=True)
    assert str(caught.value) == "bad pattern: missing ), unterminated subpattern at position 3"
    assert not isinstance(caught.value, re.error)
    assert isinstance(caught.value, ValueError)
    for bad in ["[z-a]", "a{99999999999}", "x(?i)", "\\", "a\nb("]:
        with pytest.raises(SearchError) as caught:
            compile_query(bad, regex=True)
        message = str(caught.value)
        assert message.startswith("bad pattern: ")
        assert "\n" not in message


def test_bad_regex_is_fine_as_a_literal() -> None:
    assert compile_query("foo(", regex=False) is not None


# -- matches --------------------------------------------------------------------------


def test_article_hits_are_numbered_0_with_offsets_into_article_text() -> None:
    thread = seed(SMALL)
    hits = find(thread, "two")
    assert [(h.number, h.start, h.end) for h in hits] == [
        (0, thread.article_text.index("two"), thread.article_text.index("two") + 3),
        (2, 8, 11),
    ]
    assert thread.article_text[hits[0].start : hits[0].end] == "two"


def test_hits_come_in_reading_order_with_their_index() -> None:
    thread = seed(SMALL)
    hits = find(thread, "o")
    assert [(h.number, h.start) for h in hits] == sorted((h.number, h.start) for h in hits)
    assert [h.index for h in hits] == list(range(len(hits)))
    assert {h.number for h in hits} == {0, 1, 2}


def test_empty_matching_regex_gives_no_zero_width_hits() -> None:
    thread = many_posts("baaa b", "xyz")
    assert spans(thread, "a*", regex=True) == [(1, "aaa")]
    assert spans(thread, "q?", regex=True) == []
    assert spans(thread, "^", regex=True) == []
    assert spans(thread, r"\b", regex=True) == []


def test_empty_matching_regex_on_a_large_thread_finishes() -> None:
    thread = many_posts(*(f"post {i} with some words" for i in range(3000)))
    hits = SearchIndex(thread).search(compile_query("z*", regex=True))
    assert hits == []


@pytest.mark.parametrize(
    "query",
    [r"\s+", r"[^z]+", r".*", r"[\s\S]+", r"\W+", "\\x00", r"one\s+comment", r"(?s).+"],
)
def test_no_match_runs_across_posts(query: str) -> None:
    thread = many_posts("first one ", "Comment two\t", "", "  third  ")
    for hit in find(thread, query, regex=True):
        assert 0 <= hit.start < hit.end <= len(post_text(thread, hit.number))


def test_whole_post_regex_gives_each_post_once() -> None:
    thread = many_posts("first one", "Comment two", "third")
    found = spans(thread, r"[\s\S]+", regex=True)
    assert found == [(0, "Intro."), (1, "first one"), (2, "Comment two"), (3, "third")]


def test_trailing_whitespace_at_a_post_end_still_matches() -> None:
    thread = raw_thread("Para  ", "one  ", "\ttwo")
    assert spans(thread, r"\s+", regex=True) == [(0, "  "), (1, "  "), (2, "\t")]
    assert spans(thread, r"\s+\S", regex=True) == [(2, "\tt")]


def test_separator_cannot_be_searched_for() -> None:
    thread = seed(SMALL)
    newlines = [(hit.number, hit.start) for hit in find(thread, SEPARATOR)]
    assert newlines == [(0, 8), (0, 9)]
    assert find(thread, "one" + SEPARATOR + "Comment") == []
    assert find(thread, "one" + SEPARATOR + "comment") == []
    assert find(thread, r"one\ncomment", regex=True) == []
    assert find(thread, r"one\s+comment", regex=True) == []


def test_greedy_cross_post_patterns_stay_fast() -> None:
    thread = many_posts(*(f"post {i}" for i in range(20000)))
    for query in [r"[\s\S]+", r"[^z]+", r"(?s).+", r"\D+"]:
        hits = SearchIndex(thread).search(compile_query(query, regex=True))
        assert len(hits) >= 20001
        assert all(hit.end <= len(post_text(thread, hit.number)) for hit in hits)


def test_line_anchors_work_at_post_boundaries() -> None:
    thread = many_posts("alpha beta", "beta alpha")
    assert spans(thread, "^beta", regex=True) == [(2, "beta")]
    assert spans(thread, "beta$", regex=True) == [(1, "beta")]


def test_case_insensitive_search_when_lowercasing_changes_lengths() -> None:
    thread = many_posts("İstanbul and ISTANBUL istanbul", "later istanbul")
    found = spans(thread, "istanbul")
    assert (1, "ISTANBUL") in found
    assert (1, "istanbul") in found
    assert found[-1] == (2, "istanbul")


def test_limit_and_cancel() -> None:
    thread = many_posts(*("e e e" for _ in range(100)))
    index = SearchIndex(thread)
    pattern = compile_query("e", regex=False)
    assert len(index.search(pattern)) == 300
    assert len(index.search(pattern, limit=7)) == 7
    assert len(index.search(pattern, limit=None)) == 300
    stop = threading.Event()
    stop.set()
    assert index.search(pattern, cancel=stop) == []
    assert index.search(None) == []


def test_hits_by_post_groups_in_order() -> None:
    thread = seed(SMALL)
    hits = find(thread, "o")
    grouped = hits_by_post(hits)
    assert sorted(grouped) == [0, 1, 2]
    assert [h for n in sorted(grouped) for h in grouped[n]] == hits
    assert SearchIndex.hits_by_post(hits) == grouped


# -- building -------------------------------------------------------------------------


def test_build_reports_progress_is_idempotent_and_cancellable() -> None:
    thread = many_posts(*(f"post {i}" for i in range(4500)))
    index = SearchIndex(thread)
    stop = threading.Event()
    stop.set()
    assert index.build(cancel=stop) is False
    assert not index.built
    calls: list[tuple[int, int]] = []
    assert index.build(progress=lambda done, total: calls.append((done, total))) is True
    assert index.built
    assert calls[-1] == (4500, 4500)
    assert all(total == 4500 for _, total in calls)
    assert len(calls) >= 3
    calls.clear()
    assert index.build(progress=lambda done, total: calls.append((done, total))) is True
    assert calls == []


def test_search_builds_on_demand_and_matches_a_per_post_scan() -> None:
    posts = [
        f"Post {i}: the quick fox{' jumps' if i % 3 else ''} over {i % 7}" for i in range(5000)
    ]
    thread = many_posts(*posts)
    index = SearchIndex(thread)
    for query, regex in [("jumps", False), ("FOX", False), (r"over [36]$", True), (r"\d+", True)]:
        pattern = compile_query(query, regex=regex)
        assert pattern is not None
        expected = [
            (number, m.start(), m.end())
            for number, text in enumerate([thread.article_text, *posts])
            for m in pattern.finditer(text)
            if m.end() > m.start()
        ]
        assert [(h.number, h.start, h.end) for h in index.search(pattern)] == expected


_WORDS = st.sampled_from(["ab", "Ab", "b a", " ", "a\n", "\t", "ba", "x", "\n\nb"])
_POSTS = st.lists(st.lists(_WORDS, max_size=6).map("".join), min_size=1, max_size=6)
_QUERIES = [
    ("a", False),
    ("b a", False),
    ("AB", False),
    (r"\s+", True),
    (r"a\s*b", True),
    (r"[^x]+", True),
    (r"a*", True),
    (r"b$", True),
    (r"^b", True),
    (r".+", True),
]


@settings(max_examples=60, deadline=None)
@given(posts=_POSTS, which=st.sampled_from(_QUERIES))
def test_joined_search_equals_searching_each_post(posts: list[str], which: tuple) -> None:
    query, regex = which
    thread = raw_thread(*posts)
    pattern = compile_query(query, regex=regex)
    assert pattern is not None
    texts = [post_text(thread, n) for n in range(len(thread.tree) + 1)]
    expected = [
        (number, m.start(), m.end())
        for number, text in enumerate(texts)
        for m in pattern.finditer(text)
        if m.end() > m.start()
    ]
    got = [(h.number, h.start, h.end) for h in SearchIndex(thread).search(pattern)]
    assert got == expected


# -- next / previous ------------------------------------------------------------------


def _hits() -> list[Hit]:
    return find(many_posts("x a", "a a", "none", "a"), "a")


def test_next_hit_steps_and_wraps() -> None:
    hits = _hits()
    assert [(h.number, h.start) for h in hits] == [(1, 2), (2, 0), (2, 2), (4, 0)]
    assert next_hit(hits, (1, 2)) == (hits[1], False)
    assert next_hit(hits, (2, 0)) == (hits[2], False)
    assert next_hit(hits, (4, 0)) == (hits[0], True)


def test_prev_hit_steps_and_wraps() -> None:
    hits = _hits()
    assert prev_hit(hits, (2, 2)) == (hits[1], False)
    assert prev_hit(hits, (1, 2)) == (hits[3], True)


def test_navigation_is_position_based() -> None:
    hits = _hits()
    # Focus moved to post 3 (no hits): n goes to post 4, N back to post 2.
    assert next_hit(hits, (3, -1)) == (hits[3], False)
    assert prev_hit(hits, (3, -1)) == (hits[2], False)
    # Focus on post 2: its own first hit counts as "next", or skip the post entirely.
    assert next_hit(hits, (2, -1)) == (hits[1], False)
    assert next_hit(hits, (2, sys.maxsize)) == (hits[3], False)
    # From the article, the first hit; back from the article wraps to the last.
    assert next_hit(hits, (0, -1)) == (hits[0], False)
    assert prev_hit(hits, (0, -1)) == (hits[3], True)


def test_navigation_without_hits_raises() -> None:
    with pytest.raises(ValueError):
        next_hit([], (0, 0))
    with pytest.raises(ValueError):
        prev_hit([], (0, 0))
