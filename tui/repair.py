"""Repair of mojibake in scraped text.

Scrapers often read UTF-8 pages with the wrong code page and save what they saw as
UTF-8.  Two manglings are repaired here:

* UTF-8 read as Windows-874 (Thai), with Windows-1252 standing in for the bytes
  Windows-874 leaves undefined.  Bytes that neither code page defines (0x81, 0x8D, 0x8F,
  0x90, 0x9D) were dropped, so ``🤔`` arrives as ``๐Ÿค”`` but ``🤦‍♀️`` as
  ``๐Ÿคฆโ€โ™€๏ธ`` with two bytes missing.  Nothing off the shelf reads this, so it is
  done here: a run is turned back into bytes, complete UTF-8 sequences are decoded
  exactly, and a sequence that is a byte short is completed with the dropped byte
  that context or plausibility favours (or becomes U+FFFD; a garbled run is never left
  on screen).
* UTF-8 read as Windows-1252 or Latin-1 (``Iâ€™m``, ``cafÃ©``), which ftfy repairs;
  a run it leaves because a byte was dropped gets the same completion as above.

Thai and accented Latin are real text too: ``รก`` is a Thai word and also the bytes of
``á``.  So a text counts as mangled only on evidence that genuine text does not
produce -- a Thai lead character followed by a character from the byte range
0x80-0x9F (Windows punctuation) that together decode to punctuation, a symbol or an
emoji, such as ``โ€`` or ``๐Ÿ``, or three mangled Thai characters in a row
(``เธชเธงเธฑ``) -- never because of its alphabet.  Without such evidence only a mostly
Latin text whose every Thai character reads as a Latin letter inside a word
(``cafรฉ``) or as a common emoji (``โค๏ธ``) is repaired.  This module does not import
Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product

import ftfy

__all__ = ["Repair", "may_need_repair", "repair_text"]


@dataclass(frozen=True, slots=True)
class Repair:
    """One garbled run and what it became.

    `kind` is ``"windows-874"`` or ``"windows-1252"`` for an exact restoration,
    ``"guessed"`` when a dropped byte had to be chosen, ``"unrecoverable"`` when (part
    of) the run became U+FFFD.
    """

    original: str
    replacement: str
    kind: str


KIND_874 = "windows-874"
KIND_1252 = "windows-1252"
KIND_GUESSED = "guessed"
KIND_UNRECOVERABLE = "unrecoverable"

_DROPPED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_KEYCAP = "\u20e3"
_RDQ = "\u201d"
_LDQ = "\u201c"
_FFFD = "\ufffd"


# --- code pages ------------------------------------------------------------------------


def _byte_table(primary: str) -> dict[str, int]:
    """Character -> byte for 0x80-0xFF read through `primary`, Windows-1252 where
    `primary` leaves a byte undefined; bytes neither defines are absent (dropped)."""
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        for codec in (primary, "cp1252"):
            try:
                table[bytes([byte]).decode(codec)] = byte
                break
            except UnicodeDecodeError:
                continue
    return table


def _class(chars: Iterable[str]) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(set(chars))) + "]"


@dataclass(frozen=True)
class _Codec:
    """A single-byte code page as seen from the mangled side."""

    table: dict[str, int]
    exact_kind: str
    leads: frozenset[str]
    conts: frozenset[str]
    run: re.Pattern[str]


def _codec(table: dict[str, int], exact_kind: str, extra: Iterable[str] = ()) -> _Codec:
    leads = frozenset(c for c, b in table.items() if 0xC2 <= b <= 0xF4)
    conts = frozenset(c for c, b in table.items() if 0x80 <= b <= 0xBF)
    run = re.compile(_class(leads | conts | frozenset(extra)) + "+")
    return _Codec(table, exact_kind, leads, conts, run)


_THAI = frozenset(chr(cp) for cp in range(0x0E00, 0x0E80))
_CP874 = _codec(_byte_table("cp874"), KIND_874, extra=_THAI)
# Windows-1252 as ftfy's "sloppy" variant sees it: C1 controls stand for the bytes
# 0x80-0x9F too (Latin-1 readings).
_CP1252 = _codec({**{chr(b): b for b in range(0x80, 0xA0)}, **_byte_table("cp1252")}, KIND_1252)
# Characters only Windows-1252 supplies to the Windows-874 reading: inside a run of
# Windows-874 mojibake they are debris, never the author's.
_CP874_ONLY_1252 = frozenset(
    c for c, b in _CP874.table.items() if b < 0xA0 and c not in "€…‘’“”•–—"
)

# A lead followed by a continuation: the shortest thing either mangling produces.
# Text without it is left alone, and `may_need_repair` looks for its bytes.
_TRIGGER_PAIRS = (
    (_CP874.leads, _CP874.conts),
    (_CP1252.leads, _CP1252.conts),
)
_TRIGGER = re.compile("|".join(_class(lead) + _class(cont) for lead, cont in _TRIGGER_PAIRS))
# A superset of _TRIGGER that the regex engine scans several times faster (one class
# to look for instead of two alternatives); _TRIGGER decides only where it matches.
_QUICK = re.compile(_class(_CP874.leads | _CP1252.leads) + _class(_CP874.conts | _CP1252.conts))
_TRIGGER_1252 = re.compile(_class(_CP1252.leads) + _class(_CP1252.conts))
# Necessary for strong evidence (see `_is_strong`): a three- or four-byte lead whose
# continuations include one from 0x80-0x9F.
_STRONG_HINT = re.compile(
    _class(c for c, b in _CP874.table.items() if 0xE0 <= b <= 0xF4)
    + _class(_CP874.conts)
    + "{0,2}"
    + _class(c for c, b in _CP874.table.items() if 0x80 <= b <= 0x9F)
)
# Mangled Thai: every Thai character becomes เธ or เน plus one more.  Three in a row
# is evidence as well; genuine Thai has เธ only in a few words (เธอ) and never
# three such syllables back to back.
_THAI_MANGLED = re.compile("(?:เ[ธน]" + _class(_CP874.conts) + "){3}")
_WORD = re.compile("[a-z]{3,}")
_NOT_THAI = re.compile("[^\u0e00-\u0e7f]+")
_NOT_ASCII_LETTERS = re.compile("[^A-Za-z]+")


def _utf8_pattern(chars: Iterable[str]) -> bytes:
    """A bytes regex for exactly the UTF-8 encodings of `chars`, factored on leading
    bytes (a trie), so the regex engine tries few alternatives at each position."""
    return _trie([c.encode() for c in chars])


def _trie(encoded: list[bytes]) -> bytes:
    groups: dict[int, list[bytes]] = {}
    for seq in encoded:
        groups.setdefault(seq[0], []).append(seq[1:])
    finals = sorted(b for b, rests in groups.items() if rests == [b""])
    alternatives = []
    if finals:
        alternatives.append(b"[" + b"".join(re.escape(bytes([b])) for b in finals) + b"]")
    for first, rests in sorted(groups.items()):
        if rests != [b""]:
            alternatives.append(re.escape(bytes([first])) + _trie(rests))
    if len(alternatives) == 1:
        return alternatives[0]
    return b"(?:" + b"|".join(alternatives) + b")"


_TRIGGER_BYTES = re.compile(
    b"|".join(_utf8_pattern(lead) + _utf8_pattern(cont) for lead, cont in _TRIGGER_PAIRS)
)


def _shape_table() -> bytes:
    """Byte -> shape letter, for finding trigger pairs with `bytes.find` in a 20 MB file.

    Every lead character is Latin-1 (C3 + a byte other than B8/B9) or Thai (E0 + B8/B9
    + one byte), and every continuation character starts with one of C2 C5 C6 CB E0 E2.
    With those bytes as "a", "c" (E0 included), "k" (B8, B9) and other continuation
    bytes as "x", a pair has the shape "axc", "ckxc" or "ckkc".
    """
    table = bytearray(b"." * 256)
    table[0x80:0xC0] = b"x" * 0x40
    table[0xB8] = table[0xB9] = ord("k")
    for _, conts in _TRIGGER_PAIRS:
        for ch in conts:
            table[ch.encode()[0]] = ord("c")
    table[0xC3] = ord("a")
    return bytes(table)


_SHAPES = _shape_table()
_LATIN_SHAPES = (b"axc",)
_THAI_SHAPES = (b"ckxc", b"ckkc")
_CHUNK = 1 << 20

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
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


# --- what characters are plausible --------------------------------------------------

# Most used first (emoji by published usage frequency, then the rest of the ones a
# dropped byte makes ambiguous).  Only the order within one candidate set matters.
_COMMON = (
    "”’“‘–—…•‐\ufe0f\u200d™€"
    "😂❤🤣👍😭🙏😘🥰😍😊🎉😁💕🥺😅🔥☺🤦♥🤷🙄😆🤗😉🎂🤔👏🙂😳🥳😎👌💜😔💪✨💖👀😋😏"
    "😢👉💗😩💯🌹💞🎈💙😃😡💐😜🙈🤞😄🤤🙌🤪❣😀💋💀👇💔😌💓🤩🙃😬😱😴🤭😐🌞😒😇🌸😈"
    "🎶✌🎊🥵😞💚☀🖤💰😚👑🎁💥🙋☹😑🥴👈💩✅👋🤮😤🤢🌟❗😥🌈💛😝😫😲🖕‼🔴🌻🤯💃👊🤬"
    "🏃😕👁⚡☕🍀💦⭐🦋🤨🌺😹🤘🌷💝💤🤝🐰😓💘🍻😟😣🧐😠🤠😻🌙😛🤙🙊"
    "🏻🏼🏽🏾🏿♀♂📝📍💁🤍🤐🤏🍕🐕🐶🐱🎵🏆🔍🔝🔁🔐🔏❌⭕🍔🐍🐝🐐🐘🐒🐑🍑🍒🍎🐎🍝🍍🏁🏀"
    "🏠🍺🍷🐻🐺🐷🐧🧁📁📏📐🍓🐓🎍🎐🏕🕐🕝🕍💍💏🐆🍆👐🏐🏝🐀🧍🧏🧝"
    "ÁÍÝÏÐŁŐō"
    "กแ"
)
_RANK = {c: len(_COMMON) - i for i, c in enumerate(dict.fromkeys(_COMMON))}

# Words people write next to an emoji, for emoji whose Unicode name would not match.
_ALIASES = {
    "😏": "smirk sneaky sly smug shady",
    "😍": "love adore gorgeous beautiful crush",
    "😁": "grin grinning",
    "😐": "meh neutral unimpressed",
    "👍": "agree approve good",
    "👏": "clap applause bravo congrats congratulations",
    "🙏": "pray praying please thanks thank blessed",
    "🤝": "deal agreement partner partners partnership partnerships cooperate cooperation",
    "🤐": "secret secrets silence silent quiet",
    "📝": "note notes memo writing",
    "📍": "location map pin",
    "🎁": "gift gifts present presents",
    "🏃": "run running runner",
    "🍀": "luck lucky",
}

# Words of Unicode names too generic to tie a character to the text around it.
_GENERIC_NAME_WORDS = """
    and with without the for from into over under above below sign symbol mark face
    letter latin small capital black white heavy light medium large left right upwards
    downwards leftwards rightwards one two three four five six seven eight nine ten
    eleven twelve thirty oclock circled squared negative open closed form forms
    presentation vertical horizontal combining modifier type selector variation digit
    number space quad double single triple tightly eyes eye smiling hand hands person
    man woman box drawings tile domino mahjong playing card alchemical mathematical
    bold italic sans serif script fraktur monospace struck pattern braille dots dot
    half full fullwidth halfwidth pointing point arrow arrows ornament emoji component
