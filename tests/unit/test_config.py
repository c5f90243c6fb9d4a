"""The config file: where it is, what it holds, and that a bad one never stops the app."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tui.commands import config as config_command
from tui.settings.config import (
    CONFIG_ENV,
    Settings,
    config_path,
    default_config,
    load_settings,
    read_settings,
    user_themes_dir,
)
from tui.settings.keymap import binding_ids, key_sections

IDS = {"next", "previous", "quit", "next-top"}
THEMES = {"dark", "light"}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test reads its own config file path and writes no real state."""
    path = tmp_path / "config" / "config.toml"
    monkeypatch.setenv(CONFIG_ENV, str(path))
    monkeypatch.setenv("THREADREAD_STATE", str(tmp_path / "state" / "state.sqlite3"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read(text: str) -> tuple[Settings, list[str]]:
    settings, notices = read_settings(text, "cfg.toml", binding_ids=IDS, theme_names=THEMES)
    return settings, [notice.message for notice in notices]


# -- where --------------------------------------------------------------------------


def test_the_environment_names_the_file_and_the_themes_go_beside_it(tmp_path: Path) -> None:
    assert config_path() == tmp_path / "config" / "config.toml"
    assert user_themes_dir() == tmp_path / "config" / "themes"


def test_without_the_environment_the_platform_folder_is_used() -> None:
    path = config_path(environ={})
    assert path.name == "config.toml" and path.parent.name == "threadread"


# -- reading ------------------------------------------------------------------------


def test_no_file_gives_the_defaults_quietly(tmp_path: Path) -> None:
    settings, notices = load_settings(tmp_path / "absent.toml")
    assert settings == Settings() and notices == []
    assert not (tmp_path / "absent.toml").exists()


def test_a_file_named_by_the_environment_that_is_missing_is_a_notice(isolated: Path) -> None:
    settings, notices = load_settings()
    assert settings == Settings()
    assert len(notices) == 1
    assert f"{CONFIG_ENV} names {isolated}, which does not exist" in notices[0].message


def test_every_setting_is_read() -> None:
    text = """
theme = "light"
article-folded = true
max_width = 72
comments-folded = true
clipboard = "osc52"

[keys]
next = "x"
previous = " w , up "
"""
    settings, notices = read(text)
    assert notices == []
    assert settings == Settings(
        theme="light",
        article_folded=True,
        max_width=72,
        comments_folded=True,
        clipboard="osc52",
        keys={"next": "x", "previous": "w,up"},
    )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('theme = "nope"', 'line 2: theme: no theme is named "nope"; using the default theme'),
        ('theme = "lihgt"', 'no theme is named "lihgt" (did you mean "light"?)'),
        ("theme = 3", "line 2: theme: expected a theme name in quotes"),
        ('article-folded = "yes"', "line 2: article-folded: expected true or false; using the"),
        (
            "max-width = 5",
            "max-width: expected a whole number from 20 to 1000; using the default, 100",
        ),
        ("max-width = 80.5", "line 2: max-width: expected a whole number"),
        ("max-width = true", "line 2: max-width: expected a whole number"),
        ('clipboard = "xclip"', 'clipboard: expected one of "auto", "system", "osc52", "off"'),
        ("max-widht = 80", 'max-widht: unknown setting (did you mean "max-width"?); ignored'),
    ],
)
def test_a_bad_setting_names_file_line_and_setting_and_keeps_the_rest(
    line: str, expected: str
) -> None:
    settings, notices = read(f'comments-folded = true\n{line}\n[keys]\nnext = "x"\n')
    assert len(notices) == 1
    assert notices[0].startswith("cfg.toml, line 2: ")
    assert expected in notices[0], notices[0]
    # The settings around the broken one still apply; the broken one is the default.
    assert settings.comments_folded is True and settings.keys == {"next": "x"}
    assert settings.max_width == 100 and settings.theme is None
    assert settings.clipboard == "auto" and settings.article_folded is False


