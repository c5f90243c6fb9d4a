"""Themes and the config file as a user meets them: at start-up, in the picker, by keys."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pilot_helpers import comment
from rich.segment import Segment

from tui import cli
from tui.state.files import remembered_theme
from tui.ui.app import ThreadReaderApp
from tui.ui.dialogs.help import HelpScreen
from tui.ui.dialogs.theme_picker import ThemePicker
from tui.ui.factory import make_app
from tui.ui.launch import read_preferences
from tui.ui.screens.reader import ReaderScreen


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Config, user themes and state all live in the test's own folder."""
    config(tmp_path, "")
    monkeypatch.setenv("THREADREAD_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("THREADREAD_STATE", str(tmp_path / "state" / "state.sqlite3"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def thread_path(tmp_path: Path) -> Path:
    doc = {
        "format": "threadread/1",
        "title": "Themes",
        "article": "An article.",
        "comments": [
            comment("one", "ann", [comment("two", "bob")]),
            comment("three", "cy"),
        ],
    }
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def user_theme(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "config" / "themes" / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def started(thread_path: Path, theme: str | None = None) -> ThreadReaderApp:
    """The app as `threadread [--theme NAME] PATH` starts it."""
    return make_app(thread_path, theme=theme, remember_theme=True)


def reader(app: ThreadReaderApp) -> ReaderScreen:
    screen = next(s for s in reversed(app.screen_stack) if isinstance(s, ReaderScreen))
    return screen


def messages(app: ThreadReaderApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def segment(app: ThreadReaderApp, text: str) -> Segment:
    """The first segment of the comment list that shows `text`."""
    comments = reader(app).comments
    for y in range(comments.size.height):
        for seg in comments.render_line(y):
            if seg.text == text:
                return seg
    raise AssertionError(f"{text!r} is not on screen")


def hex_colour(seg: Segment) -> str:
    assert seg.style is not None and seg.style.color is not None
    triplet = seg.style.color.triplet
    assert triplet is not None
    return triplet.hex


# -- NO_COLOR and --theme -------------------------------------------------------------


async def test_no_color_picks_monochrome(
    thread_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "monochrome"
        assert app.no_color


async def test_a_theme_named_explicitly_wins_over_no_color(
    thread_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "")
    app = started(thread_path, theme="light")
    assert os.environ["NO_COLOR"] == ""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "light"
        # Textual would grey every colour; the named theme is meant to be seen.
        assert not app.no_color
        assert hex_colour(segment(app, "#1")) == "#0550ae"


def test_an_unknown_theme_exits_2_listing_the_names(
    thread_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--theme", "purple", str(thread_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("threadread: unknown theme 'purple'; the themes are: ansi, dark,")
    assert "monochrome" in err and "solarized-dark" in err


# -- user themes ----------------------------------------------------------------------


async def test_a_user_theme_of_the_same_name_overrides(thread_path: Path, tmp_path: Path) -> None:
    user_theme(tmp_path, "dark", '[colors]\nprimary = "#336699"\n[reader]\nnumber = "#ff00ff"\n')
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "dark"
        entry = app.themes.get("dark")
        assert entry is not None and entry.source == "user" and entry.replaces_bundled
        assert hex_colour(segment(app, "#1")) == "#ff00ff"
        assert messages(app) == []


async def test_a_user_theme_can_be_named(thread_path: Path, tmp_path: Path) -> None:
    user_theme(tmp_path, "mine", '[colors]\nprimary = "#336699"\n[reader]\nauthor = "#00ff00"\n')
    app = started(thread_path, theme="mine")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "mine"
        assert hex_colour(segment(app, "ann")) == "#00ff00"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[colors]\nprimary = "#336699"\n[reader\n', "line 3: not valid TOML"),
        ('shade = "dark"\n[colors]\nprimary = "#336699"\n', "line 1, shade: unknown key"),
        ('[colors]\nprimary = "#336699"\naccent = "orangeish"\n', "line 3, [colors] accent: "),
    ],
    ids=["bad-toml", "unknown-key", "bad-colour"],
)
async def test_a_broken_theme_is_one_notice_and_the_default_theme(
    thread_path: Path, tmp_path: Path, text: str, problem: str
) -> None:
    path = user_theme(tmp_path, "mine", text)
    config(tmp_path, 'theme = "mine"\n')
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "dark"
        notices = messages(app)
        assert len(notices) == 1, notices
        assert notices[0].startswith(f"{path}: {problem}")
        assert notices[0].endswith("; using the 'dark' theme instead")
        assert isinstance(app.screen, ReaderScreen)


async def test_a_broken_theme_not_in_use_is_still_reported(
    thread_path: Path, tmp_path: Path
) -> None:
    path = user_theme(tmp_path, "other", '[colors]\nprimary = "#33669"\n')
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "dark"
        assert messages(app) == [
            f"{path}: line 2, [colors] primary: '#33669' is not a colour; use #rrggbb, "
            "rgb(r, g, b), a colour name or an ANSI name such as ansi_blue; "
            "the theme is left out"
        ]


# -- the config file ------------------------------------------------------------------


async def test_a_bad_config_file_is_notices_and_defaults_for_what_is_broken(
    thread_path: Path, tmp_path: Path
) -> None:
    path = config(
        tmp_path,
        'comments-folded = true\nmax-width = "wide"\ntheme = "nope"\nclipboard = off\n'
        '[keys]\nnext = "x"\nnxet = "y"\n',
    )
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert messages(app) == [
            f"{path}, line 4: not valid TOML (invalid value); this line is ignored",
            f"{path}, line 2: max-width: expected a whole number from 20 to 1000; "
            "using the default, 100",
            f'{path}, line 3: theme: no theme is named "nope"; using the default theme',
            f'{path}, line 7: keys.nxet: no key binding has this id (did you mean "next"?); '
            "ignored",
        ]
        assert app.theme == "dark"
        assert app.settings.max_width == 100 and app.clipboard_route == "auto"
        comments = reader(app).comments
        # What was fine still applies: comments start folded and `x` moves.
        assert comments.folded == {1, 2, 3}
        await pilot.press("x")
        assert comments.focused == 3


async def test_an_unparsable_config_file_still_starts(thread_path: Path, tmp_path: Path) -> None:
    path = config(tmp_path, 'theme = """light\n')
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.settings.theme is None and app.theme == "dark"
        [notice] = messages(app)
        assert notice.startswith(f"{path}") and "using the default settings" in notice


async def test_a_remapped_key_moves_the_focus(thread_path: Path, tmp_path: Path) -> None:
    config(tmp_path, '[keys]\nnext = "x"\nprevious = "w,up"\n')
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        comments = reader(app).comments
        assert comments.focused == 1
        await pilot.press("x")
        assert comments.focused == 2
        await pilot.press("j")  # the old key no longer moves
        assert comments.focused == 2
        await pilot.press("x", "w")
        assert comments.focused == 2
        await pilot.press("up")
        assert comments.focused == 1
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = {b.id: b.key for _, bindings in app.help_sections() for b in bindings}
        assert keys["next"] == "x" and keys["previous"] == "w,up"


async def test_settings_from_the_config_file_reach_the_reader(
    thread_path: Path, tmp_path: Path
) -> None:
    config(tmp_path, 'article-folded = true\nmax-width = 40\nclipboard = "off"\n')
    app = started(thread_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = reader(app)
        assert screen.article_folded and screen.max_width == 40
        assert app.clipboard_route == "off"


# -- the picker -----------------------------------------------------------------------


async def test_ctrl_t_previews_themes_and_escape_puts_the_old_one_back(
    thread_path: Path, tmp_path: Path
) -> None:
    app = started(thread_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = hex_colour(segment(app, "#1"))
        await pilot.press("ctrl+t")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ThemePicker)
        names = [entry.name for entry in picker.entries]
        assert picker.options.highlighted == names.index("dark")
        await pilot.press("down")
        await pilot.pause()
        assert app.theme == names[names.index("dark") + 1] == "high-contrast"
        # The reader beneath is redrawn in the theme being previewed.
        assert hex_colour(segment(app, "#1")) == "#ffff00" != before
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.theme == "dark"
        assert hex_colour(segment(app, "#1")) == before
        await app.workers.wait_for_complete()
    assert remembered_theme(None) is None
    assert not (tmp_path / "state" / "theme.json").exists()


async def test_a_theme_chosen_in_the_picker_is_remembered(
    thread_path: Path, tmp_path: Path
) -> None:
    app = started(thread_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t", "down", "down", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert isinstance(app.screen, ReaderScreen)
        assert app.theme == "light"
    assert remembered_theme(None) == "light"
    again = read_preferences()
    assert (again.theme.name, again.theme.why) == ("light", "chosen in the app")


async def test_the_command_palette_theme_command_opens_the_picker(thread_path: Path) -> None:
    app = started(thread_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        commands = [c for c in app.get_system_commands(app.screen) if c.title == "Theme"]
        assert len(commands) == 1
        commands[0].callback()
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)


async def test_the_picker_key_can_be_remapped_too(thread_path: Path, tmp_path: Path) -> None:
    config(tmp_path, '[keys]\ntheme = "f2"\n')
    app = started(thread_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ThemePicker)
        await pilot.press("escape")
