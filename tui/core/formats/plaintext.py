"""Reader for the plain-text thread format that scrapers write.

The format, as found in the wild (see README, "File formats"):

* the first block is the article: its first non-empty line is the title, the rest are
  paragraphs separated by empty lines;
* every later block is one comment;
* blocks are separated by a line holding only whitespace with at least one U+00A0
  NO-BREAK SPACE (several such lines in a row, or with empty lines between, count as
  one separator); a truly empty line is a paragraph break inside a post;
* a scraped page may end with navigation chrome: a last block whose every non-empty
  line is one of `Back`, `Top`, `Back to top` (any case) is dropped.  Only the *last*
  block, and only when it holds nothing else, so a comment saying "Back to the topic"
  survives.

The index of block offsets is built with byte-level regex searches; each comment is
decoded (and repaired) only when first asked for.  The format has no markup; bare
http(s) URLs become link spans (`tui.core.formats.richtext.plain_spans`).
"""

from __future__ import annotations

import re
from array import array
from pathlib import Path

from tui.core.formats.richtext import plain_spans
from tui.core.model import Comment, CommentTree, Thread, split_paragraphs
from tui.core.repair import Repair, may_need_repair, repair_text

# Horizontal whitespace in UTF-8: ASCII blanks, U+00A0, U+2000-U+200A, U+202F,
# U+205F, U+3000.
_BLANK = rb"(?:[ \t\f\v]|\xc2\xa0|\xe2\x80[\x80-\x8a\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"
_NBSP = rb"\xc2\xa0"
# A separator line, plus any further whitespace-only lines right after it.
_SEP_LINE = _BLANK + rb"*" + _NBSP + _BLANK + rb"*(?=\n|\Z)"
_MORE_BLANK_LINES = rb"(?:\n" + _BLANK + rb"*(?=\n|\Z))*"
SEPARATOR = re.compile(rb"\n" + _SEP_LINE + _MORE_BLANK_LINES)
_SEPARATOR_AT_START = re.compile(_SEP_LINE + _MORE_BLANK_LINES)
# The same for files without the rare Unicode spaces (nearly all): a byte class is
# several times faster than the alternation.  In valid UTF-8, [ \t\xc2\xa0]* can only
# consume spaces, tabs and whole NO-BREAK SPACEs, since every other lead byte is
# outside the class.
_FAST_BLANK = rb"[ \t\f\v\xc2\xa0]"
_FAST_SEPARATOR = re.compile(
    rb"\n" + _FAST_BLANK + rb"*\xa0" + _FAST_BLANK + rb"*(?=\n|\Z)"
    rb"(?:\n" + _FAST_BLANK + rb"*(?=\n|\Z))*"
)
_RARE_SPACE = re.compile(rb"\xe2\x80[\x80-\x8a\xaf]")
_SCAN_CHUNK = 1 << 20

# Decoded comments kept in memory; the rest are decoded again from the bytes on demand.
COMMENT_CACHE = 2048

CHROME_LINES = frozenset({"back", "top", "back to top"})
_CHROME_MAX_BYTES = 200
_LEADING_BLANK_LINES = re.compile(r"\A(?:[^\S\n]*\n)+")


def block_bounds(data: bytes) -> array:
    """Start and end offsets of every block, as a flat array [s0, e0, s1, e1, ...]."""
    bounds = array("q", [0])
    first = _SEPARATOR_AT_START.match(data)
    if first is not None:
        bounds.append(0)
        bounds.append(first.end() + 1)
    rare = _has_rare_space(data)
    for match in (SEPARATOR if rare else _FAST_SEPARATOR).finditer(data):
        bounds.append(match.start())
        bounds.append(match.end() + 1)
    bounds.append(len(data))
    return bounds


def _has_rare_space(data: bytes) -> bool:
    """Whether `data` holds one of the Unicode spaces the fast separator scan skips.

    Searched a megabyte at a time: the regex engine and `in` hold the interpreter
    lock for a whole call, and the reader reads big files in a worker thread while
    the UI thread waits to draw.
    """
    view = memoryview(data)
    for start in range(0, len(data), _SCAN_CHUNK):
        # Two bytes of overlap: a three-byte space may straddle chunks.
        chunk = view[start : start + _SCAN_CHUNK + 2]
        if _RARE_SPACE.search(chunk) is not None:
            return True
        chunk = bytes(chunk)
        if b"\xe2\x81\x9f" in chunk or b"\xe3\x80\x80" in chunk:
            return True
    return False


def clean_block(text: str) -> str:
    """Drop the blank lines around a block and trailing whitespace."""
    return _LEADING_BLANK_LINES.sub("", text).rstrip()


def is_chrome(block: bytes) -> bool:
    if len(block) > _CHROME_MAX_BYTES:
        return False
    lines = [line.strip().lower() for line in block.decode("utf-8").splitlines()]
    lines = [line for line in lines if line]
    return bool(lines) and all(line in CHROME_LINES for line in lines)


def parse_article(text: str) -> tuple[str, tuple[str, ...]]:
    """Title (first non-empty line) and paragraphs of the article block."""
    text = clean_block(text)
    title, _, rest = text.partition("\n")
    return title.strip(), split_paragraphs(rest)


def _average(starts: array, ends: array, count: int) -> float:
    if not count:
        return 0.0
    return (ends[count] - starts[1]) / count


def read_seed(
    data: bytes,
    *,
    path: Path | None = None,
    encoding: str = "utf-8",
    repair: bool = True,
    partial: bool = False,
) -> Thread:
    """Build a Thread from normalised UTF-8 bytes (see `tui.core.decoding`).

    `partial`: `data` is only the start of the file, so its last block may be a
    comment cut short; it is left out, and no chrome is looked for.
    """
    bounds = block_bounds(data)
    starts = bounds[0::2]
    ends = bounds[1::2]
    count = len(starts) - 1  # block 0 is the article
    if partial:
        count = max(0, count - 1)
    while count and ends[count] <= starts[count]:
        count -= 1
    if count and not partial and is_chrome(data[starts[count] : ends[count]]):
        count -= 1
    fix = repair and may_need_repair(data)

    title, article = parse_article(data[starts[0] : ends[0]].decode("utf-8"))
    article_repairs: list[Repair] = []
    if fix:
        title, found = repair_text(title)
        article_repairs.extend(found)
        fixed = []
        for paragraph in article:
            paragraph, found = repair_text(paragraph)
            article_repairs.extend(found)
            fixed.append(paragraph)
        article = tuple(fixed)

    def load(number: int) -> tuple[Comment, tuple[Repair, ...]]:
        text = clean_block(data[starts[number] : ends[number]].decode("utf-8"))
        repairs: tuple[Repair, ...] = ()
        if fix:
            text, repairs = repair_text(text)
        return Comment(number=number, text=text, spans=plain_spans(text)), repairs

    return Thread(
        title=title,
        article=article,
        tree=CommentTree.flat(count, load, _average(starts, ends, count), COMMENT_CACHE),
        source=path,
        encoding=encoding,
        format="text",
        repair=repair,
        article_repairs=tuple(article_repairs),
        partial=partial,
        article_spans=plain_spans("\n\n".join(article)),
    )
