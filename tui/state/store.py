"""Reading state kept between sessions: position, seen comments, bookmarks, quote basket.

Everything lives in one SQLite database in the platform's state folder.  It must hold
thousands of threads without slowing start-up, so nothing is loaded up front: opening
the store reads the schema version and nothing else, and each question touches only
the rows of the thread asked about.  WAL mode lets a second threadread read while the
first writes, and every write is one short transaction.

A thread is known by its file's path *and* a fingerprint of its title and article.
The comments are left out of the fingerprint so a thread that gains comments keeps its
identity; the path tells apart two files that share title and article, and the
fingerprint recognises a file that was moved or renamed (see `StateStore.thread_id`).

Comments have no ids in a scraped file, and their numbers shift when a reply is
inserted mid-tree, so "seen" is recorded as a set of short content hashes
(`comment_key`).  A thread's first visit marks every comment present as seen; from
then on a comment whose key is not in the set is new until it has been shown.

The state is a convenience, never a reason not to start: a damaged database is moved
aside and replaced by a fresh one, and a location that cannot be written gives a store
that keeps this session's state in memory only.  Methods never raise for a database
problem; they fall back to an empty answer and leave a notice for `take_notices`.

Nothing here imports Textual, and importing this module touches no file.
"""

from __future__ import annotations

import hashlib
import operator
import os
import sqlite3
import sys
import threading
import time
import unicodedata
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from itertools import accumulate, groupby
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tui.core.quoting import _blockquote, clean, plain, quote, short_title

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tui.core.model import Comment, Thread

__all__ = [
    "ENV_VAR",
    "KEY_SIZE",
    "SCHEMA_VERSION",
    "Bookmark",
    "Position",
    "QuoteItem",
    "StateStore",
    "basket_markdown",
    "comment_key",
    "default_state_path",
    "fingerprint",
    "pack_numbers",
    "quote_item",
    "unpack_numbers",
]

ENV_VAR = "THREADREAD_STATE"
FILE_NAME = "state.sqlite3"
KEY_SIZE = 8
# A full `PRAGMA quick_check` reads every page (measured 2-6 ms per MB), so it runs at
# open only for files up to this size; larger ones are checked by `check()`, which the
# app can run from a worker once the first screen is up.
QUICK_CHECK_LIMIT = 1024 * 1024
# Seconds a write waits for another threadread's transaction before giving up.
BUSY_TIMEOUT = 2.0
# Seen keys are appended as one blob row per `mark_seen` call; past this many rows a
# thread's rows are merged into one so loading stays a single short read.
SEEN_BATCHES = 32
EXCERPT_LIMIT = 200

_T = TypeVar("_T")
_MAGIC = b"SQLite format 3\x00"
_DAMAGE = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}

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


# -- locations and identities ---------------------------------------------------------


def default_state_path() -> Path:
    """Where the state database lives: `$THREADREAD_STATE` when set (tests and
    portable setups point it elsewhere), else the platform's user state folder.

    Only computes the path; nothing is created until `StateStore.open`.
    """
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("threadread", appauthor=False)) / FILE_NAME


def _normal(text: str) -> str:
    """Text reduced to what identifies it: re-scrapes differ in whitespace, Unicode
    composition and stray control characters, never in words."""
    return " ".join(unicodedata.normalize("NFC", clean(text)).split())


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


_EMPTY_HALF = _digest("")


def fingerprint(thread: Thread) -> str:
    """A stable identity for a thread: 32 hex digits, a hash of the title followed by
    a hash of the article text.

    Comments are left out so a thread that gains comments keeps its fingerprint.  The
    two halves let `StateStore.thread_id` tell an edited article (same title) from a
    different thread written over the same file.  A thread read with `--raw` is hashed
    as the default repaired reading would show it, so switching modes keeps the state.
    """
    title, article = thread.title, thread.article_text
    if not thread.repair:
        from tui.core.repair import may_need_repair, repair_text

        if may_need_repair(f"{title}\n{article}".encode("utf-8", "surrogatepass")):
            title = repair_text(title)[0]
            article = "\n\n".join(repair_text(p)[0] for p in thread.article)
    return _digest(_normal(title)) + _digest(_normal(article))


