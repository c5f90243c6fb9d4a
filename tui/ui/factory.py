"""One way to make the app, for the command line and the tests alike.

`make_app` does what `threadread [PATH...]` does before the terminal is taken: read
the thread (or find the library), the config file and the themes, pick the theme and
open the reading state.  Tests that build their app here go through the same
preferences and state as a user, so a config file's `[keys]`, a theme folder or a
remembered position reach them exactly as they would reach the user.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.model import Thread
from tui.settings.config import Notice, Settings

if TYPE_CHECKING:
    from tui.settings.themes import ThemeCatalog, ThemeChoice
    from tui.state.store import StateStore
    from tui.ui.app import ThreadReaderApp


def make_app(
    source: Thread | Path | Sequence[Path] | None = None,
    *,
    search: str | None = None,
    raw: bool = False,
    theme: str | None = None,
    settings: Settings | None = None,
    state: StateStore | None = None,
    no_state: bool = False,
    remember_theme: bool = False,
) -> ThreadReaderApp:
    """The app for `source`: a parsed thread, one file (the reader), or a folder or
    several paths (a library); nothing means the bundled sample threads.

    `theme` is `--theme`, `raw` is `--raw`, `no_state` is `--no-state`.  Without
    `settings` the config file is read (`THREADREAD_CONFIG` names it) and its
    problems become notices; with them, the config file is left alone.  Without
    `state` the reading state is opened where the user's is (`THREADREAD_STATE`) and
    the app closes it when it stops; a `state` given stays the caller's to close.
    `remember_theme` keeps a theme chosen with ctrl+t for the next start.

    Raises `ThreadError` for a path that cannot be read and `UsageError` for an
    unknown theme, before anything is shown.
    """
    from tui.core.formats.detect import read_thread_head
    from tui.core.paths import sample_threads_dir
    from tui.settings.config import user_themes_dir
    from tui.settings.themes import ThemeCatalog, UnknownThemeError, startup_theme
    from tui.ui.app import ThreadReaderApp

    thread: Thread | None = None
    library: list[Path] | None = None
    if isinstance(source, Thread):
        thread = source
    else:
        paths = [source] if isinstance(source, Path) else list(source or [])
        paths = paths or [sample_threads_dir()]
        for path in paths:
            check_exists(path)
        # One file opens the reader alone; a folder, or several paths, a library.
        if len(paths) > 1 or paths[0].is_dir():
            library = paths
        else:
            thread = read_thread_head(paths[0], repair=not raw)

    notices: list[str | Notice] = []
    if settings is None:
        prefs = read_preferences(theme)
        settings, themes, choice = prefs.settings, prefs.themes, prefs.theme
        notices.extend(prefs.notices)
    else:
        from tui.core.errors import UsageError

        themes = ThemeCatalog.load(user_themes_dir())
        try:
            choice = startup_theme(themes, settings, requested=theme)
        except UnknownThemeError as error:
            raise UsageError(str(error)) from None

    owns_state = state is None
    if state is None:
        state, state_notices = open_state(no_state=no_state)
        notices.extend(state_notices)
    app = ThreadReaderApp(
        thread,
        library=library,
        repair=not raw,
        search=search,
        settings=settings,
        notices=notices,
        themes=themes,
        theme=choice,
        remember_theme=remember_theme,
        state=state,
    )
    # Opened here for the app: it closes the database once its screens are done.
    app.owns_state = owns_state
    return app


def open_state(*, no_state: bool) -> tuple[StateStore, list[str]]:
    """The reading-state store: at `default_state_path()` (THREADREAD_STATE overrides
    it), or in memory with `--no-state`, which reads and writes no file.  A damaged
    or unusable database never stops the app: it comes back as notices."""
    from tui.state.db import default_state_path
    from tui.state.store import StateStore

    return StateStore.open(None if no_state else default_state_path())


def check_exists(path: Path) -> None:
    """Fail with a one-line ThreadError for a path that is not there, before the
    terminal is taken: a library would otherwise only mention it in a notice."""
    from tui.core.errors import ThreadError

    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise ThreadError(path, "no such file") from None
    except OSError as error:
        raise ThreadError(path, (error.strerror or "cannot be read").lower()) from None


@dataclass(frozen=True, slots=True)
class Preferences:
    """The user's settings, themes and theme choice, with the problems found on the way."""

    settings: Settings
    notices: list[Notice]
    themes: ThemeCatalog
    theme: ThemeChoice


def read_preferences(theme: str | None = None) -> Preferences:
    """Read the config file and the themes folders and pick the theme to start with.

    A broken config or theme file is a notice for the app to show; only an unknown
    `--theme` (the `theme` argument) stops here, as a usage error listing the names.
    """
    from tui.core.errors import UsageError
    from tui.settings.config import load_settings, user_themes_dir
    from tui.settings.keymap import binding_ids
    from tui.settings.themes import ThemeCatalog, UnknownThemeError, startup_theme

    themes = ThemeCatalog.load(user_themes_dir())
    settings, notices = load_settings(binding_ids=binding_ids(), theme_names=themes.known_names())
    try:
        choice = startup_theme(themes, settings, requested=theme)
    except UnknownThemeError as error:
        raise UsageError(str(error)) from None
    return Preferences(settings, notices, themes, choice)
