"""User settings: what the config file can change, with defaults that need no file.

The config file is TOML, read from the platform's config folder (`threadread config
--path` says where) or from the file `THREADREAD_CONFIG` names.  Reading it never
fails: every problem becomes a `Notice` naming the file, the line and the setting,
and only that setting falls back to its default -- a typo on one line must cost the
user neither their reader nor the rest of their settings.

Nothing here touches the disk at import time or writes anything, and Textual is not
imported, so `threadread config` answers without loading the UI.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.core.paths import env_path

APP_NAME = "threadread"
CONFIG_ENV = "THREADREAD_CONFIG"
CONFIG_NAME = "config.toml"
CLIPBOARD_ROUTES = ("auto", "system", "osc52", "off")
MIN_WIDTH = 20
MAX_WIDTH = 1000
# A file with more broken lines than this is not worth salvaging line by line.
MAX_BAD_LINES = 20


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can set; each field's default is what threadread does untold."""

    theme: str | None = None
    article_folded: bool = False
    max_width: int = 100
    comments_folded: bool = False
    clipboard: str = "auto"
    keys: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Notice:
    """A problem found in one of the user's files, shown in the app as a notification.

    `message` names the file (and the line and setting, where there is one), so the
    user can go and fix it without guessing.
    """

    title: str
    message: str

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"


# -- where things are ---------------------------------------------------------------


def config_dir() -> Path:
    """The platform's config folder for threadread (it may not exist)."""
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False)


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """The config file that is read: `THREADREAD_CONFIG` if set, else the default."""
    env = os.environ if environ is None else environ
    named = env.get(CONFIG_ENV)
    if named:
        return env_path(CONFIG_ENV, named)
    return config_dir() / CONFIG_NAME


def user_themes_dir(environ: Mapping[str, str] | None = None) -> Path:
    """User themes live in `themes/` beside the config file in use.

    Beside the *file in use*, so that `THREADREAD_CONFIG` moves a user's whole setup
    (a dotfiles folder, a test's temporary folder) and not half of it.
    """
    return config_path(environ).parent / "themes"


# -- the settings a file can hold ----------------------------------------------------


def _toml(value: object) -> str:
    """A value as it would be written in the file, for messages and the default file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _check_bool(value: object) -> str | None:
    return None if isinstance(value, bool) else "expected true or false"


def _check_width(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and MIN_WIDTH <= value <= MAX_WIDTH:
        return None
    return f"expected a whole number from {MIN_WIDTH} to {MAX_WIDTH}"


def _check_clipboard(value: object) -> str | None:
    if value in CLIPBOARD_ROUTES:
        return None
    return "expected one of " + ", ".join(_toml(route) for route in CLIPBOARD_ROUTES)


def _check_theme(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return 'expected a theme name in quotes, e.g. theme = "light"'


@dataclass(frozen=True, slots=True)
class Setting:
    """One top-level setting: its spelling in the file, its `Settings` field, how it
    is checked and the comment the default file gives it."""

    key: str
    attribute: str
    check: Callable[[object], str | None]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "theme",
        "theme",
        _check_theme,
        "Colour theme; `threadread themes` lists them.  Unset: the theme last chosen\n"
        'with ctrl+t, or "monochrome" when NO_COLOR is set, else "dark".  A theme named\n'
        "here keeps its colours even when NO_COLOR is set.",
    ),
    Setting(
        "article-folded",
        "article_folded",
        _check_bool,
        "Start with the article pane folded to one line (`a` unfolds it).",
    ),
    Setting(
        "max-width",
        "max_width",
        _check_width,
        f"The widest a line of text gets, in columns ({MIN_WIDTH}-{MAX_WIDTH}).",
    ),
    Setting(
        "comments-folded",
        "comments_folded",
        _check_bool,
        "Start with every comment folded to its first line (`Z` toggles).",
    ),
    Setting(
        "clipboard",
        "clipboard",
        _check_clipboard,
        'How `y` copies: "system" (the desktop clipboard), "osc52" (asks the terminal,\n'
        'works over SSH), "auto" (OSC 52 over SSH or in tmux, else the system\n'
        'clipboard, each falling back to the other) or "off".',
    ),
)
_BY_KEY = {setting.key: setting for setting in SETTINGS}
KEYS_TABLE = "keys"


# -- reading ------------------------------------------------------------------------

_AT = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def toml_error(error: tomllib.TOMLDecodeError) -> tuple[int | None, str]:
    """(line, reason) from tomllib's message, e.g. (3, "invalid value")."""
    message = str(error)
    line = None
    if match := _AT.search(message):
        line = int(match.group(1))
        message = message[: match.start()]
    else:
        message = _AT_END.sub("", message)
    reason = message.strip() or "not valid TOML"
    return line, reason[0].lower() + reason[1:]


