"""Mailing-list threads in mbox files: a public-inbox `t.mbox` (also gzip-compressed,
`t.mbox.gz`), a monthly archive, a Mailman export.

    From mboxrd@z Thu Jan  1 00:00:00 1970
    From: Greta Lindqvist <greta@lindqvist.example>
    Subject: [PATCH] lock: retry the unlock when the motor stalls
    Message-ID: <20250303081407.4412-1-greta@lindqvist.example>
    In-Reply-To: <...>
    References: <...> <...>

    body...

Messages start at a "From " line at the top of the file or after an empty line; a
body line that only looked like one was written as ">From " (mboxo) or with one more
">" (mboxrd), and one ">" is taken off again.  Each message is parsed by the standard
library's `email` package, which decodes RFC 2047 headers, quoted-printable and
base64 bodies and each part's charset, which is why this reader works on the file's
own bytes rather than on text decoded as a whole.

A reply hangs under the message its `In-Reply-To` names, or else the nearest one in
its `References` that the file holds.  Messages that share the first of their
`References` (the thread's first message) are one thread even when the messages
between them are missing; one whose parent is not in the file is an orphan.  The
thread's first message is the article and its Subject the title.

A file holding several threads (a monthly archive) opens with the largest as the
article; each other thread follows as a top-level comment that opens with its subject,
so every message is there to read, search and export, and a notice names them.  (A
library entry per thread would be better, but the library knows threads by file.)

Bodies are the `text/plain` part when there is one, else the HTML one rendered;
`format=flowed` lines are joined; lines quoting earlier mail (`>`) are quote spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from typing import Any

from tui.core.errors import ThreadError
from tui.core.formats.registry import Reader, Source
from tui.core.formats.site import (
    Entry,
    Notices,
    Post,
    article_paragraphs,
    lazy_tree,
    order_by_parent,
    plain_title,
    render_markup,
)
from tui.core.model import Span, Status, Thread

NAME = "mbox"
SITE = "Mailing list"
# The other threads of a multi-thread file are named up to this many.
OTHER_THREADS = 5

_FROM_LINE = re.compile(rb"^From \S+.*$", re.MULTILINE)
# A "From " line with the asctime date mbox writers put there, trusted even without
# the empty line before it that some writers leave out.
_STRICT_FROM_LINE = re.compile(
    rb"From \S+ +[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]?\d \d\d:\d\d(?::\d\d)? (?:\S+ )?\d{4}\s*$"
)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_SNIFF = re.compile(rb"\AFrom \S+[^\n]*\n(?:[\x21-\x39\x3b-\x7e]+:[^\n]*\n(?:[ \t][^\n]*\n)*){2}")
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_DIFF_START = re.compile(r"^(?:diff --git |--- a/|Index: )", re.MULTILINE)
_QUOTE_LINES = re.compile(r"^(?:>[^\n]*(?:\n|$))+", re.MULTILINE)
_PARSER = BytesParser(policy=policy.default)


def sniff(head: bytes) -> bool:
    """An mbox: a "From " line, then at least two header lines."""
    return _SNIFF.match(head) is not None


def split_mbox(data: bytes) -> list[bytes]:
    """The messages of an mbox, each without its "From " line and with the
    mboxo/mboxrd escaping of body lines undone."""
    data = data.replace(b"\r\n", b"\n")
    starts = [
        match.start()
        for match in _FROM_LINE.finditer(data)
        if match.start() == 0
        or data[match.start() - 2 : match.start()] == b"\n\n"
        or _STRICT_FROM_LINE.match(match.group())
    ]
    messages = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(data)
        chunk = data[start:end]
        newline = chunk.find(b"\n")
        body = chunk[newline + 1 :] if newline >= 0 else b""
        if body.endswith(b"\n\n"):
            body = body[:-1]  # the empty line that separates it from the next "From "
        messages.append(_ESCAPED_FROM.sub(rb"\1", body))
    return messages


def message_ids(value: Any) -> list[str]:
    """The `<id>`s in a Message-ID, In-Reply-To or References header, in order."""
    return _MESSAGE_ID.findall(str(value)) if value else []


@dataclass(slots=True)
class Mail:
    """One message as the reader needs it: ids for threading, the rest for display."""

    index: int
    key: str
    subject: str
    author: str | None
    posted: datetime | None
    references: list[str]
    body: str = ""
    markup: str = "text"
    url: str | None = None
    parent: str | None = None
    problems: list[str] = field(default_factory=list)
    ghost: bool = False
    mailing_list: str | None = None
    heading: bool = False  # the first message of another thread: show its subject


def _header(message: Message, name: str, problems: list[str]) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the email package cannot decode: take it as written
        problems.append(f"{name} header could not be decoded")
        value = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    return " ".join(str(value).split()) if value is not None else ""


def _author(value: str) -> str | None:
    name, address = parseaddr(value)
    return name or address or (value or None)


def _flowed(text: str, delsp: bool) -> str:
    """Join the soft line breaks of a `format=flowed` body (RFC 3676)."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if out and out[-1].endswith(" ") and out[-1] != "-- " and _depth(out[-1]) == _depth(line):
            previous = out.pop()
            if delsp:
                previous = previous[:-1]
            content = line[_depth(line) :].lstrip(" ") if _depth(line) else line
            line = previous + content
        out.append(line)
    return "\n".join(out)


