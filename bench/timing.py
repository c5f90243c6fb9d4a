"""Timing and reporting helpers shared by the bench_*.py modules.

Best-of-N rather than a mean: on a shared machine the noise only ever adds time, so
the fastest run is the closest to what the code itself costs.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

REPEAT = 5


def best_of(func: Callable[[], object], repeat: int = REPEAT) -> float:
    """The fastest of `repeat` calls, in milliseconds."""
    return best_of_each({"": func}, repeat)[""]


def best_of_each(
    funcs: Mapping[str, Callable[[], object]], repeat: int = REPEAT
) -> dict[str, float]:
    """The fastest of `repeat` calls of each function, in milliseconds, by name.

    The functions take turns (round-robin) instead of running back to back, so a
    burst of load from elsewhere on the machine hits all figures alike and the
    ratios between them stay meaningful.  Garbage from the previous call is collected
    first, so one call's leftovers (a 100,000-comment thread is a lot of objects) are
    not charged to the next.
    """
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(repeat):
        for name, func in funcs.items():
            gc.collect()
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: seconds * 1000.0 for name, seconds in best.items()}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a results table: a figure, its time, and the time it is compared to."""

    figure: str
    ms: float
    baseline_ms: float
    goal: str = ""

    @property
    def ratio(self) -> float:
        return self.ms / self.baseline_ms if self.baseline_ms else float("nan")


def print_table(rows: Sequence[Row]) -> None:
    """Figures left, milliseconds and ratio to baseline right-aligned, goals last."""
    width = max(len("figure"), *(len(row.figure) for row in rows))
    print(f"{'figure':<{width}}  {'ms':>10}  {'x baseline':>10}  goal")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 10}  {'-' * 4}")
    for row in rows:
        print(f"{row.figure:<{width}}  {row.ms:>10,.1f}  {row.ratio:>10.2f}  {row.goal}".rstrip())
