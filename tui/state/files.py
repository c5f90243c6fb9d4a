"""What threadread remembers between runs besides reading state: the chosen theme.

It sits beside the reading-state database (`tui.state.db.default_state_path`), so
`THREADREAD_STATE` moves all of it at once (tests point it at a temporary folder so
they never write to a real home directory).

State is not configuration: the user never edits it, and losing it costs nothing but
a preference.  So a state file that is missing, unreadable or garbled reads as "no
state" without a word, while a config file with a problem gets a notice.  Only
writing creates the folder; importing or reading never does.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

THEME_FILE = "theme.json"


def state_dir() -> Path:
    """The folder for state files (it may not exist yet)."""
    from tui.state.db import default_state_path

    return default_state_path().parent


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json(path: Path, data: Mapping[str, object]) -> None:
    """Write `data` to `path` as JSON, whole or not at all (see `write_whole`)."""
    write_whole(path, json.dumps(dict(data), indent=2) + "\n")


def write_whole(
    path: Path, text: str, *, make_folder: bool = True, mode: int | None = None
) -> None:
    """Write `text` to `path` whole or not at all, creating the folder first unless
    `make_folder` is False (then a missing folder is an OSError).  The file is
    private (0600) unless `mode` says otherwise: a document for the user to share
    gets 0644 like any file they write.

    A temporary file in the same folder is renamed over the old one, so a crash or a
    full disk mid-write never leaves half a file for the next reader.  Raises OSError.
    """
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remember_theme(name: str, configured: str | None) -> Path:
    """Remember the theme chosen in the app; raises OSError if it cannot be written.

    `configured` is the config file's `theme` at the time: the choice only stands
    while the config file still says the same, so editing the config file later is
    never silently overruled by an older choice made in the app.
    """
    path = state_dir() / THEME_FILE
    write_json(path, {"theme": name, "config_theme": configured})
    return path


def remembered_theme(configured: str | None) -> str | None:
    """The theme last chosen in the app, if the config file has not changed since."""
    data = _read_json(state_dir() / THEME_FILE)
    name = data.get("theme")
    if not isinstance(name, str) or not name or data.get("config_theme") != configured:
        return None
    return name
