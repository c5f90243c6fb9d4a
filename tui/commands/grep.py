"""`threadread grep PATTERN [PATH...]`: find comments across thread files, for scripts.

grep's conventions: one line per matching line, `FILE:COMMENT: line` (comment 0 is
the article); case matters unless `-i`; the pattern is a literal string unless `-E`.
Exit status 0 when something matched, 1 when nothing did, 2 when anything went wrong
(even if something matched, as grep does), each problem one line on stderr.

Folders are walked as the library walks them (`tui.core.library`): hidden names and files
that are not threads by name or content are skipped without a word; a file named on
the command line is always searched, and one that is not a thread is an error.  A
thread file that cannot be parsed is an error when it has to be parsed: a file whose
bytes cannot hold the pattern is passed over unparsed (see `tui.core.search.files`).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from tui.core.safety import UNSAFE_PATTERN, visible
from tui.core.search.files import FileResult

EXIT_MATCH = 0
EXIT_NO_MATCH = 1
EXIT_ERROR = 2

# Characters json.dumps(ensure_ascii=False) leaves raw that a terminal would obey.


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2, like every other."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: {message} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="threadread grep",
        description=(
            "Print the lines of comments that match PATTERN, as FILE:COMMENT: line "
            "(comment 0 is the article). The text searched is the repaired text the "
            "reader shows, unless --raw. Case matters unless -i: unlike the reader's "
            "search, grep has no smart case. Folders are searched recursively; hidden "
            "files and files that are not threads are skipped."
        ),
        epilog="Exit status: 0 if a line matched, 1 if none did, 2 if an error occurred.",
    )
    parser.add_argument("pattern", metavar="PATTERN", help="a literal string (a regex with -E)")
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="thread files or folders (default: the current folder)",
    )
    parser.add_argument("-i", "--ignore-case", action="store_true", help="ignore case")
    parser.add_argument(
        "-E",
        "--regex",
        action="store_true",
        help="PATTERN is a Python regular expression (^ and $ match at line ends)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "-c", "--count", action="store_true", help="print FILE:N, matching lines per file"
    )
    output.add_argument(
        "-l", "--files-with-matches", action="store_true", help="print only files that match"
    )
    output.add_argument(
        "--json",
        action="store_true",
        help=(
            "print one JSON object per match: file, title, comment, line_number (in the "
            "comment, from 1), line, start and end (character offsets in line)"
        ),
    )
    parser.add_argument(
        "--raw", action="store_true", help="search the text as written (no mojibake repair)"
    )
    return parser


def _error(message: str) -> None:
    print(f"threadread: {visible(message)}", file=sys.stderr)


def _json_line(record: dict[str, object]) -> str:
    text = json.dumps(record, ensure_ascii=False)
    return UNSAFE_PATTERN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def run(argv: Sequence[str]) -> int:
    from tui.core.library import Skipped, read_entry, walk
    from tui.core.search.files import Query
    from tui.core.search.query import SearchError, compile_pattern

    args = parser().parse_args(argv)
    try:
        pattern = compile_pattern(args.pattern, regex=args.regex, ignore_case=args.ignore_case)
    except SearchError as error:
        _error(f"grep: {error}")
        return EXIT_ERROR
    roots = list(args.paths) or [Path(".")]
    found = walk(roots)
    named = set(roots)
    failed = False
    for item in found.skipped:
        if item.path in named:
            _error(f"{item.path}: {item.reason}")
            failed = True
    query = Query(pattern, repair=not args.raw)
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper):
        # A title in a script the terminal's encoding lacks must not end in a traceback.
        out.reconfigure(errors="backslashreplace")
    matched = False
    for candidate in found.files:
        if candidate.path in named:
            entry = read_entry(candidate, repair=not args.raw)
            if isinstance(entry, Skipped):
                _error(f"{entry.path}: {entry.reason}")
                failed = True
                continue
        result = query.search_file(candidate.path)
        if result.error is not None:
            # In a walked folder a file that is no thread at all is skipped, as the
            # library skips it; a thread that cannot be read is an error.
            if candidate.path in named or not _not_a_thread(result.error):
                _error(f"{candidate.path}: {result.error}")
                failed = True
            continue
        matched = matched or bool(result.lines)
        _print(result, args, out)
    out.flush()
    if failed:
        return EXIT_ERROR
    return EXIT_MATCH if matched else EXIT_NO_MATCH


def _not_a_thread(reason: str) -> bool:
    return reason.startswith(("not a text file", "empty file"))


def _print(result: FileResult, args: argparse.Namespace, out: TextIO) -> None:
    name = str(result.path)
    if args.count:
        out.write(f"{visible(name)}:{len(result.lines)}\n")
        return
    if not result.lines:
        return
    if args.files_with_matches:
        out.write(f"{visible(name)}\n")
        return
    if args.json:
        for line in result.lines:
            for start, end in line.spans:
                record = {
                    "file": name,
                    "title": result.title,
                    "comment": line.comment,
                    "line_number": line.line_number,
                    "line": line.line,
                    "start": start,
                    "end": end,
                }
                out.write(_json_line(record) + "\n")
        return
    for line in result.lines:
        out.write(f"{visible(name)}:{line.comment}: {visible(line.line)}\n")
