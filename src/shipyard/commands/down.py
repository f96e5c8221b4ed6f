"""`shipyard down`: stop and remove the app's compose stack."""

from __future__ import annotations

import argparse

from .up import add_stack_arguments, open_stack

SUMMARY = "Stop and remove the app's compose stack (containers and network; --volumes also its data)."
EXAMPLES = """\
  shipyard down
  shipyard down examples/easygeoip --volumes   # also delete the database volume
  shipyard down . --dev
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--volumes", "-v", action="store_true", help="also remove named volumes (database data)")


def run(args: argparse.Namespace) -> int:
    stack, compose = open_stack(args)
    compose.down(stack.files, stack.project, volumes=args.volumes)
    print(f"{stack.project} is down" + (" (volumes removed)" if args.volumes else ""))
    return 0
