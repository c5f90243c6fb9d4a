"""Textual themes from checked theme files, and the reader's roles a theme leaves out.

`tui.settings.themes` reads and checks theme files as data (`ThemeSpec`) without
Textual; this is the part that needs it: building the `Theme`, generating its colour
system, blending the reader's colours, deriving the roles a theme does not set.

Reader colours are made opaque, blended over the theme's surface: the Line-API
widgets compose their parts' styles themselves, and a translucent colour ("#ffa62b
35%") drawn without the right thing beneath it comes out as a solid block.  A role's
text colour of "none" means the theme's own text colour, never an invisible one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from textual.color import Color, ColorParseError
from textual.design import ColorSystem
from textual.theme import BUILTIN_THEMES, Theme

from tui.settings.themes import READER_KEYS, THEME_COLORS, ThemeSpec

__all__ = [
    "build_theme",
    "reader_defaults",
    "textual_colour",
    "textual_variables",
    "variable_defaults",
]

_ALPHA = re.compile(r"^(?P<colour>.+?)\s+(?P<percent>\d+(?:\.\d+)?)%$")
_NONE = ("none", "transparent")


def textual_colour(text: str) -> Color:
    """A colour as theme files write it (`tui.settings.colours.parse_with_opacity`'s
    grammar) as a Textual colour; raises ValueError with a reason worded for the user.
    """
    value = text.strip()
    if value.lower() in _NONE:
        return Color(0, 0, 0, 0)
    alpha = 1.0
    if match := _ALPHA.match(value):
        value, alpha = match.group("colour"), float(match.group("percent")) / 100
        if alpha > 1:
            raise ValueError(f"{text!r}: an opacity goes from 0% to 100%")
    try:
        colour = Color.parse(value)
    except ColorParseError as error:
        hint = f" (did you mean {error.suggested_color!r}?)" if error.suggested_color else ""
        raise ValueError(
            f"{text!r} is not a colour{hint}; use #rrggbb, rgb(r, g, b), a colour name "
            "or an ANSI name such as ansi_blue"
        ) from None
    return colour.multiply_alpha(alpha)


def _opaque(colour: Color, under: Color | None) -> str:
    """`colour` as a CSS value a partial style draws as intended (see the module doc)."""
    if colour.a == 0:
        return "transparent"
    if colour.ansi is not None:
        return colour.hex
    solid = colour.with_alpha(1.0)
    if colour.a >= 1 or under is None or under.ansi is not None or under.a == 0:
        return solid.hex
    return under.with_alpha(1.0).blend(solid, colour.a).hex


@functools.cache
def textual_variables() -> frozenset[str]:
    """The theme variables Textual itself reads, which `[variables]` may set."""
    names = set(ColorSystem("#000000").generate())
    names |= set(ColorSystem("ansi_blue", ansi=True).generate())
    for theme in BUILTIN_THEMES.values():
        names |= set(theme.variables)
    return frozenset(names - set(THEME_COLORS))


def build_theme(spec: ThemeSpec) -> Theme:
    """The Textual theme a checked theme file describes, the reader's colours made
    opaque over its surface.  Raises ValueError when Textual cannot make a colour
    system of its colours (the app then leaves the theme out)."""
    theme = Theme(
        name=spec.name,
        **spec.colours,  # type: ignore[arg-type]
        dark=spec.dark,
        ansi=spec.ansi,
        variables=dict(spec.variables),
    )
    try:
        generated = theme.to_color_system().generate()
    except (ColorParseError, ValueError, TypeError, KeyError) as error:
        raise ValueError(f"these colours do not make a theme ({error})") from None
    surface = _colour_or_none(generated.get("surface"))
    variables = dict(spec.variables)
    for key, value in spec.reader.items():
        if READER_KEYS[key][1] == "-style":
            variables[f"reader-{key}"] = value
            continue
        colour = textual_colour(value)
        if colour.a == 0 and READER_KEYS[key][1] == "":
            variables[f"reader-{key}"] = generated.get("foreground", "ansi_default")
        else:
            variables[f"reader-{key}"] = _opaque(colour, surface)
    return replace(theme, variables=variables)


def _theme_colours(theme: Theme) -> dict[str, str]:
    return {**theme.to_color_system().generate(), **theme.variables}


def _colour_or_none(value: str | None) -> Color | None:
    if value is None:
        return None
    try:
        return textual_colour(value)
    except ValueError:
        return None


def reader_defaults(theme: Theme) -> dict[str, str]:
    """The reader's variables for a theme that leaves some (or all) of them out.

    Derived from the theme's own colours and always opaque; a theme of ANSI colours
    gets text styles instead of blends, which its colours cannot do.
    """
    colours = _theme_colours(theme)
    surface = _colour_or_none(colours.get("surface"))
    foreground = _colour_or_none(colours.get("foreground"))
    text = colours.get("foreground", "ansi_default")
    neutral = {"": text, "-background": "transparent", "-style": "none"}
    values = {f"reader-{key}": neutral[part] for key, (_, part) in READER_KEYS.items()}
    ansi = (
        theme.ansi
        or surface is None
        or foreground is None
        or surface.ansi is not None
        or foreground.ansi is not None
        or surface.a == 0
    )
    if ansi:
        values.update(
            {
                "reader-focused-style": "bold",
                "reader-bar": colours.get("accent", "transparent"),
                "reader-bar-style": "bold",
                "reader-number": colours.get("accent", "transparent"),
                "reader-number-style": "bold",
                "reader-author": colours.get("secondary", "transparent"),
                "reader-author-style": "bold",
                "reader-meta-style": "dim",
                "reader-guide-style": "dim",
                "reader-quote-style": "italic",
                "reader-match-style": "underline",
                "reader-current-match": colours.get("background", "ansi_default"),
                "reader-current-match-background": colours.get("accent", "transparent"),
                "reader-current-match-style": "bold",
                "reader-repaired": colours.get("success", "transparent"),
                "reader-repaired-style": "underline",
                "reader-control": colours.get("error", "transparent"),
                "reader-control-style": "bold",
                "reader-new": colours.get("success", "transparent"),
                "reader-new-style": "bold reverse",
                "reader-bookmark": colours.get("warning", "transparent"),
                "reader-bookmark-style": "bold",
            }
        )
        return values
    assert surface is not None and foreground is not None

    def over(name: str, amount: float) -> str:
        colour = _colour_or_none(colours.get(name)) or foreground
        return surface.with_alpha(1.0).blend(colour.with_alpha(1.0), amount).hex

    def solid(name: str) -> str:
        colour = _colour_or_none(colours.get(name)) or foreground
        return _opaque(colour, surface)

    accent = _colour_or_none(colours.get("accent")) or foreground
    success = _colour_or_none(colours.get("success")) or foreground
    values.update(
        {
            "reader-focused-background": over("foreground", 0.08),
            "reader-bar": solid("accent"),
            "reader-number": solid("text-accent"),
            "reader-number-style": "bold",
            "reader-author": solid("text-secondary"),
            "reader-author-style": "bold",
            "reader-meta": over("foreground", 0.6),
            "reader-guide": over("foreground", 0.25),
            "reader-quote": over("foreground", 0.8),
            "reader-quote-style": "italic",
            "reader-match-background": over("warning", 0.35),
            "reader-current-match": accent.with_alpha(1.0).get_contrast_text(1.0).hex,
            "reader-current-match-background": solid("accent"),
            "reader-current-match-style": "bold",
            "reader-repaired": solid("text-success"),
            "reader-repaired-style": "underline",
            "reader-control": solid("text-error"),
            "reader-control-style": "bold",
            "reader-new": success.with_alpha(1.0).get_contrast_text(1.0).hex,
            "reader-new-background": solid("success"),
            "reader-new-style": "bold",
            "reader-bookmark": solid("text-warning"),
            "reader-bookmark-style": "bold",
        }
    )
    return values


def variable_defaults(theme: Theme) -> dict[str, str]:
    """Every variable the app's CSS may need that `theme` does not define.

    The reader's roles, and two variables Textual's own CSS reads but generates only
    for themes that are not ANSI (a user's ANSI theme would not start without them).
    """
    colours = _theme_colours(theme)
    return {
        "ansi-background": colours.get("background", "ansi_default"),
        "ansi-foreground": colours.get("foreground", "ansi_default"),
        **reader_defaults(theme),
    }
