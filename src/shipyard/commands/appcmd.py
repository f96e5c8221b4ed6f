"""What `serve` and `dev` share: the --install flag, the progress line printer, and getting the app's
environment and plan ready (optionally installing the environment first)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..plan import Plan
from ..planner import make_plan
from ..run.appenv import AppEnv, app_env, install_app_env
from .options import setting_flags


def add_install_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--install", action="store_true",
                        help="first make the app's environment ready: create PATH/.venv when no virtualenv is "
                             "active and the app has none, and install the app's dependencies and server into it")


def say(line: str) -> None:
    print(f"shipyard: {line}", file=sys.stderr, flush=True)


def ready_app(args: argparse.Namespace) -> tuple[Path, AppEnv, Plan]:
    """(app root, its environment, its plan proven with that environment's interpreter)."""
    root = Path(args.path).resolve()
    flags = setting_flags(args)
    if args.install:
        # the import check needs the app's packages, so the environment is prepared from a static plan first
        install_app_env(root, make_plan(root, flags, confirm=False), say)
    env = app_env(root)
    return root, env, make_plan(root, flags, python_exe=env.python)
