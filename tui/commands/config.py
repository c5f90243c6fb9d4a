"""`threadread config`: where the config file is, what it may hold, what is wrong with it.

`--path` prints where the file is read from, `--default` a file with every setting
commented out at its default (`threadread config --default > "$(threadread config
--path)"` starts one); with neither, the file is checked as the app would read it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadread config",
        description=(
            "Check the config file, or with an option print where it is or a default "
            "one.  THREADREAD_CONFIG names another file to read."
        ),
    )
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--path", action="store_true", help="print where the file is read from")
    what.add_argument(
        "--default", action="store_true", help="print a commented file with every default"
    )
    return parser


def key_sections() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The app's remappable bindings as (section, [(id, keys, description)])."""
    from tui.ui.app import key_bindings

    return [
        (title, [(b.id or "", b.key, b.description) for b in bindings])
        for title, bindings in key_bindings()
    ]


def run(argv: Sequence[str]) -> int:
    from tui.settings.config import config_path, default_config, load_settings, user_themes_dir

    args = parser().parse_args(argv)
    path = config_path()
    if args.path:
        print(path)
        return 0
    if args.default:
        sys.stdout.write(default_config(key_sections(), path))
        return 0

    from tui.settings.themes import ThemeCatalog
    from tui.ui.app import binding_ids

    catalog = ThemeCatalog.load(user_themes_dir())
    exists = path.is_file()
    print(f"Config file: {path}" + ("" if exists else " (does not exist: defaults apply)"))
    _, notices = load_settings(binding_ids=binding_ids(), theme_names=catalog.known_names())
    for notice in notices:
        print(notice.message)
    if not notices and exists:
        print("No problems found.")
    return 1 if notices else 0
