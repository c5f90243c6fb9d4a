"""Discourse topics as the forum's JSON API gives them (`/t/<id>.json`, also with
`?page=N`, and `/t/<id>/posts.json`).

    {"id": 7714, "title": "...", "fancy_title": "...", "slug": "...",
     "post_stream": {"posts": [{"id": 48211, "post_number": 1, "username": "ingrid",
                                "name": "Ingrid Solberg", "created_at": "...Z",
                                "cooked": "<p>HTML</p>", "reply_to_post_number": null,
                                "like_count": 5, "actions_summary": [{"id": 2, ...}],
                                "user_deleted": false, "deleted_at": null,
                                "hidden": false, "post_type": 1, ...}],
                     "stream": [48211, ...]}}

Post #1 is the topic's opening post, so it is the article; the others are comments,
nested by `reply_to_post_number` (null, or 1, is a reply to the topic itself).  A
page holds at most 20 posts and a post may be deleted or hidden from the reader who
saved it, so a reply's parent is often not in the file: such a reply is kept as an
orphan at the top level.  `posts.json` carries no title, and a later page no post #1:
the title is then the first line of the first post in the file.  `post_stream.stream`
lists the ids of every post of the topic, so the posts a page does not hold are
counted in one "more" row at the end.

What the documentation does not say and real files show: `like_count` is missing on
older forums, whose likes are only in `actions_summary` (the action with id 2);
`score` is Discourse's ranking figure (reads, likes and links mixed), not votes, so
it is not shown as one.  A post its author deleted keeps its row, with `user_deleted`
true and `cooked` replaced by the forum's own "(post deleted by author)"; one a
moderator deleted has `deleted_at` set.  Links in `cooked` are relative to the forum,
whose address the JSON never states, so they are shown as text only.  A "small
action" post (`post_type` 3: "closed the topic", "pinned globally") has empty
`cooked` and an `action_code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tui.core.formats.headline import first_line
from tui.core.formats.registry import Reader, Source
from tui.core.formats.site import (
    Entry,
    Notices,
    Post,
    article_paragraphs,
    integer,
    iso_time,
    lazy_tree,
    order_by_parent,
    plain_title,
    render_markup,
    string,
)
from tui.core.model import Status, Thread

NAME = "discourse"
SITE = "Discourse"
LIKE_ACTION = 2
SMALL_ACTION = 3
MISSING_OPENING = "[the topic's opening post is not in this file]"


def match(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    stream = document.get("post_stream")
    return isinstance(stream, dict) and isinstance(stream.get("posts"), list)


def like_count(raw: dict[str, Any]) -> int | None:
    """Likes: `like_count`, or on older forums the like action's count."""
    likes = integer(raw.get("like_count"))
    if likes is not None:
        return likes
    actions = raw.get("actions_summary")
    if isinstance(actions, list):
        for action in actions:
            if isinstance(action, dict) and integer(action.get("id")) == LIKE_ACTION:
                return integer(action.get("count"))
    return None


@dataclass(frozen=True, slots=True)
class _Unlisted:
    """The posts of the topic a page does not hold (a row at the end says how many)."""

    count: int


def _unlisted(document: dict[str, Any], posts: list[dict[str, Any]]) -> int:
    """How many of the topic's posts (`post_stream.stream`, every post id of the topic
    in order) are not in this page."""
    stream = document["post_stream"].get("stream")
    if not isinstance(stream, list):
        return 0
    held = {integer(raw.get("id")) for raw in posts}
    return sum(1 for key in stream if integer(key) is not None and integer(key) not in held)


def _post_number(raw: Any) -> int | None:
    return integer(raw.get("post_number")) if isinstance(raw, dict) else None


