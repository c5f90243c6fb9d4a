"""Generated threads as Hacker News (Algolia API) and Reddit save them, for benchmarks.

Each comes with the plain-text thread of the very same posts, so a benchmark can say
what reading the site format costs over reading the same words from the seed format.
The tree is grown as `bench.generate.generate_json_thread` grows it; posts are the
generator's, written as the site writes them: Hacker News HTML (`<p>` between
paragraphs, entities for quotes and slashes), Reddit Markdown plus its escaped HTML and
the metadata a real comment carries (about two thirds of a Reddit file is metadata).
"""

from __future__ import annotations

import html
import json
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.generate import _article, _post, _username
from bench.seed_text import seed_thread

START = datetime(2025, 3, 14, 8, 0, tzinfo=UTC)


def _shape(comments: int, rng: random.Random, max_depth: int = 10) -> list[int]:
    """Depths in reading order: reply, answer the same parent, or climb back up."""
    depths: list[int] = []
    depth = -1
    for _ in range(comments):
        move = rng.random()
        if depth < 0 or (move < 0.4 and depth + 1 < max_depth):
            depth += 1
        elif move < 0.7:
            pass
        else:
            depth = rng.randint(0, depth)
        depths.append(depth)
    return depths


def _nest(depths: list[int], nodes: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Put each node under the last one a level up, in `key` (a list)."""
    roots: list[dict[str, Any]] = []
    path: list[dict[str, Any]] = []
    for depth, node in zip(depths, nodes, strict=True):
        del path[depth:]
        (path[-1][key] if path else roots).append(node)
        path.append(node)
    return roots


def _posts(comments: int, seed: int) -> tuple[str, list[str], list[str], list[int], list[str]]:
    rng = random.Random(seed)
    title, article = _article(rng)
    posts = [_post(rng, mojibake=False) for _ in range(comments)]
    users = [_username(rng) for _ in range(max(10, comments // 8))]
    authors = [rng.choice(users) for _ in range(comments)]
    return title, article, posts, _shape(comments, rng), authors


def plain_twin(comments: int = 5_000, seed: int = 1) -> bytes:
    """The same posts as a plain-text (seed format) thread."""
    title, article, posts, _depths, _authors = _posts(comments, seed)
    return seed_thread(title, article, posts).encode("utf-8")


def _hn_html(text: str) -> str:
    paragraphs = [html.escape(p, quote=True).replace("/", "&#x2F;") for p in text.split("\n\n")]
    return "<p>".join(p.replace("\n", " ") for p in paragraphs)


def algolia_thread(comments: int = 5_000, seed: int = 1) -> bytes:
    """A Hacker News story with `comments` comments, as the Algolia items API gives it."""
    title, article, posts, depths, authors = _posts(comments, seed)
    nodes = []
    for index, (text, author) in enumerate(zip(posts, authors, strict=True)):
        when = START + timedelta(seconds=30 * index)
        nodes.append(
            {
                "id": 40_000_001 + index,
                "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "created_at_i": int(when.timestamp()),
                "type": "comment",
                "author": author,
                "title": None,
                "url": None,
                "text": _hn_html(text),
                "points": None,
                "parent_id": None,
                "story_id": 40_000_000,
                "children": [],
                "options": [],
            }
        )
    story = {
        "id": 40_000_000,
        "created_at": START.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "created_at_i": int(START.timestamp()),
        "type": "story",
        "author": "bench",
        "title": title,
        "url": None,
        "text": "<p>".join(html.escape(p) for p in article),
        "points": 512,
        "parent_id": None,
        "story_id": 40_000_000,
        "children": _nest(depths, nodes, "children"),
        "options": [],
    }
    return json.dumps(story, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _reddit_html(text: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in text.split("\n\n"))
    return html.escape(f'<div class="md">{body}</div>', quote=False)


def _t1(index: int, text: str, author: str, depth: int) -> dict[str, Any]:
    key = f"m{index:06d}"
    when = START + timedelta(seconds=30 * index)
    return {
        "kind": "t1",
        "data": {
            "subreddit_id": "t5_2qh1i",
            "approved_at_utc": None,
            "author_is_blocked": False,
            "comment_type": None,
            "awarders": [],
            "mod_reason_by": None,
            "banned_by": None,
            "author_flair_type": "text",
            "total_awards_received": 0,
            "subreddit": "bench",
            "author_flair_template_id": None,
            "likes": None,
            "user_reports": [],
            "saved": False,
            "id": key,
            "banned_at_utc": None,
            "mod_reason_title": None,
            "gilded": 0,
            "archived": False,
            "collapsed_reason_code": None,
            "no_follow": True,
            "author": author,
            "can_mod_post": False,
            "created_utc": when.timestamp(),
            "send_replies": True,
            "parent_id": "t3_bench",
            "score": (index * 7919) % 500,
            "author_fullname": f"t2_{index:08x}",
            "approved_by": None,
            "mod_note": None,
            "all_awardings": [],
            "collapsed": False,
            "body": html.escape(text, quote=False),
            "edited": False,
            "top_awarded_type": None,
            "author_flair_css_class": None,
            "name": f"t1_{key}",
            "is_submitter": False,
            "downs": 0,
            "author_flair_richtext": [],
            "author_patreon_flair": False,
            "body_html": _reddit_html(text),
            "removal_reason": None,
            "collapsed_reason": None,
            "distinguished": None,
            "associated_award": None,
            "stickied": False,
            "author_premium": False,
            "can_gild": False,
            "gildings": {},
            "unrepliable_reason": None,
            "author_flair_text_color": None,
            "score_hidden": False,
            "permalink": f"/r/bench/comments/bench/generated/{key}/",
            "subreddit_type": "public",
            "locked": False,
            "report_reasons": None,
            "created": when.timestamp(),
            "author_flair_text": None,
            "treatment_tags": [],
            "subreddit_name_prefixed": "r/bench",
            "controversiality": 0,
            "depth": depth,
            "author_flair_background_color": None,
            "collapsed_because_crowd_control": None,
            "mod_reports": [],
            "num_reports": None,
            "ups": (index * 7919) % 500,
            "replies": "",
        },
    }


def reddit_thread(comments: int = 5_000, seed: int = 1) -> bytes:
    """A Reddit self post with `comments` comments, as `.../comments/<id>/.json` gives it."""
    title, article, posts, depths, authors = _posts(comments, seed)
    nodes = [
        _t1(i, text, author, depth)
        for i, (text, author, depth) in enumerate(zip(posts, authors, depths, strict=True))
    ]
    roots: list[dict[str, Any]] = []
    path: list[dict[str, Any]] = []
    for depth, node in zip(depths, nodes, strict=True):
        del path[depth:]
        if path:
            replies = path[-1]["data"]["replies"]
            if replies == "":
                replies = {"kind": "Listing", "data": {"children": [], "after": None}}
                path[-1]["data"]["replies"] = replies
            replies["data"]["children"].append(node)
        else:
            roots.append(node)
        path.append(node)
    selftext = "\n\n".join(article)
    post = {
        "kind": "t3",
        "data": {
            "subreddit": "bench",
            "selftext": html.escape(selftext, quote=False),
            "selftext_html": _reddit_html(selftext),
            "title": html.escape(title, quote=False),
            "subreddit_name_prefixed": "r/bench",
            "name": "t3_bench",
            "id": "bench",
            "author": "bench",
            "score": 512,
            "num_comments": comments,
            "is_self": True,
            "created_utc": START.timestamp(),
            "permalink": "/r/bench/comments/bench/generated/",
            "url": "https://www.reddit.com/r/bench/comments/bench/generated/",
        },
    }
    listing = [
        {"kind": "Listing", "data": {"children": [post], "after": None, "dist": 1}},
        {"kind": "Listing", "data": {"children": roots, "after": None}},
    ]
    return json.dumps(listing, ensure_ascii=False).encode("utf-8")
