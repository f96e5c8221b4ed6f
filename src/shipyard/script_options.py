"""A script entry's tornado.options that name its database's parts (define("db_host"), define("db_port")...):
the script reads its database from its command line, never from the environment, so `serve` and `dev` give
the database they bring (or the user's DATABASE_URL) as `--db_host=... --db_port=...`, as they give --port=N.
PostgreSQL only: the URL Shipyard has is a PostgreSQL one."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# <prefix><part>: db_host, database_name, pg_password, postgres_user (case-insensitive)
_OPTION = re.compile(r"(?:db|database|postgres|postgresql|pg)_?(host|port|user|username|password|pass|database|"
                     r"name|db|dbname|url|uri|dsn)", re.IGNORECASE)
_PARTS = {"host": "host", "port": "port", "user": "user", "username": "user", "password": "password",
          "pass": "password", "database": "database", "name": "database", "db": "database", "dbname": "database",
          "url": "url", "uri": "url", "dsn": "url"}


def database_part(option: str) -> str | None:
    """host, port, user, password, database or url for an option that names one; None otherwise."""
    m = _OPTION.fullmatch(option)
    return _PARTS[m.group(1).lower()] if m else None


def option_args(options: tuple[str, ...], url: str | None) -> list[str]:
    """`--db_host=127.0.0.1 --db_port=5433 ...` for `options` from the PostgreSQL `url`; [] without one."""
    if not options or not url:
        return []
    split = urlsplit(url)
    if split.scheme.split("+")[0].lower() not in ("postgres", "postgresql", "pgsql"):
        return []
    parts = {"host": split.hostname, "port": str(split.port) if split.port else None,
             "user": unquote(split.username) if split.username else None,
             "password": unquote(split.password) if split.password else None,
             "database": unquote(split.path.lstrip("/")) or None,
             # the plain scheme: libpq and asyncpg refuse postgresql+psycopg2://
             "url": "postgresql://" + url.partition("://")[2]}
    return [f"--{name}={parts[part]}" for name in options
            if (part := database_part(name)) and parts.get(part) is not None]
