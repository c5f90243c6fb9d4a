"""How fast threads saved from sites open, against the same posts as plain text.

Three files of the same 5,000 generated posts (see `bench.generate_sites`): the seed's
plain-text format, a Hacker News thread from the Algolia API (one nested JSON
document, HTML text) and a Reddit thread (two Listings, Markdown plus escaped HTML,
and Reddit's per-comment metadata).  Each is opened in the real app as `bench.bench_app`
opens threads: from reading the file (`read_thread_head`) to the first frame showing
title, article, comment #1 and footer; median of several opens, taking turns.

Goal: each site thread's first complete screen at most 1.5x the plain-text thread's,
measured in the same run.  Parsing alone (read_thread_head, which reads a large site
thread's first reply trees only) and reading each whole file (read_thread, what the
reader does behind the first screen) are printed too.

    python -m bench formats
"""

from __future__ import annotations

import statistics
import tempfile
from functools import partial
from pathlib import Path

from bench.bench_app import Open, open_thread
from bench.generate_sites import algolia_thread, plain_twin, reddit_thread
from bench.timing import Row, best_of_each, print_table
from tui.core.formats.detect import read_thread

COMMENTS = 5_000
OPENS = 5
GOAL = 1.5


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def main() -> None:
    """Write the three files, open each in turn OPENS times, print the table."""
    files = {
        "plain text": ("plain.txt", plain_twin(COMMENTS)),
        "HN Algolia": ("hn-item", algolia_thread(COMMENTS)),
        "Reddit": ("reddit.json", reddit_thread(COMMENTS)),
    }
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for label, (name, data) in files.items():
            paths[label] = Path(folder) / name
            paths[label].write_bytes(data)
        for path in paths.values():
            open_thread(path)  # warm up imports and caches once each
        whole = best_of_each({label: partial(read_thread, path) for label, path in paths.items()})
        opens: dict[str, list[Open]] = {label: [] for label in paths}
        for _ in range(OPENS):
            for label, path in paths.items():
                opens[label].append(open_thread(path))

    def median(label: str, attribute: str) -> float:
        return statistics.median(getattr(one, attribute) for one in opens[label])

    base = median("plain text", "complete")
    rows: list[Row] = []
    verdicts = []
    for label in paths:
        size = len(files[label][1])
        figure = f"{label}: read_thread_head ({size / 1e6:.1f} MB)"
        rows.append(Row(figure, median(label, "parse"), base))
        rows.append(Row(f"{label}: read_thread (whole file, best of 5)", whole[label], base))
        complete = median(label, "complete")
        goal = ""
        if label != "plain text":
            met = complete <= GOAL * base
            verdicts.append(f"{label} {complete / base:.2f}x ({_verdict(met)})")
            goal = f"<= {GOAL:g}x plain text: {_verdict(met)}"
        rows.append(Row(f"{label}: first complete screen", complete, base, goal))
    print(f"{COMMENTS:,} comments each; median of {OPENS} opens; x plain text's first screen")
    print_table(rows)
    print("\nfirst screen vs plain text: " + "; ".join(verdicts))