def test_a_setting_given_twice_is_reported_and_the_first_kept() -> None:
    settings, notices = read("max-width = 70\nmax-width = 80\n")
    assert notices == [
        "cfg.toml, line 2: not valid TOML (cannot overwrite a value); this line is ignored"
    ]
    assert settings.max_width == 70


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('nxt = "x"', 'keys.nxt: no key binding has this id (did you mean "next"?); ignored'),
        ('next = "x y"', "line 3: keys.next: expected one key or several separated by commas"),
        ('next = ""', "line 3: keys.next: expected one key or several"),
        ('next = "x,,y"', "line 3: keys.next: expected one key or several"),
        ("next = 1", "line 3: keys.next: expected keys in quotes"),
    ],
)
def test_a_bad_key_binding_keeps_its_defaults(entry: str, expected: str) -> None:
    settings, notices = read(f'max-width = 70\n[keys]\n{entry}\nquit = "ctrl+q"\n')
    assert len(notices) == 1 and expected in notices[0], notices
    assert settings.keys == {"quit": "ctrl+q"} and settings.max_width == 70


def test_keys_must_be_a_table() -> None:
    _, notices = read("max-width = 70\nkeys = 3\n")
    assert notices == ['cfg.toml, line 2: keys: expected a [keys] table of binding id = "key"']


def test_dotted_keys_are_found_for_their_line() -> None:
    _, notices = read('max-width = 70\nkeys.nope = "x"\n')
    assert notices[0].startswith("cfg.toml, line 2: keys.nope:")


def test_a_line_that_is_not_toml_costs_that_line_only() -> None:
    settings, notices = read("max-width = 70\nclipboard = off\ncomments-folded = true\n")
    assert notices == ["cfg.toml, line 2: not valid TOML (invalid value); this line is ignored"]
    assert settings.max_width == 70 and settings.comments_folded is True
    assert settings.clipboard == "auto"


def test_a_file_that_cannot_be_saved_gives_the_defaults() -> None:
    settings, notices = read('max-width = 70\ntext = """never closed\n')
    assert settings == Settings()
    assert len(notices) == 1 and "using the default settings" in notices[0]


def test_a_file_that_is_not_utf8_gives_the_defaults(isolated: Path) -> None:
    isolated.parent.mkdir(parents=True)
    isolated.write_bytes(b"max-width = 70\n# caf\xe9\n")
    settings, notices = load_settings()
    assert settings == Settings()
    assert notices[0].message == f"{isolated}, line 2: not UTF-8 text; using the default settings"


def test_a_folder_where_the_file_should_be_is_a_notice(isolated: Path) -> None:
    isolated.mkdir(parents=True)
    settings, notices = load_settings()
    assert settings == Settings()
    assert f"{isolated}: cannot be read" in notices[0].message


# -- the default file ---------------------------------------------------------------


def test_the_default_file_is_valid_and_says_the_defaults(isolated: Path) -> None:
    text = default_config(key_sections(), isolated)
    assert tomllib.loads(text) == {"keys": {}}
    # Uncommenting every setting gives exactly the defaults.
    uncommented = "\n".join(
        re.sub(r"\s+# .*$", "", line[2:]) if re.match(r"# [a-z-]+ = ", line) else line
        for line in text.splitlines()
    )
    doc = tomllib.loads(uncommented)
    assert doc["theme"] == "dark" and doc["max-width"] == 100
    assert doc["keys"]["next"] == "j,down" and doc["keys"]["theme"] == "ctrl+t"
    write(isolated, uncommented)
    settings, notices = load_settings(binding_ids=binding_ids())
    assert notices == []
    assert settings.max_width == 100 and settings.clipboard == "auto"


