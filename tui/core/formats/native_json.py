"""Reader and writer for `threadread/1`, the JSON form of a thread.

    {"format": "threadread/1", "title": str, "article": str,
     "comments": [{"author": str|null, "posted": ISO-8601|null, "text": str,
                   "replies": [...]}]}

`threadread export --format json` writes it and every reader reads it back, so a thread
survives the trip with its numbering, authors, times, text and depths intact.

Threads read from sites carry more, written only when there is something to say, so a
thread without it is written exactly as before and older files read as they always did:

* top level: "url" (a link story's target), "site", "permalink", "author", "posted",
  "score" (the story's), and "article_spans";
* per comment: "score", "url" (its permalink), "key" (the site's id), "status"
  ("deleted", "dead", "orphan" or "more"; "normal" is left out), "more" (how many
  replies a "more" row stands for) and "spans";
* spans are `[start, end, role]` or `[start, end, "link", href]` over the text (see
  `tui.core.model`).  Without "spans", a text's bare URLs are its links (as in the
  plain-text format), so spans are written only when they differ from that.  With
  "article_spans", the article's paragraphs are split exactly at blank lines (so code
  keeps its indentation and the offsets hold).

A new field of the wrong type or value is left out and named in a notice: the rest of
the thread still opens.

Reply chains in scraped threads can be thousands deep, and both `json.loads` and
`json.dumps` recurse once per nesting level.  Reading therefore falls back to an
iterative parser when `json.loads` runs out of stack, every walk over the parsed data
uses an explicit stack, and the writer emits tokens from the flat comment tree instead
of handing a nested structure to `json.dumps`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from json.decoder import scanstring
from pathlib import Path
from typing import Any

from tui.core.errors import ThreadError
from tui.core.formats.richtext import plain_spans, safe_href
from tui.core.model import (
    ROLES,
    Comment,
    CommentSpec,
    Span,
    Status,
    Thread,
    build_tree,
    split_paragraphs,
)
from tui.core.repair import Repair, repair_text
from tui.core.safety import visible

FORMAT = "threadread/1"

# Problems with `posted` are reported one by one up to this many, then summed up, so a
# file whose every date is odd gives a readable list rather than thousands of lines.
MAX_POSTED_NOTICES = 5
# A path deeper than this is shortened in messages: a 10,000-deep chain would otherwise
# make a 150 kB error line.
_PATH_HEAD = 3
_PATH_TAIL = 4
# Indentation stops growing below this comment depth.  Real threads stay well above it,
# and a 10,000-deep chain indented in full would be gigabytes of spaces.
MAX_INDENT_DEPTH = 16

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?")
_LITERALS: dict[str, Any] = {
    "null": None,
    "true": True,
    "false": False,
    "NaN": float("nan"),
    "Infinity": float("inf"),
    "-Infinity": float("-inf"),
}
_MISSING = object()


# -- parsing ----------------------------------------------------------------------------


def _skip(text: str, pos: int) -> int:
    """The first position at or after `pos` that is not JSON whitespace."""
    match = _WHITESPACE.match(text, pos)
    return pos if match is None else match.end()


def _literal_at(text: str, pos: int) -> tuple[Any, int] | None:
    for word, value in _LITERALS.items():
        if text.startswith(word, pos):
            return value, pos + len(word)
    match = _NUMBER.match(text, pos)
    if match is None:
        return None
    integer, fraction, exponent = match.groups()
    if fraction or exponent:
        return float(integer + (fraction or "") + (exponent or "")), match.end()
    return int(integer), match.end()


def _read_key(text: str, pos: int) -> tuple[str, int]:
    """An object key and its colon; `pos` is just past the `{` or `,` before it."""
    pos = _skip(text, pos)
    if text[pos : pos + 1] != '"':
        raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
    key, pos = scanstring(text, pos + 1, True)
    pos = _skip(text, pos)
    if text[pos : pos + 1] != ":":
        raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
    return key, pos + 1


def parse_deep(text: str) -> Any:
    """Parse JSON of any nesting depth with an explicit stack.

    Accepts exactly what `json.loads` accepts and raises the same `JSONDecodeError`
    messages, so the caller cannot tell which parser ran except by its speed; it is
    only used once `json.loads` has given up with a RecursionError.
    """
    containers: list[dict[str, Any] | list[Any]] = []
    keys: list[str] = []
    pos = 0
    while True:
        # A value starts here.
        pos = _skip(text, pos)
        char = text[pos : pos + 1]
        value: Any
        if char == "{":
            after = _skip(text, pos + 1)
            if text[after : after + 1] == "}":
                value, pos = {}, after + 1
            else:
                key, pos = _read_key(text, pos + 1)
                containers.append({})
                keys.append(key)
                continue
        elif char == "[":
            after = _skip(text, pos + 1)
            if text[after : after + 1] == "]":
                value, pos = [], after + 1
            else:
                containers.append([])
                keys.append("")
                pos += 1
                continue
        elif char == '"':
            value, pos = scanstring(text, pos + 1, True)
        else:
            found = _literal_at(text, pos)
            if found is None:
                raise json.JSONDecodeError("Expecting value", text, pos)
            value, pos = found
        # A value is complete: store it, closing every container it completes.
        while True:
            if not containers:
                end = _skip(text, pos)
                if end != len(text):
                    raise json.JSONDecodeError("Extra data", text, end)
                return value
            container = containers[-1]
            if isinstance(container, dict):
                container[keys[-1]] = value
            else:
                container.append(value)
            pos = _skip(text, pos)
            char = text[pos : pos + 1]
            if char == ",":
                if isinstance(container, dict):
                    keys[-1], pos = _read_key(text, pos + 1)
                else:
                    pos += 1
                break
            if char == ("}" if isinstance(container, dict) else "]"):
                value = containers.pop()
                keys.pop()
                pos += 1
                continue
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def load_json(data: bytes, path: Path | None) -> Any:
    """Parse a JSON document of any depth; malformed JSON is a one-line ThreadError."""
    return _load(data, path)


def _load(data: bytes, path: Path | None) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ThreadError(path, f"not valid UTF-8 at byte {error.start}") from None
    try:
        try:
            return json.loads(text)
        except RecursionError:
            return parse_deep(text)
    except json.JSONDecodeError as error:
        reason = f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        raise ThreadError(path, reason) from None


# -- checking ---------------------------------------------------------------------------

# A place in the document: (parent place, key, index or None).  Kept as links rather
# than strings so that naming a place costs nothing until a message needs it.
_Where = tuple[Any, str, int | None]


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def json_path(where: _Where | None) -> str:
    """Spell a place the way a user would look for it: `comments[3].replies[0].text`."""
    parts: list[str] = []
    while where is not None:
        where, key, index = where
        parts.append(key if index is None else f"{key}[{index}]")
    parts.reverse()
    if len(parts) > _PATH_HEAD + _PATH_TAIL + 1:
        hidden = len(parts) - _PATH_HEAD - _PATH_TAIL
        parts[_PATH_HEAD:-_PATH_TAIL] = [f"…({hidden:,} levels)…"]
    return ".".join(parts)


def _wrong(path: Path | None, where: _Where, expected: str, value: Any) -> ThreadError:
    return ThreadError(path, f"{json_path(where)}: expected {expected}, found {_kind(value)}")


def _optional_string(
    raw: dict[str, Any], key: str, where: _Where | None, path: Path | None
) -> str | None:
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value
    raise _wrong(path, (where, key, None), "a string", value)


def parse_posted(value: str) -> datetime | None:
    """An ISO-8601 time as `datetime.fromisoformat` reads it, a trailing Z included."""
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


class _Repairer:
    """Applies mojibake repair when asked to, skipping text that cannot need it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, text: str) -> tuple[str, tuple[Repair, ...]]:
        # Mojibake is always non-ASCII, and most scraped text is ASCII.
        if not self.enabled or text.isascii():
            return text, ()
        return repair_text(text)


