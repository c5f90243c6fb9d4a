"""Mailing-list threads from mbox files, plain or gzip-compressed."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from repo_paths import SAMPLES

from tui.core.errors import ThreadError
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.library import head_title, read_entry, walk
from tui.core.model import Status

SAMPLE = SAMPLES / "mbox-bike-lock-retry.mbox"


def mail(key: str, body: str, *, reply_to: str | None = None, refs: str = "", **headers: str):
    """One mbox message (with its From_ line) as bytes."""
    lines = [
        "From mboxrd@z Thu Jan  1 00:00:00 1970",
        f"From: {headers.pop('sender', 'Ann <ann@example.org>')}",
        f"Subject: {headers.pop('subject', 'Re: Topic')}",
        f"Date: {headers.pop('date', 'Mon, 3 Mar 2025 09:14:07 +0100')}",
        f"Message-ID: <{key}>",
    ]
    if reply_to:
        lines.append(f"In-Reply-To: <{reply_to}>")
    if refs:
        lines.append(f"References: {refs}")
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\n".join(lines) + "\n\n" + body + "\n").encode()


def mbox(*mails: bytes) -> bytes:
    return b"\n".join(mails)


def test_the_sample_reads_as_one_thread() -> None:
    thread = read_thread(SAMPLE)
    assert thread.format == "mbox"
    assert thread.title == "[PATCH] lock: retry the unlock when the motor stalls"
    assert thread.author == "Greta Lindqvist"
    assert thread.site == "Bike share firmware"  # the List-Id's name
    assert thread.permalink == (
        "https://lists.example.org/bikes-dev/20250303081407.4412-1-greta@lindqvist.example/"
    )
    rows = [(c.depth, c.author, c.status) for c in thread.tree]
    assert rows == [
        (0, "Jürgen Müller", Status.NORMAL),
        (1, "上田 勇人", Status.NORMAL),
        (2, "Greta Lindqvist", Status.NORMAL),
        (0, None, Status.DELETED),
        (1, "Priya Raman", Status.NORMAL),
    ]
    assert thread.notices == ()


def test_charsets_and_transfer_encodings_are_decoded() -> None:
    thread = read_thread(SAMPLE)
    assert "Grüße aus Köln" in thread.tree.get(1).text  # ISO-8859-1, quoted-printable
    japanese = thread.tree.get(2).text  # UTF-8 base64 in multipart/alternative
    assert "250 ms で十分でした 🚲" in japanese
    assert "<p>" not in japanese and "Maybe 250?" not in japanese  # the plain part, not HTML


def test_quoted_lines_are_quote_spans() -> None:
    reply = read_thread(SAMPLE).tree.get(1)
    quotes = [reply.text[s.start : s.end] for s in reply.spans if s.role == "quote"]
    assert quotes == ["> Retry twice with a short pause before giving up."]


def test_a_missing_message_is_a_placeholder_holding_its_reply() -> None:
    thread = read_thread(SAMPLE)
    ghost = thread.tree.get(4)
    assert ghost.text == "[not in this file: <a-message-that-was-never-archived@radwerk.example>]"
    assert thread.tree.parent(5) == 4


def test_a_bare_address_in_a_mail_is_a_link() -> None:
    reply = read_thread(SAMPLE).tree.get(5)
    (link,) = [s for s in reply.spans if s.role == "link"]
    assert link.href == "https://bikes.example.org/wiki/Lock_states"


def test_the_patch_is_a_code_block_and_escaped_from_lines_are_restored() -> None:
    thread = read_thread(SAMPLE)
    assert "\nFrom the field logs: 212 stalls" in thread.article_text
    (block,) = [s for s in thread.article_spans if s.role == "code_block"]
    code = thread.article_text[block.start : block.end]
    assert code.startswith("diff --git a/lock/motor.c b/lock/motor.c")
    assert code.endswith("return -EBUSY;\n }")


def test_mboxrd_escaping_loses_one_marker_only() -> None:
    data = mbox(mail("a@x", ">>From the quoted text\n>From mine", subject="T"))
    assert parse_thread(data).article_text == ">From the quoted text\nFrom mine"


@pytest.mark.parametrize("name", ["t.mbox.gz", "t", "thread.txt"])
def test_gzip_compressed_mbox_opens_by_content(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    thread = read_thread(path)
    assert thread.format == "mbox"
    assert thread.title == read_thread(SAMPLE).title
    assert len(thread.tree) == 5


def test_damaged_gzip_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "t.mbox.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes())[:200])
    with pytest.raises(ThreadError, match="damaged gzip data"):
        read_thread(path)


def test_several_threads_open_at_the_largest_and_the_others_follow_it() -> None:
    data = mbox(
        mail("solo@x", "alone", subject="Small talk"),
        mail("root@x", "first", subject="Big topic"),
        mail("r1@x", "second", reply_to="root@x", refs="<root@x>"),
        mail("r2@x", "third", reply_to="r1@x", refs="<root@x> <r1@x>"),
        mail("other@x", "hello", subject="Another one"),
        mail("other2@x", "hi", reply_to="other@x", refs="<other@x>"),
    )
    thread = parse_thread(data)
    assert thread.title == "Big topic"
    assert thread.article_text == "first"
    assert [(c.depth, c.text) for c in thread.tree] == [
        (0, "second"),
        (1, "third"),
        (0, "Small talk\n\nalone"),
        (0, "Another one\n\nhello"),
        (1, "hi"),
    ]
    heading = thread.tree.get(3).spans[0]
    assert (heading.start, heading.end, heading.role) == (0, len("Small talk"), "heading")
    notice = thread.notices[0]
    assert notice.startswith(
        'This mailbox holds 3 threads. The largest, "Big topic" (3 messages), is the article; '
        "the 2 others follow as top-level comments, each opening with its subject:"
    )
    assert '"Another one" (2 messages)' in notice
    assert '"Small talk" (1 message)' in notice


def test_replies_whose_thread_start_is_missing_form_one_thread() -> None:
    data = mbox(
        mail(
            "a@x",
            "late reply",
            reply_to="gone@x",
            refs="<gone@x>",
            date="Tue, 4 Mar 2025 10:00:00 +0000",
        ),
        mail(
            "b@x",
            "early reply",
            reply_to="gone@x",
            refs="<gone@x>",
            date="Mon, 3 Mar 2025 10:00:00 +0000",
        ),
    )
    thread = parse_thread(data)
    assert thread.notices == ()
    assert thread.article_text == "early reply"
    assert [(c.text, c.status) for c in thread.tree] == [("late reply", Status.ORPHAN)]


def test_format_flowed_lines_are_joined() -> None:
    body = "This line is soft \nwrapped here.\n> quoted soft \n> wrap\n-- \nsig"
    data = mbox(mail("a@x", body, Content_Type="text/plain; charset=utf-8; format=flowed"))
    text = parse_thread(data).article_text
    assert text == "This line is soft wrapped here.\n> quoted soft wrap\n-- \nsig"


def test_an_html_only_mail_is_rendered() -> None:
    data = mbox(mail("a@x", "<p>Hello <b>list</b></p><p>Bye</p>", Content_Type="text/html"))
    thread = parse_thread(data)
    assert thread.article_text == "Hello list\n\nBye"
    assert [s.role for s in thread.article_spans] == ["strong"]


def test_encoded_headers_are_decoded() -> None:
    data = mbox(
        mail(
            "a@x",
            "body",
            subject="=?utf-8?q?Caf=C3=A9_terraces_=E2=98=95?=",
            sender="=?iso-8859-1?q?Andr=E9?= <andre@example.org>",
        )
    )
    thread = parse_thread(data)
    assert (thread.title, thread.author) == ("Café terraces ☕", "André")


def test_broken_headers_and_charsets_are_one_notice() -> None:
    data = mbox(
        mail("a@x", "root", subject="Root"),
        mail(
            "b@x",
            "caf\xe9",
            reply_to="a@x",
            refs="<a@x>",
            date="someday",
            Content_Type="text/plain; charset=x-unknown-charset",
        ),
    )
    thread = parse_thread(data.replace("café".encode(), b"caf\xe9"))
    assert len(thread.notices) == 1
    assert "Date 'someday' is not a date" in thread.notices[0]
    assert "unknown charset 'x-unknown-charset'" in thread.notices[0]
    assert thread.tree.get(1).posted is None


def test_a_mail_without_message_id_still_opens() -> None:
    data = b"From x@y Mon Mar  3 09:14:07 2025\nFrom: a@b\nSubject: No id\n\nbody\n"
    thread = parse_thread(data)
    assert (thread.title, thread.article_text) == ("No id", "body")
    assert "no Message-ID" in thread.notices[0]


def test_a_text_thread_starting_with_from_is_not_mail() -> None:
    thread = parse_thread("From here to there\n\nAn article.\n\u00a0\nA comment.\n".encode())
    assert thread.format == "text"
    assert thread.title == "From here to there"


def test_the_library_lists_mbox_and_gzip_files_with_their_subjects(tmp_path: Path) -> None:
    (tmp_path / "list.mbox").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "t.mbox.gz").write_bytes(gzip.compress(SAMPLE.read_bytes()))
    found = walk([tmp_path])
    assert found.skipped == []
    titles = [read_entry(candidate).title for candidate in found.files]  # type: ignore[union-attr]
    assert titles == [read_thread(SAMPLE).title] * 2


def test_the_head_title_of_a_large_mbox() -> None:
    data = SAMPLE.read_bytes()
    assert head_title(data[:600], SAMPLE, complete=False) == read_thread(SAMPLE).title
