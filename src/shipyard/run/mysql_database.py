"""`serve` and `dev` bring the app's MySQL: when the plan needs MySQL (a MySQL driver, URL or Django backend; `--db
mysql`) and DATABASE_URL is not set, a MariaDB of the app's own runs next to it, from this machine's programs
(run/mariadb.py), as run/database.py does for PostgreSQL.

  * Data: one folder per app under the user's data folder ($XDG_DATA_HOME/shipyard/mysql/<app>-<hash of its
    path>), kept between runs; the release (migrations) runs once, then again when the app changed
    (run/database.py's AppDatabase, which this one is).
  * Server: a socket in a private run folder and a free 127.0.0.1 port (3306 when it is free and the app's
    code reads no URL or port variable: it connects to 3306), started before the app is imported and stopped
    after it, on every way out.
  * Logins: the user, password and database the app writes (a URL literal, Django's DATABASES with a MySQL
    ENGINE, a config mapping, the keywords of pymysql.connect(...)) are made, since the app cannot be told
    others (a login that names no user, Pony's `{'provider': 'mysql', 'dbname': 'test'}`, is the MySQL clients'
    default user: the one the app runs as); else one user and database named after the app, with a password
    kept (0600) in its folder.
  * The app gets DATABASE_URL in the form its library reads (mysql+pymysql:// for SQLAlchemy with PyMySQL,
    mysql:// for Django), the parts (MYSQL_HOST, DB_PASSWORD...) under the names its code reads, and the
    client library's own defaults, MYSQL_UNIX_PORT and MYSQL_TCP_PORT: mysqlclient (MySQLdb) connects to
    `localhost` through the socket those name, not /run/mysqld's.
  * A MySQL driver declared beside SQLite settings that nothing selects (no MySQL URL, engine or dialect; the
    driver never imported) brings no server: the app runs on its SQLite file.
"""

from __future__ import annotations

import ast
import getpass
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Mapping
from urllib.parse import quote

from ..dburl import SQLALCHEMY_USERS
from ..detect import mysql_schema
from ..detect.deps import normalize
from ..detect.implied import DRIVERS
from ..detect.services import unselected_drivers
from ..detect.source import parsed
from ..detect.written_db import WrittenDatabase
from ..detect.written_urls import written_logins
from ..errors import ShipyardError
from ..plan import Plan
from ..project import Project
from . import database, host_aliases, mariadb
from .database import AppDatabase, _Owner
from .mariadb import MariaDBServer, ident, literal
from .ports import free_port
from .written_port import holder

HOST = "127.0.0.1"
DEFAULT_PORT = 3306
SOCKET_PREFIX = "shipyard-mariadb-"
# with a qualifier after it too (DATABASE_URL_REMOTE, DB_URL_ASYNC), as run/database.py's
_URL_NAME = re.compile(r"(?:[A-Z0-9]+_)?(?:DATABASE|DB|MYSQL|MARIADB)_"
                       r"(?:(?:(?:CONNECTION|CONN|STRING|CONNECTION_STRING)_)?(?:URL|URI|DSN)(?:_[A-Z0-9]+)?|"
                       r"CONNECTION_STRING|CONN_STRING|CONN_STR|CONNSTR)|SQLALCHEMY_DATABASE_URI")
_PART_PREFIXES = ("MYSQL_", "MARIADB_", "DATABASE_", "DB_", "DB", "RDS_")
# SQLAlchemy's scheme for each driver, in the order one is picked when the app declares several
DRIVER_SCHEMES = (("pymysql", "mysql+pymysql"), ("mysqlclient", "mysql+mysqldb"),
                  ("mysql-connector-python", "mysql+mysqlconnector"), ("asyncmy", "mysql+asyncmy"),
                  ("aiomysql", "mysql+aiomysql"))
