"""The session's own copy of the reading state, for while the database refuses writes.

A write can fail long after the database opened: another threadread holds the write
lock, the file became read-only, the disk filled up.  Dropping the change while the
app says "Bookmarked #2" would be a lie, so the store keeps working on an in-memory
copy of the database and replays the refused writes on the file once it can be
written again (see `StateStore.unsaved`).  This module makes that copy.

Nothing here imports Textual.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import TypeVar

from tui.state.db import SCHEMA_VERSION, migrate, problem_in_words, tables_of, write

_T = TypeVar("_T")

__all__ = ["RETRY_SECONDS", "KeptWrites", "fresh_memory", "restore_threads", "session_copy"]

# Seconds between attempts to write what the session kept; an attempt on a locked
# database waits BUSY_TIMEOUT, so not on every call.
RETRY_SECONDS = 5.0

# The tables copied row by row, in an order that keeps every reference valid.
_TABLES = ("threads", "seen", "bookmarks", "quotes")


def fresh_memory() -> sqlite3.Connection:
    """An empty in-memory database at the current schema."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    migrate(conn)
    return conn


def session_copy(
    source: sqlite3.Connection, identified: Mapping[int, tuple[str | None, str, str]]
) -> sqlite3.Connection:
    """An in-memory copy of what `source` can still be read for, plus the threads this
    session identified (under the ids the app holds).

    Reads are one snapshot; a table that cannot be read (locked, missing, a column
    gone) is left empty rather than failing the copy, since the copy exists to keep
    the session going.  `Connection.backup` is not used: it retries a locked source
    forever.
    """
    copy = fresh_memory()
    wanted = tables_of(SCHEMA_VERSION)
    rows: dict[str, list[tuple]] = {}
    with suppress(sqlite3.Error):
        source.execute("BEGIN")
        try:
            for table in _TABLES:
                if table in wanted:
                    with suppress(sqlite3.Error):
                        rows[table] = source.execute(f"SELECT * FROM {table}").fetchall()
        finally:
            source.execute("ROLLBACK")
    for table, found in rows.items():
        if found:
            marks = ", ".join("?" * len(found[0]))
            with suppress(sqlite3.Error), write(copy) as conn:
                conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", found)
    restore_threads(copy, identified)
    return copy


def restore_threads(
    conn: sqlite3.Connection, identified: Mapping[int, tuple[str | None, str, str]]
) -> None:
    """Make sure the threads this session identified exist in `conn` under the ids
    the app holds (a fresh or copied database may lack them)."""
    now = time.time()
    with suppress(sqlite3.Error), write(conn):
        conn.executemany(
            "INSERT OR IGNORE INTO threads (id, path, fingerprint, title, created) "
            "VALUES (?, ?, ?, ?, ?)",
            [(i, p, f, t, now) for i, (p, f, t) in identified.items()],
        )


class KeptWrites:
    """Writes the database refused, applied to a session copy and kept, in order, to
    be written to the file later.

    Each write is the store's own `work(conn)` function, so replaying it on the file
    does exactly what it did on the copy.  `reason` says why they are not saved yet.
    """

    def __init__(
        self,
        source: sqlite3.Connection,
        identified: Mapping[int, tuple[str | None, str, str]],
        reason: str,
    ) -> None:
        self.copy = session_copy(source, identified)
        self.reason = reason
        self._writes: list[Callable[[sqlite3.Connection], object]] = []
        self._next_try = time.monotonic() + RETRY_SECONDS

    def run(self, work: Callable[[sqlite3.Connection], _T], *, change: bool) -> _T:
        """`work` on the copy, kept for the file when it is a `change`."""
        result = work(self.copy)
        if change:
            self._writes.append(work)
        return result

    def due(self) -> bool:
        """Whether it is time to try the file again."""
        return time.monotonic() >= self._next_try

    def replay(self, conn: sqlite3.Connection) -> bool:
        """Write the kept changes to `conn`, oldest first, each dropped from the list
        as it commits; True when all went in, else the next try is put off."""
        while self._writes:
            try:
                self._writes[0](conn)
            except sqlite3.Error as error:
                self.reason = problem_in_words(error)
                self._next_try = time.monotonic() + RETRY_SECONDS
                return False
            self._writes.pop(0)
        return True

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self.copy.close()