def _depth(line: str) -> int:
    return len(line) - len(line.lstrip(">"))


def _body(message: EmailMessage, problems: list[str]) -> tuple[str, str]:
    """(text, "text" or "html"): the plain part if any, else the HTML one; the names of
    attachments are listed after it."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    text, markup = "", "text"
    if part is not None:
        try:
            text = part.get_content()
        except (LookupError, UnicodeError, ValueError, AssertionError):
            payload = part.get_payload(decode=True) or b""
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
            problems.append(f"unknown charset {part.get_content_charset()!r}; read as UTF-8")
        if not isinstance(text, str):
            text = ""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if part.get_content_subtype() == "html":
            markup = "html"
        elif (part.get_param("format") or "").lower() == "flowed":
            text = _flowed(text, (part.get_param("delsp") or "").lower() == "yes")
    elif not message.is_multipart():
        problems.append("no text part")
    names = []
    for item in message.walk():
        if item is part or item.is_multipart():
            continue
        filename = item.get_filename()
        if filename or item.get_content_disposition() == "attachment":
            names.append(f"[attachment: {filename or 'unnamed'} ({item.get_content_type()})]")
    if names:
        if markup == "html":
            text += "".join(f"<p>{_escape(name)}</p>" for name in names)
        else:
            text = text.rstrip("\n") + "\n\n" + "\n".join(names)
    return text, markup


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def parse_mail(raw: bytes, index: int) -> Mail:
    message = _PARSER.parsebytes(raw)
    problems: list[str] = []
    ids = message_ids(_header(message, "Message-ID", problems))
    key = ids[0] if ids else f"message-{index + 1}"
    if not ids:
        problems.append("no Message-ID")
    date = _header(message, "Date", problems)
    posted = None
    if date:
        try:
            posted = parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError):
            problems.append(f"Date {date!r} is not a date")
    references = message_ids(_header(message, "References", problems))
    reply_to = message_ids(_header(message, "In-Reply-To", problems))
    if reply_to:
        references = [ref for ref in references if ref != reply_to[0]] + reply_to[:1]
    archived = message_ids(_header(message, "Archived-At", problems))
    url = archived[0] if archived and archived[0].startswith(("https://", "http://")) else None
    body, markup = _body(message, problems)  # type: ignore[arg-type]
    name, list_id = parseaddr(_header(message, "List-Id", problems))
    return Mail(
        index=index,
        key=key,
        subject=_header(message, "Subject", problems),
        author=_author(_header(message, "From", problems)),
        posted=posted,
        references=references,
        body=body,
        markup=markup,
        url=url,
        problems=problems,
        mailing_list=name or list_id or None,
    )


def quote_spans(text: str) -> list[Span]:
    """A quote span over each run of lines starting with ">"."""
    spans = []
    for match in _QUOTE_LINES.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] == "\n":
            end -= 1
        spans.append(Span(match.start(), end, "quote"))
    return spans


def patch_span(text: str) -> list[Span]:
    """A code block over the diff of a patch mail: from its first `diff --git` (or
    `--- a/`) line to the end, or to the `-- ` signature line git puts after it."""
    match = _DIFF_START.search(text)
    if match is None:
        return []
    end = text.find("\n-- \n", match.start())
    end = len(text) if end < 0 else end
    return [Span(match.start(), end, "code_block")]


def render_mail(mail: Mail, repair: bool) -> Post:
    if mail.ghost:
        return Post(text=f"[not in this file: <{mail.key}>]", status=Status.DELETED, key=mail.key)
    text, spans, repairs = render_markup(mail.body, mail.markup, repair=repair)
    if mail.markup == "text":
        patch = patch_span(text)
        quotes = [q for q in quote_spans(text) if not patch or q.end <= patch[0].start]
        spans = tuple(sorted((*spans, *quotes, *patch), key=lambda s: (s.start, -s.end)))
        if patch:  # links inside a diff are code, not links
            spans = tuple(s for s in spans if s.role != "link" or s.end <= patch[0].start)
    if mail.heading:
        subject = mail.subject or "(no subject)"
        shift = len(subject) + 2
        spans = (
            Span(0, len(subject), "heading"),
            *(Span(s.start + shift, s.end + shift, s.role, s.href) for s in spans),
        )
        text = f"{subject}\n\n{text}" if text else subject
    return Post(
        text=text,
        spans=spans,
        author=mail.author,
        posted=mail.posted,
        url=mail.url,
        key=mail.key,
        repairs=repairs,
    )


class _Groups:
    """Union-find over message ids: which messages belong to one thread."""

    def __init__(self) -> None:
        self.up: dict[str, str] = {}

    def find(self, key: str) -> str:
        self.up.setdefault(key, key)
        root = key
        while self.up[root] != root:
            root = self.up[root]
        while self.up[key] != root:
            self.up[key], key = root, self.up[key]
        return root

    def join(self, a: str, b: str) -> None:
        self.up[self.find(a)] = self.find(b)


def threads(mails: list[Mail]) -> list[list[Mail]]:
    """The threads of a mailbox, largest first (the earlier first among equals); each
    thread's mails in file order, with `parent` set to a mail of the same file."""
    by_key: dict[str, Mail] = {}
    for mail in mails:
        by_key.setdefault(mail.key, mail)
    groups = _Groups()
    ghosts: dict[str, Mail] = {}
    listed: list[Mail] = []
    for mail in mails:
        groups.find(mail.key)
        held = [ref for ref in mail.references if ref in by_key and by_key[ref] is not mail]
        if held and held[-1] != mail.references[-1]:
            # Its parent is missing but an earlier message is here: a placeholder for
            # the missing one keeps the reply in its place, under that message.
            missing = mail.references[-1]
            ghost = ghosts.get(missing)
            if ghost is None:
                ghost = Mail(mail.index, missing, "", None, None, [], parent=held[-1], ghost=True)
                ghosts[missing] = ghost
                listed.append(ghost)
                groups.join(missing, held[-1])
            mail.parent = missing
        elif held:
            mail.parent = held[-1]
        if mail.parent is not None:
            groups.join(mail.key, mail.parent)
        if mail.references:
            groups.join(mail.key, "thread:" + mail.references[0])
        if by_key[mail.key] is mail:
            listed.append(mail)
    found: dict[str, list[Mail]] = {}
    for mail in listed:
        found.setdefault(groups.find(mail.key), []).append(mail)
    return sorted(
        found.values(),
        key=lambda group: (-sum(1 for m in group if not m.ghost), group[0].index),
    )


