"""Lobsters threads as `lobste.rs/s/<id>.json` gives them (and other sites running the
same software).

    {"short_id": "abc123", "short_id_url": "https://lobste.rs/s/abc123",
     "created_at": "2024-05-01T10:00:00.000-05:00", "title": "...",
     "url": "https://..." | "", "score": 42, "comment_count": 3,
     "description": "<p>HTML</p>", "description_plain": "Markdown",
     "submitter_user": "name" | {"username": "name", ...}, "tags": ["python"],
     "comments": [{"short_id": "c1", "short_id_url": "...", "created_at": "...",
                   "is_deleted": false, "is_moderated": false, "score": 5,
                   "comment": "<p>HTML</p>", "comment_plain": "Markdown",
                   "commenting_user": "name" | {"username": ...},
                   "parent_comment": null | "c0", "depth": 0, "indent_level": 1}]}

Comments come as one flat list in reading order.  Which field gives the tree depends
on the version of the site that wrote the file: `parent_comment` (the parent's
short id; newer), `depth` (0 at the top), or `indent_level` (1 at the top in older
versions, 0 in some; the first comment, always at the top, says which).
The first present on the comments is used, in that order.  Users are a name, or an
object holding `username` (older versions).  Deleted and moderated comments stay in
place, their text replaced by the site.
"""

from __future__ import annotations

from typing import Any

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

NAME = "lobsters"


def match(document: Any) -> bool:
    return (
        isinstance(document, dict)
        and "short_id" in document
        and isinstance(document.get("comments", []), list)
        and ("submitter_user" in document or "comments" in document)
    )


def _user(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("username")
    return string(value)


def _site(url: str | None) -> str:
    if url:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        if host:
            return host
    return "Lobsters"


def _depths(comments: list[dict[str, Any]], notices: Notices) -> list[Entry[Any]]:
    """Entries in reading order, from whichever tree field the file has."""
    if any("parent_comment" in c for c in comments):
        entries, orphans = order_by_parent(
            comments,
            key=lambda c: string(c.get("short_id")),
            parent=lambda c: string(c.get("parent_comment")),
        )
        for orphan in orphans:
            notices.add(
                f"comment {string(orphan.get('short_id')) or '?'} replies to "
                f"{string(orphan.get('parent_comment')) or '?'}, which is not in this file: "
                "shown at the top"
            )
        return entries
    field = "depth" if any("depth" in c for c in comments) else "indent_level"
    # `indent_level` counted from 1 in older versions and from 0 in some later ones;
    # the first comment is always at the top, so it says which.
    levels = [integer(c.get(field)) for c in comments[:1]]
    first = levels[0] if levels and levels[0] in (0, 1) else (0 if field == "depth" else 1)
    entries = []
    previous = -1
    for index, comment in enumerate(comments):
        level = integer(comment.get(field))
        if level is None:
            notices.add(f"comments[{index}]: no {field}; shown at the top")
            depth = 0
        else:
            depth = level - first
        if depth < 0:
            notices.add(f"comments[{index}].{field}: {level} is not a level; shown at the top")
            depth = 0
        orphan = False
        if depth > previous + 1:
            notices.add(
                f"comments[{index}]: at {field} {level} without a parent above it; shown at the top"
            )
            depth = 0
            orphan = True
        entries.append(Entry(depth, comment, orphan))
        previous = depth
    return entries


def read(source: Source) -> Thread:
    document: dict[str, Any] = source.document
    notices = Notices()
    repair = source.repair
    listed = document.get("comments") or []
    comments: list[dict[str, Any]] = []
    for index, comment in enumerate(listed):
        if isinstance(comment, dict):
            comments.append(comment)
            if not isinstance(comment.get("comment"), str) and not isinstance(
                comment.get("comment_plain"), str
            ):
                notices.add(f"comments[{index}]: no text; shown empty")
        else:
            notices.add(f"comments[{index}]: not a comment object; left out")
    entries = _depths(comments, notices)
    base = string(document.get("short_id_url"))

    def render(raw: dict[str, Any]) -> Post:
        post = Post(
            author=_user(raw.get("commenting_user")),
            posted=iso_time(raw.get("created_at")),
            score=integer(raw.get("score")),
            url=string(raw.get("short_id_url")) or string(raw.get("url")),
            key=string(raw.get("short_id")),
        )
        text = raw.get("comment")
        markup = "html"
        if not isinstance(text, str):
            text, markup = string(raw.get("comment_plain")) or "", "markdown"
        post.text, post.spans, post.repairs = render_markup(text, markup, repair=repair, base=base)
        if raw.get("is_deleted") is True:
            post.status = Status.DELETED
        elif raw.get("is_moderated") is True:
            post.status = Status.DEAD
        return post

    description = document.get("description")
    markup = "html"
    if not isinstance(description, str):
        description, markup = string(document.get("description_plain")) or "", "markdown"
    article, spans, repairs = render_markup(description, markup, repair=repair, base=base)
    title, title_repairs = plain_title(string(document.get("title")) or "", repair)
    chars = sum(len(c.get("comment") or "") for c in comments if isinstance(c.get("comment"), str))
    link = string(document.get("url"))
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
        site=_site(base),
        permalink=base,
        author=_user(document.get("submitter_user")),
        posted=iso_time(document.get("created_at")),
        score=integer(document.get("score")),
        article_spans=spans,
    )


READER = Reader(
    name=NAME, label="a Lobsters thread", read=read, match=match, head_path=("comments",)
)
