"""Argument helpers shared by commands: the PATH argument and flags generated from settings.py."""

from __future__ import annotations

import argparse
from typing import Any

from ..settings import BY_NAME


def add_path(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", metavar="PATH",
                        help="the app's folder (default: the current folder)")


def add_setting_flags(parser: argparse.ArgumentParser, *names: str) -> None:
    """Add the flags of the named settings, with help text and choices from settings.py."""
    for name in names:
        s = BY_NAME[name]
        kwargs: dict[str, Any] = {"dest": name, "default": None, "help": s.doc.replace("%", "%%")}
        if s.choices:
            kwargs["choices"] = s.choices
        if s.type is int:
            kwargs["type"] = int
            kwargs["metavar"] = "N"
        if s.type is tuple:
            kwargs["action"] = "append"
            kwargs["metavar"] = "PATH"
        parser.add_argument(s.flag, **kwargs)


def setting_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The settings given on the command line (None = not given)."""
    return {name: getattr(args, name) for name in BY_NAME if getattr(args, name, None) is not None}
