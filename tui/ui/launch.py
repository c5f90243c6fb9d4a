"""From parsed command-line arguments to a running app.

Everything that can fail because of the user's input -- a missing file, a bad theme
name -- fails here, as a one-line error, before the terminal is taken over.
"""

from __future__ import annotations

import argparse
import gc
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.settings.config import Notice, Settings

if TYPE_CHECKING:
    from tui.settings.themes import ThemeCatalog, ThemeChoice
    from tui.state.store import StateStore


def launch(args: argparse.Namespace) -> int:
    """Read what the command line names, then run the app until the user quits."""
    from tui.core.formats.detect import read_thread_head
    from tui.core.paths import sample_threads_dir
    from tui.ui.app import ThreadReaderApp

    paths = list(args.paths) or [sample_threads_dir()]
    for path in paths:
        check_exists(path)
    # One file opens the reader alone; a folder, or several paths, a library.
    library = paths if len(paths) > 1 or paths[0].is_dir() else None
    prefs = read_preferences(args.theme)
    thread = None if library else read_thread_head(paths[0], repair=not args.raw)
    store, state_notices = open_state(no_state=getattr(args, "no_state", False))
    # What is read now lives for the whole session: spare it the collector's walks.
    gc.freeze()
    try:
        app = ThreadReaderApp(
            thread,
            library=library,
            repair=not args.raw,
            search=args.search,
            settings=prefs.settings,
            notices=[*prefs.notices, *state_notices],
            themes=prefs.themes,
            theme=prefs.theme,
            remember_theme=True,
            state=store,
        )
        app.run()
    finally:
        store.close()
    return app.return_code or 0


def open_state(*, no_state: bool) -> tuple[StateStore, list[str]]:
    """The reading-state store: at `default_state_path()` (THREADREAD_STATE overrides
    it), or in memory with `--no-state`, which reads and writes no file.  A damaged
    or unusable database never stops the app: it comes back as notices."""
    from tui.state.store import StateStore, default_state_path

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
    from tui.settings.themes import ThemeCatalog, UnknownThemeError, startup_theme
    from tui.settings.keymap import binding_ids

    themes = ThemeCatalog.load(user_themes_dir())
    settings, notices = load_settings(binding_ids=binding_ids(), theme_names=themes.known_names())
    try:
        choice = startup_theme(themes, settings, requested=theme)
    except UnknownThemeError as error:
        raise UsageError(str(error)) from None
    return Preferences(settings, notices, themes, choice)
