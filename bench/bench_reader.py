"""How fast the reader opens a 100,000-comment, 20 MB thread, against a naive split.

The baseline is the least any reader must do: decode the whole file and split it on
separator lines.  `parse_thread` only indexes post boundaries and decodes comments
when they are first shown, so opening a thread should cost a small multiple of the
baseline however large it is; decoding every comment (what search or export does)
shows the full price.  The mojibake-free variant measures what repair costs when there
is nothing to repair, which every clean file pays.

Goals: parse (index only) at most 5x the baseline; repair overhead on a
mojibake-free file at most 30%.
"""

from __future__ import annotations

from bench.generate import generate_thread
from bench.timing import REPEAT, Row, best_of_each, print_table

COMMENTS = 100_000
PARSE_GOAL = 5.0
REPAIR_GOAL = 0.30


def _verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


def main() -> None:
    """Generate both inputs once, time each figure best of five, print the table."""
    from tui.core.formats.detect import parse_thread

    data = generate_thread(COMMENTS, seed=1, mojibake=True)
    clean = generate_thread(COMMENTS, seed=1, mojibake=False)

    found = len(parse_thread(data).tree)
    if found != COMMENTS:
        print(f"warning: parse_thread found {found:,} comments, expected {COMMENTS:,}")

    def baseline(raw: bytes) -> None:
        raw.decode("utf-8").split("\n\u00a0\n")

    def parse_all(raw: bytes, repair: bool = True) -> None:
        for _comment in parse_thread(raw, repair=repair).tree:
            pass

    ms = best_of_each(
        {
            "base": lambda: baseline(data),
            "parse": lambda: parse_thread(data),
            "parse_decode": lambda: parse_all(data),
            "parse_decode_raw": lambda: parse_all(data, repair=False),
            "clean_base": lambda: baseline(clean),
            "clean_raw": lambda: parse_all(clean, repair=False),
            "clean_fixed": lambda: parse_all(clean, repair=True),
        }
    )
    base, parse, clean_base = ms["base"], ms["parse"], ms["clean_base"]
    parse_decode, parse_decode_raw = ms["parse_decode"], ms["parse_decode_raw"]
    clean_raw, clean_fixed = ms["clean_raw"], ms["clean_fixed"]

    parse_ratio = parse / base
    overhead = clean_fixed / clean_raw - 1.0
    rows = [
        Row("baseline: decode + split", base, base),
        Row(
            "parse_thread (index only)",
            parse,
            base,
            f"<= {PARSE_GOAL:g}x: {_verdict(parse_ratio <= PARSE_GOAL)}",
        ),
        Row("parse + decode every comment", parse_decode, base),
        Row("parse + decode every comment, repair=False", parse_decode_raw, base),
        Row("clean file: baseline", clean_base, clean_base),
        Row("clean file: parse + decode all, repair=False", clean_raw, clean_base),
        Row(
            "clean file: parse + decode all, repair on",
            clean_fixed,
            clean_base,
            f"<= +{REPAIR_GOAL:.0%}: {_verdict(overhead <= REPAIR_GOAL)}",
        ),
    ]
    print(
        f"reader: {COMMENTS:,} comments; {len(data) / 1e6:.1f} MB with mojibake, "
        f"{len(clean) / 1e6:.1f} MB without; best of {REPEAT}"
    )
    print_table(rows)
    print(
        f"parse is {parse_ratio:.2f}x baseline (goal <= {PARSE_GOAL:g}x: "
        f"{_verdict(parse_ratio <= PARSE_GOAL)})"
    )
    print(
        f"repair adds {overhead:.1%} on a mojibake-free file (goal <= {REPAIR_GOAL:.0%}: "
        f"{_verdict(overhead <= REPAIR_GOAL)})"
    )


if __name__ == "__main__":
    main()
