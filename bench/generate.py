"""Large, deterministic thread files for benchmarks.

Real scraped threads are small; the reader has to stay quick on huge ones (100,000
comments, about 20 MB), so the benchmark input is generated.  It imitates the seed
thread: comments from one line to several paragraphs, some with lists, and with
`mojibake=True` a good share of them carrying emoji and curly punctuation garbled by
`mangle_874` exactly as the seed is.  The same seed always gives the same bytes, so
figures from different runs and machines compare the same work.

    python -m bench.generate [PATH] [--comments N] [--seed N] [--clean] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bench.mangle import mangle_874
from bench.seed_text import seed_thread

OUT_DIR = Path(__file__).resolve().parent / "out"

# Share of posts written with emoji and typographic punctuation (then garbled when
# mojibake=True).  The seed has it in nearly every post; a third keeps plenty of
# repair work while leaving many posts plain, as most real threads have.
FANCY_SHARE = 0.35

_OPENERS = (
    "Honestly,",
    "I think",
    "Not sure about this, but",
    "As someone who lives nearby,",
    "Hot take:",
    "idk,",
    "Correct me if I'm wrong, but",
    "To be fair,",
    "From what I've read,",
    "Let's be real,",
    "Funny thing is,",
    "Same as last year,",
    "My two cents:",
    "Look,",
    "Unpopular opinion, but",
)
_SUBJECTS = (
    "the council",
    "the city",
    "the report",
    "the department",
    "my landlord",
    "the bus company",
    "this comment section",
    "the new rule",
    "the budget office",
    "the mayor's office",
    "the commissioner",
    "the school board",
    "everyone on my street",
    "the local paper",
    "the state",
    "the union",
    "the developer",
    "whoever wrote this article",
)
_VERBS = (
    "should have seen this coming",
    "keeps ignoring the obvious problem",
    "is doing the bare minimum again",
    "got this one right for once",
    "needs to publish the actual numbers",
    "has been saying the same thing for five years",
    "never answers a straight question",
    "is going to regret this by next spring",
    "clearly didn't talk to anyone who lives here",
    "made the only reasonable call",
    "is pretending the money will appear from nowhere",
    "buried the important part in paragraph six",
    "should just hold a public vote on it",
    "can't have it both ways",
    "will blame someone else when it goes wrong",
)
_TAILS = (
    "",
    "",
    "",
    " and nobody seems to care",
    " if you read past the headline",
    " according to the article",
    " which is not the same thing at all",
    " and we all know how that ends",
    " every single time",
    " while rents keep going up",
    " before the next election",
    " without asking a single resident",
    " and then acted surprised",
)
_STANDALONE = (
    "This is wild.",
    "Can't believe this is still going on.",
    "Who approved this?",
    "Same thing happened in my old neighborhood.",
    "Does anyone have a link to the full report?",
    "Agreed, 100%.",
    "That's not what the article says.",
    "We've been here before.",
    "Nobody is talking about the cost.",
    "Read the whole thing before commenting, please.",
    "My neighbor works there and says it's worse than reported.",
    "This is why people don't trust the process.",
    "Wait, what?",
    "Thank you for saying this.",
    "I was at the meeting and it was chaos.",
    "The numbers don't add up.",
    "Give it a year and see.",
    "Not surprised at all.",
    "Good. About time.",
    "Source?",
)
_LIST_INTROS = (
    "A few things people keep missing:",
    "What should happen instead:",
    "Quick summary for anyone who skipped the article:",
    "My list of questions for the next meeting:",
    "Things that would actually help:",
)
_LIST_ITEMS = (
    "publish the full budget, not a summary",
    "hold the meeting in the evening so people can come",
    "an independent audit every year",
    "actual penalties when the rules are broken",
    "ask the people who live on the street",
    "a pilot on one block before the whole city",
    "a public dashboard with the monthly figures",
    "stop moving the deadline",
    "fund it properly or don't do it",
    "answers in writing, not at a press conference",
    "a named person who is responsible",
    "check what other cities did first",
)
# Emoji the seed uses, including ZWJ sequences and variation selectors: their UTF-8
# bytes hit the code points Windows-874 drops, which is what makes repair hard.
_EMOJI = (
    "🤔",
    "😂",
    "🙄",
    "👀",
    "💯",
    "🚨",
    "😬",
    "🤦‍♀️",
    "🤷‍♂️",
    "👮‍♂️",
    "🍕",
    "💸",
    "📉",
    "🔥",
    "🙏",
    "😡",
    "🤯",
    "💔",
    "⚖️",
    "🕰️",
    "🤝",
    "😐",
)
_TYPOGRAPHY = str.maketrans({"'": "’"})

_USER_FIRST = ("quiet", "night", "river", "maple", "north", "old", "urban", "red", "city")
_USER_SECOND = ("owl", "biker", "reader", "walker", "cook", "parent", "neighbor", "voter", "fan")


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(_STANDALONE)
    body = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)}{rng.choice(_TAILS)}"
    opener = rng.choice(_OPENERS) + " " if rng.random() < 0.45 else ""
    if not opener:
        body = body[0].upper() + body[1:]
    return opener + body + rng.choice(".....?!")


def _paragraph(rng: random.Random, low: int, high: int) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(low, high)))


def _list_post(rng: random.Random) -> str:
    items = rng.sample(_LIST_ITEMS, rng.randint(3, 6))
    bullet = rng.choice(("- ", "* ", "• "))
    body = "\n".join(bullet + item for item in items)
    parts = [rng.choice(_LIST_INTROS), body]
    if rng.random() < 0.5:
        parts.append(_paragraph(rng, 1, 2))
    return "\n\n".join(parts)


def _plain_post(rng: random.Random) -> str:
    """One comment's text; lengths skewed like a real section: mostly short."""
    kind = rng.random()
    if kind < 0.4:
        return _sentence(rng)
    if kind < 0.8:
        return _paragraph(rng, 2, 4)
    if kind < 0.95:
        return "\n\n".join(_paragraph(rng, 1, 4) for _ in range(rng.randint(2, 3)))
    return _list_post(rng)


