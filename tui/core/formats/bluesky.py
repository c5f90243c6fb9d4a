"""Bluesky threads as `app.bsky.feed.getPostThread` returns them.

    {"thread": {"$type": "app.bsky.feed.defs#threadViewPost",
                "post": {"uri": "at://did:plc:…/app.bsky.feed.post/3lbq…",
                         "author": {"did": "did:plc:…", "handle": "noor.bsky.social",
                                    "displayName": "Noor"},
                         "record": {"text": "…", "createdAt": "…Z",
                                    "facets": [{"index": {"byteStart": 0, "byteEnd": 17},
                                                "features": [{"$type":
                                                  "app.bsky.richtext.facet#link",
                                                  "uri": "https://…"}]}]},
                         "embed": {...}, "replyCount": 3, "likeCount": 88,
                         "indexedAt": "…Z"},
                "parent": {threadViewPost | notFoundPost | blockedPost},
                "replies": [threadViewPost | notFoundPost | blockedPost, ...]},
     "threadgate": ...}

The thread is seen from the post it was fetched for: its ancestors are a chain of
`parent`s, its replies a tree of `replies`.  The top of the chain is the article; the
chain below it comes first as a line of replies, the fetched post last with its
replies under it.  `#notFoundPost` (deleted) and `#blockedPost` keep their place as
placeholders.  A post has no title: the article's first line is used.

Text is plain; facets mark links, mentions and hashtags by *byte* offsets into the
UTF-8 text, so they are converted to character offsets here, and one that does not
fall on character boundaries is skipped.  The displayed text of a link is often cut
short (`example.com/long-pa...`) while the facet holds the whole address.

What the lexicon leaves open and real files show: `replies` is absent (not empty) on
posts below the requested depth even when `replyCount` says there are replies -- those
become a "more replies" row; `record.createdAt` is what the author's client claims and
may be far off, so `indexedAt` is used when it does not parse.
"""

from __future__ import annotations

import re
from typing import Any

from tui.core.errors import ThreadError
from tui.core.formats.headline import first_line, json_string
from tui.core.formats.registry import Reader, Source
from tui.core.formats.site import (
    Entry,
    Notices,
    Post,
    article_paragraphs,
    integer,
    iso_time,
    lazy_tree,
    plain_title,
    string,
)
from tui.core.model import Span, Status, Thread
from tui.core.repair import repair_text

NAME = "bluesky"
SITE = "Bluesky"
APP = "https://bsky.app"
VIEW = "app.bsky.feed.defs#threadViewPost"
NOT_FOUND = "app.bsky.feed.defs#notFoundPost"
BLOCKED = "app.bsky.feed.defs#blockedPost"
LINK = "app.bsky.richtext.facet#link"
MENTION = "app.bsky.richtext.facet#mention"
TAG = "app.bsky.richtext.facet#tag"
NOT_FOUND_TEXT = "[deleted post]"
BLOCKED_TEXT = "[blocked post]"
MISSING_TEXT = "[post not in this file]"

# A node of the thread as read: ("view", threadViewPost), ("gone", notFound/blocked
# item) or ("more", (count, parent post)).
Node = tuple[str, Any]


