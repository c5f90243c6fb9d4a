"""`threadread config`: where the config file is, what it may hold, what is wrong with it.

`--path` prints where the file is read from, `--default` a file with every setting
commented out at its default (`threadread config --default > "$(threadread config
--path)"` starts one); with neither, the file is checked as the app would read it.
`--check` is that check for scripts: only the problems, one a line (a key bound to two
actions at once among them), and exit status 1 if there is any.

The key actions come from `tui.settings.keymap`, so none of this loads the UI.
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
    what.add_argument(
        "--check",
        action="store_true",
        help="print each problem on one line (exit 1), or 'no problems' (exit 0)",
    )
    return parser


def run(argv: Sequence[str]) -> int:
    from tui.settings.config import config_path, default_config, load_settings, user_themes_dir
    from tui.settings.keymap import binding_ids, key_sections

    args = parser().parse_args(argv)
    path = config_path()
    if args.path:
        print(path)
        return 0
    if args.default:
        sys.stdout.write(default_config(key_sections(), path))
        return 0

    from tui.settings.themes import ThemeCatalog

    catalog = ThemeCatalog.load(user_themes_dir())
    _, notices = load_settings(binding_ids=binding_ids(), theme_names=catalog.known_names())
    if args.check:
        for notice in notices:
            print(notice.message)
        if not notices:
            print("no problems")
        return 1 if notices else 0
    exists = path.is_file()
    print(f"Config file: {path}" + ("" if exists else " (does not exist: defaults apply)"))
    for notice in notices:
        print(notice.message)
    if not notices and exists:
        print("No problems found.")
    return 1 if notices else 0