def _read_comments(
    raw_comments: list[Any], path: Path | None, repair: _Repairer, extras: list[str]
) -> tuple[list[CommentSpec], list[str]]:
    """CommentSpecs for the `comments` array, in reading order, and posted notices;
    optional fields left out are added to `extras`."""
    roots: list[CommentSpec] = []
    notices: list[str] = []
    bad_posted = 0
    pending: list[tuple[Any, _Where, list[CommentSpec]]] = [
        (raw_comments[i], (None, "comments", i), roots)
        for i in range(len(raw_comments) - 1, -1, -1)
    ]
    while pending:
        raw, where, siblings = pending.pop()
        if not isinstance(raw, dict):
            raise _wrong(path, where, "an object", raw)
        text = raw.get("text", _MISSING)
        if text is _MISSING:
            raise ThreadError(path, f'{json_path(where)}: missing "text"')
        if not isinstance(text, str):
            raise _wrong(path, (where, "text", None), "a string", text)
        author = _optional_string(raw, "author", where, path)
        stamp = _optional_string(raw, "posted", where, path)
        posted = None
        if stamp is not None:
            posted = parse_posted(stamp)
            if posted is None:
                bad_posted += 1
                if bad_posted <= MAX_POSTED_NOTICES:
                    notices.append(
                        f"{json_path((where, 'posted', None))}: {stamp!r} is not an "
                        "ISO-8601 time; shown without a time"
                    )
        replies = raw.get("replies")
        if replies is not None and not isinstance(replies, list):
            raise _wrong(path, (where, "replies", None), "an array", replies)
        text, found = repair(text)
        spec = CommentSpec(text=text, author=author, posted=posted, repairs=found)
        if raw.keys() - _BASIC_KEYS:
            _extras(raw, spec, where, extras)
        if "spans" in raw:
            spec.spans = _spans(raw["spans"], text, (where, "spans", None), extras)
        else:
            spec.spans = plain_spans(text)
        siblings.append(spec)
        if replies:
            pending.extend(
                (replies[i], (where, "replies", i), spec.replies)
                for i in range(len(replies) - 1, -1, -1)
            )
    if bad_posted > MAX_POSTED_NOTICES:
        more = bad_posted - MAX_POSTED_NOTICES
        notices.append(f"{more:,} more comments have a posted time that is not ISO-8601")
    return roots, notices


