"""Threads saved from Hacker News, Reddit and Lobsters: detection, trees, placeholders,
broken parts, and the trip through `threadread/1` JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from repo_paths import SAMPLES

from tui.core.errors import ThreadError
from tui.core.export import render
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.formats.registry import Reader, Source, readers, register
from tui.core.library import THREAD_SUFFIXES, head_title
from tui.core.model import Status, Thread

ALGOLIA = SAMPLES / "hn-sqlite-long-running-algolia"
FIREBASE = SAMPLES / "hn-paper-maps-items.jsonl"
HNPWA = SAMPLES / "hn-unicode-wrapper-hnpwa.json"
REDDIT = SAMPLES / "reddit-starter-nail-polish.json"
LOBSTERS = SAMPLES / "lobsters-why-makefiles.json"


def parse(document: Any, name: str = "saved") -> Thread:
    return parse_thread(json.dumps(document).encode(), Path(name))


def jsonl(items: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(i) + "\n" for i in items).encode()


def rows(thread: Thread) -> list[tuple[int, str | None, str, str]]:
    """(depth, author, status, text's first 30 characters) of each comment in order."""
    return [(c.depth, c.author, c.status.value, c.text[:30]) for c in thread.tree]


def error_of(data: bytes, name: str = "saved") -> str:
    with pytest.raises(ThreadError) as caught:
        parse_thread(data, Path(name))
    return caught.value.reason


# -- detection --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (ALGOLIA, "hn-algolia"),
        (FIREBASE, "hn-firebase"),
        (HNPWA, "hn-hnpwa"),
        (REDDIT, "reddit"),
        (LOBSTERS, "lobsters"),
    ],
)
@pytest.mark.parametrize("name", ["index.json", "item", "comments.txt"])
def test_formats_are_told_by_content_not_name(path: Path, fmt: str, name: str) -> None:
    thread = parse_thread(path.read_bytes(), Path(name))
    assert thread.format == fmt
    assert len(thread.tree) > 0


def test_a_json_shape_nobody_reads_says_what_it_looks_like() -> None:
    assert error_of(b'{"kind": "t1", "data": {}}') == (
        'not a thread threadread can read (looks like: a JSON object with keys "kind", "data")'
    )
    assert error_of(b'[{"a": 1}, {"a": 2}]') == (
        'not a thread threadread can read (looks like: a JSON array of 2 objects with keys "a")'
    )
    assert error_of(b"[]", "x.json") == (
        "not a thread threadread can read (looks like: an empty JSON array)"
    )


def test_threadread_json_errors_are_worded_as_before() -> None:
    assert error_of(b'{"format": "threadread/2"}') == (
        'unsupported format "threadread/2" (expected "threadread/1")'
    )


def test_text_that_starts_like_an_array_is_still_plain_text() -> None:
    thread = parse_thread(b"[{ Meta }] a title\n\nbody\n\xc2\xa0\nfirst comment\n", Path("t"))
    assert thread.format == "text"
    assert thread.title == "[{ Meta }] a title"
    assert [c.text for c in thread.tree] == ["first comment"]


def test_another_reader_can_register() -> None:
    def read(source: Source) -> Thread:
        base = parse_thread(b"From the test reader\n\nbody\n")
        return base

    try:
        register(Reader("test-shape", "a test", read, match=lambda d: d == {"test": 1}))
        assert parse({"test": 1}).title == "From the test reader"
    finally:
        from tui.core.formats import registry

        registry._readers[:] = [r for r in registry._readers if r.name != "test-shape"]
    assert "test-shape" not in [r.name for r in readers()]


# -- Hacker News, Algolia -----------------------------------------------------------------


