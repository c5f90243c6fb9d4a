"""Reddit threads as `reddit.com/r/<sub>/comments/<id>/.json` gives them.

A two-element array of Listings: the first holds the post (`t3`), the second the
comments (`t1`), each reply Listing under its comment's `replies` ("" when there are
none).  Where Reddit cut the tree short there is a `more` item, `{"count": N,
"children": [ids]}`, shown as one row "N more replies not in this file" (a "continue
this thread" stub has count 0 and no ids).

    [{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
        "title": "...", "selftext": "Markdown", "selftext_html": "&lt;div...",
        "url": "https://...", "is_self": false, "permalink": "/r/x/comments/abc/slug/",
        "author": "...", "score": 42, "created_utc": 1714557600.0,
        "subreddit_name_prefixed": "r/x"}}]}},
     {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {
        "id": "k1", "author": "...", "body": "Markdown", "body_html": "&lt;div...",
        "score": 7, "created_utc": ..., "permalink": "/r/x/comments/abc/slug/k1/",
        "replies": "" | {"kind": "Listing", ...}}}, {"kind": "more", ...}]}}]

Text is read from `body_html` (Reddit's own rendering, HTML-escaped once more) when
present, else `body` is rendered as Markdown.  Outside `raw_json=1`, Reddit escapes
`&`, `<` and `>` in titles and Markdown (so a `>` quote reads `&gt;`), and the HTML
once more; the file's own HTML says which it is, and the escaping is undone.  A deleted or removed
comment has the author "[deleted]" and the body "[deleted]" or "[removed]".  A file
saved from a comment's permalink is a thread too: the comments start below the top.
"""

from __future__ import annotations

import html
from typing import Any

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

NAME = "reddit"
BASE = "https://www.reddit.com"
_GONE = frozenset({"[deleted]", "[removed]"})


def _listing(value: Any) -> list[Any] | None:
    """The children of a Listing, or None when `value` is not one."""
    if not isinstance(value, dict) or value.get("kind") != "Listing":
        return None
    data = value.get("data")
    children = data.get("children") if isinstance(data, dict) else None
    return children if isinstance(children, list) else None


def match(document: Any) -> bool:
    if not isinstance(document, list) or len(document) != 2:
        return False
    posts = _listing(document[0])
    return (
        posts is not None
        and _listing(document[1]) is not None
        and bool(posts)
        and isinstance(posts[0], dict)
        and posts[0].get("kind") == "t3"
    )


def _permalink(value: Any) -> str | None:
    path = string(value)
    if not path:
        return None
    if path.startswith("/"):
        return BASE + path
    return path if path.startswith("https://") else None


def _source(
    data: dict[str, Any], markdown_key: str, html_key: str, escaped: bool
) -> tuple[str, str]:
    """The post's markup source and its kind: Reddit's HTML when there, else Markdown
    (unescaped first unless the file was saved with `raw_json=1`)."""
    rendered = data.get(html_key)
    if isinstance(rendered, str) and rendered:
        return (html.unescape(rendered) if escaped else rendered), "html"
    markdown = string(data.get(markdown_key)) or ""
    if escaped and "&" in markdown:
        markdown = _unescape_markdown(markdown)
    return markdown, "markdown"