def test_config_command_path(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert config_command.run(["--path"]) == 0
    assert capsys.readouterr().out == f"{isolated}\n"


def test_config_command_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert config_command.run(["--default"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# threadread configuration.")
    assert '# clipboard = "auto"' in out and "[keys]" in out
    assert '# search = "slash"' in out


def test_config_command_checks_the_file(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(isolated, 'max-width = 70\n[keys]\nnext = "x"\n')
    assert config_command.run([]) == 0
    assert "No problems found." in capsys.readouterr().out
    write(isolated, 'max-width = 7\n[keys]\nnxt = "x"\n')
    assert config_command.run([]) == 1
    out = capsys.readouterr().out
    assert f"{isolated}, line 1: max-width:" in out
    assert f"{isolated}, line 3: keys.nxt:" in out


def test_reading_settings_writes_nothing_and_imports_no_ui(tmp_path: Path) -> None:
    """Importing and reading create no folder; `tui.settings.config` stays free of Textual."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
    }
    env.pop(CONFIG_ENV, None)
    env.pop("THREADREAD_STATE", None)
    code = (
        "import sys; import tui.settings.config as c; c.load_settings(); "
        "assert 'textual' not in sys.modules, 'textual imported'; "
        "import tui.ui.app, tui.settings.themes, tui.state.files; "
        "tui.state.files.remembered_theme(None); "
        "tui.settings.themes.ThemeCatalog.load(c.user_themes_dir())"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    assert list(home.iterdir()) == []


def test_a_key_taken_from_another_action_is_reported() -> None:
    text = 'max-width = 70\n[keys]\nnext = "k"\nquit = "j"\n'
    settings, notices = read_settings(text, "cfg.toml", binding_ids=binding_ids())
    messages = [n.message for n in notices]
    assert messages[0] == (
        'cfg.toml, line 3: keys.next: "k" is bound to both next (Comments) '
        "and previous (Comments); next wins"
    )
    assert (
        'cfg.toml, line 4: keys.quit: "j" is bound to both article-down (Article pane) '
        "and quit (Anywhere); article-down wins"
    ) in messages
    # Reported, not refused: the user may mean it.
    assert settings.keys == {"next": "k", "quit": "j"}


def test_a_key_given_to_two_actions_is_reported() -> None:
    text = '[keys]\nnext = "x"\nprevious = "x"\n'
    _, notices = read_settings(text, "cfg.toml", binding_ids=binding_ids())
    assert [n.message for n in notices] == [
        'cfg.toml, line 2: keys.next: "x" is bound to both next (Comments) '
        "and previous (Comments); next wins"
    ]


def test_a_key_shadowing_an_outer_action_is_reported() -> None:
    """The comment list sees `n` before the reader: `next = "n,down"` takes `n` from
    "next match", which is in another section but active at the same time."""
    text = '[keys]\nnext = "n,down"\n'
    _, notices = read_settings(text, "cfg.toml", binding_ids=binding_ids())
    assert [n.message for n in notices] == [
        'cfg.toml, line 2: keys.next: "n" is bound to both next (Comments) '
        "and next-match (Reader); next wins"
    ]


def test_keys_in_separate_places_do_not_conflict() -> None:
    # The basket is a dialog: its `y` never meets the reader's.
    text = '[keys]\nbasket-copy = "c"\ncopy-quote = "c"\npane-reader = "tab,l"\n'
    _, notices = read_settings(text, "cfg.toml", binding_ids=binding_ids())
    assert notices == []


def test_config_check_reports_each_conflict(
    isolated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(isolated, '[keys]\nnext = "n,down"\n')
    assert config_command.run(["--check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f'{isolated}, line 2: keys.next: "n" is bound to both next (Comments) '
        "and next-match (Reader); next wins"
    ]
    write(isolated, '[keys]\nnext = "j,down,ctrl+n"\n')
    assert config_command.run(["--check"]) == 0
    assert capsys.readouterr().out == "no problems\n"


def test_the_readme_keys_example_conflicts_with_nothing() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"\(`([a-z-]+ = \"[^\"]*\")`\)", readme)
    assert examples, "the README gives a [keys] example"
    for example in examples:
        _, notices = read_settings(f"[keys]\n{example}\n", "cfg.toml", binding_ids=binding_ids())
        assert notices == [], example


def test_the_default_file_needs_no_ui() -> None:
    """The key table is plain data: `threadread config --default` loads no Textual."""
    code = (
        "import io, sys, contextlib; from tui.commands import config; "
        "contextlib.redirect_stdout(io.StringIO()).__enter__(); config.run(['--default']); "
        "assert 'textual' not in sys.modules and 'tui.ui' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
