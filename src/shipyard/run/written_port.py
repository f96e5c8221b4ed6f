"""A port the app's code writes for its PostgreSQL (`postgresql://me@localhost:5432/shop` as a literal, no variable
to change it) that another program holds here: serve's PostgreSQL cannot listen there on 127.0.0.1.

A user running `serve` wants the app on the database serve brought (the README's own server is what `--db none`
leaves the app to). When the app reaches PostgreSQL through libpq (psycopg2, psycopg, aiopg, and SQLAlchemy on
them), its connections can be taken there without touching its code: libpq connects to PGHOSTADDR whatever host
name it is given, so serve's server listens on the written port at another loopback address (127.0.0.2...) and
the app gets PGHOSTADDR, as for compose's host names (run/database.py). Drivers that speak the protocol themselves
(asyncpg, pg8000) read no such variable: the written host and port are mapped to that address in the app's process
(run/host_aliases.py's sitecustomize: asyncpg's parsed addresses, socket.getaddrinfo for pg8000), for that port
only, so the app's other connections to localhost (Redis) stay where they are.
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
    found = _local_literal(plan, logins, port)
    return found[0] if found and found[1] == "libpq" else None


def own_protocol_literal(plan: Plan, logins: Iterable[WrittenDatabase], port: int) -> WrittenDatabase | None:
    """The same login when the app reaches it through a driver that speaks PostgreSQL's protocol itself (asyncpg,
    pg8000), which reads no PGHOSTADDR: its written host and port are mapped to the server's address in the app's
    process instead (run/host_aliases.py, as compose's names are for asyncpg)."""
    found = _local_literal(plan, logins, port)
    return found[0] if found and found[1] == "own" else None


def _local_literal(plan: Plan, logins: Iterable[WrittenDatabase], port: int) -> tuple[WrittenDatabase, str] | None:
    """(the login written with `port` on this machine and no variable to set instead, "libpq" | "own" | "") by the
    driver that reaches it: the URL's (+asyncpg), else the app's one kind of PostgreSQL driver."""
    if plan.framework == "django":
        return None
    names = {d.name.lower().replace("_", "-") for d in plan.dependencies}
    for login in logins:
        if login.port != port or login.via or login.host.lower() not in _LOCAL:
            continue
        driver = login.scheme.partition("+")[2].lower()
        if driver:
            kind = "libpq" if driver in ("psycopg2", "psycopg", "psycopg2cffi") else \
                "own" if driver in OWN_PROTOCOL else ""
        else:
            libpq, own = bool(names & LIBPQ_DRIVERS), bool(names & OWN_PROTOCOL)
            kind = "libpq" if libpq and not own else "own" if own and not libpq else ""
        return login, kind
    return None


def aliased_address(login: WrittenDatabase) -> str:
    """The host:port an own-protocol driver connects to for `login` (host_aliases' key): its written host."""
    return f"{login.host or 'localhost'}:{login.port}"


def own_protocol_note(login: WrittenDatabase, host: str, say: Callable[[str], None]) -> None:
    say(f"{login.rel}:{login.line} connects to PostgreSQL on {login.host or 'localhost'}:{login.port}, which "
        f"{holder(login.port)} holds on 127.0.0.1: the app's PostgreSQL listens on {host}:{login.port}, where the "
        f"app's connections to {aliased_address(login)} go (asyncpg, pg8000: mapped in its process; to use the "
        f"server on {login.port} instead: --db none)")


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
    """Who holds `port` on 127.0.0.1 (not serve's own server, which may listen on it at 127.0.0.2 already)."""
    return port_holder(port, host="127.0.0.1") or "another program"
