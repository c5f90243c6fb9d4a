"""One safety policy: the screen, the clipboard, printed text and messages agree on
which characters are unsafe, each in its own way of making them harmless."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.core import outline, safety
from tui.core.formats.plaintext import read_seed
from tui.core.quoting import quote
from tui.core.safety import UNSAFE, for_clipboard, is_unsafe, on_screen, one_line, visible

NBSP_LINE = "\n\u00a0\n"

# Every code point of the first planes' interesting blocks, and the unsafe ones
# beyond, each once.
CORPUS = sorted(
    {*range(0x3000), *range(0xFE00, 0x10000), *range(0xD800, 0xD810), *range(0xDFF0, 0xE000)}
    | set(UNSAFE)
)


def chars(unsafe: bool) -> str:
    return "".join(chr(c) for c in CORPUS if is_unsafe(chr(c)) == unsafe)


# -- the clipboard ------------------------------------------------------------------------------


def test_clean_removes_whole_escape_sequences() -> None:
    assert for_clipboard("a\x1b[2Jb") == "ab"
    assert for_clipboard("a\x1b]52;c;aGk=\x07b") == "ab"
    assert for_clipboard("a\x1b]52;c;aGk=\x1b\\b") == "ab"
    assert for_clipboard("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert for_clipboard("red\x1b[1;31mtext\x1b[0m") == "redtext"
    assert for_clipboard("a\x1b[?25lb") == "ab"


def test_clean_keeps_the_words_of_mis_decoded_quotes() -> None:
    assert for_clipboard("â€\x9cquote\x07â€\x9d and â€\x9cmore â€\x9d") == "â€quoteâ€ and â€more â€"


def test_clean_removes_control_characters() -> None:
    assert for_clipboard("ding\x07dong") == "dingdong"
    assert for_clipboard("evil\u202eexe.txt") == "evilexe.txt"
    assert for_clipboard("\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069x") == "x"
    assert for_clipboard("a\x00b\x7fc\x85d\x9fe\x1b") == "abcde"
    assert for_clipboard("reset\x1bc here") == "reset here"


def test_clean_keeps_newlines_tabs_and_text() -> None:
    assert for_clipboard("one\r\ntwo\rthree\n\tfour") == "one\ntwo\nthree\n\tfour"
    text = "Ünïcödé, emoji 🍕😂, Arabic مرحبا, zero\u200bwidth"
    assert for_clipboard(text) == text


# -- titles and quotes ---------------------------------------------------------------


def test_the_table_holds_what_the_hostile_input_issue_names() -> None:
    for code in (0x1B, 0x07, 0x0D, 0x7F, 0x9B, 0x202E, 0x2066, 0x200E, 0x200F, 0x061C):
        assert code in UNSAFE, hex(code)
    for code in (0x2028, 0x2029, 0xFEFF, 0xD800, 0xDFFF):
        assert code in UNSAFE, hex(code)
    for char in "\n\t aé日🤔\u00a0\u200d":
        assert not is_unsafe(char), repr(char)


def test_the_screen_changes_exactly_the_unsafe_characters() -> None:
    for code in CORPUS:
        char = chr(code)
        if char in "\t\n":
            continue
        shown = on_screen(char)
        assert len(shown) == 1
        assert (shown != char) == is_unsafe(char), hex(code)
        if is_unsafe(char):
            assert shown in safety.CONTROL_SYMBOLS and not is_unsafe(shown)
    # The widgets use the same function.
    assert outline.display_text is on_screen


def test_the_screen_keeps_offsets_and_marks_where_the_unsafe_ones_were() -> None:
    raw = "a\x1bb\u2028c\ufeffd\u200ee\ud800f\tg"
    assert len(on_screen(raw)) == len(raw)
    assert safety.control_positions(raw) == [1, 3, 5, 7, 9]


def test_the_clipboard_removes_exactly_the_unsafe_characters() -> None:
    for code in CORPUS:
        char = chr(code)
        if char in "\r\x1b":  # line ending, escape introducer: tested above
            continue
        copied = for_clipboard(f"a{char}b")
        assert (char not in copied) == is_unsafe(char), hex(code)
        assert not any(is_unsafe(c) for c in copied if c not in "\n\t")


def test_line_and_paragraph_separators_paste_as_line_breaks() -> None:
    assert for_clipboard("one\u2028two\u2029three") == "one\ntwo\nthree"
    assert for_clipboard("\ufeffbom \u200fmark\u061c") == "bom mark"


def test_printing_spells_out_exactly_the_unsafe_characters() -> None:
    for code in CORPUS:
        char = chr(code)
        if char in "\t\n":
            continue
        assert (visible(char) != char) == is_unsafe(char), hex(code)
        assert not any(is_unsafe(c) for c in visible(char))


def test_one_line_for_messages() -> None:
    assert one_line("a\nb\r\n  c\u2028d\x1b") == "a b␍ c⟪U+2028⟫d␛"


def test_quotes_grep_and_screen_agree_on_a_hostile_thread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Not NUL (the file would count as binary), not line breaks or surrogates (a
    # file cannot hold those as text); each after a word, as in a real comment.
    hostile = [
        c for c in chars(unsafe=True) if c not in "\x00\r\n" and not 0xD800 <= ord(c) < 0xE000
    ]
    # One a line: what follows ESC on its line would be taken as part of a sequence.
    words = "\n".join(f"word{c}" for c in hostile)
    path = tmp_path / "t.txt"
    text = NBSP_LINE.join(["Title\n\nArticle", f"needle {words} end"])
    path.write_text(text, encoding="utf-8")
    thread = read_seed(path.read_bytes())
    assert main(["grep", "word", str(path)]) == 0  # every line that holds one
    printed = capsys.readouterr().out
    copied = quote(thread, 1)
    shown = on_screen(thread.tree.get(1).text)
    for char in hostile:
        assert char not in printed, hex(ord(char))
        assert char not in copied, hex(ord(char))
        assert char not in shown, hex(ord(char))
    assert "needle" in printed and "needle" in copied and "needle" in shown
    assert copied.count("word") == len(hostile) == printed.count("word")
