"""Every key action of threadread in one table: its id, default keys, what it does, where.

The table is the single source for the bindings of every screen and widget (the UI
builds its `Binding`s from these rows), for the `?` help, the command palette,
`[keys]` in the config file and `threadread config`.  It is plain data, free of
Textual, so the command line can read it without loading the UI.  Adding a key is
one row here.

Keys are spelled as Textual spells them: `j`, `J` (shift+j), `ctrl+d`, `pagedown`,
`question_mark`.  A section is where an action acts (the comment list, the reader
screen, a dialog); `SCOPES` says which sections are active together, innermost
first, so a key given twice in one of them can be found before it bites.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeyAction:
    """One row: an action the user can give keys to.

    `action` is the Textual action string the binding runs; `show` puts it in the
    footer; `priority` lets it act before the focused widget sees the key;
    `palette` offers it in the command palette (on the screens that list its
    section); an empty `description` hides it from help and palette.
    """

    id: str
    keys: str
    action: str
    description: str
    section: str
    show: bool = False
    priority: bool = False
    palette: bool = True


@dataclass(frozen=True, slots=True)
class Section:
    """Where a group of actions acts, with the title help and the config file use."""

    id: str
    title: str


SECTIONS: tuple[Section, ...] = (
    Section("comments", "Comments"),
    Section("reader", "Reader"),
    Section("anywhere", "Anywhere"),
    Section("search", "Search bar"),
    Section("article", "Article pane"),
    Section("bookmarks", "Bookmarks dialog"),
    Section("basket", "Quote basket dialog"),
    Section("library", "Library"),
    Section("library-filter", "Library filter"),
    Section("list", "Thread lists"),
    Section("pane", "Library pane"),
    Section("library-search", "Search all threads"),
    Section("help", "Help"),
    Section("theme-picker", "Theme picker"),
    Section("goto", "Go-to dialog"),
    Section("prompt", "Prompt"),
)
SECTION_TITLES: dict[str, str] = {section.id: section.title for section in SECTIONS}

# The sections whose bindings are active at the same time, innermost (the focused
# widget) first: Textual offers a key to each in turn and the first that has it runs
# it, except that a priority binding further out goes first.  A dialog is modal: the
# app's keys do not reach it.
SCOPES: tuple[tuple[str, ...], ...] = (
    ("comments", "reader", "anywhere"),
    ("article", "reader", "anywhere"),
    ("search", "reader", "anywhere"),
    ("pane", "list", "reader", "anywhere"),
    ("library-filter", "library", "anywhere"),
    ("list", "library", "anywhere"),
    ("list", "library-search", "anywhere"),
    ("bookmarks",),
    ("basket",),
    ("help",),
    ("theme-picker",),
    ("goto",),
    ("prompt",),
)


def _rows(section: str, *rows: tuple) -> Iterator[KeyAction]:
    for row in rows:
        yield KeyAction(*row[:4], section, *row[4:])


_F = False
_T = True

# id, keys, action, description, [show, priority, palette]
KEYMAP: tuple[KeyAction, ...] = (
    *_rows(
        "comments",
        ("next", "j,down", "next", "Next", _T),
        ("previous", "k,up", "previous", "Previous", _T),
        ("next-top", "right_square_bracket", "next_top", "Next top", _T),
        ("previous-top", "left_square_bracket", "previous_top", "Prev top", _T),
        ("next-sibling", "J", "next_sibling", "Next sibling"),
        ("previous-sibling", "K", "previous_sibling", "Prev sibling"),
        ("parent", "p", "parent", "Parent"),
        ("first", "g,home", "first", "First"),
        ("last", "G,end", "last", "Last"),
        ("page-down", "space,pagedown", "page_down", "Page down"),
        ("page-up", "b,pageup", "page_up", "Page up"),
        ("half-down", "ctrl+d", "half_page_down", "Half page down"),
        ("half-up", "ctrl+u", "half_page_up", "Half page up"),
        ("toggle-fold", "enter", "toggle", "Fold", _T),
        ("fold", "h", "fold", "Fold"),
        ("unfold", "l", "unfold", "Unfold"),
        ("fold-subtree", "z", "fold_subtree", "Fold subtree"),
        ("fold-all", "Z", "fold_all", "Fold all", _T),
    ),
    *_rows(
        "reader",
        ("switch-pane", "tab", "switch_pane", "Switch pane", _T),
        ("back", "escape,backspace", "back", "Library", _T),
        ("toggle-article", "a", "toggle_article", "Article", _T),
        ("search", "slash", "search", "Search", _T),
        ("next-match", "n", "next_match", "Next match"),
        ("previous-match", "N", "previous_match", "Prev match"),
        ("goto", "colon", "goto", "Go to #"),
        ("copy-quote", "y", "copy_quote", "Copy quote", _T),
        ("copy-plain", "Y", "copy_plain", "Copy text"),
        ("grow", "plus,equals_sign", "grow_article", "Grow article"),
        ("shrink", "minus", "shrink_article", "Shrink article"),
        ("bookmark", "m", "bookmark", "Bookmark (with a note)"),
        ("add-to-basket", "A", "add_to_basket", "Add to quote basket (shift+a)"),
        ("next-new", "full_stop", "next_new", "Next new comment"),
        # No key by default: the palette offers it.
        ("copy-article", "", "copy_article", "Copy the whole article as a quote"),
    ),
    *_rows(
        "anywhere",
        ("quit", "q", "quit", "Quit", _T),  # in the palette in place of Textual's "Quit"
        ("help", "question_mark,f1", "help", "Help", _T),
        # The palette has its own "Theme" command, which opens the same picker.
        ("theme", "ctrl+t", "pick_theme", "Choose theme", _F, _F, _F),
        ("bookmarks", "apostrophe", "bookmarks", "Bookmarks of every thread"),
        ("basket", "ctrl+b", "basket", "Quote basket"),
    ),
    *_rows(
        "search",
        ("search-close", "escape", "close", "Close search", _T),
        ("search-regex", "ctrl+r", "toggle_regex", "Regex on/off", _T),
        # The palette has the reader's next and previous match (n, N) already.
        ("search-previous", "shift+enter", "previous", "Previous match", _T, _F, _F),
        ("search-next-key", "down", "next", "Next match", _F, _F, _F),
        ("search-previous-key", "up", "previous", "Previous match", _F, _F, _F),
    ),
    *_rows(
        "article",
        ("article-down", "j,down", "scroll_down", "Down"),
        ("article-up", "k,up", "scroll_up", "Up"),
        ("article-page-down", "space,pagedown", "page_down", "Page down"),
        ("article-page-up", "b,pageup", "page_up", "Page up"),
        ("article-top", "g,home", "scroll_home", "Top"),
        ("article-bottom", "G,end", "scroll_end", "Bottom"),
    ),
    *_rows(
        "bookmarks",
        # The list takes enter itself; listed here for the help and the keymap.
        ("bookmarks-go", "enter", "go", "Go to the bookmark", _T),
        ("bookmarks-delete", "d,delete", "delete", "Delete bookmark", _T),
        ("bookmarks-close", "escape,q,apostrophe", "close", "Close bookmarks", _T),
        # A modal screen hides the app's keys: the way to the basket is given here.
        ("bookmarks-basket", "ctrl+b", "app.basket", "Quote basket", _T),
    ),
    *_rows(
        "basket",
        ("basket-up", "K,ctrl+up", "move(-1)", "Move quote up", _T),
        ("basket-down", "J,ctrl+down", "move(1)", "Move quote down", _T),
        ("basket-remove", "d,delete", "remove", "Remove quote", _T),
        ("basket-copy", "y", "copy", "Copy all as Markdown", _T),
        ("basket-save", "s", "save", "Save to a file", _T),
        ("basket-close", "escape,q,ctrl+b", "close", "Close basket", _T),
        # A modal screen hides the app's keys: the way to the bookmarks is given here.
        ("basket-bookmarks", "apostrophe", "app.bookmarks", "Bookmarks", _T),
    ),
    *_rows(
        "library-filter",
        ("library-open", "enter", "submit", "Open", _T),
    ),
    *_rows(
        "library",
        ("library-search", "ctrl+f", "search_library", "Search all threads", _T),
        ("library-clear-filter", "escape", "clear_filter", "Clear filter", _T),
        ("library-down", "down", "list('cursor_down')", ""),
        ("library-up", "up", "list('cursor_up')", ""),
        ("library-page-down", "pagedown", "list('page_down')", ""),
        ("library-page-up", "pageup", "list('page_up')", ""),
        ("library-first", "ctrl+home", "list('first')", ""),
        ("library-last", "ctrl+end", "list('last')", ""),
        ("library-quit", "ctrl+q", "app.quit", "Quit", _T, _T),
        # Letters type into the filter here, so `q` and `?` must not show as keys.
        ("library-type-q", "q", "type('q')", ""),
        ("library-type-question", "question_mark", "type('?')", ""),
        # Ahead of the filter field, which would take the key as text.
        (
            "library-bookmarks",
            "apostrophe",
            "bookmarks",
            "Bookmarks (with the filter empty)",
            _F,
            _T,
        ),
    ),
    *_rows(
        "list",
        ("list-down", "down", "cursor_down", "Down"),
        ("list-up", "up", "cursor_up", "Up"),
        ("list-page-down", "pagedown", "page_down", "Page down"),
        ("list-page-up", "pageup", "page_up", "Page up"),
        ("list-first", "home", "first", "First"),
        ("list-last", "end", "last", "Last"),
        ("list-open", "enter", "select", "Open", _T),
    ),
    *_rows(
        "pane",
        ("pane-down", "j,down", "cursor_down", "Down"),
        ("pane-up", "k,up", "cursor_up", "Up"),
        ("pane-reader", "tab,l,right", "to_reader", "Back to the reader", _T),
        ("pane-library", "escape,backspace", "to_library", "Full library", _T),
    ),
    *_rows(
        "library-search",
        ("library-search-cancel", "escape", "cancel", "Cancel / back", _T),
        ("library-search-regex", "ctrl+r", "toggle_regex", "Regex on/off", _T),
        ("library-search-down", "down", "list('cursor_down')", ""),
        ("library-search-up", "up", "list('cursor_up')", ""),
        ("library-search-page-down", "pagedown", "list('page_down')", ""),
        ("library-search-page-up", "pageup", "list('page_up')", ""),
        ("library-search-quit", "ctrl+q", "app.quit", "Quit", _T, _T),
        # Letters type into the query here, so `q` and `?` must not show as keys.
        ("library-search-type-q", "q", "type('q')", ""),
        ("library-search-type-question", "question_mark", "type('?')", ""),
    ),
    *_rows("help", ("help-close", "escape,q,question_mark", "dismiss", "Close help", _T)),
    *_rows("theme-picker", ("theme-picker-cancel", "escape", "cancel", "Cancel", _T)),
    *_rows("goto", ("goto-cancel", "escape", "cancel", "Cancel", _T)),
    *_rows("prompt", ("prompt-cancel", "escape", "cancel", "Cancel", _T)),
)
BY_ID: dict[str, KeyAction] = {row.id: row for row in KEYMAP}


def section(section_id: str) -> list[KeyAction]:
    """The rows of one section, in table order."""
    return [row for row in KEYMAP if row.section == section_id]


def binding_ids() -> dict[str, tuple[str, str]]:
    """The ids `[keys]` in the config file may use, with where each acts and its keys."""
    return {row.id: (SECTION_TITLES[row.section], row.keys) for row in KEYMAP if row.keys}


def key_sections() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The table as (section title, [(id, default keys, description)]), for the
    default config file."""
    return [
        (item.title, [(row.id, row.keys, row.description) for row in section(item.id) if row.keys])
        for item in SECTIONS
    ]


