"""Mastodon conversations: a context, a context with its status, a list of statuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from repo_paths import SAMPLES

from tui.core.errors import ThreadError
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.library import head_title
from tui.core.model import Status

SAMPLE = SAMPLES / "mastodon-allotment-water-tap"


def status(key: str, parent: str | None, html: str, minute: int = 0, **extra: Any) -> dict:
    raw = {
        "id": key,
        "created_at": f"2024-11-28T09:{minute:02d}:00.000Z",
        "in_reply_to_id": parent,
        "in_reply_to_account_id": None,
        "spoiler_text": "",
        "url": f"https://social.example/@user{key}/{key}",
        "uri": f"https://social.example/users/user{key}/statuses/{key}",
        "favourites_count": int(key),
        "content": html,
        "account": {"id": "9", "username": f"user{key}", "acct": f"user{key}", "display_name": "U"},
        "media_attachments": [],
    }
    raw.update(extra)
    return raw


def dump(document: Any) -> bytes:
    return json.dumps(document).encode()


def test_the_sample_combined_shape_reads_with_the_status_as_article() -> None:
    thread = read_thread(SAMPLE)
    assert thread.format == "mastodon"
    assert thread.title.startswith("Small win for our allotment association")
    assert thread.author == "lena"
    assert thread.permalink == "https://social.example/@lena/113562209145672001"
    assert thread.site == "Mastodon (social.example)"
    shape = [(c.depth, c.author, c.status) for c in thread.tree]
    assert shape == [
        (0, "marc@fosstodon.example", Status.NORMAL),
        (1, "lena", Status.NORMAL),
        (2, "marc@fosstodon.example", Status.NORMAL),
        (0, "yuki@mstdn.example", Status.NORMAL),
        (0, "omar", Status.ORPHAN),
        (0, None, Status.MORE),  # the root counts 3 replies; 2 are in the file
    ]


def test_a_long_link_is_shown_whole_and_links_to_its_target() -> None:
    reply = read_thread(SAMPLE).tree.get(1)
    assert "https://fosstodon.example/blog/rain-barrels-2023" in reply.text
    links = [(reply.text[s.start : s.end], s.href) for s in reply.spans if s.role == "link"]
    assert ("@lena", "https://social.example/@lena") in links
    assert links[-1][1] == "https://fosstodon.example/blog/rain-barrels-2023"


def test_content_warning_code_media_and_quotes() -> None:
    thread = read_thread(SAMPLE)
    code = thread.tree.get(2)
    block = next(s for s in code.spans if s.role == "code_block")
    assert code.text[block.start : block.end] == "12 m² × 600 mm/year ≈ 7,200 litres"
    quoted = thread.tree.get(3)
    assert [quoted.text[s.start : s.end] for s in quoted.spans if s.role == "quote"] == [
        "> more than three barrels hold"
    ]
    warned = thread.tree.get(5)
    assert warned.text.startswith("CW: insects\n\n(continuing my thread above)")
    assert warned.text.endswith("[image: Three green barrels with mesh lids]")


def test_a_context_alone_starts_at_its_first_ancestor() -> None:
    document = {
        "ancestors": [status("1", None, "<p>Root post</p>"), status("2", "1", "<p>Middle</p>", 1)],
        "descendants": [status("4", "3", "<p>Reply to the focal status</p>", 3)],
    }
    thread = parse_thread(dump(document))
    assert thread.title == "Root post"
    # The focal status (3) is not in a context: its reply is an orphan.
    assert [(c.depth, c.text, c.status) for c in thread.tree] == [
        (0, "Middle", Status.NORMAL),
        (0, "Reply to the focal status", Status.ORPHAN),
    ]


def test_a_context_with_no_ancestors_starts_at_the_earliest_status() -> None:
    document = {
        "ancestors": [],
        "descendants": [
            status("7", "5", "<p>later</p>", 9),
            status("6", "5", "<p>earliest</p>", 2),
            status("8", "6", "<p>reply to earliest</p>", 12),
        ],
    }
    thread = parse_thread(dump(document))
    assert thread.title == "earliest"
    assert [(c.depth, c.text) for c in thread.tree] == [(0, "later"), (0, "reply to earliest")]


def test_a_list_of_statuses_is_a_conversation_too(tmp_path: Path) -> None:
    path = tmp_path / "statuses"
    path.write_bytes(
        dump([status("2", "1", "<p>reply</p>", 2), status("1", None, "<p>root<br>second</p>")])
    )
    thread = read_thread(path)
    assert thread.format == "mastodon"
    assert thread.title == "root"
    assert thread.article_text == "root\nsecond"
    assert [c.text for c in thread.tree] == ["reply"]


def test_replies_counted_but_not_in_the_file_are_one_row_each() -> None:
    root = status("1", None, "<p>root</p>", replies_count=1)
    reply = status("2", "1", "<p>reply</p>", 1, replies_count=4)
    deeper = status("3", "2", "<p>deeper</p>", 2, replies_count=0)
    thread = parse_thread(dump({"ancestors": [], "status": root, "descendants": [reply, deeper]}))
    assert [(c.depth, c.text) for c in thread.tree] == [
        (0, "reply"),
        (1, "deeper"),
        (1, "3 more replies not in this file"),
    ]


def test_one_status_alone_is_an_article_without_comments() -> None:
    thread = parse_thread(dump(status("1", None, "<p>Only me</p>")))
    assert thread.title == "Only me"
    assert len(thread.tree) == 0


def test_the_title_is_the_content_warning_when_there_is_one() -> None:
    root = status("1", None, "<p>spoilers inside</p>", spoiler_text="Film ending ⚠️")
    thread = parse_thread(dump({"ancestors": [], "status": root, "descendants": []}))
    assert thread.title == "Film ending ⚠️"
    assert thread.article_text == "CW: Film ending ⚠️\n\nspoilers inside"


def test_numeric_ids_and_repeated_statuses() -> None:
    root = status("1", None, "<p>root</p>")
    root["id"] = 1
    reply = status("2", None, "<p>reply</p>", 1)
    reply["in_reply_to_id"] = 1
    document = {"ancestors": [root], "status": reply, "descendants": [reply]}
    thread = parse_thread(dump(document))
    assert [(c.depth, c.text) for c in thread.tree] == [(0, "reply")]


def test_broken_statuses_are_one_notice() -> None:
    document = {
        "ancestors": [status("1", None, "<p>root</p>")],
        "descendants": [
            {"id": "2", "content": "<p>no account</p>"},
            status("3", "1", None, created_at="soon"),  # type: ignore[arg-type]
            status("4", "1", "<p>fine</p>"),
        ],
    }
    thread = parse_thread(dump(document))
    assert [c.text for c in thread.tree] == ["", "fine"]
    assert len(thread.notices) == 1
    assert "descendants[0]: not a status object" in thread.notices[0]
    assert "descendants[1]: content is not a string" in thread.notices[0]
    assert "'soon' is not a time" in thread.notices[0]


def test_a_context_with_nothing_readable_is_an_error() -> None:
    with pytest.raises(ThreadError, match="no readable status"):
        parse_thread(b'{"ancestors": [], "descendants": [{"id": "1"}]}')


def test_the_library_title_comes_from_the_head() -> None:
    data = SAMPLE.read_bytes()
    assert head_title(data[:4096], SAMPLE, complete=False) == read_thread(SAMPLE).title


def test_a_link_card_title_is_not_taken_for_the_thread_title() -> None:
    root = status("1", None, "<p>My post</p>", card={"title": "Some web page"})
    data = dump({"ancestors": [], "status": root, "descendants": []})
    assert head_title(data, Path("x"), complete=True) == "My post"


def test_a_link_card_on_the_first_status_is_the_article_link() -> None:
    root = status("1", None, "<p>Read this</p>", card={"url": "https://news.example/a"})
    thread = parse_thread(dump({"ancestors": [], "status": root, "descendants": []}))
    assert thread.url == "https://news.example/a"
    root["card"] = {"url": "javascript:alert(1)"}
    assert parse_thread(dump(root)).url is None
