"""In-thread search: smart case, regex handling, post boundaries, hit navigation."""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.formats.detect import read_thread
from tui.core.formats.plaintext import read_seed
from tui.core.model import CommentSpec, Thread, build_tree
from tui.core.search.index import (
    SEPARATOR,
    Hit,
    HitList,
    SearchIndex,
    hits_by_post,
    next_hit,
    prev_hit,
)
from tui.core.search.query import SearchError, compile_query

SMALL = "Title\n\nPara one\n\nPara two\n\u00a0\nComment one\n\u00a0\nComment two"


def seed(text: str) -> Thread:
    return read_seed(text.encode("utf-8"))


def post_text(thread: Thread, number: int) -> str:
    return thread.article_text if number == 0 else thread.tree.get(number).text


def find(thread: Thread, query: str, *, regex: bool = False) -> HitList:
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


# Words whose characters take one to four bytes in UTF-8, change their length when
# lowercased (Ⱥ, İ, the Kelvin sign), or are lone surrogates, as a JSON thread may hold.
_WIDE_WORDS = st.sampled_from(
    ["ab", "Ab", " ", "\n", "é", "É", "😂", "Ⱥ", "ⱥ", "İ", "ı", "ſ", "K", "k", "S", "\udc80", "x"]
)
_WIDE_POSTS = st.lists(st.lists(_WIDE_WORDS, max_size=8).map("".join), min_size=1, max_size=6)
_WIDE_QUERIES = [
    ("a", False),
    ("k", False),
    ("s", False),
    ("i", False),
    ("é", False),
    ("É", False),
    ("ⱥ", False),
    ("Ⱥ", False),
    ("😂", False),
    ("b😂", False),
    ("\udc80", False),
    ("é\n", False),
    (r"\w+", True),
    (r"[éⱥ]+", True),
    (r"k\W", True),
    (r"\s+", True),
    (r"😂$", True),
]


def _expected_hits(texts: list[str], pattern: re.Pattern[str]) -> list[tuple[int, int, int]]:
    """The hits of a per-post scan, ignoring case as the index does: by lowercasing,
    unless that lengthens some post of the thread, then with re.IGNORECASE."""
    lowercase = pattern.flags & re.IGNORECASE and all(len(t.lower()) == len(t) for t in texts)
    if lowercase:
        pattern = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    return [
        (number, m.start(), m.end())
        for number, text in enumerate(texts)
        for m in pattern.finditer(text.lower() if lowercase else text)
        if m.end() > m.start()
    ]


@settings(max_examples=150, deadline=None)
@given(posts=_WIDE_POSTS, which=st.sampled_from(_WIDE_QUERIES))
def test_search_in_any_text_equals_searching_each_post(posts: list[str], which: tuple) -> None:
    query, regex = which
    thread = raw_thread(*posts)
    pattern = compile_query(query, regex=regex)
    assert pattern is not None
    texts = [post_text(thread, n) for n in range(len(thread.tree) + 1)]
    hits = SearchIndex(thread).search(pattern)
    assert [(h.number, h.start, h.end) for h in hits] == _expected_hits(texts, pattern)
    for number in range(len(texts)):
        assert hits.spans_in(number) == [(h.start, h.end) for h in hits if h.number == number]


@settings(max_examples=150, deadline=None)
@given(
    posts=_WIDE_POSTS,
    which=st.sampled_from(_WIDE_QUERIES),
    window=st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(1, 4), st.booleans()),
)
def test_a_window_of_posts_holds_the_same_hits_as_the_whole_search(
    posts: list[str], which: tuple, window: tuple[int, int, int, bool]
) -> None:
    """Searching posts first..last, keeping the first or last `limit` hits, finds
    exactly those hits of an unlimited search of the whole thread."""
    query, regex = which
    first, span, limit, keep_last = window
    last = first + span
    thread = raw_thread(*posts)
    pattern = compile_query(query, regex=regex)
    assert pattern is not None
    index = SearchIndex(thread)
    every = [(h.number, h.start, h.end) for h in index.search(pattern, limit=None)]
    inside = [hit for hit in every if first <= hit[0] <= last]
    expected = inside[-limit:] if keep_last else inside[:limit]
    got = index.search(pattern, limit=limit, first_post=first, last_post=last, keep_last=keep_last)
    assert [(h.number, h.start, h.end) for h in got] == expected


