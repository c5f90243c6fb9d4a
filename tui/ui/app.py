"""The Textual application: a thin shell that pushes the reader screen.

The CLI parses arguments and reads the thread *before* this module takes the terminal,
so every bad input is a one-line error on a clean terminal, never a half-drawn screen.

Themes come in as a `ThemeCatalog` (the bundled ones unless the caller says otherwise)
and replace Textual's own, so the picker, `--theme` and `threadread themes` all list
the same themes, each one made for the reader's roles.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.theme import BUILTIN_THEMES
from textual.widgets import Input

from tui.core.library import Library
from tui.core.model import Thread
from tui.settings.config import Notice, Settings
from tui.settings.keymap import section as keymap_section
from tui.settings.themes import (
    NO_COLOR_ENV,
    ThemeCatalog,
    ThemeChoice,
    choose_theme,
    no_color_set,
)
from tui.state.db import QUICK_CHECK_LIMIT
from tui.state.queue import StateQueue
from tui.state.records import Bookmark
from tui.state.store import StateStore
from tui.ui.dialogs.basket import BasketScreen
from tui.ui.dialogs.bookmarks import BookmarksScreen
from tui.ui.dialogs.help import HelpScreen
from tui.ui.dialogs.theme_picker import ThemePicker
from tui.ui.keys import binding, bindings
from tui.ui.palette import KeymapCommands
from tui.ui.screens.reader import ReaderScreen
from tui.ui.services import LibraryFeed, Services
from tui.ui.theming import build_theme, variable_defaults

# Seconds after start-up before a large state database gets its integrity check.
STATE_CHECK_DELAY = 2.0


# Keys kept for a just-opened screen's field: text, and what edits or submits it.
_TYPE_AHEAD_KEYS = frozenset({"enter", "backspace"})
# How long (seconds) to wait for such a screen to focus its field, and how often to look.
_FOCUS_WAIT = 2.0
_FOCUS_LOOK_EVERY = 0.02


class ThreadReaderApp(App[None]):
    """Reads one thread, or a library of them."""

    CSS_PATH = "app.tcss"
    TITLE = "threadread"

    BINDINGS = bindings("anywhere")
    COMMANDS = App.COMMANDS | {KeymapCommands}

    def __init__(
        self,
        thread: Thread | None = None,
        *,
        library: Sequence[Path] | None = None,
        search: str | None = None,
        settings: Settings | None = None,
        clipboard_route: str | None = None,
        notices: Sequence[str | Notice] = (),
        repair: bool = True,
        themes: ThemeCatalog | None = None,
        theme: ThemeChoice | str | None = None,
        remember_theme: bool = False,
        state: StateStore | None = None,
    ) -> None:
        """`themes` and `theme` default to the bundled themes and the one the settings
        (or NO_COLOR) pick; `remember_theme` keeps a theme chosen with ctrl+t for the
        next start, which only a real run (not a test) should do.  `state` is the
        reading-state store, which the caller opens and closes; without one the app
        keeps this session's state in memory and writes nothing."""
        settings = settings or Settings()
        catalog = themes if themes is not None else ThemeCatalog.load()
        choice = _theme_choice(catalog, settings, theme)
        with _colour_kept(choice.explicit):
            super().__init__()
        self.themes = catalog
        # Keys held for a screen whose field is not focused yet (see `_on_key`).
        self._typed_ahead: list[tuple[str, str | None]] = []
        self.remembers_theme = remember_theme
        self.thread = thread
        self.library = None if library is None else list(library)
        self.initial_search = search
        self.settings = settings or Settings()
        self.clipboard_route = clipboard_route or self.settings.clipboard
        self.startup_notices = [*catalog.notices(choice), *notices]
        self.repair = repair
        self.owns_state = state is None
        self.state = state if state is not None else StateStore.open(None)[0]
        self.state_queue = StateQueue(
            self.state,
            start=self._start_state_worker,
            call_in_ui=self.call_from_thread,
            notify=self._state_notice,
        )
        self.services = Services(
            state_queue=self.state_queue,
            settings=self.settings,
            themes=catalog,
            clipboard_route=self.clipboard_route,
            repair=repair,
            library=(
                None
                if self.library is None
                else LibraryFeed(self, Library(self.library), self.state_queue)
            ),
        )
        self._use_themes(catalog, choice.name)
        if self.settings.keys:
            self.set_keymap(dict(self.settings.keys))

    @property
    def max_width(self) -> int:
        return self.settings.max_width

    # -- themes -----------------------------------------------------------------------

    def _use_themes(self, catalog: ThemeCatalog, name: str) -> None:
        for entry in catalog:
            with suppress(ValueError):  # colours Textual cannot make a theme of
                self.register_theme(build_theme(entry.spec))
        if name in self.available_themes:
            self.theme = name
        if name in catalog:
            for builtin in BUILTIN_THEMES:
                if builtin not in catalog:
                    self.unregister_theme(builtin)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The reader's roles (and Textual's gaps) for a theme that leaves them out."""
        return variable_defaults(self.current_theme)

    def action_pick_theme(self) -> None:
        """ctrl+t: choose a theme with a live preview."""
        if isinstance(self.screen, ThemePicker):
            return
        picker = ThemePicker(list(self.themes), self.theme, no_color=self.no_color)
        self.push_screen(picker, self._theme_picked)

    def _theme_picked(self, name: str | None) -> None:
        if name is not None and self.remembers_theme:
            self._remember_theme(name)

    @work(thread=True, exclusive=True, group="remember-theme", exit_on_error=False)
    def _remember_theme(self, name: str) -> None:
        """Keep the choice for the next start; off the UI thread, as all file IO."""
        from tui.state.files import remember_theme

        try:
            remember_theme(name, self.settings.theme)
        except OSError as error:
            self.call_from_thread(
                self.notify,
                f"The theme could not be kept for next time: {error}",
                severity="warning",
                markup=False,
            )

    # -- reading state ----------------------------------------------------------------

    def _start_state_worker(self, drain: Callable[[], None]) -> None:
        self.run_worker(drain, thread=True, group="state", exit_on_error=False)

    def _state_notice(self, message: str) -> None:
        # markup=False: notices quote file names.
        self.notify(message, title="Reading state", severity="warning", timeout=12, markup=False)

    def _check_state(self) -> None:
        """A large database skipped the integrity check at opening; run it now, in
        the queue's worker, where a damaged file is moved aside with a notice."""
        path = self.state.path
        try:
            large = path is not None and path.stat().st_size > QUICK_CHECK_LIMIT
        except OSError:
            large = False
        if large:
            self.state_queue.submit(lambda store: store.check())

    async def _on_key(self, event: events.Key) -> None:
        """A letter typed in the same burst as the key that focused a text field
        (`/council` sent at once, or queued while a big thread is indexed) was
        already on its way to the widget focused before; it reaches the app having
        gone past the field (which stops every letter it takes) and would run as a
        key binding, `n` as "next match".  It goes to the field instead."""
        focused = self.focused
        typed = bool(event.is_printable and event.character)
        if self._typed_ahead or (
            focused is None and (typed or event.key in _TYPE_AHEAD_KEYS) and self._dialog_opening()
        ):
            # A dialog with a field was just opened (`:` for go-to) and has not focused
            # it yet: its keys wait for it.
            event.prevent_default()
            event.stop()
            if not self._typed_ahead:
                self.call_after_refresh(self._deliver_typed_ahead, time.monotonic() + _FOCUS_WAIT)
            self._typed_ahead.append((event.key, event.character))
        elif isinstance(focused, Input) and typed:
            event.prevent_default()
            event.stop()
            # Typed in place now, as the field itself would (not queued to it): an
            # `enter` right behind must find the letter already there.
            assert event.character is not None
            selection = focused.selection
            if selection.is_empty:
                focused.insert_text_at_cursor(event.character)
            else:
                focused.replace(event.character, *selection)

    def _dialog_opening(self) -> bool:
        """Whether the screen is a dialog with a field, or one just pushed that has not
        even composed yet (and so has no focus to give keys to)."""
        screen = self.screen
        return isinstance(screen, ModalScreen) and (
            not screen.children or bool(screen.query(Input))
        )

    def _deliver_typed_ahead(self, until: float) -> None:
        focused = self.focused
        if focused is None and time.monotonic() < until:
            self.set_timer(_FOCUS_LOOK_EVERY, lambda: self._deliver_typed_ahead(until))
            return
        keys, self._typed_ahead = self._typed_ahead, []
        if focused is not None:
            for key, character in keys:
                focused.post_message(events.Key(key, character))

    def on_unmount(self) -> None:
        # The screens have closed and queued their last writes: run them now.
        self.state_queue.close()
        if self.owns_state:
            self.state.close()

    def _lists_allowed(self) -> bool:
        """Whether the bookmarks or the basket may open over the screen on top: not
        over a prompt or a picker, whose keys would be left waiting underneath."""
        screen = self.screen
        return not isinstance(screen, ModalScreen) or isinstance(
            screen, BookmarksScreen | BasketScreen | HelpScreen
        )

    def action_bookmarks(self) -> None:
        """': the bookmarks of every thread; enter goes to one."""
        if isinstance(self.screen, BookmarksScreen) or not self._lists_allowed():
            return
        if isinstance(self.screen, BasketScreen):
            self.screen.dismiss(None)
        self.push_screen(BookmarksScreen(self.services.state_queue), self._bookmark_chosen)

    def action_basket(self) -> None:
        """ctrl+b: the quote basket."""
        if isinstance(self.screen, BasketScreen) or not self._lists_allowed():
            return
        if isinstance(self.screen, BookmarksScreen):
            self.screen.dismiss(None)
        self.push_screen(BasketScreen(self.services))

    def _bookmark_chosen(self, mark: Bookmark | None) -> None:
        reader = self.screen if isinstance(self.screen, ReaderScreen) else None
        if reader is not None and reader.session is not None:
            # Bookmarks may have been deleted: the marks on screen follow.
            reader.session.reload_bookmarks()
        if mark is None:
            return
        session = reader.session if reader is not None else None
        if reader is not None and session is not None and session.thread_id == mark.thread_id:
            reader.go_to_comment(mark.number, mark.key)
            return
        if mark.path is None:
            self.notify(
                "Where this bookmark's file is now is not known", severity="warning", markup=False
            )
            return
        self.open_thread(mark.path, comment=mark.number, replace=reader is not None)

    def on_mount(self) -> None:
        self.state_queue.ui_thread = threading.get_ident()
        # After the first screen: the check reads the whole file, and a reader
        # opening meanwhile would wait for it.
        self.set_timer(STATE_CHECK_DELAY, self._check_state)
        for notice in self.startup_notices:
            # markup=False: notices quote file names and the user's own text.
            if isinstance(notice, Notice):
                self.notify(
                    notice.message,
                    title=notice.title,
                    severity="warning",
                    timeout=12,
                    markup=False,
                )
            else:
                self.notify(notice, severity="warning", timeout=12, markup=False)
        library = self.services.library
        if library is not None:
            from tui.ui.screens.library import LibraryScreen

            self.push_screen(LibraryScreen(self.services, library, search=self.initial_search))
        if self.thread is not None:
            self.push_screen(
                self.reader_screen(self.thread, search=self.initial_search, beside=library)
            )

    def reader_screen(
        self,
        thread: Thread,
        *,
        search: str | None = None,
        regex: bool = False,
        comment: int | None = None,
        beside: LibraryFeed | None = None,
    ) -> ReaderScreen:
        """A reader for `thread`; `beside` is the library it was opened from, which
        it lists beside the thread on a wide terminal."""
        return ReaderScreen(
            thread,
            self.services,
            library=beside,
            search=search,
            regex=regex,
            comment=comment,
            article_folded=self.settings.article_folded,
            comments_folded=self.settings.comments_folded,
        )

    def open_thread(
        self,
        path: Path,
        *,
        search: str | None = None,
        regex: bool = False,
        comment: int | None = None,
        replace: bool = False,
        pane_top: int | None = None,
    ) -> bool:
        """Open a thread from the library in the reader, optionally at a comment and
        with a search active; a file that cannot be read is a notice, not a crash.
        `replace` puts it in place of the reader on screen (a jump to a bookmark in
        another thread), so going back still leads to the library; `pane_top` is the
        first row the list beside it showed there."""
        from tui.core.errors import ThreadError
        from tui.core.formats.detect import read_thread_head
        from tui.ui.screens.library import LibraryScreen

        try:
            thread = read_thread_head(path, repair=self.repair)
        except ThreadError as error:
            self.notify(error.reason, title=str(path), severity="error")
            return False
        current = self.screen
        replacing = replace and isinstance(current, ReaderScreen)
        # Listed beside the library it was opened from, directly or from a reader
        # that was.
        from_library = isinstance(current, LibraryScreen) or (
            isinstance(current, ReaderScreen) and replacing and current.beside.library is not None
        )
        beside = self.services.library if from_library else None
        screen = self.reader_screen(
            thread, search=search, regex=regex, comment=comment, beside=beside
        )
        if pane_top is not None:
            screen.pane_top = pane_top
        if replacing:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return True

    @property
    def in_library(self) -> bool:
        """Whether a reader screen was opened from the library (and can go back)."""
        return self.library is not None and len(self.screen_stack) > 2

    def help_sections(self) -> list[tuple[str, list[Binding]]]:
        """The `?` help, read from the keymap table with the keys from the config
        file, so the help shows what works."""
        from tui.ui.controllers.library_beside import LIBRARY_PANE_FROM

        keymap = self.settings.keys

        def rows(*sections: str) -> list[Binding]:
            return [
                binding(row, keymap.get(row.id))
                for section_id in sections
                for row in keymap_section(section_id)
                if row.keys
            ]

        return [
            ("Comments", rows("comments")),
            (
                "Reader",
                [b for b in rows("reader", "anywhere") if b.action != "back" or self.in_library],
            ),
            ("Search bar", rows("search")),
            ("Article pane", rows("article")),
            ("Bookmarks (')", rows("bookmarks")),
            ("Quote basket (ctrl+b)", rows("basket")),
            *(
                [
                    ("Library (type to filter)", rows("library", "list")),
                    (
                        f"Thread list beside the reader (from {LIBRARY_PANE_FROM} columns)",
                        rows("pane", "list"),
                    ),
                    ("Search all threads", rows("library-search")),
                ]
                if self.library is not None
                else []
            ),
        ]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own commands, less those the keymap's commands replace: the
        reader's theme picker stands for Textual's theme list, and "Quit" is offered
        with its key by `KeymapCommands`."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                # Textual's theme list knows nothing of the reader: offer the picker.
                yield SystemCommand(
                    "Theme",
                    "Choose the colour theme, previewed as you move through the list",
                    self.action_pick_theme,
                )
            elif command.title != "Quit":
                yield command


def _theme_choice(
    catalog: ThemeCatalog, settings: Settings, theme: ThemeChoice | str | None
) -> ThemeChoice:
    if isinstance(theme, ThemeChoice):
        return theme
    return choose_theme(
        catalog, requested=theme, configured=settings.theme, no_color=no_color_set()
    )


@contextmanager
def _colour_kept(explicit: bool) -> Iterator[None]:
    """Hide NO_COLOR from Textual while the app is made, if a theme was named.

    Textual turns every colour grey when NO_COLOR is set; threadread answers NO_COLOR
    with the monochrome theme instead, and a theme the user named explicitly is meant
    to be seen in its colours (no-color.org: explicit settings win).
    """
    saved = os.environ.pop(NO_COLOR_ENV, None) if explicit else None
    try:
        yield
    finally:
        if saved is not None:
            os.environ[NO_COLOR_ENV] = saved
