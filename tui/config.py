"""User settings: what the config file can change, with defaults that need no file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

CLIPBOARD_ROUTES = ("auto", "system", "osc52", "off")


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a user can set; each field's default is what threadread does untold."""

    theme: str | None = None
    article_folded: bool = False
    max_width: int = 100
    comments_folded: bool = False
    clipboard: str = "auto"
    keys: Mapping[str, str] = field(default_factory=dict)
