"""`threadread themes`: list the themes, where each comes from, and which is in use."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

WHY = {
    "--theme": "named with --theme",
    "config file": "named in the config file",
    "NO_COLOR": "NO_COLOR is set",
    "chosen in the app": "chosen with ctrl+t",
    "default": "the default",
}


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadread themes",
        description=(
            "List the colour themes: the bundled ones and the user's, from the themes "
            "folder beside the config file.  Use one with --theme NAME, the config "
            "file's theme setting, or ctrl+t in the app."
        ),
    )
    parser.add_argument("--names", action="store_true", help="print only the names")
    return parser


def run(argv: Sequence[str]) -> int:
    from tui.settings.config import config_path, load_settings, user_themes_dir
    from tui.settings.themes import ThemeCatalog, startup_theme

    args = parser().parse_args(argv)
    folder = user_themes_dir()
    catalog = ThemeCatalog.load(folder)
    if args.names:
        print("\n".join(catalog.names()))
        return 0
    settings, _ = load_settings(theme_names=catalog.known_names())
    choice = startup_theme(catalog, settings)
    width = max(len(name) for name in catalog.names())
    for entry in catalog:
        mark = "*" if entry.name == choice.name else " "
        if entry.source == "user":
            where = f"user     {entry.path}"
            if entry.replaces_bundled:
                where += "  (replaces the bundled theme)"
        else:
            where = "bundled"
        print(f"{mark} {entry.name:<{width}}  {entry.kind:<8}  {where}")
        if entry.description:
            print(f"  {'':<{width}}  {entry.description}")
    print()
    print(f"* in use: {WHY.get(choice.why, choice.why)}")
    state = "" if folder.is_dir() else " (does not exist yet)"
    print(f"User themes folder: {folder}{state}")
    print(f"Config file: {config_path()}")
    if catalog.problems:
        print("\nNot loaded:", file=sys.stderr)
        for problem in catalog.problems:
            print(f"  {problem.describe()}", file=sys.stderr)
    return 0
