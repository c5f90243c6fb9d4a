"""The reader app end to end: first screen, key and search latency, memory.

Everything here runs the real `ThreadReaderApp` under `App.run_test` at 120x40.  The
headless driver writes nothing, so `App._display` is wrapped to do what a terminal
driver would have done with each update (render it to escape sequences) and to note
the time it was handed over.  Time spent by the bench itself (keeping a text copy of the
screen to recognise the first complete frame) is taken off the clock.

Figures, for the seed thread and a generated 100,000-comment thread (about 20 MB):

- first complete screen: from reading the file as the `threadread` command does
  (`read_thread_head`: a large file opens from its first 256 KiB and the reader reads
  the rest behind the first screen) to the first frame whose screen shows the header,
  the article, comment #1 with its text, and the footer; median of several opens.
  Goal: the big thread at most 1.5x the seed.  The time until the whole big thread is
  read and indexed is printed too.
- key latency on the big thread: from the App dispatching the key event to the next
  frame (not around `pilot.press`, whose own waiting dwarfs the work), once the search
  index is built.  Goals: median under 16 ms, worst under 50 ms.  `j` is also timed
  right after the first screen, while the index is still being built (no goal).
- search latency on the big thread once the index is built: from calling `run_search`
  to the first frame that shows the new hits (big threads search in a worker, so the
  frame right after the call only says "searching").  Goal: under 100 ms.
- memory: peak RSS of a fresh process with the big thread open minus one with the seed
  open, per byte of the big file, at the first complete screen and once the index is
  built.  Goal: under 5x.  The peak is the kernel's VmHWM where there is one:
  `ru_maxrss` survives exec on Linux, so a child of this (by then large) process would
  report its parent's.

Garbage-collector pauses are recorded alongside, so a slow frame that is a full
collection of the big thread's objects shows as such.

    python -m bench app
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import gc
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.timing import Row, print_table

COMMENTS = 100_000
SIZE = (120, 40)
SEED = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "000_43ec0b9f999082d5.txt"
FALLBACK_SEED = (
    Path(__file__).resolve().parents[1] / "sample_threads" / "city-council-bike-lanes.txt"
)
OPENS = 5
KEYS = ("j", "G", "right_square_bracket", "enter", "g", "k")
# Pressed in this order each round, so that every key changes what is shown: from the
# first comment down, fold one, to the end and back up one.
PRESS_ORDER = ("g", "j", "right_square_bracket", "enter", "G", "k")
ROUNDS = 32
# `j` presses right after the first screen, while the index is still being built.
BUSY_PRESSES = 20
SEARCH_WORDS = ("council", "approved", "budget")
SEARCHES_PER_WORD = 10
TIMEOUT = 120.0

OPEN_GOAL = 1.5
KEY_MEDIAN_GOAL_MS = 16.0
KEY_WORST_GOAL_MS = 50.0
SEARCH_GOAL_MS = 100.0
MEMORY_GOAL = 5.0

_HEADER_OF_FIRST = re.compile(r"[▾▸•] #1(?!\d)")


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def _seed_path() -> Path:
    return SEED if SEED.is_file() else FALLBACK_SEED


def _first_words(text: str, count: int) -> str:
    from rich.cells import get_character_cell_size

    from tui.core.outline import display_text

    words = display_text(text).split()[:count]
    return "".join(c for c in " ".join(words) if get_character_cell_size(c) > 0)


class ScreenText:
    """What a terminal would show, as text: each update applied cell by cell."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.rows = [[" "] * width for _ in range(height)]

    def _put(self, x: int, y: int, segments: Any) -> None:
        from rich.cells import get_character_cell_size

        if not 0 <= y < self.height:
            return
        row = self.rows[y]
        for segment in segments:
            if segment.control:
                continue
            for char in segment.text:
                size = get_character_cell_size(char)
                if size == 0:
                    continue
                if x >= self.width:
                    return
                row[x] = char
                if size == 2 and x + 1 < self.width:
                    row[x + 1] = ""
                x += size

    def apply(self, update: object) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    self._put(x, y, strip)
                    x += strip.cell_length
        elif isinstance(update, ChopsUpdate):
            for y, _start, _end in update.spans:
                for x, strip in update.chops[y].items():
                    if strip is not None:
                        self._put(x, y, strip)

    def lines(self) -> list[str]:
        return ["".join(row) for row in self.rows]


