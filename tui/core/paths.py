"""Where the bundled data lives, in a source checkout and in an installed wheel.

The design card keeps `themes/` and `sample_threads/` at the top of the repository.
A wheel carries them inside the package as `tui/_bundled/` (hatch force-include); an
editable install or a plain checkout finds them beside the package.  This module is the
only place that knows both layouts.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.errors import EnvPathError
from tui.core.safety import visible

# This module sits in tui/core/; the package is its parent folder.
_PACKAGE = Path(__file__).resolve().parents[1]


def bundled_dir(name: str) -> Path:
    """The bundled folder `name` ("themes" or "sample_threads")."""
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():
        return installed
    # Only a source checkout (the folder holding pyproject.toml) counts: an installed
    # package's parent is site-packages, where another project's folder could sit.
    root = _PACKAGE.parent
    checkout = root / name
    if (root / "pyproject.toml").is_file() and checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"bundled folder {name!r} is missing from this installation")


def sample_threads_dir() -> Path:
    return bundled_dir("sample_threads")


def themes_dir() -> Path:
    return bundled_dir("themes")


def env_path(variable: str, value: str) -> Path:
    """The path an environment variable names, `~` and `~user` expanded.

    `Path.expanduser` raises RuntimeError for a user that does not exist; that is a
    mistake in the variable, so it becomes a one-line `EnvPathError` naming it.
    Unsafe characters in the value are made visible in the message.
    """
    try:
        return Path(value).expanduser()
    except RuntimeError:
        user = value.split("/", 1)[0]
        shown = visible(value)
        raise EnvPathError(variable, shown, f"no such user: {visible(user)}") from None
