"""Themes as data: the bundled files, user files, broken files, and which one is used."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from tui.commands import themes as themes_command
from tui.core.paths import themes_dir
from tui.settings.config import Settings
from tui.settings.themes import (
    DEFAULT_THEME,
    MONOCHROME_THEME,
    READER_KEYS,
    READER_ROLES,
    READER_VARIABLES,
    ThemeCatalog,
    ThemeEntry,
    UnknownThemeError,
    choose_theme,
    read_theme,
    startup_theme,
)
from tui.state import files as state_files
from tui.ui.theming import build_theme, reader_defaults, variable_defaults

BUNDLED = sorted(path.stem for path in themes_dir().glob("*.toml"))
MINIMAL = '[colors]\nprimary = "#336699"\n'


def built(entry: ThemeEntry | None) -> Theme:
    """The Textual theme the app makes of a catalogue entry."""
    assert entry is not None
    return build_theme(entry.spec)


def read_built(text: str) -> Theme:
    spec, _, problems = read_theme("mine", text)
    assert problems == [] and spec is not None
    return build_theme(spec)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real config or state folders, or sees NO_COLOR."""
    monkeypatch.setenv("THREADREAD_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("THREADREAD_STATE", str(tmp_path / "state" / "state.sqlite3"))
    monkeypatch.delenv("NO_COLOR", raising=False)


def user_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "config" / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- the bundled themes ---------------------------------------------------------------


def test_the_bundled_themes_cover_what_users_need() -> None:
    assert {
        "dark",
        "light",
        "high-contrast",
        "ansi",
        "monochrome",
        "solarized-dark",
    } <= set(BUNDLED)
    assert DEFAULT_THEME in BUNDLED and MONOCHROME_THEME in BUNDLED


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_theme_loads(name: str) -> None:
    catalog = ThemeCatalog.load()
    assert catalog.problems == []
    entry = catalog.get(name)
    assert entry is not None and entry.source == "bundled"
    assert entry.description
    # Textual can build its whole colour system from it.
    assert built(entry).to_color_system().generate()
    # Every reader variable is there, from the file or derived.
    variables = {**variable_defaults(built(entry)), **built(entry).variables}
    assert set(READER_VARIABLES) <= set(variables)


def _colour_values(name: str) -> list[str]:
    doc = tomllib.loads((themes_dir() / f"{name}.toml").read_text(encoding="utf-8"))
    values = list(doc.get("colors", {}).values())
    values += [v for k, v in doc.get("reader", {}).items() if not k.endswith("-style")]
    values += [v for k, v in doc.get("variables", {}).items() if not k.endswith("-style")]
    return values


def test_the_ansi_theme_uses_only_the_terminals_colours() -> None:
    entry = ThemeCatalog.load().get("ansi")
    assert entry is not None and entry.spec.ansi and entry.kind == "terminal"
    assert all(value.startswith("ansi_") for value in _colour_values("ansi"))


def test_the_monochrome_theme_has_no_colour() -> None:
    entry = ThemeCatalog.load().get(MONOCHROME_THEME)
    assert entry is not None and entry.spec.ansi
    assert set(_colour_values(MONOCHROME_THEME)) <= {"ansi_default", "ansi_black", "ansi_white"}
    # No colour to tell them apart: focus, matches and markers differ in style.
    v = built(entry).variables
    styles = [v["reader-focused-style"], v["reader-match-style"], v["reader-control-style"]]
    assert len(set(styles)) == len(styles)
    # The current match is the one place black and white are used: a block of its own.
    assert (v["reader-current-match"], v["reader-current-match-background"]) == (
        "ansi_black",
        "ansi_white",
    )


@pytest.mark.parametrize("name", BUNDLED)
def test_every_theme_keeps_focus_matches_and_markers_apart(name: str) -> None:
    entry = ThemeCatalog.load().get(name)
    assert entry is not None
    v = {**reader_defaults(built(entry)), **built(entry).variables}

    def look(role: str) -> tuple[str, str, str]:
        return tuple(v[f"reader-{role}{part}"] for part in ("", "-background", "-style"))

    looks = [look(role) for role in ("focused", "match", "current-match", "control")]
    assert len(set(looks)) == len(looks)


# -- reading a theme file -------------------------------------------------------------


def test_a_minimal_theme_gets_every_role_derived() -> None:
    spec, description, problems = read_theme("mine", MINIMAL)
    assert problems == [] and spec is not None and description == ""
    defaults = reader_defaults(build_theme(spec))
    assert set(defaults) == set(READER_VARIABLES)
    for key, value in defaults.items():
        if not key.endswith("-style") and value != "transparent":
            assert Color.parse(value).a == 1, key


@pytest.mark.parametrize("builtin", sorted(BUILTIN_THEMES))
def test_reader_defaults_work_for_any_textual_theme(builtin: str) -> None:
    defaults = variable_defaults(BUILTIN_THEMES[builtin])
    assert set(READER_VARIABLES) <= set(defaults)
    assert {"ansi-background", "ansi-foreground"} <= set(defaults)


def test_reader_colours_with_opacity_are_blended_over_the_surface() -> None:
    text = (
        MINIMAL
        + """surface = "#000000"
[reader]
match-background = "#ffffff 50%"
author = "none"
guide-style = "dim italic"
"""
    )
    theme = read_built(text)
    blended = Color.parse(theme.variables["reader-match-background"])
    assert blended.a == 1 and 120 <= blended.r <= 135
    # "none" as a text colour is the normal text colour, never invisible text.
    foreground = theme.to_color_system().generate()["foreground"]
    assert theme.variables["reader-author"] == foreground
    assert theme.variables["reader-guide-style"] == "dim italic"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[colors\nprimary = 1", "line 1: not valid TOML"),
        (MINIMAL + "colour = 1\n", "line 3, [colors] colour: unknown colour"),
        ('colour = "x"\n' + MINIMAL, "line 1, colour: unknown key (did you mean 'colors'?)"),
        ('[colors]\nprimary = "blurple"\n', "line 2, [colors] primary: 'blurple' is not a colour"),
        ('[colors]\nprimary = "#12345"\n', "[colors] primary: '#12345' is not a colour"),
        ('[colors]\nsecondary = "red"\n', "[colors] primary: missing"),
        (MINIMAL + 'accent = "#ff0000 50%"\n', "[colors] accent: '#ff0000 50%': a base colour"),
        (MINIMAL + '[reader]\nnumbr = "red"\n', "[reader] numbr: unknown role (did you mean"),
        (MINIMAL + '[reader]\nmatch = "nope"\n', "line 4, [reader] match: 'nope' is not a colour"),
        (MINIMAL + '[reader]\nmatch-style = "blink-ish"\n', "'blink-ish' is not a text style"),
        (MINIMAL + "[reader]\nmatch = 3\n", "[reader] match: expected a colour"),
        (MINIMAL + '[variables]\nfooter-kye = "red"\n', "[variables] footer-kye: unknown"),
        (MINIMAL + '[variables]\nprimary = "red"\n', "set it in [colors]"),
        (MINIMAL + '[variables]\nreader-number = "red"\n', "set it in [reader]"),
        (MINIMAL + '[variables]\nborder = "#zz"\n', "[variables] border: '#zz' is not a colour"),
        ('dark = "yes"\n' + MINIMAL, "dark: expected true or false"),
    ],
)
def test_a_broken_theme_names_the_key_and_the_problem(text: str, expected: str) -> None:
    theme, _, problems = read_theme("mine", text)
    assert theme is None
    assert any(expected in problem for problem in problems), problems