class CompleteScreen:
    """Recognises the reader's first screen with every part painted."""

    def __init__(self, thread: Any) -> None:
        self.title = _first_words(thread.title or "(untitled thread)", 5)
        self.article = _first_words(thread.article[0], 6) if thread.article else ""
        self.comment = _first_words(thread.tree.get(1).text, 3) if len(thread.tree) else ""

    def __call__(self, lines: Sequence[str]) -> bool:
        if self.title not in lines[0] or "Quit" not in lines[-1]:
            return False
        if self.article and not any(self.article in line for line in lines[1:-1]):
            return False
        if not self.comment:
            return True
        return any(
            _HEADER_OF_FIRST.search(line) and self.comment in lines[y + 1]
            for y, line in enumerate(lines[:-2])
        )


class FrameRecorder:
    """Wraps an app's `_display` and `on_event` to time frames and key dispatches.

    `now()` is `perf_counter` less the time the recorder spent on its own bookkeeping,
    so intervals measured with it are what the app alone took.
    """

    def __init__(self, app: Any, complete: CompleteScreen | None) -> None:
        self.app = app
        self.overhead = 0.0
        self.frames: list[float] = []
        self.keys: list[tuple[str, float]] = []
        self.gc_pauses: list[tuple[float, float, int]] = []
        self.marked: float | None = None
        self._mark: Callable[[], bool] | None = None
        self._gc_start = 0.0
        self.first_frame: float | None = None
        self.first_complete: float | None = None
        self.rss_first_complete = 0
        self.changed = asyncio.Event()
        self._complete = complete
        self._screen = ScreenText(*SIZE) if complete is not None else None
        display = app._display
        on_event = app.on_event

        def recorded_display(screen: Any, renderable: Any) -> None:
            from textual._compositor import CompositorUpdate

            from tui.ui.screens.reader import ReaderScreen

            display(screen, renderable)
            if not isinstance(renderable, CompositorUpdate):
                return
            if not isinstance(screen, ReaderScreen):
                return
            renderable.render_segments(app.console)
            now = self.now()
            self.frames.append(now)
            if self.first_frame is None:
                self.first_frame = now
            if self._mark is not None and self._mark():
                self.marked = now
                self._mark = None
            if self._screen is not None and self._complete is not None:
                begin = time.perf_counter()
                self._screen.apply(renderable)
                if self._complete(self._screen.lines()):
                    self.first_complete = now
                    self.rss_first_complete = peak_rss_kib()
                    self._screen = None
                self.overhead += time.perf_counter() - begin
            self.changed.set()

        async def recorded_on_event(event: Any) -> None:
            from textual import events

            if isinstance(event, events.Key) and not event.is_forwarded:
                self.keys.append((event.key, self.now()))
            await on_event(event)

        app._display = recorded_display
        app.on_event = recorded_on_event

    def now(self) -> float:
        return time.perf_counter() - self.overhead

    def _gc_callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = self.now()
        else:
            self.gc_pauses.append((self._gc_start, self.now(), info["generation"]))

    def watch_gc(self, on: bool) -> None:
        """Record garbage-collector pauses (start, end, generation) while on."""
        if on:
            gc.callbacks.append(self._gc_callback)
        elif self._gc_callback in gc.callbacks:
            gc.callbacks.remove(self._gc_callback)

    def gc_between(self, start: float, end: float) -> tuple[float, int]:
        """Milliseconds of collection between two times, and the oldest generation."""
        total, oldest = 0.0, -1
        for begin, finish, generation in self.gc_pauses:
            if begin >= start and finish <= end:
                total += finish - begin
                oldest = max(oldest, generation)
        return total * 1000.0, oldest

    def mark_when(self, ready: Callable[[], bool]) -> None:
        """Note the first frame after which `ready()` holds (checked at each frame)."""
        self.marked = None
        self._mark = ready

    async def _wait(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.perf_counter() + TIMEOUT
        while not ready():
            self.changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no {what} within {TIMEOUT:g} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), timeout=min(left, 0.05))

    async def complete(self) -> float:
        """Wait for the first complete screen; its time."""
        await self._wait(lambda: self.first_complete is not None, "complete first screen")
        assert self.first_complete is not None
        return self.first_complete

    async def marked_frame(self) -> float:
        """Wait for the frame `mark_when` is looking for; its time."""
        await self._wait(lambda: self.marked is not None, "frame after the change")
        assert self.marked is not None
        return self.marked

    async def press_busy(self, key: str) -> None:
        """Send a key as the driver would and wait for its frame.

        `pilot.press` waits until the process is idle, which never happens while a
        worker thread is busy, so it would allow only one press a second.
        """
        from textual import events

        count = len(self.keys)
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(self.app)
        self.app._driver.send_message(event)
        await self._wait(lambda: len(self.keys) > count, "key dispatch")
        start = self.keys[count][1]
        await self._wait(lambda: bool(self.frames) and self.frames[-1] > start, "frame")
        await asyncio.sleep(0.05)

    def key_latencies(self) -> dict[str, list[Press]]:
        """Per key, each dispatch: its first frame, its last one before the next key."""
        found: dict[str, list[Press]] = {}
        for i, (key, start) in enumerate(self.keys):
            end = self.keys[i + 1][1] if i + 1 < len(self.keys) else float("inf")
            first = bisect.bisect_right(self.frames, start)
            last = bisect.bisect_left(self.frames, end) - 1
            if first > last:
                found.setdefault(key, []).append(Press(None, None, 0.0, -1))
                continue
            gc_ms, generation = self.gc_between(start, self.frames[first])
            found.setdefault(key, []).append(
                Press(
                    (self.frames[first] - start) * 1000.0,
                    (self.frames[last] - start) * 1000.0,
                    gc_ms,
                    generation,
                )
            )
        return found