def _related(old: str, new: str) -> bool:
    """Whether two fingerprints share a non-empty title or article half, so a changed
    fingerprint at the same path reads as an edit rather than a different thread."""
    half = len(new) // 2
    same_title = old[:half] == new[:half] and new[:half] != _EMPTY_HALF
    same_article = old[half:] == new[half:] and new[half:] != _EMPTY_HALF
    return same_title or same_article


class PackedKeys(Sequence[bytes]):
    """Comment keys in reading order, packed into one bytes object.

    A list of 100,000 keys is a container every full garbage collection walks item by
    item (milliseconds of every such pause); a bytes object is not walked at all.
    """

    __slots__ = ("_blob",)

    def __init__(self, keys: Iterable[bytes]) -> None:
        self._blob = b"".join(keys)
        if len(self._blob) % KEY_SIZE:
            raise ValueError(f"comment keys are {KEY_SIZE} bytes each")

    @classmethod
    def from_blob(cls, blob: bytes) -> PackedKeys:
        """Keys already packed one after another (no list of 100,000 bytes objects
        on the way)."""
        return cls((blob,))

    def __len__(self) -> int:
        return len(self._blob) // KEY_SIZE

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("comment key index out of range")
        start = index * KEY_SIZE
        return self._blob[start : start + KEY_SIZE]

    def __iter__(self) -> Iterator[bytes]:
        blob = self._blob
        return (blob[i : i + KEY_SIZE] for i in range(0, len(blob), KEY_SIZE))


class SeenKeys(Set[bytes]):
    """A thread's seen comment keys, as a sorted array of 64-bit numbers.

    Eight bytes a key where a set of bytes objects costs over a hundred: for a
    100,000-comment thread that was 20 MB of the reader's peak memory.  Membership
    is a binary search; a few keys are inserted in place, many merged and sorted.
    """

    __slots__ = ("_sorted",)

    def __init__(self, blob: bytes = b"") -> None:
        self._sorted = _sorted_unique(blob)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, bytes) or len(key) != KEY_SIZE:
            return False
        value = int.from_bytes(key, sys.byteorder)
        at = bisect_left(self._sorted, value)
        return at < len(self._sorted) and self._sorted[at] == value

    def __iter__(self) -> Iterator[bytes]:
        order = sys.byteorder
        return (value.to_bytes(KEY_SIZE, order) for value in self._sorted)

    def __len__(self) -> int:
        return len(self._sorted)

    def tobytes(self) -> bytes:
        return self._sorted.tobytes()

    def add(self, blob: bytes) -> None:
        """Add the keys packed in `blob` (KEY_SIZE bytes each)."""
        if len(blob) <= 64 * KEY_SIZE:
            values = array("Q")
            values.frombytes(blob)
            for value in values:
                at = bisect_left(self._sorted, value)
                if at == len(self._sorted) or self._sorted[at] != value:
                    self._sorted.insert(at, value)
        else:
            self._sorted = _sorted_unique(self._sorted.tobytes() + blob)


def _sorted_unique(blob: bytes) -> array:
    """The keys packed in `blob` as sorted, distinct numbers.  Sorted a 256th at a
    time (by top byte; keys are hashes, so evenly spread): one sorted list of
    100,000 numbers would itself take 4 MB."""
    values = array("Q")
    values.frombytes(blob[: len(blob) - len(blob) % KEY_SIZE])
    buckets = [array("Q") for _ in range(256)]
    for value in values:
        buckets[value >> 56].append(value)
    del values
    result = array("Q")
    for bucket in buckets:
        result.extend(value for value, _ in groupby(sorted(bucket)))
    return result


