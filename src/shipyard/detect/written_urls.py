"""The PostgreSQL logins an app writes outside Django settings: a URL literal its code or configuration connects
with, or the parts of one in a config mapping.

Flask, SQLAlchemy, aiohttp and Falcon tutorials write `SQLALCHEMY_DATABASE_URI =
'postgresql://postgres:secret@localhost:5432/todo'`, `create_engine("postgresql://web1:web1@localhost/web1")`,
alembic.ini's `sqlalchemy.url = ...`, a config dict/YAML mapping (`postgres: {user: web1, password: web1,
database: web1, host: localhost, port: 5432}`), a TOML config's table (`[database] url = "postgresql+psycopg://
postgres:password@localhost:5432/task"`, the file a settings loader reads with tomllib) or an ini section the app's configparser reads (`[postgres]`
host = localhost, database = app: no user is libpq's default user), after the reader created that role and
database by hand. serve's
own PostgreSQL creates them (run/database.py), on the port written when it is free.

Only where the app connects with it: a value under a name that says database URL (SQLALCHEMY_DATABASE_URI,
DATABASE_URL, db_dsn...), the URL a connect or engine call takes, an env read's default, an ini/YAML key of
that kind; a mapping of parts under a database-like key (db, database, postgres) or naming a PostgreSQL
engine. On this machine's server only: no host (libpq's PGHOST, which serve sets), localhost or a loopback
address, or, for a URL, a compose service's name this machine cannot resolve (served_here). Tests, docs,
docstrings and compose files are not the app's.
"""

from __future__ import annotations

import ast
import configparser
import re
from collections import Counter
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Callable, Iterator
from urllib.parse import unquote, urlsplit

from ..project import Project
from .ast_nodes import ast_nodes
from .literal_text import HOLE, class_constants, composed_text, computed_names, default_text, module_constants, \
    template_text
from .code_hosts import service_host
from .implied import PONY_PROVIDERS
from .services import _project_imports, env_reads
from .source import called_name, is_app_file, parsed
from .written_db import LOCAL_HOSTS, WrittenDatabase, _value_of, written_database

# the URL schemes and the engine names of each database serve runs (a MySQL login: run/mysql_database.py)
SCHEMES = {"postgres": ("postgres", "postgresql", "pgsql"), "mysql": ("mysql", "mariadb")}
ENGINE_MARKS = {"postgres": ("postg", "asyncpg", "psycopg"), "mysql": ("mysql", "maria")}   # tortoise.backends.asyncpg
# a name that holds the database's URL: SQLALCHEMY_DATABASE_URI, DATABASE_URL, db_dsn, sqlalchemy.url, pg_uri
# (Udacity's `database_path = "postgresql://..."`: a path of a database, not of a file, when it holds a URL)
_URL_KEY = re.compile(r"(?:^|[\W_])(?:url|uri|dsn|database|db|(?:database|db)_?path|conn(?:ection)?(?:_string)?)$",
                      re.IGNORECASE)
# calls that open a connection on the URL they are given first (or as url=/dsn=)
_CONNECT_CALLS = frozenset({"create_engine", "create_async_engine", "connect", "create_pool", "Database"})
_URL_KEYWORDS = frozenset({"url", "dsn", "database_url", "db_url", "uri"})
# MySQL drivers' connect calls, whose keywords are the parts (pymysql.connect, MySQLdb.connect, aiomysql's pool)
_MYSQL_CONNECTS = frozenset({"connect", "Connect", "create_pool", "MySQLConnection", "MySQLConnectionPool"})
# os.environ.get / os.getenv / a mapping's get: the default counts when the variable is not set
_ENV_READS = frozenset({"get", "getenv"})
# a mapping of parts: under such a key, or naming the engine
# (an ini section `[rana:database]`: a colon before the word too), or such a key with a word for settings after it
# (`dbconfig = {"dbname": ..., "user": ...}`, `DB_PARAMS`, `pg_credentials`)
_PARTS_SUFFIX = r"(?:_?(?:config|conf|cfg|settings|params|parameters|info|credentials|creds|options|opts|args|kwargs))?"
_PARTS_KEY = {service: re.compile(rf"(?:^|[_:.])(?:db|database|databases|default|sql|{names}){_PARTS_SUFFIX}$",
                                  re.IGNORECASE)
              for service, names in (("postgres", "postgres|postgresql|pg|psql"), ("mysql", "mysql|mariadb"))}
