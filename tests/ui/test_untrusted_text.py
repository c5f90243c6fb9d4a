"""Thread text comes from the web: it must show literally and do nothing."""

from __future__ import annotations

from pathlib import Path

import pyperclip
import pytest

from tui.core.formats.detect import read_thread
from tui.ui.app import ThreadReaderApp
from tui.ui.screens.reader import ReaderScreen

NBSP = "\u00a0"
HOSTILE = [
    ("[bold]x[/]", "[bold]x[/]"),
    ("[@click=app.quit]click me[/]", "[@click=app.quit]click me[/]"),
    ("[link=file:///etc/passwd]passwords[/link]", "[link=file:///etc/passwd]passwords[/link]"),
    ("before\x1b[2Jafter", "before␛[2Jafter"),
    ("osc\x1b]52;c;aGk=\x07end", "osc␛]52;c;aGk=␇end"),
    ("bidi \u202eevil\u202c text", "bidi ⸮evil⸮ text"),
    ("bell\x07 and backspace\x08", "bell␇ and backspace␈"),
    ("c1 \x9b31m control", "c1 \ufffd31m control"),
]


def hostile_thread(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(
        f"[b]Title[/b] \x1b[31m\n\nArticle {text}\n{NBSP}\n{text}\n{NBSP}\nsafe", "utf-8"
    )
    return path


def screen_text(app: ThreadReaderApp) -> str:
    """Everything the reader screen's panes would draw, as plain text."""
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    lines = []
    for widget in (screen.article, screen.comments):
        for y in range(widget.scrollable_content_region.height):
            lines.append(widget.render_line(y).text)
    return "\n".join(lines)


@pytest.mark.parametrize(("raw", "shown"), HOSTILE)
async def test_hostile_text_is_shown_literally(tmp_path: Path, raw: str, shown: str) -> None:
    app = ThreadReaderApp(read_thread(hostile_thread(tmp_path, raw)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert shown in text
        assert f"Article {shown}" in text
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "[b]Title[/b] ␛[31m" in text
        assert app.screen.title == "[b]Title[/b] ␛[31m"
        # Clicking the text that would be a markup action does nothing but focus.
        await pilot.click(app.screen.comments, offset=(10, 1))
        await pilot.pause()
        assert app.is_running


async def test_header_shows_the_title_as_text(tmp_path: Path) -> None:
    app = ThreadReaderApp(read_thread(hostile_thread(tmp_path, "x")))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = app.screen.query_one("HeaderTitle")
        shown = str(header.render())
        assert "[b]Title[/b] ␛[31m" in shown
        assert "\x1b" not in shown


@pytest.mark.parametrize(("raw", "_shown"), HOSTILE)
async def test_copied_text_has_no_control_characters(
    tmp_path: Path, raw: str, _shown: str, monkeypatch
) -> None:
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    app = ThreadReaderApp(read_thread(hostile_thread(tmp_path, raw)), clipboard_route="system")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y", "Y")
    assert len(copied) == 2
    for text in copied:
        assert not any((ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0 for ch in text)
        assert "\u202e" not in text
