"""`shipyard ps`: the services of the app's compose stack, their health and URL."""

from __future__ import annotations

import argparse
import json

from ..engine.stack import stack_url
from .up import add_stack_arguments, open_stack

SUMMARY = "List the services of the app's compose stack, their state, health and published ports."
EXAMPLES = """\
  shipyard ps
  shipyard ps examples/easygeoip --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the services as JSON")


def run(args: argparse.Namespace) -> int:
    stack, compose = open_stack(args)
    services = compose.services(stack.files, stack.project)
    url = stack_url(services)
    if args.json:
        print(json.dumps({"project": stack.project, "url": url, "services": [s.__dict__ for s in services]},
                         indent=2))
        return 0
    if not services:
        print(f"{stack.project}: not running (start it with: shipyard up {args.path})")
        return 0
    print(f"{'service':<12} {'container':<13} {'state':<10} {'health':<10} ports")
    for s in services:
        ports = ", ".join(f"{a}->{c}" for c, a in sorted(s.addresses.items())) or "-"
        print(f"{s.service:<12} {s.container:<13} {s.state:<10} {s.health or '-':<10} {ports}")
    if url:
        print(f"url: {url}")
    return 0