# the modules of MySQL drivers: an app that imports one talks to MySQL, whatever else it writes
DRIVER_MODULES = frozenset({"pymysql", "MySQLdb", "mysql", "aiomysql", "asyncmy"})


def url_scheme(plan: Plan) -> str:
    """mysql:// for Django (dj-database-url and django-environ know no driver schemes) and for libraries that
    parse the URL themselves; for SQLAlchemy, the scheme the app's own URLs write, else the one of the driver
    it declares (mysql+pymysql: a plain mysql:// loads MySQLdb, which a PyMySQL app does not have)."""
    names = {normalize(d.name) for d in plan.dependencies}
    if plan.framework == "django" or not names & SQLALCHEMY_USERS:
        return "mysql"
    written = next((s.scheme for s in plan.services if s.name == "mysql" and "+" in s.scheme), "")
    if written:
        return written
    return next((scheme for driver, scheme in DRIVER_SCHEMES if normalize(driver) in names), "mysql")


def variable_part(name: str) -> str | None:
    """"url" for a variable that holds the app's MySQL URL, host, port, user, password or database for one that
    holds that part of it (MYSQL_HOST, DB_PASSWORD, MYSQL_DB), None for any other."""
    if "TEST" in name:
        return None             # the tests' database (TESTING_DATABASE_URL), not the one the app runs on
    if _URL_NAME.fullmatch(name):
        return "url"
    return next((part for prefix in _PART_PREFIXES if name.startswith(prefix)
                 and (part := database._PARTS.get(name[len(prefix):]))), None) or database.part_named(name, "mysql")


def connection_env(plan: Plan, parts: Mapping[str, str], url: str, sock: str) -> dict[str, str]:
    """DATABASE_URL, the client library's defaults (MYSQL_UNIX_PORT, MYSQL_TCP_PORT), and every MySQL variable
    the app's code reads."""
    env = {"DATABASE_URL": url, "MYSQL_UNIX_PORT": sock, "MYSQL_TCP_PORT": parts["port"]}
    keyed = database.keyed_parts(plan)
    for name in plan.env_vars:
        part = database.app_part(name, keyed, variable_part(name))
        if part and (value := database.part_value(part, parts, url)) is not None:
            env[name] = value
    return env


def externally_configured(plan: Plan, environ: Mapping[str, str]) -> bool:
    """The user points the app at a MySQL: DATABASE_URL, or a MySQL variable the app reads, is set."""
    if environ.get("DATABASE_URL"):
        return True
    names = connection_env(plan, dict.fromkeys(("host", "port", "user", "password", "database"), ""), "", "")
    return any(environ.get(n) for n in names if n not in ("MYSQL_UNIX_PORT", "MYSQL_TCP_PORT"))


def unselected(plan: Plan, root: Path, environ: Mapping[str, str]) -> str | None:
    """Why no MySQL is brought though the plan names one: the app declares a MySQL driver that nothing selects
    (detect/services.py), never imports it, and writes SQLite settings (plan.sqlite); None otherwise."""
    if plan.settings.get("db") == "mysql" or not plan.sqlite:
        return None
    drivers = {normalize(d) for d in DRIVERS["mysql"]}
    declared = {normalize(d.name) for d in plan.dependencies} & drivers
    idle = {name for name, service in unselected_drivers(Project(root), plan.dependencies, environ).items()
            if service == "MySQL"}
    if not declared or declared - idle or _imports_driver(root):
        return None
    return f"{', '.join(sorted(declared))} is declared, but nothing in the app selects MySQL and it writes SQLite " \
           f"({plan.sqlite}): no MariaDB is started"


def _imports_driver(root: Path) -> bool:
    for tree in parsed(Project(root)).values():
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n.split(".")[0] in DRIVER_MODULES for n in names):
                return True
    return False


def server_port(plan: Plan, written: int | None = None) -> int:
    """Where the app's MariaDB listens: chosen as for PostgreSQL, with 3306 as the port an app that reads no URL
    or port variable connects to."""
    return database.server_port(plan, DEFAULT_PORT, written=written)