"""
_STOP_WORDS = frozenset(_GENERIC_NAME_WORDS.split())

_PERSON_GENDER_BASES = frozenset(
    "👮🕵💂👷👳👱🧔🧙🧚🧛🧜🧝🧞🧟💆💇🚶🧍🧎🏃👯🧖🧗🏌🏄🚣🏊⛹🏋🚴🚵🤸🤼🤽🤾🤹🧘🙍🙎🙅🙆💁🙋🧏🙇🤦🤷🦸🦹"
)
_GENDER_SIGNS = frozenset("♀♂")

_EMOJI_RANGES = (
    (0x1F1E6, 0x1F1FF),
    (0x1F300, 0x1F5FF),
    (0x1F600, 0x1F64F),
    (0x1F680, 0x1F6FF),
    (0x1F7E0, 0x1F7EB),
    (0x1F90C, 0x1F9FF),
    (0x1FA70, 0x1FAFF),
    (0x2600, 0x27BF),
)
_EMOJI_SINGLES = frozenset(
    "©®‼⁉™ℹ↔↕↖↗↘↙↩↪⌚⌛⌨⏏⏩⏪⏫⏬⏭⏮⏯⏰⏱⏲⏳⏸⏹⏺Ⓜ▪▫▶◀◻◼◽◾⤴⤵⬅⬆⬇⬛⬜⭐⭕〰〽㊗㊙🀄🃏🅰🅱🅾🅿🆎🆑🆒🆓🆔🆕🆖🆗🆘🆙🆚🈁🈂🈚🈯🈲🈳🈴🈵🈶🈷🈸🈹🈺🉐🉑"
)
# What mangled text decodes to and genuine Thai text does not: punctuation, symbols,
# variation selectors and emoji.  Braille and the mathematical arrow blocks are left
# out on purpose: Thai words such as โกง, โคม, โฆษณา, โจทย์ read as those.
_EVIDENCE_RANGES = (
    (0x2000, 0x27BF),
    (0x2B00, 0x2BFF),
    (0xFE00, 0xFE0F),
    (0x1F000, 0x1FAFF),
)


@lru_cache(maxsize=4096)
def _is_emoji(ch: str) -> bool:
    if not ch:  # the edge of the text
        return False
    if ch in _EMOJI_SINGLES:
        return True
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES)


def _is_evidence(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _EVIDENCE_RANGES)


@lru_cache(maxsize=4096)
def _class_score(ch: str) -> int:
    """Rough prior for an unranked candidate: emoji, then symbols and punctuation,
    then letters; formatting characters and the obscure supplementary blocks last."""
    if _is_emoji(ch):
        return 3
    category = unicodedata.category(ch)
    if ord(ch) >= 0x10000:
        return 0
    if category[0] in "SP":
        return 2
    if category[0] in "LNZ" or category == "Mn":
        return 1
    return 0


def _usable(ch: str) -> bool:
    return ch in _RANK or unicodedata.category(ch) not in ("Cn", "Co", "Cs", "Cc")


@lru_cache(maxsize=4096)
def _static_key(ch: str) -> tuple[int, int, int]:
    return (_RANK.get(ch, 0), _class_score(ch), -ord(ch))


@lru_cache(maxsize=4096)
def _name_words(ch: str) -> tuple[frozenset[str], frozenset[str]]:
    """The telling words of the character's Unicode name, and its alias words."""
    words = re.split(r"[ \-]", unicodedata.name(ch, "").lower())
    telling = frozenset(w for w in words if len(w) >= 3 and w not in _STOP_WORDS)
    return telling, frozenset(_ALIASES.get(ch, "").split())


