"""Mastodon conversations: a status's context (`GET /api/v1/statuses/<id>/context`),
the same with the status itself, or a plain list of statuses.

    {"ancestors": [Status, ...], "descendants": [Status, ...]}          context
    {"ancestors": [...], "status": Status, "descendants": [...]}         saved by fetch
    [Status, ...]                                                        a list
    Status                                                               one status

    Status: {"id": "1135...", "created_at": "2024-11-28T09:12:44.000Z",
             "in_reply_to_id": "1135..." | null, "content": "<p>HTML</p>",
             "spoiler_text": "", "url": "https://host/@user/1135...", "uri": "...",
             "favourites_count": 31, "account": {"acct": "marc@fosstodon.example",
             "display_name": "Marc", ...}, "media_attachments": [...], ...}

The context endpoint leaves out the status it was asked about, so a context alone
starts at its first ancestor; with no ancestors the focal status is missing and the
earliest status is the article.  The article is the conversation's root; every other
status hangs under the one its `in_reply_to_id` names.  Deleted statuses are simply
absent, so a reply to one is kept as an orphan at the top level.  A status whose
`replies_count` is more than the replies the file holds (deleted or private ones, or
past what the context endpoint returns to a reader who is not logged in) gets a row
saying how many are missing.

The title is the root's content warning (`spoiler_text`, what Mastodon shows before
the post) or else the first line of its text.  Ids are strings (64-bit snowflakes do
not fit a JavaScript number); numbers are accepted too.  Remote accounts' `acct` is
`user@host`, local ones plain `user`.  Mentions and hashtags are links in `content`,
and long links are cut into `invisible` and `ellipsis` spans that put together give
the whole address, which is what is shown.
"""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

from tui.core.errors import ThreadError
from tui.core.formats.headline import first_line, json_string
from tui.core.formats.registry import Reader, Source
from tui.core.formats.richtext import html_to_rich
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
from tui.core.model import Span, Status, Thread

NAME = "mastodon"
SITE = "Mastodon"


def is_status(value: Any) -> bool:
    """A Mastodon status object: an id, HTML content and an account."""
    return (
        isinstance(value, dict)
        and "content" in value
        and "in_reply_to_id" in value
        and isinstance(value.get("account"), dict)
    )


def match(document: Any) -> bool:
    if isinstance(document, dict):
        if isinstance(document.get("ancestors"), list) and isinstance(
            document.get("descendants"), list
        ):
            return True
        return is_status(document)
    return isinstance(document, list) and bool(document) and is_status(document[0])


def status_id(raw: dict[str, Any]) -> str | None:
    value = raw.get("id")
    if isinstance(value, str) and value:
        return value
    return str(value) if integer(value) is not None else None


def parent_id(raw: dict[str, Any]) -> str | None:
    value = raw.get("in_reply_to_id")
    if isinstance(value, str) and value:
        return value
    return str(value) if integer(value) is not None else None


def _statuses(document: Any, notices: Notices) -> tuple[list[dict[str, Any]], str | None]:
    """Every status in the file, in file order without repeats, and the focal one's id."""
    listed: list[tuple[str, Any]] = []
    focal = None
    if isinstance(document, list):
        listed = [(f"[{i}]", raw) for i, raw in enumerate(document)]
    elif "ancestors" in document:
        listed = [(f"ancestors[{i}]", raw) for i, raw in enumerate(document["ancestors"])]
        status = document.get("status")
        if status is not None:
            listed.append(("status", status))
            if isinstance(status, dict):
                focal = status_id(status)
        listed += [(f"descendants[{i}]", raw) for i, raw in enumerate(document["descendants"])]
    else:
        listed = [("status", document)]
    statuses: list[dict[str, Any]] = []
    seen: set[str] = set()
    for where, raw in listed:
        if not is_status(raw):
            notices.add(f"{where}: not a status object; left out")
            continue
        key = status_id(raw)
        if key is None:
            notices.add(f"{where}: no id; left out")
            continue
        if key in seen:
            continue
        seen.add(key)
        if not isinstance(raw.get("content"), str):
            notices.add(f"{where}: content is not a string; shown empty")
        if iso_time(raw.get("created_at")) is None:
            notices.add(f"{where}: created_at {raw.get('created_at')!r} is not a time")
        statuses.append(raw)
    return statuses, focal


def _root(statuses: list[dict[str, Any]], document: Any) -> dict[str, Any]:
    """The conversation's first status: the first ancestor when the file has the
    context's ancestors, else the earliest status whose parent is not in the file."""
    if isinstance(document, dict) and document.get("ancestors"):
        first = document["ancestors"][0]
        key = status_id(first) if is_status(first) else None
        found = next((raw for raw in statuses if status_id(raw) == key), None)
        if found is not None:
            return found
    keys = {status_id(raw) for raw in statuses}
    tops = [raw for raw in statuses if parent_id(raw) not in keys] or statuses

    def when(raw: dict[str, Any]) -> tuple[int, float]:
        posted = iso_time(raw.get("created_at"))
        if posted is None:
            return (1, 0.0)
        if posted.tzinfo is None:
            posted = posted.replace(tzinfo=UTC)
        return (0, posted.timestamp())

    return min(tops, key=when)


