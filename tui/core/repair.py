"""Repair of mojibake in scraped text.

Scrapers often read UTF-8 pages with the wrong code page and save what they saw as
UTF-8.  Two kinds of mangling are repaired here:

* UTF-8 read as Windows-874 (Thai), with Windows-1252 standing in for the bytes
  Windows-874 leaves undefined.  Bytes that neither code page defines (0x81, 0x8D, 0x8F,
  0x90, 0x9D) were dropped, so ``🤔`` arrives as ``๐Ÿค”`` but ``🤦‍♀️`` as
  ``๐Ÿคฆโ€โ™€๏ธ`` with two bytes missing.  Nothing off the shelf reads this, so it is
  done here: a run is turned back into bytes, complete UTF-8 sequences are decoded
  exactly, and a sequence that is a byte short is completed with the dropped byte
  that context or plausibility favours (or becomes U+FFFD; a garbled run is never left
  on screen).
* UTF-8 read as any code page ftfy knows -- Windows-1252 or Latin-1 (``Iâ€™m``,
  ``cafÃ©``), Windows-1251 (``РїСЂРёРІРµС‚``), MacRoman, code page 437 and the others
  in `tui.core.repair_charmaps` -- once or twice, which ftfy repairs from the whole
  text; a Windows-1252 run it leaves because a byte was dropped gets the same
  completion as above.

Thai and accented Latin are real text too: ``รก`` is a Thai word and also the bytes of
``á``.  So a text counts as mangled only on evidence that genuine text does not
produce -- a Thai lead character followed by a character from the byte range
0x80-0x9F (Windows punctuation) that together decode to punctuation, a symbol or an
emoji, such as ``โ€`` or ``๐Ÿ``, or three mangled Thai characters in a row
(``เธชเธงเธฑ``) -- never because of its alphabet.  Without such evidence only a mostly
Latin text whose every Thai character reads as a Latin letter inside a word
(``cafรฉ``) or as a common emoji (``โค๏ธ``) is repaired.  For the other code pages
ftfy's own heuristic decides, except that a letter and a closing quote ending a word
(``IRMÃ”``) is no proof on its own.  This module does not import Textual.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations, product

import ftfy

from tui.core.repair_charmaps import (
    FTFY_CONFIG,
    may_be_mangled,
    may_need_repair_bytes,
    repair_charmaps,
)

__all__ = ["Repair", "may_need_repair", "repair_text"]


@dataclass(frozen=True, slots=True)
class Repair:
    """One garbled run and what it became.

    `kind` is the code page the run was read as for an exact restoration
    (``"windows-874"``, ``"windows-1252"`` -- Latin-1 too --, ``"windows-1251"``,
    ``"macroman"``, ``"cp437"``, ...; ``"windows-1252+windows-1252"`` for a run read
    twice), ``"guessed"`` when a dropped byte had to be chosen, ``"unrecoverable"``
    when (part of) the run became U+FFFD.
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


@dataclass(frozen=True, eq=False)
class _Codec:
    """A single-byte code page as seen from the mangled side."""

    table: dict[str, int]
    exact_kind: str
    leads: frozenset[str]
    conts: frozenset[str]
    run: re.Pattern[str]
    sequence: re.Pattern[str]


def _codec(table: dict[str, int], exact_kind: str, extra: Iterable[str] = ()) -> _Codec:
    leads = frozenset(c for c, b in table.items() if 0xC2 <= b <= 0xF4)
    conts = frozenset(c for c, b in table.items() if 0x80 <= b <= 0xBF)
    chars = _class(leads | conts | frozenset(extra))
    # "[...][...]*" rather than "[...]+": a pattern that starts with a set is searched
    # for a character of the set first, several times faster.
    run = re.compile(chars + chars + "*")
    # In a run, a lead and the continuations after it, as many as its sequence takes,
    # or a character on its own.  Leads are never dropped, so every lead starts a
    # sequence; one with too few continuations lost bytes.
    cont = _class(conts)
    sequence = re.compile(
        "|".join(
            _class(c for c, b in table.items() if lo <= b <= hi) + cont + f"{{0,{n - 1}}}"
            for lo, hi, n in ((0xF0, 0xF4, 4), (0xE0, 0xEF, 3), (0xC2, 0xDF, 2))
        )
        + "|.",
        re.DOTALL,
    )
    return _Codec(table, exact_kind, leads, conts, run, sequence)


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
# Written out rather than as a group repeated: a pattern that starts with a literal is
# searched for that character first, many times faster.
_THAI_MANGLED = re.compile(("เ[ธน]" + _class(_CP874.conts)) * 3)
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