def comment_key(comment: Comment) -> bytes:
    """An 8-byte hash of the comment's author, time and text: what "seen" remembers.

    Numbers shift when replies are inserted mid-tree, content does not.  The text is
    hashed as the reader gives it (line endings normalised, block trimmed) and not
    normalised further: a visit keys every comment, and heavier normalising made
    that seconds for 100,000 comments.  So text shown with `--raw` keys differently
    wherever repair would change it.  Two comments with the same author, time and
    text (an anonymous "+1") share a key: once one is seen the other is not new.
    """
    posted = comment.posted.isoformat() if comment.posted is not None else ""
    data = f"{(comment.author or '').strip()}\x00{posted}\x00{comment.text.strip()}"
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=KEY_SIZE).digest()


def _path_key(path: Path | str | None) -> str | None:
    """The stored form of a path: absolute and resolved, so `./a.txt` and the same
    file opened by its full name are one thread."""
    if path is None:
        return None
    try:
        return str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError):
        return str(Path(path).absolute())


def _exists(stored: str | None) -> bool:
    if not stored:
        return False
    try:
        return Path(stored).exists()
    except OSError:
        return False


# -- compact number sets ----------------------------------------------------------------


def pack_numbers(numbers: Iterable[int]) -> bytes:
    """A set of non-negative integers, compact: the sorted numbers' differences as
    64-bit integers, zlib-compressed.

    Folds cluster (fold-all folds every top-level comment, a flat thread's 1..N) and
    differences repeat, so the fold state of a 100,000-comment thread takes about a
    kilobyte, and both directions run in C (`unpack_numbers` about 1 ms for 10,000).
    """
    ordered = sorted(set(numbers))
    if ordered and ordered[0] < 0:
        raise ValueError("numbers must not be negative")
    deltas = array("Q", map(operator.sub, ordered, [0, *ordered[:-1]]))
    if sys.byteorder == "big":
        deltas.byteswap()
    return zlib.compress(deltas.tobytes())


def unpack_numbers(data: bytes) -> frozenset[int]:
    """The set `pack_numbers` made; raises ValueError on damaged data."""
    if not data:
        return frozenset()
    try:
        raw = zlib.decompress(data)
    except zlib.error as error:
        raise ValueError(f"damaged number set: {error}") from None
    deltas = array("Q")
    deltas.frombytes(raw)
    if sys.byteorder == "big":
        deltas.byteswap()
    return frozenset(accumulate(deltas))


# -- records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Position:
    """Where the reader was in a thread, to put it back there on reopening.

    `focus` is the focused comment's number (0 the article) and `focus_key` its
    `comment_key`, which finds it again when inserted replies shift the numbers.
    `scroll` is the view's scroll offset in rows, a hint.  `folded` holds the folded
    comment numbers, `count` how many comments the thread had when saved: when it
    differs in a nested thread the numbers may have moved.
    """

    focus: int = 0
    focus_key: bytes | None = None
    scroll: int = 0
    folded: frozenset[int] = frozenset()
    article_folded: bool = False
    count: int = 0


@dataclass(frozen=True, slots=True)
class Bookmark:
    """A marked comment, with enough to list it without opening its thread.

    `path` and `title` are the thread's as last seen (`path` is None when the file's
    whereabouts are unknown); `key` finds the comment again if numbers shifted.
    """

    id: int
    thread_id: int
    path: Path | None
    title: str
    number: int
    note: str = ""
    author: str | None = None
    excerpt: str = ""
    created: datetime | None = None
    key: bytes | None = None


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """One quote in the basket: a copy of the text, not a reference, so it outlives
    edits and moves of its thread.  `number` 0 is the article; `paragraph` (0-based)
    is set when a single paragraph was quoted.  `id` is 0 until stored."""

    title: str
    path: Path | None
    number: int
    text: str
    author: str | None = None
    posted: datetime | None = None
    attribution: str = ""
    paragraph: int | None = None
    id: int = 0
    added: datetime | None = field(default=None, compare=False)


