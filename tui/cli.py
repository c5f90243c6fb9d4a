"""The `threadread` command line.

`threadread [PATH...]` opens the reader; `threadread SUBCOMMAND ...` runs one of the
commands in `tui.commands` (each module has `run(argv) -> int`).  Every failure a user
can cause ends in one line on stderr and exit status 2, before the terminal is taken
over: no traceback ever reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from tui import __version__
from tui.core.errors import ThreadError, UsageError

EXIT_OK = 0
EXIT_USAGE = 2
# A file literally named like a subcommand can still be opened as ./export.
SUBCOMMANDS = {
    "export": "tui.commands.export",
    "grep": "tui.commands.grep",
    "themes": "tui.commands.themes",
    "config": "tui.commands.config",
}


def main_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadread",
        description="Read discussion threads in the terminal.",
        epilog=(
            "Subcommands: export PATH (print a thread), grep PATTERN [PATH...] (search "
            "threads), themes (list themes), config (check settings, or say where they live). "
            "See 'threadread SUBCOMMAND --help'."
        ),
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="thread files or folders (default: the bundled sample threads)",
    )
    parser.add_argument("--search", metavar="TEXT", help="open with this search active")
    parser.add_argument("--raw", action="store_true", help="show the text as written")
    parser.add_argument("--theme", metavar="NAME", help="colour theme (see 'threadread themes')")
    parser.add_argument(
        "--no-state",
        action="store_true",
        help="neither read nor write the reading state (positions, bookmarks, basket)",
    )
    parser.add_argument("--version", action="version", version=f"threadread {__version__}")
    return parser


def run_app(argv: Sequence[str]) -> int:
    from tui.ui.launch import launch

    args = main_parser().parse_args(argv)
    return launch(args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in SUBCOMMANDS:
            module = importlib.import_module(SUBCOMMANDS[argv[0]])
            return module.run(argv[1:])
        return run_app(argv)
    except (ThreadError, UsageError) as error:
        message = error.line() if isinstance(error, ThreadError) else f"threadread: {error}"
        print(message, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `threadread export x | head`: the reader went away; that is not an error.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