# -- the optional fields of site threads --------------------------------------------------

_STATUSES = {s.value: s for s in Status}
_BASIC_KEYS = frozenset({"author", "posted", "text", "replies"})


def _extras(raw: dict[str, Any], spec: CommentSpec, where: _Where, bad: list[str]) -> None:
    """Fill a comment's optional fields; wrong ones are left out and listed in `bad`."""
    for name in ("score", "more"):
        value = raw.get(name)
        if value is None:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(spec, name, value)
        else:
            bad.append(f"{json_path((where, name, None))}: expected a whole number")
    for name in ("url", "key"):
        value = raw.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            setattr(spec, name, value)
        else:
            bad.append(f"{json_path((where, name, None))}: expected a string")
    status = raw.get("status")
    if status is not None:
        if isinstance(status, str) and status in _STATUSES:
            spec.status = _STATUSES[status]
        else:
            bad.append(f"{json_path((where, 'status', None))}: not a known status")


def _spans(value: Any, text: str, where: _Where, bad: list[str]) -> tuple[Span, ...]:
    """Spans as written, each checked against the text; a bad one is left out."""
    if not isinstance(value, list):
        bad.append(f"{json_path(where)}: expected an array")
        return plain_spans(text)
    spans: list[Span] = []
    for index, item in enumerate(value):
        span = _span(item, len(text))
        if span is None:
            bad.append(f"{json_path(where)}[{index}]: not a span of this text")
        else:
            spans.append(span)
    return tuple(spans)


def _span(item: Any, size: int) -> Span | None:
    if not isinstance(item, list) or len(item) not in (3, 4):
        return None
    start, end, role = item[:3]
    href = item[3] if len(item) == 4 else None
    if (
        not isinstance(start, int)
        or not isinstance(end, int)
        or isinstance(start, bool)
        or isinstance(end, bool)
        or not 0 <= start < end <= size
        or role not in ROLES
    ):
        return None
    if role == "link":
        if not isinstance(href, str) or safe_href(href) != href:
            return None
    elif href is not None:
        return None
    return Span(start, end, role, href)