def test_algolia_sample() -> None:
    thread = read_thread(ALGOLIA)
    assert thread.title == "Ask HN: How do you keep a long-running SQLite app fast?"
    assert thread.site == "Hacker News" and thread.score == 187 and thread.author == "tidewater"
    assert thread.permalink == "https://news.ycombinator.com/item?id=39100001"
    assert thread.url is None, "an Ask HN post links nowhere"
    assert thread.article[-1] == "Our schema notes are at https://example.org/inventory-schema"
    assert rows(thread) == [
        (0, "kestrel_db", "normal", "Run ANALYZE after big imports."),
        (1, "tidewater", "normal", "> We had a report go from 40 s"),
        (2, None, "deleted", "[deleted]"),
        (3, "mirela_p", "normal", "Replying to the deleted commen"),
        (1, "jun_takahashi", "normal", "日本語の話ですが、うちでは全文検索に FTS5 を使って、レ"),
        (0, "ogre_of_io", "normal", "Partial indexes are underrated"),
        (1, "quietpond", "normal", "+1 for DuckDB. Zürich office h"),
        (0, "late_reply", "normal", "Check page_size too: 4096 vs 1"),
    ]
    first = thread.tree.get(1)
    assert first.url == "https://news.ycombinator.com/item?id=39100123"
    assert first.posted is not None and first.posted.isoformat() == "2024-01-22T08:31:40+00:00"
    assert "  PRAGMA optimize;\n  ANALYZE;\n\n  -- then check the plan" in first.text
    assert [s.role for s in first.spans] == ["code", "code_block", "link"]
    assert thread.tree.get(2).spans[0].role == "quote"
    assert thread.notices == ()


def test_algolia_link_story_has_the_articles_link() -> None:
    thread = parse(
        {
            "id": 5,
            "created_at": "2024-01-01T00:00:00.000Z",
            "type": "story",
            "author": "a",
            "title": "A link",
            "url": "https://example.com/post",
            "text": None,
            "points": 3,
            "parent_id": None,
            "story_id": 5,
            "children": [],
        }
    )
    assert thread.url == "https://example.com/post"
    assert thread.article == ()
    assert len(thread.tree) == 0


def test_algolia_broken_parts_are_listed_in_one_notice() -> None:
    thread = parse(
        {
            "id": 5,
            "created_at": "2024-01-01T00:00:00.000Z",
            "title": "Broken",
            "story_id": 5,
            "children": [
                {"id": 6, "author": "a", "text": 7, "children": []},
                "not a comment",
                {"id": 8, "author": "b", "text": "fine", "children": {"oops": 1}},
            ],
        }
    )
    assert rows(thread) == [(0, "a", "normal", ""), (0, "b", "normal", "fine")]
    (notice,) = thread.notices
    assert notice.splitlines() == [
        "3 broken parts of this file (shown as best it can be):",
        "  children[0].text: not a string; shown empty",
        "  children[1]: not a comment object; left out",
        "  children[2].children: not a list; replies left out",
    ]


def test_algolia_ten_thousand_deep_chain_needs_no_stack() -> None:
    opening = '{"id": 2, "author": "x", "text": "t", "children": [' * 10_000
    leaf = '{"id": 1, "author": "x", "text": "leaf", "children": []}'
    text = (
        '{"id": 0, "created_at": "2024-01-01T00:00:00Z", "story_id": 0, "children": ['
        + opening
        + leaf
        + "]}" * 10_000
        + "]}"
    )
    thread = parse_thread(text.encode(), Path("deep"))
    assert len(thread.tree) == 10_001
    assert thread.tree.get(10_001).depth == 10_000


# -- Hacker News, Firebase ----------------------------------------------------------------


def test_firebase_sample_orders_replies_by_kids_and_keeps_placeholders() -> None:
    thread = read_thread(FIREBASE)
    assert thread.title == "The quiet return of the paper map"
    assert thread.url == "https://example.com/essays/paper-maps"
    assert rows(thread) == [
        (0, "cartofan", "normal", "Ordnance Survey sheets are sti"),
        (0, "hillwalker", "normal", "I teach navigation courses in "),
        (1, "nordkapp", "normal", "> it's relating it to the grou"),
        (1, None, "deleted", "[deleted]"),
        (2, "gpx_nerd", "normal", "For anyone converting tracks, "),
        (0, "spam4u", "dead", "Buy cheap maps here!!!"),
        (0, "lost_thread", "orphan", "This reply's parent was never "),
    ]
    (notice,) = thread.notices
    assert "1 reply to item 40200098, which is not in this file: shown at the top" in notice