def _first(group: list[Mail]) -> Mail:
    """The thread's first message: the one the others' References start with, else
    the earliest one whose parent is not in the file."""
    keys = {mail.key for mail in group}
    for mail in group:
        if mail.references and mail.references[0] in keys:
            return next(m for m in group if m.key == mail.references[0])
    tops = [mail for mail in group if mail.parent is None and not mail.ghost]
    dated = [mail for mail in tops if mail.posted is not None]
    if dated:
        return min(dated, key=lambda mail: (_timestamp(mail.posted), mail.index))
    return tops[0] if tops else group[0]


def _timestamp(when: datetime | None) -> float:
    if when is None:
        return 0.0
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def read(source: Source) -> Thread:
    notices = Notices()
    repair = source.repair
    data = source.raw if source.raw is not None else source.data
    mails: list[Mail] = []
    for index, raw in enumerate(split_mbox(data)):
        try:
            mail = parse_mail(raw, index)
        except Exception as error:  # the email package raises many kinds on odd input
            notices.add(f"message {index + 1}: cannot be parsed ({type(error).__name__}); left out")
            continue
        for problem in mail.problems:
            notices.add(f"message {index + 1} ({mail.key}): {problem}")
        mails.append(mail)
    if not mails:
        raise ThreadError(source.path, "an mbox file with no readable message in it")
    groups = threads(mails)
    root = _first(groups[0])
    entries = _reading_order(groups[0], root)
    # The other threads follow the largest, each a top-level comment opening with its
    # subject, so nothing in the file is out of reach of the reader, grep or export.
    for group in sorted(groups[1:], key=lambda group: group[0].index):
        first = _first(group)
        first.heading = True
        entries.append(Entry(0, first))
        entries.extend(
            Entry(entry.depth + 1, entry.item, entry.orphan)
            for entry in _reading_order(group, first)
        )
    article = render_mail(root, repair)
    title, title_repairs = plain_title(root.subject or "(no subject)", repair)
    extra: tuple[str, ...] = ()
    if len(groups) > 1:
        extra = (_other_threads(groups),)
    tree = lazy_tree(
        entries,
        lambda mail: render_mail(mail, repair),
        average_chars=sum(len(e.item.body) for e in entries) / max(1, len(entries)),
    )
    return Thread(
        title=title,
        article=article_paragraphs(article.text),
        tree=tree,
        source=source.path,
        encoding=source.encoding,
        format=NAME,
        repair=repair,
        article_repairs=title_repairs + article.repairs,
        notices=extra + notices.notices(),
        site=root.mailing_list or SITE,
        permalink=article.url,
        author=article.author,
        posted=article.posted,
        article_spans=article.spans,
    )