def test_a_number_too_big_for_a_float_is_a_problem_not_a_traceback() -> None:
    huge = "9" * 400
    text = f'[colors]\nprimary = "rgb({huge}, 0, 0)"\n[reader]\nmatch = "rgb(0, {huge}, 0) 50%"\n'
    spec, _, problems = read_theme("mine", text)
    assert spec is None
    assert len(problems) == 2 and all("is not a colour" in p for p in problems), problems


def test_every_problem_in_a_file_is_reported_at_once() -> None:
    text = '[colors]\nprimary = "nope"\naccent = "nope"\n[reader]\nwat = "red"\n'
    _, _, problems = read_theme("mine", text)
    assert len(problems) == 3


def test_textual_variables_and_opacity_are_accepted() -> None:
    text = MINIMAL + '[variables]\nfooter-key-foreground = "#ff0000"\nborder = "auto 50%"\n'
    theme = read_built(text)
    assert theme.variables["footer-key-foreground"] == "#ff0000"


# -- user themes ----------------------------------------------------------------------


def test_user_themes_join_and_override_the_bundled_ones(tmp_path: Path) -> None:
    folder = user_dir(
        tmp_path,
        {
            "mine.toml": 'description = "Mine"\n' + MINIMAL,
            "dark.toml": MINIMAL + '[reader]\nnumber = "#ff00ff"\n',
            "notes.txt": "not a theme",
        },
    )
    catalog = ThemeCatalog.load(folder)
    assert catalog.problems == []
    mine, dark = catalog.get("mine"), catalog.get("dark")
    assert mine is not None and mine.source == "user" and not mine.replaces_bundled
    assert dark is not None and dark.source == "user" and dark.replaces_bundled
    assert built(dark).variables["reader-number"] == "#FF00FF"
    assert set(BUNDLED) | {"mine"} == set(catalog.names())