def _named_at(ch: str, context: _Context, pos: int) -> int | None:
    """How far from `pos` the text talks about the character, or None if it does not.

    Talking about it means an alias word, or at least half the telling words of its
    name: SLICE OF PIZZA by "pizza", but TABLE TENNIS PADDLE AND BALL not by "ball"
    alone.  The distance lets "pizza 🍕 and my dog 🐕" tell the two apart.
    """
    telling, aliases = _name_words(ch)
    words = context.words
    hits = aliases & words
    if not hits:
        hits = telling & words
        if not hits or 2 * len(hits) < len(telling):
            return None
    return min(abs(p - pos) for w in hits for p in context.positions(w))


def _sequence_length(lead: int) -> int:
    if lead < 0xE0:
        return 2
    if lead < 0xF0:
        return 3
    return 4


@lru_cache(maxsize=8192)
def _candidates(lead: int, conts: bytes) -> tuple[str, ...]:
    """Characters the sequence can have been, the dropped bytes put back at every
    possible place; best first by the context-free ranking."""
    need = _sequence_length(lead) - 1
    missing = need - len(conts)
    if missing == 0:
        try:
            return ((bytes([lead]) + conts).decode("utf-8"),)
        except UnicodeDecodeError:
            return ()
    found: set[str] = set()
    for gaps in combinations(range(need), missing):
        for fill in product(_DROPPED, repeat=missing):
            seq = bytearray([lead])
            given = iter(conts)
            filler = iter(fill)
            for slot in range(need):
                seq.append(next(filler) if slot in gaps else next(given))
            try:
                ch = seq.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if _usable(ch):
                found.add(ch)
    return tuple(sorted(found, key=_static_key, reverse=True))