_KEYCAP_BASES = "#*0123456789"
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


def _is_thai_syllable_reading(ch: str) -> bool:
    """Whether `ch` (U+2B00-U+2BFF: ⬅ ⬛ ⭕ and other arrows and shapes) is also what
    the Thai syllables โฌ โญ โฎ โฏ read as before a Windows punctuation mark (``โฌ…``
    is ⬅): such a sequence alone is no proof, though it is repaired in a mostly
    Latin text (see `_weakly_mangled`)."""
    return 0x2B00 <= ord(ch) <= 0x2BFF


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
    words = _nameable_words(ch)  # those a text can have at all
    hits = [w for w in aliases if w in words and context.positions(w)]
    if not hits:
        hits = [w for w in telling if w in words and context.positions(w)]
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


class _Options:
    """The candidates of a sequence that has more than one, with what choosing among
    them needs: whether a neighbour can change the choice (and whether an open quote
    can), and which of them the text can name (see `_named_at`)."""

    __slots__ = (
        "candidates",
        "contextual",
        "keycap",
        "looks_ahead",
        "nameable",
        "open",
        "persons",
        "quoted",
        "rival_names",
        "rivals",
    )

    def __init__(self, candidates: tuple[str, ...]) -> None:
        self.candidates = candidates
        self.contextual = any(_is_contextual(ch) for ch in candidates)
        self.quoted = _ZWJ in candidates or _RDQ in candidates
        # Which neighbours after the item a candidate's score looks at (see
        # `_context_score`): a ZWJ and a person the next character, a person the one
        # after it too, VS16 the next only after a keycap base.
        self.persons = not _PERSON_GENDER_BASES.isdisjoint(candidates)
        self.looks_ahead = self.persons or _ZWJ in candidates
        self.keycap = _VS16 in candidates
        self.nameable = frozenset(ch for ch in candidates if _nameable_words(ch))
        # The candidates after the first, and the words that can name one of them:
        # without a neighbour to say otherwise, only being named puts one first.
        self.rivals = candidates[1:]
        self.rival_names = _forms(self.rivals)
        self.open = self.contextual or bool(self.rival_names)


@lru_cache(maxsize=4096)
def _nameable_words(ch: str) -> frozenset[str]:
    """The words by which the text can name `ch` (see `_named_at`); empty for a
    character it cannot name."""
    if _class_score(ch) < 2:
        return frozenset()
    telling, aliases = _name_words(ch)
    return frozenset(w for w in telling | aliases if _WORD.fullmatch(w))


def _forms(candidates: Iterable[str]) -> frozenset[str]:
    """The words that can name one of `candidates`, and their plurals."""
    words = frozenset().union(*map(_nameable_words, candidates))
    return words | {w + "s" for w in words}


@lru_cache(maxsize=8192)
def _options(candidates: tuple[str, ...]) -> _Options:
    return _Options(candidates)


class _Item:
    """One decoded (or guessed, or given up) sequence of a run, shared by every run it
    occurs in.  `choice` is what it reads as before context is consulted; `options` is
    set when context can choose another of its candidates; `weak` is how
    `_weakly_mangled` sees it."""

    __slots__ = ("candidates", "choice", "kind", "options", "original", "strong", "weak")

    def __init__(self, original: str, candidates: tuple[str, ...], kind: str) -> None:
        self.original = original
        self.candidates = candidates
        self.kind = kind
        self.choice = candidates[0] if candidates else _FFFD
        self.strong = False
        self.options = _options(candidates) if len(candidates) > 1 else None
        if self.options is not None and not self.options.open:
            self.options = None
        self.weak = _WEAK_VETO


_Part = str | _Item


@lru_cache(maxsize=8192)
def _sequence(original: str, codec: _Codec) -> _Item | None:
    """The item a sequence of a run (see `_Codec.sequence`) stands for, or None for a
    character that is the author's."""
    table = codec.table
    lead = table.get(original[0], -1)
    if not 0xC2 <= lead <= 0xF4:
        return None
    conts = bytes(table[ch] for ch in original[1:])
    if not conts and (codec is not _CP874 or original not in _THAI):
        # A Latin letter with nothing after it is the author's (é in café, or Ü).
        return None
    need = _sequence_length(lead) - 1
    candidates = _candidates(lead, conts)
    if len(conts) == need:
        item = _Item(original, candidates, codec.exact_kind)
        if candidates and unicodedata.category(candidates[0]) == "Cc":
            # A C1 control nobody typed: ftfy's reading of it, as Windows-1252.
            try:
                item.choice = bytes([ord(candidates[0])]).decode("cp1252")
            except UnicodeDecodeError:
                item.choice = _FFFD
                item.kind = KIND_UNRECOVERABLE
    else:
        item = _Item(original, candidates, KIND_GUESSED)
    if not item.candidates:
        item.kind = KIND_UNRECOVERABLE
    item.strong = _is_strong(lead, conts, need, item)
    item.weak = _weak_reading(item)
    return item


