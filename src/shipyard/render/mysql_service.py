"""The MariaDB of a MySQL app's generated stacks (compose's `db` service, Swarm's, the Kubernetes mysql component),
as `serve` brings one (run/mysql_database.py): the official image's MARIADB_USER, MARIADB_PASSWORD and
MARIADB_DATABASE make the app's login, and the app gets DATABASE_URL in the scheme its library reads
(mysql+pymysql:// for SQLAlchemy with PyMySQL, mysql:// for Django) and the parts its code reads (MYSQL_HOST,
DB_PASSWORD...) under their own names.

The login is the one the app writes when it writes one (a URL literal, Django's DATABASES, pymysql.connect's
keywords: it cannot be told another), else `app` with a generated password. A written `root` login gets root's
password (the image makes no second root); any other leaves root a random password the app never needs.
Host and port are not secrets: the stack file sets them; the rest goes to the secrets file, kept out of git.
"""

from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from ..detect.written_db import WrittenDatabase
from ..plan import Plan
from ..run.mariadb import SYSTEM_DATABASES, SYSTEM_USERS
from ..run.database import app_part, keyed_parts
from ..run.mysql_database import url_scheme, variable_part
from .db_login import DEFAULT_NAME, StackLogin, env_file_safe

IMAGE = "mariadb:11.4"
PORT = 3306
ROOT = "root"
VOLUME_PATH = "/var/lib/mysql"        # where the official image keeps its data
# the official image's own check: a connection, and InnoDB done with its startup (healthcheck.sh)
HEALTHCHECK = ("healthcheck.sh", "--connect", "--innodb_initialized")
PASSWORD_KEYS = ("MARIADB_PASSWORD", "MARIADB_ROOT_PASSWORD")
# what the image reads that is not a secret: Swarm passes these as plain variables
NAME_KEYS = ("MARIADB_USER", "MARIADB_DATABASE", "MARIADB_RANDOM_ROOT_PASSWORD")
# the older names the image reads where a MARIADB_* one is unset: the app's own MYSQL_USER in the secrets file
# would reach the server too (MYSQL_USER=root, beside a root login, stops its first start)
IMAGE_FALLBACKS = frozenset({"MYSQL_USER", "MYSQL_PASSWORD", "MYSQL_DATABASE", "MYSQL_ROOT_PASSWORD"})


def _app_parts(plan: Plan) -> dict[str, str]:
    """The MySQL variables the app's code reads, each with the part it holds ("url", "host", "password"...)."""
    keyed = keyed_parts(plan)
    return {name: part for name in plan.env_vars if (part := app_part(name, keyed, variable_part(name)))}


def plain_env(plan: Plan, host: str) -> dict[str, str]:
    """The host and port variables the app reads, pointing at the stack's MariaDB (the stack file sets them)."""
    values = {"host": host, "port": str(PORT), "hostport": f"{host}:{PORT}"}
    return {name: values[part] for name, part in _app_parts(plan).items() if part in values}


def secret_names(plan: Plan) -> tuple[str, ...]:
    """The variables the app reads that the secrets file holds (its URL, user, password, database), beside
    DATABASE_URL."""
    parts = _app_parts(plan)
    return tuple(name for name, part in parts.items() if part not in ("host", "port") and name != "DATABASE_URL") \
        + tuple(name for name, _ in _switches(plan, parts))


def _switches(plan: Plan, parts: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """A Django settings switch between SQLite and MySQL (`if USE_SQLITE:`, on by default;
    detect/database_switch.py): the value that takes the server's branch, as db_login gives PostgreSQL's, or the
    app and its release job would each open a SQLite file of their own container."""
    return tuple((name, value) for name, value in plan.database_switches
                 if name not in parts and name != "DATABASE_URL" and name not in PASSWORD_KEYS + NAME_KEYS)


def server_blanks(plan: Plan) -> tuple[str, ...]:
    """The app's variables in the secrets file that the server would take for its own: set empty for it."""
    return tuple(name for name in secret_names(plan) if name in IMAGE_FALLBACKS)


def secret_lines(plan: Plan, login: StackLogin, host: str) -> str:
    """The secrets file's lines: the image's MARIADB_*, the app's DATABASE_URL and the login parts it reads."""
    url = f"{url_scheme(plan)}://{quote(login.user, safe='')}:{quote(login.password, safe='')}@{host}:{PORT}/" \
          f"{quote(login.database, safe='')}"
    server = {"MARIADB_ROOT_PASSWORD": login.password} if login.user == ROOT else \
        {"MARIADB_USER": login.user, "MARIADB_PASSWORD": login.password, "MARIADB_RANDOM_ROOT_PASSWORD": "1"}
    values = {"url": url, "user": login.user, "password": login.password, "database": login.database}
    app = {name: values[part] for name, part in _app_parts(plan).items() if part in values}
    lines = {**server, "MARIADB_DATABASE": login.database, "DATABASE_URL": url, **app}
    lines.update((name, value) for name, value in _switches(plan, _app_parts(plan)) if name not in lines)
    return "".join(f"{key}={value}\n" for key, value in lines.items())


def fits_stack(written: WrittenDatabase) -> bool:
    """A login the official image can make, with values an env file keeps as written (root only with a
    password: the image makes no root without one unless told to allow it)."""
    return written.user not in SYSTEM_USERS and written.database not in SYSTEM_DATABASES \
        and bool(written.database) and not (written.user == ROOT and not written.password) \
        and all(env_file_safe(v) for v in (written.user, written.password, written.database))


def stack_written(logins: list[WrittenDatabase], say: Callable[[str], None]) -> WrittenDatabase | None:
    """The MySQL login the secrets files carry: the first the app writes, when the image can make it."""
    if not logins:
        return None
    first = logins[0]
    where = f"{first.rel}:{first.line}"
    if not fits_stack(first):
        say(f"warning: {where} writes the app's MySQL login as user {first.user or '(none)'}, database "
            f"{first.database or '(none)'}, which the stack's MariaDB cannot make (a name MariaDB keeps, root with no "
            f"password, or a character its secrets file cannot carry): the secrets file names user {DEFAULT_NAME}; "
            f"read the credentials from DATABASE_URL")
        return None
    if first.host:
        say(f"warning: {where} connects to MySQL at {first.host}, which in the compose stack or the cluster is the "
            f"app's own container, not the database's: the app reaches it only through DATABASE_URL (set for it)")
    return first


def written_note(written: WrittenDatabase | None, where: str) -> str:
    """The comment line of a secrets file that says whose login it is."""
    if written is None:
        return ""
    return f"# {written.rel}:{written.line} writes the app's login: {where}'s MariaDB makes that user and database\n"