# --- parsing a run -----------------------------------------------------------------------


class _Item:
    """One decoded (or guessed, or given up) stretch of a run."""

    __slots__ = ("candidates", "choice", "kind", "original", "pos", "strong")

    def __init__(self, original: str, candidates: tuple[str, ...], kind: str, pos: int) -> None:
        self.original = original
        self.pos = pos
        self.candidates = candidates
        self.kind = kind
        self.choice = candidates[0] if candidates else _FFFD
        self.strong = False


_Part = str | _Item


def _parse_run(run: str, codec: _Codec, base: int) -> list[_Part]:
    """Split a run (found at `base`) into UTF-8 sequences (items) and characters that
    belong to none.

    Leads are never dropped, so every lead starts a sequence and the continuations up
    to the next lead belong to it; a sequence with too few continuations lost bytes.
    """
    table = codec.table
    parts: list[_Part] = []
    i = 0
    n = len(run)
    while i < n:
        ch = run[i]
        lead = table.get(ch, -1)
        if not 0xC2 <= lead <= 0xF4:
            parts.append(ch)
            i += 1
            continue
        need = _sequence_length(lead) - 1
        j = i + 1
        conts = bytearray()
        while j < n and len(conts) < need:
            byte = table.get(run[j], -1)
            if not 0x80 <= byte <= 0xBF:
                break
            conts.append(byte)
            j += 1
        original = run[i:j]
        if not conts and (codec is not _CP874 or ch not in _THAI):
            # A Latin letter with nothing after it is the author's (é in café, or Ü).
            parts.append(ch)
            i += 1
            continue
        candidates = _candidates(lead, bytes(conts))
        if len(conts) == need:
            item = _Item(original, candidates, codec.exact_kind, base + i)
            if candidates and unicodedata.category(candidates[0]) == "Cc":
                # A C1 control nobody typed: ftfy's reading of it, as Windows-1252.
                try:
                    item.choice = bytes([ord(candidates[0])]).decode("cp1252")
                except UnicodeDecodeError:
                    item.choice = _FFFD
                    item.kind = KIND_UNRECOVERABLE
        else:
            item = _Item(original, candidates, KIND_GUESSED, base + i)
        if not item.candidates:
            item.kind = KIND_UNRECOVERABLE
        item.strong = _is_strong(lead, conts, need, item)
        parts.append(item)
        i = j
    return parts