def parse_salvaging(text: str) -> tuple[dict[str, object], list[tuple[int | None, str]], bool]:
    """Parse TOML, leaving out lines that are not valid TOML rather than everything.

    Each bad line is blanked (keeping the numbering) and the text parsed again, so one
    typo costs one setting.  Returns the document, the (line, reason) of each bad line
    and whether that worked; a text it cannot save comes back as an empty document
    with its first error (`line` is None when tomllib could not say where).
    """
    lines = text.splitlines(keepends=True)
    errors: list[tuple[int | None, str]] = []
    for _ in range(MAX_BAD_LINES + 1):
        try:
            return tomllib.loads("".join(lines)), errors, True
        except tomllib.TOMLDecodeError as error:
            line, reason = toml_error(error)
            errors.append((line, reason))
            if line is None or not 1 <= line <= len(lines) or not lines[line - 1].strip():
                break
            lines[line - 1] = "\n"
    return {}, errors[:1], False


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.-]+))\s*=""")


def line_of(text: str, table: str | None, key: str) -> int | None:
    """The line that sets `key` in `[table]` (None: the top level), for messages.

    tomllib does not report positions, so the text is scanned; a dotted key such as
    `keys.next = "x"` at the top level counts as `next` in `[keys]`.
    """
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if header := _HEADER.match(raw):
            current = header.group(1).strip().strip("\"'")
            continue
        match = _KEY.match(raw)
        if not match:
            continue
        name = next(group for group in match.groups() if group is not None)
        if current == table and name == key:
            return number
        if table is not None and current is None and name == f"{table}.{key}":
            return number
    return None


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {_toml(close[0])}?)" if close else ""


def _normal(key: str) -> str:
    return key.strip().replace("_", "-")


def _check_keys(value: object) -> str | None:
    if not isinstance(value, str):
        return 'expected keys in quotes, e.g. "j" or "ctrl+n,down"'
    keys = [key.strip() for key in value.split(",")]
    if not value.strip() or any(not key or any(c.isspace() for c in key) for key in keys):
        return 'expected one key or several separated by commas, e.g. "j" or "ctrl+n,down"'
    return None


def read_settings(
    text: str,
    path: Path | str,
    *,
    binding_ids: Collection[str] | Mapping[str, tuple[str, str]] | None = None,
    theme_names: Collection[str] | None = None,
) -> tuple[Settings, list[Notice]]:
    """Settings from the text of a config file, and a notice for each problem.

    `binding_ids` and `theme_names`, when given, are the names `[keys]` and `theme`
    may use; the config file itself cannot know them.  A remapped key that another
    action active at the same time already has is reported too (see `keymap`).
    """
    notices: list[Notice] = []

    def problem(line: int | None, what: str) -> None:
        where = f"{path}, line {line}" if line is not None else str(path)
        notices.append(Notice("Problem in the config file", f"{where}: {what}"))

    doc, errors, salvaged = parse_salvaging(text)
    outcome = "this line is ignored" if salvaged else "using the default settings"
    for line, reason in errors:
        problem(line, f"not valid TOML ({reason}); {outcome}")
    defaults = Settings()
    values: dict[str, object] = {}
    keys: dict[str, str] = {}
    for raw_key, value in doc.items():
        key = _normal(raw_key)
        line = line_of(text, None, raw_key)
        if key == KEYS_TABLE:
            if not isinstance(value, dict):
                problem(line, 'keys: expected a [keys] table of binding id = "key"')
                continue
            keys = _read_keys(value, text, binding_ids, problem)
            _check_clashes(keys, text, problem)
            continue
        setting = _BY_KEY.get(key)
        if setting is None:
            known = [*_BY_KEY, KEYS_TABLE]
            problem(line, f"{raw_key}: unknown setting{_did_you_mean(key, known)}; ignored")
            continue
        default = getattr(defaults, setting.attribute)
        reason = setting.check(value)
        if reason is None and key == "theme" and theme_names is not None:
            assert isinstance(value, str)
            if value not in theme_names:
                reason = f"no theme is named {_toml(value)}{_did_you_mean(value, theme_names)}"
        if reason is not None:
            fallback = "the default theme" if default is None else f"the default, {_toml(default)}"
            problem(line, f"{raw_key}: {reason}; using {fallback}")
            continue
        values[setting.attribute] = value
    return replace(defaults, **values, keys=keys), notices


def _read_keys(
    table: Mapping[str, object],
    text: str,
    binding_ids: Collection[str] | None,
    problem: Callable[[int | None, str], None],
) -> dict[str, str]:
    keys: dict[str, str] = {}
    for raw_id, value in table.items():
        binding_id = _normal(raw_id)
        line = line_of(text, KEYS_TABLE, raw_id)
        if binding_ids is not None and binding_id not in binding_ids:
            hint = _did_you_mean(binding_id, binding_ids)
            problem(line, f"keys.{raw_id}: no key binding has this id{hint}; ignored")
            continue
        reason = _check_keys(value)
        if reason is not None:
            problem(line, f"keys.{raw_id}: {reason}; keeping the default keys")
            continue
        assert isinstance(value, str)
        keys[binding_id] = ",".join(key.strip() for key in value.split(","))
    return keys


def _check_clashes(
    keys: Mapping[str, str],
    text: str,
    problem: Callable[[int | None, str], None],
) -> None:
    """Report a remapped key that another action active at the same time has too.

    Textual gives the key to one of them and the other silently stops working, which
    is easy to do by accident: `next = "n,down"` takes `n` from "next match".
    """
    from tui.settings.keymap import conflicts

    for conflict in conflicts(keys):
        line = line_of(text, KEYS_TABLE, conflict.remapped)
        problem(line, f"keys.{conflict.remapped}: {conflict.describe()}")


def load_settings(
    path: Path | None = None,
    *,
    binding_ids: Collection[str] | Mapping[str, tuple[str, str]] | None = None,
    theme_names: Collection[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[Settings, list[Notice]]:
    """Read the config file (`path`, else `config_path()`); never raises.

    A missing file is the normal case and gives the defaults quietly -- unless
    `THREADREAD_CONFIG` named it, since then the user expects it to be read.
    """
    env = os.environ if environ is None else environ
    named = path is None and bool(env.get(CONFIG_ENV))
    path = config_path(env) if path is None else path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not named:
            return Settings(), []
        message = f"{CONFIG_ENV} names {path}, which does not exist; using the default settings"
        return Settings(), [Notice("Problem in the config file", message)]
    except OSError as error:
        reason = error.strerror or type(error).__name__
        message = f"{path}: cannot be read ({reason}); using the default settings"
        return Settings(), [Notice("Problem in the config file", message)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = f"{path}, line {line}: not UTF-8 text; using the default settings"
        return Settings(), [Notice("Problem in the config file", message)]
    return read_settings(text, path, binding_ids=binding_ids, theme_names=theme_names)


# -- the default file ---------------------------------------------------------------


def _comment(text: str) -> list[str]:
    return [f"# {line}" if line else "#" for line in text.splitlines()]


def default_config(
    key_sections: Iterable[tuple[str, Iterable[tuple[str, str, str]]]],
    path: Path | None = None,
) -> str:
    """A config file with every setting commented out at its default value.

    `key_sections` are (title, [(binding id, default keys, description)]) for the
    `[keys]` table; the caller knows the app's bindings, this module does not.
    """
    defaults = Settings()
    lines = [
        "# threadread configuration.",
        f"# Read from {path or config_path()}; set {CONFIG_ENV} to read another file.",
        "# Every setting is optional: a commented line shows the default.  User themes",
        "# go in the themes/ folder beside this file (see `threadread themes`).",
        "",
    ]
    for setting in SETTINGS:
        default = getattr(defaults, setting.attribute)
        lines.extend(_comment(setting.help))
        shown = _toml(default) if default is not None else _toml("dark")
        lines.extend([f"# {setting.key} = {shown}", ""])
    lines.extend(
        [
            "[keys]",
            '# Give an action other keys: binding id = "key" or "key,key".  Keys are',
            '# spelled as Textual spells them: "j", "J" (shift+j), "ctrl+d", "pagedown",',
            '# "left_square_bracket", "question_mark".  The keys given replace the defaults.',
        ]
    )
    for title, bindings in key_sections:
        rows = list(bindings)
        if not rows:
            continue
        lines.extend(["", f"# {title}"])
        width = max(len(f"# {bid} = {_toml(keys)}") for bid, keys, _ in rows)
        for binding_id, keys, description in rows:
            entry = f"# {binding_id} = {_toml(keys)}"
            lines.append(f"{entry:<{width}}  # {description}" if description else entry)
    return "\n".join(lines) + "\n"