@lru_cache(maxsize=256)
def _debris(ch: str) -> _Item:
    return _Item(ch, (), KIND_UNRECOVERABLE)


def _is_strong(lead: int, conts: bytes, need: int, item: _Item) -> bool:
    """Whether this sequence alone proves the text mangled (see the module doc)."""
    if lead < 0xE0 or need - len(conts) > 1 or not item.candidates:
        return False
    if not any(0x80 <= b <= 0x9F for b in conts):
        return False
    return _is_evidence(item.candidates[0]) and not _is_thai_syllable_reading(item.candidates[0])


# How `_weakly_mangled` sees a run on its own, and an item in it.
_WEAK_SKIP = 0  # run: no Thai, neither repaired nor a veto
_WEAK_VETO = 1  # something genuine Thai would hold: nothing in the text is repaired
_WEAK_OK = 2  # a symbol or a common emoji
_WEAK_LATIN = 3  # with a Latin letter, which needs an ASCII letter beside the run
_WEAK_JOINER = 4  # item: a VS16 or ZWJ, fine right after another item only


def _weak_reading(item: _Item) -> int:
    choice = item.choice
    if item.kind == KIND_UNRECOVERABLE:
        return _WEAK_VETO
    if item.kind == KIND_874:
        if _latin_letter(choice):
            return _WEAK_LATIN
        return _WEAK_OK if _is_evidence(choice) else _WEAK_VETO
    # Guessed: short Thai words such as โต or โค read as symbols with one byte added,
    # so only a common emoji, or a joiner after one, will do.
    if choice in _RANK and _is_emoji(choice):
        return _WEAK_OK
    return _WEAK_JOINER if choice in (_VS16, _ZWJ) else _WEAK_VETO


def _quote_effect(piece: str) -> bool | None:
    """Whether `piece` leaves a “ open (True) or closed (False); None if it has
    neither quote and leaves the state as it was."""
    left, right = piece.rfind(_LDQ), piece.rfind(_RDQ)
    if left == right:  # both absent
        return None
    return left > right