def _is_strong(lead: int, conts: bytearray, need: int, item: _Item) -> bool:
    """Whether this sequence alone proves the text mangled (see the module doc)."""
    if lead < 0xE0 or need - len(conts) > 1 or not item.candidates:
        return False
    if not any(0x80 <= b <= 0x9F for b in conts):
        return False
    return _is_evidence(item.candidates[0])


# --- choosing among candidates -----------------------------------------------------------


class _Context:
    """The text a guess is made in: its words (a plural also counts as its singular),
    and where a word occurs, looked up only for the few words that matter."""

    __slots__ = ("_lower", "_words")

    def __init__(self, text: str) -> None:
        self._lower = text.lower()
        self._words: frozenset[str] | None = None

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            found = set(_WORD.findall(self._lower))
            found.update([w[:-1] for w in found if w.endswith("s")])
            self._words = frozenset(found)
        return self._words

    def positions(self, word: str) -> list[int]:
        pattern = r"(?<![a-z])" + re.escape(word) + r"s?(?![a-z])"
        return [m.start() for m in re.finditer(pattern, self._lower)]


def _first(part: _Part | None) -> str:
    if part is None:
        return ""
    if isinstance(part, _Item):
        return part.choice
    return part[:1]


def _last(part: _Part | None) -> str:
    if part is None:
        return ""
    if isinstance(part, _Item):
        return part.choice
    return part[-1:]


