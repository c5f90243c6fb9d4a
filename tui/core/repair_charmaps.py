"""Mojibake of every code page ftfy knows, repaired the way ftfy repairs it.

UTF-8 read as Windows-1251 turns ``привет`` into ``РїСЂРёРІРµС‚``; read as MacRoman,
``café`` becomes ``caf√©``; read twice as Windows-1252, ``’`` becomes ``Ã¢â‚¬â„¢``.
ftfy's `fix_encoding` undoes all of these (see `ftfy.chardata.CHARMAP_ENCODINGS`), but
only when handed the whole text: its decision rests on the whole text being one code
page's reading of valid UTF-8, and on its badness heuristic finding the text odd.  So
the whole text is handed over -- and only when a cheap test finds what every such
mangling leaves behind: a lead character (a byte 0xC2-0xF4 as the code page reads it)
followed by a continuation character (0x80-0xBF), or a C1 control standing for
Windows-1252 punctuation.

`repair_charmaps` returns the text as ftfy fixes it, with one record per changed
stretch, so the reader can count and show the repairs.  This module does not import
Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-" code pages this module reads with
from ftfy.badness import is_bad
from ftfy.chardata import CHARMAP_ENCODINGS, UTF8_DETECTOR_RE

__all__ = ["FTFY_CONFIG", "may_be_mangled", "may_need_repair_bytes", "repair_charmaps"]

# Only the encoding steps: quotes stay curly, HTML entities, ligatures, widths and line
# breaks stay as the author wrote them, nothing is normalised.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    # A byte 0xA0 that became a space is left: a dropped byte before a space looks the
    # same (``â€`` + space is ” short of its last byte, not † with a lost 0xA0).
    restore_byte_a0=False,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


def _reading(codec: str, first: int, last: int) -> frozenset[str]:
    """The characters the bytes `first`..`last` are read as in `codec`."""
    return frozenset(bytes(range(first, last + 1)).decode(codec))


def _class(chars: frozenset[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


_LEADS = {codec: _reading(codec, 0xC2, 0xF4) for codec in CHARMAP_ENCODINGS}
_CONTS = {codec: _reading(codec, 0x80, 0xBF) for codec in CHARMAP_ENCODINGS}
_ALL_LEADS = frozenset().union(*_LEADS.values())
# C1 controls that stand for Windows-1252 punctuation (\x92 for ’); not those that open
# or close a terminal control sequence (\x90, \x9b-\x9f), which hostile text uses and
# the reader shows as they are unless the text is mangled anyway.
_C1_CHARS = "\x80\x82-\x8c\x8e\x91-\x9a"
_C1 = re.compile("[" + _C1_CHARS + "]")
# A superset of _PAIR that the regex engine scans fast (one class to look for first);
# _PAIR decides from where it matches.
_QUICK = re.compile(_class(_ALL_LEADS) + _class(frozenset().union(*_CONTS.values())))
_PAIR = re.compile(
    "|".join(_class(_LEADS[codec]) + _class(_CONTS[codec]) for codec in CHARMAP_ENCODINGS)
)


def may_be_mangled(text: str) -> bool:
    """Whether `text` has what a code page's reading of UTF-8 leaves: False guarantees
    `repair_charmaps` would change nothing."""
    if _C1.search(text):
        return True
    quick = _QUICK.search(text)
    return quick is not None and _PAIR.search(text, quick.start()) is not None


def _bytes_trie(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A bytes regex matching each key followed by its suffix pattern, factored on
    leading bytes so that the pattern opens with a set of literal bytes (which the
    regex engine scans for quickly) and tries few alternatives at each position."""
    groups: dict[int, list[tuple[bytes, bytes]]] = {}
    finals: list[bytes] = []
    for key, suffix in entries:
        if key:
            groups.setdefault(key[0], []).append((key[1:], suffix))
        elif suffix not in finals:
            finals.append(suffix)
    # Last bytes with the same suffix become one set: the engine tests a set at once
    # but tries alternatives one after another.
    last: dict[bytes, list[int]] = {}
    alternatives = []
    for first, rest in sorted(groups.items()):
        suffixes = {suffix for key, suffix in rest}
        if len(suffixes) == 1 and all(not key for key, _ in rest):
            last.setdefault(suffixes.pop(), []).append(first)
        else:
            alternatives.append(re.escape(bytes([first])) + _bytes_trie(rest))
    for suffix, firsts in last.items():
        alternatives.append(b"[" + b"".join(re.escape(bytes([b])) for b in firsts) + b"]" + suffix)
    alternatives.extend(finals)
    if len(alternatives) == 1:
        return alternatives[0]
    return b"(?:" + b"|".join(alternatives) + b")"


