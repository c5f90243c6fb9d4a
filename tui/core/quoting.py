"""Quoting posts and putting text on the clipboard.

Scraped text is hostile: a comment can carry terminal escape sequences (an OSC 52
sequence that rewrites the reader's clipboard, `ESC[2J` that clears a screen) or bidi
overrides that make pasted text read differently from what was copied.  The screen
shows such characters as visible symbols; what leaves through the clipboard has them
removed, since the paste target (a shell, an editor, a chat box) may act on them.

Two ways to reach a clipboard exist and neither always works: the system clipboard
through pyperclip (needs a desktop on *this* machine) and OSC 52 (asks the terminal
to set the clipboard where the user sits; needs a terminal that allows it).  `copy`
picks one and never raises, so a key binding can show its one-line message as is.

Nothing here imports Textual: the app passes `app.copy_to_clipboard` as `osc52`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tui.core.model import Thread, split_paragraphs

__all__ = ["ROUTES", "CopyResult", "clean", "copy", "plain", "quote", "short_title"]

ROUTES = ("auto", "system", "osc52", "off")

TITLE_LIMIT = 24

# Escape sequences, removed whole so their parameters do not survive as stray text:
# string sequences (OSC, DCS, SOS, PM, APC) up to BEL or ST, then CSI, then the
# two-byte and intermediate-byte escapes.  The 8-bit forms (U+009B, U+009D...) are
# only dropped as single characters: mis-decoded text is full of them ("â€\x9d" is a
# closing quote), and treating them as introducers would delete real words.
_ESCAPES = re.compile(
    r"\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]"
)
_NEWLINES = re.compile(r"\r\n?")
# C0 controls but tab and newline, DEL, C1 controls, bidi embeddings, overrides and
# isolates.
_DROP = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + [0x7F]
    + list(range(0x80, 0xA0))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
_TRIM_BEFORE_ELLIPSIS = " \t,;:.-–—"


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What `copy` did: `ok`, the route that took the text (None when nothing was
    copied) and a one-line message for a notification."""

    ok: bool
    route: str | None
    message: str


def clean(text: str) -> str:
    """Text safe to paste: no control characters, escape sequences or bidi controls.

    Line endings become `\\n`; tab and newline are kept because pasted prose needs them.
    """
    text = _NEWLINES.sub("\n", text)
    text = _ESCAPES.sub("", text)
    return text.translate(_DROP)


def short_title(title: str, limit: int = TITLE_LIMIT) -> str:
    """The title cut at a word boundary to at most `limit` characters, ellipsis
    included, so an attribution line stays short; unchanged when it fits."""
    title = " ".join(clean(title).split())
    if len(title) <= limit:
        return title
    room = title[: limit - 1]
    if title[limit - 1] != " " and " " in room:
        room = room.rsplit(" ", 1)[0]
    room = room.rstrip(_TRIM_BEFORE_ELLIPSIS) or title[: limit - 1]
    return room + "…"


def _post_text(thread: Thread, number: int, paragraph: int | None) -> str:
    """The raw text of post `number` (0 = article), or its `paragraph`-th paragraph."""
    if paragraph is not None and paragraph < 0:
        raise IndexError(f"no paragraph {paragraph}")
    if number == 0:
        if paragraph is None:
            return thread.article_text
        return thread.article[paragraph]
    text = thread.tree.get(number).text
    if paragraph is None:
        return text
    return split_paragraphs(text)[paragraph]


def plain(thread: Thread, number: int, paragraph: int | None = None) -> str:
    """The post's text alone, cleaned: for pasting where a quote would be noise.

    `number` 0 is the article; `paragraph` (0-based) picks one paragraph of the post.
    Raises IndexError for a post or paragraph that does not exist.
    """
    return clean(_post_text(thread, number, paragraph)).strip("\n")


