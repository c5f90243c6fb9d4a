"""From parsed command-line arguments to a running app.

Everything that can fail because of the user's input -- a missing file, a bad theme
name -- fails in `make_app`, as a one-line error, before the terminal is taken over.
"""

from __future__ import annotations

import argparse
import gc
import sys

from tui.ui.factory import (
    Preferences,
    check_exists,
    make_app,
    open_state,
    read_preferences,
)

__all__ = ["Preferences", "check_exists", "launch", "open_state", "read_preferences"]


def launch(args: argparse.Namespace) -> int:
    """Read what the command line names, then run the app until the user quits."""
    app = make_app(
        list(args.paths),
        search=args.search,
        raw=args.raw,
        theme=args.theme,
        no_state=getattr(args, "no_state", False),
        remember_theme=True,
    )
    # What is read now lives for the whole session: spare it the collector's walks.
    gc.freeze()
    try:
        app.run()
    finally:
        app.state.close()
        # Changes the database refused all session and still refused at close: the
        # terminal is the user's again, so this is the one place left to say so.
        if (unsaved := app.state.unsaved()) is not None:
            print(
                f"threadread: reading state: some changes were not saved: {unsaved}",
                file=sys.stderr,
            )
    return app.return_code or 0