class _Run:
    """A parsed run, shared by every text it occurs in.

    `texts` holds each part's reading before context is consulted; `choices` lists
    the items context still has to decide as (index, options, offset in the run), and
    `events` the same interleaved with (index, None, effect) for every other part with
    a quote effect, in order, as `_resolve` takes them when quotes matter (`quoted`).
    For a run with choices, `groups` holds each stretch of consecutive items as
    (start, end, original, kind); for one without, `replacement` and `repairs` are
    the result.  `effect` and `replacement_effect` are the quote effects of the run
    before and after repair, and `flags` sums up the run (see `_STRONG`).

    With `debris` (for a text known to be mangled), loose Thai characters, and
    characters only Windows-1252 supplies in a run that has an item, are leftovers of
    mangling and become U+FFFD; `has_debris` tells whether the run has any, `marked`
    is the run parsed so once needed (see `_with_debris`).
    """

    __slots__ = (
        "choices",
        "effect",
        "events",
        "flags",
        "groups",
        "has_debris",
        "marked",
        "quoted",
        "repairs",
        "replacement",
        "replacement_effect",
        "strong",
        "text",
        "texts",
        "weak",
    )

    def __init__(self, text: str, codec: _Codec, debris: bool) -> None:
        self.text = text
        self.marked: _Run | None = None
        parts: list[_Part] = [
            _sequence(piece, codec) or piece for piece in codec.sequence.findall(text)
        ]
        if debris:
            _mark_debris(parts)
        texts: list[str] = []
        choices: list[tuple[int, _Options, int]] = []
        # Stretches of consecutive items as [start, end, originals, kinds].
        groups: list[list] = []
        group: list | None = None
        strong = False
        weak = _WEAK_SKIP if _THAI.isdisjoint(text) else _WEAK_OK
        loose_thai = loose_1252 = False
        after_item = False
        offset = 0
        for i, part in enumerate(parts):
            if isinstance(part, str):
                group = None
                texts.append(part)
                offset += 1
                if part in _THAI:
                    loose_thai = True
                    weak = _WEAK_VETO
                elif part in _CP874_ONLY_1252:
                    loose_1252 = True
                after_item = False
                continue
            if group is None:
                group = [i, i, [], set()]
                groups.append(group)
            group[1] = i + 1
            group[2].append(part.original)
            group[3].add(part.kind)
            texts.append(part.choice)
            if part.options is not None:
                choices.append((i, part.options, offset))
            offset += len(part.original)
            strong = strong or part.strong
            if weak in (_WEAK_OK, _WEAK_LATIN):
                if part.weak == _WEAK_LATIN:
                    weak = _WEAK_LATIN
                elif part.weak == _WEAK_VETO or (part.weak == _WEAK_JOINER and not after_item):
                    weak = _WEAK_VETO
            after_item = True
        self.has_debris = codec is _CP874 and (loose_thai or (loose_1252 and bool(groups)))
        self.effect = _quote_effect(text)
        self.strong = strong
        self.weak = weak
        stretches = tuple(
            (start, end, "".join(originals), _group_kind(kinds, codec))
            for start, end, originals, kinds in groups
        )
        if choices:
            choices = _settle(choices, texts)
        self.texts = tuple(texts)
        self.choices = tuple(choices)
        if choices:
            self.quoted = any(options.quoted for _, options, _ in choices)
            waiting = {choice[0]: choice for choice in choices}
            events: list[tuple[int, _Options | None, int]] = []
            for i, reading in enumerate(texts):
                if i in waiting:
                    events.append(waiting[i])
                elif reading == _LDQ:
                    events.append((i, None, True))
                elif reading == _RDQ:
                    events.append((i, None, False))
            self.events = tuple(events)
            self.groups = stretches
            self.replacement = ""
            self.replacement_effect = None
            self.repairs: tuple[Repair, ...] = ()
        else:
            self.quoted = False
            self.events = ()
            self.groups = ()
            self.replacement = "".join(texts)
            self.replacement_effect = _quote_effect(self.replacement)
            self.repairs = tuple(
                Repair(original, replacement, kind)
                for start, end, original, kind in stretches
                if original != (replacement := "".join(texts[start:end]))
            )
        self.flags = (
            (_STRONG if strong else 0)
            | (_DEBRIS if self.has_debris else 0)
            | (_CHOICES if choices else 0)
            | (_CONTEXTUAL if any(options.contextual for _, options, _ in choices) else 0)
            | (_QUOTED if self.quoted else 0)
        )

    def unrepaired(self) -> _Run:
        """The run as a run that is left as it is."""
        run = _Run.__new__(_Run)
        run.text = run.replacement = self.text
        run.effect = run.replacement_effect = self.effect
        run.texts = (self.text,)
        run.choices = run.events = run.groups = run.repairs = ()
        run.quoted = run.strong = run.has_debris = False
        run.weak = _WEAK_SKIP
        run.marked = None
        run.flags = 0
        return run


# What a run has, as `_Run.flags`, so that a text's runs are summed up as one number.
_STRONG = 1  # an item that alone proves the text mangled
_DEBRIS = 2  # characters that become U+FFFD once the text is known to be mangled
_CHOICES = 4  # open items
_CONTEXTUAL = 8  # an open item whose choice looks at its neighbours
_QUOTED = 16  # an open item that can be ” or a ZWJ


def _settle(
    choices: list[tuple[int, _Options | None, int]], texts: list[str]
) -> list[tuple[int, _Options | None, int]]:
    """Decide, once for every text the run occurs in, the open items that parts of the
    run settle; put their choice in `texts` and return the others.

    Such an item looks only at parts of the run that never change (the one before it,
    and the one or two after it when a candidate looks ahead), its choice is the same
    whether a quote is open or not and cannot be overturned by a name in the text, and
    no open item before it looks at it.  So it is what `_resolve` would choose in every
    round, and nothing reads it before.
    """
    open_at = {i: options for i, options, _ in choices}
    last = len(texts) - 1
    left = []
    for choice in choices:
        i, options, _ = choice
        assert options is not None
        fixed = None
        if i >= 1 and i - 1 not in open_at:
            prev = texts[i - 1][-1:]
            nxt = nxt2 = ""
            known = True
            if options.looks_ahead or (options.keycap and prev in _KEYCAP_BASES):
                known = i < last and i + 1 not in open_at
                if known:
                    nxt = texts[i + 1][:1]
                    if options.persons and nxt == _ZWJ:
                        known = i + 1 < last and i + 2 not in open_at
                        if known:
                            nxt2 = texts[i + 2][:1]
            # The open item two before reads this one as its next but one when it
            # can be a person and a ZWJ lies between.
            before = open_at.get(i - 2)
            if before is not None and before.persons and prev == _ZWJ:
                known = False
            if known:
                readings = {
                    _choose_by_neighbours(options, prev, nxt, nxt2, quote_open)
                    for quote_open in ((False, True) if options.quoted else (False,))
                }
                if len(readings) == 1:
                    best, _, names = readings.pop()
                    if not names:
                        fixed = best
        if fixed is None:
            left.append(choice)
        else:
            texts[i] = fixed
    return left