def _extras_notice(bad: list[str]) -> list[str]:
    if not bad:
        return []
    shown = bad[:MAX_POSTED_NOTICES]
    lines = [f"{len(bad):,} optional fields left out:", *(f"  {b}" for b in shown)]
    if len(bad) > len(shown):
        lines.append(f"  … and {len(bad) - len(shown):,} more")
    return ["\n".join(lines)]


def _check_format(document: Any, path: Path | None) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ThreadError(
            path, f"not a {FORMAT} file: expected a JSON object, found {_kind(document)}"
        )
    found = document.get("format", _MISSING)
    if found is _MISSING:
        raise ThreadError(path, f'not a {FORMAT} file: no "format" key')
    if not isinstance(found, str):
        raise _wrong(path, (None, "format", None), f'"{FORMAT}"', found)
    if found != FORMAT:
        shown = visible(json.dumps(found, ensure_ascii=False))
        if len(shown) > 60:
            shown = shown[:58] + '…"'
        raise ThreadError(path, f'unsupported format {shown} (expected "{FORMAT}")')
    return document


def read_json(
    data: bytes,
    *,
    path: Path | None = None,
    encoding: str = "utf-8",
    repair: bool = True,
    document: Any = _MISSING,
) -> Thread:
    """Build a Thread from a `threadread/1` document (UTF-8 bytes, see `tui.core.decoding`).

    Every problem that stops the read is a ThreadError naming the JSON path; a `posted`
    that is not a time only drops that time and adds a notice.  `document` is the
    already parsed `data`, when the caller has it.
    """
    if document is _MISSING:
        document = _load(data, path)
    document = _check_format(document, path)
    fix = _Repairer(repair)

    title = _optional_string(document, "title", None, path) or ""
    article_text = _optional_string(document, "article", None, path) or ""
    raw_comments = document.get("comments")
    if raw_comments is None:
        raw_comments = []
    elif not isinstance(raw_comments, list):
        raise _wrong(path, (None, "comments", None), "an array", raw_comments)

    article_repairs: list[Repair] = []
    title, found = fix(title)
    article_repairs.extend(found)
    article: list[str] = []
    exact = "article_spans" in document
    for paragraph in article_text.split("\n\n") if exact else split_paragraphs(article_text):
        if exact and not article_text:
            break
        paragraph, found = fix(paragraph)
        article_repairs.extend(found)
        article.append(paragraph)
    joined = "\n\n".join(article)

    bad: list[str] = []
    roots, notices = _read_comments(raw_comments, path, fix, bad)
    if exact:
        where: _Where = (None, "article_spans", None)
        article_spans = _spans(document["article_spans"], joined, where, bad)
    else:
        article_spans = plain_spans(joined)
    story = _story(document, bad)
    notices.extend(_extras_notice(bad))
    return Thread(
        title=title,
        article=tuple(article),
        tree=build_tree(roots),
        source=path,
        encoding=encoding,
        format=FORMAT,
        repair=repair,
        article_repairs=tuple(article_repairs),
        notices=tuple(notices),
        article_spans=article_spans,
        **story,
    )


def _story(document: dict[str, Any], bad: list[str]) -> dict[str, Any]:
    """The thread's optional story fields (see the module docstring)."""
    found: dict[str, Any] = {}
    for name in ("url", "site", "permalink", "author"):
        value = document.get(name)
        if isinstance(value, str):
            found[name] = value
        elif value is not None:
            bad.append(f"{name}: expected a string")
    score = document.get("score")
    if isinstance(score, int) and not isinstance(score, bool):
        found["score"] = score
    elif score is not None:
        bad.append("score: expected a whole number")
    posted = document.get("posted")
    if isinstance(posted, str) and parse_posted(posted) is not None:
        found["posted"] = parse_posted(posted)
    elif posted is not None:
        bad.append("posted: expected an ISO-8601 time")
    return found


