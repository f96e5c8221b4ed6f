"""The variable the app's server listens on, in the image and its stacks.

PORT, as platforms set it (Heroku, Cloud Run, Render), unless the app's own code reads PORT as its database's port
(a Django DATABASES' "PORT": env("PORT") beside env("HOST"), env("NAME")): the stack's secrets file then gives
PORT the database's port, and a compose `environment: PORT: "8000"` for the server overrode it, so the app
connected to db:8000 and the release's migrate failed (or, with the server reading PORT too, it listened on the
database's port). Such an app's server listens on SHIPYARD_PORT instead, and PORT stays the app's, as serve keeps
it behind nginx (run/serve.py)."""

from __future__ import annotations

from ..plan import Plan

PLATFORM = "PORT"
OWN = "SHIPYARD_PORT"


def database_names(plan: Plan) -> frozenset[str]:
    """The variables the stacks give the app for its database server or Redis (the login parts its code reads)."""
    from ..redis_vars import redis_env
    from ..run.database import connection_env
    from . import mysql_service
    names: set[str] = set()
    if plan.needs_postgres:
        parts = {"host": "db", "port": "5432", "user": "u", "password": "p", "database": "d"}
        names |= set(connection_env(plan, parts, "postgresql://u:p@db:5432/d", frozenset(plan.scheme_variables)))
    if plan.needs_mysql:
        names |= set(mysql_service.plain_env(plan, "db")) | set(mysql_service.secret_names(plan))
    if plan.needs_redis:
        names |= set(redis_env(plan, "redis", 6379))
    return frozenset(names)


def listen_variable(plan: Plan) -> str:
    """PORT, or SHIPYARD_PORT when the app reads PORT as its database's (or Redis's) port."""
    return OWN if PLATFORM in database_names(plan) else PLATFORM
