"""From parsed command-line arguments to a running app.

Everything that can fail because of the user's input -- a missing file, a bad theme
name -- fails here, as a one-line error, before the terminal is taken over.
"""

from __future__ import annotations

import argparse

from tui.config import Settings


def launch(args: argparse.Namespace) -> int:
    """Read what the command line names, then run the app until the user quits."""
    from tui.app import ThreadReaderApp
    from tui.paths import sample_threads_dir
    from tui.reader import read_thread

    paths = list(args.paths)
    if not paths:
        samples = sorted(p for p in sample_threads_dir().iterdir() if p.is_file())
        paths = samples[:1]
    settings = Settings()
    thread = read_thread(paths[0], repair=not args.raw)
    app = ThreadReaderApp(thread, search=args.search, settings=settings)
    app.run()
    return app.return_code or 0