# -- writing ----------------------------------------------------------------------------


def _string(value: str) -> str:
    """A JSON string literal, kept readable; lone surrogates are escaped so the output
    can still be encoded as UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)


def _scalar(value: str | None) -> str:
    return "null" if value is None else _string(value)


def _indent(depth: int) -> str:
    """Indentation of the `{` of a comment at `depth` (as json.dumps would, capped)."""
    return "  " * (2 + 2 * min(depth, MAX_INDENT_DEPTH))


def _spans_json(spans: tuple[Span, ...]) -> str:
    items = []
    for span in spans:
        parts = [str(span.start), str(span.end), _string(span.role)]
        if span.href is not None:
            parts.append(_string(span.href))
        items.append("[" + ", ".join(parts) + "]")
    return "[" + ", ".join(items) + "]"


def _comment_extras(comment: Comment, field: str) -> str:
    """The optional fields of a comment, only those with something to say."""
    out = []
    if comment.score is not None:
        out.append(f'{field}"score": {comment.score},\n')
    if comment.url is not None:
        out.append(f'{field}"url": {_string(comment.url)},\n')
    if comment.key is not None:
        out.append(f'{field}"key": {_string(comment.key)},\n')
    if comment.status is not Status.NORMAL:
        out.append(f'{field}"status": {_string(comment.status.value)},\n')
    if comment.more:
        out.append(f'{field}"more": {comment.more},\n')
    if comment.spans != plain_spans(comment.text):
        out.append(f'{field}"spans": {_spans_json(comment.spans)},\n')
    return "".join(out)


def _comment_head(comment: Comment, indent: str) -> str:
    field = indent + "  "
    posted = None if comment.posted is None else comment.posted.isoformat()
    return (
        f"{indent}{{\n"
        f'{field}"author": {_scalar(comment.author)},\n'
        f'{field}"posted": {_scalar(posted)},\n'
        f'{field}"text": {_string(comment.text)},\n'
        f"{_comment_extras(comment, field)}"
        f'{field}"replies": ['
    )


def _story_tokens(thread: Thread) -> Iterator[str]:
    for name in ("url", "site", "permalink", "author"):
        value = getattr(thread, name)
        if value is not None:
            yield f'  "{name}": {_string(value)},\n'
    if thread.posted is not None:
        yield f'  "posted": {_string(thread.posted.isoformat())},\n'
    if thread.score is not None:
        yield f'  "score": {thread.score},\n'
    text = thread.article_text
    exact = split_paragraphs(text) != thread.article
    if exact or thread.article_spans != plain_spans(text):
        yield f'  "article_spans": {_spans_json(thread.article_spans)},\n'


def _tokens(thread: Thread) -> Iterator[str]:
    tree = thread.tree
    yield "{\n"
    yield f'  "format": {_string(FORMAT)},\n'
    yield f'  "title": {_string(thread.title)},\n'
    yield f'  "article": {_string(thread.article_text)},\n'
    yield from _story_tokens(thread)
    if not len(tree):
        yield '  "comments": []\n}'
        return
    yield '  "comments": [\n'
    for number in range(1, len(tree) + 1):
        comment = tree.get(number)
        indent = _indent(comment.depth)
        yield _comment_head(comment, indent)
        if tree.subtree_end(number) > number + 1:
            yield "\n"  # its replies follow, one level in
            continue
        yield "]\n" + indent + "}"
        # Close every reply list this comment was the last entry of.
        current = number
        while True:
            if tree.next_sibling(current) is not None:
                yield ",\n"
                break
            parent = tree.parent(current)
            if parent is None:
                yield "\n  ]\n"
                break
            outer = _indent(tree.depth(parent))
            yield f"\n{outer}  ]\n{outer}}}"
            current = parent
    yield "}"


def dump_json(thread: Thread) -> str:
    """The thread as a `threadread/1` document, indented like `json.dumps(indent=2)`.

    Built token by token from the flat tree, so depth costs no stack.  Times are written
    with `isoformat`, which `read_json` reads back to the same value.
    """
    return "".join(_tokens(thread)) + "\n"
