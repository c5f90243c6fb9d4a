"""How fast a library of thousands of threads opens, and how fast it is searched.

Two folders are generated once under bench/out/ (as the seed's series is named,
`000_<hash>.txt`, from bodies made by `bench.generate`, mojibake included, since
that is what scraped threads carry and what makes a thread costly to read):

* 10,000 threads of about 4 kB, for the list: walking the folder, the first screen
  of titles (the first batch the UI waits for), every title, every comment count,
  and the first screen in the real app, headless;
* 2,000 threads of about 27 kB (about 55 MB), for the search across threads: a word
  that one thread holds, searched with the reader's rules (smart case: a lower-case
  word ignores case), against `grep -rc` on the same folder, and against `grep -rci`,
  which ignores case too.

Goals: the first screen of 10,000 threads within 1 s; the one-thread search within
5x of `grep -rc`.  A common word is timed too: every thread then has to be parsed and
repaired, which no byte test can spare; and a regex, whose byte test is the literal
run every match must hold (`zeppel`).  Files are read from the page
cache (they were just written or read), as they are in a second search.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.generate import OUT_DIR, generate_thread
from bench.timing import Row, best_of, best_of_each, print_table

LIST_THREADS = 10_000
LIST_COMMENTS = 18
SEARCH_THREADS = 2_000
SEARCH_COMMENTS = 120
BODIES = 50
WORD = "zeppelin"
FIRST_SCREEN_GOAL_MS = 1000.0
GREP_GOAL = 5.0
# Bump to regenerate the folders when what they hold changes.
VERSION = "1"

if TYPE_CHECKING:
    from textual.strip import Strip


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def make_library(root: Path, threads: int, comments: int) -> Path:
    """A folder of `threads` seed-format threads (kept between runs); thread number
    threads // 2 says WORD in one comment, no other thread does."""
    stamp = root / ".stamp"
    wanted = f"{VERSION} {threads} {comments}"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return root
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    bodies = []
    for seed in range(BODIES):
        data = generate_thread(comments, seed=seed, mojibake=True)
        bodies.append(data.split(b"\n", 1)[1])
    for i in range(threads):
        body = bodies[i % BODIES]
        if i == threads // 2:
            body = body.replace(b"Source?", b"Source? The " + WORD.encode() + b" left at dawn.", 1)
        name = f"{i:04d}_{hashlib.sha1(str(i).encode()).hexdigest()[:16]}.txt"
        title = f"Thread {i}: city report on transit, housing and budget"
        (root / name).write_bytes(title.encode() + b"\n" + body)
    stamp.write_text(wanted, encoding="utf-8")
    return root


def first_screen_in_app(root: Path) -> float:
    """Milliseconds from creating the app to the moment its list draws the last row
    of a screen full of titles (headless, 120x40), best of three."""
    from tui.ui.app import ThreadReaderApp
    from tui.ui.widgets.thread_table import ThreadTable

    rows = 30
    painted: list[float] = []
    render_line = ThreadTable.render_line

    def timed(self: ThreadTable, y: int) -> Strip:
        if not painted and y == rows and self.row_count >= rows:
            painted.append(time.perf_counter())
        return render_line(self, y)

    async def run() -> float:
        painted.clear()
        start = time.perf_counter()
        app = ThreadReaderApp(library=[root])
        async with app.run_test(size=(120, 40)):
            while not painted:
                await asyncio.sleep(0.002)
            app.screen.workers.cancel_all()
        return (painted[0] - start) * 1000.0

    ThreadTable.render_line = timed  # type: ignore[method-assign]
    try:
        return min(asyncio.run(run()) for _ in range(3))
    finally:
        ThreadTable.render_line = render_line  # type: ignore[method-assign]


