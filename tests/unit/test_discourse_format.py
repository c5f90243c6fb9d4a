"""Discourse topics (`/t/<id>.json`, `posts.json`): what a reader sees of each post."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from repo_paths import SAMPLES

from tui.core.errors import ThreadError
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.formats.discourse import MISSING_OPENING
from tui.core.model import Status

SAMPLE = SAMPLES / "discourse-ferry-timetable-utc.json"


def post(number: int, cooked: str, reply_to: int | None = None, **extra: Any) -> dict[str, Any]:
    raw = {
        "id": 1000 + number,
        "username": f"user{number}",
        "name": f"User {number}",
        "created_at": f"2025-03-11T08:{number:02d}:00.000Z",
        "cooked": cooked,
        "post_number": number,
        "post_type": 1,
        "reply_to_post_number": reply_to,
        "score": 17.3,
        "topic_id": 7,
        "user_deleted": False,
        "deleted_at": None,
        "hidden": False,
    }
    raw.update(extra)
    return raw


def topic(*posts: dict[str, Any], title: str | None = "A topic") -> bytes:
    document: dict[str, Any] = {"post_stream": {"posts": list(posts)}, "id": 7}
    if title is not None:
        document["title"] = title
    return json.dumps(document).encode()


def test_the_sample_reads_with_the_first_post_as_article() -> None:
    thread = read_thread(SAMPLE)
    assert thread.format == "discourse"
    assert thread.title == "Ferry timetable shows UTC after the spring update"
    assert thread.author == "ingrid"
    assert thread.article_text.startswith("Our ferry timetable widget pulls the departures")
    code = [s for s in thread.article_spans if s.role == "code_block"]
    assert thread.article_text[code[0].start : code[0].end].startswith("def next_departures")
    shape = [(c.depth, c.author, c.status) for c in thread.tree]
    assert shape == [
        (0, "tferreira", Status.NORMAL),
        (1, "ingrid", Status.NORMAL),
        (2, "kenji_w", Status.DELETED),
        (3, "tferreira", Status.NORMAL),
        (0, "aiko", Status.NORMAL),
        (0, "ravi.m", Status.ORPHAN),
        (0, None, Status.MORE),
    ]
    assert thread.tree.get(7).text == "1 more reply not in this file"
    assert thread.notices == ()


def test_a_quote_aside_becomes_a_quote_span_and_likes_the_score() -> None:
    thread = read_thread(SAMPLE)
    reply = thread.tree.get(2)
    quote = next(s for s in reply.spans if s.role == "quote")
    assert reply.text[quote.start : quote.end] == "Nothing in the changelog mentions it."
    assert reply.score == 2
    assert thread.score == 5


def test_non_english_text_and_emoji_are_kept() -> None:
    thread = read_thread(SAMPLE)
    assert "東京のフェリー" in thread.tree.get(5).text
    assert "🚢" in thread.tree.get(5).text


def test_replies_to_post_one_are_top_level() -> None:
    thread = parse_thread(topic(post(1, "<p>Opening</p>"), post(2, "<p>Reply</p>", reply_to=1)))
    assert [(c.depth, c.text, c.status) for c in thread.tree] == [(0, "Reply", Status.NORMAL)]


def test_posts_json_has_no_title_so_the_first_line_of_the_first_post_is_used() -> None:
    data = topic(
        post(1, "<p>Why does the <b>ferry</b> widget show UTC?<br>Details below.</p>"),
        post(2, "<p>Same here</p>"),
        title=None,
    )
    thread = parse_thread(data, Path("posts.json"))
    assert thread.title == "Why does the ferry widget show UTC?"
    assert thread.article_text.startswith("Why does the ferry widget")


def test_a_later_page_without_post_one_says_so_once_and_keeps_its_replies() -> None:
    data = topic(post(21, "<p>Page two starts here</p>"), post(22, "<p>Agreed</p>", 21), title=None)
    thread = parse_thread(data)
    assert thread.article_text == "[the topic's opening post is not in this file]"
    assert thread.title == "Page two starts here"
    assert [(c.depth, c.text) for c in thread.tree] == [(0, "Page two starts here"), (1, "Agreed")]
    assert len(thread.notices) == 1
    assert "post #1" in thread.notices[0]


def test_posts_of_the_topic_not_on_the_page_are_counted_in_one_row() -> None:
    document = json.loads(topic(post(1, "<p>a</p>"), post(2, "<p>b</p>")))
    document["post_stream"]["stream"] = [1001, 1002, 1003, 1004, 1005]
    thread = parse_thread(json.dumps(document).encode())
    assert [(c.depth, c.text) for c in thread.tree] == [
        (0, "b"),
        (0, "3 more replies not in this file"),
    ]


def test_likes_come_from_actions_summary_on_older_forums() -> None:
    old = post(2, "<p>x</p>", actions_summary=[{"id": 2, "count": 9}, {"id": 3, "count": 1}])
    thread = parse_thread(topic(post(1, "<p>a</p>"), old))
    assert thread.tree.get(1).score == 9


def test_the_ranking_score_is_not_shown_as_votes() -> None:
    thread = parse_thread(topic(post(1, "<p>a</p>"), post(2, "<p>b</p>", score=88.5)))
    assert thread.tree.get(1).score is None


def test_deleted_hidden_and_small_action_posts() -> None:
    thread = parse_thread(
        topic(
            post(1, "<p>a</p>"),
            post(2, "", deleted_at="2025-03-12T00:00:00Z"),
            post(3, "<p>spam</p>", hidden=True),
            post(4, "", post_type=3, action_code="closed.enabled"),
        )
    )
    rows = [(c.status, c.text) for c in thread.tree]
    assert rows == [
        (Status.DELETED, "[deleted]"),
        (Status.DEAD, "spam"),
        (Status.NORMAL, "[closed enabled]"),
    ]


def test_posts_are_put_in_post_number_order() -> None:
    posts = post(3, "<p>third</p>"), post(1, "<p>first</p>"), post(2, "<p>2</p>")
    thread = parse_thread(topic(*posts))
    assert thread.article_text == "first"
    assert [c.text for c in thread.tree] == ["2", "third"]


def test_broken_posts_are_one_notice_and_the_rest_opens() -> None:
    data = topic(
        post(1, "<p>a</p>"),
        "not a post",  # type: ignore[arg-type]
        {"cooked": "<p>no number</p>"},
        post(4, 42),  # type: ignore[arg-type]
        post(5, "<p>fine</p>", created_at="yesterday"),
    )
    thread = parse_thread(data)
    assert [c.text for c in thread.tree] == ["", "fine"]
    assert thread.tree.get(2).posted is None
    assert len(thread.notices) == 1
    notice = thread.notices[0]
    assert "4 broken parts" in notice
    assert "post_stream.posts[1]: not a post object" in notice
    assert "post #4: cooked is not a string" in notice
    assert "'yesterday' is not a time" in notice


def test_a_dangerous_link_is_text_only() -> None:
    cooked = '<p><a href="javascript:alert(1)">click</a> and <a href="/u/bob">@bob</a></p>'
    thread = parse_thread(topic(post(1, cooked)))
    assert thread.article_text == "click and @bob"
    assert [s for s in thread.article_spans if s.role == "link"] == []


@pytest.mark.parametrize("name", ["index.json", "7714", "topic.txt"])
def test_detected_by_content_whatever_the_name(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(topic(post(1, "<p>a</p>")))
    assert read_thread(path).format == "discourse"


def test_a_post_stream_without_posts_is_not_a_thread() -> None:
    with pytest.raises(ThreadError, match="not a thread threadread can read"):
        parse_thread(b'{"post_stream": {"stream": [1, 2]}, "title": "x"}')


def test_a_featured_link_is_the_article_link() -> None:
    document = json.loads(topic(post(1, "<p>a</p>")))
    document["featured_link"] = "https://news.example/a"
    assert parse_thread(json.dumps(document).encode()).url == "https://news.example/a"


def test_a_page_with_no_posts_opens_with_a_notice() -> None:
    thread = parse_thread(b'{"post_stream": {"posts": [], "stream": [5, 6]}, "title": "Empty"}')
    assert (thread.title, thread.article_text) == ("Empty", MISSING_OPENING)
    assert [c.text for c in thread.tree] == ["2 more replies not in this file"]
    assert "holds none of the topic's posts" in thread.notices[0]
