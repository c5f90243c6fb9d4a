"""Run every benchmark module: `python -m bench [NAME ...]`.

Modules are found, not listed, so a new `bench/bench_<name>.py` exposing `main()` runs
without touching this file.  Names given on the command line pick modules by
substring (`python -m bench reader`).  One failing benchmark is reported and the rest
still run; the exit status says whether any failed.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def discover(selected: list[str]) -> list[str]:
    """Names of the bench_*.py modules, sorted, filtered by the given substrings."""
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(PACKAGE_DIR)])
        if info.name.startswith("bench_")
    )
    if selected:
        names = [name for name in names if any(word in name for word in selected)]
    return names


def main(argv: list[str] | None = None) -> int:
    """Run the selected benchmarks in turn; exit status 1 if any raised."""
    selected = list(sys.argv[1:] if argv is None else argv)
    names = discover(selected)
    if not names:
        print(f"no benchmark matches {' '.join(selected)!r}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"== {name} ==", flush=True)
        start = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"({time.perf_counter() - start:.1f} s)\n", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
