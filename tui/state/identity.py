"""What identifies a thread and a comment across sessions, and the packed forms their
keys are kept in.

A thread is known by its file's path *and* a fingerprint of its title and article.
The comments are left out of the fingerprint so a thread that gains comments keeps its
identity; the path tells apart two files that share title and article, and the
fingerprint recognises a file that was moved or renamed (see `StateStore.thread_id`).

Comments have no ids in a scraped file, and their numbers shift when a reply is
inserted mid-tree, so "seen" is recorded as a set of short content hashes
(`comment_key`), kept packed because a thread may have 100,000 of them.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence, Set
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.safety import for_clipboard

if TYPE_CHECKING:
    from tui.core.model import Comment, Thread

__all__ = [
    "KEY_SIZE",
    "PackedKeys",
    "SeenKeys",
    "comment_key",
    "find_thread",
    "fingerprint",
    "path_key",
    "related",
]

KEY_SIZE = 8


def _normal(text: str) -> str:
    """Text reduced to what identifies it: re-scrapes differ in whitespace, Unicode
    composition and stray control characters, never in words."""
    return " ".join(unicodedata.normalize("NFC", for_clipboard(text)).split())


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


def related(old: str, new: str) -> bool:
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


def path_key(path: Path | str | None) -> str | None:
    """The stored form of a path: absolute and resolved, so `./a.txt` and the same
    file opened by its full name are one thread."""
    if path is None:
        return None
    try:
        return str(Path(path).expanduser().resolve())
    except (OSError, RuntimeError):
        return str(Path(path).absolute())


def exists(stored: str | None) -> bool:
    if not stored:
        return False
    try:
        return Path(stored).exists()
    except OSError:
        return False


def find_thread(
    conn: sqlite3.Connection, where: str | None, fingerprint: str, title: str
) -> int | None:
    """The thread at `where` with `fingerprint`, in the lookup order of
    `StateStore.thread_id`; runs inside its write transaction and updates a moved
    path or an edited fingerprint on the way."""
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
        if not exists(stored):
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
        if related(old, fingerprint):
            conn.execute(
                "UPDATE threads SET fingerprint = ?, title = coalesce(nullif(?, ''), title) "
                "WHERE id = ?",
                (fingerprint, title, found),
            )
            return found
    if rows:
        conn.execute("UPDATE threads SET path = NULL WHERE path = ?", (where,))
    return None
