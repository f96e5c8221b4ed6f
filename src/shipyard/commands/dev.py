"""`shipyard dev`: the framework's debug server, reloading on code changes; `--debugger` for an IDE."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..planner import make_plan
from ..run.appenv import app_env, install_app_env
from ..run.dev import run_dev
from ..run.signals import stop_signals
from .options import add_path, add_setting_flags, setting_flags

SUMMARY = "Run the app in the framework's debug mode, reloading when its code changes."
EXAMPLES = """\
  shipyard dev --install examples/hello  # create the app's .venv with its dependencies, then run
  shipyard dev                            # the app in the current folder, on port 8000
  shipyard dev examples/hello --port 5000
  shipyard dev . --debugger               # also listen for an IDE (debugpy) on 127.0.0.1:5678
  shipyard dev . --debugger 5679
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    parser.add_argument("--install", action="store_true",
                        help="first make the app's environment ready: create PATH/.venv when no virtualenv is "
                             "active and the app has none, and install the app's dependencies and server into it")
    add_setting_flags(parser, "entry", "port", "db")
    parser.add_argument("--debugger", nargs="?", const=5678, type=int, default=None, metavar="PORT",
                        help="run under debugpy, listening on 127.0.0.1:PORT (default 5678) for an IDE to attach")


def say(line: str) -> None:
    print(f"shipyard: {line}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    root = Path(args.path).resolve()
    if args.install:
        # the import check needs the app's packages, so the environment is prepared from a static plan first
        install_app_env(root, make_plan(root, setting_flags(args), confirm=False), say)
    env = app_env(root)
    plan = make_plan(root, setting_flags(args), python_exe=env.python)
    with stop_signals() as stop:
        return run_dev(plan, root, env, debug_port=args.debugger, stop=stop, say=say)
