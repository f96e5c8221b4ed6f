"""A fresh clone of a Django app on SQLite has no database file yet: `serve` creates it with the migrations.

Without it every page that reads a table answers 500 ("no such table"), and the user has to know to run
`manage.py migrate` first. Only a database file that does not exist is created this way: an existing one is
the user's data and is left alone (`serve --migrate` updates it). Where the file is comes from Django's own
settings, read with the app's interpreter, so settings packages and BASE_DIR / "db.sqlite3" both work.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable, Mapping

from ..plan import Plan
from .appenv import AppEnv, server_env
from .migrate import run_migrations

# prints the file of every SQLite database in the settings, as the app resolves it (relative to its folder)
_SQLITE_FILES = """\
import json
from django.conf import settings
names = [str(db.get("NAME") or "") for db in settings.DATABASES.values() if "sqlite3" in db.get("ENGINE", "")]
print(json.dumps(names))
"""


def is_django_migrate(plan: Plan) -> bool:
    return plan.release is not None and plan.release.argv[1:4] == ("-m", "django", "migrate")


def sqlite_files(plan: Plan, root: Path, env: AppEnv, environ: Mapping[str, str] | None = None,
                 timeout: float = 60) -> list[Path]:
    """The SQLite database files the app's Django settings name; [] when the settings cannot be read
    (the app's own start then says why) or name none."""
    cwd = (root / plan.workdir).resolve()
    try:
        done = subprocess.run([env.python, "-c", _SQLITE_FILES], cwd=cwd, env=server_env(plan, environ),
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    try:
        names = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return []
    # ":memory:" and "file:...?mode=memory" URIs are no file to create
    return [cwd / name for name in names if name and name != ":memory:" and not name.startswith("file:")]


def create_missing_sqlite(plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None],
                          environ: Mapping[str, str] | None = None) -> bool:
    """Run Django's migrate when a SQLite database of the settings does not exist yet; True when it ran."""
    if not is_django_migrate(plan) or plan.needs_postgres:
        return False
    missing = [f for f in sqlite_files(plan, root, env, environ) if not f.exists()]
    if not missing:
        return False
    shown = ", ".join(_shown(f, root) for f in missing)
    say(f"the app's SQLite database {shown} does not exist yet (a fresh copy): creating it with "
        f"{plan.release.what} (an existing database is left as it is; `--migrate` updates it)")
    for line in run_migrations(plan, root, env, environ=environ):
        say(line)
    return True


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