def _reading_order(group: list[Mail], root: Mail) -> list[Entry[Mail]]:
    """The messages of one thread but its first, in reading order below it."""
    entries, _orphans = order_by_parent(
        [mail for mail in group if mail is not root],
        key=lambda mail: mail.key,
        parent=lambda mail: mail.parent or (mail.references[-1] if mail.references else None),
        root=root.key,
    )
    return entries


def _other_threads(groups: list[list[Mail]]) -> str:
    """The notice for a mailbox of several threads: which is the article, where the
    others are."""
    shown = groups[0]
    others = len(groups) - 1
    lines = [
        f"This mailbox holds {len(groups):,} threads. The largest, "
        f'"{_first(shown).subject or "(no subject)"}" ({_messages(len(shown))}), is the '
        f"article; the {'other follows' if others == 1 else f'{others:,} others follow'} "
        "as top-level comments, each opening with its subject:"
    ]
    for group in groups[1 : 1 + OTHER_THREADS]:
        lines.append(f'  "{_first(group).subject or "(no subject)"}" ({_messages(len(group))})')
    if len(groups) > 1 + OTHER_THREADS:
        lines.append(f"  … and {len(groups) - 1 - OTHER_THREADS:,} more")
    return "\n".join(lines)


def _messages(count: int) -> str:
    return f"{count:,} message" + ("" if count == 1 else "s")


def head_title(head: str) -> str | None:
    """The Subject of the file's first message, from its first bytes."""
    data = head.encode("utf-8", "surrogateescape")
    if not sniff(data):
        return None
    messages = split_mbox(data)
    if not messages:
        return None
    end = messages[0].find(b"\n\n")
    if end < 0:
        return None
    try:
        message = _PARSER.parsebytes(messages[0][: end + 1], headersonly=True)
        subject = message.get("Subject")
    except Exception:
        return None
    return " ".join(str(subject).split()) if subject else None


READER = Reader(
    name=NAME,
    label="a mailing-list mbox",
    read=read,
    sniff=sniff,
    head_title=head_title,
    suffixes=frozenset({".mbox", ".mbx", ".gz"}),
)