def test_firebase_array_and_jsonl_read_alike() -> None:
    items = [json.loads(line) for line in FIREBASE.read_text("utf-8").splitlines()]
    as_array = parse(items, "item.json")
    as_lines = parse_thread(jsonl(items), Path("items"))
    assert rows(as_array) == rows(as_lines) == rows(read_thread(FIREBASE))


def test_firebase_single_item_is_a_thread_without_comments() -> None:
    thread = parse({"id": 1, "type": "story", "by": "a", "time": 0, "title": "T", "kids": [2]})
    assert thread.title == "T" and len(thread.tree) == 0


def test_firebase_file_saved_from_a_comment() -> None:
    items = [
        {"id": 10, "type": "comment", "by": "a", "parent": 1, "text": "root<p>two", "time": 0},
        {"id": 11, "type": "comment", "by": "b", "parent": 10, "text": "reply", "time": 1},
    ]
    thread = parse_thread(jsonl(items), Path("x"))
    assert thread.title == "Comment by a"
    assert thread.article == ("root", "two")
    assert rows(thread) == [(0, "b", "normal", "reply")]
    assert thread.notices == ()


def test_firebase_cycle_of_parents_still_shows_every_item() -> None:
    items = [
        {"id": 1, "type": "story", "by": "s", "title": "T", "time": 0},
        {"id": 2, "type": "comment", "by": "a", "parent": 3, "text": "a", "time": 0},
        {"id": 3, "type": "comment", "by": "b", "parent": 2, "text": "b", "time": 0},
    ]
    thread = parse(items)
    assert sorted(c.author or "" for c in thread.tree) == ["a", "b"]


# -- Hacker News, HNPWA ---------------------------------------------------------------------


def test_hnpwa_sample() -> None:
    thread = read_thread(HNPWA)
    assert thread.title == "Show HN: A tiny Unicode-aware text wrapper in C"
    assert thread.score == 96 and thread.url == "https://example.net/wrap.c"
    assert rows(thread) == [
        (0, "grapheme_gal", "normal", "Nice! Does it split grapheme c"),
        (1, "lindqvist", "normal", "> Does it split grapheme clust"),
        (2, None, "deleted", "[deleted]"),
        (0, "vim_hjkl", "normal", "Der Code ist sehr lesbar, dank"),
        (0, "flagged_one", "dead", "[flagged]"),
    ]
    link = thread.tree.get(2).spans[-1]
    assert (link.role, link.href) == ("link", "https://example.net/wrap/issues/3")


def test_hnpwa_ask_post_url_is_its_own_page() -> None:
    thread = parse(
        {"id": 7, "title": "Ask", "type": "ask", "url": "item?id=7", "comments": [], "time_ago": ""}
    )
    assert thread.url is None
    assert thread.permalink == "https://news.ycombinator.com/item?id=7"


def test_node_hnapi_without_time_ago_is_recognised() -> None:
    thread = parse(
        {
            "id": 7,
            "title": "T",
            "comments": [{"id": 8, "level": 0, "user": "u", "content": "<p>hi", "comments": []}],
        }
    )
    assert thread.format == "hn-hnpwa"
    assert rows(thread) == [(0, "u", "normal", "hi")]


# -- Reddit ------------------------------------------------------------------------------


def test_reddit_sample() -> None:
    thread = read_thread(REDDIT)
    assert thread.title == "My starter smells like nail polish & has grey liquid — dead?"
    assert thread.site == "r/Breadit" and thread.score == 1284
    assert thread.url is None, "a self post links to itself only"
    assert '> "hooch" means it\'s hungry' not in thread.article_text
    assert '"hooch" means it\'s hungry' in thread.article
    assert [s.role for s in thread.article_spans] == ["strong", "quote"]
    assert rows(thread) == [
        (0, "levain_lena", "normal", "Not dead! That's hooch. Pour i"),
        (1, "crumb_curious", "normal", "feed it twice a day\n\nSame rati"),
        (2, "levain_lena", "normal", "Yes. Weigh it:\n\n50 g starter\n5"),
        (2, "flourpower", "normal", "Mine did this in week one too."),
        (3, None, "more", "more replies not in this file"),
        (1, None, "more", "14 more replies not in this fi"),
        (0, None, "deleted", "[removed]"),
        (1, "boulanger_paris", "normal", "En France on dit que le levain"),
        (0, None, "more", "3 more replies not in this fil"),
    ]
    assert [c.score for c in thread.tree][:4] == [2210, 340, 512, 12]
    assert thread.tree.get(6).more == 14
    assert thread.tree.get(1).url == (
        "https://www.reddit.com/r/Breadit/comments/1bq8x2k/my_starter_smells_like_nail_polish/kx7a1/"
    )