def quote_item(
    thread: Thread, number: int, paragraph: int | None = None, text: str | None = None
) -> QuoteItem:
    """A basket entry for post `number` of `thread` (0 the article), one `paragraph` of
    it, or a mouse selection `text` from it, attributed as `tui.core.quoting.quote` does.

    Raises IndexError for a post or paragraph that does not exist.
    """
    # `quote` ends with the attribution line after a blank line; the line itself is
    # one line (titles and authors are whitespace-collapsed), so it splits off cleanly.
    attribution = quote(thread, number, paragraph).rpartition("\n\n")[2]
    body = plain(thread, number, paragraph) if text is None else clean(text).strip("\n")
    comment = thread.tree.get(number) if number else None
    return QuoteItem(
        title=thread.title,
        path=thread.source,
        number=number,
        text=body,
        author=comment.author if comment else None,
        posted=comment.posted if comment else None,
        attribution=attribution,
        paragraph=paragraph,
    )


def _attribution_of(item: QuoteItem) -> str:
    """An attribution for an item stored without one, in `tui.core.quoting`'s form."""
    if item.attribution.strip():
        return " ".join(clean(item.attribution).split())
    title = short_title(item.title)
    parts: list[str] = []
    if item.number == 0:
        parts.extend([f'"{title}"', "article"] if title else ["article"])
    else:
        if item.author and item.author.strip():
            parts.append(" ".join(clean(item.author).split()))
        if item.posted is not None:
            parts.append(item.posted.strftime("%Y-%m-%d %H:%M"))
        where = f"comment #{item.number}"
        if title:
            where += f' on "{title}"'
        parts.append(where)
    return "— " + ", ".join(parts)


def basket_markdown(quotes: Iterable[QuoteItem]) -> str:
    """The basket as one Markdown document: each quote a blockquote followed by its
    attribution line, quotes separated by blank lines, so it pastes into notes or a
    reply with every source attached.  Empty for an empty basket."""
    parts = [_quote_block(item) for item in quotes]
    return "\n\n".join(parts) + "\n" if parts else ""


def _quote_block(item: QuoteItem) -> str:
    body = _blockquote(clean(item.text).strip("\n"))
    return f"{body}\n\n{_attribution_of(item)}"


