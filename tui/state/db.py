"""The state database file: where it lives, opening, migrating, and moving a damaged
one aside.

The state is a convenience, never a reason not to start, so opening sorts every way a
file can be unusable into "move it aside and start fresh" (`Unusable`), "leave it
alone" (`Newer`) or an `sqlite3.Error`/`OSError` the store turns into a session-only
store with a notice.  Nothing here imports Textual, and importing it touches no file.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from tui.core.errors import EnvPathError
from tui.core.paths import env_path

__all__ = [
    "BUSY_TIMEOUT",
    "ENV_VAR",
    "QUICK_CHECK_LIMIT",
    "SCHEMA_VERSION",
    "EnvPathError",
    "Newer",
    "Unusable",
    "connect",
    "default_state_path",
    "migrate",
    "move_aside",
    "open_file",
]

ENV_VAR = "THREADREAD_STATE"
FILE_NAME = "state.sqlite3"
# A full `PRAGMA quick_check` reads every page (measured 2-6 ms per MB), so it runs at
# open only for files up to this size; larger ones are checked by `check()`, which the
# app can run from a worker once the first screen is up.
QUICK_CHECK_LIMIT = 1024 * 1024
# Seconds a write waits for another threadread's transaction before giving up.
BUSY_TIMEOUT = 2.0

_MAGIC = b"SQLite format 3\x00"
DAMAGE = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}

# Each migration takes the schema from version i to i + 1; statements run one by one
# inside a single transaction (executescript would commit half way).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE threads (
            id INTEGER PRIMARY KEY,
            path TEXT,
            fingerprint TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            opened REAL,
            visit_count INTEGER NOT NULL DEFAULT 0,
            known_count INTEGER NOT NULL DEFAULT 0,
            unseen_new INTEGER NOT NULL DEFAULT 0,
            focus INTEGER,
            focus_key BLOB,
            scroll INTEGER,
            folded BLOB,
            article_folded INTEGER,
            position_count INTEGER,
            position_saved REAL
        )""",
        "CREATE INDEX threads_path ON threads(path)",
        "CREATE INDEX threads_fingerprint ON threads(fingerprint)",
        """CREATE TABLE seen (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER NOT NULL,
            keys BLOB NOT NULL
        )""",
        "CREATE INDEX seen_thread ON seen(thread_id)",
        """CREATE TABLE bookmarks (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            key BLOB,
            note TEXT NOT NULL DEFAULT '',
            author TEXT,
            excerpt TEXT NOT NULL DEFAULT '',
            created REAL NOT NULL,
            UNIQUE (thread_id, number)
        )""",
        """CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            position INTEGER NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            path TEXT,
            number INTEGER NOT NULL,
            paragraph INTEGER,
            author TEXT,
            posted TEXT,
            text TEXT NOT NULL,
            attribution TEXT NOT NULL DEFAULT '',
            added REAL NOT NULL
        )""",
        "CREATE INDEX quotes_position ON quotes(position)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
_CREATE_TABLE = re.compile(r"\s*CREATE TABLE (\w+)")


def default_state_path() -> Path:
    """Where the state database lives: `$THREADREAD_STATE` when set (tests and
    portable setups point it elsewhere), else the platform's user state folder.
    Raises `EnvPathError` (one line) when the variable names an unknown `~user`.

    Only computes the path; nothing is created until `StateStore.open`.
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return env_path(ENV_VAR, override)
    from platformdirs import user_state_dir

    return Path(user_state_dir("threadread", appauthor=False)) / FILE_NAME


class Unusable(Exception):
    """The file at the state path is not a usable threadread database: move it aside."""


class Newer(Exception):
    """The database was written by a newer threadread: leave it alone."""


def error_code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def error_reason(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else "") or type(error).__name__


def _check_header(path: Path) -> None:
    """Refuse a file that does not start as an SQLite database before SQLite opens it:
    on closing, SQLite would discard a -wal it cannot use, and that file belongs with
    the damaged database when it is moved aside."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_MAGIC))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise Unusable("it is a folder, not a file") from None
    if head and head != _MAGIC:
        raise Unusable("not a database file")


