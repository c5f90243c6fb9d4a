"""Reading-state calls made off the UI thread, one after another, in the order asked.

A key press must never wait for SQLite: a write can wait seconds for another
threadread's transaction, and a visit of a big thread sets thousands of keys.  So
every store call the app makes goes through a `StateQueue`, which runs the calls in a
thread worker.  Order matters -- a position saved late must not overwrite one saved
later, a quote moved twice must end where the two moves put it, seen comments must be
recorded before a visit counts what is new -- so the calls run one at a time, in the
order they were submitted, whichever thread ends up running them.

The drain worker stops as soon as the queue is empty, so nothing keeps running
between calls (tests that wait for every worker still finish).  When a screen closes
or the app quits, `run` executes what is still queued on the calling thread, so the
last position is written before the store is closed.

Nothing here imports Textual: the app hands in how to start a worker and how to call
back on the UI thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from contextlib import suppress
from typing import Any, TypeVar

from tui.state.store import StateStore

T = TypeVar("T")

Job = tuple[Callable[[StateStore], Any], Callable[[Any], None] | None]


class StateQueue:
    """Runs store calls one at a time, in order, off the UI thread.

    `start(fn)` must run `fn` in a new thread worker; `call_in_ui(fn, *args)` must run
    `fn(*args)` on the UI thread (Textual's `call_from_thread`); `notify(message)`
    shows a store notice and is only called on the UI thread.
    """

    def __init__(
        self,
        store: StateStore,
        *,
        start: Callable[[Callable[[], None]], object],
        call_in_ui: Callable[..., object],
        notify: Callable[[str], None],
    ) -> None:
        self.store = store
        self._start = start
        self._call_in_ui = call_in_ui
        self._notify = notify
        self._pending: deque[Job] = deque()
        self._lock = threading.Lock()
        # Held while a job runs, so jobs run one at a time whichever thread runs them.
        self._serial = threading.Lock()
        self._draining = False
        self._closed = False
        self.ui_thread = threading.get_ident()

    def submit(
        self, work: Callable[[StateStore], T], then: Callable[[T], None] | None = None
    ) -> None:
        """Queue `work(store)`; `then(result)` runs on the UI thread once it is done.
        Call from the UI thread."""
        with self._lock:
            if self._closed:
                return
            self._pending.append((work, then))
            if self._draining:
                return
            self._draining = True
        try:
            self._start(self._drain)
        except Exception:
            # The app is going away and starts no more workers: run it here instead.
            with self._lock:
                self._draining = False
            self.run(lambda store: None)

    def run(self, work: Callable[[StateStore], T]) -> T:
        """Run everything queued so far, then `work(store)`, on the calling thread, and
        return the result: for a worker that needs an answer before it goes on, and
        for the last writes when a screen closes."""
        while self._step():
            pass
        with self._serial:
            result = work(self.store)
        self._tell_notices()
        return result

    def close(self) -> None:
        """Run what is queued and accept nothing more (the store is about to close)."""
        self.run(lambda store: None)
        with self._lock:
            self._closed = True

    # -- running ------------------------------------------------------------------------

    def _drain(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._pending:
                        self._draining = False
                        return
                self._step()
        except BaseException:
            # A failing callback must not leave the queue thinking a worker runs.
            with self._lock:
                self._draining = False
            raise

    def _step(self) -> bool:
        """Run the next queued job, if any; False when there was none."""
        with self._serial:
            with self._lock:
                if not self._pending:
                    return False
                work, then = self._pending.popleft()
            try:
                result = work(self.store)
            except Exception as error:
                self._deliver(self._notify, f"Reading state: an update failed ({error})")
                return True
        # Delivered outside the serial lock: the UI thread may be waiting for it.
        if then is not None:
            self._deliver(then, result)
        self._tell_notices()
        return True

    def _tell_notices(self) -> None:
        for notice in self.store.take_notices():
            self._deliver(self._notify, notice)

    def _deliver(self, callback: Callable[..., object], *args: object) -> None:
        if threading.get_ident() == self.ui_thread:
            callback(*args)
            return
        # RuntimeError: the app has stopped, and nobody is left to tell.
        with suppress(RuntimeError):
            self._call_in_ui(callback, *args)
