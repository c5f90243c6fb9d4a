"""Hacker News items as the official Firebase API gives them (`v0/item/<id>.json`).

Each item is fetched on its own, so a saved thread is several items together: a JSON
array of them, or JSON Lines (one item a line), or a single item.

    {"id": 8863, "type": "story", "by": "dhouston", "time": 1175714200,
     "title": "...", "url": "https://..." , "text": "<p>HTML</p>", "score": 104,
     "descendants": 71, "kids": [9224, 8917]}
    {"id": 9224, "type": "comment", "by": "...", "time": ..., "parent": 8863,
     "text": "...", "kids": [...]}
    {"id": 9225, "type": "comment", "deleted": true, "parent": 8863, "time": ...}
    {"id": 9226, "type": "comment", "dead": true, "by": "...", "text": "...", ...}

The thread's root is the first item whose parent is not in the file (normally the
story; a comment when the file was saved from one).  Replies are ordered as their
parent's `kids` lists them (Hacker News' ranking), then in file order.  Other items
whose parent is missing are orphans, shown at the top level and named in the notice.
Comments carry no score in this API.  A deleted item has neither `by` nor `text`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tui.core.formats.hn_algolia import BASE, SITE, item_url
from tui.core.formats.registry import Reader, Source
from tui.core.formats.site import (
    Notices,
    Post,
    article_paragraphs,
    epoch,
    integer,
    lazy_tree,
    order_by_parent,
    plain_title,
    render_markup,
    string,
)
from tui.core.model import Status, Thread

NAME = "hn-firebase"
_TYPES = frozenset({"story", "comment", "job", "poll", "pollopt"})


def _is_item(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("type") in _TYPES
        and integer(value.get("id")) is not None
        and "children" not in value
        and "comments" not in value
    )


def match(document: Any) -> bool:
    if isinstance(document, list):
        sample = document[:20]
        return bool(sample) and all(_is_item(v) for v in sample)
    return _is_item(document)


def read(source: Source) -> Thread:
    document = source.document
    raw_items = document if isinstance(document, list) else [document]
    notices = Notices()
    repair = source.repair
    items: list[dict[str, Any]] = []
    seen: set[int] = set()
    for index, value in enumerate(raw_items):
        if not _is_item(value):
            notices.add(f"item [{index}]: not a Hacker News item; left out")
            continue
        if (
            value.get("type") == "comment"
            and not isinstance(value.get("text"), str)
            and value.get("deleted") is not True
            and value.get("dead") is not True
        ):
            notices.add(f"item {value['id']}: no text; shown empty")
        if value["id"] in seen:
            notices.add(f"item {value['id']}: listed twice; the second left out")
            continue
        seen.add(value["id"])
        items.append(value)

    by_id = {item["id"]: item for item in items}
    root = next((i for i in items if by_id.get(i.get("parent")) is None), None)
    if root is None:  # every item's parent is in the file: a cycle
        root = items[0]
    comments = [i for i in items if i is not root]
    if root.get("type") == "comment" and root.get("parent") is not None:
        # Saved from a comment: its siblings' parent is missing too, like its own.
        top = root.get("parent")
    else:
        top = root["id"]
    # Where each item stands among its parent's kids, for Hacker News' order.
    rank: dict[int, int] = {}
    for item in items:
        kids = item.get("kids")
        if isinstance(kids, list):
            for place, kid in enumerate(kids):
                if isinstance(kid, int):
                    rank.setdefault(kid, place)
    order = sorted(range(len(comments)), key=lambda i: (rank.get(comments[i]["id"], 1 << 30), i))
    entries, orphans = order_by_parent(
        [comments[i] for i in order],
        key=lambda i: i["id"],
        parent=lambda i: i.get("parent"),
        root=root["id"],
    )
    missing = Counter(o.get("parent") for o in orphans)
    for parent, count in missing.items():
        if parent == top:
            continue
        noun = "reply" if count == 1 else "replies"
        notices.add(f"{count} {noun} to item {parent}, which is not in this file: shown at the top")

    def render(raw: dict[str, Any]) -> Post:
        post = Post(
            author=string(raw.get("by")),
            posted=epoch(raw.get("time")),
            score=integer(raw.get("score")),
            url=item_url(raw.get("id")),
            key=str(raw.get("id")),
        )
        html = raw.get("text")
        if isinstance(html, str) and html:
            post.text, post.spans, post.repairs = render_markup(
                html, "html", repair=repair, base=BASE, gt_quotes=True
            )
        if raw.get("deleted") is True:
            post.status = Status.DELETED
        elif raw.get("dead") is True:
            post.status = Status.DEAD
        return post

    # Orphans whose parent is the missing root's parent (a saved comment's siblings)
    # are not orphans: they are top-level in this file.
    for index, entry in enumerate(entries):
        if entry.orphan and entry.item.get("parent") == top:
            entries[index] = type(entry)(entry.depth, entry.item, False)

    title = string(root.get("title")) or ""
    if not title:
        title = f"Comment by {string(root.get('by')) or 'unknown'}"
    title, title_repairs = plain_title(title, repair)
    article, spans, repairs = render_markup(
        string(root.get("text")) or "", "html", repair=repair, base=BASE, gt_quotes=True
    )
    chars = sum(len(c.get("text") or "") for c in comments if isinstance(c.get("text"), str))
    link = string(root.get("url"))
    return Thread(
        title=title,
        article=article_paragraphs(article),
        tree=lazy_tree(entries, render, average_chars=chars / max(1, len(comments))),
        source=source.path,
        encoding=source.encoding,
        format=NAME,
        repair=repair,
        article_repairs=title_repairs + repairs,
        notices=notices.notices(),
        url=link if link and link.startswith(("http://", "https://")) else None,
        site=SITE,
        permalink=item_url(root.get("id")),
        author=string(root.get("by")),
        posted=epoch(root.get("time")),
        score=integer(root.get("score")),
        article_spans=spans,
    )


READER = Reader(
    name=NAME,
    label="Hacker News items (Firebase API)",
    read=read,
    match=match,
    suffixes=frozenset({".jsonl", ".ndjson"}),
)