def connect(path: Path, quick_check: bool) -> sqlite3.Connection:
    """Open, validate and migrate the database; raises Unusable, Newer, OSError or
    sqlite3.Error (busy, read-only, cannot open) for the caller to sort out."""
    _check_header(path)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    try:
        try:
            tables = {
                n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables and "schema_version" not in tables:
                raise Unusable("not a threadread state database")
            version = _stored_version(conn) if tables else 0
            if version > SCHEMA_VERSION:
                raise Newer(version)
            missing = sorted(tables_of(version) - tables)
            if missing:
                raise Unusable(f"tables missing: {', '.join(missing)}")
            if version == 0 and tables - {"schema_version"}:
                raise Unusable("it has tables but no schema version")
            if quick_check:
                result = [r[0] for r in conn.execute("PRAGMA quick_check")]
                if result != ["ok"]:
                    raise Unusable(result[0] if result else "integrity check failed")
        except sqlite3.DatabaseError as error:
            if error_code(error) in DAMAGE:
                raise Unusable(error_reason(error)) from error
            raise
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if version < SCHEMA_VERSION:
            migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _stored_version(conn: sqlite3.Connection) -> int:
    """The schema version the file claims; raises Unusable for anything but a whole
    number, which no threadread ever writes (text, a float, a blob, a missing column)."""
    try:
        (version,) = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    except sqlite3.OperationalError as error:
        raise Unusable(f"its schema version cannot be read ({error_reason(error)})") from None
    if version is None:
        return 0
    if type(version) is not int or version < 0:
        raise Unusable(f"its schema version is not a whole number ({version!r:.40})")
    return version


def open_file(path: Path, check_limit: int) -> tuple[sqlite3.Connection | None, list[str]]:
    """The database at `path`, opened as `StateStore.open` describes, and notices
    worded for the user; None for the connection when this session must keep its
    state in memory.  Never raises for a database or file problem."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return None, [not_saved(path, error.strerror or error_reason(error))]
    notices: list[str] = []
    for attempt in range(2):
        try:
            small = not path.exists() or path.stat().st_size <= check_limit
            return connect(path, quick_check=small), notices
        except Unusable as damage:
            if attempt:
                break
            try:
                aside = move_aside(path)
            except OSError as error:
                reason = f"it is damaged ({damage}) and cannot be moved aside: {error}"
                return None, [*notices, not_saved(path, reason)]
            notices.append(moved_notice(path, aside, str(damage)))
        except Newer:
            reason = "it was written by a newer version of threadread"
            return None, [*notices, not_saved(path, reason)]
        except sqlite3.Error as error:
            if error_code(error) == sqlite3.SQLITE_CANTOPEN and path.exists() and not attempt:
                try:
                    aside = move_aside(path)
                except OSError:
                    return None, [*notices, not_saved(path, error_reason(error))]
                notices.append(moved_notice(path, aside, error_reason(error)))
                continue
            return None, [*notices, not_saved(path, problem_in_words(error))]
        except OSError as error:
            return None, [*notices, not_saved(path, error_reason(error))]
    return None, [*notices, not_saved(path, "a fresh database failed too")]


def tables_of(version: int) -> set[str]:
    """The tables a database at schema `version` holds."""
    made = {"schema_version"} if version else set()
    for statements in MIGRATIONS[:version]:
        for statement in statements:
            found = _CREATE_TABLE.match(statement)
            if found:
                made.add(found.group(1))
    return made


def migrate(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'schema_version'"
        ).fetchone()
        if not exists:
            conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.execute("INSERT INTO schema_version VALUES (0)")
        # Read again under the write lock: another threadread may have migrated.
        (version,) = conn.execute("SELECT max(version) FROM schema_version").fetchone()
        for statements in MIGRATIONS[version:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to `<name>.corrupt-<time>` so a
    user can still recover it; raises OSError when that is not possible."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    serial = 1
    while target.exists():
        serial += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{serial}")
    path.rename(target)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            with suppress(OSError):
                companion.rename(target.with_name(target.name + suffix))
    return target


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One short write transaction; taking the write lock up front means a busy
    database fails here, before anything was read under a stale snapshot."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def problem_in_words(error: sqlite3.Error) -> str:
    """A database failure in a user's words."""
    code = error_code(error)
    if code in BUSY:
        return "the state database is in use by another program"
    if code == sqlite3.SQLITE_READONLY:
        return "the state database is read-only"
    if code == sqlite3.SQLITE_FULL:
        return "the disk is full"
    if code == sqlite3.SQLITE_CANTOPEN:
        return "the state database cannot be opened"
    return error_reason(error)


def not_saved(path: Path, reason: str) -> str:
    return f"Reading state is not saved this session: {path}: {reason}"


def moved_notice(path: Path, aside: Path, reason: str) -> str:
    return (
        f"The reading-state database {path} was unreadable ({reason}); "
        f"it was moved to {aside} and a fresh one started"
    )