def read(source: Source) -> Thread:
    document: dict[str, Any] = source.document
    notices = Notices()
    repair = source.repair

    posts: list[dict[str, Any]] = []
    seen: set[int] = set()
    for index, raw in enumerate(document["post_stream"]["posts"]):
        where = f"post_stream.posts[{index}]"
        if not isinstance(raw, dict):
            notices.add(f"{where}: not a post object; left out")
            continue
        number = _post_number(raw)
        if number is None:
            notices.add(f"{where}: no post_number; left out")
            continue
        if number in seen:
            notices.add(f"{where}: post #{number} listed twice; the second left out")
            continue
        seen.add(number)
        cooked = raw.get("cooked")
        if cooked is not None and not isinstance(cooked, str):
            notices.add(f"post #{number}: cooked is not a string; shown empty")
        if raw.get("created_at") is not None and iso_time(raw.get("created_at")) is None:
            notices.add(f"post #{number}: created_at {raw.get('created_at')!r} is not a time")
        posts.append(raw)
    posts.sort(key=lambda raw: raw["post_number"])

    def render(raw: dict[str, Any] | _Unlisted) -> Post:
        if isinstance(raw, _Unlisted):
            return Post(status=Status.MORE, more=raw.count)
        number = raw["post_number"]
        post = Post(
            author=string(raw.get("username")) or string(raw.get("name")),
            posted=iso_time(raw.get("created_at")),
            score=like_count(raw),
            key=str(number),
        )
        cooked = raw.get("cooked")
        if isinstance(cooked, str) and cooked.strip():
            post.text, post.spans, post.repairs = render_markup(cooked, "html", repair=repair)
        elif integer(raw.get("post_type")) == SMALL_ACTION:
            action = string(raw.get("action_code")) or "action"
            post.text = f"[{action.replace('.', ' ').replace('_', ' ')}]"
        if raw.get("user_deleted") is True or raw.get("deleted_at"):
            post.status = Status.DELETED
        elif raw.get("hidden") is True:
            post.status = Status.DEAD
        return post

    opening = posts[0] if posts and posts[0]["post_number"] == 1 else None
    comments = posts[1:] if opening is not None else posts
    entries, _orphans = order_by_parent(
        comments,
        key=lambda raw: raw["post_number"],
        parent=lambda raw: integer(raw.get("reply_to_post_number")),
        root=1,
    )
    unlisted = _unlisted(document, posts)
    if unlisted:
        entries.append(Entry(0, _Unlisted(unlisted)))

    article = Post()
    if opening is not None:
        article = render(opening)
    elif posts:
        article.text = MISSING_OPENING
        notices.add("post #1, the topic's opening post, is not in this file")
    else:
        article.text = MISSING_OPENING
        notices.add("post_stream.posts holds none of the topic's posts")
    title = string(document.get("title")) or string(document.get("fancy_title"))
    if not title:
        first = article if opening is not None else (render(posts[0]) if posts else Post())
        title = first_line(first.text) or f"Discourse topic {document.get('id', '')}".strip()
    title, title_repairs = plain_title(title, repair)
    link = string(document.get("featured_link"))
    chars = sum(len(raw["cooked"]) for raw in comments if isinstance(raw.get("cooked"), str))
    tree = lazy_tree(entries, render, average_chars=chars / max(1, len(comments)))
    return Thread(
        title=title,
        article=article_paragraphs(article.text),
        tree=tree,
        source=source.path,
        encoding=source.encoding,
        format=NAME,
        repair=repair,
        article_repairs=title_repairs + article.repairs,
        notices=notices.notices(),
        site=SITE,
        url=link if link and link.startswith(("https://", "http://")) else None,
        author=article.author,
        posted=article.posted,
        score=article.score,
        article_spans=article.spans,
    )


_HEAD = re.compile(r'\A\s*\{\s*"post_stream"\s*:')


def head_title(head: str) -> str | None:
    """A topic's title is listed after its posts, so it is never in the head: say the
    head is a Discourse topic ("" -- the full read gives the title) or None."""
    if _HEAD.match(head) or ('"post_stream"' in head and '"post_number"' in head):
        return ""
    return None


READER = Reader(name=NAME, label="a Discourse topic", read=read, match=match, head_title=head_title)
