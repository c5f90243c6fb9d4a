"""The settings' colour parser accepts and rejects exactly what Textual's does.

Theme files are checked without Textual (so `threadread themes` needs no UI), and
then drawn by Textual: a colour one accepts and the other refuses would either be
reported wrongly or crash the app.  Tests may import Textual; settings may not.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from repo_paths import REPO as ROOT
from textual._color_constants import ANSI_COLORS, COLOR_NAME_TO_RGB
from textual.color import Color
from textual.css.constants import VALID_STYLE_FLAGS

from tui.settings import colours
from tui.settings.textual_names import ANSI_NAMES, NAMED_COLOURS, STYLE_WORDS


def textual(text: str) -> tuple[int, int, int, float, int | None] | None:
    """What Textual makes of `text`: its values, or None for any refusal (it raises
    OverflowError, not ColorParseError, for a number too big for a float)."""
    try:
        colour = Color.parse(text)
    except Exception:
        return None
    return (colour.r, colour.g, colour.b, colour.a, colour.ansi)


def ours(text: str) -> tuple[int, int, int, float, int | None] | None:
    try:
        colour = colours.parse(text)
    except colours.ColourError:
        return None
    return (colour.r, colour.g, colour.b, colour.a, colour.ansi)


def test_the_copied_names_are_textuals() -> None:
    assert list(ANSI_NAMES) == ANSI_COLORS
    assert {k: tuple(v) for k, v in COLOR_NAME_TO_RGB.items()} == NAMED_COLOURS
    assert set(VALID_STYLE_FLAGS) == STYLE_WORDS


CORPUS = [
    # names, ANSI names and near misses
    *COLOR_NAME_TO_RGB,
    *(f"ansi_{name}" for name in ANSI_COLORS),
    "ansi_default",
    "ansi_purple",
    "ansi_",
    "Red",
    "RED",
    "red ",
    " red",
    "redd",
    "lightgoldenrodyellow",
    "transparent",
    "none",
    "",
    " ",
    "#",
    # hex
    "#fff",
    "#FFF",
    "#ffff",
    "#ffffff",
    "#ffffffff",
    "#ff",
    "#fffff",
    "#fffffff",
    "#fffffffff",
    "#ggg",
    "#12345g",
    "fff",
    "#fff\n",
    "#fff\n\n",
    "#fff ",
    " #fff",
    "#\uff11\uff12\uff13",
    # rgb / rgba
    "rgb(1,2,3)",
    "rgb( 1 , 2 , 3 )",
    "rgb(1, 2, 3)\n",
    "rgb(1,2)",
    "rgb(1,2,3,4)",
    "rgb(-5, 300, 12.7)",
    "rgb(1.,2.,3.)",
    "rgb(.5,1,1)",
    "rgb(1e2,1,1)",
    "rgb(1%,2,3)",
    "RGB(1,2,3)",
    "rgb (1,2,3)",
    "rgb(1,2,3",
    "rgba(1,2,3,0.5)",
    "rgba(1,2,3,5)",
    "rgba(1,2,3,-1)",
    "rgba(1,2,3)",
    "rgb(" + "9" * 400 + ",0,0)",
    "rgba(0,0,0," + "9" * 400 + ")",
    "rgb(\u0661,2,3)",
    # hsl / hsla
    "hsl(120,50%,50%)",
    "hsl(-120, 50%, 50%)",
    "hsl(720.5,150%,-5%)",
    "hsl(120,50,50)",
    "hsl(120%,50%,50%)",
    "hsla(120,50%,50%,0.3)",
    "hsla(120,50%,50%)",
    "hsla(120,50%,50%,2)",
    "hsl(" + "9" * 400 + ",50%,50%)",
    "hsl(1,2%,3%)\n",
]


@pytest.mark.parametrize("text", CORPUS)
def test_the_corpus_parses_as_textual_parses_it(text: str) -> None:
    assert ours(text) == textual(text)


def colour_like() -> st.SearchStrategy[str]:
    number = st.from_regex(r"-?\d{1,4}\.?\d{0,3}", fullmatch=True)
    percent = number.map(lambda n: n + "%")
    space = st.sampled_from(["", " ", "  ", "\t", "\n"])
    sep = st.tuples(space, space).map(lambda s: f"{s[0]},{s[1]}")

    def call(name: str, parts: list[st.SearchStrategy[str]]) -> st.SearchStrategy[str]:
        return st.tuples(space, space, sep, sep, sep, *parts).map(
            lambda t: f"{name}({t[0]}" + (t[2].join(t[5:]) if len(t) > 5 else "") + f"{t[1]})"
        )

    return st.one_of(
        st.from_regex(r"#[0-9a-fA-FgG]{0,9}\n?", fullmatch=True),
        call("rgb", [number, number, number]),
        call("rgba", [number, number, number, number]),
        call("hsl", [number, percent, percent]),
        call("hsla", [number, percent, percent, number]),
        call("rgb", [number, number]),
        call("hsl", [number, number, percent]),
        st.sampled_from(sorted(COLOR_NAME_TO_RGB)).map(lambda n: n[: len(n) // 2 + 1]),
        st.text(max_size=12),
    )


@settings(max_examples=800, deadline=None)
@given(colour_like())
@example("rgb(0,0,0\n)")
@example("#abc\n")
def test_any_colour_like_text_parses_as_textual_parses_it(text: str) -> None:
    assert ours(text) == textual(text)


def test_a_refusal_suggests_a_name_as_textual_does() -> None:
    with pytest.raises(colours.ColourError) as raised:
        colours.parse("lightbleu")
    assert raised.value.suggested == "lightblue"


@pytest.mark.parametrize(
    ("text", "alpha"),
    [("#ffa62b 35%", 0.35), ("none", 0.0), ("transparent", 0.0), (" red ", 1.0)],
)
def test_opacity_and_none(text: str, alpha: float) -> None:
    assert colours.parse_with_opacity(text).a == pytest.approx(alpha)


@pytest.mark.parametrize("text", ["red 120%", "nope", "#12 50%"])
def test_bad_opacity_or_colour_is_one_worded_error(text: str) -> None:
    with pytest.raises(colours.ColourError) as raised:
        colours.parse_with_opacity(text)
    assert "\n" not in str(raised.value)


def test_the_copied_theme_variables_are_textuals() -> None:
    from tui.settings.textual_names import TEXTUAL_VARIABLES
    from tui.ui.theming import textual_variables

    assert textual_variables() == TEXTUAL_VARIABLES


def test_theme_files_are_checked_without_textual(tmp_path: Path) -> None:
    bad = tmp_path / "themes"
    bad.mkdir()
    (bad / "mine.toml").write_text('[colors]\nprimary = "blurple"\n', encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from tui.settings.themes import ThemeCatalog; "
        f"c = ThemeCatalog.load(Path({str(bad)!r})); "
        "print(c.problems[0].describe()); "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "'blurple' is not a colour" in result.stdout
