"""Colour themes: TOML files read and checked, as data.

A theme file gives Textual's base colours in `[colors]`, the reader's own roles in
`[reader]` and, rarely, other Textual theme variables in `[variables]`.  Each reader
role -- the focused comment, comment numbers, authors, depth guides, quoted text,
search matches and the current match, the repaired- and control-character markers,
the "new" badge and the bookmark mark --
becomes three theme variables, e.g. `$reader-number`, `$reader-number-background`
and `$reader-number-style`, which the widgets' CSS reads.  A role a theme leaves out
is derived from its base colours (`tui.ui.theming.reader_defaults`).

Nothing here imports Textual, so `threadread themes` and `threadread config` check
theme files without loading the UI: colours are checked by `tui.settings.colours`,
which accepts exactly Textual's colour grammar, and names against
`tui.settings.textual_names`.  Turning a checked `ThemeSpec` into a Textual theme
(reader colours blended opaque over the surface, derived roles) is `tui.ui.theming`.

Bundled themes are the `themes/` folder (`tui.core.paths.themes_dir()`); user themes are
files of the same format in the user themes folder, named after the theme, and a user
file replaces the bundled theme of the same name.  Loading never raises: a file that
is not valid TOML, has an unknown key or a colour that does not parse is left out,
and its `ThemeProblem` says which file, which key and what is wrong.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from tui.settings.colours import ColourError, parse, parse_with_opacity
from tui.settings.config import Notice, Settings, line_of, toml_error
from tui.settings.textual_names import STYLE_WORDS, TEXTUAL_VARIABLES

DEFAULT_THEME = "dark"
MONOCHROME_THEME = "monochrome"
# What the app keeps if even the bundled default cannot be loaded (a broken install).
LAST_RESORT_THEME = "textual-dark"
NO_COLOR_ENV = "NO_COLOR"

THEME_COLORS = (
    "primary",
    "secondary",
    "accent",
    "warning",
    "error",
    "success",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)

READER_ROLES: dict[str, str] = {
    "focused": "the focused comment, all of its rows",
    "bar": "the bar beside the focused comment",
    "number": "comment numbers (#12)",
    "author": "author names",
    "meta": "dates, reply counts, fold markers, the article's facts",
    "guide": "the depth guides in front of replies, and the pane divider",
    "quote": "quoted text",
    "match": "search matches",
    "current-match": "the match the search is on",
    "repaired": "characters repaired from mojibake",
    "control": "control characters, drawn as symbols such as ␛",
    "new": 'the "new" badge on comments added since the last visit',
    "bookmark": "the bookmark mark (★) in a bookmarked comment's header",
}
# Each role's keys in [reader]: "<role>" (text colour), "<role>-background", "<role>-style".
ROLE_PARTS = ("", "-background", "-style")
READER_KEYS = {f"{role}{part}": (role, part) for role in READER_ROLES for part in ROLE_PARTS}
READER_VARIABLES = tuple(f"reader-{key}" for key in READER_KEYS)


def role_css(selector: str, roles: dict[str, str]) -> str:
    """CSS giving each component class `selector > .<class>` the colour, background
    and text style of a reader role: {"comment-list--number": "number", ...}.  The
    widgets' styles are all written this way, so a role looks the same everywhere."""
    return "\n".join(
        f"{selector} > .{name} {{ color: $reader-{role}; "
        f"background: $reader-{role}-background; text-style: $reader-{role}-style; }}"
        for name, role in roles.items()
    )


TOP_KEYS = ("description", "dark", "ansi", "colors", "reader", "variables")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


# -- values -------------------------------------------------------------------------


def check_style(text: str) -> str | None:
    """Why `text` is not a text style ("bold underline", "none"), or None if it is."""
    words = text.split()
    unknown = [word for word in words if word not in STYLE_WORDS]
    if not words or unknown:
        shown = unknown[0] if unknown else text
        return (
            f"{shown!r} is not a text style; use none or words from bold, dim, italic, "
            "underline, reverse, strike"
        )
    return None