_LOCAL = frozenset({"", "localhost", "127.0.0.1", "::1"})


def local_literal(plan: Plan, logins: list[WrittenDatabase]) -> WrittenDatabase | None:
    """The login the code writes on this machine with no variable to set instead (`mysql+pymysql://root:pw@localhost
    /shop`): the app connects to its port, or to 3306 when it writes none, whatever serve's MariaDB listens on. Not
    Django's: its settings are overlaid with the server's host and port (django_database)."""
    if plan.framework == "django":
        return None
    return next((w for w in logins if not w.via and w.host.lower() in _LOCAL), None)


def aimed_port(literal: WrittenDatabase | None) -> int | None:
    """The port a written login's connections go to: its own, else the drivers' default."""
    return None if literal is None else literal.port or DEFAULT_PORT


def _follow_literal(server: MariaDBServer, literal: WrittenDatabase | None, say: Callable[[str], None]) -> list[str]:
    """When another program holds on 127.0.0.1 the port a written login connects to (another session's MariaDB on
    3306), serve's MariaDB listens on that port at another loopback address (127.0.0.2...), and the written host
    and port are mapped there in the app's process (run/host_aliases.py: socket.getaddrinfo, which PyMySQL and
    pure mysql-connector connect through; the host and port mysqlclient and the connector's C extension hand
    libmysqlclient), as for
    PostgreSQL's written ports (run/written_port.py). The `host:port` names mapped; [] when nothing moved."""
    port = aimed_port(literal)
    if literal is None or port is None or server.port == port \
            or (alias := database.loopback_alias(port)) is None:
        return []
    server.host, server.port = alias, port
    say(f"{literal.rel}:{literal.line} connects to MySQL on {literal.host or 'localhost'}:{port}, which "
        f"{holder(port)} holds on 127.0.0.1: the app's MariaDB listens on {alias}:{port}, where the app's "
        f"connections to localhost:{port} go (PyMySQL, mysql-connector, mysqlclient: mapped in its process; to use the server "
        f"on {port} instead: --db none)")
    return sorted({f"{h}:{port}" for h in ("localhost", "127.0.0.1", literal.host.lower() or "localhost")})


def _missing(plan: Plan) -> ShipyardError:
    reasons = "; ".join(s.reason for s in plan.services if s.name == "mysql") or "db = \"mysql\""
    return ShipyardError(
        f"this app needs MySQL ({reasons}); DATABASE_URL is not set and MariaDB's server programs "
        f"({'/'.join(mariadb.SERVERS)}, {'/'.join(mariadb.INSTALLERS)}, {'/'.join(mariadb.CLIENTS)}) are not installed",
        f"{mariadb.INSTALL_HINT}; or run without a database: --db none; or set DATABASE_URL")


def logins_taken(plan: Plan, root: Path) -> list[WrittenDatabase]:
    """The MySQL logins the app writes, but a default of a variable serve gives it (it never uses that one)."""
    given = connection_env(plan, dict.fromkeys(("host", "port", "user", "password", "database"), ""), "", "")
    return [w for w in written_logins(Project(root), database._settings_rel(plan, root), "mysql")
            if w.via not in given or w.via in database.keyed_url_only(plan, variable_part)]


def _usable(written: WrittenDatabase, say: Callable[[str], None]) -> bool:
    if written.user in mariadb.SYSTEM_USERS or written.database in mariadb.SYSTEM_DATABASES:
        say(f"warning: {written.rel}:{written.line} writes the app's database as user {written.user}, database "
            f"{written.database}, which MariaDB keeps to itself: the app will not get in; read the credentials "
            f"from DATABASE_URL (set by serve), or point it at a database of yours")
        return False
    return True


