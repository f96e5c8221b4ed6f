"""`serve` and `dev` bring the app's database: when the plan needs PostgreSQL and DATABASE_URL is not set, a
PostgreSQL of the app's own runs next to it, from the programs on this machine (run/postgres.py).

  * Data: one folder per app under the user's data folder ($XDG_DATA_HOME/shipyard/postgres/<app>-<hash of
    its path>, default ~/.local/share/...; /var/lib/shipyard/... for root, whose home the unprivileged server
    account cannot enter), kept between runs.
  * Server: a socket in a private run folder and a free 127.0.0.1 port (5432 when it is free and the app's code
    reads no URL or port variable: it connects to 5432, gino's default), started before the app and stopped
    (fast shutdown) after it, on every way out. One role and one database named after the app; the role's
    password is generated once and kept (0600) in the app's folder; made of digits when the app's settings
    class types it as a number (`POSTGRES_PASSWORD: int`).
  * Release: the plan's release command (migrations, loaders) runs when the database is new or the app's
    files changed since it last succeeded (a fingerprint of the command and the files' sizes and times,
    kept in the app's folder); `--migrate` runs it regardless. Release commands are idempotent by contract
    (compose runs them on every `up`), so a spurious re-run costs time, never data. A database this run
    created is emptied first when it already holds tables: the import proof ran the app's code against it
    (create_all at import), and migrations written to make those tables would fail on them.
  * Settings that write their role, password and database (Django's DATABASES with USER and NAME as strings,
    detect/written_db.py; a URL literal or one built from constants, alembic.ini's sqlalchemy.url, a config
    mapping or ini section of parts elsewhere, detect/written_urls.py) get those instead: the app cannot be
    told others. Each login written gets its role and database; the port a login writes is where the server
    listens when it is free. `postgres`, the role tutorials log in as, is an ordinary role here: the server's
    superuser is another (run/postgres.py). Only the app's one-time init script, when it logs in as postgres to
    create the app's role itself, runs with postgres as a superuser trusted on 127.0.0.1 (_as_superuser).
  * Compose's host names (`host='db'`, `@db:5432/app`, which resolve only on compose's network): a URL login on
    one is made like a localhost one, and the app gets PGHOSTADDR, the address libpq connects to whatever host
    name it is given (asyncpg, which ignores it, gets the name mapped to that address: run/host_aliases.py); when
    the port such a login writes is held on 127.0.0.1, the server listens on it at another loopback address
    (127.0.0.2...), where a written `localhost:PORT` is taken too: through PGHOSTADDR for libpq, through the same
    host map, for that port only, for asyncpg and pg8000 (run/written_port.py).
  * The app gets DATABASE_URL, and the parts (PGHOST, POSTGRES_PASSWORD...) under the names its code reads
    (and Django's PostgreSQL backend under a variable its settings read as the ENGINE: POSTGRES_ENGINE);
    libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE always, for what its connection leaves out
    (settings that name a host but no port would reach 5432, where the app's server does not listen). A
    variable named like a part whose value in the app is a URL scheme (POSTGRES_NAME = "postgresql") is left.
  * The server offers SSL with a certificate naming 127.0.0.1, which the app trusts (PGSSLROOTCERT, SSL_CERT_FILE:
    run/pg_trust.py): an app written for hosted PostgreSQL that verifies it (asyncpg's ssl=True) connects.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Collection, Iterable, Iterator, Mapping
from urllib.parse import quote

from ..errors import ShipyardError
from ..dburl import url_scheme
from ..detect.engine_vars import POSTGRES_BACKEND, engine_variables
from ..detect.implied import SQL_SERVICES
from ..detect.services import env_reads
from ..detect.written_db import RESERVED_DATABASES, WrittenDatabase
from ..detect.code_hosts import service_host, unresolved_hosts
from ..detect.written_urls import written_logins
from ..detect.db_part_vars import template_ports
from ..plan import Plan
from ..project import Project
from . import host_aliases, pg_trust, postgres, procs
from .ports import free_port, port_free
from .appenv import AppEnv
from .migrate import run_migrations, said_above
from .postgres import PostgresServer
from .written_port import aliased_address, hostaddr_env, holder, libpq_literal, own_protocol_literal, own_protocol_note

HOST = "127.0.0.1"
DEFAULT_PORT = 5432
SOCKET_PREFIX = "shipyard-pg-"
LOG_LIMIT = 10 * 1024 * 1024          # the server log starts over beyond this
# a qualifier after it too: the Bookly course's pydantic-settings DATABASE_URL_LOCAL and DATABASE_URL_REMOTE (a Neon
# database), both required, or DATABASE_URL_ASYNC beside a sync one: each is the app's URL under a name of its own
# with a word for "connection" between (DATABASE_STRING_URL, DB_CONNECTION_URL), or the connection string itself
# (DATABASE_CONNECTION_STRING, DB_CONN_STR: Azure's name for it)
_URL_NAME = re.compile(r"(?:[A-Z0-9]+_)?(?:DATABASE|DB|POSTGRES|POSTGRESQL|PG)_"
                       r"(?:(?:(?:CONNECTION|CONN|STRING|CONNECTION_STRING)_)?(?:URL|URI|DSN)(?:_[A-Z0-9]+)?|"
                       r"CONNECTION_STRING|CONN_STRING|CONN_STR|CONNSTR)|SQLALCHEMY_DATABASE_URI")
_PARTS = {"HOST": "host", "HOSTNAME": "host", "SERVER": "host", "PORT": "port", "USER": "user", "USERNAME": "user",
          "PASSWORD": "password", "PASS": "password", "PASSWD": "password", "PWD": "password", "PW": "password",
          "NAME": "database", "DB": "database", "DBNAME": "database", "DATABASE": "database"}
# libpq's own defaults for what a connection leaves out: Django's DATABASES with HOST/NAME/USER but no PORT,
# psycopg2.connect(host=...) without one, reach the app's server on its free port, not 5432
LIBPQ_DEFAULTS = {"PGHOST": "host", "PGPORT": "port", "PGUSER": "user", "PGPASSWORD": "password",
                  "PGDATABASE": "database"}
# "DB" unseparated: DBHOST/DBUSER/DBPASS/DBNAME (Azure's Flask and Django samples), as "PG" gives PGHOST;
# "RDS_": the names AWS Elastic Beanstalk gives an attached RDS database (RDS_HOSTNAME, RDS_USERNAME, RDS_PORT)
_PART_PREFIXES = ("POSTGRES_", "POSTGRESQL_", "DATABASE_", "DB_", "PG", "DB", "RDS_")
# a part under the app's own naming: after a settings prefix (Dynaconf's CONDUIT_POSTGRES_HOST), with
# pydantic-settings' nested delimiter (DATABASE__HOSTNAME), or testdrivenio's SQL_HOST/SQL_DATABASE
# (MySQL's: APP_MYSQL_PASSWORD, DB_MYSQL_USER, APP_DB_NAME)
_OWN_PART = {"postgres": re.compile(r"(?:\w+_)?(?:POSTGRES|POSTGRESQL|DATABASE|DB|PG|SQL)__?([A-Z]+)", re.IGNORECASE),
             "mysql": re.compile(r"(?:\w+_)?(?:MYSQL|MARIADB|DATABASE|DB|SQL)__?([A-Z]+)", re.IGNORECASE)}
# ...unless the name says it is another store's, or the tests' database
_OTHER_STORES = r"MONGO|REDIS|SQLITE|MSSQL|ORACLE|RABBIT|AMQP|ELASTIC|CLICKHOUSE|INFLUX|CASSANDRA|NEO4J|TEST"
_NOT_OURS = {"postgres": re.compile(rf"{_OTHER_STORES}|MYSQL|MARIA", re.IGNORECASE),
             "mysql": re.compile(rf"{_OTHER_STORES}|POSTGRES|PG_|^PG", re.IGNORECASE)}


@dataclass
class AppDatabase:
    """What the app runs with: `environ` carries the database's variables (unchanged when not ours)."""

    environ: dict[str, str]
    url: str | None = None
    folder: Path | None = None
    created: bool = False          # the data folder was made by this run
    parts: dict[str, str] = field(default_factory=dict)   # host, port, user, password, database (ours)
    given: tuple[str, ...] = ()    # the variables set to point the app at ours (DATABASE_URL, PGHOST...)
    left: tuple[str, ...] = ()     # part-like variables left to the app (their value is a URL scheme)
    notes: list[str] = field(default_factory=list)
    # drops and creates the database again when it holds tables; True when it did (ours only)
    empty: Callable[[], bool] | None = field(default=None, repr=False, compare=False)
    # the app's init script run as the superuser it logs in as (as_superuser; ours only)
    superuser: Callable[[Plan, Path], object] | None = field(default=None, repr=False, compare=False)
    # stores the role's password as md5, for a client whose libpq predates SCRAM (ours only)
    md5_password: Callable[[], None] | None = field(default=None, repr=False, compare=False)
    label: str = "PostgreSQL"      # the server, as said ("MariaDB" for a MySQL app: run/mysql_database.py)
    # made by a run (this one or an earlier one that stopped before it) whose first release or init command has
    # not run yet: this run owes it, as to a database it created (first_run_owed)
    owed: bool = False
    # the port a login the app writes names is another program's (warn_port_taken): what to do when the release,
    # which then reaches that program, fails
    port_note: str = ""
    # the app's own tables and other relations in its databases (ours only): a first run that leaves none failed
    relations: Callable[[], int] | None = field(default=None, repr=False, compare=False)
    # creates a schema in the app's database, owned by its role (ours only): _missing_schema
    make_schema: Callable[[str], None] | None = field(default=None, repr=False, compare=False)
    # the files under the app's folder before its import check (run/first_run.files_before), set by serve and dev:
    # a SQLite file the import made is a new database for the first run
    files_before: frozenset[Path] | None = field(default=None, repr=False, compare=False)
    # the app's first-run step ran before its import check (first_run_for_import): not again in its release
    first_ran: bool = False

    @property
    def fresh(self) -> bool:
        """Whether the database has not had its first run: created by this run, or owed one."""
        return self.created or self.owed

    def fit_client(self, env: AppEnv, say: Callable[[str], None]) -> None:
        """An app whose psycopg2 wheel bundles a libpq older than 10 (psycopg2 2.7's 9.6) cannot log in with SCRAM,
        PostgreSQL's default ("authentication method 10 not supported"): its role's password is stored as md5."""
        if self.md5_password is None:
            return
        version = libpq_version(env)
        if version and version < 100000:
            self.md5_password()
            say(f"the app's psycopg2 bundles libpq {version // 10000}.{version // 100 % 100}, older than SCRAM logins "
                f"(PostgreSQL 10): its PostgreSQL role logs in with md5 instead")

    @property
    def own(self) -> bool:
        return self.url is not None

    def release(self, plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None], *,
                force: bool = False) -> bool:
        """Run the plan's release command into our database when it is new, the app changed since the last
        successful run, or `force`; True when it ran. A database that is not ours is left alone."""
        if not self.own:
            return False
        if plan.release is None:
            done = self._first_run(plan, root, env, say)
            if done or plan.first_run is None:
                (self.folder / OWED).unlink(missing_ok=True)
            return done
        marker = self.folder / "release.json"
        fingerprint = release_fingerprint(plan, root)
        try:
            last = json.loads(marker.read_text()).get("fingerprint")
        except (OSError, ValueError, AttributeError):
            last = None
        if not (force or self.fresh) and last == fingerprint:
            say(f"{plan.release.what}: already applied to this database (the app is unchanged since; "
                f"--migrate runs it again)")
            return False
        self._emptied_before(plan.release.what, say)
        say(f"running {plan.release.what} against the app's {self.label}")
        made: list[str] = []
        collected = False
        while True:
            try:
                self.notes = run_migrations(plan, root, env, environ=self.environ, database_url=self.url,
                                            fresh=self.fresh)
                break
            except ShipyardError as exc:
                if (schema := self._missing_schema(exc, made)) is not None:
                    say(f"the migrations write into schema {schema}, which none of them creates (the app's own "
                        f"start-up does, after them): created it in the app's new {self.label}, and ran them again")
                    made.append(schema)
                    continue
                if not collected and _MISSING_MANIFEST.search(exc.message):
                    # urls.py's RedirectView(url=staticfiles_storage.url('favicon.ico')) under a manifest storage
                    # and DEBUG off: migrate's checks import it, and only collectstatic writes the manifest, which
                    # an image's build runs before its release (and serve after it)
                    from .django_static import collect_static
                    say(f"{plan.release.what} imports code that asks the manifest static storage for a file, which "
                        "only collectstatic writes: collecting the static files first, as an image's build does "
                        "before its release, and running it again")
                    collected = True
                    if collect_static(plan, root, env, say, environ=self.environ):
                        continue
                if not self.port_note:
                    raise
                raise ShipyardError(exc.message, self.port_note) from None
        for line in self.notes:
            say(line)
        marker.write_text(json.dumps({"fingerprint": fingerprint, "command": list(plan.release.argv)}) + "\n")
        (self.folder / OWED).unlink(missing_ok=True)
        return True


    def made_missing_schema(self, exc: ShipyardError, made: list[str]) -> str | None:
        """The schema an import check that failed on it writes into, made in the app's new database (as for the
        release: _missing_schema); None otherwise. A Flask-AppBuilder app's import runs create_all into models of
        schema "flaskdb", which the compose file's initdb.sh creates before the app's first start."""
        return self._missing_schema(exc, made)

    def _missing_schema(self, exc: ShipyardError, made: list[str]) -> str | None:
        """The PostgreSQL schema a failed release wrote into that does not exist, made here (and returned) when the
        database is new (a migration creating `shared.tenant` for an app whose start-up runs CREATE SCHEMA, after
        serve has migrated); None otherwise. A few at most, each once: the same error again is the app's own."""
        found = _MISSING_SCHEMA.search(exc.message)
        if not (found and self.fresh and self.make_schema is not None and len(made) < 5
                and found.group(1) not in made):
            return None
        self.make_schema(found.group(1))
        return found.group(1)

    def first_run_for_import(self, exc: ShipyardError, root: Path, say: Callable[[str], None]) -> bool:
        """An import check that failed reading a table or view the app's new database lacks (a view its README's
        `python init.py` makes, which the app reads at import), in an environment installed for it
        (AppLoadError.environment): the app's known first-run step run there now, as a deploy runs it before
        the app starts; True when it ran and the import is to be checked again. Only on a database this run
        made: serve's own server (fresh), or a SQLite file the import check has just made or the step creates;
        never on one that holds data already."""
        from .first_run import files_before, made_sqlite_files, run_first_run
        env, plan = getattr(exc, "environment", None), getattr(exc, "plan", None)
        missing = _MISSING_RELATION.search(exc.message)
        if missing is None or env is None or not isinstance(plan, Plan) or plan.first_run is None \
                or plan.release not in (None, plan.first_run):
            return False
        relation = next(g for g in missing.groups() if g)
        if self.own:
            if not self.fresh:
                return False
            say(f"importing the app reads {relation}, which the app's new {self.label} lacks: its first-run step "
                f"makes it, so it runs before the import is checked again")
            self.first_ran = self._first_run(plan, root, env, say)
            return self.first_ran
        command = plan.first_run
        files = [root / command.workdir / f for f in command.files] or made_sqlite_files(root, self.files_before)
        if not files:
            return False
        say(f"importing the app reads {relation}, which its new SQLite database lacks: its first-run step makes "
            f"it, so it runs before the import is checked again")
        # an empty file among them is what an earlier import check's sqlite3.connect left (inspect's, before
        # serve): no data, so the step still runs on it
        empty = {f for f in files if f.is_file() and f.stat().st_size == 0}
        before = None if self.files_before is None else \
            self.files_before - empty - {f.resolve() for f in empty}
        if not run_first_run(plan, root, env, say, self.environ, files, before):
            return False
        self.files_before = files_before(root)      # the database is made: the user's from now on
        return True

    def _first_run(self, plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None]) -> bool:
        """The app's own init command (it may clear data: detect/first_run.py) on a database this run
        created, or one that still owes it (its first run failed, or never came); never on a database that has
        had one."""
        if self.first_ran:
            return True      # before the import check (first_run_for_import)
        # what marked a failed first run before first_run_owed did, in data folders made then
        pending = self.folder / "first-run.pending"
        if plan.first_run is None or not (self.fresh or pending.exists()):
            return False
        self._emptied_before(plan.first_run.what, say)
        say(f"running {plan.first_run.what} against the app's new {self.label}, once (it initialises the database)")
        try:
            with self.superuser(plan, root) if self.superuser is not None else nullcontext():
                self.notes = run_migrations(dataclasses.replace(plan, release=plan.first_run), root, env,
                                            environ=self.environ)
        except ShipyardError as exc:
            # Shipyard's guess from the source, not the user's command: the app starts anyway; tried next run
            say(f"warning: {exc.message}{said_above(exc)}; the app starts with an empty database "
                f"(run again to retry)")
            return False
        if self.relations is not None and self.relations() == 0:
            # a command that catches its own errors and exits 0 (a `migrate` that prints the exception): the run
            # is not taken as done, so the next one tries again
            say(f"warning: {plan.first_run.what} exited 0 but made no table in the app's new {self.label} (did it "
                f"catch its own error? its output is above); the app starts with an empty database (run again to "
                f"retry)")
            return False
        pending.unlink(missing_ok=True)
        return True


    def _emptied_before(self, what: str, say: Callable[[str], None]) -> None:
        """A database made by this run (or by one that stopped before its first run) holds only what the import
        proof's runs of the app's code put there (tables its create_all makes at import): empty it, so `what` starts from the empty database a deploy's
        release starts from, as the app's own commands would have."""
        if self.fresh and self.empty is not None and self.empty():
            say(f"the app's code made tables in its new {self.label} when Shipyard imported it to prove the entry "
                f"(create_all at import?): emptied again before {what}, which starts from an empty database")


