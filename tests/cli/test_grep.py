"""`threadread grep`: output formats, flags and exit codes, as a script sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.mangle import mangle_874
from tui.cli import main

NBSP = "\u00a0"


def seed(title: str, article: str, *posts: str) -> str:
    return f"{NBSP}\n".join([f"{title}\n\n{article}\n", *(p + "\n" for p in posts)])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "threads"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(
        seed("Pizza night", "We talk about pizza.", "no", "Pizza again\nand pizza, pizza"),
        encoding="utf-8",
    )
    (root / "sub" / "b.txt").write_text(
        seed("Mojibake", "x", mangle_874("So good 🍕 really"), "nothing here"), encoding="utf-8"
    )
    doc = {
        "format": "threadread/1",
        "title": "JSON [bold]title[/]",
        "article": "",
        "comments": [{"author": "a", "posted": None, "text": "pizza in json", "replies": []}],
    }
    (root / "c.json").write_text(json.dumps(doc), encoding="utf-8")
    (root / "notes.md").write_text("pizza pizza", encoding="utf-8")
    (root / ".hidden.txt").write_text(seed("H", "pizza", "pizza"), encoding="utf-8")
    (root / "image.txt").write_bytes(b"\x00\x01pizza\x00")
    return root


def grep(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["grep", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_prints_file_comment_and_line(capsys, folder: Path) -> None:
    code, out, err = grep(capsys, "pizza", str(folder))
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"{folder}/a.txt:0: We talk about pizza.",
        f"{folder}/a.txt:2: and pizza, pizza",
        f"{folder}/c.json:1: pizza in json",
    ]


def test_ignore_case(capsys, folder: Path) -> None:
    code, out, _ = grep(capsys, "-i", "PIZZA", str(folder))
    assert code == 0
    assert f"{folder}/a.txt:2: Pizza again" in out.splitlines()
    assert len(out.splitlines()) == 4


def test_literal_by_default_regex_with_E(capsys, folder: Path) -> None:
    assert grep(capsys, "pi.za", str(folder))[0] == 1
    code, out, _ = grep(capsys, "-E", r"^Pizza \w+$", str(folder))
    assert code == 0
    assert out.splitlines() == [f"{folder}/a.txt:2: Pizza again"]


def test_count_and_files(capsys, folder: Path) -> None:
    code, out, _ = grep(capsys, "-c", "pizza", str(folder))
    assert code == 0
    assert out.splitlines() == [
        f"{folder}/a.txt:2",
        f"{folder}/c.json:1",
        f"{folder}/sub/b.txt:0",
    ]
    code, out, _ = grep(capsys, "-l", "pizza", str(folder))
    assert out.splitlines() == [f"{folder}/a.txt", f"{folder}/c.json"]


def test_json_is_one_object_per_match(capsys, folder: Path) -> None:
    code, out, _ = grep(capsys, "--json", "pizza", str(folder / "a.txt"))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert records == [
        {
            "file": f"{folder}/a.txt",
            "title": "Pizza night",
            "comment": 0,
            "line_number": 1,
            "line": "We talk about pizza.",
            "start": 14,
            "end": 19,
        },
        {
            "file": f"{folder}/a.txt",
            "title": "Pizza night",
            "comment": 2,
            "line_number": 2,
            "line": "and pizza, pizza",
            "start": 4,
            "end": 9,
        },
        {
            "file": f"{folder}/a.txt",
            "title": "Pizza night",
            "comment": 2,
            "line_number": 2,
            "line": "and pizza, pizza",
            "start": 11,
            "end": 16,
        },
    ]


def test_searches_the_repaired_text_unless_raw(capsys, folder: Path) -> None:
    code, out, _ = grep(capsys, "🍕", str(folder))
    assert code == 0
    assert out.splitlines() == [f"{folder}/sub/b.txt:1: So good 🍕 really"]
    code, out, _ = grep(capsys, "--raw", "🍕", str(folder))
    assert (code, out) == (1, "")


def test_no_match_is_exit_1(capsys, folder: Path) -> None:
    assert grep(capsys, "zeppelin", str(folder)) == (1, "", "")


def test_errors_are_one_line_and_exit_2(capsys, folder: Path, tmp_path: Path) -> None:
    code, out, err = grep(capsys, "pizza", str(folder), str(tmp_path / "missing.txt"))
    assert code == 2
    assert out  # the matches are still printed, as grep does
    assert err == f"threadread: {tmp_path / 'missing.txt'}: no such file\n"

    code, out, err = grep(capsys, "-E", "(pizza", str(folder))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "bad pattern" in err

    code, out, err = grep(capsys, "pizza", str(folder / "image.txt"))
    assert (code, out) == (2, "")
    assert err == f"threadread: {folder / 'image.txt'}: not a text file (binary data)\n"

    with pytest.raises(SystemExit) as usage:
        main(["grep", "-c", "-l", "pizza"])
    err = capsys.readouterr().err
    assert usage.value.code == 2
    assert err.count("\n") == 1 and err.startswith("threadread grep: ")


def test_a_broken_thread_in_a_folder_is_an_error(capsys, folder: Path) -> None:
    (folder / "broken.json").write_text('{"title": "pizza", "comments": [', "utf-8")
    code, out, err = grep(capsys, "pizza", str(folder))
    assert code == 2
    assert len(out.splitlines()) == 3
    assert err.startswith(f"threadread: {folder / 'broken.json'}: ")
    assert err.count("\n") == 1


def test_defaults_to_the_current_folder(capsys, folder: Path, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    code, out, _ = grep(capsys, "-l", "pizza")
    assert code == 0
    assert out.splitlines() == ["a.txt", "c.json"]


def test_hostile_text_is_made_visible(capsys, tmp_path: Path) -> None:
    (tmp_path / "h.txt").write_text(seed("T\x1b[2J", "x", "pizza \x1b]0;pwned\x07 end"), "utf-8")
    code, out, _ = grep(capsys, "pizza", str(tmp_path))
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "pizza ␛]0;pwned␇ end" in out
    code, out, _ = grep(capsys, "--json", "pizza", str(tmp_path))
    assert "\x1b" not in out
    assert json.loads(out)["line"] == "pizza \x1b]0;pwned\x07 end"