def _group_kind(kinds: set[str], codec: _Codec) -> str:
    """The kind of a stretch of consecutive items with these kinds."""
    if KIND_UNRECOVERABLE in kinds:
        return KIND_UNRECOVERABLE
    if KIND_GUESSED in kinds:
        return KIND_GUESSED
    return codec.exact_kind


def _mark_debris(parts: list[_Part]) -> None:
    """Loose Thai characters, and characters only Windows-1252 supplies in a run that
    has an item, become U+FFFD items (see `_Run`)."""
    has_item = not all(isinstance(part, str) for part in parts)
    for i, part in enumerate(parts):
        if isinstance(part, str) and (part in _THAI or (has_item and part in _CP874_ONLY_1252)):
            parts[i] = _debris(part)


def _group_repairs(
    groups: Iterable[tuple[int, int, str, str]], texts: list[str] | tuple[str, ...], base: int
) -> Iterable[Repair]:
    for start, end, original, kind in groups:
        replacement = "".join(texts[base + start : base + end])
        if original != replacement:
            yield _repair(original, replacement, kind)


# The same few repairs recur across a thread: one shared record for each.
_repair = lru_cache(maxsize=4096)(Repair)


# A run parsed, one cache for each code page (the same run recurs across a thread:
# emoji, punctuation); one argument keeps the cache lookup cheap.
@lru_cache(maxsize=8192)
def _parsed_874(run: str) -> _Run:
    return _Run(run, _CP874, False)


@lru_cache(maxsize=1024)
def _parsed_1252(run: str) -> _Run:
    return _Run(run, _CP1252, False)


def _with_debris(run: _Run) -> _Run:
    """`run` parsed for a text known to be mangled (see `_Run`)."""
    if not run.has_debris:
        return run
    if run.marked is None:
        run.marked = _Run(run.text, _CP874, True)
    return run.marked


# --- choosing among candidates -----------------------------------------------------------


class _Context:
    """The text a guess is made in: its words, and where it has a word, looked up only
    for the few words that matter and remembered.

    A word is a stretch of letters a-z once the text is lowercased; its plural counts
    as the word too.
    """

    __slots__ = ("_data", "_has", "_letters", "_nearest", "_positions", "_text", "_words")

    def __init__(self, text: str) -> None:
        self._text = text
        # The lowercased text or (most often) just its letters a-z, read off its UTF-8
        # with everything else a space: every byte of a non-ASCII character is >= 0x80,
        # so ASCII letters and what separates them stay as they were.  Then offsets in
        # it are byte offsets into `_data`.
        self._letters = ""
        self._data: bytes | None = None
        self._words: list[str] | None = None
        self._positions: dict[str, list[int]] = {}
        self._has: dict[frozenset[str], bool] = {}
        self._nearest: dict[tuple[str, tuple[str, ...], int], str] = {}

    def _read(self) -> list[str]:
        text = self._text
        if _CAPITAL_I_DOT in text or _KELVIN in text:
            # Characters that lowercase to letters a-z: only the lowercased text will do.
            self._letters = text.lower()
            self._words = _LETTERS.findall(self._letters)
        else:
            data = text.encode("utf-8", "surrogatepass")
            self._letters = data.translate(_ASCII_LETTERS).decode("ascii")
            self._data = data
            self._words = self._letters.split()
        return self._words

    def has_any(self, forms: frozenset[str]) -> bool:
        """Whether the text has any of `forms` (words and their plurals) as a word."""
        found = self._has.get(forms)
        if found is None:
            found = self._has[forms] = not forms.isdisjoint(self._words or self._read())
        return found

    def positions(self, word: str) -> list[int]:
        """Where the text has `word` or its plural (empty if it has neither)."""
        found = self._positions.get(word)
        if found is None:
            if self._words is None:
                self._read()
            found = _word_positions(self._letters, word)
            data = self._data
            if found and data is not None:
                found = [len(data[:at].decode("utf-8", "surrogatepass")) for at in found]
            self._positions[word] = found
        return found

    def nearest_named(self, best: str, rivals: tuple[str, ...], pos: int) -> str:
        """Among `best` and `rivals` (tied by their neighbours, best first by the
        ranking), the one the text names nearest to `pos`; `best` if it names none."""
        key = (best, rivals, pos)
        found = self._nearest.get(key)
        if found is None:
            found = best
            nearest = None
            for ch in (best, *rivals):
                if not _nameable_words(ch):
                    continue
                distance = _named_at(ch, self, pos)
                if distance is not None and (nearest is None or distance < nearest):
                    found, nearest = ch, distance
            self._nearest[key] = found
        return found


