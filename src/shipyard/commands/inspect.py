"""`shipyard inspect`: what the app is and how it runs in production. Writes nothing."""

from __future__ import annotations

import argparse

from ..planner import make_plan
from ..report import plan_report
from .appcmd import say, say_image_notes, warn_unproven
from .options import add_path, add_setting_flags, setting_flags

SUMMARY = "Find the app in PATH and report how it runs in production (writes nothing)."
EXAMPLES = """\
  shipyard inspect                      # the app in the current folder
  shipyard inspect examples/hello
  shipyard inspect . --json > plan.json # the plan, for scripts
  shipyard inspect . --entry app:create_app()
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument("--no-import", action="store_true",
                        help="skip the import check (static detection only)")
    add_setting_flags(parser, "entry", "python", "server", "topology", "db", "port")


def run(args: argparse.Namespace) -> int:
    plan = make_plan(args.path, setting_flags(args), confirm=not args.no_import, progress=say)
    warn_unproven(plan)
    say_image_notes(plan, args.path)
    print(plan.to_json() if args.json else plan_report(plan), end="")
    return 0
