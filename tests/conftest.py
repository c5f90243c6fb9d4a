"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def seed_path() -> Path:
    """The scraped seed thread kept beside the project, so tests read a real file."""
    return Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_43ec0b9f999082d5.txt"


@pytest.fixture(autouse=True)
def steady_input_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the Input cursor from blinking, so a screenshot never depends on the moment.

    Input's blink timer calls `_toggle_cursor` every half second; without it the cursor
    stays shown while the input has focus.
    """
    from textual.widgets import Input

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture(autouse=True)
def isolated_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the reading-state database at a fresh folder, so no test reads or writes
    the user's own state, and apps started by the CLI in a test do neither."""
    path = tmp_path_factory.mktemp("state") / "state.sqlite3"
    monkeypatch.setenv("THREADREAD_STATE", str(path))
    return path
