"""The one policy for untrusted text: which characters are unsafe, and what each way
out of the reader does with them.

Scraped comments can carry ESC sequences that recolour or retitle a terminal, BEL, CR
that overwrites the start of a line, C1 controls that some terminals obey as CSI,
bidi controls and marks that make text read differently from what it is, line and
paragraph separators that some programs treat as line breaks and others ignore, the
invisible U+FEFF, and lone surrogates that no terminal or clipboard can be sent.
`UNSAFE` names them all, once; every way text leaves the reader uses it:

- `on_screen`: the TUI.  One character for one, so offsets into the original text
  (search matches, selections) stay valid on screen.
- `visible`: exported text, `threadread grep`, messages on stderr.  Spelled out
  (⟪U+202E⟫) where the screen has room only for one symbol.
- `for_clipboard`: what is copied or quoted.  Removed, since the paste target (a
  shell, an editor, a chat box) may act on them; escape sequences go whole.
- `one_line`: a message naming untrusted text (a path, a title): `visible`, with
  every line break and run of whitespace made one space.

Line breaks and tabs are layout and stay.  Nothing here imports Textual.
"""

from __future__ import annotations

import re

__all__ = [
    "CONTROL_SYMBOLS",
    "UNSAFE",
    "UNSAFE_PATTERN",
    "control_positions",
    "for_clipboard",
    "is_unsafe",
    "on_screen",
    "one_line",
    "visible",
]

_C0 = frozenset(code for code in range(0x20) if code not in (0x09, 0x0A))
_C1 = frozenset(range(0x80, 0xA0))
# Bidi embeddings, overrides and isolates, the LRM/RLM marks and the Arabic letter mark.
_BIDI = frozenset((*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C))
_SEPARATORS = frozenset((0x2028, 0x2029))  # LINE SEPARATOR, PARAGRAPH SEPARATOR
_INVISIBLE = frozenset((0xFEFF,))  # ZERO WIDTH NO-BREAK SPACE (a BOM mid-text)
_SURROGATES = frozenset(range(0xD800, 0xE000))

UNSAFE: frozenset[int] = frozenset(
    (*_C0, 0x7F, *_C1, *_BIDI, *_SEPARATORS, *_INVISIBLE, *_SURROGATES)
)
"""Every code point no way out of the reader passes through as it is."""

UNSAFE_PATTERN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u2069\ufeff\ud800-\udfff]"
)
"""One character of `UNSAFE`, for `re.sub`."""


def is_unsafe(char: str) -> bool:
    """Whether the one character `char` is in `UNSAFE`."""
    return ord(char) in UNSAFE


# -- the screen: one symbol for one character ------------------------------------------

_ON_SCREEN: dict[int, int] = {
    **{code: 0x2400 + code for code in _C0},  # control pictures: ESC is ␛
    0x09: ord(" "),  # a tab is one space; wrapping needs one cell per character
    0x7F: 0x2421,  # ␡
    **dict.fromkeys(_C1, 0xFFFD),
    **dict.fromkeys(_BIDI, 0x2E2E),  # ⸮
    **dict.fromkeys(_SEPARATORS, 0x2424),  # ␤
    **dict.fromkeys(_INVISIBLE, 0xFFFD),
    **dict.fromkeys(_SURROGATES, 0xFFFD),
}
_ON_SCREEN_TABLE = str.maketrans(_ON_SCREEN)
CONTROL_SYMBOLS = frozenset(chr(v) for k, v in _ON_SCREEN.items() if k != 0x09)
"""The symbols `on_screen` puts where unsafe characters were, to style them."""


def on_screen(text: str) -> str:
    """`text` safe to put on screen, one character for one character.

    Control characters become Unicode control pictures (ESC shows as ␛), C1
    controls, U+FEFF and lone surrogates U+FFFD, bidi controls ⸮, line and paragraph
    separators ␤: none of them reaches the terminal, and nothing can reorder the text
    around it.  A tab is shown as one space; `\\n` is kept.
    """
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_ON_SCREEN_TABLE)


def control_positions(original: str) -> list[int]:
    """Offsets of the characters `on_screen` shows as a symbol (tabs not counted)."""
    if original.isascii() and original.isprintable():
        return []
    return [match.start() for match in UNSAFE_PATTERN.finditer(original)]


# -- printed text: spelled out ------------------------------------------------------------

_SPELLED: dict[str, str] = {
    **{chr(code): chr(0x2400 + code) for code in _C0},
    "\x7f": "␡",
    **{chr(code): f"⟪U+{code:04X}⟫" for code in (*_C1, *_BIDI, *_SEPARATORS, *_INVISIBLE)},
}


def _spelled(match: re.Match[str]) -> str:
    # Anything not in the table is a lone surrogate, which no terminal can be sent.
    return _SPELLED.get(match.group(), "\ufffd")


def visible(text: str) -> str:
    """`text` with every unsafe character made visible, for printing.

    ESC becomes ␛ and the other C0 controls their control pictures (␇, ␍, ...), DEL
    becomes ␡, C1, bidi, separator and U+FEFF characters are spelled as ⟪U+202E⟫,
    and a lone surrogate becomes U+FFFD.  `\\n` and `\\t` are kept.
    """
    return UNSAFE_PATTERN.sub(_spelled, text)


def one_line(text: str) -> str:
    """`visible(text)` on one line: each run of whitespace, line breaks included,
    becomes one space, so a message never spans lines whatever it quotes."""
    return " ".join(visible(text).split())


# -- the clipboard: removed ----------------------------------------------------------------

# Escape sequences, removed whole so their parameters do not survive as stray text:
# string sequences (OSC, DCS, SOS, PM, APC) up to BEL or ST, then CSI, then the
# two-byte and intermediate-byte escapes.  The 8-bit forms (U+009B, U+009D...) are
# only dropped as single characters: mis-decoded text is full of them ("â€\x9d" is a
# closing quote), and treating them as introducers would delete real words.
_ESCAPES = re.compile(
    r"\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[ -/]*[0-~]"
)
_NEWLINES = re.compile(r"\r\n?")
# Line and paragraph separators are line breaks to whoever wrote them: kept as one.
_FOR_CLIPBOARD_TABLE = {**dict.fromkeys(UNSAFE), **dict.fromkeys(_SEPARATORS, "\n")}


def for_clipboard(text: str) -> str:
    """`text` safe to paste: no unsafe character, no escape sequence.

    Line endings become `\\n` (so do U+2028 and U+2029); tab and newline are kept
    because pasted prose needs them.
    """
    text = _NEWLINES.sub("\n", text)
    text = _ESCAPES.sub("", text)
    return text.translate(_FOR_CLIPBOARD_TABLE)