def _is_emojiish(ch: str) -> bool:
    return _is_emoji(ch) or ch == _VS16


def _context_score(ch: str, prev: str, nxt: str, nxt2: str, quote_open: bool) -> int:
    """What the neighbours say about a candidate: a ZWJ belongs between an emoji and
    ♀/♂ (or another emoji), ” closes an open “, VS16 follows a symbol, a skin tone
    follows an emoji, and a person emoji comes before ZWJ + ♀/♂."""
    if ch == _ZWJ:
        if _is_emojiish(prev) and nxt in _GENDER_SIGNS:
            return 4
        if _is_emojiish(prev) and _is_emoji(nxt) and not quote_open:
            return 2
        return -1
    if ch == _RDQ:
        return 3 if quote_open else 0
    if ch == _VS16:
        if prev and (_is_emoji(prev) or unicodedata.category(prev) in ("So", "Sm")):
            return 4
        if prev and prev in "#*0123456789" and nxt == _KEYCAP:
            return 4
        return 0
    if 0x1F3FB <= ord(ch) <= 0x1F3FF:
        return 3 if _is_emoji(prev) else -2
    if ch in _PERSON_GENDER_BASES and nxt == _ZWJ and nxt2 in _GENDER_SIGNS:
        return 3
    return 0


def _choose(
    item: _Item, prev: str, nxt: str, nxt2: str, context: _Context, quote_open: bool
) -> str:
    """Context first, then being named in the text (nearest mention wins), then the
    built-in ranking, then the kind of character."""
    if len(item.candidates) == 1:
        return item.candidates[0]

    def key(ch: str) -> tuple[int, int, int, int, int, int]:
        distance = None
        if _class_score(ch) >= 2:
            distance = _named_at(ch, context, item.pos)
        named = (1, -distance) if distance is not None else (0, 0)
        return (_context_score(ch, prev, nxt, nxt2, quote_open), *named, *_static_key(ch))

    return max(item.candidates, key=key)


def _quote_state(part: _Part, open_now: bool) -> bool:
    """Whether a “ is open after `part`, given whether one was open before it."""
    piece = part.choice if isinstance(part, _Item) else part
    left, right = piece.rfind(_LDQ), piece.rfind(_RDQ)
    if left == right:  # both absent
        return open_now
    return left > right


def _resolve(parts: list[_Part], context: _Context) -> None:
    """Pick every guessed item's character, left to right, twice: the second round
    sees what the first chose to the right (a ZWJ decides the person before it)."""
    if not any(isinstance(p, _Item) and len(p.candidates) > 1 for p in parts):
        return
    count = len(parts)
    for _round in range(2):
        quote_open = False
        for index, item in enumerate(parts):
            if isinstance(item, _Item) and len(item.candidates) > 1:
                prev = _last(parts[index - 1]) if index else ""
                nxt = _first(parts[index + 1]) if index + 1 < count else ""
                nxt2 = _first(parts[index + 2]) if index + 2 < count else ""
                item.choice = _choose(item, prev, nxt, nxt2, context, quote_open)
            quote_open = _quote_state(item, quote_open)