def _unescape_markdown(text: str) -> str:
    """Undo the escaping Reddit applies to Markdown outside `raw_json=1`: only `&`, `<`
    and `>` (an entity the author typed stays one, as Reddit shows it)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _escaped(post: dict[str, Any], comments: list[Any]) -> bool:
    """Whether the file has Reddit's default escaping (saved without `raw_json=1`):
    its rendered HTML then starts with `&lt;`.  Without any, the default is assumed."""
    samples = [post.get("selftext_html")]
    for raw in comments[:20]:
        data = raw.get("data") if isinstance(raw, dict) else None
        if isinstance(data, dict):
            samples.append(data.get("body_html"))
    for sample in samples:
        if isinstance(sample, str) and sample.strip():
            return not sample.lstrip().startswith("<")
    return True


def read(source: Source) -> Thread:
    document: list[Any] = source.document
    notices = Notices()
    repair = source.repair
    post_data = document[0]["data"]["children"][0].get("data")
    if not isinstance(post_data, dict):
        post_data = {}
        notices.add("the post's data is missing")

    entries: list[Entry[Any]] = []
    chars = 0
    top = _listing(document[1]) or []
    escaped = _escaped(post_data, top)
    pending = [(top[i], 0, f"[1].children[{i}]") for i in range(len(top) - 1, -1, -1)]
    while pending:
        raw, depth, where = pending.pop()
        if not isinstance(raw, dict) or not isinstance(raw.get("data"), dict):
            notices.add(f"{where}: not a comment; left out")
            continue
        kind = raw.get("kind")
        data = raw["data"]
        if kind == "more":
            entries.append(Entry(depth, raw))
            continue
        if kind != "t1":
            notices.add(f"{where}: a {kind!r} item where a comment was expected; left out")
            continue
        body = data.get("body_html") or data.get("body")
        if isinstance(body, str):
            chars += len(body)
        else:
            notices.add(f"{where}: no text; shown empty")
        entries.append(Entry(depth, raw))
        replies = data.get("replies")
        if replies in ("", None):
            continue
        kids = _listing(replies)
        if kids is None:
            notices.add(f"{where}.replies: not a Listing; replies left out")
            continue
        pending.extend(
            (kids[i], depth + 1, f"{where}.replies.children[{i}]")
            for i in range(len(kids) - 1, -1, -1)
        )

    def render(raw: dict[str, Any]) -> Post:
        data = raw["data"]
        if raw.get("kind") == "more":
            ids = data.get("children")
            count = integer(data.get("count")) or (len(ids) if isinstance(ids, list) else 0)
            return Post(status=Status.MORE, more=count)
        author = string(data.get("author"))
        post = Post(
            author=None if author in _GONE else author,
            posted=epoch(data.get("created_utc")),
            score=None if data.get("score_hidden") is True else integer(data.get("score")),
            url=_permalink(data.get("permalink")),
            key=string(data.get("id")),
        )
        markup, kind = _source(data, "body", "body_html", escaped)
        post.text, post.spans, post.repairs = render_markup(markup, kind, repair=repair, base=BASE)
        if author in _GONE and post.text in _GONE:
            post.status = Status.DELETED
        return post

    title = string(post_data.get("title")) or ""
    if escaped:
        title = _unescape_markdown(title)
    title, title_repairs = plain_title(title, repair)
    markup, kind = _source(post_data, "selftext", "selftext_html", escaped)
    article, spans, repairs = render_markup(markup, kind, repair=repair, base=BASE)
    permalink = _permalink(post_data.get("permalink"))
    link = string(post_data.get("url"))
    if post_data.get("is_self") is True or not link or link == permalink:
        link = None
    elif link.startswith("/"):
        link = BASE + link
    author = string(post_data.get("author"))
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
        site=string(post_data.get("subreddit_name_prefixed")) or "Reddit",
        permalink=permalink,
        author=None if author in _GONE else author,
        posted=epoch(post_data.get("created_utc")),
        score=integer(post_data.get("score")),
        article_spans=spans,
    )


def head_title(head: str) -> str | None:
    """The post's title from a file's first bytes (Reddit escapes &, < and >)."""
    from tui.core.formats.registry import generic_head_title

    if '"Listing"' not in head or '"t3"' not in head:
        return None
    title = generic_head_title(head)
    if title is None:
        return None
    if "&lt;div" in head or '_html": "<' not in head:
        title = _unescape_markdown(title)
    return " ".join(title.split())


READER = Reader(
    name=NAME,
    label="a Reddit thread",
    read=read,
    match=match,
    head_path=(1, "data", "children"),
    head_title=head_title,
)
