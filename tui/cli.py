"""The `threadread` command line.

`threadread [PATH...]` opens the reader; `threadread export PATH` prints a thread.
Every failure a user can cause ends in one line on stderr and exit status 2, before
the terminal is taken over: no traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__
from tui.errors import ThreadError

EXIT_OK = 0
EXIT_USAGE = 2
SUBCOMMANDS = ("export",)


def _export_parser() -> argparse.ArgumentParser:
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


def _main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadread",
        description="Read discussion threads in the terminal.",
        epilog="Subcommands: 'threadread export PATH' prints a thread (see --help there).",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="thread files")
    parser.add_argument("--search", metavar="TEXT", help="open with this search active")
    parser.add_argument("--raw", action="store_true", help="show the text as written")
    parser.add_argument("--version", action="version", version=f"threadread {__version__}")
    return parser


def run_export(argv: Sequence[str]) -> int:
    from tui.export import render
    from tui.reader import read_thread

    args = _export_parser().parse_args(argv)
    thread = read_thread(args.path, repair=not args.raw)
    out = render(thread, args.format)
    sys.stdout.write(out)
    if not out.endswith("\n"):
        sys.stdout.write("\n")
    return EXIT_OK


def run_app(argv: Sequence[str]) -> int:
    from tui.app import launch

    args = _main_parser().parse_args(argv)
    return launch(args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "export":
            return run_export(argv[1:])
        return run_app(argv)
    except ThreadError as error:
        print(error.line(), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `threadread export x | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
