"""Hacker News threads as HNPWA (`api.hnpwa.com/v0/item/<id>.json`) and node-hnapi
give them: one object, comments nested under `comments`.

    {"id": 8863, "title": "...", "points": 104, "user": "dhouston",
     "time": 1175714200, "time_ago": "17 years ago", "type": "link",
     "url": "https://...", "domain": "...", "content": "<p>HTML</p>",
     "comments_count": 71,
     "comments": [{"id": 9224, "level": 0, "user": "...", "time": ...,
                   "content": "<p>...", "comments": [...]}]}

An Ask HN post's `url` is its own page, relative (`item?id=8863`), so it is the
permalink and not the article's link.  `level` repeats the nesting (0 at the top); the
nesting is what counts.  Deleted comments come with `deleted: true`, or with no user
and the content "[deleted]"; dead ones with `dead: true`.  Comments have no points.
"""

from __future__ import annotations

from typing import Any

from tui.core.formats.hn_algolia import BASE, SITE, item_url
from tui.core.formats.registry import Reader, Source
from tui.core.formats.site import (
    Entry,
    Notices,
    Post,
    article_paragraphs,
    epoch,
    integer,
    lazy_tree,
    plain_title,
    render_markup,
    string,
)
from tui.core.model import Status, Thread

NAME = "hn-hnpwa"


def match(document: Any) -> bool:
    if not isinstance(document, dict) or "short_id" in document:
        return False
    comments = document.get("comments")
    if not isinstance(comments, list):
        return False
    if "time_ago" in document or "comments_count" in document:
        return True
    first = comments[0] if comments else None
    return isinstance(first, dict) and "level" in first and "content" in first


def read(source: Source) -> Thread:
    document: dict[str, Any] = source.document
    notices = Notices()
    repair = source.repair
    entries: list[Entry[Any]] = []
    chars = 0
    top = document.get("comments") or []
    pending = [(top[i], 0, f"comments[{i}]") for i in range(len(top) - 1, -1, -1)]
    while pending:
        raw, depth, where = pending.pop()
        if not isinstance(raw, dict):
            notices.add(f"{where}: not a comment object; left out")
            continue
        content = raw.get("content")
        if "content" not in raw and raw.get("deleted") is not True:
            notices.add(f"{where}: no content; shown empty")
        elif content is not None and not isinstance(content, str):
            notices.add(f"{where}.content: not a string; shown empty")
        elif content:
            chars += len(content)
        entries.append(Entry(depth, raw))
        kids = raw.get("comments")
        if kids is None:
            continue
        if not isinstance(kids, list):
            notices.add(f"{where}.comments: not a list; replies left out")
            continue
        pending.extend(
            (kids[i], depth + 1, f"{where}.comments[{i}]") for i in range(len(kids) - 1, -1, -1)
        )

    def render(raw: dict[str, Any]) -> Post:
        user = string(raw.get("user"))
        post = Post(
            author=user,
            posted=epoch(raw.get("time")),
            score=integer(raw.get("points")),
            url=item_url(raw.get("id")),
            key=str(raw.get("id")) if integer(raw.get("id")) is not None else None,
        )
        html = string(raw.get("content")) or ""
        if raw.get("deleted") is True or (user is None and html.strip() == "[deleted]"):
            post.status = Status.DELETED
            return post
        if html:
            post.text, post.spans, post.repairs = render_markup(
                html, "html", repair=repair, base=BASE, gt_quotes=True
            )
        if raw.get("dead") is True:
            post.status = Status.DEAD
        return post

    title, title_repairs = plain_title(string(document.get("title")) or "", repair)
    article, spans, repairs = render_markup(
        string(document.get("content")) or "", "html", repair=repair, base=BASE, gt_quotes=True
    )
    link = string(document.get("url"))
    return Thread(
        title=title,
        article=article_paragraphs(article),
        tree=lazy_tree(entries, render, average_chars=chars / max(1, len(entries))),
        source=source.path,
        encoding=source.encoding,
        format=NAME,
        repair=repair,
        article_repairs=title_repairs + repairs,
        notices=notices.notices(),
        url=link if link and link.startswith(("http://", "https://")) else None,
        site=SITE,
        permalink=item_url(document.get("id")),
        author=string(document.get("user")),
        posted=epoch(document.get("time")),
        score=integer(document.get("points")),
        article_spans=spans,
    )


READER = Reader(
    name=NAME,
    label="a Hacker News thread (HNPWA API)",
    read=read,
    match=match,
    head_path=("comments",),
)
