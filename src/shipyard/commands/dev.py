"""`shipyard dev`: the framework's debug server, reloading on code changes; `--debugger` for an IDE."""

from __future__ import annotations

import argparse

from ..run.dev import run_dev
from ..run.signals import stop_signals
from ..run.sqlite_release import create_missing_sqlite
from .appcmd import add_install_flag, ready_app_and_database, say
from .options import add_path, add_setting_flags

SUMMARY = "Run the app in the framework's debug mode, reloading when its code changes."
EXAMPLES = """\
  shipyard dev --install examples/hello  # create the app's .venv with its dependencies, then run
  shipyard dev                            # the app in the current folder, on port 8000
  shipyard dev examples/hello --port 5000
  shipyard dev . --debugger               # also listen for an IDE (debugpy) on 127.0.0.1:5678
  shipyard dev . --debugger 5679
  shipyard dev . --db none                # no database: without DATABASE_URL, an app that needs PostgreSQL
                                          # otherwise gets its own, as with `shipyard serve`
  shipyard dev . --redis none             # no Redis: without REDIS_URL, an app that uses one gets its own
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    add_install_flag(parser)
    add_setting_flags(parser, "entry", "port", "db", "redis", "postgres_bin")
    parser.add_argument("--debugger", nargs="?", const=5678, type=int, default=None, metavar="PORT",
                        help="run under debugpy, listening on 127.0.0.1:PORT (default 5678) for an IDE to attach")


def run(args: argparse.Namespace) -> int:
    with stop_signals() as stop, ready_app_and_database(args, stop, mode="dev") as (root, env, plan, db):
        if not db.own:       # a fresh clone of a Django app on SQLite: its database file, migrated
            create_missing_sqlite(plan, root, env, say, environ=db.environ, before=db.files_before)
        return run_dev(plan, root, env, debug_port=args.debugger, stop=stop, say=say, environ=db.environ)
