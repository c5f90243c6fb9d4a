"""Reading state: what survives a restart, and what happens when the database does not."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from tui.core.formats.plaintext import read_seed
from tui.core.model import Comment, CommentSpec, Thread, build_tree
from tui.core.quoting import basket_markdown, quote
from tui.state import db as state_db
from tui.state import records, session_copy
from tui.state import store as state
from tui.state.db import default_state_path
from tui.state.identity import KEY_SIZE, PackedKeys, comment_key, fingerprint
from tui.state.records import (
    Position,
    QuoteItem,
    pack_numbers,
    quote_item,
    unpack_numbers,
)
from tui.state.store import StateStore

NBSP_LINE = "\n\u00a0\n"


def seed_bytes(title: str, article: str, comments: list[str]) -> bytes:
    return NBSP_LINE.join([f"{title}\n\n{article}", *comments]).encode()


def seed_thread(title: str, article: str, comments: list[str], path: Path | None = None) -> Thread:
    return read_seed(seed_bytes(title, article, comments), path=path)


def write_seed(path: Path, title: str, article: str, comments: list[str]) -> Thread:
    path.write_bytes(seed_bytes(title, article, comments))
    return read_seed(path.read_bytes(), path=path)


def nested(extra_reply: bool = False) -> Thread:
    """1 (2), 3 — optionally with a reply inserted under 1, which shifts 3 to 4."""
    s = CommentSpec
    replies = [s("first reply", author="bob")]
    if extra_reply:
        replies.append(s("late reply", author="carol", posted=datetime(2024, 6, 2, 8, 0)))
    roots = [
        s("top one", author="alice", posted=datetime(2024, 6, 1, 9, 30), replies=replies),
        s("top two", author="dave"),
    ]
    return Thread(title="Nested", article=("Article",), tree=build_tree(roots))


def keys_of(thread: Thread) -> list[bytes]:
    return [comment_key(c) for c in thread.tree]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / "state.sqlite3"


@pytest.fixture
def store(db: Path):
    opened, notices = StateStore.open(db)
    assert notices == []
    yield opened
    opened.close()


def reopen(store: StateStore) -> StateStore:
    path = store.path
    store.close()
    again, notices = StateStore.open(path)
    assert notices == []
    return again


# -- locations and identities -----------------------------------------------------------


def test_importing_touches_no_file_and_not_textual(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != state_db.ENV_VAR}
    env.update(HOME=str(home), XDG_STATE_HOME=str(home / "state"))
    code = (
        "import sys, tui.state.db\n"
        "print(tui.state.db.default_state_path())\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    where, textual = result.stdout.split()
    assert Path(where) == home / "state" / "threadread" / "state.sqlite3"
    assert textual == "False"
    assert list(home.iterdir()) == []


def test_env_var_overrides_the_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(state_db.ENV_VAR, str(tmp_path / "elsewhere.db"))
    assert default_state_path() == tmp_path / "elsewhere.db"
    monkeypatch.delenv(state_db.ENV_VAR)
    assert default_state_path().parts[-2:] == ("threadread", "state.sqlite3")


def test_unknown_user_in_the_env_var_is_one_line_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(state_db.ENV_VAR, "~nosuchuser-threadread/state.sqlite3")
    with pytest.raises(state_db.EnvPathError) as raised:
        default_state_path()
    message = str(raised.value)
    assert "\n" not in message
    assert state_db.ENV_VAR in message and "~nosuchuser-threadread" in message


def test_fingerprint_ignores_comments_and_whitespace() -> None:
    one = seed_thread("Title", "Body text", ["a"])
    more = seed_thread("Title", "Body text", ["a", "b", "c"])
    spaced = seed_thread("Title ", "Body   text", [])
    assert fingerprint(one) == fingerprint(more) == fingerprint(spaced)
    assert len(fingerprint(one)) == 32
    assert fingerprint(seed_thread("Title", "Other body", ["a"])) != fingerprint(one)
    assert fingerprint(seed_thread("Other", "Body text", ["a"])) != fingerprint(one)


def test_fingerprint_is_the_same_with_and_without_repair() -> None:
    data = seed_bytes("Itâ€™s a title", "cafÃ© culture", ["x"])
    repaired = read_seed(data)
    raw = read_seed(data, repair=False)
    assert raw.title != repaired.title
    assert fingerprint(raw) == fingerprint(repaired)


def test_comment_key_tells_comments_apart() -> None:
    when = datetime(2024, 1, 1)

    def key(text: str = "Hello there", author: str | None = "ann", posted=when) -> bytes:
        return comment_key(Comment(number=1, text=text, author=author, posted=posted))

    assert len(key()) == KEY_SIZE
    assert key("Hello there\n") == key()
    assert key(author=" ann ") == key()
    assert key(author="bob") != key()
    assert key(posted=None) != key()
    assert key("Hello") != key()


@pytest.mark.parametrize(
    "numbers",
    [set(), {0}, {5}, {1, 2, 3, 10, 11, 500}, set(range(1, 100_001)), {1, 3, 5, 2**63}],
)
def test_number_sets_round_trip(numbers: set[int]) -> None:
    assert unpack_numbers(pack_numbers(numbers)) == numbers


def test_number_sets_are_compact_and_checked() -> None:
    assert len(pack_numbers(range(1, 100_001))) < 2000
    assert len(pack_numbers(range(1, 100_001, 7))) < 500
    assert unpack_numbers(b"") == frozenset()
    with pytest.raises(ValueError):
        unpack_numbers(b"not zlib")
    with pytest.raises(ValueError):
        unpack_numbers(pack_numbers([1, 2])[:-3])
    with pytest.raises(ValueError):
        pack_numbers([-1])


# -- threads and positions --------------------------------------------------------------


def test_position_round_trip(store: StateStore, tmp_path: Path) -> None:
    thread = write_seed(tmp_path / "t.txt", "T", "A", ["one", "two", "three"])
    tid = store.thread_id_for(thread)
    assert tid > 0
    assert store.load_position(tid) is None
    saved = Position(
        focus=2,
        focus_key=comment_key(thread.tree.get(2)),
        scroll=14,
        folded=frozenset({1, 3}),
        article_folded=True,
        count=3,
    )
    store.save_position(tid, saved)
    store = reopen(store)
    assert store.thread_id_for(thread) == tid
    assert store.load_position(tid) == saved
    store.close()


def test_thread_id_is_stable_and_relative_paths_resolve(
    store: StateStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = write_seed(tmp_path / "t.txt", "T", "A", ["one"])
    tid = store.thread_id_for(thread)
    monkeypatch.chdir(tmp_path)
    assert store.thread_id(Path("t.txt"), fingerprint(thread), "T") == tid
    assert store.thread_id_for(seed_thread("T", "A", ["one", "two"], tmp_path / "t.txt")) == tid


def test_moved_or_renamed_file_is_recognised(store: StateStore, tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    thread = write_seed(old, "Moving", "Article", ["one", "two"])
    tid = store.thread_id_for(thread)
    store.save_position(tid, Position(focus=2))
    store.add_bookmark(tid, 1, "keep")
    new = tmp_path / "sub" / "renamed.txt"
    new.parent.mkdir()
    old.rename(new)
    store = reopen(store)
    moved = read_seed(new.read_bytes(), path=new)
    assert store.thread_id_for(moved) == tid
    assert store.load_position(tid) == Position(focus=2)
    [bookmark] = store.bookmarks()
    assert bookmark.path == new.resolve()
    store.close()


def test_a_copy_is_a_thread_of_its_own(store: StateStore, tmp_path: Path) -> None:
    first = write_seed(tmp_path / "a.txt", "Same", "Same article", ["x"])
    second = write_seed(tmp_path / "b.txt", "Same", "Same article", ["y"])
    a = store.thread_id_for(first)
    b = store.thread_id_for(second)
    assert a != b
    assert store.thread_id_for(first) == a
    assert store.thread_id_for(second) == b


def test_edited_article_keeps_the_thread(store: StateStore, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    tid = store.thread_id_for(write_seed(path, "Title", "First version", ["x"]))
    assert store.thread_id_for(write_seed(path, "Title", "Second version", ["x"])) == tid
    assert store.thread_id_for(write_seed(path, "New title", "Second version", ["x"])) == tid


def test_different_thread_over_the_same_file(store: StateStore, tmp_path: Path) -> None:
    path = tmp_path / "latest.txt"
    first = write_seed(path, "Monday", "Monday's news", ["x"])
    monday = store.thread_id_for(first)
    tuesday = store.thread_id_for(write_seed(path, "Tuesday", "Tuesday's news", ["y"]))
    assert tuesday != monday
    # Monday's file turns up again elsewhere: found by its fingerprint.
    archived = write_seed(tmp_path / "monday.txt", "Monday", "Monday's news", ["x"])
    assert store.thread_id_for(archived) == monday


def test_a_thread_without_a_file_is_known_by_fingerprint(store: StateStore) -> None:
    thread = seed_thread("Piped", "From stdin", ["x"])
    tid = store.thread_id_for(thread)
    assert store.thread_id_for(thread) == tid


# -- seen and new -----------------------------------------------------------------------


def test_first_visit_marks_nothing_new(store: StateStore) -> None:
    thread = nested()
    tid = store.thread_id_for(thread)
    assert not store.visited(tid)
    assert store.visit(tid, keys_of(thread)) == []
    assert store.visited(tid)
    assert store.seen_keys(tid) == set(keys_of(thread))
    assert store.new_count(tid) == 0


def test_gained_comments_are_new_until_shown(store: StateStore) -> None:
    before = nested()
    tid = store.thread_id_for(before)
    store.visit(tid, keys_of(before))
    store = reopen(store)

    after = nested(extra_reply=True)
    assert store.thread_id_for(after) == tid
    # The inserted reply is #3 and shifted "top two" to #4; only #3 is new.
    assert store.visit(tid, keys_of(after)) == [3]
    assert store.new_count(tid) == 1
    assert store.mark_seen(tid, [comment_key(after.tree.get(3))]) == 1
    assert store.new_count(tid) == 0
    assert store.mark_seen(tid, [comment_key(after.tree.get(3))]) == 0

    store = reopen(store)
    assert store.visit(tid, keys_of(after)) == []
    store.close()


def test_new_stays_new_while_not_shown(store: StateStore) -> None:
    before = nested()
    tid = store.thread_id_for(before)
    store.visit(tid, keys_of(before))
    after = nested(extra_reply=True)
    assert store.visit(tid, keys_of(after)) == [3]
    assert store.visit(tid, keys_of(after)) == [3]


def test_thread_list_counts_without_a_visit(store: StateStore, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    thread = write_seed(path, "T", "A", ["1", "2", "3"])
    tid = store.thread_id_for(thread)
    store.set_comment_count(tid, 3)
    assert store.new_count(tid) == 0
    assert store.new_counts() == {}
    store.visit(tid, keys_of(thread))
    store.set_comment_count(tid, 7)
    assert store.new_count(tid) == 4
    assert store.new_counts() == {path.resolve(): 4}


def test_seen_keys_survive_and_batches_merge(store: StateStore) -> None:
    thread = nested()
    tid = store.thread_id_for(thread)
    keys = [i.to_bytes(8, "big") for i in range(state.SEEN_BATCHES * 3)]
    for key in keys:
        store.mark_seen(tid, [key])
    rows = store._conn.execute("SELECT count(*) FROM seen WHERE thread_id = ?", (tid,))
    assert rows.fetchone()[0] <= state.SEEN_BATCHES
    store = reopen(store)
    assert store.seen_keys(tid) == set(keys)
    assert not store.visited(tid)
    store.close()


def test_large_thread_keys(store: StateStore) -> None:
    thread = nested()
    tid = store.thread_id_for(thread)
    keys = [os.urandom(8) for _ in range(100_000)]
    assert store.visit(tid, keys) == []
    store = reopen(store)
    assert store.seen_keys(tid) == set(keys)
    assert store.visit(tid, [*keys, b"newcomer"]) == [100_001]
    store.close()


def test_seen_keys_are_kept_compactly(store: StateStore) -> None:
    tid = store.thread_id_for(nested())
    keys = [os.urandom(8) for _ in range(100_000)]
    store.visit(tid, keys)
    store = reopen(store)
    tracemalloc.start()
    try:
        seen = store.seen_keys(tid)
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # About 8 bytes a key: a set of bytes objects took over 100 (10 MB here), a
    # fifth of the reader's peak memory on a 20 MB thread.
    assert kept < 1_500_000
    assert len(seen) == 100_000 and keys[123] in seen and b"12345678" not in seen
    seen_now = set(seen)
    store.mark_seen(tid, [b"12345678", keys[5]])
    assert set(store.seen_keys(tid)) == seen_now | {b"12345678"}
    store.close()


# -- bookmarks --------------------------------------------------------------------------


def test_bookmarks_across_threads(store: StateStore, tmp_path: Path) -> None:
    one = write_seed(tmp_path / "one.txt", "First thread", "A", ["a1", "a2"])
    two = write_seed(tmp_path / "two.txt", "Second thread", "B", ["b1"])
    t1, t2 = store.thread_id_for(one), store.thread_id_for(two)
    b1 = store.add_bookmark(t1, 2, "check this", excerpt="a2 " * 200)
    b2 = store.add_bookmark(t2, 1, author="zoe", excerpt="b1")
    b3 = store.add_bookmark(t1, 0, "the article")
    store = reopen(store)
    listed = store.bookmarks()
    assert [b.id for b in listed] == [b3, b2, b1]
    assert [(b.title, b.path, b.number) for b in listed] == [
        ("First thread", (tmp_path / "one.txt").resolve(), 0),
        ("Second thread", (tmp_path / "two.txt").resolve(), 1),
        ("First thread", (tmp_path / "one.txt").resolve(), 2),
    ]
    assert listed[1].author == "zoe"
    assert len(listed[2].excerpt) <= records.EXCERPT_LIMIT
    assert listed[2].created is not None
    assert store.bookmarked(t1) == {0, 2}
    assert [b.id for b in store.bookmarks(t2)] == [b2]

    # Marking the same comment again edits it and makes it the newest.
    assert store.add_bookmark(t1, 2, "changed") == b1
    newest = store.bookmarks()[0]
    assert (newest.id, newest.note) == (b1, "changed")

    assert store.remove_bookmark(b2)
    assert not store.remove_bookmark(b2)
    assert [b.id for b in store.bookmarks()] == [b1, b3]
    store.close()


# -- quote basket -----------------------------------------------------------------------


WHEN = datetime(2024, 5, 1, 14, 3)


def authored(path: Path | None = None) -> Thread:
    tree = build_tree(
        [
            CommentSpec("First line\n\nSecond paragraph", author="alice", posted=WHEN),
            CommentSpec("Anonymous \x1b[2Jcomment"),
        ]
    )
    return Thread(title="Short title", article=("Only paragraph",), tree=tree, source=path)


def test_quote_item_uses_the_clipboard_attribution() -> None:
    thread = authored(Path("/x/t.txt"))
    item = quote_item(thread, 1)
    assert item.text == "First line\n\nSecond paragraph"
    assert item.attribution == '— alice, 2024-05-01 14:03, comment #1 on "Short title"'
    assert (item.author, item.posted, item.path) == (
        "alice",
        datetime(2024, 5, 1, 14, 3),
        thread.source,
    )
    assert quote_item(thread, 1, paragraph=1).text == "Second paragraph"
    assert quote_item(thread, 2).text == "Anonymous comment"
    assert quote_item(thread, 0).attribution == '— "Short title", article'
    selected = quote_item(thread, 1, text="line\x07")
    assert selected.text == "line"
    assert selected.attribution == item.attribution
    with pytest.raises(IndexError):
        quote_item(thread, 9)


@pytest.mark.parametrize(("number", "paragraph"), [(0, None), (0, 0), (1, None), (1, 1), (2, None)])
def test_a_stored_quote_pastes_exactly_as_the_quote_key_copies_it(
    store: StateStore, number: int, paragraph: int | None
) -> None:
    thread = authored(Path("/x/t.txt"))
    store.add_quote(quote_item(thread, number, paragraph))
    [stored] = store.quotes()
    # Rebuilt from the stored fields, never parsed back out of a formatted line.
    assert basket_markdown([stored]) == quote(thread, number, paragraph) + "\n"


def test_basket_order_remove_and_markdown(store: StateStore, tmp_path: Path) -> None:
    thread = authored(tmp_path / "t.txt")
    first = store.add_quote(quote_item(thread, 1))
    second = store.add_quote(quote_item(thread, 2))
    third = store.add_quote(QuoteItem(title="Other thread", path=None, number=4, text="bare"))
    assert [q.id for q in store.quotes()] == [first, second, third]

    assert store.move_quote(third, -1) == 1
    assert store.move_quote(first, 5) == 2
    assert store.move_quote(second, -9) == 0
    assert store.move_quote(999, 1) == -1
    assert [q.id for q in store.quotes()] == [second, third, first]

    store = reopen(store)
    items = store.quotes()
    assert items[2].posted == datetime(2024, 5, 1, 14, 3)
    assert items[2].path == tmp_path / "t.txt"
    assert store.basket_markdown() == (
        "> Anonymous comment\n"
        "\n"
        '— comment #2 on "Short title"\n'
        "\n"
        "> bare\n"
        "\n"
        '— comment #4 on "Other thread"\n'
        "\n"
        "> First line\n"
        ">\n"
        "> Second paragraph\n"
        "\n"
        '— alice, 2024-05-01 14:03, comment #1 on "Short title"\n'
    )

    saved = tmp_path / "out" / "basket.md"
    saved.parent.mkdir()
    assert store.save_basket(saved) == 3
    assert saved.read_text(encoding="utf-8") == store.basket_markdown()
    assert [p.name for p in saved.parent.iterdir()] == ["basket.md"]

    assert store.remove_quote(third)
    assert not store.remove_quote(third)
    assert [q.id for q in store.quotes()] == [second, first]
    assert store.clear_quotes() == 2
    assert store.quotes() == []
    assert basket_markdown([]) == ""
    store.close()


def test_save_basket_reports_os_errors(store: StateStore, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        store.save_basket(tmp_path / "missing" / "basket.md")


# -- damage, locks and no state ---------------------------------------------------------


def fill(store: StateStore, tmp_path: Path, threads: int = 40) -> None:
    for i in range(threads):
        thread = write_seed(tmp_path / f"t{i}.txt", f"Thread {i}", f"Article {i} " * 50, ["c"])
        tid = store.thread_id_for(thread)
        store.visit(tid, [os.urandom(8) for _ in range(300)])
        store.add_bookmark(tid, 1, "note " * 20)


def assert_fresh_and_working(store: StateStore, tmp_path: Path) -> None:
    assert store.persistent
    assert store.bookmarks() == []
    thread = write_seed(tmp_path / "after.txt", "After", "Fresh", ["x"])
    tid = store.thread_id_for(thread)
    store.save_position(tid, Position(focus=1))
    assert store.load_position(tid) == Position(focus=1)


def test_garbage_file_is_moved_aside(db: Path, tmp_path: Path) -> None:
    db.parent.mkdir(parents=True)
    garbage = os.urandom(3000)
    db.write_bytes(garbage)
    db.with_name(db.name + "-wal").write_bytes(b"wal junk")
    store, notices = StateStore.open(db)
    [aside] = db.parent.glob("state.sqlite3.corrupt-*[0-9]")
    assert aside.read_bytes() == garbage
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"wal junk"
    [notice] = notices
    assert str(db) in notice and str(aside) in notice
    assert_fresh_and_working(store, tmp_path)
    store.close()


def test_truncated_file_is_moved_aside(db: Path, tmp_path: Path) -> None:
    store, _ = StateStore.open(db)
    fill(store, tmp_path)
    store.close()
    size = db.stat().st_size
    assert size > 100_000
    with db.open("r+b") as handle:
        handle.truncate(size // 2)
    store, notices = StateStore.open(db)
    assert len(notices) == 1 and "moved to" in notices[0]
    assert len(list(db.parent.glob("state.sqlite3.corrupt-*"))) == 1
    assert_fresh_and_working(store, tmp_path)
    store.close()


def test_large_damaged_file_is_caught_by_check(db: Path, tmp_path: Path) -> None:
    store, _ = StateStore.open(db)
    fill(store, tmp_path)
    store.close()
    with db.open("r+b") as handle:
        # Pages in the middle: the schema on page 1 still reads, so only a full check
        # finds the damage.
        handle.seek(db.stat().st_size // 2)
        handle.write(b"\xff" * 8192)
    store, notices = StateStore.open(db, check_limit=0)
    assert notices == []
    thread = write_seed(tmp_path / "open.txt", "Open", "Now", ["x"])
    tid = store.thread_id_for(thread)
    [notice] = store.check()
    assert "moved to" in notice
    assert store.take_notices() == []
    # The id the app holds still names the thread in the fresh database.
    store.save_position(tid, Position(focus=1))
    assert store.load_position(tid) == Position(focus=1)
    assert store.thread_id_for(thread) == tid
    assert store.check() == []
    store.close()


def test_foreign_database_is_moved_aside(db: Path, tmp_path: Path) -> None:
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as other:
        other.execute("CREATE TABLE photos (id INTEGER)")
    other.close()
    store, [notice] = StateStore.open(db)
    assert "not a threadread state database" in notice
    assert_fresh_and_working(store, tmp_path)
    store.close()


# The column has integer affinity, so '1' and 1.0 are stored as 1 and need no test.
@pytest.mark.parametrize("version", ["'one'", "0.5", "'1.5'", "2.5", "X'01'", "' '"])
def test_schema_version_that_is_not_a_whole_number_is_moved_aside(
    db: Path, tmp_path: Path, version: str
) -> None:
    store, _ = StateStore.open(db)
    fill(store, tmp_path, threads=1)
    store._conn.execute(f"UPDATE schema_version SET version = {version}")
    store.close()
    store, [notice] = StateStore.open(db)
    assert "schema version" in notice and "moved to" in notice
    assert len(list(db.parent.glob("state.sqlite3.corrupt-*"))) == 1
    assert_fresh_and_working(store, tmp_path)
    store.close()
    again, notices = StateStore.open(db)
    assert notices == []
    again.close()


@pytest.mark.parametrize("dropped", ["threads", "seen", "bookmarks", "quotes"])
def test_database_missing_a_table_is_moved_aside_once(
    db: Path, tmp_path: Path, dropped: str
) -> None:
    store, _ = StateStore.open(db)
    fill(store, tmp_path, threads=1)
    store._conn.execute(f"DROP TABLE {dropped}")
    store.close()
    store, [notice] = StateStore.open(db)
    assert dropped in notice and "moved to" in notice
    assert_fresh_and_working(store, tmp_path)
    store.close()
    # The next session starts cleanly instead of failing the same way.
    again, notices = StateStore.open(db)
    assert notices == []
    assert again.persistent
    again.close()


def test_empty_version_table_beside_other_tables_is_moved_aside(db: Path, tmp_path: Path) -> None:
    store, _ = StateStore.open(db)
    store._conn.execute("DELETE FROM schema_version")
    store.close()
    store, [notice] = StateStore.open(db)
    assert "moved to" in notice
    assert_fresh_and_working(store, tmp_path)
    store.close()


def test_newer_schema_is_left_alone(db: Path) -> None:
    store, _ = StateStore.open(db)
    store._conn.execute("UPDATE schema_version SET version = 999")
    store.close()
    before = db.read_bytes()
    store, [notice] = StateStore.open(db)
    assert "newer version" in notice
    assert not store.persistent
    store.close()
    assert db.read_bytes() == before
    assert list(db.parent.glob("*.corrupt-*")) == []


def test_locked_database_gives_a_session_store(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state_db, "BUSY_TIMEOUT", 0.05)
    store, _ = StateStore.open(db)
    fill(store, tmp_path, threads=2)
    store.close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store, [notice] = StateStore.open(db)
        assert "in use" in notice
        assert not store.persistent
        assert list(db.parent.glob("*.corrupt-*")) == []
        assert_session_store_works(store)
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store, notices = StateStore.open(db)
    assert notices == []
    assert len(store.bookmarks()) == 2
    store.close()


def connect_file(db: Path, *, read_only: bool = False) -> sqlite3.Connection:
    target = f"file:{db}?mode=ro" if read_only else f"file:{db}"
    return sqlite3.connect(
        target, uri=True, timeout=0.05, isolation_level=None, check_same_thread=False
    )


@pytest.fixture
def retry_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state_db, "BUSY_TIMEOUT", 0.05)
    monkeypatch.setattr(session_copy, "RETRY_SECONDS", 0.0)


def saved_bookmarks(db: Path) -> set[int]:
    again, notices = StateStore.open(db)
    assert notices == []
    numbers = {mark.number for mark in again.bookmarks()}
    again.close()
    return numbers


def test_busy_writes_are_kept_for_the_session_and_saved_later(
    db: Path, tmp_path: Path, retry_now: None
) -> None:
    store, _ = StateStore.open(db)
    tid = store.thread_id_for(write_seed(tmp_path / "t.txt", "T", "A", ["x", "y"]))
    store.add_bookmark(tid, 1)
    assert store.unsaved() is None
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert store.add_bookmark(tid, 0) > 0
        assert store.unsaved() == "the state database is in use by another program"
        # The session still sees the change, and the count is not a lie.
        assert {mark.number for mark in store.bookmarks()} == {0, 1}
        assert store.add_quote(QuoteItem(title="T", path=None, number=1, text="x")) > 0
        assert len(store.quotes()) == 1
        [notice] = store.take_notices()
        assert "in use" in notice and "kept for this session" in notice
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert store.add_bookmark(tid, 2) > 0
    assert store.unsaved() is None
    [notice] = store.take_notices()
    assert "saved" in notice
    store.close()
    assert saved_bookmarks(db) == {0, 1, 2}


def test_changes_kept_while_locked_are_saved_at_close(
    db: Path, tmp_path: Path, retry_now: None
) -> None:
    # (An exclusive lock cannot be taken while this store has the WAL database open;
    # one held from before the start is `test_locked_database_gives_a_session_store`.)
    store, _ = StateStore.open(db)
    tid = store.thread_id_for(write_seed(tmp_path / "t.txt", "T", "A", ["x", "y"]))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert store.add_bookmark(tid, 1, "kept") > 0
        assert store.unsaved() is not None
        assert [mark.note for mark in store.bookmarks()] == ["kept"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.close()
    assert saved_bookmarks(db) == {1}


def test_read_only_database_keeps_quotes_for_the_session(
    db: Path, tmp_path: Path, retry_now: None
) -> None:
    store, _ = StateStore.open(db)
    store.add_quote(QuoteItem(title="T", path=None, number=1, text="first"))
    store._conn.close()
    store._conn = connect_file(db, read_only=True)
    assert store.add_quote(QuoteItem(title="T", path=None, number=2, text="second")) > 0
    assert store.unsaved() == "the state database is read-only"
    assert [q.text for q in store.quotes()] == ["first", "second"]
    store._conn.close()
    store._conn = connect_file(db)
    assert store.remove_quote(store.quotes()[0].id)
    assert store.unsaved() is None
    store.close()
    again, _ = StateStore.open(db)
    assert [q.text for q in again.quotes()] == ["second"]
    again.close()


def test_changes_still_refused_at_close_are_reported_not_claimed(
    db: Path, tmp_path: Path, retry_now: None
) -> None:
    store, _ = StateStore.open(db)
    store._conn.close()
    store._conn = connect_file(db, read_only=True)
    assert store.add_quote(QuoteItem(title="T", path=None, number=2, text="lost")) > 0
    store.close()
    store.close()
    assert store.unsaved() == "the state database is read-only"
    again, _ = StateStore.open(db)
    assert again.quotes() == []
    again.close()


def test_full_disk_mid_session_keeps_the_change(db: Path, tmp_path: Path, retry_now: None) -> None:
    store, _ = StateStore.open(db)
    tid = store.thread_id_for(write_seed(tmp_path / "t.txt", "T", "A", ["x"]))
    (pages,) = store._conn.execute("PRAGMA page_count").fetchone()
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    assert store.add_bookmark(tid, 1, "n" * 20_000, excerpt="e" * 20_000) > 0
    assert store.unsaved() == "the disk is full"
    assert {mark.number for mark in store.bookmarks()} == {1}
    store._conn.execute("PRAGMA max_page_count = 1000000")
    store.close()
    assert saved_bookmarks(db) == {1}


def test_tables_dropped_mid_session_move_the_database_aside(
    db: Path, tmp_path: Path, retry_now: None
) -> None:
    store, _ = StateStore.open(db)
    tid = store.thread_id_for(write_seed(tmp_path / "t.txt", "T", "A", ["x"]))
    with sqlite3.connect(db) as other:
        other.execute("DROP TABLE bookmarks")
    other.close()
    assert store.add_bookmark(tid, 1) > 0
    assert any("moved to" in notice for notice in store.take_notices())
    assert store.unsaved() is None
    store.close()
    assert saved_bookmarks(db) == {1}


def assert_session_store_works(store: StateStore) -> None:
    tid = store.thread_id("/nowhere/t.txt", "f" * 32, "T")
    assert tid > 0
    store.save_position(tid, Position(focus=3))
    assert store.load_position(tid) == Position(focus=3)
    assert store.add_quote(QuoteItem(title="T", path=None, number=1, text="kept")) > 0
    assert [q.text for q in store.quotes()] == ["kept"]
    assert store.add_bookmark(tid, 1) > 0


def test_no_state_creates_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store, notices = StateStore.open(None)
    assert notices == []
    assert not store.persistent and store.path is None
    assert store.check() == []
    assert_session_store_works(store)
    store.close()
    assert list(tmp_path.iterdir()) == []


def test_unwritable_location_gives_a_session_store(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store, [notice] = StateStore.open(blocker / "state" / "state.sqlite3")
    assert "not saved" in notice
    assert not store.persistent
    assert_session_store_works(store)
    store.close()


def test_folders_are_made_only_on_open(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "state.sqlite3"
    assert not db.parent.exists()
    store, _ = StateStore.open(db)
    assert db.exists()
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("SELECT version FROM schema_version").fetchone()[0] == (
        state_db.SCHEMA_VERSION
    )
    store.close()


def test_closed_store_answers_empty(store: StateStore) -> None:
    store.close()
    assert store.bookmarks() == []
    assert store.thread_id("/x", "f" * 32) == 0
    assert store.take_notices() == []


def test_used_from_several_threads(store: StateStore) -> None:
    tids = [store.thread_id(f"/t/{i}.txt", f"{i:032x}", f"T{i}") for i in range(4)]
    errors: list[BaseException] = []

    def work(tid: int) -> None:
        try:
            for n in range(50):
                store.mark_seen(tid, [os.urandom(8)])
                store.save_position(tid, Position(focus=n))
                store.add_quote(QuoteItem(title="T", path=None, number=n, text=str(n)))
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=work, args=(t,)) for t in tids]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert len(store.quotes()) == 200
    assert all(len(store.seen_keys(t)) == 50 for t in tids)
    assert store.take_notices() == []


def test_packed_keys_read_like_a_list() -> None:
    keys = [bytes([i]) * KEY_SIZE for i in range(1, 6)]
    packed = PackedKeys(keys)
    assert len(packed) == 5
    assert list(packed) == keys
    assert packed[0] == keys[0] and packed[-1] == keys[-1]
    with pytest.raises(IndexError):
        packed[5]
    with pytest.raises(ValueError):
        PackedKeys([b"short"])
