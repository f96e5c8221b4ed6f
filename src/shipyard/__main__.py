"""The command line: the only place that prints errors and exits.

Each command lives in shipyard/commands/<name>.py and exposes:
    NAME, SUMMARY, EXAMPLES (text shown under --help), add_arguments(parser), run(args) -> int
"""

from __future__ import annotations

import argparse
import importlib
import sys

from . import __version__
from .errors import ShipyardError

COMMANDS = ("inspect", "reqs", "init", "serve", "dev", "migrate", "build", "verify", "up", "down", "logs",
            "ps", "settings")


def _load(name: str):
    try:
        return importlib.import_module(f"shipyard.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"shipyard.commands.{name}":
            return None
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shipyard",
        description="Put a Python web app into production: find it, write its production files, "
                    "run it here, build and verify its image.",
        epilog="examples:\n  shipyard inspect examples/hello\n  shipyard init examples/hello --dry-run\n"
               "  shipyard serve examples/hello\n\nRun `shipyard COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"shipyard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _load(name)
        if module is None:
            continue
        cmd = sub.add_parser(name, help=module.SUMMARY, description=module.SUMMARY,
                             epilog="examples:\n" + module.EXAMPLES.rstrip(),
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(cmd)
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    try:
        return int(args._run(args) or 0)
    except ShipyardError as exc:
        line = f"shipyard {args.command}: error: {exc.message}"
        if exc.hint:
            line += f" ({exc.hint})"
        print(line, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
