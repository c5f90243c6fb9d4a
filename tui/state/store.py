"""Reading state kept between sessions: position, seen comments, bookmarks, quote basket.

Everything lives in one SQLite database in the platform's state folder (`tui.state.db`
opens it).  It must hold
thousands of threads without slowing start-up, so nothing is loaded up front: opening
the store reads the schema version and nothing else, and each question touches only
the rows of the thread asked about.  WAL mode lets a second threadread read while the
first writes, and every write is one short transaction.

Threads and comments are identified as `tui.state.identity` describes; the records
handed out are those of `tui.state.records`.

The state is a convenience, never a reason not to start: a damaged database is moved
aside and replaced by a fresh one, and a location that cannot be written gives a store
that keeps this session's state in memory only.  Methods never raise for a database
problem; they fall back to an empty answer and leave a notice for `take_notices`.

Nothing here imports Textual, and importing this module touches no file.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Sequence, Set
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui.core.quoting import basket_markdown
from tui.state.db import (
    DAMAGE,
    QUICK_CHECK_LIMIT,
    Newer,
    Unusable,
    connect,
    error_code,
    error_reason,
    move_aside,
    moved_notice,
    not_saved,
    open_file,
    problem_in_words,
    write,
)
from tui.state.files import write_whole
from tui.state.identity import KEY_SIZE, SeenKeys, find_thread, fingerprint, path_key
from tui.state.records import (
    Bookmark,
    Position,
    QuoteItem,
    bookmark_from_row,
    excerpt_of,
    position_from_row,
    position_values,
    quote_from_row,
    quote_values,
)
from tui.state.session_copy import KeptWrites, fresh_memory, restore_threads

if TYPE_CHECKING:
    from tui.core.model import Thread

__all__ = ["SEEN_BATCHES", "StateStore"]

# Seen keys are appended as one blob row per `mark_seen` call; past this many rows a
# thread's rows are merged into one so loading stays a single short read.
SEEN_BATCHES = 32

_T = TypeVar("_T")


class StateStore:
    """The reading state, behind a lock so a Textual worker thread may use it too.

    Make one with `StateStore.open`.  A store opened with no path (`--no-state`), or
    one that could not use its file, keeps state in memory for this session only:
    bookmarks and the basket still work, nothing is read from or written to disk, and
    `persistent` is False.  Thread ids are those of `thread_id`; an unknown id gives
    empty answers.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._path = path
        self._lock = threading.RLock()
        self._notices: list[str] = []
        self._told: set[str] = set()
        self._seen: dict[int, SeenKeys] = {}
        self._batches: dict[int, int] = {}
        # Threads identified this session, so a database replaced mid-session can
        # take them back under the same ids the app is holding.
        self._identified: dict[int, tuple[str | None, str, str]] = {}
        self._closed = False
        # While the file refuses writes: the session's copy, which every call uses.
        self._kept: KeptWrites | None = None

    # -- opening and closing ----------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path | None, *, check_limit: int = QUICK_CHECK_LIMIT
    ) -> tuple[StateStore, list[str]]:
        """Open the store at `path` (None: in memory, nothing touched on disk).

        Returns the store and notices worded for the user.  A damaged file is moved
        aside and replaced; a busy, read-only or unwritable location, or a database
        from a newer threadread, gives an in-memory store.  Never raises for any of
        these, so the app always opens.  Files up to `check_limit` bytes get a full
        integrity check now; larger ones when `check()` is called.
        """
        if path is None:
            return cls._in_memory(), []
        path = Path(path)
        conn, notices = open_file(path, check_limit)
        return (cls._in_memory() if conn is None else cls(conn, path)), notices

    @classmethod
    def _in_memory(cls) -> StateStore:
        return cls(fresh_memory(), None)

    @property
    def persistent(self) -> bool:
        """Whether state outlives this session (False for `--no-state` and fallbacks)."""
        return self._path is not None

    @property
    def path(self) -> Path | None:
        """The database file, or None when state is kept in memory."""
        return self._path

    def close(self) -> None:
        """Save what the session kept while the database refused writes, if it can be
        written now, and close it; later calls give empty answers, and `unsaved` says
        whether anything kept could not be saved."""
        with self._lock:
            if self._closed:
                return
            if self._kept is not None:
                self._retry(force=True)
                if self._kept is not None:
                    self._kept.close()
            self._closed = True
            with suppress(sqlite3.Error):
                self._conn.close()

    def unsaved(self) -> str | None:
        """Why changes made this session are not in the database yet (worded for a
        notification), or None when every change so far was written.

        Such changes are kept in a session copy, so reads still show them, and are
        written when the database accepts writes again (tried on later writes and at
        `close`).  A caller that tells the user "Bookmarked" asks this first.
        """
        with self._lock:
            return self._kept.reason if self._kept is not None else None

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def take_notices(self) -> list[str]:
        """Problems met since the last call (a write refused, a database replaced),
        worded for a notification; each distinct problem is reported once."""
        with self._lock:
            notices, self._notices = self._notices, []
            return notices

    def check(self) -> list[str]:
        """Run the full integrity check that `open` skips for large files; meant for a
        worker thread after start-up.  A damaged database is moved aside and replaced
        at once; returns the notices saying so (empty when all is well)."""
        with self._lock:
            if self._path is None or self._closed:
                return []
            try:
                result = [r[0] for r in self._conn.execute("PRAGMA quick_check")]
            except sqlite3.Error as error:
                if error_code(error) not in DAMAGE:
                    return []
                result = [error_reason(error)]
            if result == ["ok"]:
                return []
            self._replace(result[0] if result else "integrity check failed")
            return self.take_notices()

    # -- error handling ---------------------------------------------------------------

    def _do(
        self, work: Callable[[sqlite3.Connection], _T], default: _T, *, change: bool = False
    ) -> _T:
        """Run `work` on the database and return its answer, or `default` when the
        database cannot give one.  `change` marks work that writes: when the file
        refuses it, it runs on the session copy and is kept for `_retry`."""
        with self._lock:
            if self._closed:
                return default
            if self._kept is not None and change:
                self._retry()
            if self._kept is not None:
                return self._on_copy(work, default, change=change)
            try:
                return work(self._conn)
            except sqlite3.Error as error:
                damaged = error_code(error) in DAMAGE or _lost_table(error)
                if damaged and self._path is not None:
                    self._replace(error_reason(error))
                    if change:
                        with suppress(sqlite3.Error):
                            return work(self._conn)
                    return default
                if change and self._path is not None:
                    self._keep_in_session(problem_in_words(error))
                    return self._on_copy(work, default, change=True)
                self._tell(f"Reading state: {problem_in_words(error)}; a change may not be saved")
                return default

    def _on_copy(
        self, work: Callable[[sqlite3.Connection], _T], default: _T, *, change: bool
    ) -> _T:
        assert self._kept is not None
        try:
            return self._kept.run(work, change=change)
        except sqlite3.Error as error:
            self._tell(f"Reading state: {problem_in_words(error)}; a change was lost")
            return default

    def _keep_in_session(self, reason: str) -> None:
        """Switch to a session copy because the file refused a write."""
        self._forget_cache()
        self._kept = KeptWrites(self._conn, self._identified, reason)
        self._tell(
            f"Reading state: {reason}; changes are kept for this session and saved "
            "when the database can be written again"
        )

    def _retry(self, *, force: bool = False) -> None:
        """Write what the session kept to the file, if it takes it now."""
        assert self._kept is not None
        if not (force or self._kept.due()):
            return
        self._forget_cache()
        saved = self._kept.replay(self._conn)
        self._forget_cache()
        if saved:
            self._kept.close()
            self._kept = None
            self._told = {n for n in self._told if "kept for this session" not in n}
            self._tell("Reading state: the database can be written again; changes kept are saved")

    def _forget_cache(self) -> None:
        """Drop the seen keys cached for one database before using another."""
        self._seen.clear()
        self._batches.clear()

    def _tell(self, notice: str) -> None:
        if notice not in self._told:
            self._told.add(notice)
            self._notices.append(notice)

    def _replace(self, reason: str) -> None:
        """Swap a database found damaged mid-session for a fresh one, keeping the ids
        of the threads identified so far valid."""
        assert self._path is not None
        with suppress(sqlite3.Error):
            self._conn.close()
        self._seen.clear()
        self._batches.clear()
        try:
            aside = move_aside(self._path)
            self._conn = connect(self._path, quick_check=False)
            self._tell(moved_notice(self._path, aside, reason))
        except (OSError, sqlite3.Error, Unusable, Newer) as error:
            self._conn = fresh_memory()
            self._tell(not_saved(self._path, f"it is damaged ({reason}): {error}"))
            self._path = None
        restore_threads(self._conn, self._identified)

    # -- threads ----------------------------------------------------------------------

    def thread_id(self, path: Path | str | None, fingerprint: str, title: str = "") -> int:
        """The id of the thread in file `path` with this `fingerprint`, made if new.

        Lookup order, first match wins:
        1. the same path and fingerprint;
        2. the same fingerprint at a stored path that no longer exists: the file was
           moved or renamed, and the stored path is updated (a stored path that still
           exists is a copy or a twin thread, and gets no state from it);
        3. the same path with a fingerprint sharing its title or article half: the
           article or title was edited, and the fingerprint is updated.  A fingerprint
           sharing neither is a different thread written over the file; the old one
           loses its path (found again by fingerprint if it turns up elsewhere).
        Returns 0 when the database cannot answer.
        """
        where = path_key(path)

        def work(conn: sqlite3.Connection) -> int:
            # The usual case, a thread reopened where it was, needs no write lock.
            row = conn.execute(
                "SELECT id FROM threads WHERE path = ? AND fingerprint = ? "
                "AND (title = ? OR ? = '')",
                (where, fingerprint, title, title),
            ).fetchone()
            if row is not None:
                self._identified[row[0]] = (where, fingerprint, title)
                return row[0]
            with write(conn):
                found = find_thread(conn, where, fingerprint, title)
                if found is None:
                    found = conn.execute(
                        "INSERT INTO threads (path, fingerprint, title, created) "
                        "VALUES (?, ?, ?, ?)",
                        (where, fingerprint, title, time.time()),
                    ).lastrowid
                    assert found is not None
            self._identified[found] = (where, fingerprint, title)
            return found

        return self._do(work, 0, change=True)

    def thread_id_for(self, thread: Thread) -> int:
        """`thread_id` for a thread as read: its source path, fingerprint and title."""
        return self.thread_id(thread.source, fingerprint(thread), thread.title)

    def load_position(self, thread_id: int) -> Position | None:
        """Where the reader left the thread, or None if never saved."""

        def work(conn: sqlite3.Connection) -> Position | None:
            row = conn.execute(
                "SELECT focus, focus_key, scroll, folded, article_folded, position_count "
                "FROM threads WHERE id = ? AND position_saved IS NOT NULL",
                (thread_id,),
            ).fetchone()
            return None if row is None else position_from_row(row)

        return self._do(work, None)

    def save_position(self, thread_id: int, position: Position) -> None:
        """Remember where the reader is; cheap enough to call on every focus change
        that settles (one row updated)."""

        def work(conn: sqlite3.Connection) -> None:
            with write(conn):
                conn.execute(
                    "UPDATE threads SET focus = ?, focus_key = ?, scroll = ?, folded = ?, "
                    "article_folded = ?, position_count = ?, position_saved = ? "
                    "WHERE id = ?",
                    (*position_values(position), time.time(), thread_id),
                )

        self._do(work, None, change=True)

    # -- seen and new -----------------------------------------------------------------

    def _load_seen(self, conn: sqlite3.Connection, thread_id: int) -> SeenKeys:
        cached = self._seen.get(thread_id)
        if cached is None:
            blobs = [
                b
                for (b,) in conn.execute(
                    "SELECT keys FROM seen WHERE thread_id = ? ORDER BY id", (thread_id,)
                )
            ]
            cached = _split_keys(blobs)
            self._seen[thread_id] = cached
            self._batches[thread_id] = len(blobs)
        return cached

    def _append_seen(self, conn: sqlite3.Connection, thread_id: int, added: bytes) -> None:
        """Store the keys packed in `added` as one more row, or merge the thread's
        rows into one when there are many.  Runs inside a write transaction; the
        caller adds `added` to the cached keys once that has committed."""
        batches = self._batches.get(thread_id, 0)
        if batches + 1 > SEEN_BATCHES:
            conn.execute("DELETE FROM seen WHERE thread_id = ?", (thread_id,))
            blob = self._load_seen(conn, thread_id).tobytes() + added
            self._batches[thread_id] = 1
        else:
            blob = added
            self._batches[thread_id] = batches + 1
        conn.execute("INSERT INTO seen (thread_id, keys) VALUES (?, ?)", (thread_id, blob))

    def seen_keys(self, thread_id: int) -> Set[bytes]:
        """The keys of the thread's comments that count as seen.

        Loads only this thread's keys (one or a few blob rows) and keeps them for
        `mark_seen`; the set returned is that live copy, not to be modified.
        """
        return self._do(lambda conn: self._load_seen(conn, thread_id), frozenset())

    def visited(self, thread_id: int) -> bool:
        """Whether `visit` was ever called for the thread."""

        def work(conn: sqlite3.Connection) -> bool:
            row = conn.execute("SELECT opened FROM threads WHERE id = ?", (thread_id,)).fetchone()
            return row is not None and row[0] is not None

        return self._do(work, False)

    def visit(self, thread_id: int, keys: Sequence[bytes]) -> list[int]:
        """Record a visit, given the key of every comment in reading order (computing
        them decodes every comment, so call from a worker); returns the numbers of
        the comments that are new.

        On the first visit nothing is new and every comment present is marked seen,
        so only comments the file gains later will count as new.  On later visits a
        comment is new while its key is not seen; `mark_seen` clears that as they are
        shown.  Also sets the counts that `new_count` reports.
        """

        def work(conn: sqlite3.Connection) -> list[int]:
            seen = self._load_seen(conn, thread_id)
            row = conn.execute("SELECT opened FROM threads WHERE id = ?", (thread_id,)).fetchone()
            if row is None:
                return []
            first = row[0] is None
            # Numbers of the comments not seen; on a first visit they are all marked
            # seen instead of new.
            missing = array("I", (n for n, key in enumerate(keys, 1) if key not in seen))
            new = [] if first else missing.tolist()
            with write(conn):
                conn.execute(
                    "UPDATE threads SET opened = ?, visit_count = ?, known_count = ?, "
                    "unseen_new = ? WHERE id = ?",
                    (time.time(), len(keys), len(keys), len(new), thread_id),
                )
                packed = bytearray()
                if first:
                    for number in missing:
                        packed += keys[number - 1]
                added = bytes(packed)
                del packed
                if added:
                    self._append_seen(conn, thread_id, added)
            seen.add(added)
            return new

        return self._do(work, [], change=True)

    def mark_seen(self, thread_id: int, keys: Iterable[bytes]) -> int:
        """Mark comments seen as they are shown; returns how many were not seen
        before.  Each call that adds keys writes one row, so batch the keys of a
        screenful (or of a second's scrolling) into one call."""
        keys = tuple(keys)  # a kept write may run again later

        def work(conn: sqlite3.Connection) -> int:
            seen = self._load_seen(conn, thread_id)
            fresh = {k for k in keys if len(k) == KEY_SIZE and k not in seen}
            if not fresh:
                return 0
            added = b"".join(fresh)
            with write(conn):
                self._append_seen(conn, thread_id, added)
                conn.execute(
                    "UPDATE threads SET unseen_new = max(0, unseen_new - ?) WHERE id = ?",
                    (len(fresh), thread_id),
                )
            seen.add(added)
            return len(fresh)

        return self._do(work, 0, change=True)

    def set_comment_count(self, thread_id: int, count: int) -> None:
        """Tell the store how many comments the file holds now (the thread list knows
        this without a visit), so `new_count` can include comments gained since."""

        def work(conn: sqlite3.Connection) -> None:
            with write(conn):
                conn.execute("UPDATE threads SET known_count = ? WHERE id = ?", (count, thread_id))

        self._do(work, None, change=True)

    def new_count(self, thread_id: int) -> int:
        """How many comments are new for the thread list: those new at the last visit
        and not shown since, plus how many more the file holds than it did then.

        An estimate until the next visit (a file that lost as many comments as it
        gained shows 0); 0 for a thread never visited.
        """

        def work(conn: sqlite3.Connection) -> int:
            row = conn.execute(
                f"SELECT {_NEW_SQL} FROM threads WHERE id = ? AND opened IS NOT NULL",
                (thread_id,),
            ).fetchone()
            return row[0] if row else 0

        return self._do(work, 0)

    def visited_paths(self) -> dict[Path, tuple[int, str]]:
        """Every visited thread whose file is known: its id and fingerprint, by its
        stored path.  A thread list that has just counted a file's comments uses it to
        call `set_comment_count` for the threads already known, without making a row
        for every file it lists."""

        def work(conn: sqlite3.Connection) -> dict[Path, tuple[int, str]]:
            rows = conn.execute(
                "SELECT path, id, fingerprint FROM threads "
                "WHERE opened IS NOT NULL AND path IS NOT NULL"
            )
            return {Path(p): (i, f) for p, i, f in rows}

        return self._do(work, {})

    def new_counts(self) -> dict[Path, int]:
        """`new_count` of every visited thread with new comments, by its stored path:
        one query however many threads the list shows."""

        def work(conn: sqlite3.Connection) -> dict[Path, int]:
            rows = conn.execute(
                f"SELECT path, {_NEW_SQL} AS new FROM threads "
                "WHERE opened IS NOT NULL AND path IS NOT NULL AND new > 0"
            )
            return {Path(p): n for p, n in rows}

        return self._do(work, {})

    # -- bookmarks --------------------------------------------------------------------

    def add_bookmark(
        self,
        thread_id: int,
        number: int,
        note: str = "",
        *,
        author: str | None = None,
        excerpt: str = "",
        key: bytes | None = None,
    ) -> int:
        """Bookmark comment `number` (0 the article) with an optional note; returns its
        id (0 when it could not be stored).

        A comment has at most one bookmark: marking it again replaces the note and
        excerpt and makes it the newest.  `excerpt` is cut to a short single line.
        """

        def work(conn: sqlite3.Connection) -> int:
            values = (note, author, excerpt_of(excerpt), key, time.time())
            with write(conn):
                row = conn.execute(
                    "SELECT id FROM bookmarks WHERE thread_id = ? AND number = ?",
                    (thread_id, number),
                ).fetchone()
                if row is not None:
                    conn.execute(
                        "UPDATE bookmarks SET note = ?, author = ?, excerpt = ?, key = ?, "
                        "created = ? WHERE id = ?",
                        (*values, row[0]),
                    )
                    return row[0]
                cursor = conn.execute(
                    "INSERT INTO bookmarks (note, author, excerpt, key, created, thread_id, "
                    "number) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (*values, thread_id, number),
                )
                return cursor.lastrowid or 0

        return self._do(work, 0, change=True)

    def remove_bookmark(self, bookmark_id: int) -> bool:
        """Delete a bookmark; False when there was none with that id."""

        def work(conn: sqlite3.Connection) -> bool:
            with write(conn):
                cursor = conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
            return cursor.rowcount > 0

        return self._do(work, False, change=True)

    def bookmarks(self, thread_id: int | None = None) -> list[Bookmark]:
        """Bookmarks of every thread (or of `thread_id`), newest first, each with its
        thread's current path and title."""

        def work(conn: sqlite3.Connection) -> list[Bookmark]:
            query = (
                "SELECT b.id, b.thread_id, t.path, t.title, b.number, b.note, b.author, "
                "b.excerpt, b.created, b.key FROM bookmarks b "
                "JOIN threads t ON t.id = b.thread_id"
            )
            args: tuple[int, ...] = ()
            if thread_id is not None:
                query += " WHERE b.thread_id = ?"
                args = (thread_id,)
            query += " ORDER BY b.created DESC, b.id DESC"
            return [bookmark_from_row(row) for row in conn.execute(query, args)]

        return self._do(work, [])

    def bookmarked(self, thread_id: int) -> set[int]:
        """Numbers of the thread's bookmarked comments, for marking them in the view."""

        def work(conn: sqlite3.Connection) -> set[int]:
            rows = conn.execute("SELECT number FROM bookmarks WHERE thread_id = ?", (thread_id,))
            return {n for (n,) in rows}

        return self._do(work, set())

    # -- quote basket -----------------------------------------------------------------

    def add_quote(self, item: QuoteItem) -> int:
        """Put a quote at the end of the basket; returns its id (0 when not stored)."""

        def work(conn: sqlite3.Connection) -> int:
            with write(conn):
                (last,) = conn.execute("SELECT max(position) FROM quotes").fetchone()
                cursor = conn.execute(
                    "INSERT INTO quotes (position, title, path, number, paragraph, author, "
                    "posted, text, attribution, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ((last or 0) + 1, *quote_values(item), time.time()),
                )
                return cursor.lastrowid or 0

        return self._do(work, 0, change=True)

    def quotes(self) -> list[QuoteItem]:
        """The basket, in its order."""

        def work(conn: sqlite3.Connection) -> list[QuoteItem]:
            rows = conn.execute(
                "SELECT id, title, path, number, paragraph, author, posted, text, "
                "attribution, added FROM quotes ORDER BY position, id"
            )
            return [quote_from_row(row) for row in rows]

        return self._do(work, [])

    def move_quote(self, quote_id: int, delta: int) -> int:
        """Move a quote `delta` places (negative: towards the top), stopping at either
        end; returns its new 0-based index, or -1 when there is no such quote."""

        def work(conn: sqlite3.Connection) -> int:
            with write(conn):
                order = [i for (i,) in conn.execute("SELECT id FROM quotes ORDER BY position, id")]
                if quote_id not in order:
                    return -1
                index = order.index(quote_id)
                target = max(0, min(len(order) - 1, index + delta))
                if target != index:
                    order.insert(target, order.pop(index))
                    conn.executemany(
                        "UPDATE quotes SET position = ? WHERE id = ?",
                        [(p, i) for p, i in enumerate(order, 1)],
                    )
                return target

        return self._do(work, -1, change=True)

    def remove_quote(self, quote_id: int) -> bool:
        """Take a quote out of the basket; False when there was none with that id."""

        def work(conn: sqlite3.Connection) -> bool:
            with write(conn):
                cursor = conn.execute("DELETE FROM quotes WHERE id = ?", (quote_id,))
            return cursor.rowcount > 0

        return self._do(work, False, change=True)

    def clear_quotes(self) -> int:
        """Empty the basket; returns how many quotes it held."""

        def work(conn: sqlite3.Connection) -> int:
            with write(conn):
                cursor = conn.execute("DELETE FROM quotes")
            return cursor.rowcount

        return self._do(work, 0, change=True)

    def basket_markdown(self) -> str:
        """The basket as one Markdown document (see the module function)."""
        return basket_markdown(self.quotes())

    def save_basket(self, path: Path | str) -> int:
        """Write the basket as Markdown to `path`, replacing it whole (a crash leaves
        the old file, never half a new one); returns how many quotes were written.
        Raises OSError for the caller to report."""
        items = self.quotes()
        try:
            target = Path(path).expanduser()
        except RuntimeError:  # ~nosuchuser
            raise OSError(f"no such user: {str(path).split('/', 1)[0]}") from None
        write_whole(target, basket_markdown(items), make_folder=False, mode=0o644)
        return len(items)


# -- helpers of the store ---------------------------------------------------------------

_NEW_SQL = "unseen_new + max(0, known_count - visit_count)"


def _split_keys(blobs: Iterable[bytes]) -> SeenKeys:
    return SeenKeys(b"".join(blobs))


def _lost_table(error: sqlite3.Error) -> bool:
    """A table gone from under an open database: as good as damaged."""
    return isinstance(error, sqlite3.OperationalError) and str(error).startswith("no such table")
