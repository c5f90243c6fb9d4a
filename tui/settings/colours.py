"""Colours as theme files write them, checked without Textual.

Settings must be readable -- `threadread themes`, `threadread config` -- without
loading the UI, so a theme file's colours are checked here against Textual's colour
grammar rather than by `textual.color.Color.parse`: `#rgb`, `#rgba`, `#rrggbb`,
`#rrggbbaa`, `rgb(r, g, b)`, `rgba(r, g, b, a)`, `hsl(h, s%, l%)`,
`hsla(h, s%, l%, a)`, a colour name, or an ANSI name such as `ansi_blue`.
`tests/unit/test_colours.py` checks that `parse` accepts exactly what Textual does
and gives the same values.  The UI builds its Textual colours from the same text.

A theme may also give an opacity after a colour ("#ffa62b 35%") or "none"; that is
`parse_with_opacity`.
"""

from __future__ import annotations

import difflib
import re
from colorsys import hls_to_rgb
from typing import NamedTuple

from tui.settings.textual_names import ANSI_NAMES, NAMED_COLOURS

__all__ = ["Colour", "ColourError", "parse", "parse_with_opacity"]

# Textual's numbers (textual.css.tokenize), joined as in textual.color.RE_COLOR.
_DECIMAL = r"-?\d+\.?\d*"
_PERCENT = r"-?\d+\.?\d*%"
_COMMA = r"\s*,\s*"
_OPEN = r"\(\s*"
_CLOSE = r"\s*\)"
# `$` and not `\Z`, as Textual writes it: a colour followed by one newline parses.
_COLOUR = re.compile(
    rf"""^
\#([0-9a-fA-F]{{3}})$|
\#([0-9a-fA-F]{{4}})$|
\#([0-9a-fA-F]{{6}})$|
\#([0-9a-fA-F]{{8}})$|
rgb{_OPEN}({_DECIMAL}{_COMMA}{_DECIMAL}{_COMMA}{_DECIMAL}){_CLOSE}$|
rgba{_OPEN}({_DECIMAL}{_COMMA}{_DECIMAL}{_COMMA}{_DECIMAL}{_COMMA}{_DECIMAL}){_CLOSE}$|
hsl{_OPEN}({_DECIMAL}{_COMMA}{_PERCENT}{_COMMA}{_PERCENT}){_CLOSE}$|
hsla{_OPEN}({_DECIMAL}{_COMMA}{_PERCENT}{_COMMA}{_PERCENT}{_COMMA}{_DECIMAL}){_CLOSE}$
""",
    re.VERBOSE,
)
_OPACITY = re.compile(r"^(?P<colour>.+?)\s+(?P<percent>\d+(?:\.\d+)?)%$")
_NONE = ("none", "transparent")


class Colour(NamedTuple):
    """A parsed colour: red, green and blue 0-255, alpha 0-1, and the ANSI colour
    number for an ANSI name (-1 for `ansi_default`), else None."""

    r: int
    g: int
    b: int
    a: float = 1.0
    ansi: int | None = None


class ColourError(ValueError):
    """Text that is not a colour; `suggested` is a colour name it was close to."""

    def __init__(self, message: str, suggested: str | None = None) -> None:
        super().__init__(message)
        self.suggested = suggested


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _percent(text: str) -> float:
    return _clamp(float(text.strip()[:-1]) / 100.0, 0.0, 1.0)


def _from_hsl(h: str, s: str, l: str) -> Colour:  # noqa: E741 (the usual name)
    red, green, blue = hls_to_rgb(float(h) % 360 / 360, _percent(l), _percent(s))
    return Colour(int(red * 255 + 0.5), int(green * 255 + 0.5), int(blue * 255 + 0.5))


def _byte(text: str) -> int:
    return int(_clamp(int(float(text)), 0, 255))


def parse(text: str) -> Colour:
    """A colour in Textual's grammar; raises ColourError (never another error)."""
    if text == "ansi_default":
        return Colour(0, 0, 0, 1.0, -1)
    if text.startswith("ansi_") and text[5:] in ANSI_NAMES:
        return Colour(*NAMED_COLOURS[text][:3], 1.0, ANSI_NAMES.index(text[5:]))
    named = NAMED_COLOURS.get(text)
    if named is not None:
        return Colour(*named[:3], float(named[3]) if len(named) > 3 else 1.0)
    match = _COLOUR.match(text)
    if match is None:
        suggested = None
        if not text.startswith(("#", "rgb", "hsl")):
            close = difflib.get_close_matches(text, list(NAMED_COLOURS), n=1)
            suggested = close[0] if close else None
        raise ColourError(f"failed to parse {text!r} as a colour", suggested)
    hex3, hex4, hex6, hex8, rgb, rgba, hsl, hsla = match.groups()
    try:
        if hex3 is not None or hex4 is not None:
            digits = [int(c + c, 16) for c in (hex3 or hex4)]
            alpha = digits[3] / 255.0 if hex4 is not None else 1.0
            return Colour(digits[0], digits[1], digits[2], alpha)
        if hex6 is not None or hex8 is not None:
            hexes = hex6 or hex8
            pairs = [int(hexes[i : i + 2], 16) for i in range(0, len(hexes), 2)]
            alpha = pairs[3] / 255.0 if hex8 is not None else 1.0
            return Colour(pairs[0], pairs[1], pairs[2], alpha)
        if rgb is not None:
            r, g, b = (_byte(part) for part in rgb.split(","))
            return Colour(r, g, b, 1.0)
        if rgba is not None:
            r, g, b, a = rgba.split(",")
            return Colour(_byte(r), _byte(g), _byte(b), _clamp(float(a), 0.0, 1.0))
        if hsl is not None:
            return _from_hsl(*hsl.split(","))
        h, s, l, a = hsla.split(",")  # noqa: E741
        return _from_hsl(h, s, l)._replace(a=_clamp(float(a), 0.0, 1.0))
    except (OverflowError, ValueError):
        # A number too large for a float (Textual raises OverflowError for it).
        raise ColourError(f"failed to parse {text!r} as a colour") from None


def parse_with_opacity(text: str) -> Colour:
    """A colour as a theme's reader roles and variables write it: `parse`'s grammar
    (surrounding spaces allowed), optionally followed by an opacity such as "35%",
    or "none" / "transparent".

    Raises ColourError with a reason worded for the user.
    """
    value = text.strip()
    if value.lower() in _NONE:
        return Colour(0, 0, 0, 0.0)
    alpha = 1.0
    if match := _OPACITY.match(value):
        value, alpha = match.group("colour"), float(match.group("percent")) / 100
        if alpha > 1:
            raise ColourError(f"{text!r}: an opacity goes from 0% to 100%")
    try:
        colour = parse(value)
    except ColourError as error:
        hint = f" (did you mean {error.suggested!r}?)" if error.suggested else ""
        raise ColourError(
            f"{text!r} is not a colour{hint}; use #rrggbb, rgb(r, g, b), a colour name "
            "or an ANSI name such as ansi_blue",
            error.suggested,
        ) from None
    return colour._replace(a=colour.a * alpha)
