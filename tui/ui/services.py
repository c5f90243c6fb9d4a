"""What the screens use that outlives any one of them, handed over in one object.

The app makes one `Services` and gives it to each screen it creates, so a screen names
what it needs by type (the state queue, the library, the clipboard route, ...) instead
of fishing attributes off the app by name or looking through the screen stack for
another screen that holds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.signal import Signal

from tui.core.library import Library, resolved
from tui.settings.config import Settings
from tui.settings.themes import ThemeCatalog
from tui.state.queue import StateQueue

if TYPE_CHECKING:
    from textual.app import App

    from tui.state.store import StateStore


class LibraryFeed:
    """The library model as the UI sees it: changes arrive as a Textual `Signal`, so a
    list subscribed to it is unsubscribed when it leaves the screen, and the counts of
    new comments are read through the state queue."""

    def __init__(self, app: App[object], model: Library, queue: StateQueue) -> None:
        self.model = model
        self.queue = queue
        self.changed: Signal[Library] = Signal(app, "library-changed")
        model.subscribe(self.changed.publish)

    def load_new_counts(self) -> None:
        """Show how many comments of each thread are new (read in the state worker)."""
        model = self.model
        if not model.entries:
            return
        paths = [entry.path for entry in model.entries]

        def work(store: StateStore) -> dict[Path, int]:
            stored = store.new_counts()
            if not stored:
                return {}
            return {path: n for path in paths if (n := stored.get(resolved(path), 0))}

        self.queue.submit(work, model.set_new_counts)


@dataclass
class Services:
    """The app's long-lived parts, for the screens it makes."""

    state_queue: StateQueue
    settings: Settings
    themes: ThemeCatalog
    # "auto", "system", "osc52" or "off": how `y` and the basket copy.
    clipboard_route: str
    # Whether text is repaired (mojibake) as threads are read.
    repair: bool
    # The library of threads, when the app was opened on files and folders.
    library: LibraryFeed | None = None