def test_keeping_the_last_hits_of_many() -> None:
    thread = many_posts(*[f"post {i} " + "word " * 50 for i in range(1, 300)])
    index = SearchIndex(thread)
    pattern = compile_query("word", regex=False)
    hits = index.search(pattern, limit=1000, keep_last=True)
    assert len(hits) == 1000
    assert hits[-1].number == 299 and hits[0].number == 280
    hits = index.search(pattern, limit=1000, first_post=100)
    assert hits[0].number == 100 and hits[-1].number == 119


# -- next / previous ------------------------------------------------------------------


def _hits() -> HitList:
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


# -- the hit list ---------------------------------------------------------------------


def _wide_hits() -> HitList:
    """Hits for "a" where characters before them take several bytes each."""
    return find(many_posts("😂 a b a", "none", "a"), "a")


def test_hit_list_is_a_sequence_of_hits_in_characters() -> None:
    hits = _wide_hits()
    assert isinstance(hits, HitList)
    assert len(hits) == 3
    assert hits[0] == Hit(1, 2, 3, 0)
    assert hits[-1] == Hit(3, 0, 1, 2)
    assert list(hits) == [hits[0], hits[1], hits[2]] == hits[:]
    assert hits == list(hits)
    assert list(hits) == hits
    assert hits != hits[:2]
    assert hits[1:] == [Hit(1, 6, 7, 1), Hit(3, 0, 1, 2)]
    with pytest.raises(IndexError):
        hits[3]


def test_hit_list_spans_per_post() -> None:
    hits = _wide_hits()
    assert hits.spans_in(1) == [(2, 3), (6, 7)]
    assert hits.spans_in(2) == []
    assert hits.spans_in(0) == []
    assert hits.spans_in(99) == []
    assert hits.count_in(1) == 2
    assert hits.count_in(2) == 0
    assert list(hits.post_numbers()) == [1, 3]
    by_post = hits.spans_by_post()
    assert dict(by_post) == {1: [(2, 3), (6, 7)], 3: [(0, 1)]}
    assert by_post.get(2) is None
    assert 2 not in by_post
    assert len(by_post) == 2


def test_hit_list_steps_by_character_position() -> None:
    hits = _wide_hits()
    assert hits.next_hit((1, 2)) == (hits[1], False)
    assert hits.next_hit((1, -1)) == (hits[0], False)
    assert hits.next_hit((1, 3)) == (hits[1], False)
    assert hits.prev_hit((1, 6)) == (hits[0], False)
    assert hits.prev_hit((1, sys.maxsize)) == (hits[1], False)
    assert hits.next_hit((3, 0)) == (hits[0], True)
    assert hits.prev_hit((0, 0)) == (hits[2], True)
    assert hits.next_hit((99, 0)) == (hits[0], True)
    assert next_hit(hits, (2, 0)) == (hits[2], False)
    assert prev_hit(hits, (2, 0)) == (hits[1], False)


def test_empty_hit_list() -> None:
    hits = find(many_posts("a b"), "zzz")
    assert hits == []
    assert not hits
    assert hits.next_hit((0, 0)) is None
    assert hits.prev_hit((0, 0)) is None
    assert hits.spans_in(1) == []
    assert HitList() == []
    with pytest.raises(ValueError):
        next_hit(hits, (0, 0))
    with pytest.raises(ValueError):
        prev_hit(hits, (0, 0))


# -- text beyond ASCII ------------------------------------------------------------------


