"""`shipyard settings`: the settings reference, generated from settings.py."""

from __future__ import annotations

import argparse

from ..settings import reference_markdown

SUMMARY = "Print the reference of every setting (flags, [tool.shipyard] keys, environment variables)."
EXAMPLES = """\
  shipyard settings                 # the table, as Markdown
  shipyard settings > docs/settings.md
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print(reference_markdown(), end="")
    return 0
