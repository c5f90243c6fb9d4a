"""make_app: the app the command line makes, for the tests too."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_helpers import settle

from tui.core.errors import ThreadError, UsageError
from tui.settings.config import Settings
from tui.state.store import StateStore
from tui.ui.factory import make_app
from tui.ui.screens.reader import ReaderScreen

SIZE = (100, 30)


async def test_the_config_file_reaches_the_app(seed_path: Path, isolated_config: Path) -> None:
    isolated_config.write_text('[keys]\nnext = "x"\n', encoding="utf-8")
    app = make_app(seed_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("x")
        assert reader.comments.focused == 2


async def test_settings_given_leave_the_config_file_alone(
    seed_path: Path, isolated_config: Path
) -> None:
    isolated_config.write_text('[keys]\nnext = "x"\n', encoding="utf-8")
    app = make_app(seed_path, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j")
        assert app.screen.comments.focused == 2  # type: ignore[attr-defined]


def test_a_folder_is_a_library_with_the_state_the_app_closes(seed_path: Path) -> None:
    app = make_app(seed_path.parent)
    assert app.library == [seed_path.parent] and app.thread is None
    # Opened at THREADREAD_STATE, as for a user, and the app's to close.
    assert app.owns_state and app.state.path is not None
    app.state.close()


def test_a_state_given_stays_open(seed_path: Path) -> None:
    store, _ = StateStore.open(None)
    app = make_app(seed_path, state=store)
    assert app.state is store and not app.owns_state
    store.close()


def test_bad_input_fails_before_the_app(tmp_path: Path, seed_path: Path) -> None:
    with pytest.raises(ThreadError, match="no such file"):
        make_app(tmp_path / "missing.txt")
    with pytest.raises(UsageError):
        make_app(seed_path, theme="no-such-theme")
