"""Putting text on the clipboard: the system's (pyperclip) or the terminal's (OSC 52).

Two ways to reach a clipboard exist and neither always works: the system clipboard
through pyperclip (needs a desktop on *this* machine) and OSC 52 (asks the terminal
to set the clipboard where the user sits; needs a terminal that allows it).  `copy`
picks one and never raises, so a key binding can show its one-line message as is.
What is copied goes through `tui.core.safety.for_clipboard` first: no control character,
escape sequence or bidi control leaves through the clipboard.

This is I/O used only by the UI, so it lives here and not in the core; the app
passes `app.copy_to_clipboard` as `osc52`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tui.core.safety import for_clipboard

__all__ = ["ROUTES", "CopyResult", "copy"]

ROUTES = ("auto", "system", "osc52", "off")


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What `copy` did: `ok`, the route that took the text (None when nothing was
    copied) and a one-line message for a notification."""

    ok: bool
    route: str | None
    message: str


def _count(text: str) -> str:
    n = len(text)
    return f"{n:,} char" + ("" if n == 1 else "s")


def _first_line(error: BaseException) -> str:
    """The gist of an exception for a notification: first sentence of its first line."""
    lines = str(error).strip().splitlines()
    reason = lines[0].split(". ")[0].rstrip(".") if lines else ""
    reason = reason or type(error).__name__
    return reason if len(reason) <= 80 else reason[:79] + "…"


def _via_system(text: str) -> str | None:
    """Copy with pyperclip; None on success, else the reason it failed."""
    try:
        import pyperclip

        pyperclip.copy(text)
    except Exception as error:
        return _first_line(error)
    return None


def _via_osc52(text: str, osc52: Callable[[str], None] | None) -> str | None:
    """Hand the text to the terminal; None on success, else the reason it failed."""
    if osc52 is None:
        return "no terminal to send OSC 52 to"
    try:
        osc52(text)
    except Exception as error:
        return _first_line(error)
    return None


_ROUTE_NAMES = {"system": "system clipboard", "osc52": "terminal (OSC 52)"}


def _remote(env: Mapping[str, str]) -> bool:
    """Over SSH or inside tmux the system clipboard belongs to the wrong machine (or
    is unreachable), while the terminal the user looks at can take OSC 52."""
    return any(env.get(name) for name in ("SSH_TTY", "SSH_CONNECTION", "TMUX"))


def copy(
    text: str,
    *,
    route: str = "auto",
    what: str = "text",
    osc52: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
) -> CopyResult:
    """Put cleaned `text` on the clipboard by `route`; never raises.

    Routes: "system" (pyperclip), "osc52" (the `osc52` callable), "off" (nothing),
    "auto" (OSC 52 over SSH or in tmux, else the system clipboard, each falling back
    to the other).  `what` names the text in the message, e.g. "quote of #4".
    """
    try:
        text = for_clipboard(text)
        if route == "off":
            return CopyResult(False, None, "Clipboard is off: nothing copied")
        if route not in ROUTES:
            return CopyResult(False, None, f"Cannot copy: unknown clipboard route {route!r}")
        if not text:
            return CopyResult(False, None, f"Nothing to copy: {what} is empty")
        if route == "auto":
            remote = _remote(os.environ if env is None else env)
            order = ["osc52", "system"] if remote else ["system", "osc52"]
        else:
            order = [route]
        failures = []
        for name in order:
            reason = _via_system(text) if name == "system" else _via_osc52(text, osc52)
            if reason is None:
                message = f"Copied {what} ({_count(text)}) via {_ROUTE_NAMES[name]}"
                return CopyResult(True, name, message)
            failures.append(f"{_ROUTE_NAMES[name]}: {reason}")
        return CopyResult(False, None, _one_line("Could not copy: " + "; ".join(failures)))
    except Exception as error:
        return CopyResult(False, None, f"Could not copy: {_first_line(error)}")


def _one_line(message: str) -> str:
    return " ".join(message.split())
