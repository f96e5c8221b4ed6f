"""`shipyard migrate`: run the app's release command: migrations (Django, Flask-Migrate, Alembic, aerich, Piccolo) or
[tool.shipyard] release."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..planner import make_plan
from ..run.database import app_database
from ..run.migrate import migration_command, run_migrations
from .appcmd import app_config, ready_app, say
from .options import add_path, add_setting_flags, setting_flags

SUMMARY = ("Run the app's release command once: its database migrations (Django, Flask-Migrate, Alembic, aerich, "
           "Piccolo) or `release` from [tool.shipyard] (uses DATABASE_URL, else the app's own PostgreSQL, as `serve`).")
EXAMPLES = """\
  DATABASE_URL=postgresql://app:secret@127.0.0.1:5432/app shipyard migrate
  shipyard migrate examples/django-site
  shipyard migrate examples/easygeoip     # no DATABASE_URL: into the app's own PostgreSQL (see `serve`)
  shipyard migrate . --json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_path(parser)
    add_setting_flags(parser, "entry", "db", "postgres_bin")
    parser.add_argument("--json", action="store_true", help="print what ran as JSON")


def run(args: argparse.Namespace) -> int:
    root = Path(args.path).resolve()
    flags = setting_flags(args)
    needs = make_plan(root, flags, confirm=False, installed=False)
    if needs.release is None:
        migration_command(needs, root, None)    # no release command: say so before anything starts
    # the app's configuration as `serve` has it (its example env file, SECRET_KEY...); without DATABASE_URL,
    # into the app's own PostgreSQL (as `serve`), started before the import proof, which may read DATABASE_URL
    config = app_config(needs, root, "serve")
    with app_database(needs, root, say=say) as db:
        db.environ = config.under(db.environ)
        # the app's own environment, else the cached one built from its dependencies: never Shipyard's Python
        root, env, plan = ready_app(args, environ=db.environ)
        if db.own:
            db.release(plan, root, env, say, force=True)
            lines = db.notes
        else:
            lines = run_migrations(plan, root, env, environ=db.environ)
    if args.json:
        print(json.dumps({"ran": lines, "python": env.python}))
    else:
        for line in lines:
            print(f"shipyard: {line}", file=sys.stderr)
    return 0