_USER_KEYS = ("user", "username", "db_user", "dbuser", "usr")
_PASSWORD_KEYS = ("password", "passwd", "pass", "pwd", "db_password", "db_pass")
_DATABASE_KEYS = ("database", "db", "dbname", "name", "db_name", "database_name")
_HOST_KEYS = ("host", "hostname", "server", "db_host")
_ENGINE_KEYS = ("engine", "driver", "dialect", "drivername", "type", "adapter", "provider")   # Pony's provider
_INI_SUFFIXES = (".ini", ".cfg")
_YAML_SUFFIXES = (".yml", ".yaml")
_TOML_SUFFIXES = (".toml",)
_NOT_CONFIG = frozenset({"pyproject.toml", "poetry.toml", "ruff.toml", ".ruff.toml", "uv.toml", "netlify.toml",
                         "fly.toml", "flyway.toml"})    # tools' settings, not the app's
_MAX_BYTES = 200_000


def parse_url(text: str, service: str = "postgres") -> tuple[str, str, str, int | None] | None:
    """(user, password, database, port) of a PostgreSQL URL (`service` mysql: a MySQL one) on this machine's
    server; None for another host, a URL with no database (but a PostgreSQL one with a user: libpq's default
    database is the user's name), or not a URL of that database."""
    text = text.strip()
    scheme, sep, _ = text.partition("://")
    if not sep and service == "postgres":
        return parse_conninfo(text)
    if not sep or scheme.split("+")[0].lower() not in SCHEMES[service] or any(c in text for c in "{}$<> \n") \
            or "%(" in text:       # a template: str.format, shell, ini interpolation
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    database = unquote(parts.path.lstrip("/"))
    user = unquote(parts.username or "")
    if not database and service == "postgres" and not parts.query:
        # `postgresql://postgres:docker@localhost:5432`: libpq connects to the database named as the user
        database = user
    if not served_here(parts.hostname or "", service) or not database or "/" in database:
        return None
    return user, unquote(parts.password or "") if user else "", database, port


# libpq's keyword/value connection string (`host=localhost port=5432 user=app password=secret dbname=app`), which
# psycopg2.connect() and its pools take where they take a URL: a value is a word or a single-quoted text
_CONNINFO_PAIR = re.compile(r"\s*(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']+)\s*")
_CONNINFO_KEYS = frozenset({"host", "hostaddr", "port", "user", "password", "dbname", "sslmode", "connect_timeout",
                            "application_name", "options", "client_encoding"})


def parse_conninfo(text: str) -> tuple[str, str, str, int | None] | None:
    """(user, password, database, port) of a libpq keyword/value connection string for this machine's server
    (a 2023 Flask app's `os.environ.get("POSTGRES_CONNECTION_PARAMETERS", default="host=localhost port=5432
    user=depottextline password=blah dbname=depottextline")`); None when the text is not one, names another host,
    or names neither a database nor a user (libpq's default database is the user's name)."""
    values: dict[str, str] = {}
    at = 0
    while at < len(text):
        match = _CONNINFO_PAIR.match(text, at)
        if match is None or match.end() == at or match.group(1) not in _CONNINFO_KEYS:
            return None
        value = match.group(2)
        values[match.group(1)] = re.sub(r"\\(.)", r"\1", value[1:-1]) if value.startswith("'") else value
        at = match.end()
    user, database = values.get("user", ""), values.get("dbname") or values.get("user", "")
    port = values.get("port", "")
    if "dbname" not in values and len(values) < 2:      # one `user=x` pair is not enough to tell
        return None
    if not database or not port.isdigit() and port or not served_here(values.get("host", ""), "postgres"):
        return None
    return user, values.get("password", "") if user else "", database, int(port) if port else None


def parse_template(text: str, service: str = "postgres") -> tuple[str, str, str, int | None] | None:
    """(user, password, database, port) of a URL whose login, host or port are read at run time (HOLE) and whose
    database is written: `f"postgresql://{USER}:{PASSWORD}@{HOST}/mydb"`. A part read at run time is serve's to
    give (""; the port None); a host written must be this machine's. None when the database is not written."""
    scheme, sep, rest = text.strip().partition("://")
    if not sep or HOLE in scheme or scheme.split("+")[0].lower() not in SCHEMES[service]:
        return None
    netloc, _, path = rest.partition("/")
    database = unquote(re.split(r"[?#]", path, maxsplit=1)[0])
    if not database or HOLE in database or "/" in database or any(c in database for c in "{}$<> %"):
        return None
    login, _, address = netloc.rpartition("@")
    host, colon, port = address.rpartition(":") if not address.endswith("]") else (address, "", "")
    host, port = (host, port) if colon else (address, "")      # no port written: libpq's (serve's) own
    if HOLE not in host and not served_here(host, service) or HOLE not in port and port and not port.isdigit():
        return None
    user, _, password = login.partition(":")
    known = lambda part: "" if HOLE in part else unquote(part)         # noqa: E731
    # a password written for a role read at run time is that role's, not serve's: serve gives the whole login
    return known(user), known(password) if known(user) else "", database, int(port) if port.isdigit() else None