def reddit(comments: list[Any], **post: Any) -> list[Any]:
    data = {"title": "T", "selftext": "", "permalink": "/r/x/comments/1/t/", "is_self": True}
    data.update(post)
    return [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": data}]}},
        {"kind": "Listing", "data": {"children": comments}},
    ]


def t1(body: str, replies: Any = "", **data: Any) -> dict[str, Any]:
    return {"kind": "t1", "data": {"author": "u", "body": body, "replies": replies, **data}}


def test_reddit_markdown_only_and_raw_json_files() -> None:
    thread = parse(reddit([t1("a **b** &amp; c &gt; d")]))
    assert thread.tree.get(1).text == "a b & c > d"
    raw = parse(
        reddit([t1("x", body_html='<div class="md"><p>x &amp;amp; y</p></div>')], title="A &amp; B")
    )
    assert raw.tree.get(1).text == "x &amp; y", "raw_json=1 HTML is unescaped once, by the parser"
    assert raw.title == "A &amp; B"


def test_reddit_link_post_and_permalink_view() -> None:
    deep = t1("from the permalink", depth=3)
    thread = parse(reddit([deep], is_self=False, url="https://example.org/story"))
    assert thread.url == "https://example.org/story"
    assert rows(thread) == [(0, "u", "normal", "from the permalink")]


def test_reddit_broken_parts() -> None:
    thread = parse(reddit([t1("ok", replies={"kind": "nope"}), {"kind": "t1"}, t1(None)]))  # type: ignore[arg-type]
    assert rows(thread) == [(0, "u", "normal", "ok"), (0, "u", "normal", "")]
    (notice,) = thread.notices
    assert "[1].children[0].replies: not a Listing; replies left out" in notice
    assert "[1].children[1]: not a comment; left out" in notice
    assert "[1].children[2]: no text; shown empty" in notice


def test_reddit_library_title_is_unescaped() -> None:
    head = REDDIT.read_bytes()[:4096]
    assert head_title(head, REDDIT, complete=False) == (
        "My starter smells like nail polish & has grey liquid — dead?"
    )


# -- Lobsters ------------------------------------------------------------------------------


def test_lobsters_sample() -> None:
    thread = read_thread(LOBSTERS)
    assert thread.title == "Why we still write Makefiles"
    assert thread.site == "lobste.rs" and thread.url == "https://blog.example.dev/why-makefiles"
    assert rows(thread) == [
        (0, "sjoerd", "normal", "The part about .PHONY is the o"),
        (1, "maren", "normal", "silently stops running\n\nBit me"),
        (2, "anon_former", "deleted", "Comment removed by author"),
        (3, "kai_ng", "normal", "Even after the deletion: the m"),
        (0, "łukasz", "normal", "W Polsce używamy just zamiast "),
        (1, "rtfm", "dead", "Moderated for being off topic."),
    ]
    assert [c.score for c in thread.tree] == [21, 14, 0, 5, 9, -2]
    assert "\tpytest -q" in thread.tree.get(2).text


def lobsters(comments: list[dict[str, Any]]) -> dict[str, Any]:
    user = {"username": "x"}
    return {"short_id": "s1", "title": "T", "submitter_user": user, "comments": comments}


@pytest.mark.parametrize(
    ("field", "levels"),
    [("depth", [0, 1, 2, 0]), ("indent_level", [1, 2, 3, 1]), ("indent_level", [0, 1, 2, 0])],
)
def test_lobsters_tree_from_depth_or_indent_level(field: str, levels: list[int]) -> None:
    comments = [
        {"short_id": f"c{i}", "comment": f"<p>{i}</p>", field: level, "commenting_user": "u"}
        for i, level in enumerate(levels)
    ]
    thread = parse(lobsters(comments))
    assert [c.depth for c in thread.tree] == [0, 1, 2, 0]
    assert thread.author == "x"
    assert thread.notices == ()