_LETTERS = re.compile("[a-z]+")
# The only non-ASCII characters whose lowercase has letters a-z: İ -> i̇ and
# K (Kelvin) -> k.
_CAPITAL_I_DOT = "\u0130"
_KELVIN = "\u212a"
# Bytes -> lowercase ASCII letters, everything else a space.
_ASCII_LETTERS = bytes(
    b + 32 if 0x41 <= b <= 0x5A else b if 0x61 <= b <= 0x7A else 0x20 for b in range(256)
)


def _is_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


def _word_positions(lower: str, word: str) -> list[int]:
    """Where `word` or its plural stands alone in `lower`, the lowercased text (or its
    letters a-z alone)."""
    found = []
    size = len(word)
    at = lower.find(word)
    while at != -1:
        if not (at and _is_letter(lower[at - 1])):
            end = at + size
            after = lower[end : end + 1]
            if not _is_letter(after) or (after == "s" and not _is_letter(lower[end + 1 : end + 2])):
                found.append(at)
        at = lower.find(word, at + 1)
    return found


def _is_emojiish(ch: str) -> bool:
    return _is_emoji(ch) or ch == _VS16


@lru_cache(maxsize=4096)
def _is_contextual(ch: str) -> bool:
    """Whether `_context_score` can be anything but 0 for `ch`."""
    return ch in (_ZWJ, _RDQ, _VS16) or 0x1F3FB <= ord(ch) <= 0x1F3FF or ch in _PERSON_GENDER_BASES


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
        if prev and prev in _KEYCAP_BASES and nxt == _KEYCAP:
            return 4
        return 0
    if 0x1F3FB <= ord(ch) <= 0x1F3FF:
        return 3 if _is_emoji(prev) else -2
    if ch in _PERSON_GENDER_BASES and nxt == _ZWJ and nxt2 in _GENDER_SIGNS:
        return 3
    return 0


def _choose(
    options: _Options,
    prev: str,
    nxt: str,
    nxt2: str,
    context: _Context,
    quote_open: bool,
    pos: int,
) -> str:
    """Context first, then being named in the text (nearest mention wins), then the
    built-in ranking, then the kind of character.

    The candidates come best first by the last two, so when the text names none of
    the others the neighbours like as much, the choice depends on the neighbours
    alone, and not even on them when no candidate is one a neighbour speaks for.
    """
    if options.contextual:
        best, rivals, names = _choose_by_neighbours(options, prev, nxt, nxt2, quote_open)
    else:
        best, rivals, names = options.candidates[0], options.rivals, options.rival_names
    if names and context.has_any(names):
        return context.nearest_named(best, rivals, pos)
    return best


@lru_cache(maxsize=8192)
def _choose_by_neighbours(
    options: _Options, prev: str, nxt: str, nxt2: str, quote_open: bool
) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """The best candidate by the neighbours and then the ranking, the others the
    neighbours like as much, and the words (and plurals) that can name one of those
    (being named in the text can put it first)."""
    scores = [_context_score(ch, prev, nxt, nxt2, quote_open) for ch in options.candidates]
    top = max(scores)
    tied = [ch for ch, score in zip(options.candidates, scores, strict=True) if score == top]
    rivals = tuple(tied[1:])
    return tied[0], rivals, _forms(rivals)


def _resolve(texts: list[str], events: list[tuple[int, _Options | None, int]], text: str) -> None:
    """Pick every open item's character, left to right, twice: the second round sees
    what the first chose to the right (a ZWJ decides the person before it).

    `texts` holds the reading of every part of the text; `events` lists, in order,
    each open item as (index, options, position in `text`) and each other part with a
    quote effect as (index, None, effect).
    """
    context = _Context(text)
    count = len(texts)
    for _round in range(2):
        quote_open = False
        for index, options, value in events:
            if options is None:
                quote_open = bool(value)
                continue
            prev = texts[index - 1][-1:] if index else ""
            nxt = texts[index + 1][:1] if index + 1 < count else ""
            nxt2 = texts[index + 2][:1] if index + 2 < count else ""
            ch = _choose(options, prev, nxt, nxt2, context, quote_open, value)
            texts[index] = ch
            if ch == _LDQ:
                quote_open = True
            elif ch == _RDQ:
                quote_open = False