def _utf8_class(chars: frozenset[str]) -> bytes:
    return _bytes_trie([(c.encode(), b"") for c in sorted(chars)])


def _pair_patterns() -> dict[int, re.Pattern[bytes]]:
    """The UTF-8 form of `may_be_mangled`, for a whole file, as one pattern for each
    first byte of a lead character: that lead followed by a continuation character of
    a code page it leads in, and every C1 control.

    A pattern that opens with one literal byte is searched for that byte first, many
    times faster than one opening with a set; and a first byte the file lacks costs
    only a `bytes.find`."""
    follows: dict[str, set[str]] = {
        chr(cp): set() for cp in range(0x80, 0xA0) if _C1.match(chr(cp))
    }
    for codec in CHARMAP_ENCODINGS:
        for lead in _LEADS[codec]:
            follows.setdefault(lead, set()).update(_CONTS[codec])
    suffixes: dict[frozenset[str], bytes] = {}
    entries: dict[int, list[tuple[bytes, bytes]]] = {}
    for lead, conts in sorted(follows.items()):
        key = frozenset(conts)
        if key not in suffixes:
            suffixes[key] = _utf8_class(key) if key else b""
        encoded = lead.encode()
        entries.setdefault(encoded[0], []).append((encoded, suffixes[key]))
    return {first: re.compile(_bytes_trie(found)) for first, found in sorted(entries.items())}


_PAIR_BYTES = _pair_patterns()
# The longest match: a three-byte lead and a three-byte continuation.
_OVERLAP = 5
_CHUNK = 1 << 20


def may_need_repair_bytes(data: bytes) -> bool:
    """`may_be_mangled` for the UTF-8 bytes of a whole file: False guarantees that no
    text in it would be changed by `repair_charmaps`.

    Searched a megabyte at a time, so that other threads get the interpreter lock in
    between (the reader reads big files in a worker thread while the UI waits)."""
    if data.isascii():
        return False
    present = [pattern for first, pattern in _PAIR_BYTES.items() if bytes([first]) in data]
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        chunk = view[start : start + _CHUNK + _OVERLAP]
        for pattern in present:
            if pattern.search(chunk) is not None:
                return True
    return False


# --- the repair ---------------------------------------------------------------------------

# A stretch of characters that ftfy changes together: non-ASCII runs; ASCII one by one.
_TOKENS = re.compile("[^\x00-\x7f]+|[\x00-\x7f]")