@dataclass(frozen=True, slots=True)
class Press:
    """One key press: ms to its first and last frame (None: no frame), and the
    collector's pauses before the first frame (ms, oldest generation or -1)."""

    first: float | None
    last: float | None
    gc_ms: float
    gc_generation: int


def peak_rss_kib() -> int:
    """This process's peak resident set size in KiB (VmHWM, else ru_maxrss)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _join_new_threads(before: set[threading.Thread]) -> None:
    """Let worker threads of a finished app end, so they do not load the next run."""
    for thread in threading.enumerate():
        if thread not in before and thread is not threading.current_thread():
            thread.join(TIMEOUT)


@dataclass
class Open:
    """One timed open: milliseconds from reading the bytes to each milestone."""

    parse: float
    first_frame: float
    complete: float


async def _open_once(path: Path) -> Open:
    from tui.core.formats.detect import read_thread_head
    from tui.ui.app import ThreadReaderApp

    start = time.perf_counter()
    thread = read_thread_head(path)
    parsed = time.perf_counter()
    app = ThreadReaderApp(thread)
    recorder = FrameRecorder(app, CompleteScreen(thread))
    async with app.run_test(size=SIZE):
        complete = await recorder.complete()
    assert recorder.first_frame is not None
    return Open(
        (parsed - start) * 1000.0,
        (recorder.first_frame - start) * 1000.0,
        (complete - start) * 1000.0,
    )


def open_thread(path: Path) -> Open:
    """Open the thread in a fresh app and event loop, then wait for its workers to end."""
    before = set(threading.enumerate())
    gc.collect()
    try:
        return asyncio.run(_open_once(path))
    finally:
        _join_new_threads(before)


@dataclass
class Session:
    """What one long session on the big thread measured."""

    index_ms: float = 0.0
    whole_ms: float = 0.0
    keys: dict[str, list[Press]] = field(default_factory=dict)
    busy: list[Press] = field(default_factory=list)
    search: dict[str, list[float]] = field(default_factory=dict)
    search_gc: dict[str, list[float]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    full_collections: list[float] = field(default_factory=list)


async def _measure_session(
    app: Any, pilot: Any, screen: Any, recorder: FrameRecorder, result: Session, start: float
) -> None:
    """Keys while indexing, then (index built) keys and searches; `start` is when the
    bytes began to be parsed."""
    recorder.keys.clear()
    for _ in range(BUSY_PRESSES):
        if screen.search.index_ready.is_set():
            break
        await recorder.press_busy("j")
        if not screen.thread.partial and not result.whole_ms:
            result.whole_ms = (recorder.now() - start) * 1000.0
    result.busy = recorder.key_latencies().get("j", [])
    while not screen.search.index_ready.is_set():
        if not screen.thread.partial and not result.whole_ms:
            result.whole_ms = (recorder.now() - start) * 1000.0
        await asyncio.sleep(0.005)
    result.index_ms = (recorder.now() - start) * 1000.0
    await app.workers.wait_for_complete()
    await pilot.pause()

    recorder.keys.clear()
    for _ in range(ROUNDS):
        for key in PRESS_ORDER:
            await pilot.press(key)
    result.keys = recorder.key_latencies()

    screen.action_search()
    await pilot.pause()
    for _ in range(SEARCHES_PER_WORD):
        for word in SEARCH_WORDS:
            before = screen.hits
            recorder.mark_when(
                lambda before=before: bool(screen.hits) and screen.hits is not before
            )
            begin = recorder.now()
            screen.search.run(word, False, move=True)
            frame = await recorder.marked_frame()
            result.search.setdefault(word, []).append((frame - begin) * 1000.0)
            result.search_gc.setdefault(word, []).append(recorder.gc_between(begin, frame)[0])
            result.hits[word] = len(screen.hits)
            await app.workers.wait_for_complete()
            await pilot.pause()


async def _session(path: Path) -> Session:
    from tui.core.formats.detect import read_thread_head
    from tui.ui.app import ThreadReaderApp
    from tui.ui.screens.reader import ReaderScreen

    result = Session()
    start = time.perf_counter()
    thread = read_thread_head(path)
    app = ThreadReaderApp(thread)
    recorder = FrameRecorder(app, CompleteScreen(thread))
    async with app.run_test(size=SIZE) as pilot:
        await recorder.complete()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        recorder.watch_gc(True)
        try:
            await _measure_session(app, pilot, screen, recorder, result, start)
        finally:
            recorder.watch_gc(False)
        result.full_collections = [
            (end - begin) * 1000.0 for begin, end, gen in recorder.gc_pauses if gen == 2
        ]
    return result


def run_session(path: Path) -> Session:
    before = set(threading.enumerate())
    gc.collect()
    try:
        return asyncio.run(_session(path))
    finally:
        _join_new_threads(before)


async def _rss_of(path: Path) -> dict[str, int]:
    from tui.core.formats.detect import read_thread_head
    from tui.ui.app import ThreadReaderApp
    from tui.ui.screens.reader import ReaderScreen

    thread = read_thread_head(path)
    app = ThreadReaderApp(thread)
    recorder = FrameRecorder(app, CompleteScreen(thread))
    async with app.run_test(size=SIZE) as pilot:
        await recorder.complete()
        first = recorder.rss_first_complete
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        while not screen.search.index_ready.is_set():
            await asyncio.sleep(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        indexed = peak_rss_kib()
    return {"first_kb": first, "indexed_kb": indexed}


def _rss_child(path: str) -> None:
    """In a fresh process: peak RSS (KiB) at the first complete screen and once indexed."""
    print(json.dumps(asyncio.run(_rss_of(Path(path)))))


def measure_rss(path: Path) -> dict[str, int]:
    """Peak RSS of a fresh process that opens `path`, from `_rss_child`."""
    output = subprocess.run(
        [sys.executable, "-m", "bench.bench_app", "--rss", str(path)],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _open_rows(opens: dict[str, list[Open]], session: Session) -> tuple[list[Row], float]:
    def med(name: str, attribute: str) -> float:
        return _median([getattr(one, attribute) for one in opens[name]])

    seed, big = med("seed", "complete"), med("big", "complete")
    ratio = big / seed
    rows = [
        Row("seed: read_thread_head", med("seed", "parse"), seed),
        Row("seed: first frame", med("seed", "first_frame"), seed),
        Row("seed: first complete screen", seed, seed),
        Row("big: read_thread_head", med("big", "parse"), seed),
        Row("big: first frame", med("big", "first_frame"), seed),
        Row(
            "big: first complete screen",
            big,
            seed,
            f"<= {OPEN_GOAL:g}x seed: {_verdict(ratio <= OPEN_GOAL)}",
        ),
        Row("big: whole thread read, from the start", session.whole_ms, seed),
        Row("big: search index ready, from the start", session.index_ms, seed),
    ]
    return rows, ratio


def _busy_rows(presses: list[Press]) -> list[Row]:
    firsts = [p.first for p in presses if p.first is not None]
    if not firsts:
        return []
    return [
        Row(
            f"key j while the index builds: median of {len(firsts)}",
            _median(firsts),
            KEY_MEDIAN_GOAL_MS,
        ),
        Row("key j while the index builds: worst", max(firsts), KEY_WORST_GOAL_MS),
    ]


def _key_rows(keys: dict[str, list[Press]]) -> tuple[list[Row], bool]:
    rows: list[Row] = []
    met_all = True
    for key in KEYS:
        presses = keys.get(key, [])
        framed = [p for p in presses if p.first is not None]
        firsts = [p.first for p in framed if p.first is not None]
        median = _median(firsts) if len(framed) == len(presses) else float("inf")
        worst = max(firsts, default=float("nan"))
        if len(framed) < len(presses):
            worst = float("inf")
        met = median < KEY_MEDIAN_GOAL_MS and worst < KEY_WORST_GOAL_MS
        met_all = met_all and met
        missing = len(presses) - len(framed)
        label = f"key {key}: median of {len(presses)}" + (
            f", {missing} unframed" if missing else ""
        )
        rows += [
            Row(
                label,
                median,
                KEY_MEDIAN_GOAL_MS,
                f"< {KEY_MEDIAN_GOAL_MS:g} ms: {_verdict(median < KEY_MEDIAN_GOAL_MS)}",
            ),
            Row(
                f"key {key}: worst",
                worst,
                KEY_WORST_GOAL_MS,
                f"< {KEY_WORST_GOAL_MS:g} ms: {_verdict(worst < KEY_WORST_GOAL_MS)}",
            ),
        ]
        collected = [p for p in framed if p.gc_generation == 2]
        if collected:
            rows.append(
                Row(
                    f"key {key}: worst less GC ({len(collected)} with a full collection)",
                    max(p.first - p.gc_ms for p in framed if p.first is not None),
                    KEY_WORST_GOAL_MS,
                )
            )
        settled = max((p.last for p in framed if p.last is not None), default=worst)
        if settled > worst:
            rows.append(Row(f"key {key}: worst to the last frame", settled, KEY_WORST_GOAL_MS))
    return rows, met_all


def _search_rows(session: Session) -> tuple[list[Row], bool]:
    rows: list[Row] = []
    met_all = True
    for word in SEARCH_WORDS:
        times = session.search.get(word, [])
        median, worst = _median(times), max(times, default=float("nan"))
        met_all = met_all and worst < SEARCH_GOAL_MS
        rows += [
            Row(
                f"search {word!r} ({session.hits.get(word, 0):,} hits): median of {len(times)}",
                median,
                SEARCH_GOAL_MS,
                f"< {SEARCH_GOAL_MS:g} ms: {_verdict(median < SEARCH_GOAL_MS)}",
            ),
            Row(
                f"search {word!r}: worst",
                worst,
                SEARCH_GOAL_MS,
                f"< {SEARCH_GOAL_MS:g} ms: {_verdict(worst < SEARCH_GOAL_MS)}",
            ),
        ]
        gc_ms = max(session.search_gc.get(word, []), default=0.0)
        if gc_ms:
            rows.append(Row(f"search {word!r}: most GC in one search", gc_ms, SEARCH_GOAL_MS))
    return rows, met_all


def main() -> None:
    """Open both threads in turns, run one long session on the big one, then measure
    memory in fresh processes; print the tables."""
    from bench.generate import generate_thread

    seed_path = _seed_path()
    seed = seed_path.read_bytes()
    big = generate_thread(COMMENTS, seed=1, mojibake=True)

    with tempfile.TemporaryDirectory() as folder:
        big_path = Path(folder) / "big.txt"
        big_path.write_bytes(big)
        open_thread(seed_path)
        opens: dict[str, list[Open]] = {"seed": [], "big": []}
        for _ in range(OPENS):
            opens["seed"].append(open_thread(seed_path))
            opens["big"].append(open_thread(big_path))

        session = run_session(big_path)
        rss_seed = measure_rss(seed_path)
        rss_big = measure_rss(big_path)

    open_rows, open_ratio = _open_rows(opens, session)
    key_rows, key_met = _key_rows(session.keys)
    key_rows += _busy_rows(session.busy)
    search_rows, search_met = _search_rows(session)

    print(
        f"app: {seed_path.name} ({len(seed):,} bytes) vs {COMMENTS:,} generated comments "
        f"({len(big) / 1e6:.1f} MB); {SIZE[0]}x{SIZE[1]}; median of {OPENS} opens"
    )
    print("\nfirst complete screen (x seed's first complete screen)")
    print_table(open_rows)
    print(f"\nkeys on the big thread, {ROUNDS} rounds, dispatch to first frame (x goal)")
    print_table(key_rows)
    print("\nsearch on the big thread, index built, until the frame with the hits (x goal)")
    print_table(search_rows)
    if session.full_collections:
        print(
            f"full GC collections after the first screen: {len(session.full_collections)}, "
            f"longest {max(session.full_collections):.0f} ms"
        )

    print("\npeak RSS, a fresh process each (MiB)")
    width = 24
    print(f"{'moment':<{width}}  {'seed':>8}  {'big':>8}  {'extra/file':>10}  goal")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 8}  {'-' * 10}  {'-' * 4}")
    worst_memory = 0.0
    for key, moment in (("first_kb", "first complete screen"), ("indexed_kb", "index built")):
        ratio = (rss_big[key] - rss_seed[key]) * 1024 / len(big)
        worst_memory = max(worst_memory, ratio)
        print(
            f"{moment:<{width}}  {rss_seed[key] / 1024:>8.1f}  {rss_big[key] / 1024:>8.1f}  "
            f"{ratio:>9.2f}x  < {MEMORY_GOAL:g}x: {_verdict(ratio < MEMORY_GOAL)}"
        )

    print()
    print(
        f"first screen: big is {open_ratio:.2f}x seed (goal <= {OPEN_GOAL:g}x: "
        f"{_verdict(open_ratio <= OPEN_GOAL)})"
    )
    print(f"keys: {_verdict(key_met)}; search: {_verdict(search_met)}")
    print(
        f"memory: big minus seed is {worst_memory:.2f}x the file at most "
        f"(goal < {MEMORY_GOAL:g}x: {_verdict(worst_memory < MEMORY_GOAL)})"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--rss":
        _rss_child(sys.argv[2])
    else:
        main()
