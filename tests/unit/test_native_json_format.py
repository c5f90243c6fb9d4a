"""The threadread/1 JSON reader and writer: every rule a file can break, and depth."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.errors import ThreadError
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.formats.native_json import (
    MAX_POSTED_NOTICES,
    dump_json,
    json_path,
    parse_deep,
    parse_posted,
    read_json,
)
from tui.core.model import CommentSpec, Thread, build_tree, split_paragraphs

PATH = Path("thread.json")
DEEP = 10_000


def load(document: Any, *, repair: bool = True) -> Thread:
    return read_json(json.dumps(document).encode(), path=PATH, repair=repair)


def error_of(document: Any) -> str:
    with pytest.raises(ThreadError) as caught:
        load(document)
    return caught.value.reason


def snapshot(thread: Thread) -> tuple[Any, ...]:
    """Everything a round trip must keep."""
    comments = [
        (
            c.number,
            c.author,
            None if c.posted is None else c.posted.isoformat(),
            c.text,
            c.depth,
            thread.tree.parent(c.number),
        )
        for c in thread.tree
    ]
    return thread.title, thread.article, comments


def chain_text(depth: int, *, tail: str = "") -> str:
    """A `depth`-deep reply chain as JSON text, written without json.dumps."""
    opening = '{"author": "a", "text": "t", "replies": [' * depth
    closing = "]}" * depth
    return (
        '{"format": "threadread/1", "title": "Deep", "article": "", "comments": ['
        + opening
        + closing
        + tail
        + "]}"
    )


SMALL = {
    "format": "threadread/1",
    "title": "A small thread",
    "article": "First paragraph.\n\nSecond paragraph,\nstill second.",
    "comments": [
        {
            "author": "alice",
            "posted": "2024-05-01T10:00:00Z",
            "text": "Top level.\n\nWith two paragraphs.",
            "replies": [
                {
                    "author": "bob",
                    "posted": "2024-05-01T11:30:00+02:00",
                    "text": "A reply.",
                    "replies": [{"author": None, "posted": None, "text": "Deeper."}],
                },
                {"author": "carol", "text": "A second reply."},
            ],
        },
        {"text": "Another top-level comment."},
    ],
}


# -- the happy path ---------------------------------------------------------------------


def test_reads_title_article_and_tree_in_reading_order() -> None:
    thread = load(SMALL)
    assert thread.format == "threadread/1"
    assert thread.source == PATH
    assert thread.title == "A small thread"
    assert thread.article == ("First paragraph.", "Second paragraph,\nstill second.")
    assert len(thread) == 5
    assert [(c.number, c.depth, c.author) for c in thread.tree] == [
        (1, 0, "alice"),
        (2, 1, "bob"),
        (3, 2, None),
        (4, 1, "carol"),
        (5, 0, None),
    ]
    assert [c.number for c in thread.comments] == [1, 5]
    assert [r.number for r in thread.tree.get(1).replies] == [2, 4]
    assert thread.tree.parent(3) == 2
    assert thread.tree.get(1).posted == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert thread.tree.get(2).posted == datetime(
        2024, 5, 1, 11, 30, tzinfo=timezone(timedelta(hours=2))
    )
    assert thread.notices == ()


def test_only_format_is_required() -> None:
    thread = load({"format": "threadread/1"})
    assert (thread.title, thread.article, len(thread)) == ("", (), 0)


def test_optional_comment_fields_may_be_missing_or_null() -> None:
    thread = load(
        {
            "format": "threadread/1",
            "comments": [
                {"text": "bare"},
                {"text": "nulls", "author": None, "posted": None, "replies": None},
                {"text": "empty replies", "replies": []},
            ],
            "article": None,
            "title": None,
        }
    )
    assert [(c.text, c.author, c.posted, c.replies) for c in thread.tree] == [
        ("bare", None, None, ()),
        ("nulls", None, None, ()),
        ("empty replies", None, None, ()),
    ]
    assert (thread.title, thread.article) == ("", ())


def test_unknown_keys_are_ignored() -> None:
    document = json.loads(json.dumps(SMALL))
    document["generator"] = {"name": "scraper", "version": [1, 2]}
    document["comments"][0]["score"] = 12
    document["comments"][0]["replies"][0]["flags"] = None
    assert snapshot(load(document)) == snapshot(load(SMALL))


@pytest.mark.parametrize(
    "stamp, expected",
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00+00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01 10:00", datetime(2024, 5, 1, 10)),
        ("2024-05-01", datetime(2024, 5, 1)),
        ("2024-05-01T10:00:00.250", datetime(2024, 5, 1, 10, 0, 0, 250_000)),
        ("yesterday", None),
        ("", None),
        ("2024-13-01", None),
    ],
)
def test_parse_posted(stamp: str, expected: datetime | None) -> None:
    assert parse_posted(stamp) == expected


# -- format ------------------------------------------------------------------------------


def test_missing_format_is_an_error() -> None:
    assert error_of({"title": "x"}) == 'not a threadread/1 file: no "format" key'


def test_other_format_is_named() -> None:
    reason = error_of({"format": "threadread/2"})
    assert reason == 'unsupported format "threadread/2" (expected "threadread/1")'


def test_format_of_the_wrong_type_is_named() -> None:
    assert error_of({"format": 1}) == 'format: expected "threadread/1", found a number'


def test_a_top_level_array_is_not_a_thread() -> None:
    assert error_of([1, 2]) == "not a threadread/1 file: expected a JSON object, found an array"


def test_control_characters_in_the_format_value_are_not_echoed() -> None:
    reason = error_of({"format": "x\x1b]0;owned\x07\u202e"})
    assert "\x1b" not in reason
    assert "\x07" not in reason
    assert "\u202e" not in reason


# -- wrong types ---------------------------------------------------------------------------


def _with_comments(comments: Any) -> dict[str, Any]:
    return {"format": "threadread/1", "title": "t", "comments": comments}


def _nested(leaf: dict[str, Any]) -> list[Any]:
    """Three plain comments, then a fourth whose first reply is `leaf`."""
    return [{"text": "ok"}] * 3 + [{"text": "ok", "replies": [leaf]}]


@pytest.mark.parametrize(
    "document, reason",
    [
        (
            _with_comments(_nested({"text": 5})),
            "comments[3].replies[0].text: expected a string, found a number",
        ),
        (
            _with_comments([{"text": "x", "replies": {"text": "y"}}]),
            "comments[0].replies: expected an array, found an object",
        ),
        (
            _with_comments([{"text": "x", "replies": "none"}]),
            "comments[0].replies: expected an array, found a string",
        ),
        (_with_comments([{"text": None}]), "comments[0].text: expected a string, found null"),
        (_with_comments([{"author": "x"}]), 'comments[0]: missing "text"'),
        (
            _with_comments([{"text": "x", "author": ["a"]}]),
            "comments[0].author: expected a string, found an array",
        ),
        (
            _with_comments([{"text": "x", "posted": 1714557600}]),
            "comments[0].posted: expected a string, found a number",
        ),
        (
            _with_comments(_nested({"text": "x", "author": True})),
            "comments[3].replies[0].author: expected a string, found a boolean",
        ),
        (_with_comments([{"text": "x"}, "y"]), "comments[1]: expected an object, found a string"),
        (_with_comments({"0": {}}), "comments: expected an array, found an object"),
        (
            {"format": "threadread/1", "title": ["t"]},
            "title: expected a string, found an array",
        ),
        (
            {"format": "threadread/1", "article": False},
            "article: expected a string, found a boolean",
        ),
    ],
)
def test_wrong_types_name_the_json_path(document: Any, reason: str) -> None:
    assert error_of(document) == reason


def test_wrong_type_message_is_one_user_line() -> None:
    with pytest.raises(ThreadError) as caught:
        load(_with_comments([{"text": 1.5}]))
    assert str(caught.value) == (
        "threadread: thread.json: comments[0].text: expected a string, found a number"
    )


def test_a_very_deep_path_is_shortened() -> None:
    text = chain_text(50).replace('"text": "t", "replies": []', '"text": 7, "replies": []')
    with pytest.raises(ThreadError) as caught:
        read_json(text.encode(), path=PATH)
    reason = caught.value.reason
    assert reason.startswith("comments[0].replies[0].replies[0].…(")
    assert reason.endswith(".replies[0].text: expected a string, found a number")
    assert len(reason) < 200


def test_json_path_spelling() -> None:
    assert json_path((((None, "comments", 3), "replies", 0), "text", None)) == (
        "comments[3].replies[0].text"
    )


# -- posted -------------------------------------------------------------------------------


def test_unreadable_posted_is_dropped_with_a_notice() -> None:
    thread = load(_with_comments(_nested({"text": "x", "posted": "last Tuesday"})))
    assert thread.tree.get(5).posted is None
    assert thread.tree.get(5).text == "x"
    assert thread.notices == (
        "comments[3].replies[0].posted: 'last Tuesday' is not an ISO-8601 time; "
        "shown without a time",
    )


def test_many_unreadable_posted_times_are_summed_up() -> None:
    comments = [{"text": str(i), "posted": "soon"} for i in range(40)]
    thread = load(_with_comments(comments))
    assert len(thread) == 40
    assert len(thread.notices) == MAX_POSTED_NOTICES + 1
    assert thread.notices[0].startswith("comments[0].posted:")
    assert thread.notices[-1] == (
        f"{40 - MAX_POSTED_NOTICES} more comments have a posted time that is not ISO-8601"
    )


# -- malformed JSON -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            '{"format": "threadread/1",\n  "title": }',
            "malformed JSON at line 2, column 12: Expecting value",
        ),
        (
            '{"format": "threadread/1", "comments": [\n{"text": "a"}\n{"text": "b"}]}',
            "malformed JSON at line 3, column 1: Expecting ',' delimiter",
        ),
        (
            '{"format": "threadread/1"} trailing',
            "malformed JSON at line 1, column 28: Extra data",
        ),
        (
            '{"format": "threadread/1", "title": "unterminated}',
            "malformed JSON at line 1, column 37: Unterminated string starting at",
        ),
        ("{'format': 1}", "malformed JSON at line 1, column 2: "),
    ],
)
def test_malformed_json_gives_line_and_column(text: str, reason: str) -> None:
    with pytest.raises(ThreadError) as caught:
        read_json(text.encode(), path=PATH)
    assert caught.value.reason.startswith(reason)
    assert "\n" not in str(caught.value)


def test_malformed_deep_json_gives_line_and_column() -> None:
    text = chain_text(3000).replace("]}]}]}]}", "]}]}]]}]}", 1)
    with pytest.raises(ThreadError) as caught:
        read_json(text.encode(), path=PATH)
    assert caught.value.reason.startswith("malformed JSON at line 1, column ")
    with pytest.raises(json.JSONDecodeError) as expected:
        parse_deep(text)
    assert caught.value.reason.endswith(expected.value.msg)


def test_invalid_utf8_is_a_thread_error() -> None:
    with pytest.raises(ThreadError, match="not valid UTF-8"):
        read_json(b'{"format": "threadread/1", "title": "\xff"}', path=PATH)


# -- the iterative parser agrees with json.loads ----------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values, st.sampled_from([None, 0, 2]))
def test_parse_deep_matches_json_loads(value: Any, indent: int | None) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    assert parse_deep(text) == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "{",
        "[",
        "[1,]",
        '{"a" 1}',
        '{"a": 1,}',
        "{1: 2}",
        "[1 2]",
        "[tru]",
        "01",
        "-",
        '"\\x"',
        '"a\nb"',
        "[] []",
        "[[[[[",
        '{"a": [1, {"b": }]}',
    ],
)
def test_parse_deep_fails_where_json_loads_fails(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as found:
        parse_deep(text)
    assert (found.value.msg, found.value.pos) == (expected.value.msg, expected.value.pos)


def test_parse_deep_literals() -> None:
    assert parse_deep('[NaN, Infinity, -Infinity, 1e3, -0.5, 0, "\\u00e9"]')[1:] == [
        float("inf"),
        float("-inf"),
        1000.0,
        -0.5,
        0,
        "é",
    ]


# -- depth --------------------------------------------------------------------------------


def test_ten_thousand_deep_chain_loads() -> None:
    thread = read_json(chain_text(DEEP).encode(), path=PATH)
    assert len(thread) == DEEP
    tree = thread.tree
    assert [tree.depth(n) for n in (1, 2, 5000, DEEP)] == [0, 1, 4999, DEEP - 1]
    assert tree.parent(DEEP) == DEEP - 1
    assert tree.get(DEEP).number == DEEP
    assert tree.descendants(1) == DEEP - 1
    assert all(c.number == i + 1 and c.depth == i for i, c in enumerate(tree))


def test_deep_chain_followed_by_siblings_keeps_numbering() -> None:
    tail = ', {"text": "after", "replies": [{"text": "its reply"}]}'
    thread = read_json(chain_text(DEEP, tail=tail).encode(), path=PATH)
    assert len(thread) == DEEP + 2
    after = thread.tree.get(DEEP + 1)
    assert (after.text, after.depth, thread.tree.parent(DEEP + 1)) == ("after", 0, None)
    assert thread.tree.get(DEEP + 2).depth == 1
    assert [c.number for c in thread.comments] == [1, DEEP + 1]


def test_ten_thousand_deep_chain_dumps_and_reads_back() -> None:
    thread = read_json(chain_text(DEEP).encode(), path=PATH)
    dumped = dump_json(thread)
    again = read_json(dumped.encode(), path=PATH)
    assert snapshot(again) == snapshot(thread)
    assert parse_deep(dumped)["comments"][0]["text"] == "t"


def test_deep_chain_through_the_reader_dispatch() -> None:
    thread = parse_thread(chain_text(DEEP).encode(), Path("deep.json"))
    assert thread.format == "threadread/1"
    assert thread.tree.depth(DEEP) == DEEP - 1


# -- writing -----------------------------------------------------------------------------


def _as_plain_json(thread: Thread) -> dict[str, Any]:
    """What `dump_json` should write, built the simple (recursive) way."""

    def comment(c: Any) -> dict[str, Any]:
        return {
            "author": c.author,
            "posted": None if c.posted is None else c.posted.isoformat(),
            "text": c.text,
            "replies": [comment(r) for r in c.replies],
        }

    return {
        "format": "threadread/1",
        "title": thread.title,
        "article": "\n\n".join(thread.article),
        "comments": [comment(c) for c in thread.comments],
    }


def test_dump_is_laid_out_like_json_dumps_indent_2() -> None:
    thread = load(SMALL)
    expected = json.dumps(_as_plain_json(thread), indent=2, ensure_ascii=False) + "\n"
    assert dump_json(thread) == expected


def test_dump_of_a_thread_without_comments() -> None:
    thread = load({"format": "threadread/1", "title": "Empty"})
    assert json.loads(dump_json(thread)) == {
        "format": "threadread/1",
        "title": "Empty",
        "article": "",
        "comments": [],
    }


def test_dump_keeps_non_ascii_readable_and_escapes_controls() -> None:
    thread = load(_with_comments([{"text": "café 🤔 \x1b[2J \u202e"}]), repair=False)
    dumped = dump_json(thread)
    assert "café 🤔" in dumped
    assert "\x1b" not in dumped
    assert "\\u001b" in dumped
    assert read_json(dumped.encode()).tree.get(1).text == "café 🤔 \x1b[2J \u202e"


def test_dump_escapes_lone_surrogates_so_output_is_utf8() -> None:
    thread = read_json(b'{"format": "threadread/1", "comments": [{"text": "a\\ud800b"}]}')
    dumped = dump_json(thread)
    dumped.encode("utf-8")
    assert read_json(dumped.encode()).tree.get(1).text == "a\ud800b"


def test_round_trip_small_thread() -> None:
    thread = load(SMALL)
    again = read_json(dump_json(thread).encode(), path=PATH)
    assert snapshot(again) == snapshot(thread)
    assert again.notices == ()


def test_round_trip_seed_thread(seed_path: Path) -> None:
    for repair in (True, False):
        thread = read_thread(seed_path, repair=repair)
        assert len(thread) > 0
        again = read_json(dump_json(thread).encode(), repair=repair)
        assert snapshot(again) == snapshot(thread)


def test_seed_repairs_survive_as_fixed_text(seed_path: Path) -> None:
    thread = read_thread(seed_path)
    dumped = dump_json(thread)
    assert "🤔" in dumped
    assert "๐Ÿค”" not in dumped


def test_repairs_are_recorded() -> None:
    mangled = "I think so ๐Ÿค” really"
    thread = load(
        {
            "format": "threadread/1",
            "title": "Title ๐Ÿค”",
            "article": "Para ๐Ÿค”",
            "comments": [{"text": "plain"}, {"text": mangled}],
        }
    )
    assert thread.title == "Title 🤔"
    assert thread.article == ("Para 🤔",)
    assert len(thread.article_repairs) == 2
    assert thread.tree.get(2).text == "I think so 🤔 really"
    assert thread.tree.repairs_of(1) == ()
    (repair,) = thread.tree.repairs_of(2)
    assert (repair.original, repair.replacement) == ("๐Ÿค”", "🤔")
    assert len(thread.repairs()) == 3

    raw = load(
        {"format": "threadread/1", "comments": [{"text": mangled}]},
        repair=False,
    )
    assert raw.tree.get(1).text == mangled
    assert raw.repair is False
    assert raw.repairs() == ()


# -- property: any tree round-trips ----------------------------------------------------

_text = st.text(
    alphabet=st.characters(codec=None) | st.sampled_from("\x00\x1b\r\n\t\u202e\ud800\udfff"),
    max_size=40,
)
_posted = st.none() | st.datetimes(
    min_value=datetime(1, 1, 1),
    timezones=st.none()
    | st.integers(-23 * 60, 23 * 60).map(lambda m: timezone(timedelta(minutes=m))),
)
_leaf = st.tuples(_text, st.none() | _text, _posted, st.just(()))
_trees = st.lists(
    st.recursive(
        _leaf,
        lambda children: st.tuples(
            _text, st.none() | _text, _posted, st.lists(children, max_size=3)
        ),
        max_leaves=25,
    ),
    max_size=5,
)


def _specs(trees: list[Any]) -> list[CommentSpec]:
    def spec(node: Any) -> CommentSpec:
        text, author, posted, replies = node
        return CommentSpec(text, author, posted, [spec(r) for r in replies])

    return [spec(t) for t in trees]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(title=_text, article=_text, trees=_trees)
def test_random_trees_round_trip(title: str, article: str, trees: list[Any]) -> None:
    thread = Thread(
        title=title,
        article=split_paragraphs(article),
        tree=build_tree(_specs(trees)),
        format="threadread/1",
    )
    dumped = dump_json(thread)
    dumped.encode("utf-8")
    assert json.loads(dumped) == _as_plain_json(thread)
    again = read_json(dumped.encode(), repair=False)
    assert snapshot(again) == snapshot(thread)
    assert again.notices == ()


def test_site_fields_of_the_wrong_type_are_left_out_with_a_notice() -> None:
    thread = load(
        {
            "format": "threadread/1",
            "title": "t",
            "score": "many",
            "comments": [
                {
                    "text": "see here",
                    "score": 3,
                    "status": "vanished",
                    "spans": [[0, 3, "strong"], [4, 99, "link", "https://x.org"], [4, 8, "link"]],
                    "more": True,
                }
            ],
        }
    )
    (comment,) = thread.tree
    assert comment.score == 3 and comment.status.value == "normal" and comment.more == 0
    assert [(s.start, s.end, s.role) for s in comment.spans] == [(0, 3, "strong")]
    (notice,) = thread.notices
    assert notice.splitlines() == [
        "5 optional fields left out:",
        "  comments[0].more: expected a whole number",
        "  comments[0].status: not a known status",
        "  comments[0].spans[1]: not a span of this text",
        "  comments[0].spans[2]: not a span of this text",
        "  score: expected a whole number",
    ]


def test_a_link_span_to_an_unsafe_target_is_refused() -> None:
    thread = load(
        {
            "format": "threadread/1",
            "comments": [{"text": "click", "spans": [[0, 5, "link", "javascript:alert(1)"]]}],
        }
    )
    assert thread.tree.get(1).spans == ()
    assert "comments[0].spans[0]: not a span of this text" in thread.notices[0]


def test_without_spans_bare_urls_are_links() -> None:
    thread = load({"format": "threadread/1", "comments": [{"text": "at https://x.org/a."}]})
    (span,) = thread.tree.get(1).spans
    assert (span.start, span.end, span.href) == (3, 18, "https://x.org/a")