# -- keys ---------------------------------------------------------------------------

_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}


def normal_key(key: str) -> str:
    """A key as Textual names it: `?` is `question_mark`, `/` is `slash`."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        try:
            key = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            return key
        return _REPLACEMENTS.get(key, key)
    return key


def split_keys(keys: str) -> list[str]:
    return [normal_key(key) for key in keys.split(",") if key.strip()]


# -- conflicts ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    """One key that two actions active at the same time both have.

    `winner` is the action the key runs; `loser` never sees it there.  `remapped` is
    the id whose `[keys]` entry made the conflict (for the line to point at).
    """

    key: str
    winner: str
    loser: str
    remapped: str

    def describe(self) -> str:
        win, lose = BY_ID[self.winner], BY_ID[self.loser]
        return (
            f'"{self.key}" is bound to both {self.winner} ({SECTION_TITLES[win.section]}) '
            f"and {self.loser} ({SECTION_TITLES[lose.section]}); {self.winner} wins"
        )


def effective_keys(keymap: Mapping[str, str]) -> dict[str, list[str]]:
    """Every action's keys with the user's `[keys]` applied (unknown ids ignored)."""
    return {row.id: split_keys(keymap.get(row.id, row.keys)) for row in KEYMAP}


def _holders(keys: Mapping[str, list[str]], scope: Iterable[str]) -> dict[str, list[KeyAction]]:
    """key -> the actions that have it in `scope`, in the order Textual tries them."""
    scope = list(scope)
    rows = [row for sec in scope for row in section(sec)]
    # Priority bindings go first, from the outermost section in.
    ordered = [row for sec in reversed(scope) for row in section(sec) if row.priority] + [
        row for row in rows if not row.priority
    ]
    holders: dict[str, list[KeyAction]] = {}
    for row in ordered:
        for key in keys[row.id]:
            holders.setdefault(key, []).append(row)
    return holders


def does(row: KeyAction) -> str:
    """What a row runs, spelled the same wherever it is bound (`app.quit` is `quit`)."""
    if row.section == "anywhere":
        return f"app.{row.action}"
    return row.action if row.action.startswith("app.") else f"{row.id}:{row.action}"


def conflicts(keymap: Mapping[str, str]) -> list[Conflict]:
    """The keys that `keymap` (the `[keys]` table) gives to two actions active at the
    same time, which the default keys do not: one of the two silently stops working.

    Shadowing the defaults already have on purpose (`escape` closes the search bar
    before it would leave the reader) is not reported.
    """
    remapped = {binding_id for binding_id in keymap if binding_id in BY_ID}
    if not remapped:
        return []
    defaults = effective_keys({})
    keys = effective_keys(keymap)
    found: list[Conflict] = []
    seen: set[tuple[str, str, str]] = set()
    for scope in SCOPES:
        before = _holders(defaults, scope)
        for key, rows in _holders(keys, scope).items():
            if len({row.id for row in rows}) < 2:
                continue
            # Within one section Textual gives a key to the remapped action.
            winner = next(
                (r for r in rows if r.id in remapped and r.section == rows[0].section), rows[0]
            )
            old = {row.id for row in before.get(key, [])}
            for row in rows:
                if row.id == winner.id or (row.id in old and winner.id in old):
                    continue
                if does(row) == does(winner):
                    continue
                if row.id not in remapped and winner.id not in remapped:
                    continue
                if (key, winner.id, row.id) in seen:
                    continue
                seen.add((key, winner.id, row.id))
                cause = winner.id if winner.id in remapped else row.id
                found.append(Conflict(key, winner.id, row.id, cause))
    return found
