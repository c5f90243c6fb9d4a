"""The plain-text reader: the seed's expectations and each rule of the format."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.decoding import decode_bytes
from tui.core.errors import ThreadError
from tui.core.formats.detect import parse_thread, read_thread
from tui.core.formats.plaintext import read_seed

NBSP = "\u00a0"


def thread_of(text: str, **kwargs):
    return parse_thread(text.encode("utf-8"), **kwargs)


def texts(thread) -> list[str]:
    return [c.text for c in thread.tree]


# -- the real thread ------------------------------------------------------------------


def test_seed_title_article_and_comments(seed_path: Path) -> None:
    thread = read_thread(seed_path)
    assert thread.title == (
        "NYC investigation flags sanctuary law breach by NYPD officer, calling for reforms"
    )
    assert len(thread.article) == 7
    assert thread.article[0].startswith("New York City's Department of Investigation")
    assert thread.article[-1].endswith("heightened immigration enforcement activity.")
    assert len(thread.tree) == 11
    assert thread.tree.get(4).text.startswith("I just had the craziest thought")
    assert thread.encoding == "utf-8"
    assert thread.source == seed_path


def test_seed_chrome_is_dropped_and_last_comment_kept(seed_path: Path) -> None:
    thread = read_thread(seed_path)
    last = thread.tree.get(11).text
    assert last.startswith("🤔 this is wild") or last.startswith("๐Ÿค” this is wild")
    assert "Back" not in last.splitlines()[-1]
    assert all(c.text.strip() not in {"Back", "Top", "Back\nTop"} for c in thread.tree)


def test_seed_paragraphs_inside_comments(seed_path: Path) -> None:
    thread = read_thread(seed_path)
    assert len(thread.tree.get(1).paragraphs) == 2
    assert len(thread.tree.get(2).paragraphs) == 3
    assert len(thread.tree.get(4).paragraphs) == 1


def test_seed_is_repaired(seed_path: Path) -> None:
    thread = read_thread(seed_path)
    everything = thread.title + thread.article_text + "".join(texts(thread))
    assert not any("\u0e00" <= ch <= "\u0e7f" for ch in everything)
    assert "🤔" in thread.tree.get(1).text
    assert "🍕" in thread.tree.get(4).text
    assert len(thread.repairs()) > 50


def test_seed_raw_keeps_the_file_as_written(seed_path: Path) -> None:
    thread = read_thread(seed_path, repair=False)
    assert "๐Ÿค”" in thread.tree.get(1).text
    assert thread.repairs() == ()


# -- rules ----------------------------------------------------------------------------


def test_separator_needs_a_no_break_space() -> None:
    thread = thread_of(f"T\n\nArticle\n{NBSP}\nOne\n\nstill one\n \t \nstill one\n{NBSP}\nTwo")
    assert texts(thread) == ["One\n\nstill one\n \t \nstill one", "Two"]


def test_separator_may_hold_other_whitespace() -> None:
    thread = thread_of(f"T\n\nA\n \t{NBSP} {NBSP}\nOne\n{NBSP}{NBSP}\nTwo")
    assert texts(thread) == ["One", "Two"]


def test_runs_of_separators_and_blank_lines_make_no_empty_comment() -> None:
    thread = thread_of(f"T\n\nA\n{NBSP}\n\n{NBSP}\n\n\n{NBSP}\nOne\n{NBSP}\n{NBSP}\n")
    assert texts(thread) == ["One"]


def test_first_non_empty_line_is_the_title() -> None:
    thread = thread_of("\n\n  The title  \nfirst para line\nsecond line\n\nsecond para")
    assert thread.title == "The title"
    assert thread.article == ("first para line\nsecond line", "second para")


def test_title_only() -> None:
    thread = thread_of("Just a title\n")
    assert thread.title == "Just a title"
    assert thread.article == ()
    assert len(thread.tree) == 0


def test_no_comments() -> None:
    thread = thread_of("Title\n\nPara one.\n\nPara two.")
    assert thread.article == ("Para one.", "Para two.")
    assert len(thread.tree) == 0


def test_file_starting_with_a_separator_has_an_empty_article() -> None:
    thread = thread_of(f"{NBSP}\nFirst comment\n{NBSP}\nSecond")
    assert thread.title == ""
    assert texts(thread) == ["First comment", "Second"]


@pytest.mark.parametrize(
    "chrome", ["Back\nTop", "Back\nTop\n", "back to top", "\nTop\n", "BACK\n\nTOP"]
)
def test_trailing_chrome_is_dropped(chrome: str) -> None:
    thread = thread_of(f"T\n\nA\n{NBSP}\nOne\n{NBSP}\n{chrome}")
    assert texts(thread) == ["One"]


@pytest.mark.parametrize(
    "comment",
    [
        "Back to the topic, the officer was wrong.",
        "Back",  # not the last block: a real one-word reply
    ],
)
def test_real_comments_that_look_like_chrome_survive(comment: str) -> None:
    thread = thread_of(f"T\n\nA\n{NBSP}\n{comment}\n{NBSP}\nLast one")
    assert texts(thread) == [comment, "Last one"]


def test_last_comment_saying_back_to_the_topic_survives() -> None:
    thread = thread_of(f"T\n\nA\n{NBSP}\nOne\n{NBSP}\nBack to the topic please\nTop")
    assert texts(thread)[-1] == "Back to the topic please\nTop"


def test_crlf_and_bom() -> None:
    raw = codecs.BOM_UTF8 + f"Title\r\n\r\nPara\r\n{NBSP}\r\nOne\r\n\r\nTwo\r{NBSP}\rThree".encode()
    thread = parse_thread(raw)
    assert thread.title == "Title"
    assert thread.article == ("Para",)
    assert texts(thread) == ["One\n\nTwo", "Three"]


def test_windows_1252_file_is_decoded_and_recorded() -> None:
    raw = b"Caf\xe9 news\n\nThe na\xefve \x93quote\x94\n\xa0\nOne \x80"
    thread = parse_thread(raw)
    assert thread.encoding == "windows-1252"
    assert thread.title == "Café news"
    assert thread.article == ("The naïve “quote”",)
    assert texts(thread) == ["One €"]


def test_latin_1_when_windows_1252_fails() -> None:
    raw = b"Title \x81\n\nBody \xe9\n\xa0\nOne"
    thread = parse_thread(raw)
    assert thread.encoding == "latin-1"
    assert thread.title == "Title \x81"
    assert texts(thread) == ["One"]


def test_utf16_with_bom() -> None:
    raw = f"Titel\n\nÄrger\n{NBSP}\nEins".encode("utf-16")
    thread = parse_thread(raw)
    assert thread.encoding == "utf-16"
    assert texts(thread) == ["Eins"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        ("\u00a0\n\u00a0\n".encode(), "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        (bytes(range(256)) * 4, "not a text file"),
    ],
)
def test_bad_input_is_one_clear_error(data: bytes, reason: str) -> None:
    with pytest.raises(ThreadError) as info:
        parse_thread(data, Path("x.txt"))
    assert reason in str(info.value)
    assert str(info.value).startswith("threadread: x.txt: ")
    assert "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ThreadError, match="no such file"):
        read_thread(tmp_path / "nope.txt")
    with pytest.raises(ThreadError, match="is a directory"):
        read_thread(tmp_path)


def test_two_megabyte_single_line_comment() -> None:
    line = "word " * 400_000
    thread = thread_of(f"T\n\nA\n{NBSP}\n{line}\n{NBSP}\nafter")
    assert len(thread.tree) == 2
    assert thread.tree.get(1).text == line.rstrip()


def test_thai_text_is_untouched() -> None:
    body = "สวัสดีครับ ผมชอบกินแกงเขียวหวาน ห้องรกมาก"
    thread = thread_of(f"อาหารไทย\n\n{body}\n{NBSP}\n{body}")
    assert thread.title == "อาหารไทย"
    assert thread.article == (body,)
    assert texts(thread) == [body]
    assert thread.repairs() == ()


def test_comments_decode_lazily() -> None:
    data = ("T\n\nA" + "".join(f"\n{NBSP}\nComment {i}" for i in range(1, 1001))).encode()
    thread = read_seed(decode_bytes(data).data)
    assert len(thread.tree) == 1000
    assert not thread.tree.loaded(500)
    assert thread.tree.get(500).text == "Comment 500"
    assert thread.tree.loaded(500)
    assert not thread.tree.loaded(501)


# -- properties -----------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_never_raises_anything_but_thread_error_on_arbitrary_bytes(data: bytes) -> None:
    try:
        thread = parse_thread(data, Path("fuzz.txt"))
    except ThreadError:
        return
    for comment in thread.tree:
        assert isinstance(comment.text, str)


_ALPHABET = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\x00",
)


@settings(max_examples=300, deadline=None)
@given(st.text(_ALPHABET, max_size=400), st.lists(st.text(_ALPHABET, max_size=200), max_size=6))
def test_without_repair_no_visible_character_is_lost(article: str, comments: list[str]) -> None:
    """Every non-whitespace character of the input appears in the model (or the chrome)."""
    text = f"\n{NBSP}\n".join([article, *comments])
    try:
        thread = parse_thread(text.encode("utf-8"), Path("p.txt"), repair=False)
    except ThreadError as error:
        # Refused only as empty, or as binary when control bytes dominate.
        if "empty file" in str(error):
            assert not text.replace(NBSP, "").strip()
        else:
            assert "not a text file" in str(error)
            controls = sum(1 for b in text.encode()[:8192] if b < 32 and b not in b"\t\n\r\f\v\x1b")
            assert controls / max(1, len(text.encode()[:8192])) > 0.1
        return
    kept = thread.title + "".join(thread.article) + "".join(c.text for c in thread.tree)
    wanted = [ch for ch in text if not ch.isspace()]
    got = [ch for ch in kept if not ch.isspace()]
    dropped = len(wanted) - len(got)
    if dropped:
        # Only a trailing chrome block may go: "Back" / "Top" lines.
        last = [c for c in text.split(f"\n{NBSP}\n")][-1]
        assert {line.strip().lower() for line in last.splitlines() if line.strip()} <= {
            "back",
            "top",
            "back to top",
        }
    else:
        assert sorted(wanted) == sorted(got)


def test_decoded_comments_are_kept_within_a_limit(monkeypatch) -> None:
    import tui.core.formats.plaintext as seed_format

    monkeypatch.setattr(seed_format, "COMMENT_CACHE", 10)
    data = ("T\n\nA" + "".join(f"\n{NBSP}\nC{i} ๐Ÿค”" for i in range(1, 101))).encode()
    thread = read_seed(decode_bytes(data).data)
    assert [c.text for c in thread.tree][-1] == "C100 🤔"
    assert sum(thread.tree.loaded(n) for n in range(1, 101)) == 10
    # Repairs found while decoding are counted after the comment is dropped, and
    # found again (by decoding it again) when asked for.
    assert all(thread.tree.repair_count(n) == 1 for n in range(1, 101))
    assert len(thread.repairs()) == 100
    assert thread.tree.get(1).text == "C1 🤔"
    # Only the comments in memory keep their repairs: tens of thousands of tuples
    # kept for good would lengthen every full garbage collection.
    assert len(thread.tree._repairs) <= 10


def test_separator_with_other_unicode_spaces() -> None:
    thread = thread_of(f"T\n\nA\n\u2003{NBSP}\u3000\nOne\n\u202f{NBSP}\nTwo")
    assert texts(thread) == ["One", "Two"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "\t", NBSP, "\n", "é", "\u00e0", "©", "x\n", f"\n{NBSP}\n"]),
        max_size=60,
    )
)
def test_fast_separator_scan_agrees_with_the_full_one(pieces: list[str]) -> None:
    import tui.core.formats.plaintext as seed_format

    data = "".join(pieces).encode()
    fast = [m.span() for m in seed_format._FAST_SEPARATOR.finditer(data)]
    full = [m.span() for m in seed_format.SEPARATOR.finditer(data)]
    assert fast == full


def test_a_rare_space_in_a_separator_is_found_across_scan_chunks() -> None:
    import tui.core.formats.plaintext as seed_format

    # The separator line's U+2003 EM SPACE straddles the first megabyte's end.
    head = b"Title\n\nArticle.\n\xc2\xa0\nfirst comment " + b"x" * (1 << 20)
    head = head[: seed_format._SCAN_CHUNK - 2]
    data = head + "\n\u2003\u00a0\nsecond comment\n".encode()
    assert data.index("\u2003".encode()) == seed_format._SCAN_CHUNK - 1
    thread = read_seed(data)
    assert len(thread.tree) == 2
    assert thread.tree.get(2).text == "second comment"