def _fancy(rng: random.Random, text: str) -> str:
    """Curly apostrophes, a dash or ellipsis, and emoji after some sentences."""
    text = text.translate(_TYPOGRAPHY)
    if rng.random() < 0.3:
        text = text.replace(", but", " — but", 1)
    if rng.random() < 0.3:
        text = text.replace(".", "…", 1)
    words = text.split(" ")
    added = False
    for index in range(len(words) - 1, -1, -1):
        if words[index].endswith((".", "!", "?", "…")) and rng.random() < 0.5:
            emoji = "".join(rng.choice(_EMOJI) for _ in range(rng.randint(1, 3)))
            words.insert(index + 1, emoji)
            added = True
    if not added:
        words.append(rng.choice(_EMOJI))
    return " ".join(words)


def _post(rng: random.Random, mojibake: bool) -> str:
    text = _plain_post(rng)
    if rng.random() < FANCY_SHARE:
        text = _fancy(rng, text)
        if mojibake:
            text = mangle_874(text)
    return text


def _article(rng: random.Random) -> tuple[str, list[str]]:
    title = "City report on transit, housing and budget sparks debate among residents"
    paragraphs = [_paragraph(rng, 4, 6) for _ in range(6)]
    return title, paragraphs


def generate_thread(comments: int = 100_000, seed: int = 1, mojibake: bool = True) -> bytes:
    """A seed-format thread of `comments` posts (about 200 bytes each on average).

    With `mojibake=False` the same share of posts keeps its emoji and punctuation as
    genuine UTF-8, so repair still has non-ASCII text to inspect but nothing to fix:
    that is the fair case for measuring what repair costs on a clean file.
    """
    rng = random.Random(seed)
    title, article = _article(rng)
    posts = [_post(rng, mojibake) for _ in range(comments)]
    return seed_thread(title, article, posts).encode("utf-8")


def _username(rng: random.Random) -> str:
    return f"{rng.choice(_USER_FIRST)}_{rng.choice(_USER_SECOND)}{rng.randint(1, 999)}"


def generate_json_thread(
    comments: int = 3_000, seed: int = 1, max_depth: int = 10, mojibake: bool = True
) -> bytes:
    """A `threadread/1` JSON thread with replies nested up to `max_depth` levels.

    The tree is grown in reading order: each new comment either replies to the one
    before it, answers the same parent, or climbs back up, which gives the long reply
    chains and sudden returns to the top level that real sections have.  About one
    comment in fifty has no author and one in fifty no time, as deleted posts do.
    """
    rng = random.Random(seed)
    title, article = _article(rng)
    users = [_username(rng) for _ in range(max(10, comments // 8))]
    when = datetime(2025, 3, 14, 8, 0, tzinfo=timezone(timedelta(hours=1)))
    roots: list[dict[str, Any]] = []
    path: list[dict[str, Any]] = []
    for _ in range(comments):
        when += timedelta(seconds=rng.randint(5, 900))
        node: dict[str, Any] = {
            "author": None if rng.random() < 0.02 else rng.choice(users),
            "posted": None if rng.random() < 0.02 else when.isoformat(),
            "text": _post(rng, mojibake),
            "replies": [],
        }
        move = rng.random()
        if not path or (move < 0.4 and len(path) < max_depth):
            pass  # reply to the previous comment (or start the thread)
        elif move < 0.7:
            path.pop()  # answer the same parent
        else:
            del path[rng.randint(0, len(path) - 1) :]  # climb back up, maybe to the top
        (path[-1]["replies"] if path else roots).append(node)
        path.append(node)
    document = {
        "format": "threadread/1",
        "title": title,
        "article": "\n\n".join(article),
        "comments": roots,
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    """Write a generated thread to a file (default under bench/out/, which git ignores)."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, help="output file")
    parser.add_argument("--comments", type=int, help="how many comments")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--clean", action="store_true", help="no mojibake")
    parser.add_argument("--json", action="store_true", help="nested threadread/1 JSON")
    args = parser.parse_args(argv)
    if args.json:
        count = args.comments if args.comments is not None else 3_000
        data = generate_json_thread(count, args.seed, mojibake=not args.clean)
        suffix = "json"
    else:
        count = args.comments if args.comments is not None else 100_000
        data = generate_thread(count, args.seed, mojibake=not args.clean)
        suffix = "txt"
    path = args.path
    if path is None:
        kind = "clean" if args.clean else "mojibake"
        path = OUT_DIR / f"thread-{count}-{kind}-seed{args.seed}.{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path} ({len(data):,} bytes, {count:,} comments)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
