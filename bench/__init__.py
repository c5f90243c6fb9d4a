"""Benchmarks for threadread: run them all with `python -m bench` or `make bench`.

Each `bench_*.py` module exposes `main() -> None` and prints its own figures; the input
data is generated deterministically by `bench.generate`, so runs are comparable.
"""