def _user_of(written: WrittenDatabase) -> str:
    """The user a written login connects as: its own, else the MySQL clients' default, the name of the user the
    app runs as (PyMySQL's getpass.getuser(), libmysqlclient's $USER), as serve runs it."""
    return written.user or getpass.getuser()


def _ensure_user(server: MariaDBServer, user: str, password: str, database: str) -> None:
    """The app's user on 127.0.0.1 and the socket ('%'), owning its database. The administrator (the system
    user's account, root as root: tutorials log in as root) keeps its socket login beside the password."""
    if user == server.admin:
        server.sql(f"ALTER USER {literal(user)}@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password "
                   f"USING PASSWORD({literal(password)})")
    server.sql(f"CREATE USER IF NOT EXISTS {literal(user)}@'%' IDENTIFIED BY {literal(password)}; "
               f"ALTER USER {literal(user)}@'%' IDENTIFIED BY {literal(password)}; "
               f"CREATE DATABASE IF NOT EXISTS {ident(database)}; "
               f"GRANT ALL PRIVILEGES ON {ident(database)}.* TO {literal(user)}@'%'")


def _load_schema(server: MariaDBServer, plan: Plan, root: Path, name: str, say: Callable[[str], None]) -> None:
    """The app's SQL file for its database (detect/mysql_schema.py), loaded while that database has no tables, for
    an app that makes none itself (no migrations, no init command)."""
    if plan.release is not None or plan.first_run is not None:
        return
    rel = mysql_schema.schema_file(root, name)
    if rel is None or server.sql(f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                                 f"{literal(name)}") not in ([], ["0"]):
        return
    # its CREATE DATABASE of the database serve made for the login (ERROR 1007) is no failure
    failed = [line for line in server.load(root / rel, name)
              if line.startswith("ERROR") and not line.startswith("ERROR 1007")]
    say(f"loaded {rel} into the app's database {name} (its tables, as `mysql < {rel}` does)"
        + (f"; {len(failed)} statement(s) failed, the last: {failed[-1]}" if failed else ""))


