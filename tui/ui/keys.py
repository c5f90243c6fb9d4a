"""Textual `Binding`s made from the rows of the keymap table (`tui.settings.keymap`).

Screens and widgets take their `BINDINGS` from here, so the table is the one place a
key is declared and `[keys]`, the help and the palette can never disagree with it.
"""

from __future__ import annotations

from textual.binding import Binding

from tui.settings.keymap import KeyAction, section


def binding(row: KeyAction, keys: str | None = None) -> Binding:
    """The binding of one row; `keys` in place of its defaults (from `[keys]`)."""
    return Binding(
        keys or row.keys,
        row.action,
        row.description,
        show=row.show,
        priority=row.priority,
        id=row.id,
    )


def bindings(section_id: str) -> list[Binding]:
    """The bindings of one section of the keymap table, in table order."""
    return [binding(row) for row in section(section_id) if row.keys]
