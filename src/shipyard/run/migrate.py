"""Database migrations, run only when asked (`shipyard migrate`, `shipyard serve --migrate`).

Which tool: Django's `migrate`; Flask-Migrate's `flask db upgrade` (a migrations/ folder with env.py);
plain Alembic's `alembic upgrade head` (an alembic.ini). Always with the app's interpreter and environment.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import ShipyardError, UsageError
from ..plan import Plan
from .appenv import AppEnv, server_env


def migration_command(plan: Plan, root: Path, env: AppEnv) -> tuple[list[str], Path, str]:
    """(argv, cwd, description) of the migration tool this app uses."""
    workdir = (root / plan.workdir).resolve()
    if plan.framework == "django" or plan.entry.kind == "django":
        env.require("django", "migrations run with Django's migrate command")
        return [env.python, "-m", "django", "migrate", "--noinput"], workdir, "Django migrate"
    for base in (workdir, root):
        if (base / "migrations" / "env.py").is_file() and plan.framework == "flask":
            env.require("flask_migrate", "the migrations/ folder is Flask-Migrate's")
            return ([env.python, "-m", "flask", "--app", plan.entry.target, "db", "upgrade"], workdir,
                    "Flask-Migrate (flask db upgrade)")
        if (base / "alembic.ini").is_file():
            env.require("alembic", "alembic.ini asks for Alembic migrations")
            return [env.python, "-m", "alembic", "upgrade", "head"], base, "Alembic (alembic upgrade head)"
    raise UsageError(f"no database migrations found in {root}",
                     "Shipyard runs Django migrations, Flask-Migrate (migrations/env.py) and Alembic (alembic.ini)")


def run_migrations(plan: Plan, root: Path, env: AppEnv, timeout: float = 600) -> list[str]:
    """Run the migrations (their output goes to the terminal); return what ran, for the report."""
    argv, cwd, what = migration_command(plan, root, env)
    environ = server_env(plan)        # DATABASE_URL, DJANGO_SETTINGS_MODULE
    try:
        done = subprocess.run(argv, cwd=cwd, env=environ, stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ShipyardError(f"{what} did not finish within {timeout:g}s", "check that the database answers") from None
    if done.returncode != 0:
        raise ShipyardError(f"{what} failed (exit status {done.returncode})",
                            "its own error is above; fix it and run again")
    return [f"migrations applied with {what}"]