def _emptied(server: MariaDBServer, name: str) -> bool:
    """Drop the app's database and create it again when it holds tables; True when it did."""
    count = server.sql(f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = {literal(name)}")
    if count in ([], ["0"]):
        return False
    server.sql(f"DROP DATABASE {ident(name)}; CREATE DATABASE {ident(name)}")
    return True


@contextmanager
def app_mysql(plan: Plan, root: Path, *, say: Callable[[str], None], environ: Mapping[str, str] | None = None,
              urgent: Callable[[], bool] = lambda: False) -> Iterator[AppDatabase]:
    """The app's MySQL for one run (run/database.py's app_database for a MySQL app): the environment to import
    and run the app with, and the release to run once its environment is ready."""
    base = dict(os.environ if environ is None else environ)
    if externally_configured(plan, base):
        yield AppDatabase(base, label="MySQL")
        return
    if (why := unselected(plan, root, base)) is not None:
        say(why)
        yield AppDatabase(base, label="MySQL")
        return
    programs = mariadb.find_programs(base.get("PATH"))
    if programs is None:
        raise _missing(plan)
    folder = database.app_folder(plan, root, base, "mysql")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    server_dir = folder / "server"
    server_dir.mkdir(exist_ok=True, mode=0o700)
    owner = _Owner.free(folder, "MariaDB")
    log = database.fresh_log(server_dir / "server.log")
    run_dir = Path(tempfile.mkdtemp(prefix=SOCKET_PREFIX))
    logins = [w for w in logins_taken(plan, root) if _usable(w, say)]
    written_port = next((w.port for w in logins if w.port), None)
    server = MariaDBServer(programs, server_dir / "data", run_dir, server_port(plan, written_port), log)
    mapped = _follow_literal(server, local_literal(plan, logins), say)
    compose = database.compose_hosts(root, logins)
    wanted = written_port or DEFAULT_PORT
    if compose and not mapped and server.port != wanted and (alias := database.loopback_alias(wanted)) is not None:
        # the code connects to `db` on the port it writes (3306 when none), which another program holds on
        # 127.0.0.1: the MariaDB listens on that port at another loopback address, the one `db` is mapped to
        server.host, server.port = alias, wanted
    port_note = database.warn_port_taken(logins, server.port, ("MySQL", "MariaDB", "MYSQL_TCP_PORT"), say)
    started = False
    try:
        if (left := server.pid()) is not None:
            say(f"stopping the MariaDB an earlier run left behind (pid {left})")
            server.stop()
        created = not server.initialized
        if created:
            say(f"creating the app's MariaDB database in {folder} (kept between runs)")
            shutil.rmtree(server.data, ignore_errors=True)      # an earlier run's half-made folder
            server.init()
        owner.claim()
        for attempt in range(3):
            try:
                server.start()
                break
            except ShipyardError as exc:
                # another program took the port between our check and the server's bind
                if attempt == 2 or "port" not in exc.message.lower():
                    raise
                server.host, server.port, mapped = HOST, free_port(), []
        started = True
        user = name = database.db_name(plan.name)
        password = database._secret(folder / "password")
        if logins:
            # the first is the one the app most likely runs with: DATABASE_URL and the parts name it
            user, name, password = _user_of(logins[0]), logins[0].database, logins[0].password
        for written in logins:
            _ensure_user(server, _user_of(written), written.password, written.database)
            say(f"{written.rel}:{written.line} writes the app's database: its MariaDB gets user "
                f"{_user_of(written)}{' with that password' if written.password else ''} "
                f"and database {written.database}")
        if not logins:
            _ensure_user(server, user, password, name)
        _load_schema(server, plan, root, name, say)
        version = (server.sql("SELECT VERSION()") or ["?"])[0].split("-")[0]
        scheme = url_scheme(plan)
        login = f"{quote(user, safe='')}:{quote(password, safe='')}" if password else quote(user, safe='')
        url = f"{scheme}://{login}@{server.host}:{server.port}/{quote(name, safe='')}"
        parts = {"host": server.host, "port": str(server.port), "user": user, "password": password, "database": name}
        given = connection_env(plan, parts, url, str(server.socket))
        # a login the code writes at compose's host (`@db/app`, the MySQL service's name): pure-Python clients
        # (PyMySQL, aiomysql, mysql-connector's) resolve that name to this MariaDB's address, and the C ones
        # (mysqlclient, the connector's C extension) are handed it (run/host_aliases.py)
        given.update(host_aliases.aliases_env(mapped + compose, server.host, folder, base))
        if compose:
            say(f"the code connects to {', '.join(compose)} (compose's names): the app's MySQL connections to it "
                f"reach its MariaDB on {server.host}:{server.port}"
                + ("" if server.port == wanted else f" (port {wanted}, which the code connects to, is taken)"))
        run = AppDatabase({**base, **given}, url=url, folder=folder, created=created, parts=parts,
                          given=tuple(sorted(given)), empty=lambda: _emptied(server, name), label="MariaDB",
                          owed=database.first_run_owed(folder, created), port_note=port_note)
        others = sorted(n for n in given if n not in ("DATABASE_URL", "MYSQL_UNIX_PORT", "MYSQL_TCP_PORT",
                                                      host_aliases.VARIABLE, "PYTHONPATH"))
        say(f"MariaDB {version} for {plan.name}: database {name} on {server.host}:{server.port} (data in {folder}); "
            f"DATABASE_URL ({scheme}://) is set for the app"
            + (f", and {', '.join(others)}, which its code reads" if others else ""))
        yield run
    finally:
        if started or server.pid() is not None:
            server.stop(immediate=urgent())
            say(f"stopped the app's MariaDB (data kept in {folder})")
        owner.release()
        shutil.rmtree(run_dir, ignore_errors=True)