# --- the passes ---------------------------------------------------------------------------


def _split(text: str, codec: _Codec) -> tuple[list[tuple[int, _Run]], int]:
    """The runs of the code page's characters in `text`, with where each starts, and
    their flags together.  Two runs never touch: plain text lies between them."""
    parsed = _parsed_874 if codec is _CP874 else _parsed_1252
    runs = []
    flags = 0
    for match in codec.run.finditer(text):
        run = parsed(match.group())
        runs.append((match.start(), run))
        flags |= run.flags
    return runs, flags


def _marked(runs: list[tuple[int, _Run]]) -> tuple[list[tuple[int, _Run]], int]:
    """`runs` parsed for a text known to be mangled (see `_Run`), and their flags."""
    marked = [(start, _with_debris(run)) for start, run in runs]
    flags = 0
    for _, run in marked:
        flags |= run.flags
    return marked, flags


def _weakly_mangled(text: str, runs: list[tuple[int, _Run]]) -> list[int]:
    """Runs to repair in a text with no strong evidence.

    Only when every Thai character of the text belongs to a sequence that decodes to
    punctuation, a symbol or a common emoji (``โค๏ธ`` alone in a sentence), or exactly to a
    Latin letter inside a Latin word (``cafรฉ``), and the text is mostly Latin.
    Genuine Thai always has characters that do not, so one such run anywhere vetoes
    them all.
    """
    chosen: list[int] = []
    for index, (start, run) in enumerate(runs):
        status = run.weak
        if status == _WEAK_SKIP:
            continue
        if status == _WEAK_VETO:
            return []
        if status == _WEAK_LATIN:
            end = start + len(run.text)
            before = text[start - 1 : start] if start else ""
            after = text[end : end + 1]
            if not (_ascii_letter(before) or _ascii_letter(after)):
                return []
        chosen.append(index)
    return chosen


def _latin_letter(ch: str) -> bool:
    return 0xC0 <= ord(ch) <= 0x24F and ch.isalpha()


def _ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def _apply(text: str, runs: list[tuple[int, _Run]], flags: int, repairs: list[Repair]) -> str:
    """Resolve the runs (whose `flags` together are given), rebuild the text and record
    one Repair per stretch of consecutive items."""
    if not flags & _CHOICES:
        out: list[str] = []
        pos = 0
        for start, run in runs:
            out.append(text[pos:start])
            out.append(run.replacement)
            repairs.extend(run.repairs)
            pos = start + len(run.text)
        out.append(text[pos:])
        return "".join(out)
    if not flags & _CONTEXTUAL:
        return _apply_named(text, runs, repairs)
    # Whether a “ is open matters only to a choice that can be ” or a ZWJ.
    quoted = flags & _QUOTED
    # The text as parts: a run whose items are all decided and the plain text between
    # runs are one part each (only the first and last characters of a part, and the
    # last quote in it, matter to a choice).
    texts: list[str] = []
    events: list[tuple[int, _Options | None, int]] = []
    bases: list[int] = []
    pos = 0
    for start, run in runs:
        if start > pos:
            piece = text[pos:start]
            if quoted:
                effect = _quote_effect(piece)
                if effect is not None:
                    events.append((len(texts), None, effect))
            texts.append(piece)
        pos = start + len(run.text)
        if not run.choices:
            if quoted and run.replacement_effect is not None:
                events.append((len(texts), None, run.replacement_effect))
            texts.append(run.replacement)
            continue
        base = len(texts)
        bases.append(base)
        texts.extend(run.texts)
        for i, options, value in run.events if quoted else run.choices:
            if options is None:
                events.append((base + i, None, value))
            else:
                events.append((base + i, options, start + value))
    if pos < len(text):
        piece = text[pos:]
        if quoted:
            effect = _quote_effect(piece)
            if effect is not None:
                events.append((len(texts), None, effect))
        texts.append(piece)
    _resolve(texts, events, text)
    open_bases = iter(bases)
    for _, run in runs:
        if run.choices:
            repairs.extend(_group_repairs(run.groups, texts, next(open_bases)))
        else:
            repairs.extend(run.repairs)
    return "".join(texts)


