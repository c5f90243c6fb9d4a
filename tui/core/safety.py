"""Make untrusted thread text safe to print: no control character reaches a terminal.

Scraped comments can carry ESC sequences that recolour or retitle a terminal, BEL, CR
that overwrites the start of a line, C1 controls that some terminals obey as CSI, and
bidi overrides that make text read differently from what it is.  Exported text and
Markdown are printed to terminals and pasted into documents, so each such character is
shown as a visible symbol instead.  Line breaks and tabs are layout and stay.
"""

from __future__ import annotations

import re

_C0 = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
# Invisible characters with no control picture are shown by code point.
_BY_CODE_POINT = (
    *range(0x80, 0xA0),  # C1 controls
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2066, 0x206A),  # bidi isolates
    0x200E,  # LEFT-TO-RIGHT MARK
    0x200F,  # RIGHT-TO-LEFT MARK
    0x061C,  # ARABIC LETTER MARK
)
_SYMBOLS: dict[str, str] = {
    **{chr(code): symbol for code, symbol in _C0.items()},
    "\x7f": "␡",
    **{chr(code): f"⟪U+{code:04X}⟫" for code in _BY_CODE_POINT},
}
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _symbol(match: re.Match[str]) -> str:
    # Anything not in the table is a lone surrogate, which no terminal can be sent.
    return _SYMBOLS.get(match.group(), "\ufffd")


def visible(text: str) -> str:
    """`text` with every control, bidi and lone-surrogate character made visible.

    ESC becomes ␛ and the other C0 controls their control pictures (␇, ␍, ...), DEL
    becomes ␡, C1 controls and bidi controls are spelled as ⟪U+202E⟫, and a lone
    surrogate becomes U+FFFD.  `\\n` and `\\t` are kept.
    """
    return _UNSAFE.sub(_symbol, text)