def _is_thread_item(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    kind = value.get("$type")
    if isinstance(kind, str) and kind.startswith("app.bsky.feed.defs#"):
        return True
    post = value.get("post")
    return isinstance(post, dict) and isinstance(post.get("record"), dict)


def match(document: Any) -> bool:
    """`{"thread": ...}` as the API returns it, or a bare thread view post."""
    if isinstance(document, dict) and _is_thread_item(document.get("thread")):
        return True
    return (
        isinstance(document, dict)
        and document.get("$type") == VIEW
        and isinstance(document.get("post"), dict)
    )


def _kind(item: Any) -> str:
    """ "view", "gone" (deleted or blocked) or "broken"."""
    if not isinstance(item, dict):
        return "broken"
    kind = item.get("$type")
    if kind in (NOT_FOUND, BLOCKED) or item.get("notFound") is True or item.get("blocked"):
        return "gone"
    post = item.get("post")
    if (kind == VIEW or kind is None) and isinstance(post, dict):
        return "view"
    return "broken"


def post_url(uri: Any, handle: str | None) -> str | None:
    """The bsky.app page of an `at://did/app.bsky.feed.post/rkey` URI."""
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return None
    parts = uri[len("at://") :].split("/")
    if len(parts) != 3 or parts[1] != "app.bsky.feed.post" or not parts[2]:
        return None
    return f"{APP}/profile/{handle or parts[0]}/post/{parts[2]}"


def facet_spans(text: str, facets: Any) -> tuple[list[Span], int]:
    """Link spans for a post's facets, and how many facets could not be used.

    Offsets are bytes of the UTF-8 text: they are mapped to characters, and a facet
    out of range, empty, or starting or ending inside a character is skipped.
    """
    if not isinstance(facets, list) or not facets:
        return [], 0
    data = text.encode("utf-8")
    # Character index of every byte offset that starts a character (and of the end).
    starts: dict[int, int] = {}
    offset = 0
    for index, char in enumerate(text):
        starts[offset] = index
        offset += len(char.encode("utf-8"))
    starts[len(data)] = len(text)
    spans: list[Span] = []
    bad = 0
    for facet in facets:
        index = facet.get("index") if isinstance(facet, dict) else None
        features = facet.get("features") if isinstance(facet, dict) else None
        if not isinstance(index, dict) or not isinstance(features, list):
            bad += 1
            continue
        begin = starts.get(integer(index.get("byteStart")))  # type: ignore[arg-type]
        end = starts.get(integer(index.get("byteEnd")))  # type: ignore[arg-type]
        if begin is None or end is None or end <= begin:
            bad += 1
            continue
        href = None
        for feature in features:
            if not isinstance(feature, dict):
                continue
            kind = feature.get("$type")
            if kind == LINK:
                href = string(feature.get("uri"))
            elif kind == MENTION and string(feature.get("did")):
                href = f"{APP}/profile/{feature['did']}"
            elif kind == TAG and string(feature.get("tag")):
                href = f"{APP}/hashtag/{feature['tag']}"
            if href:
                break
        if href and href.startswith(("https://", "http://", "mailto:")):
            spans.append(Span(begin, end, "link", href))
        elif href is not None:
            bad += 1
    spans.sort(key=lambda span: (span.start, -span.end))
    # Facets must not overlap: keep the first of any that do.
    kept: list[Span] = []
    for span in spans:
        if kept and span.start < kept[-1].end:
            bad += 1
            continue
        kept.append(span)
    return kept, bad


def _embed_lines(embed: Any) -> list[tuple[str, str | None, str | None]]:
    """Lines describing a post's embed: (text, link, role)."""
    if not isinstance(embed, dict):
        return []
    kind = string(embed.get("$type")) or ""
    lines: list[tuple[str, str | None, str | None]] = []
    media = embed.get("media") if "recordWithMedia" in kind else embed
    if isinstance(media, dict):
        images = media.get("images")
        for image in images if isinstance(images, list) else ():
            if isinstance(image, dict):
                alt = " ".join((string(image.get("alt")) or "").split())
                full = string(image.get("fullsize"))
                lines.append((f"[image: {alt}]" if alt else "[image]", full, "link"))
        external = media.get("external")
        if isinstance(external, dict):
            title = " ".join((string(external.get("title")) or "").split())
            uri = string(external.get("uri"))
            label = f"[link: {title}]" if title else f"[link: {uri or ''}]"
            lines.append((label, uri, "link"))
    record = embed.get("record")
    if isinstance(record, dict) and "recordWithMedia" in kind:
        record = record.get("record")
    if isinstance(record, dict):
        value = record.get("value")
        author = record.get("author")
        handle = string(author.get("handle")) if isinstance(author, dict) else None
        if isinstance(value, dict) and isinstance(value.get("text"), str):
            quoted = " ".join(value["text"].split())
            lines.append((f"@{handle or 'unknown'}: {quoted}", None, "quote"))
        elif record.get("notFound") or record.get("blocked"):
            lines.append(("[quoted post not available]", None, "quote"))
    return lines


def render_post(item: dict[str, Any], repair: bool, notices: Notices | None = None) -> Post:
    """A thread view post's post as a comment: text, facet links, embeds."""
    raw = item["post"]
    author = raw.get("author") if isinstance(raw.get("author"), dict) else {}
    handle = string(author.get("handle"))
    record = raw.get("record") if isinstance(raw.get("record"), dict) else {}
    text = string(record.get("text")) or ""
    spans, bad = facet_spans(text, record.get("facets"))
    if bad and notices is not None:
        notices.add(f"{raw.get('uri')}: {bad} facet(s) with offsets outside the text; skipped")
    repairs: tuple[Any, ...] = ()
    if repair and not spans and not text.isascii():
        # Only without facets: a repair changes lengths, and facets would drift.
        text, repairs = repair_text(text)
    text = text.rstrip()
    spans = [span for span in spans if span.end <= len(text)]
    extra = _embed_lines(raw.get("embed"))
    if extra:
        offset = len(text) + 2 if text else 0
        block = []
        for line, href, role in extra:
            if role == "link" and href and href.startswith(("https://", "http://")):
                spans.append(Span(offset, offset + len(line), "link", href))
            elif role == "quote":
                spans.append(Span(offset, offset + len(line), "quote"))
            block.append(line)
            offset += len(line) + 1
        text = "\n\n".join([*([text] if text else []), "\n".join(block)])
    posted = iso_time(record.get("createdAt")) or iso_time(raw.get("indexedAt"))
    return Post(
        text=text,
        spans=tuple(spans),
        author=handle,
        posted=posted,
        score=integer(raw.get("likeCount")),
        url=post_url(raw.get("uri"), handle),
        key=string(raw.get("uri")),
        repairs=repairs,
    )


def _gone(item: Any) -> Post:
    blocked = isinstance(item, dict) and (
        item.get("$type") == BLOCKED or item.get("blocked") is True
    )
    uri = item.get("uri") if isinstance(item, dict) else None
    return Post(
        text=BLOCKED_TEXT if blocked else NOT_FOUND_TEXT,
        status=Status.DELETED,
        key=string(uri),
        url=post_url(uri, None),
    )


def _external_url(item: dict[str, Any]) -> str | None:
    """The page a post's external link card points to: the article's link."""
    embed = item["post"].get("embed")
    media = embed.get("media") if isinstance(embed, dict) and "media" in embed else embed
    external = media.get("external") if isinstance(media, dict) else None
    url = string(external.get("uri")) if isinstance(external, dict) else None
    return url if url and url.startswith(("https://", "http://")) else None


def read(source: Source) -> Thread:
    document: dict[str, Any] = source.document
    notices = Notices()
    repair = source.repair
    focal = document.get("thread", document)
    if _kind(focal) != "view":
        what = "deleted" if _kind(focal) == "gone" else "not readable"
        raise ThreadError(source.path, f"the Bluesky post this thread was saved for is {what}")

    # The chain of ancestors, top first, then the focal post.
    chain: list[Any] = [focal]
    seen = {id(focal)}
    parent = focal.get("parent")
    while parent is not None and id(parent) not in seen:
        seen.add(id(parent))
        chain.append(parent)
        if _kind(parent) != "view":
            if _kind(parent) == "broken":
                notices.add("a parent in the chain above the post is not a post; chain cut there")
                chain.pop()
            break
        parent = parent.get("parent")
    chain.reverse()

    root = chain[0]
    if _kind(root) == "view":
        article = render_post(root, repair, notices)
        record = root["post"].get("record")
        if isinstance(record, dict) and isinstance(record.get("reply"), dict):
            notices.add("the thread's first post replies to posts not in this file")
    else:
        article = _gone(root)
        notices.add("the thread's first post is deleted or blocked; its replies are shown")

    entries: list[Entry[Node]] = []
    for depth, item in enumerate(chain[1:-1]):
        entries.append(Entry(depth, ("view", item) if _kind(item) == "view" else ("gone", item)))
    text_chars = 0
    pending: list[tuple[Any, int, str]] = []
    if len(chain) > 1:
        pending.append((focal, len(chain) - 2, "thread"))
    else:
        _push_replies(focal, -1, "thread", pending, entries, notices)
    while pending:
        item, depth, where = pending.pop()
        kind = _kind(item)
        if kind == "broken":
            notices.add(f"{where}: not a post; left out")
            continue
        if kind == "gone":
            entries.append(Entry(depth, ("gone", item)))
            continue
        record = item["post"].get("record")
        if isinstance(record, dict) and isinstance(record.get("text"), str):
            text_chars += len(record["text"])
        entries.append(Entry(depth, ("view", item)))
        _push_replies(item, depth, where, pending, entries, notices)

    def render(node: Node) -> Post:
        kind, item = node
        if kind == "view":
            return render_post(item, repair)
        if kind == "more":
            return Post(status=Status.MORE, more=item)
        return _gone(item)

    title = first_line(article.text) if article.status is Status.NORMAL else ""
    if not title:
        views = (entry.item[1] for entry in entries if entry.item[0] == "view")
        first = next(views, None)
        title = first_line(render_post(first, repair).text) if first is not None else ""
    title, title_repairs = plain_title(title or "Bluesky post", repair)
    tree = lazy_tree(entries, render, average_chars=text_chars / max(1, len(entries)))
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
        url=_external_url(root) if _kind(root) == "view" else None,
        permalink=article.url,
        author=article.author,
        posted=article.posted,
        score=article.score,
        article_spans=article.spans,
    )


