"""The command line: the only place that prints errors and exits.

Each command lives in shipyard/commands/<name>.py and exposes:
    NAME, SUMMARY, EXAMPLES (text shown under --help), add_arguments(parser), run(args) -> int
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
import traceback
from typing import NoReturn

from . import __version__
from .errors import ShipyardError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

EXIT_INTERNAL = 70   # EX_SOFTWARE: a bug in Shipyard, not in the input

COMMANDS = ("inspect", "reqs", "init", "serve", "dev", "migrate", "build", "verify", "up", "down", "logs",
            "ps", "swarm", "settings", "lint", "cache")


def _load(name: str):
    try:
        return importlib.import_module(f"shipyard.commands.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"shipyard.commands.{name}":
            return None
        raise


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line with a hint, like every other error (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; `only` names the one command being run, so the others (and what they
    import) are not loaded."""
    parser = _Parser(
        prog="shipyard",
        description="Put a Python web app into production: find it, write its production files, "
                    "run it here, build and verify its image.",
        epilog="examples:\n  shipyard inspect examples/hello\n  shipyard init examples/hello --dry-run\n"
               "  shipyard serve examples/hello\n\nRun `shipyard COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"shipyard {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the Python traceback of an error (also: SHIPYARD_DEBUG=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only in COMMANDS else COMMANDS:
        module = _load(name)
        if module is None:
            continue
        cmd = sub.add_parser(name, help=module.SUMMARY, description=module.SUMMARY,
                             epilog="examples:\n" + module.EXAMPLES.rstrip(),
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(cmd)
        # also after the command (`shipyard inspect . --debug`); SUPPRESS keeps the global one when absent
        cmd.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                         help="show the Python traceback of an error (also: SHIPYARD_DEBUG=1)")
        cmd.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """The one error boundary: every failure becomes one line on stderr and a non-zero exit code;
    the traceback only with --debug or SHIPYARD_DEBUG=1."""
    words = sys.argv[1:] if argv is None else argv
    first = next((w for w in words if not w.startswith("-")), None)
    parser = build_parser(first)
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    debug = args.debug or os.environ.get("SHIPYARD_DEBUG", "").lower() in ("1", "true", "yes")
    try:
        return int(args._run(args) or 0)
    except KeyboardInterrupt as exc:
        if getattr(exc, "signum", None):      # run/signals.Stopped: a long step ended early on a stop signal
            print(f"shipyard {args.command}: {exc}", file=sys.stderr)
            return 128 + exc.signum
        return 130
    except BaseException as exc:  # noqa: BLE001 - this is the boundary; SystemExit passes through below
        if isinstance(exc, SystemExit):
            raise
        if debug:
            traceback.print_exc()
        message, hint, code = describe(exc)
        if code == EXIT_INTERNAL and not debug:
            hint = (hint + "; " if hint else "") + "run with --debug for the traceback"
        line = f"shipyard {args.command}: error: {message}"
        if hint:
            line += f" ({hint})"
        print(" ".join(line.split()), file=sys.stderr)   # one line, whatever the message held
        return code


def describe(exc: BaseException) -> tuple[str, str, int]:
    """(message, hint, exit code) for an exception that reached main()."""
    if isinstance(exc, ShipyardError):
        return exc.message, exc.hint, exc.exit_code
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        what = exc.strerror or str(exc)
        if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            folder = os.path.dirname(exc.filename) if isinstance(exc.filename, str) else ""
            return f"{where}{what}", (f"check the folder's permissions (ls -ld {folder}) or run as a user who "
                                      "may write there" if folder else "check the folder's permissions"), 1
        if "AF_UNIX path too long" in str(exc):
            return str(exc), "a unix socket path must be under 108 bytes: set TMPDIR to a short folder, e.g. /tmp", 1
        if exc.errno == errno.ENOSPC:
            return f"{where}{what}", "free some disk space and run again", 1
        return f"{where}{what}", "", 1
    if isinstance(exc, tomllib.TOMLDecodeError):
        return f"invalid TOML: {exc}", "fix the file's syntax", 2
    if isinstance(exc, UnicodeError):
        return f"cannot decode text: {exc}", "save the file as UTF-8", 1
    return f"unexpected {type(exc).__name__}: {exc}", "", EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