def _attachments(raw: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Lines naming a status's media and poll, with the link each should carry."""
    lines: list[tuple[str, str | None]] = []
    media = raw.get("media_attachments")
    for item in media if isinstance(media, list) else ():
        if not isinstance(item, dict):
            continue
        kind = string(item.get("type")) or "media"
        described = string(item.get("description"))
        label = f"[{kind}: {described}]" if described else f"[{kind}]"
        url = string(item.get("url")) or string(item.get("remote_url"))
        lines.append((label, url if url and url.startswith(("https://", "http://")) else None))
    poll = raw.get("poll")
    if isinstance(poll, dict) and isinstance(poll.get("options"), list):
        for option in poll["options"]:
            if isinstance(option, dict) and isinstance(option.get("title"), str):
                votes = integer(option.get("votes_count"))
                count = f" ({votes:,} votes)" if votes is not None else ""
                lines.append((f"○ {option['title']}{count}", None))
    return lines


def render_status(raw: dict[str, Any], repair: bool) -> Post:
    """A status as a post: its content warning first, then the text, then its media."""
    content = raw.get("content")
    account = raw["account"]
    text, spans, repairs = render_markup(
        content if isinstance(content, str) else "", "html", repair=repair, gt_quotes=True
    )
    warning = string(raw.get("spoiler_text"))
    if warning:
        head = f"CW: {' '.join(warning.split())}"
        shift = len(head) + 2
        spans = (
            Span(0, len(head), "strong"),
            *(Span(s.start + shift, s.end + shift, s.role, s.href) for s in spans),
        )
        text = f"{head}\n\n{text}" if text else head
    extra = _attachments(raw)
    if extra:
        parts = [text] if text else []
        added: list[Span] = []
        offset = len(text) + 2 if text else 0
        for label, url in extra:
            if url is not None:
                added.append(Span(offset, offset + len(label), "link", url))
            offset += len(label) + 1
        parts.append("\n".join(label for label, _ in extra))
        text = "\n\n".join(parts)
        spans = (*spans, *added)
    url = string(raw.get("url")) or string(raw.get("uri"))
    return Post(
        text=text,
        spans=spans,
        author=string(account.get("acct")) or string(account.get("username")),
        posted=iso_time(raw.get("created_at")),
        score=integer(raw.get("favourites_count")),
        url=url if url and url.startswith(("https://", "http://")) else None,
        key=status_id(raw),
        repairs=repairs,
    )


def _card_url(raw: dict[str, Any]) -> str | None:
    """The page a status's link preview card shows: the article's link."""
    card = raw.get("card")
    url = string(card.get("url")) if isinstance(card, dict) else None
    return url if url and url.startswith(("https://", "http://")) else None


def with_unlisted_replies(entries: list[Entry[Any]], root: dict[str, Any]) -> list[Entry[Any]]:
    """The entries with a "more" row (its item the count) after the replies of each
    status that has fewer replies in the file than its `replies_count`: replies
    deleted, private, or beyond what the context endpoint returns (it stops at a few
    dozen for a reader who is not logged in)."""
    out: list[Entry[Any]] = []
    open_: list[list[Any]] = []  # [status, depth, replies seen], innermost last
    top = 0

    def close(depth: int) -> None:
        while open_ and open_[-1][1] >= depth:
            raw, level, seen = open_.pop()
            missing = (integer(raw.get("replies_count")) or 0) - seen
            if missing > 0:
                out.append(Entry(level + 1, missing))

    for entry in entries:
        close(entry.depth)
        if open_:
            open_[-1][2] += 1
        elif not entry.orphan:
            top += 1
        out.append(entry)
        open_.append([entry.item, entry.depth, 0])
    close(0)
    missing = (integer(root.get("replies_count")) or 0) - top
    if missing > 0:
        out.append(Entry(0, missing))
    return out


def read(source: Source) -> Thread:
    document = source.document
    notices = Notices()
    repair = source.repair
    statuses, _focal = _statuses(document, notices)
    if not statuses:
        raise ThreadError(source.path, "a Mastodon conversation with no readable status in it")
    root = _root(statuses, document)
    root_key = status_id(root)
    others = [raw for raw in statuses if raw is not root]
    entries, _orphans = order_by_parent(others, key=status_id, parent=parent_id, root=root_key)
    entries = with_unlisted_replies(entries, root)
    article = render_status(root, repair)
    warning = string(root.get("spoiler_text"))
    title = " ".join(warning.split()) if warning else first_line(article.text)
    title, title_repairs = plain_title(title or "Mastodon post", repair)
    chars = sum(len(raw["content"]) for raw in others if isinstance(raw.get("content"), str))

    def render(raw: dict[str, Any] | int) -> Post:
        if isinstance(raw, int):
            return Post(status=Status.MORE, more=raw)
        return render_status(raw, repair)

    tree = lazy_tree(entries, render, average_chars=chars / max(1, len(others)))
    host = urlsplit(article.url).hostname if article.url else None
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
        site=f"Mastodon ({host})" if host else SITE,
        url=_card_url(root),
        permalink=article.url,
        author=article.author,
        posted=article.posted,
        score=article.score,
        article_spans=article.spans,
    )


# How the API's documents start: a context, a status, a list of statuses.
_HEAD = re.compile(r'\s*\[?\s*\{\s*"(?:ancestors|descendants|status|id)"\s*:')


def head_title(head: str) -> str | None:
    """The first status's content warning or first line, from a file's first bytes:
    the root when the file starts with the ancestors or the status (as the API and the
    fetch feature write them).  "" when the head is Mastodon's but holds no content."""
    if not _HEAD.match(head) or '"in_reply_to_id"' not in head or '"account"' not in head:
        return None
    warning = json_string(head, "spoiler_text")
    if warning and warning.strip():
        return " ".join(warning.split())
    content = json_string(head, "content")
    if content is None:
        return ""
    text, _spans = html_to_rich(content, gt_quotes=True)
    return first_line(text)


READER = Reader(
    name=NAME, label="a Mastodon conversation", read=read, match=match, head_title=head_title
)
