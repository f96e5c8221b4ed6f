"""The database login a generated stack's secrets file carries (init's shipyard.env and secrets.env, swarm's
shipyard.env): the one the app writes, for PostgreSQL (render/db_login.py) or MySQL (render/mysql_service.py),
else role `app` with a random password."""

from __future__ import annotations

import secrets

from pathlib import Path
from typing import Callable

from ..detect.written_db import WrittenDatabase, written_database
from ..plan import Plan
from ..project import Project
from ..render import mysql_service
from ..render.db_login import DEFAULT_NAME, GIVEN as STACK_GIVEN, aliased, stack_written
from ..run import database, mysql_database


def written_login(plan: Plan, root: Path, say: Callable[[str], None]) -> WrittenDatabase | None:
    """The login the app writes that the stack's database server makes, or None (then `app`, generated)."""
    if plan.needs_mysql:
        return mysql_service.stack_written(mysql_database.logins_taken(plan, root), say)
    if plan.needs_postgres:
        logins = database.logins_taken(plan, root, STACK_GIVEN)
        if not logins and plan.entry.kind == "django":
            # settings that write the login at the stack's own database service ('HOST': 'db', the compose file
            # the author wrote beside them): serve gives its login through its settings overlay; the stack's
            # PostgreSQL makes the one they name
            at_db = written_database(Project(root), database._settings_rel(plan, root),
                                     also=_stack_db_host)
            logins = [at_db] if at_db is not None else []
        return stack_written(logins, say, plan)
    return None


def _stack_db_host(host: str) -> bool:
    """The stack's database service's own name, or a name it answers to as well (render/stack_aliases.py)."""
    return host.lower() == "db" or aliased(host)


def login_line(plan: Plan, written: WrittenDatabase) -> str:
    """The secrets file's line that names the written login: a file without it was made with another."""
    if plan.needs_mysql:
        return f"MARIADB_DATABASE={written.database}\n"
    return f"POSTGRES_USER={written.user or DEFAULT_NAME}\n"


def stack_password(plan: Plan, root: Path, say: Callable[[str], None]) -> str:
    """The random password of the stack's database: made of digits when the app's code types a variable it reads
    it from as a number (a settings class's `POSTGRES_PASSWORD: int`), whose import a password with letters
    fails, as serve makes its own PostgreSQL's (run/database.py); URL-safe characters otherwise."""
    numeric = database.numeric_password_reads(plan, root) if plan.needs_postgres else ()
    if not numeric:
        return secrets.token_urlsafe(24)
    say(f"the app types {' and '.join(numeric)} as a number: the stack's database password is made of digits")
    return database.numeric_secret()