# --- the passes ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    """A stretch of text: a run of a code page's characters (with `parts`) or the plain
    text between runs (`parts` is None)."""

    start: int
    text: str
    parts: list[_Part] | None = None


def _split(text: str, codec: _Codec) -> list[_Piece]:
    pieces: list[_Piece] = []
    pos = 0
    for match in codec.run.finditer(text):
        if match.start() > pos:
            pieces.append(_Piece(pos, text[pos : match.start()]))
        run = match.group()
        pieces.append(_Piece(match.start(), run, _parse_run(run, codec, match.start())))
        pos = match.end()
    if pos < len(text):
        pieces.append(_Piece(pos, text[pos:]))
    return pieces


def _mark_debris(piece: _Piece) -> None:
    """In a Windows-874 run, loose Thai or Windows-1252-only characters are leftovers of
    mangling (the text is known to be mangled when this runs): they become U+FFFD."""
    parts = piece.parts
    assert parts is not None
    has_item = any(isinstance(p, _Item) for p in parts)
    pos = piece.start
    for i, part in enumerate(parts):
        if isinstance(part, _Item):
            pos += len(part.original)
            continue
        if part in _THAI or (has_item and part in _CP874_ONLY_1252):
            parts[i] = _Item(part, (), KIND_UNRECOVERABLE, pos)
        pos += len(part)


def _weakly_mangled(pieces: list[_Piece]) -> list[int]:
    """Runs to repair in a text with no strong evidence.

    Only when every Thai character of the text belongs to a sequence that decodes to
    punctuation, a symbol or a common emoji (``โค๏ธ`` alone in a sentence), or exactly to a
    Latin letter inside a Latin word (``cafรฉ``), and the text is mostly Latin.
    Genuine Thai always has characters that do not, so one such run anywhere vetoes
    them all.
    """
    chosen: list[int] = []
    for index, piece in enumerate(pieces):
        if piece.parts is None or _THAI.isdisjoint(piece.text):
            continue
        latin = False
        after_item = False
        for part in piece.parts:
            if isinstance(part, str):
                ok = part not in _THAI
            elif part.kind == KIND_UNRECOVERABLE:
                ok = False
            elif part.kind == KIND_874:
                letter = _latin_letter(part.choice)
                latin = latin or letter
                ok = letter or _is_evidence(part.choice)
            else:
                # Guessed: short Thai words such as โต or โค read as symbols with one
                # byte added, so only a common emoji, or a joiner after one, will do.
                ok = (part.choice in _RANK and _is_emoji(part.choice)) or (
                    after_item and part.choice in (_VS16, _ZWJ)
                )
            if not ok:
                return []
            after_item = isinstance(part, _Item)
        if latin:
            before = pieces[index - 1].text[-1:] if index else ""
            after = pieces[index + 1].text[:1] if index + 1 < len(pieces) else ""
            if not (_ascii_letter(before) or _ascii_letter(after)):
                return []
        chosen.append(index)
    return chosen


def _latin_letter(ch: str) -> bool:
    return 0xC0 <= ord(ch) <= 0x24F and ch.isalpha()


def _ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _apply(
    text: str, pieces: list[_Piece], selected: Iterable[int], codec: _Codec, repairs: list[Repair]
) -> str:
    """Resolve the selected runs, rebuild the text and record one Repair per stretch
    of consecutive items."""
    chosen = set(selected)
    flat: list[_Part] = []
    for index, piece in enumerate(pieces):
        if piece.parts is None or index not in chosen:
            flat.append(piece.text)
        else:
            flat.extend(piece.parts)
    _resolve(flat, _Context(text))
    out: list[str] = []
    group: list[_Item] = []

    def flush() -> None:
        if not group:
            return
        original = "".join(p.original for p in group)
        replacement = "".join(p.choice for p in group)
        kinds = {p.kind for p in group}
        if KIND_UNRECOVERABLE in kinds:
            kind = KIND_UNRECOVERABLE
        elif KIND_GUESSED in kinds:
            kind = KIND_GUESSED
        else:
            kind = codec.exact_kind
        if original != replacement:
            repairs.append(Repair(original, replacement, kind))
        out.append(replacement)
        group.clear()

    for part in flat:
        if isinstance(part, _Item):
            group.append(part)
        else:
            flush()
            out.append(part)
    flush()
    return "".join(out)


def _has_strong(piece: _Piece) -> bool:
    return piece.parts is not None and any(isinstance(p, _Item) and p.strong for p in piece.parts)


def _mostly_latin(text: str) -> bool:
    """More ASCII letters than Thai characters: a text where Thai is a guest."""
    thai = len(_NOT_THAI.sub("", text))
    return len(_NOT_ASCII_LETTERS.sub("", text)) > thai


def _repair_874(text: str, repairs: list[Repair]) -> str:
    thai_mangled = _THAI_MANGLED.search(text) is not None
    maybe_strong = thai_mangled or _STRONG_HINT.search(text) is not None
    latin = None if maybe_strong else _mostly_latin(text)
    if latin is False:
        return text
    pieces = _split(text, _CP874)
    runs = [i for i, piece in enumerate(pieces) if piece.parts is not None]
    if thai_mangled or (maybe_strong and any(_has_strong(pieces[i]) for i in runs)):
        for i in runs:
            _mark_debris(pieces[i])
        selected = runs
    elif latin or (latin is None and _mostly_latin(text)):
        selected = _weakly_mangled(pieces)
    else:
        return text
    if not selected:
        return text
    return _apply(text, pieces, selected, _CP874, repairs)


def _repair_1252(text: str, repairs: list[Repair]) -> str:
    if not _TRIGGER_1252.search(text):
        return text
    # ftfy first, run by run, so each repair is recorded where it happened.
    out: list[str] = []
    pos = 0
    for match in _CP1252.run.finditer(text):
        run = match.group()
        if not _TRIGGER_1252.search(run):
            continue
        fixed = ftfy.fix_encoding(run, _FTFY_CONFIG)
        if fixed == run:
            continue
        out.append(text[pos : match.start()])
        out.append(fixed)
        pos = match.end()
        # Record only what changed, but never cut a lead from its continuations
        # (Â£ -> £ is one repair, not Â -> nothing).
        head = len(_common_prefix(run, fixed))
        tail = len(_common_prefix(run[head:][::-1], fixed[head:][::-1]))
        while tail and run[len(run) - tail - 1] in _CP1252.leads:
            tail -= 1
        repairs.append(
            Repair(run[head : len(run) - tail], fixed[head : len(fixed) - tail], KIND_1252)
        )
    if out:
        out.append(text[pos:])
        text = "".join(out)
    # What ftfy leaves is mojibake with a dropped byte: complete it in runs that prove
    # themselves mangled.
    pieces = _split(text, _CP1252)
    selected = [i for i, piece in enumerate(pieces) if _has_strong(piece)]
    if not selected:
        return text
    return _apply(text, pieces, selected, _CP1252, repairs)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


# --- public API ---------------------------------------------------------------------------


def repair_text(text: str) -> tuple[str, tuple[Repair, ...]]:
    """Return the repaired text and the repairs made (empty tuple and the same str
    object when nothing changed).

    Windows-874 mojibake is repaired first, then Windows-1252/Latin-1 mojibake.  Text
    without a lead character followed by a continuation character of either mangling
    returns at once; ASCII costs one `isascii`.
    """
    if text.isascii() or _QUICK.search(text) is None or _TRIGGER.search(text) is None:
        return text, ()
    repairs: list[Repair] = []
    fixed = _repair_874(text, repairs)
    fixed = _repair_1252(fixed, repairs)
    if fixed == text:
        return text, ()
    return fixed, tuple(repairs)


def may_need_repair(data: bytes) -> bool:
    """Fast pre-filter on the raw UTF-8 file bytes: False guarantees repair_text would
    change nothing.

    Every lead character of either mangling is Thai (UTF-8 E0 B8 xx / E0 B9 xx) or
    Latin-1 (C3 xx), so files without C3 and E0 bytes -- ASCII, ASCII with NO-BREAK
    SPACE separators, emoji, curly quotes -- are settled by two memchr searches.  The
    rest are mapped to byte shapes and searched for the shape of a lead + continuation
    pair, each hit confirmed by the exact pattern.
    """
    if data.isascii():
        return False
    wanted = (_LATIN_SHAPES if b"\xc3" in data else ()) + (_THAI_SHAPES if b"\xe0" in data else ())
    if not wanted:
        return False
    # In chunks, so a file that does hold mojibake answers after its first megabyte.
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK + 3]
        shapes = chunk.translate(_SHAPES)
        for shape in wanted:
            pos = shapes.find(shape)
            while pos != -1:
                if _TRIGGER_BYTES.match(data, start + pos):
                    return True
                pos = shapes.find(shape, pos + 1)
    return False