def test_a_broken_user_file_leaves_the_bundled_theme_in_place(tmp_path: Path) -> None:
    folder = user_dir(tmp_path, {"dark.toml": "[colors\n", "bad name.toml": MINIMAL})
    catalog = ThemeCatalog.load(folder)
    dark = catalog.get("dark")
    assert dark is not None and dark.source == "bundled"
    assert {problem.path.name for problem in catalog.problems} == {"dark.toml", "bad name.toml"}
    notices = [notice.message for notice in catalog.notices()]
    assert any("dark.toml" in n and "the bundled theme of that name is used" in n for n in notices)
    assert any("bad name.toml" in n and "the file name is the theme's name" in n for n in notices)


def test_a_missing_user_folder_is_not_a_problem(tmp_path: Path) -> None:
    catalog = ThemeCatalog.load(tmp_path / "nowhere")
    assert catalog.problems == [] and catalog.names() == BUNDLED
    assert not (tmp_path / "nowhere").exists()


# -- choosing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "name", "explicit", "why"),
    [
        ({}, DEFAULT_THEME, False, "default"),
        ({"configured": "light"}, "light", True, "config file"),
        ({"remembered": "ansi", "configured": "light"}, "ansi", False, "chosen in the app"),
        ({"requested": "ansi", "configured": "light"}, "ansi", True, "--theme"),
        ({"no_color": True}, MONOCHROME_THEME, False, "NO_COLOR"),
        ({"no_color": True, "remembered": "light"}, MONOCHROME_THEME, False, "NO_COLOR"),
        ({"no_color": True, "configured": "light"}, "light", True, "config file"),
        ({"no_color": True, "requested": "light"}, "light", True, "--theme"),
        ({"configured": "gone"}, DEFAULT_THEME, False, "default"),
        ({"remembered": "gone"}, DEFAULT_THEME, False, "default"),
    ],
)
def test_choose_theme(kwargs: dict, name: str, explicit: bool, why: str) -> None:
    choice = choose_theme(ThemeCatalog.load(), **kwargs)
    assert (choice.name, choice.explicit, choice.why) == (name, explicit, why)


