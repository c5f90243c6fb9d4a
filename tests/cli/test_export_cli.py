"""`threadread export`: the three output formats, hostile text, and one-line failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from repo_paths import REPO as PROJECT

from tui.cli import main
from tui.core.export import MAX_NESTING, escape_markdown, format_posted, render
from tui.core.formats.detect import read_thread
from tui.core.formats.native_json import read_json
from tui.core.safety import visible

MOJIBAKE = "๐Ÿค”"
EMOJI = "🤔"

THREAD = {
    "format": "threadread/1",
    "title": "Small thread",
    "article": "The article's first paragraph.\n\nIts second one.",
    "comments": [
        {
            "author": "alice",
            "posted": "2024-05-01T10:00:00",
            "text": "First comment.\n\nSecond paragraph.",
            "replies": [
                {
                    "author": "bob",
                    "text": "A reply.",
                    "replies": [{"posted": "2024-05-02T08:30:00Z", "text": "A deeper reply."}],
                }
            ],
        },
        {"text": "# Not a heading\n<!-- not a comment -->"},
    ],
}
HOSTILE = "bell\x07 esc\x1b[31mred cr\rover c1\x9b2J rlo\u202eevil lri\u2066x\u2069 tab\tok"


def write_json(tmp_path: Path, document: Any, name: str = "thread.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_json(tmp_path, THREAD)


def export(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["export", *args]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "PYTHONUTF8": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tui", "export", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=PROJECT,
        env=env,
        timeout=120,
        check=False,
    )


# -- sanitize -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain text", "plain text"),
        ("keep\nnewline\tand tab", "keep\nnewline\tand tab"),
        ("\x1b[2J", "␛[2J"),
        ("\x07\x00\r\x0b\x0c\x1f", "␇␀␍␋␌␟"),
        ("\x7f", "␡"),
        ("\x9b31m \x85", "⟪U+009B⟫31m ⟪U+0085⟫"),
        ("a\u202eb\u202ac\u2066d\u2069", "a⟪U+202E⟫b⟪U+202A⟫c⟪U+2066⟫d⟪U+2069⟫"),
        ("\u200f", "⟪U+200F⟫"),
        ("lone \ud800", "lone \ufffd"),
        ("café 🤔 日本", "café 🤔 日本"),
    ],
)
def test_visible(raw: str, shown: str) -> None:
    assert visible(raw) == shown


def test_visible_leaves_nothing_a_terminal_would_obey() -> None:
    every = "".join(chr(c) for c in range(0x2100)) + "\u2066\u2067\u2068\u2069"
    shown = visible(every)
    for char in shown:
        code = ord(char)
        assert char in "\n\t" or not (code < 0x20 or 0x7F <= code < 0xA0), hex(code)
        assert not 0x202A <= code <= 0x202E
        assert not 0x2066 <= code <= 0x2069


# -- text -----------------------------------------------------------------------------------


def test_text_export(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = export(capsys, str(small))
    lines = out.splitlines()
    assert lines[:3] == ["Small thread", "============", ""]
    assert "The article's first paragraph.\n\nIts second one.\n" in out
    assert "Comments (4)\n------------\n" in out
    assert "\n#1 · alice · 2024-05-01 10:00\nFirst comment.\n\nSecond paragraph.\n" in out
    assert "\n  #2 · bob\n  A reply.\n" in out
    assert "\n    #3 · 2024-05-02 08:30 UTC\n    A deeper reply.\n" in out
    assert "\n#4\n# Not a heading\n<!-- not a comment -->\n" in out
    assert out.endswith("\n")


def test_text_export_shows_control_characters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(
        tmp_path,
        {
            "format": "threadread/1",
            "title": "Title\x1b]0;owned\x07",
            "comments": [{"author": "eve\x1b[8m", "text": HOSTILE}],
        },
    )
    for fmt in ("text", "markdown"):
        out = export(capsys, "--format", fmt, str(path))
        for char in "\x07\x1b\r\x9b\u202e\u2066\u2069":
            assert char not in out, (fmt, hex(ord(char)))
        assert "Title␛]0;owned␇" in out
        assert "eve␛[8m" in out
        assert "bell␇ esc␛[31mred cr␍over c1⟪U+009B⟫2J rlo⟪U+202E⟫evil" in out
        assert "tab\tok" in out


# -- Markdown -------------------------------------------------------------------------------


def test_markdown_export(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = export(capsys, "--format", "markdown", str(small))
    assert out.startswith("# Small thread\n\nThe article's first paragraph.\n\nIts second one.\n")
    assert "\n## Comments (4)\n" in out
    assert "\n### #1 · alice · 2024-05-01 10:00\n\nFirst comment.\n\nSecond paragraph.\n" in out
    assert "\n### #2 · bob\n\n> A reply.\n" in out
    assert "\n### #3 · 2024-05-02 08:30 UTC\n\n> > A deeper reply.\n" in out
    assert "\n### #4\n\n\\# Not a heading\n\\<!-- not a comment -->\n" in out


def test_markdown_quotes_blank_lines_inside_a_reply(tmp_path: Path) -> None:
    document = {
        "format": "threadread/1",
        "comments": [{"text": "top", "replies": [{"text": "one\n\ntwo"}]}],
    }
    thread = read_json(json.dumps(document).encode())
    assert "\n> one\n>\n> two\n" in render(thread, "markdown")


@pytest.mark.parametrize(
    "line, escaped",
    [
        ("plain words", "plain words"),
        ("# heading", "\\# heading"),
        ("  > quote", "  \\> quote"),
        ("- item", "\\- item"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("```python", "\\```python"),
        ("1. first", "1\\. first"),
        ("2024) year", "2024\\) year"),
        ("a <b>bold</b>", "a \\<b>bold\\</b>"),
        ("Q&A &amp; more", "Q&A \\&amp; more"),
        ("x - y # z", "x - y # z"),
    ],
)
def test_escape_markdown(line: str, escaped: str) -> None:
    assert escape_markdown(line) == escaped


def test_format_posted() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    assert format_posted(datetime(2024, 5, 1, 10, 0, 59)) == "2024-05-01 10:00"
    assert format_posted(datetime(2024, 5, 1, 10, tzinfo=UTC)) == "2024-05-01 10:00 UTC"
    minus = timezone(-timedelta(hours=5, minutes=30))
    assert format_posted(datetime(2024, 5, 1, 10, tzinfo=minus)) == "2024-05-01 10:00 -05:30"
    assert format_posted(datetime(5, 1, 2, 3, 4)) == "0005-01-02 03:04"


# -- JSON -------------------------------------------------------------------------------------


def test_json_export_reads_back(small: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = export(capsys, "--format", "json", str(small))
    assert json.loads(out)["format"] == "threadread/1"
    again = read_json(out.encode())
    original = read_thread(small)
    assert [(c.number, c.depth, c.author, c.posted, c.text) for c in again.tree] == [
        (c.number, c.depth, c.author, c.posted, c.text) for c in original.tree
    ]


def test_json_export_keeps_control_characters_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path, {"format": "threadread/1", "comments": [{"text": HOSTILE}]})
    out = export(capsys, "--format", "json", str(path))
    assert "\x1b" not in out
    assert "\x07" not in out
    assert json.loads(out)["comments"][0]["text"] == HOSTILE


def test_unknown_render_format() -> None:
    thread = read_json(b'{"format": "threadread/1"}')
    with pytest.raises(ValueError, match="unknown export format 'html'"):
        render(thread, "html")


# -- the seed --------------------------------------------------------------------------------


def test_seed_exports(seed_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thread = read_thread(seed_path)
    count = len(thread)
    text = export(capsys, str(seed_path))
    assert text.startswith(thread.title + "\n" + "=" * len(thread.title) + "\n")
    assert f"Comments ({count})" in text
    assert f"\n#{count}\n" in text
    markdown = export(capsys, "--format", "markdown", str(seed_path))
    assert markdown.startswith(f"# {thread.title}\n")
    assert f"## Comments ({count})" in markdown
    assert markdown.count("\n### #") == count
    dumped = export(capsys, "--format", "json", str(seed_path))
    document = json.loads(dumped)
    assert document["title"] == thread.title
    assert len(document["comments"]) == count
    assert [c["text"] for c in document["comments"]] == [c.text for c in thread.tree]


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_raw_keeps_the_mojibake(
    seed_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    repaired = export(capsys, "--format", fmt, str(seed_path))
    raw = export(capsys, "--format", fmt, "--raw", str(seed_path))
    assert EMOJI in repaired
    assert MOJIBAKE not in repaired
    assert MOJIBAKE in raw
    assert EMOJI not in raw


def test_deep_chain_renders_without_recursion(tmp_path: Path) -> None:
    depth = 10_000
    opening = '{"text": "t", "replies": [' * depth
    path = tmp_path / "deep.json"
    path.write_text(
        '{"format": "threadread/1", "title": "Deep", "comments": [' + opening + "]}" * depth + "]}",
        encoding="utf-8",
    )
    thread = read_thread(path)
    markdown = render(thread, "markdown")
    assert f"\n### #{depth} · depth {depth - 1}\n\n" + "> " * MAX_NESTING + "t\n" in markdown
    text = render(thread, "text")
    assert "\n" + "  " * MAX_NESTING + f"#{depth} · depth {depth - 1}\n" in text
    assert len(text) < 2_000_000
    assert read_json(render(thread, "json").encode()).tree.depth(depth) == depth - 1


# -- in a real process -----------------------------------------------------------------------


def test_subprocess_exports_markdown(small: Path) -> None:
    result = run_module("--format", "markdown", str(small))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("# Small thread\n")
    assert "\n### #3 · 2024-05-02 08:30 UTC\n\n> > A deeper reply.\n" in result.stdout


def test_subprocess_exports_the_seed(seed_path: Path) -> None:
    result = run_module(str(seed_path))
    assert result.returncode == 0, result.stderr
    assert EMOJI in result.stdout
    raw = run_module("--raw", "--format", "json", str(seed_path))
    assert raw.returncode == 0, raw.stderr
    assert MOJIBAKE in json.loads(raw.stdout)["comments"][0]["text"]


def test_subprocess_failure_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "threadread/1", "comments": [}', encoding="utf-8")
    result = run_module(str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"threadread: {path}: malformed JSON at line 1, column 41: Expecting value\n"
    )


# -- failures --------------------------------------------------------------------------------


# name, content (None: nothing is written), the reason the user is given
BAD_FILES: dict[str, tuple[str, bytes | None, str]] = {
    "missing": ("nope.txt", None, "no such file"),
    "directory": ("adir", None, "is a directory, not a thread file"),
    "empty": ("empty.txt", b"", "empty file (nothing but whitespace)"),
    "whitespace": ("blank.txt", b"  \n\t\n \xc2\xa0 \n", "empty file (nothing but whitespace)"),
    "binary": (
        "image.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" * 8,
        "not a text file (binary data)",
    ),
    "malformed": (
        "bad.json",
        b'{"format": "threadread/1",\n "title": }',
        "malformed JSON at line 2, column 11: Expecting value",
    ),
    "wrong type": (
        "typed.json",
        b'{"format": "threadread/1", "comments": [{"text": 3}]}',
        "comments[0].text: expected a string, found a number",
    ),
    "other format": (
        "v2.json",
        b'{"format": "threadread/2"}',
        'unsupported format "threadread/2" (expected "threadread/1")',
    ),
    "not an object": (
        "list.json",
        b"[1, 2, 3]",
        "not a thread threadread can read (looks like: a JSON array of 3 numbers)",
    ),
}


def bad_file(tmp_path: Path, case: str) -> Path:
    name, data, _ = BAD_FILES[case]
    path = tmp_path / name
    if case == "directory":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    return path


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_failure_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, fmt: str
) -> None:
    path = bad_file(tmp_path, case)
    assert main(["export", "--format", fmt, str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err == f"threadread: {path}: {BAD_FILES[case][2]}\n"
