"""A port the app's code writes for its PostgreSQL (`postgresql://me@localhost:5432/shop` as a literal, no variable
to change it) that another program holds here: serve's PostgreSQL cannot listen there on 127.0.0.1.

A user running `serve` wants the app on the database serve brought (the README's own server is what `--db none`
leaves the app to). When the app reaches PostgreSQL through libpq (psycopg2, psycopg, aiopg, and SQLAlchemy on
them), its connections can be taken there without touching its code: libpq connects to PGHOSTADDR whatever host
name it is given, so serve's server listens on the written port at another loopback address (127.0.0.2...) and
the app gets PGHOSTADDR, as for compose's host names (run/database.py). Other drivers (asyncpg, pg8000) read no
such variable: serve says, in one line, who holds the port and what to change.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..detect.written_db import WrittenDatabase
from ..plan import Plan
from .ports import port_holder

# drivers on libpq, which honours PGHOSTADDR; the others connect to the written host themselves
LIBPQ_DRIVERS = frozenset({"psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "psycopg-c", "aiopg",
                           "psycopg2cffi"})
OWN_PROTOCOL = frozenset({"asyncpg", "pg8000"})
_LOCAL = frozenset({"", "localhost", "127.0.0.1", "::1"})


def libpq_literal(plan: Plan, logins: Iterable[WrittenDatabase], port: int) -> WrittenDatabase | None:
    """The login the code writes with `port` on this machine, with no variable to set instead, when the app reaches
    it through libpq. Not Django's: its settings are overlaid with the server's host and port (django_database)."""
    if plan.framework == "django":
        return None
    names = {d.name.lower().replace("_", "-") for d in plan.dependencies}
    for login in logins:
        if login.port != port or login.via or login.host.lower() not in _LOCAL:
            continue
        driver = login.scheme.partition("+")[2].lower()
        if driver:
            libpq = driver in ("psycopg2", "psycopg", "psycopg2cffi")
        else:
            libpq = bool(names & LIBPQ_DRIVERS) and not names & OWN_PROTOCOL
        return login if libpq else None
    return None


def hostaddr_env(login: WrittenDatabase | None, host: str, say: Callable[[str], None]) -> dict[str, str]:
    """PGHOSTADDR=`host` when the server listens at a loopback alias on the port `login` writes."""
    if login is None or host == "127.0.0.1":
        return {}
    say(f"{login.rel}:{login.line} connects to PostgreSQL on {login.host or 'localhost'}:{login.port}, which "
        f"{holder(login.port)} holds on 127.0.0.1: the app's PostgreSQL listens on {host}:{login.port}, and "
        f"PGHOSTADDR={host} takes the app's libpq connections (psycopg2, psycopg) there (to use the server on "
        f"{login.port} instead: --db none)")
    return {"PGHOSTADDR": host}


def holder(port: int) -> str:
    return port_holder(port) or "another program"
