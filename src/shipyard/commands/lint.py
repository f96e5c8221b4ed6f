"""`shipyard lint`: find the seeds' mistakes in the production files a project already has."""

from __future__ import annotations

import argparse

from ..lint import lint
from ..lint.config import FAIL_ON, from_project
from ..lint.model import SEVERITY_RANK
from ..lint.report import as_json, sarif, table
from ..project import Project
from .options import add_path

SUMMARY = ("Check the production files already in PATH (Dockerfile, compose, nginx, uWSGI, gunicorn, "
           "supervisord, Procfile, entrypoint scripts) against each other and the app.")
EXAMPLES = """\
  shipyard lint                                # the current folder, as a table
  shipyard lint examples/hello --fail-on warning
  shipyard lint . --json > lint.json
  shipyard lint . --format sarif > lint.sarif  # for GitHub code scanning and other SARIF viewers
  shipyard lint . --no-hadolint                # only shipyard's rules
  shipyard lint --rules                        # every rule: id, severity, what it finds
  shipyard lint --docs > docs/lint.md          # the rules reference, with examples
Exit status: 0 when no finding reaches --fail-on (default error, or fail-on under [tool.shipyard.lint]),
1 when one does, 2 for a bad option or setting. Switch a rule off with its reason in pyproject.toml:
  [tool.shipyard.lint]
  disable = {SY304 = "our load balancer buffers requests"}
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    parser.add_argument("--format", choices=("table", "json", "sarif"), default=None,
                        help="output format (default: table)")
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument("--fail-on", choices=FAIL_ON, default=None,
                        help="lowest severity that makes the exit status 1 (default: error)")
    parser.add_argument("--no-hadolint", action="store_true", help="do not run hadolint even when installed")
    parser.add_argument("--rules", action="store_true", help="list every rule and exit")
    parser.add_argument("--docs", action="store_true", help="print docs/lint.md (every rule, with examples) and exit")


def run(args: argparse.Namespace) -> int:
    if args.docs:
        from ..lint.docs import markdown
        print(markdown(), end="")
        return 0
    if args.rules:
        from ..lint.rules import RULES
        for rule in RULES:
            print(f"{rule.id}  {rule.severity:<7}  {rule.name:<26} {rule.title}")
        return 0
    config = from_project(Project(args.path))
    result = lint(args.path, config=config, use_hadolint=False if args.no_hadolint else None)
    fmt = "json" if args.json else (args.format or "table")
    print({"table": table, "json": as_json, "sarif": sarif}[fmt](result), end="")
    fail_on = args.fail_on or config.fail_on
    worst = result.worst()
    if fail_on == "never" or worst is None:
        return 0
    return 1 if SEVERITY_RANK[worst] <= SEVERITY_RANK[fail_on] else 0