def _when(timestamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(timestamp).astimezone() if timestamp is not None else None


def _excerpt(text: str) -> str:
    text = " ".join(clean(text).split())
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"


def _split_keys(blobs: Iterable[bytes]) -> SeenKeys:
    return SeenKeys(b"".join(blobs))


# -- opening ----------------------------------------------------------------------------


class _Unusable(Exception):
    """The file at the state path is not a usable threadread database: move it aside."""


class _Newer(Exception):
    """The database was written by a newer threadread: leave it alone."""


def _code(error: BaseException) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _reason(error: BaseException) -> str:
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
        raise _Unusable("it is a folder, not a file") from None
    if head and head != _MAGIC:
        raise _Unusable("not a database file")


def _connect(path: Path, quick_check: bool) -> sqlite3.Connection:
    """Open, validate and migrate the database; raises _Unusable, _Newer, OSError or
    sqlite3.Error (busy, read-only, cannot open) for the caller to sort out."""
    _check_header(path)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    try:
        try:
            tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
            if tables and "schema_version" not in tables:
                raise _Unusable("not a threadread state database")
            version = 0
            if tables:
                row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
                version = row[0] or 0
            if version > SCHEMA_VERSION:
                raise _Newer(version)
            if quick_check:
                result = [r[0] for r in conn.execute("PRAGMA quick_check")]
                if result != ["ok"]:
                    raise _Unusable(result[0] if result else "integrity check failed")
        except sqlite3.DatabaseError as error:
            if _code(error) in _DAMAGE:
                raise _Unusable(_reason(error)) from error
            raise
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        if version < SCHEMA_VERSION:
            _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
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


def _move_aside(path: Path) -> Path:
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


# -- the store --------------------------------------------------------------------------


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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            return cls._in_memory(), [_not_saved(path, error.strerror or _reason(error))]
        notices: list[str] = []
        for attempt in range(2):
            try:
                small = not path.exists() or path.stat().st_size <= check_limit
                return cls(_connect(path, quick_check=small), path), notices
            except _Unusable as damage:
                if attempt:
                    break
                try:
                    aside = _move_aside(path)
                except OSError as error:
                    reason = f"it is damaged ({damage}) and cannot be moved aside: {error}"
                    return cls._in_memory(), [*notices, _not_saved(path, reason)]
                notices.append(_moved_notice(path, aside, str(damage)))
            except _Newer:
                reason = "it was written by a newer version of threadread"
                return cls._in_memory(), [*notices, _not_saved(path, reason)]
            except sqlite3.Error as error:
                if _code(error) == sqlite3.SQLITE_CANTOPEN and path.exists() and not attempt:
                    try:
                        aside = _move_aside(path)
                    except OSError:
                        return cls._in_memory(), [*notices, _not_saved(path, _reason(error))]
                    notices.append(_moved_notice(path, aside, _reason(error)))
                    continue
                return cls._in_memory(), [*notices, _not_saved(path, _problem(error))]
            except OSError as error:
                return cls._in_memory(), [*notices, _not_saved(path, _reason(error))]
        return cls._in_memory(), [*notices, _not_saved(path, "a fresh database failed too")]

    @classmethod
    def _in_memory(cls) -> StateStore:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        _migrate(conn)
        return cls(conn, None)

    @property
    def persistent(self) -> bool:
        """Whether state outlives this session (False for `--no-state` and fallbacks)."""
        return self._path is not None

    @property
    def path(self) -> Path | None:
        """The database file, or None when state is kept in memory."""
        return self._path

    def close(self) -> None:
        """Close the database; later calls give empty answers."""
        with self._lock:
            self._closed = True
            with suppress(sqlite3.Error):
                self._conn.close()

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
                if _code(error) not in _DAMAGE:
                    return []
                result = [_reason(error)]
            if result == ["ok"]:
                return []
            self._replace(result[0] if result else "integrity check failed")
            return self.take_notices()

    # -- error handling ---------------------------------------------------------------

    def _do(self, work: Callable[[sqlite3.Connection], _T], default: _T) -> _T:
        with self._lock:
            if self._closed:
                return default
            try:
                return work(self._conn)
            except sqlite3.Error as error:
                if _code(error) in _DAMAGE and self._path is not None:
                    self._replace(_reason(error))
                else:
                    self._tell(f"Reading state: {_problem(error)}; a change may not be saved")
                return default

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
            aside = _move_aside(self._path)
            self._conn = _connect(self._path, quick_check=False)
            self._tell(_moved_notice(self._path, aside, reason))
        except (OSError, sqlite3.Error, _Unusable, _Newer) as error:
            self._conn = StateStore._in_memory()._conn
            self._tell(_not_saved(self._path, f"it is damaged ({reason}): {error}"))
            self._path = None
        now = time.time()
        with suppress(sqlite3.Error), _write(self._conn) as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO threads (id, path, fingerprint, title, created) "
                "VALUES (?, ?, ?, ?, ?)",
                [(i, p, f, t, now) for i, (p, f, t) in self._identified.items()],
            )

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
        where = _path_key(path)

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
            with _write(conn):
                found = _find_thread(conn, where, fingerprint, title)
                if found is None:
                    found = conn.execute(
                        "INSERT INTO threads (path, fingerprint, title, created) "
                        "VALUES (?, ?, ?, ?)",
                        (where, fingerprint, title, time.time()),
                    ).lastrowid
                    assert found is not None
            self._identified[found] = (where, fingerprint, title)
            return found

        return self._do(work, 0)

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
            if row is None:
                return None
            focus, key, scroll, folded, article_folded, count = row
            try:
                numbers = unpack_numbers(folded or b"")
            except ValueError:
                numbers = frozenset()
            return Position(
                focus=focus or 0,
                focus_key=key,
                scroll=scroll or 0,
                folded=numbers,
                article_folded=bool(article_folded),
                count=count or 0,
            )

        return self._do(work, None)

    def save_position(self, thread_id: int, position: Position) -> None:
        """Remember where the reader is; cheap enough to call on every focus change
        that settles (one row updated)."""

        def work(conn: sqlite3.Connection) -> None:
            with _write(conn):
                conn.execute(
                    "UPDATE threads SET focus = ?, focus_key = ?, scroll = ?, folded = ?, "
                    "article_folded = ?, position_count = ?, position_saved = ? "
                    "WHERE id = ?",
                    (
                        position.focus,
                        position.focus_key,
                        position.scroll,
                        pack_numbers(position.folded),
                        int(position.article_folded),
                        position.count,
                        time.time(),
                        thread_id,
                    ),
                )

        self._do(work, None)

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
            with _write(conn):
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

        return self._do(work, [])

    def mark_seen(self, thread_id: int, keys: Iterable[bytes]) -> int:
        """Mark comments seen as they are shown; returns how many were not seen
        before.  Each call that adds keys writes one row, so batch the keys of a
        screenful (or of a second's scrolling) into one call."""

        def work(conn: sqlite3.Connection) -> int:
            seen = self._load_seen(conn, thread_id)
            fresh = {k for k in keys if len(k) == KEY_SIZE and k not in seen}
            if not fresh:
                return 0
            added = b"".join(fresh)
            with _write(conn):
                self._append_seen(conn, thread_id, added)
                conn.execute(
                    "UPDATE threads SET unseen_new = max(0, unseen_new - ?) WHERE id = ?",
                    (len(fresh), thread_id),
                )
            seen.add(added)
            return len(fresh)

        return self._do(work, 0)

    def set_comment_count(self, thread_id: int, count: int) -> None:
        """Tell the store how many comments the file holds now (the thread list knows
        this without a visit), so `new_count` can include comments gained since."""

        def work(conn: sqlite3.Connection) -> None:
            with _write(conn):
                conn.execute("UPDATE threads SET known_count = ? WHERE id = ?", (count, thread_id))

        self._do(work, None)

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
            values = (note, author, _excerpt(excerpt), key, time.time())
            with _write(conn):
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

        return self._do(work, 0)

    def remove_bookmark(self, bookmark_id: int) -> bool:
        """Delete a bookmark; False when there was none with that id."""

        def work(conn: sqlite3.Connection) -> bool:
            with _write(conn):
                cursor = conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
            return cursor.rowcount > 0

        return self._do(work, False)

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
            return [
                Bookmark(
                    id=i,
                    thread_id=t,
                    path=Path(p) if p else None,
                    title=title,
                    number=n,
                    note=note,
                    author=author,
                    excerpt=excerpt,
                    created=_when(created),
                    key=key,
                )
                for i, t, p, title, n, note, author, excerpt, created, key in conn.execute(
                    query, args
                )
            ]

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
            with _write(conn):
                (last,) = conn.execute("SELECT max(position) FROM quotes").fetchone()
                cursor = conn.execute(
                    "INSERT INTO quotes (position, title, path, number, paragraph, author, "
                    "posted, text, attribution, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (last or 0) + 1,
                        item.title,
                        str(item.path) if item.path is not None else None,
                        item.number,
                        item.paragraph,
                        item.author,
                        item.posted.isoformat() if item.posted is not None else None,
                        item.text,
                        item.attribution,
                        time.time(),
                    ),
                )
                return cursor.lastrowid or 0

        return self._do(work, 0)

    def quotes(self) -> list[QuoteItem]:
        """The basket, in its order."""

        def work(conn: sqlite3.Connection) -> list[QuoteItem]:
            rows = conn.execute(
                "SELECT id, title, path, number, paragraph, author, posted, text, "
                "attribution, added FROM quotes ORDER BY position, id"
            )
            return [_quote_from_row(row) for row in rows]

        return self._do(work, [])

    def move_quote(self, quote_id: int, delta: int) -> int:
        """Move a quote `delta` places (negative: towards the top), stopping at either
        end; returns its new 0-based index, or -1 when there is no such quote."""

        def work(conn: sqlite3.Connection) -> int:
            with _write(conn):
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

        return self._do(work, -1)

    def remove_quote(self, quote_id: int) -> bool:
        """Take a quote out of the basket; False when there was none with that id."""

        def work(conn: sqlite3.Connection) -> bool:
            with _write(conn):
                cursor = conn.execute("DELETE FROM quotes WHERE id = ?", (quote_id,))
            return cursor.rowcount > 0

        return self._do(work, False)

    def clear_quotes(self) -> int:
        """Empty the basket; returns how many quotes it held."""

        def work(conn: sqlite3.Connection) -> int:
            with _write(conn):
                cursor = conn.execute("DELETE FROM quotes")
            return cursor.rowcount

        return self._do(work, 0)

    def basket_markdown(self) -> str:
        """The basket as one Markdown document (see the module function)."""
        return basket_markdown(self.quotes())

    def save_basket(self, path: Path | str) -> int:
        """Write the basket as Markdown to `path`, replacing it whole (a crash leaves
        the old file, never half a new one); returns how many quotes were written.
        Raises OSError for the caller to report."""
        items = self.quotes()
        target = Path(path).expanduser()
        partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
        try:
            partial.write_text(basket_markdown(items), encoding="utf-8")
            partial.replace(target)
        except BaseException:
            with suppress(OSError):
                partial.unlink()
            raise
        return len(items)