def served_here(host: object, service: str = "postgres") -> bool:
    """A URL's host whose PostgreSQL is serve's: none, localhost, a loopback address, or a compose service's name
    this machine cannot resolve (`@db:5432`), which libpq clients reach serve's server by (run/database.py sets
    PGHOSTADDR); MySQL's pure-Python clients (PyMySQL, aiomysql) reach serve's MariaDB by it too, through the name
    mapped in the app's process (run/host_aliases.py)."""
    return host in LOCAL_HOSTS or service in ("postgres", "mysql") and service_host(host)


def _login(got: tuple[str, str, str, int | None], rel: str, line: int, via: str | None = None, *,
           url: str = "") -> WrittenDatabase:
    user, password, database, port = got
    scheme, sep, _ = url.strip().partition("://")
    if not sep and "=" in url:
        # a libpq keyword/value string: what its variable is given instead must be one libpq reads too
        scheme, sep = "postgresql", "://"
    return WrittenDatabase(user, password, database, rel, line, port, via, host=_host_of(url),
                           scheme=scheme if sep else "")


def _host_of(url: str) -> str:
    try:
        return urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""


def written_logins(project: Project, settings_rel: str | None = None, service: str = "postgres"
                   ) -> list[WrittenDatabase]:
    """The distinct logins (role, password, database) the app writes, the one it most likely runs with first:
    its Django settings' (detect/written_db.py), else the one written most often, else the first in file order.
    The same role with another password is left out (a role has one password)."""
    django = written_database(project, settings_rel, service)
    others = logins(project, service)
    counts = Counter((w.user, w.password, w.database) for w in others)
    # sorted() is stable: among logins written as often, file order stays
    ordered = ([django] if django else []) + sorted(others, key=lambda w: -counts[(w.user, w.password, w.database)])
    out: list[WrittenDatabase] = []
    for w in ordered:
        same = next((i for i, o in enumerate(out) if (o.user, o.password, o.database) == (w.user, w.password,
                                                                                           w.database)), None)
        if same is not None:
            kept = out[same]       # a port one of its copies writes (alembic.ini's :5432), and a read of no variable
            out[same] = replace(kept, port=kept.port or w.port, via=kept.via and w.via)
        elif not (w.user and any(o.user == w.user and o.password != w.password for o in out)):
            out.append(w)
    return out


def logins(project: Project, service: str = "postgres") -> list[WrittenDatabase]:
    """Every login the app writes outside Django settings, in file order: its Python code, then its ini, YAML
    and TOML files."""
    found: list[WrittenDatabase] = []
    trees = parsed(project)
    wrappers = _driver_wrappers(trees) if service == "postgres" else frozenset()
    exported: dict[str, _Exported] = {}
    for rel, tree in sorted(trees.items()):
        found += _in_python(tree, rel, service, _imported_constants(rel, tree, trees, exported), wrappers)
    found = _defaults_named(project, found)
    for rel in project.files:
        name = PurePosixPath(rel).name.lower()
        if not is_app_file(rel) or "compose" in name or rel.startswith((".github/", ".gitlab")):
            continue
        reader = _in_ini if name.endswith(_INI_SUFFIXES) else _in_yaml if name.endswith(_YAML_SUFFIXES) else \
            _in_toml if name.endswith(_TOML_SUFFIXES) and name not in _NOT_CONFIG else None
        if reader is not None and (text := _read(project, rel)) is not None:
            found += reader(text, rel, service)
    return found


def _defaults_named(project: Project, found: list[WrittenDatabase]) -> list[WrittenDatabase]:
    """Each login that is the default of an environment read the app makes (a settings class's field
    `database_url: str = "postgresql://..."`, `config("DB_URL", default=...)`) names that variable."""
    reads = [r for r in env_reads(project) if r.default]
    return [w if w.via else replace(w, via=next((r.name for r in reads if r.path == w.rel
                                                 and r.line <= w.line <= r.end_line), None))
            for w in found]


def _read(project: Project, rel: str) -> str | None:
    try:
        if project.path(rel).stat().st_size > _MAX_BYTES:
            return None
    except OSError:
        return None
    return project.scan_text(rel)


# ------------------------------------------------------------------------------------------------ Python

# a module's constants and its config classes' constants, plain and with environment reads' defaults
_Exported = tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]


def _exported(tree: ast.Module) -> _Exported:
    own, own_defaults = module_constants(tree), module_constants(tree, defaults=True)
    return own, own_defaults, class_constants(tree, own), class_constants(tree, own_defaults, defaults=True)