def test_offsets_count_characters_not_bytes() -> None:
    thread = many_posts("😂 café Café CAFÉ", "naïve 👀 cafe", "plain café")
    assert spans(thread, "café") == [(1, "café"), (1, "Café"), (1, "CAFÉ"), (3, "café")]
    assert spans(thread, "Café") == [(1, "Café")]
    assert spans(thread, "cafe") == [(2, "cafe")]
    assert spans(thread, "👀") == [(2, "👀")]
    assert spans(thread, r"caf\w", regex=True) == [
        (1, "café"),
        (1, "Café"),
        (1, "CAFÉ"),
        (2, "cafe"),
        (3, "café"),
    ]
    assert spans(thread, r"\S+$", regex=True) == [
        (0, "Intro."),
        (1, "CAFÉ"),
        (2, "cafe"),
        (3, "café"),
    ]


def test_case_is_ignored_where_lowercasing_changes_byte_lengths() -> None:
    # Ⱥ takes two bytes in UTF-8 and its lowercase ⱥ three; the Kelvin sign K three
    # and its lowercase k one.
    thread = many_posts("Ⱥb ⱥB é", "OK \u212a k É")
    assert spans(thread, "ⱥb") == [(1, "Ⱥb"), (1, "ⱥB")]
    assert spans(thread, "é") == [(1, "é"), (2, "É")]
    assert spans(thread, "k") == [(2, "K"), (2, "\u212a"), (2, "k")]
    assert spans(thread, r"ⱥ\w", regex=True) == [(1, "Ⱥb"), (1, "ⱥB")]
    assert spans(thread, "É") == [(2, "É")]


def test_lone_surrogates_are_searchable_text() -> None:
    thread = raw_thread("x", "a\udc80b \udc80", "b")
    assert spans(thread, "\udc80") == [(1, "\udc80"), (1, "\udc80")]
    assert spans(thread, "b") == [(1, "b"), (2, "b")]
    assert spans(thread, r"\udc80\w", regex=True) == [(1, "\udc80b")]


def test_search_across_many_slices_matches_a_per_post_scan() -> None:
    posts = [f"Café {i} 😂 naïve{' NAÏVE' if i % 5 == 0 else ''} end" for i in range(30_000)]
    thread = many_posts(*posts)
    index = SearchIndex(thread)
    texts = [thread.article_text, *posts]
    for query, regex in [("naïve", False), ("😂 n", False), (r"\d+ 😂", True), (r"ï\w+$", True)]:
        pattern = compile_query(query, regex=regex)
        assert pattern is not None
        hits = index.search(pattern, limit=None)
        assert [(h.number, h.start, h.end) for h in hits] == _expected_hits(texts, pattern)
    limited = index.search(compile_query(r"ï\w", regex=True), limit=7)
    assert [(h.number, h.index) for h in limited] == [
        (1, 0),
        (1, 1),
        (2, 2),
        (3, 3),
        (4, 4),
        (5, 5),
        (6, 6),
    ]


class _StopAfter(threading.Event):
    """An event that reads as set from its `calls`-th look on."""

    def __init__(self, calls: int) -> None:
        super().__init__()
        self.calls = calls

    def is_set(self) -> bool:
        self.calls -= 1
        return self.calls < 0


@pytest.mark.parametrize(("query", "regex"), [("e", False), ("é", False), (r"e\W", True)])
def test_cancel_mid_search_gives_no_hits(query: str, regex: bool) -> None:
    thread = many_posts(*(f"é e é e {i}" for i in range(40_000)))
    index = SearchIndex(thread)
    pattern = compile_query(query, regex=regex)
    assert len(index.search(pattern, limit=None)) >= 40_000
    stop = _StopAfter(1)
    assert index.search(pattern, limit=None, cancel=stop) == []
    # It stopped at its next look rather than scanning on to the end.
    assert stop.calls > -3
