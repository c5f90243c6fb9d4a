"""`threadread export PATH`: print a parsed thread as text, Markdown or JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadread export",
        description="Print a parsed thread to stdout.",
    )
    parser.add_argument("path", type=Path, help="a thread file")
    parser.add_argument(
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="output format (json is threadread/1, readable back by threadread)",
    )
    parser.add_argument(
        "--raw", action="store_true", help="no mojibake repair: the text as the file has it"
    )
    return parser


def run(argv: Sequence[str]) -> int:
    from tui.core.export import render
    from tui.core.formats.detect import read_thread

    args = parser().parse_args(argv)
    thread = read_thread(args.path, repair=not args.raw)
    out = render(thread, args.format)
    sys.stdout.write(out)
    if not out.endswith("\n"):
        sys.stdout.write("\n")
    return 0