def test_lobsters_orphans_from_parent_comment_and_from_a_jump_in_depth() -> None:
    by_parent = parse(
        lobsters(
            [
                {"short_id": "a", "comment": "a", "parent_comment": None},
                {"short_id": "b", "comment": "b", "parent_comment": "gone"},
            ]
        )
    )
    assert [c.status for c in by_parent.tree] == [Status.NORMAL, Status.ORPHAN]
    assert "comment b replies to gone, which is not in this file" in by_parent.notices[0]
    by_depth = parse(lobsters([{"short_id": "a", "comment": "a", "depth": 2}]))
    assert [(c.depth, c.status) for c in by_depth.tree] == [(0, Status.ORPHAN)]
    assert "at depth 2 without a parent above it" in by_depth.notices[0]


# -- every format --------------------------------------------------------------------------


COMMENT_FIELDS = [
    "number",
    "depth",
    "author",
    "posted",
    "text",
    "score",
    "url",
    "key",
    "status",
    "more",
    "spans",
]


def _fields(c: Any) -> tuple[Any, ...]:
    return tuple(getattr(c, name) for name in COMMENT_FIELDS)


@pytest.mark.parametrize("path", [ALGOLIA, FIREBASE, HNPWA, REDDIT, LOBSTERS])
def test_json_export_reads_back_losslessly(path: Path, tmp_path: Path) -> None:
    thread = read_thread(path)
    again_path = tmp_path / "again.json"
    again_path.write_text(render(thread, "json"), "utf-8")
    again = read_thread(again_path)

    def everything(t: Thread) -> Any:
        comments = [(t.tree.parent(c.number), *_fields(c)) for c in t.tree]
        story = (t.title, t.article, t.url, t.site, t.permalink, t.author, t.posted, t.score)
        return story, t.article_spans, comments

    assert everything(again) == everything(thread)
    assert again.notices == ()


@pytest.mark.parametrize("path", [ALGOLIA, FIREBASE, HNPWA, REDDIT, LOBSTERS])
def test_spans_lie_inside_their_text(path: Path) -> None:
    thread = read_thread(path)
    assert all(0 <= s.start < s.end <= len(thread.article_text) for s in thread.article_spans)
    for comment in thread.tree:
        assert all(0 <= s.start < s.end <= len(comment.text) for s in comment.spans)
        assert all((s.href is not None) == (s.role == "link") for s in comment.spans)


def test_comments_render_only_when_asked_for() -> None:
    thread = read_thread(REDDIT)
    assert not any(thread.tree.loaded(n) for n in range(1, len(thread.tree) + 1))
    thread.tree.get(3)
    assert thread.tree.loaded(3) and not thread.tree.loaded(2)


def test_library_lists_and_titles_every_sample() -> None:
    assert ".jsonl" in THREAD_SUFFIXES
    for path in (ALGOLIA, FIREBASE, HNPWA, REDDIT, LOBSTERS):
        title = head_title(path.read_bytes()[:4096], path, complete=False)
        assert title == read_thread(path).title


# -- large files open from their head -------------------------------------------------------


@pytest.mark.parametrize("kind", ["algolia", "reddit"])
def test_a_large_site_thread_opens_from_its_first_reply_trees(kind: str, tmp_path: Path) -> None:
    from bench.generate_sites import algolia_thread, reddit_thread
    from tui.core.formats.detect import read_thread_head

    data = (algolia_thread if kind == "algolia" else reddit_thread)(4_000)
    path = tmp_path / "saved"
    path.write_bytes(data)
    assert len(data) > 1 << 20
    head = read_thread_head(path)
    whole = read_thread(path)
    assert head.partial and not whole.partial
    assert 2 <= len(head.tree) < len(whole.tree) == 4_000
    assert (head.title, head.article, head.format) == (whole.title, whole.article, whole.format)
    for number in range(1, len(head.tree) + 1):
        assert head.tree.parent(number) == whole.tree.parent(number)
        assert _fields(head.tree.get(number)) == _fields(whole.tree.get(number))
    # Whole reply trees only: the head's last top-level comment has all its replies.
    last = list(head.tree.children(0))[-1]
    assert head.tree.subtree_end(last) == whole.tree.subtree_end(last)


