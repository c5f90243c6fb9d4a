"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest
from repo_paths import FIXTURES, SEED  # noqa: F401

# Each folder of tests is one kind, and carries that kind's marker: `-m unit` runs
# the fast ones, `-m "not e2e"` everything but the tmux tests.
KINDS = ("unit", "cli", "ui", "snapshots", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.parent.name
        if folder in KINDS:
            item.add_marker(getattr(pytest.mark, folder))


@pytest.fixture
def seed_path() -> Path:
    """The scraped seed thread, kept in the repository so a fresh clone tests a real file."""
    return SEED


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


@pytest.fixture(autouse=True)
def isolated_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the config file at an empty one of the test's own, so an app made as the
    command line makes it (`make_app`) reads no user's settings or themes; a test
    that writes this file gives the app its settings as a user would."""
    path = tmp_path_factory.mktemp("config") / "config.toml"
    path.write_text("", encoding="utf-8")
    monkeypatch.setenv("THREADREAD_CONFIG", str(path))
    return path