def repair_charmaps(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The text as ftfy's `fix_encoding` fixes it, and each changed stretch as
    (original, replacement, kind); `text` itself and no stretches when nothing changed."""
    if not may_be_mangled(text) or not _ftfy_may_change(text):
        return text, []
    fixed, plan = _fix(text)
    if fixed == text:
        return text, []
    return fixed, _stretches(text, fixed, _kind(plan))


def _ftfy_may_change(text: str) -> bool:
    """Whether a step of `_fix` can change `text`: it has C1 controls, or the reading
    of some code page ftfy tries holds a whole UTF-8 sequence -- a lead and as many
    continuations as the lead calls for -- which is what any decoding ftfy does needs.

    ftfy asks its badness heuristic first, and that is what costs (a hundred
    microseconds for a paragraph of Russian, where nearly every word has a lead and a
    continuation character of Windows-1251); this costs a few.  A text whose only
    mojibake is sequences already broken (a U+FFFD or "?" for one of their bytes)
    is left, as it holds no whole sequence.
    """
    if _C1_ANY.search(text) is not None:
        return True
    # Only where a lead meets a continuation; the whole pattern is slow to scan with.
    quick = _QUICK.search(text)
    while quick is not None:
        if _COMPLETE.match(text, quick.start()) is not None:
            return True
        quick = _QUICK.search(text, quick.start() + 1)
    return False


def _complete(codec: str) -> str:
    """A regex for a whole UTF-8 sequence as `codec` reads it."""
    conts = _class(_CONTS[codec])
    return "|".join(
        _class(_reading(codec, first, last)) + conts + f"{{{length - 1}}}"
        for first, last, length in ((0xC2, 0xDF, 2), (0xE0, 0xEF, 3), (0xF0, 0xF4, 4))
    )


_C1_ANY = re.compile("[\x80-\x9f]")
_COMPLETE = re.compile("|".join(_complete(codec) for codec in CHARMAP_ENCODINGS))


# ftfy's own step for mojibake inside other text (`ftfy.fixes.decode_inconsistent_utf8`)
# fixes each piece with ftfy's default settings, which restore 0xA0 bytes; done here
# the same way with ours instead.
_WHOLE = FTFY_CONFIG._replace(decode_inconsistent_utf8=False)
_MAX_STEPS = 8


def _fix(text: str) -> tuple[str, list[tuple[str, str]]]:
    """`ftfy.fix_encoding_and_explain` with FTFY_CONFIG throughout: a step over the
    whole text, else over each piece that looks like UTF-8 mojibake, until nothing
    changes."""
    plan: list[tuple[str, str]] = []
    # ftfy stops when nothing changes; the bound guards against a text that would
    # flip between two readings for ever.
    for _step in range(_MAX_STEPS):
        fixed, steps = ftfy.fix_encoding_and_explain(text, _WHOLE)
        plan.extend(steps or ())
        if fixed == text:
            fixed = _fix_pieces(text)
            if fixed == text:
                return text, plan
            plan.append(("apply", "decode_inconsistent_utf8"))
        text = fixed
    return text, plan


def _fix_pieces(text: str) -> str:
    """`ftfy.fixes.decode_inconsistent_utf8` with FTFY_CONFIG for each piece."""

    def fix(match: re.Match[str]) -> str:
        piece = match.group()
        if len(piece) < len(text) and is_bad(piece):
            return ftfy.fix_encoding(piece, FTFY_CONFIG)
        return piece

    return UTF8_DETECTOR_RE.sub(fix, text)


def _stretches(text: str, fixed: str, kind: str) -> list[tuple[str, str, str]]:
    """The changed stretches, aligned on the ASCII ftfy leaves in place; each trimmed
    of what it shares with its replacement, but a lead is never cut from what follows
    it (``Â£`` -> ``£`` is one repair, not ``Â`` -> nothing)."""
    old = _TOKENS.findall(text)
    new = _TOKENS.findall(fixed)
    found = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        original, replacement = "".join(old[i1:i2]), "".join(new[j1:j2])
        head = _common_prefix(original, replacement)
        tail = _common_prefix(original[head:][::-1], replacement[head:][::-1])
        while tail and original[len(original) - tail - 1] in _ALL_LEADS:
            tail -= 1
        original = original[head : len(original) - tail]
        replacement = replacement[head : len(replacement) - tail]
        found.append((original, replacement, _span_kind(original, replacement, kind)))
    return found


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=4096)
def _span_kind(original: str, replacement: str, kind: str) -> str:
    """The kind of one stretch: what ftfy says of the stretch alone when that gives
    the same replacement (a text with two manglings has two kinds), else `kind`."""
    alone, plan = ftfy.fix_encoding_and_explain(original, FTFY_CONFIG)
    return _kind(plan or ()) if alone == replacement and plan else kind


def _kind(plan: Iterable[tuple[str, str]]) -> str:
    """A repair kind from ftfy's plan: the code pages the text was read as, in the
    order they are undone (``windows-1251``, ``windows-1252+windows-1252`` for double
    encoding).  Latin-1 counts as Windows-1252, C1 controls read as Windows-1252 too."""
    pages = []
    for action, parameter in plan:
        if action == "encode":
            page = parameter.removeprefix("sloppy-")
            pages.append("windows-1252" if page == "latin-1" else page)
        elif parameter in ("fix_c1_controls",):
            pages.append("windows-1252")
    return "+".join(pages) if pages else "mixed"
