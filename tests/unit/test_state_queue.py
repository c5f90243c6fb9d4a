"""The state queue: store calls off the UI thread, in the order they were asked for."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tui.state.queue import StateQueue
from tui.state.store import StateStore


class Harness:
    """A queue whose workers are plain threads and whose "UI thread" is the test's."""

    def __init__(self) -> None:
        self.store, _ = StateStore.open(None)
        self.threads: list[threading.Thread] = []
        self.delivered: list[tuple[str, object]] = []
        self.notices: list[str] = []
        self.queue = StateQueue(
            self.store, start=self.start, call_in_ui=self.call_in_ui, notify=self.notices.append
        )

    def start(self, fn: Callable[[], None]) -> None:
        thread = threading.Thread(target=fn)
        self.threads.append(thread)
        thread.start()

    def call_in_ui(self, callback: Callable[..., object], *args: object) -> None:
        self.delivered.append(("worker", args))
        callback(*args)

    def join(self) -> None:
        for thread in list(self.threads):
            thread.join(5)


@pytest.fixture
def harness() -> Iterator[Harness]:
    made = Harness()
    yield made
    made.join()
    made.store.close()


def test_jobs_run_in_the_order_submitted(harness: Harness) -> None:
    order: list[int] = []

    def job(n: int) -> Callable[[StateStore], int]:
        def work(store: StateStore) -> int:
            time.sleep(0.001 * (n % 3))
            order.append(n)
            return n

        return work

    results: list[int] = []
    for n in range(30):
        harness.queue.submit(job(n), results.append)
    harness.join()
    assert order == list(range(30))
    assert results == list(range(30))
    assert all(where == "worker" for where, _ in harness.delivered)


def test_run_goes_after_everything_queued_before_it(harness: Harness) -> None:
    order: list[str] = []
    release = threading.Event()

    def slow(store: StateStore) -> None:
        release.wait(5)
        order.append("slow")

    harness.queue.submit(slow)
    harness.queue.submit(lambda store: order.append("queued"))
    runner = threading.Thread(target=lambda: harness.queue.run(lambda s: order.append("run")))
    runner.start()
    time.sleep(0.05)
    assert order == []
    release.set()
    runner.join(5)
    harness.join()
    assert order == ["slow", "queued", "run"]


def test_a_failing_job_is_a_notice_and_the_queue_goes_on(harness: Harness) -> None:
    def broken(store: StateStore) -> None:
        raise ValueError("boom")

    harness.queue.submit(broken)
    assert harness.queue.run(lambda store: "after") == "after"
    harness.join()
    assert any("boom" in notice for notice in harness.notices)


def test_close_runs_what_is_queued_and_refuses_more(harness: Harness) -> None:
    done: list[str] = []
    harness.queue.close()
    harness.queue.submit(lambda store: done.append("late"))
    harness.join()
    assert done == []


def test_a_refused_write_reaches_the_caller_and_the_user(tmp_path) -> None:
    import sqlite3

    db = tmp_path / "state.sqlite3"
    store, _ = StateStore.open(db)
    harness = Harness()
    harness.store.close()
    harness.store = harness.queue.store = store
    store._conn.close()
    store._conn = sqlite3.connect(
        f"file:{db}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
    )
    told: list[tuple[bool, str | None]] = []

    def work(s: StateStore) -> tuple[bool, str | None]:
        return s.add_bookmark(s.thread_id("/t.txt", "f" * 32, "T"), 1) > 0, s.unsaved()

    harness.queue.submit(work, told.append)
    harness.queue.close()
    harness.join()
    assert told == [(True, "the state database is read-only")]
    assert any("kept for this session" in notice for notice in harness.notices)
    store.close()
