"""`export` and `grep` on threads saved from Hacker News, Reddit and Lobsters."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from repo_paths import SAMPLES

from tui.cli import main

SITE_SAMPLES = {
    "algolia": "hn-sqlite-long-running-algolia",
    "firebase": "hn-paper-maps-items.jsonl",
    "hnpwa": "hn-unicode-wrapper-hnpwa.json",
    "reddit": "reddit-starter-nail-polish.json",
    "lobsters": "lobsters-why-makefiles.json",
}


def sample(kind: str) -> str:
    return str(SAMPLES / SITE_SAMPLES[kind])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site_folder(tmp_path: Path) -> Path:
    """The site samples under names that say nothing of their format."""
    root = tmp_path / "saved"
    root.mkdir()
    for kind, name in SITE_SAMPLES.items():
        shutil.copy(SAMPLES / name, root / (f"{kind}.jsonl" if kind == "firebase" else kind))
    return root


# -- export -------------------------------------------------------------------------------


def test_text_export_of_an_algolia_thread(capsys) -> None:
    code, out, err = run(capsys, "export", str(SAMPLES / SITE_SAMPLES["algolia"]))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[:4] == [
        "Ask HN: How do you keep a long-running SQLite app fast?",
        "=======================================================",
        "",
        "Hacker News · tidewater · 2024-01-22 08:14 UTC · 187 points",
    ]
    assert "Thread: https://news.ycombinator.com/item?id=39100001" in lines
    assert "    #3 · 2024-01-22 09:40 UTC" in lines
    assert "    [deleted]" in lines
    assert "  > We had a report go from 40 s to 0.3 s with just that" in lines
    assert "  PRAGMA optimize;" in lines, "code keeps its indentation"


def test_text_export_shows_link_targets_and_marks_quotes(capsys) -> None:
    code, out, _ = run(capsys, "export", str(SAMPLES / SITE_SAMPLES["lobsters"]))
    assert code == 0
    assert (
        "      Even after the deletion: the manual’s page "
        "<https://www.gnu.org/software/make/manual/html_node/Phony-Targets.html> "
        "explains it well. 👍"
    ) in out.splitlines()
    assert "  > silently stops running" in out.splitlines()
    assert "  #6 · rtfm · 2024-02-14 15:00 -06:00 · -2 points · dead" in out.splitlines()


def test_markdown_export_keeps_links_code_and_quotes(capsys) -> None:
    code, out, _ = run(capsys, "export", "--format", "markdown", sample("lobsters"))
    assert code == 0
    lines = out.splitlines()
    assert "Link: <https://blog.example.dev/why-makefiles>  " in lines
    assert (
        "> > > Even after the deletion: [the manual’s page]("
        "https://www.gnu.org/software/make/manual/html_node/Phony-Targets.html"
        ") explains it well. 👍"
    ) in lines
    assert "The part about `.PHONY` is the one everyone forgets." in out
    fence = lines.index("> ```")
    code_block = ["> ```", "> .PHONY: test lint", "> test:", "> \tpytest -q", "> ```"]
    assert lines[fence : fence + 5] == code_block
    assert "> > silently stops running" in lines


def test_markdown_export_of_reddit_shows_more_stubs_and_scores(capsys) -> None:
    code, out, _ = run(capsys, "export", "--format", "markdown", sample("reddit"))
    assert code == 0
    lines = out.splitlines()
    assert "### #1 · levain_lena · 2024-03-28 20:01 UTC · 2,210 points" in lines
    assert "> 14 more replies not in this file" in lines
    assert '> "hooch" means it\'s hungry' in lines, "a quote in the self post stays a quote"


def test_markdown_export_never_links_unsafe_targets(capsys, tmp_path: Path) -> None:
    doc = {
        "id": 1,
        "created_at": "2024-01-01T00:00:00Z",
        "story_id": 1,
        "title": "t",
        "children": [
            {"id": 2, "text": '<a href="javascript:alert(1)">click me</a>', "children": []}
        ],
    }
    path = tmp_path / "item"
    path.write_text(json.dumps(doc), "utf-8")
    code, out, _ = run(capsys, "export", "--format", "markdown", str(path))
    assert code == 0
    assert "click me" in out and "javascript" not in out


@pytest.mark.parametrize("kind", sorted(SITE_SAMPLES))
def test_json_export_reads_back_to_the_same_export(capsys, tmp_path: Path, kind: str) -> None:
    sample = str(SAMPLES / SITE_SAMPLES[kind])
    code, as_json, _ = run(capsys, "export", "--format", "json", sample)
    assert code == 0
    again = tmp_path / "again.json"
    again.write_text(as_json, "utf-8")
    for fmt in ("text", "markdown", "json"):
        assert (
            run(capsys, "export", "--format", fmt, str(again))[1]
            == run(capsys, "export", "--format", fmt, sample)[1]
        )


def test_an_unknown_json_shape_is_one_line_and_exit_2(capsys, tmp_path: Path) -> None:
    path = tmp_path / "index.json"
    path.write_text('{"data": {"children": []}, "kind": "Listing"}', "utf-8")
    code, out, err = run(capsys, "export", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"threadread: {path}: not a thread threadread can read "
        '(looks like: a JSON object with keys "data", "kind")\n'
    )


# -- grep ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "pattern", "line"),
    [
        # Markup inside the phrase: <b>ANALYZE</b> does not lock
        ("algolia", "ANALYZE does not lock", "algolia:4: Replying to the deleted comment"),
        # An entity inside the word: don&#x27;t
        ("firebase", "compass don't", "firebase.jsonl:2: I teach navigation courses"),
        ("hnpwa", "macOS veraltet", "hnpwa:4: Der Code ist sehr lesbar"),
        # Markdown bold and Reddit's escaped HTML: <strong>twice a day</strong>
        ("reddit", "feed it twice a day for", "reddit:1: Not dead! That's hooch."),
        ("lobsters", "zamiast make", "lobsters:5: W Polsce używamy just zamiast make"),
    ],
)
def test_grep_finds_words_whatever_markup_surrounds_them(
    capsys, site_folder: Path, kind: str, pattern: str, line: str
) -> None:
    code, out, err = run(capsys, "grep", pattern, str(site_folder))
    assert (code, err) == (0, "")
    (found,) = out.splitlines()
    assert found.startswith(f"{site_folder}/{line}")


def test_grep_counts_and_lists_site_threads(capsys, site_folder: Path) -> None:
    code, out, _ = run(capsys, "grep", "-c", "-i", "deleted", str(site_folder))
    assert code == 0
    assert f"{site_folder}/algolia:2" in out.splitlines()
    code, out, _ = run(capsys, "grep", "-l", "🥖", str(site_folder))
    assert out.splitlines() == [f"{site_folder}/reddit"]


def test_grep_does_not_match_markup_that_is_not_shown(capsys, site_folder: Path) -> None:
    code, out, _ = run(capsys, "grep", "&#x27;", str(site_folder))
    assert (code, out) == (1, "")
    code, out, _ = run(capsys, "grep", "<strong>", str(site_folder))
    assert (code, out) == (1, "")
