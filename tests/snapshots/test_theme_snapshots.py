"""One SVG snapshot per bundled theme, of the same screen: the focused comment holding
the current match, another match, a control character and plain text.

Each test also checks, from the drawn segments, that those five look different from
each other, so a theme cannot pass with two roles that a reader could not tell apart.
Baselines live in tests/snapshots/__snapshots__/test_theme_snapshots/; after an intended change
to a theme, regenerate them with `pytest tests/snapshots/test_theme_snapshots.py
--snapshot-update` and look at the new SVGs before committing them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pilot_helpers import comment, settle
from rich.style import Style
from textual.pilot import Pilot

from tui.core.paths import themes_dir
from tui.ui.factory import make_app
from tui.ui.screens.reader import ReaderScreen

THEMES = sorted(path.stem for path in themes_dir().glob("*.toml"))


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THREADREAD_STATE", str(tmp_path / "state" / "state.sqlite3"))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    doc = {
        "format": "threadread/1",
        "title": "How themes look",
        "article": "The article pane, above the comments.",
        "comments": [
            comment(
                "First pizza: the current match.",
                "ann",
                [comment("A reply with pizza, another match.", "bob")],
            ),
            comment("A control character \x1b[2J drawn as a symbol.", "cy"),
            comment("Plain text, nothing else.", "dee"),
        ],
    }
    path = tmp_path / "sample.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def look(style: Style | None) -> tuple[object, ...]:
    """What a reader sees of a style (its colours and attributes, not its metadata)."""
    style = style or Style()
    return (
        style.color,
        style.bgcolor,
        bool(style.bold),
        bool(style.dim),
        bool(style.italic),
        bool(style.underline),
        bool(style.reverse),
        bool(style.strike),
    )


@pytest.mark.parametrize("theme", THEMES)
def test_theme(snap_compare, sample_path: Path, theme: str) -> None:
    app = make_app(sample_path, theme=theme)
    looks: dict[str, tuple[object, ...]] = {}

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("slash", *"pizza", "escape")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        comments = screen.comments
        assert comments.focused == 1
        found: dict[str, list[tuple[object, ...]]] = {}
        for y in range(comments.size.height):
            for segment in comments.render_line(y):
                found.setdefault(segment.text, []).append(look(segment.style))
        looks["focused"] = found["First "][0]
        looks["current match"], looks["match"] = found["pizza"][:2]
        looks["control"] = found["␛"][0]
        looks["plain"] = found["Plain text, nothing else."][0]

    assert snap_compare(app, terminal_size=(90, 26), run_before=run_before)
    assert len(set(looks.values())) == len(looks), looks
