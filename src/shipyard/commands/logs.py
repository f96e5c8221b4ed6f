"""`shipyard logs`: the logs of the app's compose stack."""

from __future__ import annotations

import argparse

from .up import add_stack_arguments, open_stack

SUMMARY = "Show the logs of the app's compose stack (all services, or the ones named)."
EXAMPLES = """\
  shipyard logs
  shipyard logs . app --follow         # the app service only, as it writes
  shipyard logs examples/easygeoip db --tail 50
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("services", nargs="*", metavar="SERVICE", help="services to show (default: all)")
    parser.add_argument("--follow", "-F", action="store_true", help="keep printing new lines (Ctrl-C stops)")
    parser.add_argument("--tail", type=int, default=100, metavar="N", help="lines per service (default: 100)")


def run(args: argparse.Namespace) -> int:
    stack, compose = open_stack(args)
    return compose.logs(stack.files, stack.project, lines=args.tail, follow=args.follow, services=args.services)