def test_an_unknown_requested_theme_is_an_error_listing_the_names() -> None:
    with pytest.raises(UnknownThemeError) as caught:
        choose_theme(ThemeCatalog.load(), requested="nope")
    message = str(caught.value)
    assert "'nope'" in message and "\n" not in message
    assert all(name in message for name in BUNDLED)


def test_a_broken_requested_theme_falls_back_with_one_notice(tmp_path: Path) -> None:
    catalog = ThemeCatalog.load(user_dir(tmp_path, {"mine.toml": "[colors\n"}))
    choice = choose_theme(catalog, requested="mine")
    assert choice.name == DEFAULT_THEME and choice.missing == "mine"
    notices = catalog.notices(choice)
    assert len(notices) == 1
    assert "mine.toml" in notices[0].message
    assert "using the 'dark' theme instead" in notices[0].message


def test_an_unknown_configured_theme_is_a_notice() -> None:
    catalog = ThemeCatalog.load()
    choice = choose_theme(catalog, configured="nope")
    assert [n.message for n in catalog.notices(choice)] == [
        "no theme is named 'nope'; using 'dark'"
    ]


def test_no_color_set_to_anything_picks_monochrome() -> None:
    catalog = ThemeCatalog.load()
    for value in ("1", "", "0"):
        choice = startup_theme(catalog, Settings(), environ={"NO_COLOR": value})
        assert choice.name == MONOCHROME_THEME


# -- remembering ----------------------------------------------------------------------


def test_the_choice_made_in_the_app_is_remembered(tmp_path: Path) -> None:
    assert state_files.remembered_theme(None) is None
    assert not (tmp_path / "state").exists()
    path = state_files.remember_theme("light", None)
    assert path.parent == tmp_path / "state"
    assert json.loads(path.read_text()) == {"theme": "light", "config_theme": None}
    assert state_files.remembered_theme(None) == "light"
    assert startup_theme(ThemeCatalog.load(), Settings()).name == "light"


def test_a_newer_config_file_theme_wins_over_an_older_choice() -> None:
    state_files.remember_theme("light", "ansi")
    assert state_files.remembered_theme("ansi") == "light"
    assert state_files.remembered_theme("solarized-dark") is None
    choice = startup_theme(ThemeCatalog.load(), Settings(theme="solarized-dark"))
    assert choice.name == "solarized-dark"


def test_a_garbled_state_file_reads_as_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "state"
    folder.mkdir()
    (folder / state_files.THEME_FILE).write_text("{not json")
    assert state_files.remembered_theme(None) is None
    (folder / state_files.THEME_FILE).write_text('["a list"]')
    assert state_files.remembered_theme(None) is None


# -- threadread themes ----------------------------------------------------------------


def test_themes_command_lists_every_theme_and_its_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user_dir(tmp_path, {"mine.toml": MINIMAL, "dark.toml": MINIMAL, "bad.toml": "[colors\n"})
    assert themes_command.run([]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    mine = next(line for line in lines if " mine " in line)
    assert "user" in mine and str(tmp_path / "config" / "themes" / "mine.toml") in mine
    dark = next(line for line in lines if " dark " in line)
    assert dark.startswith("*") and "replaces the bundled theme" in dark
    assert any(" light " in line and "bundled" in line for line in lines)
    assert "* in use: the default" in out
    assert f"User themes folder: {tmp_path / 'config' / 'themes'}" in out
    assert "bad.toml: line 1: not valid TOML" in err


def test_themes_command_names_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert themes_command.run(["--names"]) == 0
    assert capsys.readouterr().out.split() == BUNDLED


def test_reader_roles_are_documented_in_the_reference_theme() -> None:
    text = (themes_dir() / "dark.toml").read_text(encoding="utf-8")
    for role in READER_ROLES:
        assert f"\n{role}" in text, role
    assert set(READER_KEYS) == {
        f"{role}{part}" for role in READER_ROLES for part in ("", "-background", "-style")
    }