def test_small_or_broken_json_is_read_whole(tmp_path: Path) -> None:
    from tui.core.formats.detect import read_thread_head

    assert not read_thread_head(ALGOLIA).partial
    path = tmp_path / "big.json"
    path.write_bytes(b'{"format": "threadread/1", "comments": [' + b" " * (2 << 20) + b"]}")
    assert not read_thread_head(path).partial


def test_prefix_document_keeps_whole_elements_only() -> None:
    from tui.core.formats.json_head import prefix_document

    text = (
        '[{"a": 1}, {"kind": "L", "data": {"x": [1, {"y": 2}], '
        '"children": [{"n": 1}, {"n": 2}, {"n"'
    )
    assert prefix_document(text, (1, "data", "children")) == [
        {"a": 1},
        {"kind": "L", "data": {"x": [1, {"y": 2}], "children": [{"n": 1}, {"n": 2}]}},
    ]
    assert prefix_document('{"title": "t", "children": []}', ("children",)) == {
        "title": "t",
        "children": [],
    }
    assert prefix_document('{"title": "t", "chil', ("children",)) is None
    assert prefix_document('{"children": 3}', ("children",)) is None
    assert prefix_document("[1]", (1, "data")) is None


@pytest.mark.parametrize(
    ("document", "line"),
    [
        (
            {"id": 1, "created_at": "x", "story_id": 1, "children": [{"id": 2, "author": "a"}]},
            "children[0]: no text; shown empty",
        ),
        (
            [{"id": 1, "type": "story", "title": "T"}, {"id": 2, "type": "comment", "parent": 1}],
            "item 2: no text; shown empty",
        ),
        (
            {"id": 1, "title": "T", "time_ago": "", "comments": [{"id": 2, "user": "u"}]},
            "comments[0]: no content; shown empty",
        ),
        (
            {"short_id": "s", "comments": [{"short_id": "c", "depth": 0}]},
            "comments[0]: no text; shown empty",
        ),
    ],
)
def test_a_comment_without_text_opens_empty_and_is_named(document: Any, line: str) -> None:
    thread = parse(document)
    assert len(thread.tree) == 1 and thread.tree.get(1).text == ""
    (notice,) = thread.notices
    assert f"  {line}" in notice.splitlines()


@pytest.mark.parametrize(
    ("data", "name", "plain"),
    [
        (b"Title\n\nbody\n\xc2\xa0\ncomment\n", "a.txt", True),
        (b'{"format": "threadread/1", "title": "t"}', "a.json", True),
        (b'\xef\xbb\xbf{"format": "threadread/1"}', "a", True),
        (b'{"title": "t", "format": "threadread/1"}', "a.json", False),
        (b'{"id": 1, "children": []}', "a.json", False),
        (b'[{"kind": "Listing"}]', "a", False),
    ],
)
def test_byte_search_is_trusted_only_where_bytes_are_text(
    data: bytes, name: str, plain: bool
) -> None:
    from tui.core.formats.detect import text_is_file_text

    assert text_is_file_text(data, Path(name)) is plain


def test_json_lines_cut_short_opens_with_the_lines_it_has() -> None:
    data = FIREBASE.read_bytes()
    cut = data[: data.rindex(b"\n", 0, len(data) - 1) + 20]
    thread = parse_thread(cut, Path("items"))
    assert len(thread.tree) == len(read_thread(FIREBASE).tree) - 1
    assert thread.notices[0] == "JSON Lines: 1 line not JSON, left out (line 8)"


def test_one_json_value_with_junk_after_it_is_still_malformed_json() -> None:
    assert error_of(b'{"format": "threadread/1"}\nnot json\n') == (
        "malformed JSON at line 2, column 1: Extra data"
    )