def _push_replies(
    item: dict[str, Any],
    depth: int,
    where: str,
    pending: list[tuple[Any, int, str]],
    entries: list[Entry[Node]],
    notices: Notices,
) -> None:
    """Queue a post's replies (last first, so they pop in order), or add a "more"
    row when the file stops above replies the post has."""
    replies = item.get("replies")
    if replies is None:
        count = integer(item["post"].get("replyCount")) or 0
        if count > 0:
            entries.append(Entry(depth + 1, ("more", count)))
        return
    if not isinstance(replies, list):
        notices.add(f"{where}.replies: not a list; replies left out")
        return
    for index in range(len(replies) - 1, -1, -1):
        pending.append((replies[index], depth + 1, f"{where}.replies[{index}]"))


_HEAD = re.compile(r'\s*\{\s*"(?:thread|\$type)"\s*:')


def head_title(head: str) -> str | None:
    """The first line of the thread's first post, when the file was fetched for it:
    the API writes the fetched post first, and one that is not a reply (its record has
    no "reply") is the thread's first.  "" for a Bluesky thread that starts further in.
    """
    if not _HEAD.match(head) or '"app.bsky.feed.' not in head:
        return None
    end = head.find('"replyCount"')
    if end < 0 or re.search(r'"reply"\s*:', head[:end]):
        return ""
    text = json_string(head[:end], "text")
    return "" if text is None else first_line(text)


READER = Reader(name=NAME, label="a Bluesky thread", read=read, match=match, head_title=head_title)
