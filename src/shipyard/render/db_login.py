"""The PostgreSQL login of the deploy outputs' secrets files (compose's shipyard.env, which Swarm reads too, and the
Kubernetes overlay's secrets.env): the one the app writes, when it writes one it cannot be told otherwise.

An app that connects with `postgresql://blog:xxxxxx@localhost/blog` (or Django's DATABASES with USER, PASSWORD
and NAME as strings, detect/written_urls.py) logs in as that role whatever DATABASE_URL says: the stack's
PostgreSQL (the official image's POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB) makes that role and database,
and DATABASE_URL names them too, as serve's own PostgreSQL does (run/database.py). The written password goes
where the generated one goes: the secrets file, kept out of git, never a committed file.

libpq's PGUSER, PGPASSWORD and PGDATABASE (and PGHOST, PGPORT, set in the stack file: not secrets) fill what
the app's connection leaves out: Django's DATABASES with no HOST, a URL with no password.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable
from urllib.parse import quote

from ..dburl import url_scheme
from ..detect.code_hosts import service_host
from ..detect.written_db import RESERVED_DATABASES, WrittenDatabase
from ..plan import Plan

PORT = 5432
DEFAULT_NAME = "app"
# what the secrets file and the stack file give the app: a default of another variable it reads stays its value
GIVEN = frozenset({"DATABASE_URL", "PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"})
# a value an env file carries as written: compose interpolates $, and quotes, spaces and # are parsed
_ENV_FILE_SAFE = re.compile(r"[A-Za-z0-9._~@%^&*()+=,:;/?!\[\]{}|<>-]*")


@dataclass(frozen=True)
class StackLogin:
    user: str
    password: str
    database: str


def env_file_safe(value: str) -> bool:
    """A value an env file carries as written."""
    return bool(_ENV_FILE_SAFE.fullmatch(value))


def fits_stack(written: WrittenDatabase) -> bool:
    """A login the official image can make, with values an env file keeps as written."""
    return not written.user.startswith("pg_") and written.database not in RESERVED_DATABASES \
        and all(env_file_safe(v) for v in (written.user, written.password, written.database))


# drivers on libpq, which connects to PGHOSTADDR whatever host name the code gives it (run/written_port.py)
_LIBPQ_SCHEMES = ("psycopg2", "psycopg", "psycopg2cffi")
_OWN_PROTOCOL = ("asyncpg", "pg8000")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def libpq_local_host(plan: Plan, written: WrittenDatabase | None) -> bool:
    """Whether the login the app writes names this machine as its host (`psycopg2.connect(host="localhost", ...)`,
    `postgresql://me@localhost/shop`) and reaches it through libpq: in the stack, where localhost is the app's own
    container, its processes then set PGHOSTADDR to the address of the database's host (PGHOST, `db`) at start, and
    libpq takes the connection there whatever host the code names. asyncpg and pg8000 read no PGHOSTADDR."""
    if written is None or written.host.lower() not in _LOCAL_HOSTS or not plan.needs_postgres:
        return False
    driver = written.scheme.partition("+")[2].lower()
    if driver:
        return driver in _LIBPQ_SCHEMES
    names = {d.name.lower().replace("_", "-") for d in plan.dependencies}
    libpq = any(n.startswith(("psycopg2", "psycopg", "aiopg")) for n in names)
    return libpq and not names & set(_OWN_PROTOCOL)


def stack_written(logins: list[WrittenDatabase], say: Callable[[str], None],
                  plan: Plan | None = None) -> WrittenDatabase | None:
    """The login the secrets files carry: the first the app writes (the one it most likely runs with), when the
    image can make it. Said: a login it cannot, a host the app's container does not hold (or, through libpq, the
    address its connections are taken to instead), the logins left out."""
    if not logins:
        return None
    first = logins[0]
    where = f"{first.rel}:{first.line}"
    if not fits_stack(first):
        say(f"warning: {where} writes the app's PostgreSQL login as user {first.user}, database {first.database}, "
            f"which the stack's PostgreSQL cannot make (a reserved name, or a character its secrets file cannot "
            f"carry): the secrets file names role {DEFAULT_NAME}; read the credentials from DATABASE_URL")
        return None
    if first.host and plan is not None and libpq_local_host(plan, first):
        say(f"note: {where} connects to PostgreSQL at {first.host}, the app's own container in the compose stack: "
            f"its processes set PGHOSTADDR to the database service's address at start, and libpq (the app's "
            f"driver) connects there")
    elif first.host and first.host.lower() == "db":
        pass                # the stack's database service itself
    elif first.host and aliased(first.host):
        say(f"note: {where} connects to PostgreSQL at {first.host}, a compose service's name: the stack's db "
            f"service answers to it too (compose.yaml's network aliases); a cluster's Service is named db, so there "
            f"the app reaches it only through DATABASE_URL or PGHOST (set for it)")
    elif first.host:
        say(f"warning: {where} connects to PostgreSQL at {first.host}, which in the compose stack or the cluster "
            f"is the app's own container, not the database's: the app reaches it only through DATABASE_URL or "
            f"PGHOST (set for it): read one of those")
    others = [w for w in logins[1:] if (w.user or DEFAULT_NAME, w.database) != (first.user or DEFAULT_NAME,
                                                                                 first.database)]
    if others:
        say(f"note: the stack's PostgreSQL makes one role and database, {where}'s; the app also writes "
            + ", ".join(f"{w.user or DEFAULT_NAME}@{w.database} ({w.rel}:{w.line})" for w in others)
            + ": make those yourself if it uses them")
    return first


def aliased(host: str) -> bool:
    """A written host the compose stack's db service answers to as well (render/stack_aliases.py)."""
    from .stack_aliases import STACK_SERVICES
    return service_host(host) and host.lower() not in STACK_SERVICES