def _blockquote(text: str) -> str:
    lines = text.split("\n")
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def _attribution(thread: Thread, number: int, paragraph: int | None) -> str:
    title = short_title(thread.title)
    quoted_title = f'"{title}"' if title else ""
    if number == 0:
        parts = [quoted_title, "article"] if title else ["article"]
        if paragraph is not None:
            parts.append(f"paragraph {paragraph + 1}")
        return "— " + ", ".join(parts)
    comment = thread.tree.get(number)
    parts = []
    if comment.author:
        author = " ".join(clean(comment.author).split())
        if author:
            parts.append(author)
    if comment.posted is not None:
        parts.append(comment.posted.strftime("%Y-%m-%d %H:%M"))
    where = f"comment #{number}"
    if paragraph is not None:
        where += f", paragraph {paragraph + 1}"
    if quoted_title:
        where += f" on {quoted_title}"
    parts.append(where)
    return "— " + ", ".join(parts)


def quote(thread: Thread, number: int, paragraph: int | None = None) -> str:
    """The post as a Markdown blockquote followed by an attribution line, ready to
    paste into a reply or notes with its source still attached.

    `number` 0 quotes the article, whole or (with `paragraph`, 0-based) one
    paragraph.  Raises IndexError for a post or paragraph that does not exist.
    """
    body = _blockquote(plain(thread, number, paragraph))
    return f"{body}\n\n{_attribution(thread, number, paragraph)}"


def _count(text: str) -> str:
    n = len(text)
    return f"{n:,} char" + ("" if n == 1 else "s")


def _first_line(error: BaseException) -> str:
    """The gist of an exception for a notification: first sentence of its first line."""
    lines = str(error).strip().splitlines()
    reason = lines[0].split(". ")[0].rstrip(".") if lines else ""
    reason = reason or type(error).__name__
    return reason if len(reason) <= 80 else reason[:79] + "…"


def _via_system(text: str) -> str | None:
    """Copy with pyperclip; None on success, else the reason it failed."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception as error:
        return _first_line(error)
    return None


def _via_osc52(text: str, osc52: Callable[[str], None] | None) -> str | None:
    """Hand the text to the terminal; None on success, else the reason it failed."""
    if osc52 is None:
        return "no terminal to send OSC 52 to"
    try:
        osc52(text)
    except Exception as error:
        return _first_line(error)
    return None


_ROUTE_NAMES = {"system": "system clipboard", "osc52": "terminal (OSC 52)"}


def _remote(env: Mapping[str, str]) -> bool:
    """Over SSH or inside tmux the system clipboard belongs to the wrong machine (or
    is unreachable), while the terminal the user looks at can take OSC 52."""
    return any(env.get(name) for name in ("SSH_TTY", "SSH_CONNECTION", "TMUX"))


def copy(
    text: str,
    *,
    route: str = "auto",
    what: str = "text",
    osc52: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
) -> CopyResult:
    """Put cleaned `text` on the clipboard by `route`; never raises.

    Routes: "system" (pyperclip), "osc52" (the `osc52` callable), "off" (nothing),
    "auto" (OSC 52 over SSH or in tmux, else the system clipboard, each falling back
    to the other).  `what` names the text in the message, e.g. "quote of #4".
    """
    try:
        text = clean(text)
        if route == "off":
            return CopyResult(False, None, "Clipboard is off: nothing copied")
        if route not in ROUTES:
            return CopyResult(False, None, f"Cannot copy: unknown clipboard route {route!r}")
        if not text:
            return CopyResult(False, None, f"Nothing to copy: {what} is empty")
        if route == "auto":
            remote = _remote(os.environ if env is None else env)
            order = ["osc52", "system"] if remote else ["system", "osc52"]
        else:
            order = [route]
        failures = []
        for name in order:
            reason = _via_system(text) if name == "system" else _via_osc52(text, osc52)
            if reason is None:
                message = f"Copied {what} ({_count(text)}) via {_ROUTE_NAMES[name]}"
                return CopyResult(True, name, message)
            failures.append(f"{_ROUTE_NAMES[name]}: {reason}")
        return CopyResult(False, None, _one_line("Could not copy: " + "; ".join(failures)))
    except Exception as error:
        return CopyResult(False, None, f"Could not copy: {_first_line(error)}")


def _one_line(message: str) -> str:
    return " ".join(message.split())