# -- helpers of the store ---------------------------------------------------------------

_NEW_SQL = "unseen_new + max(0, known_count - visit_count)"


@contextmanager
def _write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
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


def _find_thread(
    conn: sqlite3.Connection, where: str | None, fingerprint: str, title: str
) -> int | None:
    """The lookup order of `StateStore.thread_id`, inside its write transaction."""
    if where is None:
        row = conn.execute(
            "SELECT id FROM threads WHERE fingerprint = ? ORDER BY opened DESC LIMIT 1",
            (fingerprint,),
        ).fetchone()
        return row[0] if row else None
    row = conn.execute(
        "SELECT id, title FROM threads WHERE path = ? AND fingerprint = ?",
        (where, fingerprint),
    ).fetchone()
    if row is not None:
        if title and row[1] != title:
            conn.execute("UPDATE threads SET title = ? WHERE id = ?", (title, row[0]))
        return row[0]
    for found, stored in conn.execute(
        "SELECT id, path FROM threads WHERE fingerprint = ? ORDER BY opened DESC, id DESC",
        (fingerprint,),
    ).fetchall():
        if not _exists(stored):
            conn.execute(
                "UPDATE threads SET path = ?, title = coalesce(nullif(?, ''), title) WHERE id = ?",
                (where, title, found),
            )
            return found
    rows = conn.execute(
        "SELECT id, fingerprint FROM threads WHERE path = ? ORDER BY opened DESC, id DESC",
        (where,),
    ).fetchall()
    for found, old in rows:
        if _related(old, fingerprint):
            conn.execute(
                "UPDATE threads SET fingerprint = ?, title = coalesce(nullif(?, ''), title) "
                "WHERE id = ?",
                (fingerprint, title, found),
            )
            return found
    if rows:
        conn.execute("UPDATE threads SET path = NULL WHERE path = ?", (where,))
    return None


def _quote_from_row(row: tuple) -> QuoteItem:
    quote_id, title, path, number, paragraph, author, posted, text, attribution, added = row
    when = None
    if posted:
        with suppress(ValueError):
            when = datetime.fromisoformat(posted)
    return QuoteItem(
        title=title,
        path=Path(path) if path else None,
        number=number,
        text=text,
        author=author,
        posted=when,
        attribution=attribution,
        paragraph=paragraph,
        id=quote_id,
        added=_when(added),
    )


def _problem(error: sqlite3.Error) -> str:
    """A database failure in a user's words."""
    code = _code(error)
    if code in _BUSY:
        return "the state database is in use by another program"
    if code == sqlite3.SQLITE_READONLY:
        return "the state database is read-only"
    if code == sqlite3.SQLITE_FULL:
        return "the disk is full"
    if code == sqlite3.SQLITE_CANTOPEN:
        return "the state database cannot be opened"
    return _reason(error)


def _not_saved(path: Path, reason: str) -> str:
    return f"Reading state is not saved this session: {path}: {reason}"


def _moved_notice(path: Path, aside: Path, reason: str) -> str:
    return (
        f"The reading-state database {path} was unreadable ({reason}); "
        f"it was moved to {aside} and a fresh one started"
    )
