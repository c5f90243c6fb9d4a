"""Bluesky `getPostThread` output: the parent chain, nested replies, facets, placeholders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from repo_paths import SAMPLES

from tui.core.errors import ThreadError
from tui.core.formats.bluesky import facet_spans
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.library import head_title
from tui.core.model import Span, Status

SAMPLE = SAMPLES / "bluesky-utrecht-terrace-permits.json"
VIEW = "app.bsky.feed.defs#threadViewPost"


def view(rkey: str, text: str, *, replies: list | None = None, parent: Any = None, **post: Any):
    raw = {
        "uri": f"at://did:plc:abc/app.bsky.feed.post/{rkey}",
        "cid": "bafy" + rkey,
        "author": {"did": "did:plc:abc", "handle": f"{rkey}.bsky.social"},
        "record": {
            "$type": "app.bsky.feed.post",
            "text": text,
            "createdAt": "2025-02-14T08:30:00Z",
        },
        "replyCount": len(replies or ()),
        "likeCount": 4,
        "indexedAt": "2025-02-14T08:30:01.000Z",
    }
    raw.update(post)
    item: dict[str, Any] = {"$type": VIEW, "post": raw}
    if parent is not None:
        item["parent"] = parent
    if replies is not None:
        item["replies"] = replies
    return item


def dump(thread: Any) -> bytes:
    return json.dumps({"thread": thread}).encode()


def test_the_sample_reads_with_nesting_placeholders_and_a_more_row() -> None:
    thread = read_thread(SAMPLE)
    assert thread.format == "bluesky"
    assert thread.title.startswith("Café owners in Utrecht: the new terrace permits open")
    assert thread.author == "noor.bsky.social"
    assert thread.permalink == "https://bsky.app/profile/noor.bsky.social/post/3lbqz2xk4ts2a"
    assert thread.score == 88
    rows = [(c.depth, c.author, c.status, c.text[:20]) for c in thread.tree]
    assert rows == [
        (0, "pieter.example.nl", Status.NORMAL, "@noor.bsky.social do"),
        (1, "noor.bsky.social", Status.NORMAL, "Yes — section 3 of t"),
        (2, "pieter.example.nl", Status.NORMAL, "Perfect, thanks! 🙏 #"),
        (3, None, Status.MORE, "2 more replies not i"),
        (0, "hana.bsky.social", Status.NORMAL, "우리 동네에도 이런 제도가 있으면 좋"),
        (0, None, Status.DELETED, "[deleted post]"),
        (0, None, Status.DELETED, "[blocked post]"),
        (0, "sam.bsky.social", Status.NORMAL, "Bookmarking this nex"),
    ]


def test_facets_land_on_the_right_characters_after_multibyte_text() -> None:
    thread = read_thread(SAMPLE)
    (link,) = thread.article_spans
    assert thread.article_text[link.start : link.end] == "gemeente.example.nl/terras"
    assert link.href == "https://gemeente.example.nl/terras-2025"
    tags = thread.tree.get(3)
    assert [(tags.text[s.start : s.end], s.href) for s in tags.spans] == [
        ("#utrecht", "https://bsky.app/hashtag/utrecht"),
        ("#terras", "https://bsky.app/hashtag/terras"),
    ]


def test_an_image_embed_is_described_with_its_alt_text() -> None:
    reply = read_thread(SAMPLE).tree.get(5)
    assert reply.text.endswith("[image: A café terrace in Seoul with tulips in planters]")


def test_a_quoted_post_is_a_quote_naming_its_author() -> None:
    reply = read_thread(SAMPLE).tree.get(8)
    (quote,) = reply.spans
    assert quote.role == "quote"
    assert reply.text[quote.start : quote.end] == (
        "@noor.bsky.social: Terrace permits 2024: the canal side has its own lottery this year."
    )


def test_byte_offsets_are_mapped_to_characters() -> None:
    text = "héllo 👋 link"
    start = len("héllo 👋 ".encode())
    facet = {
        "index": {"byteStart": start, "byteEnd": start + 4},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://x.example"}],
    }
    assert facet_spans(text, [facet]) == ([Span(8, 12, "link", "https://x.example")], 0)


@pytest.mark.parametrize(
    ("start", "end"),
    [(1, 3), (0, 99), (4, 2), (2, 2)],
    ids=["inside a character", "past the end", "backwards", "empty"],
)
def test_a_facet_off_the_characters_is_skipped(start: int, end: int) -> None:
    facet = {
        "index": {"byteStart": start, "byteEnd": end},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://x.example"}],
    }
    assert facet_spans("é abc", [facet]) == ([], 1)


def test_a_javascript_link_facet_is_not_a_link() -> None:
    facet = {
        "index": {"byteStart": 0, "byteEnd": 3},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "javascript:alert(1)"}],
    }
    assert facet_spans("abc", [facet]) == ([], 1)


def test_the_parent_chain_is_read_from_its_top() -> None:
    focal = view(
        "c",
        "focal post",
        parent=view("b", "middle", parent=view("a", "The root\nsecond line")),
        replies=[view("d", "reply to focal")],
    )
    thread = parse_thread(dump(focal))
    assert thread.title == "The root"
    assert thread.article_text == "The root\nsecond line"
    assert [(c.depth, c.text) for c in thread.tree] == [
        (0, "middle"),
        (1, "focal post"),
        (2, "reply to focal"),
    ]


def test_a_deleted_root_keeps_its_replies_and_the_title_comes_from_the_first_post() -> None:
    gone = {"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://x/app.bsky.feed.post/1"}
    focal = view("b", "I answered it", parent=gone)
    thread = parse_thread(dump(focal))
    assert thread.article_text == "[deleted post]"
    assert thread.title == "I answered it"
    assert [c.text for c in thread.tree] == ["I answered it"]
    assert len(thread.notices) == 1


def test_a_chain_cut_above_the_root_says_so() -> None:
    top = view("a", "a reply", parent=None)
    top["post"]["record"]["reply"] = {"root": {"uri": "at://x"}, "parent": {"uri": "at://x"}}
    thread = parse_thread(dump(top))
    assert "replies to posts not in this file" in thread.notices[0]


def test_the_focal_post_deleted_is_an_error() -> None:
    gone = {"$type": "app.bsky.feed.defs#notFoundPost", "uri": "at://x", "notFound": True}
    with pytest.raises(ThreadError, match="is deleted"):
        parse_thread(dump(gone))


def test_broken_replies_are_one_notice() -> None:
    root = view("a", "root", replies=[view("b", "fine"), "junk", {"$type": VIEW}])
    root["replies"][0]["replies"] = {"not": "a list"}
    thread = parse_thread(dump(root))
    assert [c.text for c in thread.tree] == ["fine"]
    assert len(thread.notices) == 1
    assert "3 broken parts" in thread.notices[0]


def test_a_bare_thread_view_post_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "post"
    path.write_text(json.dumps(view("a", "just me")), encoding="utf-8")
    assert read_thread(path).title == "just me"


def test_the_library_title_comes_from_the_head() -> None:
    data = SAMPLE.read_bytes()
    assert head_title(data[:4096], SAMPLE, complete=False) == read_thread(SAMPLE).title


def test_a_head_that_starts_below_the_root_has_no_title_yet() -> None:
    focal = view("c", "focal", parent=view("a", "root"))
    focal["post"]["record"]["reply"] = {"root": {"uri": "at://a"}, "parent": {"uri": "at://a"}}
    data = dump(focal)
    assert head_title(data, Path("t.json"), complete=True) is None


def test_a_threadread_file_quoting_the_api_keeps_its_own_title() -> None:
    quoted = '{"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "text": "not me"}}'
    document = {"format": "threadread/1", "article": quoted, "title": "Notes on the API"}
    data = json.dumps(document).encode()
    assert head_title(data, Path("notes.json"), complete=True) == "Notes on the API"


def test_an_external_embed_on_the_root_is_the_article_link() -> None:
    external = {"uri": "https://news.example/a", "title": "A story"}
    root = view("a", "Look", embed={"$type": "app.bsky.embed.external#view", "external": external})
    thread = parse_thread(dump(root))
    assert thread.url == "https://news.example/a"
    assert thread.article_text == "Look\n\n[link: A story]"