def list_figures(root: Path) -> list[Row]:
    from tui.core.library import count_entry, read_entry, walk
    from tui.ui.screens.library import FIRST_BATCH

    def first_batch() -> None:
        files = walk([root]).files
        for candidate in files[:FIRST_BATCH]:
            read_entry(candidate)

    def all_titles() -> list:
        return [read_entry(c) for c in walk([root]).files]

    walk_ms = best_of(lambda: walk([root]))
    first_ms = best_of(first_batch)
    titles_ms = best_of(all_titles, repeat=2)
    entries = all_titles()
    start = time.perf_counter()
    for entry in entries:
        count_entry(entry)
    counts_ms = (time.perf_counter() - start) * 1000.0
    app_ms = first_screen_in_app(root)
    return [
        Row(f"walk {LIST_THREADS:,} files", walk_ms, first_ms),
        Row(
            f"first screen: walk + {FIRST_BATCH} titles",
            first_ms,
            first_ms,
            f"<= {FIRST_SCREEN_GOAL_MS:g} ms: {_verdict(first_ms <= FIRST_SCREEN_GOAL_MS)}",
        ),
        Row(
            "first screen drawn by the app (headless, from start)",
            app_ms,
            first_ms,
            f"<= {FIRST_SCREEN_GOAL_MS:g} ms: {_verdict(app_ms <= FIRST_SCREEN_GOAL_MS)}",
        ),
        Row(f"all {LIST_THREADS:,} titles (background)", titles_ms, first_ms),
        Row(f"all {LIST_THREADS:,} comment counts (background)", counts_ms, first_ms),
    ]


def search_all(root: Path, text: str, *, regex: bool = False) -> int:
    """Search every thread as the library search does; the number of matching lines."""
    from tui.core.library import walk
    from tui.core.search.files import Query, search_files
    from tui.core.search.query import compile_pattern

    paths = [c.path for c in walk([root]).files]
    query = Query(compile_pattern(text, regex=regex))
    return sum(len(result.lines) for result in search_files(paths, query))


def search_figures(root: Path) -> tuple[list[Row], float | None]:
    grep = shutil.which("grep")
    found = search_all(root, WORD)
    if found != 1:
        print(f"warning: {WORD!r} found on {found} lines, expected 1")

    def run_grep(*flags: str) -> None:
        assert grep is not None
        subprocess.run([grep, *flags, WORD, str(root)], stdout=subprocess.DEVNULL, check=False)

    funcs = {"search": lambda: search_all(root, WORD)}
    if grep is not None:
        funcs["grep"] = lambda: run_grep("-rc")
        funcs["grep_i"] = lambda: run_grep("-rci")
    ms = best_of_each(funcs)
    common_ms = best_of(lambda: search_all(root, "the mayor"), repeat=1)
    regex_ms = best_of(lambda: search_all(root, r"zeppel\w+", regex=True), repeat=1)
    if grep is None:
        base = ms["search"]
        rows = [Row(f"search {SEARCH_THREADS:,} threads for {WORD!r}", base, base, "no grep")]
        ratio = None
    else:
        base = ms["grep"]
        ratio = ms["search"] / base
        rows = [
            Row(f"grep -rc {WORD}", base, base),
            Row(f"grep -rci {WORD}", ms["grep_i"], base),
            Row(
                f"library search {WORD!r} (smart case)",
                ms["search"],
                base,
                f"<= {GREP_GOAL:g}x grep -rc: {_verdict(ratio <= GREP_GOAL)}",
            ),
        ]
    rows += [
        Row("library search 'the mayor' (every thread matches)", common_ms, base),
        Row("library search regex 'zeppel\\w+' (byte test: 'zeppel')", regex_ms, base),
    ]
    return rows, ratio


def main() -> None:
    """Generate the folders once, time each figure, print the tables."""
    list_root = make_library(OUT_DIR / f"library-{LIST_THREADS}", LIST_THREADS, LIST_COMMENTS)
    search_root = make_library(
        OUT_DIR / f"library-{SEARCH_THREADS}", SEARCH_THREADS, SEARCH_COMMENTS
    )
    list_mb = sum(p.stat().st_size for p in list_root.iterdir()) / 1e6
    search_mb = sum(p.stat().st_size for p in search_root.iterdir()) / 1e6

    print(f"library list: {LIST_THREADS:,} threads, {list_mb:.0f} MB")
    print_table(list_figures(list_root))
    print()
    print(f"library search: {SEARCH_THREADS:,} threads, {search_mb:.0f} MB")
    rows, ratio = search_figures(search_root)
    print_table(rows)
    if ratio is not None:
        print(
            f"search is {ratio:.2f}x grep -rc (goal <= {GREP_GOAL:g}x: "
            f"{_verdict(ratio <= GREP_GOAL)})"
        )


if __name__ == "__main__":
    main()