def _is_style_variable(name: str) -> bool:
    return name.endswith("-style") or "-style-" in name


def _did_you_mean(word: str, choices: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# -- reading a theme file -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    """A theme file's content, checked: what `tui.ui.theming.build_theme` turns into a
    Textual theme.  `colours` are the `[colors]`, `variables` the `[variables]` and
    `reader` the `[reader]` values, as written (each one known to parse)."""

    name: str
    colours: Mapping[str, str] = field(default_factory=dict)
    dark: bool = True
    ansi: bool = False
    variables: Mapping[str, str] = field(default_factory=dict)
    reader: Mapping[str, str] = field(default_factory=dict)


def read_theme(name: str, text: str) -> tuple[ThemeSpec | None, str, list[str]]:
    """A theme from the text of its file: (theme or None, description, problems).

    Every problem is reported, not just the first, so one round of fixes is enough.
    """
    problems: list[str] = []

    def bad(table: str | None, key: str, what: str) -> None:
        line = line_of(text, table, key)
        where = f"line {line}, " if line is not None else ""
        label = f"[{table}] {key}" if table else key
        problems.append(f"{where}{label}: {what}")

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line, reason = toml_error(error)
        where = f"line {line}: " if line is not None else ""
        return None, "", [f"{where}not valid TOML ({reason})"]

    for key in doc:
        if key not in TOP_KEYS:
            bad(None, key, f"unknown key{_did_you_mean(key, TOP_KEYS)}")
    description = doc.get("description", "")
    if not isinstance(description, str):
        bad(None, "description", "expected text in quotes")
        description = ""
    flags: dict[str, bool] = {"dark": True, "ansi": False}
    for flag in flags:
        value = doc.get(flag, flags[flag])
        if isinstance(value, bool):
            flags[flag] = value
        else:
            bad(None, flag, "expected true or false")

    tables: dict[str, Mapping[str, object]] = {}
    for table in ("colors", "reader", "variables"):
        value = doc.get(table, {})
        if isinstance(value, dict):
            tables[table] = value
        else:
            bad(None, table, f"expected a [{table}] table")
            tables[table] = {}

    colours: dict[str, str] = {}
    for key, value in tables["colors"].items():
        if key not in THEME_COLORS:
            bad("colors", key, f"unknown colour{_did_you_mean(key, THEME_COLORS)}")
        elif not isinstance(value, str):
            bad("colors", key, "expected a colour in quotes")
        else:
            try:
                parse(value)
                colours[key] = value
            except ColourError:
                try:
                    parse_with_opacity(value)
                    bad("colors", key, f"{value!r}: a base colour takes no opacity or 'none'")
                except ColourError as error:
                    bad("colors", key, str(error))
    if "primary" not in tables["colors"]:
        problems.append("[colors] primary: missing; every theme needs a primary colour")

    reader: dict[str, str] = {}
    for key, value in tables["reader"].items():
        if key not in READER_KEYS:
            bad("reader", key, f"unknown role{_did_you_mean(key, list(READER_KEYS))}")
            continue
        part = READER_KEYS[key][1]
        if not isinstance(value, str):
            bad("reader", key, "expected a text style in quotes" if part else "expected a colour")
        elif part == "-style":
            if (reason := check_style(value)) is not None:
                bad("reader", key, reason)
            else:
                reader[key] = value
        else:
            try:
                parse_with_opacity(value)
                reader[key] = value
            except ColourError as error:
                bad("reader", key, str(error))

    variables: dict[str, str] = {}
    for key, value in tables["variables"].items():
        if key in THEME_COLORS:
            bad("variables", key, "a base colour: set it in [colors]")
        elif key.startswith("reader-"):
            bad("variables", key, "a reader role: set it in [reader] without 'reader-'")
        elif key not in TEXTUAL_VARIABLES:
            bad("variables", key, f"unknown variable{_did_you_mean(key, TEXTUAL_VARIABLES)}")
        elif not isinstance(value, str):
            bad("variables", key, "expected a value in quotes")
        elif _is_style_variable(key):
            if (reason := check_style(value)) is not None:
                bad("variables", key, reason)
            else:
                variables[key] = value
        else:
            first, _, rest = value.strip().partition(" ")
            try:
                if first != "auto":
                    parse_with_opacity(value)
                elif rest and not re.fullmatch(r"\d+(\.\d+)?%", rest.strip()):
                    raise ColourError(f"{value!r} is not a colour")
                variables[key] = value
            except ColourError as error:
                bad("variables", key, str(error))

    if problems:
        return None, description, problems
    spec = ThemeSpec(
        name=name,
        colours=colours,
        dark=flags["dark"],
        ansi=flags["ansi"],
        variables=variables,
        reader=reader,
    )
    return spec, description, []


# -- the catalogue --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    """One usable theme and where it came from."""

    name: str
    spec: ThemeSpec
    source: str  # "bundled" or "user"
    path: Path
    description: str = ""
    replaces_bundled: bool = False

    @property
    def kind(self) -> str:
        """ "dark", "light", or "terminal" for a theme of the terminal's own colours."""
        if self.spec.ansi:
            return "terminal"
        return "dark" if self.spec.dark else "light"


@dataclass(frozen=True, slots=True)
class ThemeProblem:
    """A theme file that was left out, and everything wrong with it."""

    path: Path
    problems: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.path.stem

    def describe(self) -> str:
        return f"{self.path}: " + "; ".join(self.problems)


@dataclass(frozen=True, slots=True)
class ThemeChoice:
    """The theme to start with, and why.

    `explicit` when the user named it (`--theme`, the config file): such a theme keeps
    its colours even under NO_COLOR.  `missing` is a name that was asked for first
    but could not be used.
    """

    name: str
    explicit: bool = False
    why: str = "default"
    missing: str | None = None


class UnknownThemeError(ValueError):
    """`--theme` named no theme at all; the message lists the ones there are."""

    def __init__(self, name: str, names: Collection[str]) -> None:
        self.name = name
        super().__init__(f"unknown theme {name!r}; the themes are: {', '.join(names)}")


def _read_folder(folder: Path, source: str) -> tuple[list[ThemeEntry], list[ThemeProblem]]:
    entries: list[ThemeEntry] = []
    problems: list[ThemeProblem] = []
    try:
        paths = sorted(path for path in folder.glob("*.toml") if path.is_file())
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return [], [ThemeProblem(folder, (f"the folder cannot be read ({reason})",))]
    for path in paths:
        name = path.stem
        if not _NAME.match(name):
            reason = "the file name is the theme's name: use letters, digits, - and _"
            problems.append(ThemeProblem(path, (reason,)))
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            problems.append(ThemeProblem(path, ("not UTF-8 text",)))
            continue
        except OSError as error:
            reason = error.strerror or type(error).__name__
            problems.append(ThemeProblem(path, (f"cannot be read ({reason})",)))
            continue
        spec, description, found = read_theme(name, text)
        if spec is None:
            problems.append(ThemeProblem(path, tuple(found)))
        else:
            entries.append(ThemeEntry(name, spec, source, path, description))
    return entries, problems


@functools.cache
def _bundled() -> tuple[tuple[ThemeEntry, ...], tuple[ThemeProblem, ...]]:
    from tui.core.paths import themes_dir

    entries, problems = _read_folder(themes_dir(), "bundled")
    return tuple(entries), tuple(problems)


@dataclass(slots=True)
class ThemeCatalog:
    """Every theme the app can use, by name, and the files that were left out."""

    entries: dict[str, ThemeEntry]
    problems: list[ThemeProblem] = field(default_factory=list)
    user_dir: Path | None = None

    @classmethod
    def load(cls, user_dir: Path | None = None) -> ThemeCatalog:
        """The bundled themes, then the user's from `user_dir` (None: none)."""
        bundled, bundled_problems = _bundled()
        entries = {entry.name: entry for entry in bundled}
        problems = list(bundled_problems)
        if user_dir is not None and user_dir.is_dir():
            users, user_problems = _read_folder(user_dir, "user")
            problems.extend(user_problems)
            for entry in users:
                replaces = entries.get(entry.name) is not None
                entries[entry.name] = replace(entry, replaces_bundled=replaces)
        return cls(dict(sorted(entries.items())), problems, user_dir)

    def __contains__(self, name: object) -> bool:
        return name in self.entries

    def __iter__(self) -> Iterator[ThemeEntry]:
        return iter(self.entries.values())

    def get(self, name: str) -> ThemeEntry | None:
        return self.entries.get(name)

    def names(self) -> list[str]:
        return list(self.entries)

    def broken_names(self) -> set[str]:
        """Names whose file was left out and that no other file provides."""
        return {problem.name for problem in self.problems} - set(self.entries)

    def known_names(self) -> set[str]:
        """Every name a user may mean, broken ones included (for checking settings)."""
        return set(self.entries) | {problem.name for problem in self.problems}

    def notices(self, choice: ThemeChoice | None = None) -> list[Notice]:
        """One notice per file left out, saying what happens instead."""
        notices = []
        for problem in self.problems:
            if problem.name in self.entries:
                instead = f"the {self.entries[problem.name].source} theme of that name is used"
            elif choice is not None and choice.missing == problem.name:
                instead = f"using the {choice.name!r} theme instead"
            else:
                instead = "the theme is left out"
            notices.append(Notice("Theme file not loaded", f"{problem.describe()}; {instead}"))
        if choice is not None and choice.missing and choice.missing not in self.known_names():
            message = f"no theme is named {choice.missing!r}; using {choice.name!r}"
            notices.append(Notice("Theme not found", message))
        return notices


# -- choosing ---------------------------------------------------------------------------


def choose_theme(
    catalog: ThemeCatalog,
    *,
    requested: str | None = None,
    configured: str | None = None,
    remembered: str | None = None,
    no_color: bool = False,
) -> ThemeChoice:
    """Which theme to start with.

    `--theme` first; it is the only one that may stop the app (UnknownThemeError),
    since the user is at the command line to fix it.  With NO_COLOR set, the config
    file's theme (a name the user wrote down, as no-color.org asks) and then
    monochrome; without it, the theme last chosen in the app, the config file's, the
    default.  A name that cannot be used is skipped, and reported as `missing`.
    """
    candidates: list[tuple[str | None, str, bool]] = [(requested, "--theme", True)]
    if no_color:
        candidates += [(configured, "config file", True), (MONOCHROME_THEME, "NO_COLOR", False)]
    else:
        candidates += [(remembered, "chosen in the app", False), (configured, "config file", True)]
    candidates.append((DEFAULT_THEME, "default", False))
    missing = None
    for name, why, explicit in candidates:
        if name is None:
            continue
        if name in catalog:
            return ThemeChoice(name, explicit, why, missing)
        if why == "--theme" and name not in catalog.broken_names():
            raise UnknownThemeError(name, catalog.names())
        if why != "chosen in the app":
            missing = missing or name
    return ThemeChoice(LAST_RESORT_THEME, False, "default", missing)


def no_color_set(environ: Mapping[str, str] | None = None) -> bool:
    """NO_COLOR is set, to any value (empty too, as Textual reads it)."""
    return NO_COLOR_ENV in (os.environ if environ is None else environ)


def startup_theme(
    catalog: ThemeCatalog,
    settings: Settings,
    *,
    requested: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ThemeChoice:
    """`choose_theme` with what the environment and the state folder say."""
    from tui.state.files import remembered_theme

    no_color = no_color_set(environ)
    remembered = None if no_color else remembered_theme(settings.theme)
    return choose_theme(
        catalog,
        requested=requested,
        configured=settings.theme,
        remembered=remembered,
        no_color=no_color,
    )
