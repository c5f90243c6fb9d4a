"""`threadread export` and `threadread grep` on Discourse, Mastodon, Bluesky and mbox
files, as a script sees them."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from repo_paths import SAMPLES

from tui.cli import main

DISCOURSE = SAMPLES / "discourse-ferry-timetable-utc.json"
MASTODON = SAMPLES / "mastodon-allotment-water-tap"
BLUESKY = SAMPLES / "bluesky-utrecht-terrace-permits.json"
MBOX = SAMPLES / "mbox-bike-lock-retry.mbox"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("sample", "title", "first_comment"),
    [
        (
            DISCOURSE,
            "Ferry timetable shows UTC after the spring update",
            "#1 · tferreira · 2025-03-11 08:40 UTC · 3 points",
        ),
        (
            MASTODON,
            "Small win for our allotment association: the city agreed to put a water tap "
            "by the east gate 🚰",
            "#1 · marc@fosstodon.example · 2024-11-28 09:18 UTC · 12 points",
        ),
        (
            BLUESKY,
            "Café owners in Utrecht: the new terrace permits open on 1 April ☕️ Details at "
            "gemeente.example.nl/t…",
            "#1 · pieter.example.nl · 2025-02-14 08:41 UTC · 12 points",
        ),
        (
            MBOX,
            "[PATCH] lock: retry the unlock when the motor stalls",
            "#1 · Jürgen Müller · 2025-03-03 10:02 +01:00",
        ),
    ],
    ids=["discourse", "mastodon", "bluesky", "mbox"],
)
def test_export_text_shows_title_and_attributed_comments(
    capsys, sample: Path, title: str, first_comment: str
) -> None:
    code, out, err = run(capsys, "export", str(sample))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == title
    assert first_comment in out.splitlines()


def test_export_shows_placeholders_where_posts_are_gone(capsys) -> None:
    _, out, _ = run(capsys, "export", str(BLUESKY))
    assert "[deleted post]" in out
    assert "[blocked post]" in out
    assert "2 more replies not in this file" in out
    _, out, _ = run(capsys, "export", str(MBOX))
    assert "[not in this file: <a-message-that-was-never-archived@radwerk.example>]" in out


@pytest.mark.parametrize("sample", [DISCOURSE, MASTODON, BLUESKY, MBOX], ids=lambda p: p.name)
def test_export_json_reads_back_the_same_thread(capsys, tmp_path: Path, sample: Path) -> None:
    _, text, _ = run(capsys, "export", str(sample))
    code, out, err = run(capsys, "export", "--format", "json", str(sample))
    assert (code, err) == (0, "")
    saved = tmp_path / "thread.json"
    saved.write_text(out, encoding="utf-8")
    assert json.loads(out)["format"] == "threadread/1"
    _, again, _ = run(capsys, "export", str(saved))
    assert again == text


def test_export_markdown_keeps_links_and_code(capsys) -> None:
    _, out, _ = run(capsys, "export", "--format", "markdown", str(MASTODON))
    assert "[@lena](https://social.example/@lena)" in out
    _, out, _ = run(capsys, "export", "--format", "markdown", str(DISCOURSE))
    assert "from zoneinfo import ZoneInfo" in out


def test_grep_finds_words_in_every_format(capsys, tmp_path: Path) -> None:
    for sample in (DISCOURSE, MASTODON, BLUESKY, MBOX):
        shutil.copy(sample, tmp_path / sample.name)
    (tmp_path / "t.mbox.gz").write_bytes(gzip.compress(MBOX.read_bytes()))
    pattern = "köln|zoneinfo|#terras|barrels hold"
    code, out, err = run(capsys, "grep", "-i", "-E", pattern, str(tmp_path))
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{tmp_path / BLUESKY.name}:3: Perfect, thanks! 🙏 #utrecht #terras",
        f"{tmp_path / DISCOURSE.name}:2: That explains it, thanks. So the fix on our side is "
        "to convert with zoneinfo:",
        f"{tmp_path / DISCOURSE.name}:2: from zoneinfo import ZoneInfo",
        f'{tmp_path / DISCOURSE.name}:2: local = departure.astimezone(ZoneInfo("Europe/Oslo"))',
        f"{tmp_path / MASTODON.name}:2: which is more than three barrels hold.",
        f"{tmp_path / MASTODON.name}:3: > more than three barrels hold",
        f"{tmp_path / MBOX.name}:1: Grüße aus Köln -- we saw the same in January. Is 150 ms "
        "long enough",
        f"{tmp_path / 't.mbox.gz'}:1: Grüße aus Köln -- we saw the same in January. Is 150 ms "
        "long enough",
    ]


def test_grep_matches_the_shown_text_not_the_markup(capsys) -> None:
    # The file has `&gt; now`, quoted-printable `K=F6ln` and base64: the reader shows
    # `> now`, `Köln` and the Japanese text, and grep finds what the reader shows.
    code, out, _ = run(capsys, "grep", "-c", "> now", str(DISCOURSE))
    assert (code, out) == (0, f"{DISCOURSE}:1\n")
    code, out, _ = run(capsys, "grep", "-l", "十分でした", str(MBOX))
    assert (code, out) == (0, f"{MBOX}\n")


def test_grep_json_names_the_comment_of_each_match(capsys) -> None:
    code, out, _ = run(capsys, "grep", "--json", "Seoul", str(BLUESKY))
    assert code == 0
    found = [json.loads(line) for line in out.splitlines()]
    assert [(f["comment"], f["line"]) for f in found] == [
        (
            5,
            "우리 동네에도 이런 제도가 있으면 좋겠어요 🌷 "
            "Seoul still does these one shop at a time.",
        ),
        (5, "[image: A café terrace in Seoul with tulips in planters]"),
    ]


def test_a_broken_file_of_a_known_shape_is_one_line(capsys, tmp_path: Path) -> None:
    path = tmp_path / "t.mbox.gz"
    path.write_bytes(gzip.compress(MBOX.read_bytes())[:100])
    code, out, err = run(capsys, "export", str(path))
    assert (code, out) == (2, "")
    assert err == f"threadread: {path}: damaged gzip data (the file ends too early)\n"


def test_grep_finds_words_in_every_thread_of_a_mailbox(capsys, tmp_path: Path) -> None:
    extra = (
        b"\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: Sam <sam@example.org>\n"
        b"Subject: Saddle height poll\nMessage-ID: <poll@example.org>\n\nWho wants it?\n"
    )
    path = tmp_path / "archive.mbox"
    path.write_bytes(MBOX.read_bytes() + extra)
    code, out, _ = run(capsys, "grep", "wants it", str(path))
    assert (code, out) == (0, f"{path}:6: Who wants it?\n")