OWED = "first-run.owed"      # in the app's database folder: made with the database, gone after its first run
# PostgreSQL's error for a table made in a schema nobody created (psycopg2 and asyncpg word it alike)
_MISSING_MANIFEST = re.compile(r"Missing staticfiles manifest entry for ")
_MISSING_SCHEMA = re.compile(r'schema "([^"]{1,63})" does not exist')
# a table or view the database lacks, as SQLite, PostgreSQL, MySQL and SQLAlchemy's reflection say it
_MISSING_RELATION = re.compile(r'no such (?:table|view): ([\w.]+)|relation "([^"]{1,127})" does not exist'
                               r"|Table '([^']{1,127})' doesn't exist|NoSuchTableError: ([\w.]+)")


def first_run_owed(folder: Path, created: bool) -> bool:
    """Whether the database in `folder` still owes its first run (migrations, the app's init command): one this run
    created (marked, so a run that stops before that run leaves it owed), or one an earlier run created and
    stopped before running it (an import that failed, Ctrl-C during the install)."""
    marker = folder / OWED
    if created:
        marker.touch()
    return marker.exists()


def libpq_version(env: AppEnv) -> int:
    """The libpq version psycopg2 in the app's environment was built with (90605), 0 when it has none."""
    code = "import psycopg2; print(getattr(psycopg2, '__libpq_version__', 0))"
    try:
        done = subprocess.run([env.python, "-c", code], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip().isdigit() else 0


def data_home(environ: Mapping[str, str]) -> Path:
    xdg = environ.get("XDG_DATA_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "shipyard"
    if os.geteuid() == 0:
        return Path("/var/lib/shipyard")
    return Path(environ.get("HOME") or Path.home()) / ".local" / "share" / "shipyard"


def app_folder(plan: Plan, root: Path, environ: Mapping[str, str], kind: str = "postgres") -> Path:
    """The app's own folder of `kind` (postgres, redis, apps) under the user's data folder, one per checkout."""
    digest = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:8]
    return data_home(environ) / kind / f"{plan.name}-{digest}"


def db_name(app: str) -> str:
    """A role and database name from the app's name: lower-case letters, digits, underscores."""
    name = re.sub(r"[^a-z0-9_]+", "_", app.lower()).strip("_")[:40] or "app"
    if name[0].isdigit() or name in (postgres.SUPERUSER, postgres.OLD_SUPERUSER) or name.startswith("pg_"):
        name = f"app_{name}"
    return name


# URL schemes by the server they reach: an example file's URL is ours to aim only when it names our server's kind
_SCHEME_SERVER = {"postgres": "postgres", "postgresql": "postgres", "pgsql": "postgres",
                  "mysql": "mysql", "mariadb": "mysql"}


def pointed_here(value: str, url: str) -> str | None:
    """`value` (a database URL under another name, from the app's example env file) aimed at our database
    `url`, keeping its own scheme (the driver its reader expects); None when it is not a URL of the server `url`
    is (PostgreSQL's, or MariaDB's for a MySQL app)."""
    scheme, sep, _ = value.partition("://")
    server = _SCHEME_SERVER.get(url.partition("://")[0].split("+")[0].lower())
    if not sep or server is None or _SCHEME_SERVER.get(scheme.split("+")[0].lower()) != server:
        return None
    return f"{scheme}://{url.partition('://')[2]}"


def example_drivers(given: Mapping[str, str], example: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The URLs Shipyard gives the app under names its example env file also sets (DATABASE_URL), with the driver
    that file writes for the same name (`postgresql+psycopg://...`) where ours names none: Shipyard could not
    choose one (the app declares two drivers, async psycopg and sync psycopg2, one URL variable for each), and
    SQLAlchemy's default for a plain URL (psycopg2) fails an async engine. Only a driver of our server's kind."""
    out = {}
    for name, value in example:
        ours = given.get(name, "")
        if "://" not in ours or "+" in ours.partition("://")[0] or "+" not in value.partition("://")[0]:
            continue
        if (here := pointed_here(value, ours)) is not None:
            out[name] = here
    return out


def part_named(name: str, service: str = "postgres") -> str | None:
    """host, port, user, password or database for a variable that names a part of the app's PostgreSQL connection
    (`service` mysql: its MySQL one) under a naming of its own (CONDUIT_POSTGRES_HOST, DATABASE__HOSTNAME,
    APP_DB_NAME); None otherwise."""
    m = _OWN_PART[service].fullmatch(name)
    if not m or _NOT_OURS[service].search(name):
        return None
    return _PARTS.get(m.group(1).upper())


def variable_part(name: str) -> str | None:
    """"url" for a variable that holds the app's PostgreSQL URL, host, port, user, password or database for one
    that holds that part of it, None for any other variable."""
    if _URL_NAME.fullmatch(name):
        return "url"
    for prefix in _PART_PREFIXES:
        if name.startswith(prefix) and (part := _PARTS.get(name[len(prefix):])):
            return part
    return part_named(name)


def app_part(name: str, keyed: Mapping[str, str], named: str | None) -> str | None:
    """The part the app's code puts `name` in: what its name says (`named`), else where the code puts it (`keyed`),
    which also wins over a name that says URL when the code puts it in a URL's slot (POSTGRES_URL in
    f"postgresql://{USER}:{PW}@{POSTGRES_URL}/{DB}" holds host:port)."""
    if keyed.get(name) and named in (None, "url"):
        return keyed[name]
    return named


def keyed_parts(plan: Plan) -> dict[str, str]:
    """The variables the app's code reads as its SQL database's URL or a part of it under names of its own, by
    where it puts them (detect/db_part_vars.py): a Django DATABASES entry's "USER": env("NEON_USER"), a Flask
    config's SQLALCHEMY_DATABASE_URI = environ.get("ANAKONDA_API_DATABASE_URI")."""
    return dict(next((s.parts for s in plan.services if s.name in SQL_SERVICES and s.parts), ()))


def connection_env(plan: Plan, parts: Mapping[str, str], url: str, leave: frozenset[str] = frozenset()
                   ) -> dict[str, str]:
    """DATABASE_URL, plus every database variable the app's code reads (another URL name, or the parts), but
    those in `leave`, and a part named with a prefix of the app's own that an unprefixed name of the app
    already gives: beside PG_DB, TODO_DB_NAME (default "todos") names a table, not the database."""
    env = {"DATABASE_URL": url}
    keyed = keyed_parts(plan)
    found = {name: part for name in plan.env_vars
             if name not in leave and (part := app_part(name, keyed, variable_part(name)))}
    plain = {part for name, part in found.items() if name in keyed or not _own_prefixed(name)}
    for name, part in found.items():
        if name in keyed or not _own_prefixed(name) or part not in plain:
            if (value := part_value(part, parts, url)) is not None:
                env[name] = value
    return env


def part_value(part: str, parts: Mapping[str, str], url: str) -> str | None:
    """The value of one part of the connection: the URL itself, the scheme the app puts first in a URL it builds
    (`f"{DB_TYPE}://..."`: the URL's own, its driver included) or the dialect before a driver it adds itself
    (`f"{DIALECT}+asyncpg://"`), Pony ORM's provider name for the server ("postgres", "mysql"), else the host,
    port, user, password or database. None for a scheme or a provider while no URL
    is known (a listing of the names), host:port for a host slot that carries the port (db_part_vars "hostport")."""
    if part == "url":
        return url
    if part == "hostport":
        return f"{parts['host']}:{parts['port']}"
    if part in ("scheme", "dialect", "provider"):
        if "://" not in url:
            return None
        scheme = url.partition("://")[0]
        if part == "provider":
            # Pony ORM's name of the server (`db.bind(provider=config.PROVIDER, ...)`): "postgres", "mysql"
            return "mysql" if scheme.split("+")[0] in ("mysql", "mariadb") else "postgres"
        return scheme.split("+")[0] if part == "dialect" else scheme
    return parts[part]


# a part after a prefix of the app's own (TODO_DB_NAME, CONDUIT_POSTGRES_HOST): part_named's names but PG_DB's
_UNPREFIXED_PART = re.compile(r"(?:POSTGRES|POSTGRESQL|DATABASE|DB|PG|SQL)__?[A-Z]+", re.IGNORECASE)


def _own_prefixed(name: str) -> bool:
    """Whether only part_named reads `name` as a part, through a prefix of the app's own before it."""
    return not _URL_NAME.fullmatch(name) \
        and not any(name.startswith(p) and name[len(p):] in _PARTS for p in _PART_PREFIXES) \
        and part_named(name) is not None and not _UNPREFIXED_PART.fullmatch(name)


def engine_env(plan: Plan, root: Path, app_values: Mapping[str, str]) -> dict[str, str]:
    """Django's PostgreSQL backend under each variable the app's settings read as their DATABASES ENGINE
    (detect/engine_vars.py), but one the app's own files set to a PostgreSQL backend already (PostGIS's)."""
    if plan.framework != "django":
        return {}
    return {name: POSTGRES_BACKEND for name in engine_variables(Project(root))
            if "postg" not in app_values.get(name, "").lower()}


# a scheme, not a name: bare "postgres" is the usual user and database name too
_SCHEME_VALUE = re.compile(r"postgresql(?:\+\w+)?|postgres\+\w+", re.IGNORECASE)


def scheme_parts(plan: Plan, root: Path, app_values: Mapping[str, str]) -> tuple[str, ...]:
    """The variables named like a part (POSTGRES_NAME reads as the database's name) whose value, as the app's
    code (a default) or its own files (`app_values`: its example env or compose file) give it, is a URL scheme
    (`postgresql`, `postgresql+asyncpg`): the app builds its URL's scheme from them, which is not ours to set."""
    mark = "\0part"
    parts = connection_env(plan, dict.fromkeys(("host", "port", "user", "password", "database"), mark), "")
    given = [(r.name, r.default_text) for r in env_reads(Project(root))] + list(app_values.items())
    return tuple(sorted({name for name, value in given if parts.get(name) == mark and value
                         and _SCHEME_VALUE.fullmatch(value.strip())}))


def server_port(plan: Plan, default: int = DEFAULT_PORT, *, written: int | None = None) -> int:
    """Where the app's PostgreSQL listens: the port a login the app writes names (`written`: a URL's :5432)
    when it is free; else a free port, unless the app's code reads neither a URL nor a port variable (PGHOST,
    PGUSER... and a library's default port, or `:5432` written in its code): then `default`, the port it
    connects to, when that is free."""
    if written and port_free(HOST, written):
        return written
    keyed = keyed_parts(plan)
    if not written and not any(app_part(name, keyed, variable_part(name)) in ("url", "port", "hostport")
                               for name in plan.env_vars) \
            and port_free(HOST, default):
        return default
    return free_port()


def externally_configured(plan: Plan, environ: Mapping[str, str]) -> bool:
    """The user points the app at a database: DATABASE_URL, or a database variable the app reads, is set."""
    if environ.get("DATABASE_URL"):
        return True
    names = connection_env(plan, dict.fromkeys(("host", "port", "user", "password", "database"), ""), "")
    return any(environ.get(n) for n in names)


# readers of a database URL whose reads the app's code need not spell (dj_database_url.config(): DATABASE_URL)
URL_READERS = frozenset({"dj-database-url", "dj-db-url", "django-environ", "environs", "django-configurations"})


def unselected(plan: Plan, root: Path) -> str | None:
    """Why no PostgreSQL is started though the plan names one (as run/mysql_database.py's for MySQL): the app
    writes SQLite settings (plan.sqlite: Django's DATABASES a literal sqlite3 dict), declares a PostgreSQL driver
    (a freeze's psycopg2-binary) that nothing selects: no PostgreSQL URL, engine or dialect in its files
    (detect/services.py's string hints), no driver its code imports, no login it writes, and no database variable
    (URL, part, ENGINE) it reads nor a URL reader it declares (dj-database-url), through which DATABASE_URL or a
    compose service could select it. None otherwise (`--db postgres` too)."""
    from ..detect.deps import normalize
    from ..detect.implied import DRIVERS
    from ..detect.services import _imported_distributions
    from ..detect.source import string_hints
    if plan.settings.get("db") == "postgres" or not plan.needs_postgres or not plan.sqlite:
        return None
    drivers = {normalize(d) for d in DRIVERS["postgres"]}
    names = {normalize(d.name) for d in plan.dependencies}
    declared = names & drivers
    project = Project(root)
    if not declared or names & URL_READERS or _imported_distributions(project) & drivers:
        return None
    if any(h.service == "postgres" for h in string_hints(project)) or engine_variables(project):
        return None
    if any(s.variables or s.parts for s in plan.services if s.name == "postgres"):
        return None
    if any(variable_part(n) or part_named(n) for n in plan.env_vars) or logins_taken(plan, root):
        return None
    return f"{', '.join(sorted(declared))} is declared, but nothing in the app selects PostgreSQL and it writes " \
           f"SQLite ({plan.sqlite}): no PostgreSQL is started"


def without_unselected(plan: Plan, root: Path, say: Callable[[str], None]) -> Plan:
    """`plan` run on its SQLite file, as `--db none` runs it, when its PostgreSQL driver is one nothing selects
    (unselected: said); `plan` itself otherwise. The whole run then treats it as the SQLite app it is: no server,
    no DATABASE_URL asked for, its SQLite database migrated when missing."""
    if (why := unselected(plan, root)) is None:
        return plan
    say(why)
    return dataclasses.replace(plan, settings={**plan.settings, "db": "none"})


def release_fingerprint(plan: Plan, root: Path) -> str:
    """Changes when the release command or any of the app's files (size, time) changes."""
    command = [plan.release.argv, plan.release.workdir, *([plan.release.env] if plan.release.env else [])] \
        if plan.release else None
    digest = hashlib.sha256(json.dumps(command).encode())
    for rel in Project(root).files:
        try:
            st = (root / rel).stat()
        except OSError:
            continue
        digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def numeric_password_reads(plan: Plan, root: Path) -> tuple[str, ...]:
    """The variables the app reads our password from (POSTGRES_PASSWORD...) that its code types as a number (a
    settings class's `POSTGRES_PASSWORD: int`): a password with letters would fail its import."""
    mark = "\0password"
    names = {name for name, value in connection_env(plan, {"host": "", "port": "", "user": "", "database": "",
                                                           "password": mark}, "").items() if value == mark}
    return tuple(sorted({r.name for r in env_reads(Project(root)) if r.numeric and r.name in names}))


def numeric_secret() -> str:
    """A password of 32 digits (over 100 bits), the first not 0: an int of it prints the same."""
    return str(10 ** 31 + secrets.randbelow(9 * 10 ** 31))


def _secret(path: Path, *, digits: bool = False) -> str:
    """A password kept in `path` (0600), made on first use. URL-safe, so it needs no escaping in DATABASE_URL.
    `digits`: only digits (numeric_secret)."""
    if path.is_file():
        value = path.read_text().strip()
        if value and (value.isdigit() or not digits):
            return value
    value = numeric_secret() if digits else secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value


def _missing(plan: Plan, configured: str | None) -> ShipyardError:
    reasons = "; ".join(s.reason for s in plan.services if s.name == "postgres") or "db = \"postgres\""
    where = f"postgres_bin = {configured}" if configured else f"PATH and {postgres.DEBIAN_ROOT}/*/bin"
    return ShipyardError(
        f"this app needs PostgreSQL ({reasons}); DATABASE_URL is not set and PostgreSQL's server programs "
        f"({', '.join(postgres.PROGRAMS)}) are not installed (looked in {where})",
        f"{postgres.INSTALL_HINT}; or run without a database: --db none; or set DATABASE_URL")


class _Owner:
    """Which Shipyard process runs the app's server: a second `serve` of the same app is refused, and a server
    left behind by one that was killed outright is stopped and started afresh."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "owner.pid"

    def other(self) -> int | None:
        try:
            pid = int(self.path.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if pid != os.getpid() and procs.alive(pid) else None

    @classmethod
    def free(cls, folder: Path, server: str) -> "_Owner":
        """The owner record of `folder`, refused when another Shipyard runs that app's `server`."""
        owner = cls(folder)
        other = owner.other()
        if other is not None:
            raise ShipyardError(f"the app's {server} is in use by another Shipyard (pid {other})",
                                "stop that one first, or point this run at a database with DATABASE_URL")
        return owner

    def claim(self) -> None:
        self.path.write_text(f"{os.getpid()}\n")

    def release(self) -> None:
        self.path.unlink(missing_ok=True)


@contextmanager
def app_database(plan: Plan, root: Path, *, say: Callable[[str], None], environ: Mapping[str, str] | None = None,
                 urgent: Callable[[], bool] = lambda: False,
                 app_values: Mapping[str, str] | None = None) -> Iterator[AppDatabase]:
    """The app's database for one run, started before the app is imported (its settings may read
    DATABASE_URL at import). Yields the environment to import and run the app with; the caller runs the
    release (AppDatabase.release) once the app's environment is ready. `plan` may be the static one.
    `app_values`: what the app's own example env and compose files set (appconfig.py)."""
    base = dict(os.environ if environ is None else environ)
    if plan.needs_mysql:
        from .mysql_database import app_mysql          # a MariaDB instead (it builds on this module)
        with app_mysql(plan, root, say=say, environ=base, urgent=urgent) as db:
            yield db
        return
    if not plan.needs_postgres or externally_configured(plan, base):
        yield AppDatabase(base)
        return
    folder = app_folder(plan, root, base)
    server_dir = folder / "server"
    configured = plan.settings.get("postgres_bin")
    data_version = _data_version(server_dir / "data")
    binaries, _ = postgres.find_binaries(configured, version=data_version)
    if binaries is None:
        raise _missing(plan, configured)
    if data_version is not None and binaries.version != data_version:
        raise ShipyardError(f"the app's PostgreSQL data ({server_dir / 'data'}) is version {data_version}, and "
                            f"only PostgreSQL {binaries.version} is installed",
                            f"install PostgreSQL {data_version}'s server, or upgrade the data with pg_upgrade, "
                            f"or move the folder away to start empty")

    account = postgres.service_account()
    blocked = postgres.reachable(folder, account)
    if blocked is not None:
        raise ShipyardError(f"the app's PostgreSQL runs as the `{account.name}` account (PostgreSQL refuses "
                            f"root), which cannot enter {blocked}",
                            "set XDG_DATA_HOME to a folder other accounts may pass through, or set DATABASE_URL, "
                            "or run without a database: --db none")

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    server_dir.mkdir(exist_ok=True, mode=0o700)
    postgres.give(server_dir, account)
    if account is not None:
        for parent in (folder, folder.parent, folder.parent.parent):
            parent.chmod(parent.stat().st_mode | 0o001)          # let the account pass through, not list
    owner = _Owner.free(folder, "PostgreSQL")
    log = fresh_log(server_dir / "server.log")
    socket_dir = Path(tempfile.mkdtemp(prefix=SOCKET_PREFIX))
    postgres.give(socket_dir, account)
    logins = logins_taken(plan, root)
    # a URL template that writes its port beside a host variable (`...@{host}:{port}/...` with POSTGRES_PORT =
    # 5432): the port is the code's, the host serve's to give
    templated = next(iter(template_ports(Project(root))), None) if not any(w.port for w in logins) else None
    written_port = next((w.port for w in logins if w.port), None) or templated
    host, port = HOST, server_port(plan, written=written_port)
    compose = compose_hosts(root, logins)
    literal = libpq_literal(plan, logins, written_port) if written_port and port != written_port else None
    # ...or through asyncpg/pg8000, which read no PGHOSTADDR: that host:port mapped in the app's process instead
    own = own_protocol_literal(plan, logins, written_port) if written_port and port != written_port else None
    # a login that writes its port and no host (asyncpg.create_pool(database=..., port=5432)) connects to PGHOST
    hostless = any(w.port == written_port and not w.host for w in logins)
    if (compose or literal or own or hostless or templated) and written_port and port != written_port \
            and (alias := loopback_alias(written_port)) is not None:
        # `@db:5432`, or `localhost:5432` written in the code, with 127.0.0.1:5432 taken: another loopback address
        # holds the written port, where libpq's connections go (PGHOSTADDR; run/written_port.py), and a host-less
        # login's (PGHOST)
        host, port = alias, written_port
    server = PostgresServer(binaries, server_dir / "data", socket_dir, port, log,
                            options={"listen_addresses": host} if host != HOST else None)
    started = False
    try:
        if server.initialized and server.running():
            say(f"stopping the PostgreSQL an earlier run left behind (pid {server.pid()})")
            left = server.socket_dir_in_use()
            server.stop()
            if left is not None and left.name.startswith(SOCKET_PREFIX) and left.parent == socket_dir.parent:
                shutil.rmtree(left, ignore_errors=True)
        created = not server.initialized
        if created:
            say(f"creating the app's PostgreSQL {binaries.version} database in {folder} (kept between runs)")
            # the superuser is only reached through the account's private socket: its TCP password is never used
            server.init(superuser_password=secrets.token_urlsafe(24))
        owner.claim()
        _start(server)
        started = True
        name = role = db_name(plan.name)
        numeric = numeric_password_reads(plan, root)
        password = _secret(folder / "password", digits=bool(numeric))
        if numeric:
            say(f"the app types {' and '.join(numeric)} as a number: its PostgreSQL's password is made of digits")
        usable = [w for w in logins if _usable(w, server, folder, say)]
        if usable:
            # the first is the one the app most likely runs with: DATABASE_URL and the parts name it
            role, name, password = usable[0].user or role, usable[0].database, usable[0].password or password

        def ensure() -> None:
            for written in usable:
                # a login with no password takes libpq's PGPASSWORD, the first one's
                _ensure_role(server, written.user or db_name(plan.name), written.password or password,
                             written.database)
            _ensure_role(server, role, password, name)
        ensure()
        for written in usable:
            say(f"{written.rel}:{written.line} writes the app's database: its PostgreSQL gets role "
                f"{written.user or db_name(plan.name)}{' with that password' if written.password else ''} "
                f"and database {written.database}")
        moved = repointed(usable, server.port, url_scheme(plan), base, host)
        port_note = _say_moved(logins, server.port, moved, say)
        url = f"{url_scheme(plan)}://{quote(role, safe='')}:{quote(password, safe='')}@{host}:{server.port}/" \
              f"{quote(name, safe='')}"
        parts = {"host": host, "port": str(server.port), "user": role, "password": password, "database": name}
        libpq = {var: parts[part] for var, part in LIBPQ_DEFAULTS.items()}
        left = scheme_parts(plan, root, app_values or {})
        connection = connection_env(plan, parts, url, frozenset(left))
        connection.update(engine_env(plan, root, app_values or {}))
        # a client that verifies the server's certificate (asyncpg's ssl=True) trusts ours
        trust = pg_trust.trust_env(server.certificate_file, folder, base) if server.certificate_file else {}
        # ...and asyncpg, which ignores PGHOSTADDR, resolves compose's names to it too
        mapped = [aliased_address(own)] if own is not None and host != HOST else []
        if mapped:
            own_protocol_note(own, host, say)
        aliases = host_aliases.aliases_env([*compose, *mapped], host, folder, base)
        given = {**libpq, **connection, **moved, **compose_hosts_env(compose, host, say),
                 **(hostaddr_env(literal, host, say) if not compose else {}), **trust, **aliases}
        run = AppDatabase({**base, **given}, url=url, folder=folder, created=created, parts=parts,
                          given=tuple(sorted(given)), left=left, empty=lambda: _emptied(server, role, name),
                          md5_password=lambda: _md5_password(server, role, password),
                          superuser=lambda plan_, root_: _as_superuser(
                              server, plan_, root_, [*((w.user or db_name(plan.name), w.database) for w in usable), (role, name)],
                              ensure, say),
                          owed=first_run_owed(folder, created), port_note=port_note,
                          relations=lambda: sum(_relations(server, database) for database in
                                                dict.fromkeys([*(w.database for w in usable), name])),
                          make_schema=lambda schema: server.psql(
                              f"CREATE SCHEMA IF NOT EXISTS {_ident(schema)} AUTHORIZATION {_ident(role)}",
                              database=name))
        if left:
            say(f"left to the app: {', '.join(left)} (named like the database's name, its value in the app is a "
                "URL scheme such as postgresql)")
        # the parts under the app's own names (DB_HOST, DB_NAME...): said, so what is left unset is the app's to give
        others = sorted(n for n in connection if n != "DATABASE_URL")
        say(f"PostgreSQL {binaries.version} for {plan.name}: database {name} on {host}:{server.port} "
            f"(data in {folder}); DATABASE_URL is set for the app"
            + (f", and {', '.join(others)}, which its code reads" if others else "")
            + (f" ({url.split(':')[0]}://: the driver the app declares, for SQLAlchemy)" if "+" in url.split(":")[0]
               else ""))
        yield run
    finally:
        if started:
            server.stop(immediate=urgent())
            say(f"stopped the app's PostgreSQL (data kept in {folder})")
        owner.release()
        shutil.rmtree(socket_dir, ignore_errors=True)


def warn_port_taken(logins: list[WrittenDatabase], port: int, names: tuple[str, str, str],
                    say: Callable[[str], None]) -> str:
    """One line when the port a login the app writes names is another program's, so its server listens on `port`.
    `names`: the database, its server, the client library's port variable (MySQL, MariaDB, MYSQL_TCP_PORT).
    Returns what to do, for the error of a release that then fails ("" when the port was free)."""
    where = next((w for w in logins if w.port), None)
    if where is None or where.port == port:
        return ""
    what, server, variable = names
    held = holder(where.port)
    fix = f"change the port in {where.rel}:{where.line} or let the app read DATABASE_URL, stop {held}, or " \
          f"run the app on that server: --db none"
    say(f"warning: {where.rel}:{where.line} connects to {what} on port {where.port}, which {held} holds "
        f"here: the app's {server} listens on {port}, which the app reaches only "
        f"through DATABASE_URL or {variable} ({fix})")
    return f"{where.rel}:{where.line} connects to {what} on port {where.port}, which {held} holds here, " \
           f"not the app's {server}: {fix}"


def fresh_log(log: Path) -> Path:
    """A server's log, started over once it grows past LOG_LIMIT."""
    if log.is_file() and log.stat().st_size > LOG_LIMIT:
        log.unlink()
    return log


def repointed(logins: Iterable[WrittenDatabase], port: int, scheme: str, environ: Mapping[str, str],
              host: str = HOST) -> dict[str, str]:
    """The variables whose default is a login the app writes on another port than its PostgreSQL listens on (the
    :5432 another program holds here), each given that login's URL on the server's port, its own scheme kept:
    the app reads them, so it connects where its server is. A variable the user sets stays theirs."""
    out: dict[str, str] = {}
    for w in logins:
        if w.via and w.port and w.port != port and w.via not in environ and w.via not in out:
            login = f"{quote(w.user, safe='')}{':' + quote(w.password, safe='') if w.password else ''}@" \
                if w.user else ""
            out[w.via] = f"{w.scheme or scheme}://{login}{host}:{port}/{quote(w.database, safe='')}"
    return out


def _say_moved(logins: Iterable[WrittenDatabase], port: int, moved: Mapping[str, str],
               say: Callable[[str], None]) -> str:
    """One line for the port a login writes that the app's PostgreSQL could not take: what the app gets
    instead, or, for a port its code writes (no variable reads it), what to do."""
    where = next((w for w in logins if w.port and w.port != port), None)
    if where is None:
        return ""
    if where.via in moved:
        say(f"{where.rel}:{where.line} connects to PostgreSQL on port {where.port}, which another program holds "
            f"here: the app's PostgreSQL listens on {port}, and the app gets {where.via} (which that URL is the "
            f"default of) with that port")
        return ""
    return warn_port_taken([where], port, ("PostgreSQL", "PostgreSQL", "PGPORT"), say)


def _data_version(data: Path) -> int | None:
    try:
        return int((data / "PG_VERSION").read_text().strip())
    except (OSError, ValueError):
        return None


def _start(server: PostgresServer, attempts: int = 3) -> None:
    """Start on a free port; another program may take the port between our check and the server's bind."""
    for attempt in range(attempts):
        try:
            server.start()
            return
        except ShipyardError as exc:
            if attempt == attempts - 1 or "could not bind" not in "\n".join(server.log_tail()) \
                    and "already in use" not in exc.message:
                raise
            server.port = free_port()


# the app's own relations: tables, views, sequences (not the catalogs, nor an extension's objects in public)
_APP_RELATIONS = ("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', "
                  "'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND NOT EXISTS (SELECT 1 FROM pg_depend d "
                  "WHERE d.objid = c.oid AND d.deptype = 'e')")


def _relations(server: PostgresServer, database: str) -> int:
    """How many relations of its own (tables, views, sequences) the database holds."""
    found = server.psql(_APP_RELATIONS, database=database)
    return int(found[0]) if found and found[0].isdigit() else 0


def _emptied(server: PostgresServer, role: str, name: str) -> bool:
    """Drop the app's database and create it again, when it holds relations of its own; True when it did."""
    if server.psql(_APP_RELATIONS, database=name) in ([], ["0"]):
        return False
    # from another database than the one dropped (an app may write `postgres`, the one psql connects to)
    other = "template1" if name == postgres.MAINTENANCE_DATABASE else postgres.MAINTENANCE_DATABASE
    server.psql(f"DROP DATABASE {_ident(name)}", database=other)
    server.psql(f"CREATE DATABASE {_ident(name)} OWNER {_ident(role)}", database=other)
    return True


def _md5_password(server: PostgresServer, role: str, password: str) -> None:
    server.allow_md5()
    server.psql(f"SET password_encryption = 'md5'; ALTER ROLE {_ident(role)} PASSWORD {_literal(password)}")


def _ensure_role(server: PostgresServer, role: str, password: str, database: str) -> None:
    """The app's role (not a superuser: it owns its database, and may create trusted extensions there)."""
    verb = "ALTER" if server.psql(f"SELECT 1 FROM pg_roles WHERE rolname = {_literal(role)}") else "CREATE"
    server.psql(f"{verb} ROLE {_ident(role)} LOGIN PASSWORD {_literal(password)}")
    if not server.psql(f"SELECT 1 FROM pg_database WHERE datname = {_literal(database)}"):
        server.psql(f"CREATE DATABASE {_ident(database)} OWNER {_ident(role)}")
    elif database == postgres.MAINTENANCE_DATABASE:
        # the one every cluster has (postgresql://postgres:postgres@localhost/postgres): the app's role owns it,
        # so it may create tables in its public schema (PostgreSQL 15 grants that to the owner only)
        server.psql(f"ALTER DATABASE {_ident(database)} OWNER TO {_ident(role)}")


# an init script that logs in as `postgres`, the superuser of every packaged PostgreSQL and of the official image, to
# make the app's role and database itself (aio-libs' polls demo: `user="postgres"`, then CREATE USER, CREATE DATABASE)
_SUPERUSER_LOGIN = re.compile(r"""\buser(?:name)?\s*[=:]\s*["']postgres["']|://postgres(?::[^@/\s"']*)?@|-U\s*["']?postgres\b""")
_MAKES_ROLES = re.compile(r"\bCREATE\s+(?:USER|ROLE)\b", re.IGNORECASE)
TRUST_SUPERUSER = "host all postgres 127.0.0.1/32 trust   # shipyard: the app's init script, while it runs\n"


def superuser_script(plan: Plan, root: Path) -> str | None:
    """The file of the app's init command that logs in as `postgres` to create roles, or None."""
    command = plan.first_run
    if command is None:
        return None
    folder = root / command.workdir
    for arg in command.argv[1:]:
        path = folder / arg
        if arg.endswith((".py", ".sh", ".sql")) and path.is_file():
            text = path.read_text(errors="replace")
            if _SUPERUSER_LOGIN.search(text) and _MAKES_ROLES.search(text):
                return arg
    return None


@contextmanager
def _as_superuser(server: PostgresServer, plan: Plan, root: Path, made: list[tuple[str, str]],
                  ensure: Callable[[], None], say: Callable[[str], None]) -> Iterator[None]:
    """While the app's init script runs, when it logs in as `postgres` to make the app's role and database itself:
    `postgres` is a superuser that logs in over 127.0.0.1 with any password (serve's own superuser is another,
    reached only through its private socket), and the roles and databases serve made for the app's logins are
    not there yet (the script's CREATE USER would stop on one that exists). Afterwards the trust line is gone,
    `postgres` is what it was, and the app's roles and databases are made again where the script made none."""
    script = superuser_script(plan, root)
    if script is None:
        yield
        return
    said = {"t": "SUPERUSER", "f": "NOSUPERUSER"}
    had = server.psql("SELECT rolsuper, rolcanlogin FROM pg_roles WHERE rolname = 'postgres'")
    for role, database in dict.fromkeys(made):
        if database != postgres.MAINTENANCE_DATABASE:
            server.psql(f"DROP DATABASE IF EXISTS {_ident(database)}")
        if role != "postgres":
            try:
                server.psql(f"DROP ROLE IF EXISTS {_ident(role)}")
            except ShipyardError:
                pass          # it owns what was not dropped (the maintenance database): kept, as serve made it
    server.psql(f"{'ALTER' if had else 'CREATE'} ROLE postgres SUPERUSER LOGIN")
    hba = server.data / "pg_hba.conf"
    text = hba.read_text()
    hba.write_text(TRUST_SUPERUSER + text)
    server.psql("SELECT pg_reload_conf()")
    say(f"{script} logs in as postgres to make the app's role and database itself: for this run of it, postgres is a "
        "superuser of the app's PostgreSQL that logs in from 127.0.0.1 without checking its password")
    try:
        yield
    finally:
        hba.write_text(text)
        server.psql("SELECT pg_reload_conf()")
        if had:
            superuser, login = had[0].split("\t")
            server.psql(f"ALTER ROLE postgres {said[superuser]} {'LOGIN' if login == 't' else 'NOLOGIN'}")
        else:
            server.psql("ALTER ROLE postgres NOSUPERUSER NOLOGIN")
        ensure()


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def compose_hosts(root: Path, logins: Iterable[WrittenDatabase]) -> list[str]:
    """The hosts only compose's network resolves that the app's code connects to (`host='db'`, `@db:5432/app`)."""
    # a Redis client's name (Redis(host="redis")) is serve's Redis's to answer (run/redis.py), not PostgreSQL's
    written = {h.host for h in unresolved_hosts(Project(root)) if h.service != "redis"}
    return sorted({w.host for w in logins if service_host(w.host)} | written)


def compose_hosts_env(hosts: list[str], host: str = HOST, say: Callable[[str], None] | None = None
                      ) -> dict[str, str]:
    """PGHOSTADDR=`host` (the server's address) when the app's code connects to compose's hosts: libpq (psycopg2,
    psycopg, aiopg) then connects there, where serve's server listens (on the port such a login writes, when it
    is free), whatever host name it is given."""
    if not hosts:
        return {}
    if say is not None:
        say(f"the code connects to {', '.join(hosts)} (compose's names): PGHOSTADDR={host} takes its PostgreSQL "
            f"connections (libpq's: psycopg2, psycopg, aiopg; asyncpg's through run/host_aliases.py) to the app's "
            f"PostgreSQL")
    return {"PGHOSTADDR": host}


def loopback_alias(port: int, tries: int = 16) -> str | None:
    """A loopback address other than 127.0.0.1 (all of 127/8 is this machine's on Linux) where `port` is free:
    the written port another program holds on 127.0.0.1 is often free there."""
    for last in range(2, 2 + tries):
        alias = f"127.0.0.{last}"
        if port_free(alias, port):
            return alias
    return None


def logins_taken(plan: Plan, root: Path, given: Collection[str] | None = None) -> list[WrittenDatabase]:
    """The logins the app writes, but a default of a variable it is given (`given`; by default those serve
    sets: DATABASE_URL...), which it never uses."""
    if given is None:
        given = connection_env(plan, dict.fromkeys(("host", "port", "user", "password", "database"), ""), "")
        given = {name for name in given if name not in keyed_url_only(plan)}
    return [w for w in written_logins(Project(root), _settings_rel(plan, root)) if w.via not in given]


def keyed_url_only(plan: Plan, named: Callable[[str], str | None] | None = None) -> set[str]:
    """The URL variables known only by where the code puts them (SQLALCHEMY_DATABASE_URI = environ.get("VISITS_CONN",
    "postgresql://shopkeeper:pw@localhost/appdb")), not by their names: a login written as such a one's default is
    kept (its role and database made, the variable given that login on the server's port), as before they were
    known; the URL alone would lose the role and database the author wrote."""
    named = named or variable_part          # MySQL's names: mysql_database.variable_part
    return {name for name, part in keyed_parts(plan).items() if part == "url" and named(name) is None}


def _usable(written: WrittenDatabase, server: PostgresServer, folder: Path, say: Callable[[str], None]) -> bool:
    if written.user == server.superuser or written.user.startswith("pg_") or \
            written.database in RESERVED_DATABASES:
        later = f"; move {folder} away and serve makes it again with a superuser of another name" \
            if written.user == server.superuser == postgres.OLD_SUPERUSER else ""
        say(f"warning: {written.rel}:{written.line} writes the app's database as user {written.user}, database "
            f"{written.database}, which serve's PostgreSQL keeps to itself: the app will not get in; read the "
            f"credentials from DATABASE_URL (set by serve), or point it at a database of yours{later}")
        return False
    return True


def _settings_rel(plan: Plan, root: Path) -> str | None:
    """The entry's Django settings module, as a file under the project root."""
    if not plan.entry.settings_module:
        return None
    base = plan.entry.settings_module.replace(".", "/")
    folder = "" if plan.workdir in ("", ".") else plan.workdir.strip("/") + "/"
    return next((f"{folder}{rel}" for rel in (f"{base}.py", f"{base}/__init__.py") if (root / folder / rel).is_file()),
                None)
