"""Hacker News threads as the Algolia API gives them (`hn.algolia.com/api/v1/items/<id>`).

    {"id": 1, "created_at": "2024-05-01T10:00:00.000Z", "created_at_i": 1714557600,
     "type": "story", "author": "pg", "title": "...", "url": "https://..." | null,
     "text": "<p>HTML</p>" | null, "points": 57, "parent_id": null, "story_id": 1,
     "children": [{"id": 2, "type": "comment", "author": ..., "text": ...,
                   "parent_id": 1, "story_id": 1, "points": null, "children": [...]}]}

The story's `text` (an Ask HN post) is the article; a link story's `url` is the
article's link.  Comments carry no points (Algolia writes null for them).  Deleted
comments keep their place with `author` and `text` null; their replies are still
there.  Text is Hacker News' HTML (paragraphs separated by a bare `<p>`, quotes as
`>`-prefixed paragraphs, code in `<pre><code>`).  A file saved from a comment's id
(`type` "comment") is a thread too: that comment is the article, its replies the
comments.
"""

from __future__ import annotations

from typing import Any

from tui.core.formats.registry import Reader, Source
from tui.core.formats.site import (
    Entry,
    Notices,
    Post,
    article_paragraphs,
    epoch,
    integer,
    iso_time,
    lazy_tree,
    plain_title,
    render_markup,
    string,
)
from tui.core.model import Status, Thread

NAME = "hn-algolia"
SITE = "Hacker News"
BASE = "https://news.ycombinator.com/"


def item_url(key: Any) -> str | None:
    """The Hacker News page of an item id."""
    return f"{BASE}item?id={key}" if integer(key) is not None else None


def match(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "children" in document
        and "created_at" in document
        and ("story_id" in document or "parent_id" in document)
        and "kids" not in document
    )


def _time(raw: dict[str, Any]) -> Any:
    return iso_time(raw.get("created_at")) or epoch(raw.get("created_at_i"))


def read(source: Source) -> Thread:
    document: dict[str, Any] = source.document
    notices = Notices()
    repair = source.repair

    title = string(document.get("title")) or ""
    if not title and document.get("type") == "comment":
        title = f"Comment by {string(document.get('author')) or 'unknown'}"
    title, title_repairs = plain_title(title, repair)
    article_html = string(document.get("text")) or ""
    article, spans, repairs = render_markup(article_html, "html", repair=repair, gt_quotes=True)

    entries: list[Entry[Any]] = []
    text_chars = 0
    pending: list[tuple[Any, int, str]] = []
    children = document.get("children")
    if children is not None and not isinstance(children, list):
        notices.add('"children" of the story is not a list; no comments shown')
        children = []
    for index in range(len(children or ()) - 1, -1, -1):
        pending.append((children[index], 0, f"children[{index}]"))
    while pending:
        raw, depth, where = pending.pop()
        if not isinstance(raw, dict):
            notices.add(f"{where}: not a comment object; left out")
            continue
        text = raw.get("text")
        if "text" not in raw:
            notices.add(f"{where}: no text; shown empty")
        elif text is not None and not isinstance(text, str):
            notices.add(f"{where}.text: not a string; shown empty")
        elif isinstance(text, str):
            text_chars += len(text)
        entries.append(Entry(depth, raw))
        kids = raw.get("children")
        if kids is None:
            continue
        if not isinstance(kids, list):
            notices.add(f"{where}.children: not a list; replies left out")
            continue
        for index in range(len(kids) - 1, -1, -1):
            pending.append((kids[index], depth + 1, f"{where}.children[{index}]"))

    def render(raw: dict[str, Any]) -> Post:
        html = raw.get("text")
        author = string(raw.get("author"))
        post = Post(
            author=author,
            posted=_time(raw),
            score=integer(raw.get("points")),
            url=item_url(raw.get("id")),
            key=str(raw["id"]) if integer(raw.get("id")) is not None else None,
        )
        if isinstance(html, str) and html:
            post.text, post.spans, post.repairs = render_markup(
                html, "html", repair=repair, base=BASE, gt_quotes=True
            )
        elif author is None and html is None:
            post.status = Status.DELETED
        if raw.get("dead") is True:
            post.status = Status.DEAD
        return post

    tree = lazy_tree(entries, render, average_chars=text_chars / max(1, len(entries)))
    link = string(document.get("url"))
    return Thread(
        title=title,
        article=article_paragraphs(article),
        tree=tree,
        source=source.path,
        encoding=source.encoding,
        format=NAME,
        repair=repair,
        article_repairs=title_repairs + repairs,
        notices=notices.notices(),
        url=link if link and link.startswith(("http://", "https://")) else None,
        site=SITE,
        permalink=item_url(document.get("id")),
        author=string(document.get("author")),
        posted=_time(document),
        score=integer(document.get("points")),
        article_spans=spans,
    )


READER = Reader(
    name=NAME,
    label="a Hacker News thread (Algolia API)",
    read=read,
    match=match,
    head_path=("children",),
)