def _apply_named(text: str, runs: list[tuple[int, _Run]], repairs: list[Repair]) -> str:
    """`_apply` when no choice looks at its neighbours: each is its first candidate
    unless the text names another."""
    context = _Context(text)
    out: list[str] = []
    pos = 0
    for start, run in runs:
        out.append(text[pos:start])
        pos = start + len(run.text)
        if not run.choices:
            out.append(run.replacement)
            repairs.extend(run.repairs)
            continue
        texts = list(run.texts)
        for i, options, offset in run.choices:
            assert options is not None
            texts[i] = _choose(options, "", "", "", context, False, start + offset)
        out.extend(texts)
        repairs.extend(_group_repairs(run.groups, texts, 0))
    out.append(text[pos:])
    return "".join(out)


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
    runs, flags = _split(text, _CP874)
    if not runs:
        return text
    if thai_mangled or (maybe_strong and flags & _STRONG):
        if flags & _DEBRIS:
            runs, flags = _marked(runs)
    elif latin or (latin is None and _mostly_latin(text)):
        selected = _weakly_mangled(text, runs)
        if not selected:
            return text
        runs, flags = _only(runs, selected)
    else:
        return text
    return _apply(text, runs, flags, repairs)


def _only(runs: list[tuple[int, _Run]], selected: list[int]) -> tuple[list[tuple[int, _Run]], int]:
    """`runs` with those not `selected` (indices, ascending) left as they are, and the
    flags of those selected."""
    chosen = set(selected)
    only = []
    flags = 0
    for index, (start, run) in enumerate(runs):
        if index in chosen:
            flags |= run.flags
            only.append((start, run))
        else:
            only.append((start, run.unrepaired()))
    return only, flags


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
        fixed = ftfy.fix_encoding(run, FTFY_CONFIG)
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
    runs, flags = _split(text, _CP1252)
    if not flags & _STRONG:
        return text
    selected = [i for i, (_, run) in enumerate(runs) if run.strong]
    runs, flags = _only(runs, selected)
    return _apply(text, runs, flags, repairs)


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

    Windows-874 mojibake is repaired first, then the code pages ftfy knows (the whole
    text at once), then Windows-1252 runs a byte short.  Text without a lead character
    followed by a continuation character of any of these code pages (or a C1 control
    standing for Windows-1252 punctuation) returns at once; ASCII costs one `isascii`.
    """
    if text.isascii():
        return text, ()
    # Where _TRIGGER matches, so does _QUICK: its first match is where to start.
    quick = _QUICK.search(text)
    own = quick is not None and _TRIGGER.search(text, quick.start()) is not None
    if not own and not may_be_mangled(text):
        return text, ()
    repairs: list[Repair] = []
    fixed = _repair_874(text, repairs) if own else text
    # The whole text to ftfy before the Windows-1252 runs alone: ftfy decides better
    # with all of it (``Ä…`` is ą only beside other Polish mojibake).
    fixed, found = repair_charmaps(fixed)
    repairs.extend(_repair(*stretch) for stretch in found)
    fixed = _repair_1252(fixed, repairs)
    if fixed == text or _only_quotes_after_words(text, repairs):
        return text, ()
    return fixed, tuple(repairs)


_CLOSING_MARKS = frozenset("’”»›")


def _only_quotes_after_words(text: str, repairs: list[Repair]) -> bool:
    """Whether every repair is a letter and a closing mark at the end of a word:
    ``IRMÃ”`` is Portuguese in capitals closing a quote as much as the mojibake of
    ``IRMÔ``, so that alone is no proof."""
    for repair in repairs:
        original = repair.original
        if len(original) != 2 or not original[0].isalpha() or original[1] not in _CLOSING_MARKS:
            return False
        at = text.find(original)
        while at != -1:
            if text[at + 2 : at + 3].isalpha():
                return False
            at = text.find(original, at + 1)
    return True


def may_need_repair(data: bytes) -> bool:
    """Fast pre-filter on the raw UTF-8 file bytes: False guarantees repair_text would
    change nothing.

    Every lead character of either mangling is Thai (UTF-8 E0 B8 xx / E0 B9 xx) or
    Latin-1 (C3 xx), so files without C3 and E0 bytes -- ASCII, ASCII with NO-BREAK
    SPACE separators, emoji, curly quotes -- are settled by two memchr searches.  The
    rest are mapped to byte shapes and searched for the shape of a lead + continuation
    pair, each hit confirmed by the exact pattern.  The other code pages are looked
    for by `tui.core.repair_charmaps.may_need_repair_bytes`.
    """
    if data.isascii():
        return False
    return _may_need_874_or_1252(data) or may_need_repair_bytes(data)


def _may_need_874_or_1252(data: bytes) -> bool:
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