def _imported_constants(rel: str, tree: ast.Module, trees: dict[str, ast.Module],
                        exported: dict[str, _Exported] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The constants (and the environment reads' defaults) a module imports from another module of the app by
    name: `from .app_config import DB_USER, DB_HOST` in the module that builds the URL, the parts bound in a
    config module (`DB_USER = config.get("db_username", "postgres")`), as the module importing them sees them.
    `exported`: each source module's constants, worked out once per pass over the app (`_exported`), not once per
    name imported from it: a 13-app Django project's 1,800 such imports spent 133 s recomputing them."""
    exported = {} if exported is None else exported
    constants: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for source, name, local in _project_imports(rel, tree, trees):
        if name == "*" or source == rel:
            continue
        if source not in exported:
            exported[source] = _exported(trees[source])
        own, own_defaults, classes, class_defaults = exported[source]
        if (value := own.get(name)) is not None:
            constants[local] = value
        if (value := own_defaults.get(name)) is not None:
            defaults[local] = value
        # a config class imported by name (`from configs import DbConfig`): its constants as DbConfig.NAME
        constants.update(_as_imported(classes, name, local))
        defaults.update(_as_imported(class_defaults, name, local))
    return constants, defaults


def _as_imported(found: dict[str, str], name: str, local: str) -> dict[str, str]:
    """The "Class.NAME" constants of class `name` of `found`, as "local.NAME" (the name it is imported under)."""
    return {f"{local}.{key.partition('.')[2]}": value for key, value in found.items()
            if key.partition(".")[0] == name}


def _in_python(tree: ast.Module, rel: str, service: str = "postgres",
               imported: tuple[dict[str, str], dict[str, str]] = ({}, {}),
               wrappers: frozenset[str] = frozenset()) -> list[WrittenDatabase]:
    out: list[WrittenDatabase] = []
    # the module's own constants win over a name it also imports
    own = module_constants(tree)
    constants = {**imported[0], **own, **class_constants(tree, own)}
    for node, value, via in _connected_strings(tree, constants):
        if (got := parse_url(value, service)) is not None:
            out.append(_login(got, rel, node.lineno, via, url=value))
    # a URL built from environment reads' defaults (AppSeed's '{}://{}:{}@{}:{}/{}'.format(os.getenv('DB_ENGINE',
    # 'mysql'), ...)): the login the app connects with when nothing is set
    own_defaults = module_constants(tree, defaults=True)
    defaults = {**imported[1], **own_defaults, **class_constants(tree, own_defaults, defaults=True)}
    for node, value, via in _connected_strings(tree, defaults, default_text):
        if (got := parse_url(value, service)) is not None:
            out.append(_login(got, rel, node.lineno, via, url=value))
    written = {w.line for w in out}     # a URL whose parts are all written or defaulted: no template of it too
    # a name bound to a computed value is not a setting: it stays unknown, as the whole text then is
    settings = {**constants, **dict.fromkeys(computed_names(tree) - set(constants), None)}
    for node, value, via in _connected_strings(tree, settings, template_text):
        if HOLE in value and node.lineno not in written and (got := parse_template(value, service)) is not None:
            # the database the app's URL writes, its login from the environment: serve gives that database
            out.append(_login(got, rel, node.lineno, via, url=value.replace(HOLE, "")))
    for node in ast_nodes(tree):
        if isinstance(node, ast.Dict):
            mapping = _python_mapping(node)
            out += _parts_of(mapping, rel, node.lineno, None, service, service_hosts=_pony_mapping(mapping))
            if isinstance(credentials := _value_of(node, "credentials"), ast.Dict):
                # Tortoise ORM's {"engine": "tortoise.backends.mysql", "credentials": {host, user, ...}}
                out += _parts_of({**_python_mapping(credentials), "engine": mapping.get("engine")}, rel,
                                 credentials.lineno, "credentials", service)
            for k, v in zip(node.keys, node.values):          # config = {"db": {...}}
                if _is_str(k) and isinstance(v, ast.Dict):
                    out += _parts_of(_python_mapping(v), rel, v.lineno, k.value, service)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):   # DB = {...}
            mapping = _python_mapping(node.value)
            for target in node.targets:
                out += _parts_of(mapping, rel, node.lineno, _target_name(target), service,
                                 service_hosts=_pony_mapping(mapping))
        elif isinstance(node, ast.Call) and (values := _pony_bind_parts(node, constants)) is not None:
            # Pony ORM's `db.bind(provider='postgres', user=..., password=..., host=..., database=...)` or
            # `Database('mysql', host=..., user=..., passwd=..., db=...)`: the parts as keywords (literals, module
            # or config class constants); its compose host is one serve takes the connections to, as a URL's
            out += _parts_of(values, rel, node.lineno, None, service, service_hosts=True)
        elif service == "postgres" and isinstance(node, ast.Call) and \
                (_postgres_driver_call(node) or called_name(node) in wrappers):
            # asyncpg.create_pool(database="tester", port=5432), psycopg2.connect(dbname=..., user=...): the parts
            # as keywords, written there or through a module constant (DB_NAME = "todo", then database=DB_NAME);
            # no user is the driver's default (PGUSER, which serve sets). So are the app's own wrapper's
            # (`Database(host="127.0.0.1", user="postgres", database="task_db")`, which gives them to the driver)
            values = _keyword_parts(node, constants)
            if _first(values, _DATABASE_KEYS) is not None and _first(values, _USER_KEYS) is None \
                    and not any(k in values for k in _USER_KEYS):
                values["user"] = ""
            out += _parts_of(values, rel, node.lineno, "postgres", service)
        elif isinstance(node, ast.Call) and _sqlalchemy_url_call(node):
            # SQLAlchemy's URL(drivername, username=..., host=..., database=...) or URL.create(...), the parts
            # written there or a module's or config class's constants (`username=SQLAlchemyConfig.USERNAME`); a
            # compose host (`HOST = 'psqldb'`, a `links:` alias) is one serve takes the connections to, as a URL's
            out += _parts_of(_url_call_parts(node, constants), rel, node.lineno, None, service, service_hosts=True)
        elif service == "mysql" and isinstance(node, ast.Call) and called_name(node) in _MYSQL_CONNECTS:
            # pymysql.connect(host="localhost", user="root", password="...", database="app"), MySQLdb's db=,
            # mysql.connector's: the parts as keywords (or module constants)
            values = _keyword_parts(node, constants)
            out += _parts_of(values, rel, node.lineno, "mysql", service)
    if service == "mysql":
        out += _flask_mysql_config(tree, rel)
    return _unique(out)


def _pony_mapping(mapping: dict[str, object]) -> bool:
    """A dict of Pony ORM's bind() parts (`{'provider': 'postgres', 'host': 'db', ...}` given as `db.bind(**DB)`):
    its compose host is a URL's, one serve takes the connections to."""
    return mapping.get("provider") in PONY_PROVIDERS


def _pony_bind_parts(node: ast.Call, constants: dict[str, str]) -> dict[str, object] | None:
    """{keyword: value} of Pony ORM's `db.bind(...)` / `Database(...)` naming a provider it knows (as `provider=`
    or first argument), with that provider; None for another call. PostgreSQL's parts with no user nor host are
    psycopg2's defaults (PGUSER, which serve sets)."""
    if called_name(node) not in ("bind", "Database"):
        return None
    given = next((kw.value for kw in node.keywords if kw.arg == "provider"), node.args[0] if node.args else None)
    provider = None if given is None else _part_text(given, constants)
    if provider not in PONY_PROVIDERS:
        return None
    values = {"provider": provider, **_keyword_parts(node, constants)}
    if PONY_PROVIDERS[provider][0] == "postgres" and not any(k in values for k in (*_USER_KEYS, *_HOST_KEYS)):
        values["user"] = ""
    return values


def _keyword_parts(node: ast.Call, constants: dict[str, str]) -> dict[str, object]:
    """{keyword: value} of a connect call's literal parts: a str or int written there, or a module constant's text
    (`DB_NAME = "python-to-do-app"` above `psycopg2.connect(database=DB_NAME, host=DB_HOST)`, as course code
    names them); None for a value read at run time."""
    values: dict[str, object] = {}
    for kw in node.keywords:
        if not kw.arg:
            continue
        value = kw.value
        if isinstance(value, ast.Constant) and isinstance(value.value, (str, int)) and not isinstance(value.value, bool):
            values[kw.arg.lower()] = value.value
        elif isinstance(value, (ast.Name, ast.Attribute)) and (text := _part_text(value, constants)) is not None:
            values[kw.arg.lower()] = text      # a module's constant, or a config class's (`user=DbConfig.USER`)
        else:
            values.setdefault(kw.arg.lower(), None)
    return values


# sqlalchemy.engine.URL's fields in the order URL() and URL.create() take them
_URL_FIELDS = ("drivername", "username", "password", "host", "port", "database")


def _sqlalchemy_url_call(node: ast.Call) -> bool:
    """`URL(...)`, `URL.create(...)`, `sqlalchemy.engine.url.URL(...)`."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "create":
        func = func.value
    return isinstance(func, ast.Name) and func.id == "URL" or isinstance(func, ast.Attribute) and func.attr == "URL"


def _url_call_parts(node: ast.Call, constants: dict[str, str]) -> dict[str, object]:
    """{field: text} of a URL()/URL.create() call's arguments written as literals or constants; None for a value
    read at run time (a field left out is absent: SQLAlchemy's None)."""
    values: dict[str, object] = {}
    pairs = [*zip(_URL_FIELDS, node.args), *((kw.arg, kw.value) for kw in node.keywords if kw.arg)]
    for field, value in pairs:
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        values[field.lower()] = composed_text(value, constants) if _is_str(value) else \
            _part_text(value, constants)
    return values


def _part_text(node: ast.AST, constants: dict[str, str]) -> str | None:
    """A part's text: an int literal (port=5432), a constant's (a module's or a class's), a composition."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return str(node.value)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return constants.get(f"{node.value.id}.{node.attr}")
    return composed_text(node, constants)


# PostgreSQL drivers whose connect calls take the parts as keywords (the module written as their receiver)
_POSTGRES_DRIVERS = frozenset({"asyncpg", "psycopg2", "psycopg", "aiopg"})


def _postgres_driver_call(node: ast.Call) -> bool:
    """`asyncpg.connect(...)`, `asyncpg.create_pool(...)`, `psycopg2.connect(...)`, `aiopg.create_pool(...)`."""
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr in ("connect", "create_pool") \
        and isinstance(func.value, ast.Name) and func.value.id in _POSTGRES_DRIVERS


def _driver_wrappers(trees: dict[str, ast.Module]) -> frozenset[str]:
    """Names of the app's own classes and functions that take a login's parts as parameters and hand them to a
    PostgreSQL driver's connect call as `**` (`self._db_params = {"host": host, "user": user, ...}`, then
    `asyncpg.connect(**self._db_params)`): a call of one with the parts as keywords writes the login."""
    names: set[str] = set()
    for tree in trees.values():
        for node in tree.body:
            if not isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None) \
                if isinstance(node, ast.ClassDef) else node
            params = {a.arg.lower() for a in (init.args.args + init.args.kwonlyargs)} if init is not None else set()
            if not (params & set(_USER_KEYS) and params & set(_DATABASE_KEYS)):
                continue
            if any(isinstance(call, ast.Call) and _postgres_driver_call(call)
                   and any(kw.arg is None for kw in call.keywords) for call in ast.walk(node)):
                names.add(node.name)
    return frozenset(names)


# Flask-MySQLdb's MYSQL_USER/MYSQL_PASSWORD/MYSQL_DB/MYSQL_HOST/MYSQL_PORT, Flask-MySQL's MYSQL_DATABASE_USER...
_FLASK_MYSQL_KEY = re.compile(r"MYSQL_(?:DATABASE_)?(USER|PASSWORD|DB|HOST|PORT)")


def _flask_mysql_config(tree: ast.Module, rel: str) -> list[WrittenDatabase]:
    """The login a Flask-MySQLdb or Flask-MySQL app writes in its config (`app.config['MYSQL_USER'] = 'root'`,
    `app.config.update(MYSQL_DB=...)`, a config class's `MYSQL_PASSWORD = '...'`), as one mapping of parts."""
    values: dict[str, object] = {}
    first = 0
    for node in ast_nodes(tree):
        pairs: list[tuple[str, ast.AST]] = []
        if isinstance(node, ast.Assign):
            pairs = [(_target_name(t), node.value) for t in node.targets]
        elif isinstance(node, ast.Call) and called_name(node) == "update":
            pairs = [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
        for key, value in pairs:
            if (m := _FLASK_MYSQL_KEY.fullmatch(key)) and isinstance(value, ast.Constant) \
                    and isinstance(value.value, (str, int)) and not isinstance(value.value, bool):
                values.setdefault(m.group(1).lower(), value.value)
                first = first or node.lineno
    return _parts_of(values, rel, first, "mysql", "mysql") if values else []


def _connected_strings(tree: ast.Module, constants: dict[str, str],
                       compose: Callable[[ast.AST, dict[str, str]], str | None] = composed_text
                       ) -> Iterator[tuple[ast.AST, str, str | None]]:
    """Strings in a place the app connects with: assigned to (or a dict value under, or a keyword named) a
    database-URL name, the first argument of a connect/engine call, the default of an env read (with the
    variable read: serve may give it). A literal, or one built from literals and the module's `constants`
    (`'postgresql://postgres:@localhost/' + NAME`, f-strings: detect/literal_text.py); `compose` may leave holes
    for what is read at run time (template_text)."""
    def text(node: ast.AST | None) -> str | None:
        return None if node is None else compose(node, constants)

    for node in ast_nodes(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and (value := text(node.value)) is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_URL_KEY.search(_target_name(t)) for t in targets):
                yield node, value, None
        elif isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if _is_str(k) and _URL_KEY.search(k.value) and (value := text(v)) is not None:
                    yield v, value, None
                elif _is_str(k) and k.value == "connections" and isinstance(v, ast.Dict):
                    # Tortoise ORM's config: {"connections": {"default": "mysql://..."}}, a URL per name
                    yield from ((u, value, None) for u in v.values if (value := text(u)) is not None)
        elif isinstance(node, ast.Call) and (option := _alembic_url_option(node)) is not None:
            # alembic/env.py's `config.set_main_option("sqlalchemy.url", "postgresql://...")`: the URL its
            # migrations connect with, whatever alembic.ini says
            if (value := text(option)) is not None:
                yield option, value, None
        elif isinstance(node, ast.Call):
            name = called_name(node)
            read = name in _ENV_READS
            variable = _variable_read(node, name)
            index = 1 if read else 0
            if (read or name in _CONNECT_CALLS) and len(node.args) > index and \
                    (value := text(node.args[index])) is not None:
                # a connect call's first argument is the URL itself, not a variable it is the default of
                yield node, value, variable if read else None
            elif name in _CONNECT_CALLS and node.args and isinstance(node.args[0], ast.Name) \
                    and isinstance(value := constants.get(node.args[0].id), str):
                # psycopg2.connect(postgres_query), the constant bound elsewhere under a name that does not say
                # URL (config.py's `postgres_query = "dbname=mediatok_db user=postgres password=testtest"`):
                # the call is what says the app connects with it
                yield node, value, None
            for kw in node.keywords:
                if kw.arg and (kw.arg.lower() in _URL_KEYWORDS or _URL_KEY.search(kw.arg) or kw.arg == "default") \
                        and (value := text(kw.value)) is not None:
                    yield kw.value, value, variable if kw.arg == "default" else None


def _alembic_url_option(node: ast.Call) -> ast.AST | None:
    """The value of Alembic's `config.set_main_option("sqlalchemy.url", value)` or `set_section_option(section,
    "sqlalchemy.url", value)`."""
    name = called_name(node)
    at = 0 if name == "set_main_option" else 1 if name == "set_section_option" else None
    if at is None or len(node.args) != at + 2:
        return None
    key = node.args[at]
    return node.args[at + 1] if isinstance(key, ast.Constant) and key.value == "sqlalchemy.url" else None


def _variable_read(node: ast.Call, name: str) -> str | None:
    """The variable a read with a default names: its first argument (os.getenv("DB_URL", ...), environ's
    env.db("DATABASE_URL", default=...)), `env=`, or DATABASE_URL for dj-database-url's `config(default=...)`."""
    if node.args and _is_str(node.args[0]):
        return node.args[0].value
    named = next((kw.value.value for kw in node.keywords if kw.arg == "env" and _is_str(kw.value)), None)
    return named or ("DATABASE_URL" if name == "config" else None)


def _is_str(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _target_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and _is_str(node.slice):
        return node.slice.value
    return ""


def _python_mapping(node: ast.Dict) -> dict[str, object]:
    """A dict display's string keys (lower-case) with their literal values (str or int); others as None."""
    out: dict[str, object] = {}
    for k, v in zip(node.keys, node.values):
        if isinstance(k, ast.Constant) and isinstance(k.value, str):
            ok = isinstance(v, ast.Constant) and isinstance(v.value, (str, int)) and not isinstance(v.value, bool)
            out[k.value.lower()] = v.value if ok else None
    return out


# ------------------------------------------------------------------------------------------------ parts

def _parts_of(values: dict[str, object], rel: str, line: int, parent: str | None, service: str = "postgres",
              *, config_file: bool = False, service_hosts: bool = False) -> list[WrittenDatabase]:
    """A login from a mapping of parts (user, password, database, host, port), when it is a database's: under a
    database-like key (`parent`: a dict's key, an ini section), or naming a PostgreSQL engine. No user is
    libpq's default user, when the mapping names a host (a server's address, not a file's name). In a config
    file (ini, YAML, TOML) the host may be a compose service's (`postgres: {host: db, ...}` in a config.yaml the
    app loads itself): its login is the app's, and serve takes the connections to that host (PGHOSTADDR); so is
    one of SQLAlchemy's URL() parts (`service_hosts`), which is a URL's."""
    engine = next((values[k] for k in _ENGINE_KEYS if isinstance(values.get(k), str)), None)
    if engine is not None and not any(mark in str(engine).lower() for mark in ENGINE_MARKS[service]):
        return []
    if engine is None and not (parent and _PARTS_KEY[service].search(parent)):
        return []
    user, password, database = (_first(values, keys) for keys in (_USER_KEYS, _PASSWORD_KEYS, _DATABASE_KEYS))
    host = _first(values, _HOST_KEYS)
    port = values.get("port")
    if user is None and isinstance(host, str) and host:
        user = ""        # a server's address with no user: libpq's PGUSER (which serve sets), the OS user's
    elif user is None and service == "mysql" and isinstance(values.get("provider"), str) and host is None:
        # Pony's `PONY = {'provider': 'mysql', 'dbname': 'test'}`: no user or host is the MySQL client's defaults,
        # the OS user on localhost:3306 (a Django DATABASES entry naming only its ENGINE is no login: a choice of
        # the app's settings, which another variable may select)
        user = ""
    if database is None and service == "postgres" and isinstance(user, str) and user and config_file:
        # an ini section of host, user and password the app gives asyncpg.create_pool(**section): with no
        # database, libpq's and asyncpg's default is the database named as the user
        database = user
    if not (isinstance(user, str) and isinstance(database, str) and database):
        return []
    # a mapping's compose host stays another machine's: Django's DATABASES {"HOST": "db"} is pointed at serve's own
    # database by its settings overlay (run/django_overlay.py), with serve's login
    if (password is not None and not isinstance(password, str)) or \
            (host is not None and host not in LOCAL_HOSTS
             and not ((config_file or service_hosts) and service_host(host))):
        return []
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    return [WrittenDatabase(user, password or "", database, rel, line, port if isinstance(port, int) else None,
                            host=host or "")]


def _first(values: dict[str, object], keys: tuple[str, ...]) -> object:
    return next((values[k] for k in keys if k in values), None)


# ------------------------------------------------------------------------------------------------ ini, YAML

def _in_ini(text: str, rel: str, service: str = "postgres") -> list[WrittenDatabase]:
    """`sqlalchemy.url = postgresql://...` (alembic.ini, a Pyramid/Paste ini) or another URL-named key, or a
    section of parts (`[postgres]` host, port, user, password, database) the app's own configparser reads."""
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return []
    lines = text.splitlines()
    out = []
    for section in parser.sections():
        values = dict(parser.items(section))
        header = next((i for i, l in enumerate(lines, 1) if l.strip() == f"[{section}]"), 0)
        # [postgres] host = localhost / database = app: the parts the app's own configparser reads
        out += _parts_of({k.lower(): v for k, v in values.items()}, rel, header, section, service, config_file=True)
        for key, value in values.items():
            if _URL_KEY.search(key) and (got := parse_url(value or "", service)) is not None:
                line = next((i for i, l in enumerate(lines, 1) if l.strip().startswith(key)), 0)
                out.append(_login(got, rel, line, url=value))
    return out


def _in_yaml(text: str, rel: str, service: str = "postgres") -> list[WrittenDatabase]:
    import yaml
    try:
        data = yaml.load(text, Loader=_env_tag_loader())
    except yaml.YAMLError:
        return []
    if not isinstance(data, dict) or "kind" in data and "apiVersion" in data:   # a Kubernetes manifest
        return []
    return _in_mapping(data, text, rel, lambda line, key: line.startswith(f"{key}:"), service)


# `${DB_USER:postgres}` in a value tagged `!ENV`: the variable, and the default after the colon
_ENV_REFERENCE = re.compile(r"\$\{(\w+)(?::([^}]*))?\}")


def _env_tag_loader():
    """yaml's safe loader, plus the tags config loaders give values read from the environment (pyaml-env's
    `!ENV ${DB_HOST}`, `!ENV ${DB_USER:postgres}`): such a value is its default as written, or None (the
    environment's to give) where a variable has none, as for an environment read in code. Any other tag of the
    app's own gives None rather than failing the whole file (which would hide the login it writes)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def tagged(loader: yaml.SafeLoader, tag: str, node: yaml.Node) -> object:   # tag: what follows the "!"
        if tag.lower() not in ("env", "environ", "env_var") or not isinstance(node, yaml.ScalarNode):
            return None
        value = loader.construct_scalar(node)
        if any(m.group(2) is None for m in _ENV_REFERENCE.finditer(value)):
            return None
        return _ENV_REFERENCE.sub(lambda m: m.group(2), value)

    Loader.add_multi_constructor("!", tagged)
    return Loader


def _in_toml(text: str, rel: str, service: str = "postgres") -> list[WrittenDatabase]:
    import tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    # `url = "..."` under `[database]`, or the table's own header line for its parts
    return _in_mapping(data, text, rel, lambda line, key: re.match(rf"(\[\s*([\w.]+\.)?{re.escape(key)}\s*\]|"
                                                                    rf"{re.escape(key)}\s*=)", line) is not None,
                       service)


def _in_mapping(data: dict, text: str, rel: str, starts: Callable[[str, str], bool], service: str = "postgres"
                ) -> list[WrittenDatabase]:
    """The logins in a parsed config mapping (YAML, TOML): URLs under URL-named keys, parts under database keys;
    `starts(line, key)` tells the line that writes a key, for the line serve says."""
    out: list[WrittenDatabase] = []
    lines = text.splitlines()

    def line_of(key: str) -> int:
        return next((i for i, l in enumerate(lines, 1) if starts(l.strip(), key)), 0)

    def walk(node: object, parent: str | None) -> None:
        if not isinstance(node, dict):
            return
        values = {str(k).lower(): v for k, v in node.items()}
        out.extend(_parts_of(values, rel, line_of(parent) if parent else 1, parent, service, config_file=True))
        for key, value in node.items():
            if isinstance(value, str) and _URL_KEY.search(str(key)) and (got := parse_url(value, service)) is not None:
                out.append(_login(got, rel, line_of(str(key)), url=value))
            walk(value, str(key))

    walk(data, None)
    return out


def _unique(found: list[WrittenDatabase]) -> list[WrittenDatabase]:
    seen: set[tuple] = set()
    out = []
    for login in found:
        key = (login.user, login.password, login.database, login.port, login.line)
        if key not in seen:
            seen.add(key)
            out.append(login)
    return out