def stack_login(generated_password: str, written: WrittenDatabase | None = None) -> StackLogin:
    """The written login where it says one, else `app` with the generated password (a written login with no
    user or password takes those: the app's libpq reads them from PGUSER and PGPASSWORD)."""
    if written is None:
        return StackLogin(DEFAULT_NAME, generated_password, DEFAULT_NAME)
    return StackLogin(written.user or DEFAULT_NAME, written.password or generated_password, written.database)


def login_env(plan: Plan, login: StackLogin, host: str) -> str:
    """The lines of a secrets file: the image's POSTGRES_*, libpq's PG* and the app's DATABASE_URL, then the
    other database variables the app's code reads (DATABASE_URI, DB_HOST, NEON_USER...) with the same login, as
    `serve` gives them (run/database.connection_env). Not PGHOST/PGPORT: the stack file sets them for the app,
    and the PostgreSQL container, which reads this file too, makes its first database over its local socket."""
    url = f"{url_scheme(plan)}://{quote(login.user, safe='')}:{quote(login.password, safe='')}@{host}:{PORT}/" \
          f"{quote(login.database, safe='')}"
    lines = {"POSTGRES_USER": login.user, "POSTGRES_PASSWORD": login.password, "POSTGRES_DB": login.database,
             "PGUSER": login.user, "PGPASSWORD": login.password, "PGDATABASE": login.database, "DATABASE_URL": url}
    return "".join(f"{key}={value}\n" for key, value in {**lines, **_app_names_env(plan, login, host, url)}.items())


def app_names(plan: Plan) -> tuple[str, ...]:
    """The names login_env adds beyond its own (the app's DATABASE_URI, DB_USER, SQL_ENGINE...): Kubernetes
    gives each to the app from the Secret."""
    return tuple(_app_names_env(plan, StackLogin("u", "p", "d"), "h", "postgresql://u:p@h/d"))


def _app_names_env(plan: Plan, login: StackLogin, host: str, url: str) -> dict[str, str]:
    from ..detect.engine_vars import POSTGRES_BACKEND
    from ..run.database import LIBPQ_DEFAULTS, connection_env
    base = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "PGUSER", "PGPASSWORD", "PGDATABASE", "DATABASE_URL"}
    parts = {"host": host, "port": str(PORT), "user": login.user, "password": login.password,
             "database": login.database}
    # a part-like name whose value in the app is a URL scheme (POSTGRES_NAME = "postgresql") stays the app's
    own = {name: value for name, value in connection_env(plan, parts, url, frozenset(plan.scheme_variables)).items()
           if name not in base and name not in LIBPQ_DEFAULTS}
    # a Django DATABASES ENGINE read from the environment (SQL_ENGINE, sqlite3 by default): PostgreSQL's backend,
    # as serve sets it (run/database.engine_env), or the parts above would name a SQLite file
    own.update((name, POSTGRES_BACKEND) for name in plan.engine_variables if name not in base)
    # a settings switch between SQLite and PostgreSQL (`if USE_SQLITE:`, on by default): the value that takes
    # PostgreSQL's branch, or the app and its release job would each open a SQLite file of their own container
    own.update((name, value) for name, value in plan.database_switches if name not in base and name not in own)
    return own


def written_note(written: WrittenDatabase | None, where: str) -> str:
    """The comment line of a secrets file that says whose login it is."""
    if written is None:
        return ""
    return (f"# {written.rel}:{written.line} writes the app's login: {where}'s PostgreSQL makes that role and "
            f"database\n")
