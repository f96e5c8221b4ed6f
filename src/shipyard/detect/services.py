"""What the app needs around it: backing services, environment variables, static folders, system libraries."""

from __future__ import annotations

import ast
import json
import posixpath
import re
import string
import weakref
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import PurePosixPath
from typing import Iterable, Iterator, Mapping

from ..plan import Dependency, Service, StaticDir, SystemPackages
from ..project import Project
from .ast_nodes import ast_nodes
from .deps import normalize
from .async_engine import async_postgres_scheme, converted_scheme
from .configurations_values import value_reads
from .environ_config import environ_config_reads
from . import env_spans, env_switches, raise_guards
from .dynaconf_vars import dynaconf_keys
from .env_wrappers import EnvWrapper, default_node, env_wrappers, key_node
from .findings import EntryFinding
from .implied import DRIVERS, SQL_SERVICES, URL_SCHEMES, extra_drivers
from .redis_uses import RedisUses, redis_uses, unread_env_hint
from .settings_classes import settings_fields
from .sqlite_engine import sqlite_only_engine
from .source import StringHint, called_name, imported_modules, imported_names, parsed, string_hints

SERVICE_ORDER = ("postgres", "mysql", "redis")


# ---------------------------------------------------------------------------------------------- services

def services(project: Project, deps: Iterable[Dependency]) -> tuple[Service, ...]:
    """Databases and caches the app talks to: from its drivers, else from URLs and Django backends. A Redis
    URL in an env file counts only when the code reads a variable that file sets to it: the Redis serve would
    start must be one the app reads the address of."""
    deps = tuple(deps)
    hints = string_hints(project)
    uses = redis_uses(project, parsed(project), env_reads(project))
    pointing = service_variables(project, uses)
    read = frozenset(r.name for r in env_reads(project))
    from .db_part_vars import database_part_variables     # it builds on env_reads, here
    from .libpq_urls import libpq_url_variables           # likewise
    db_parts = database_part_variables(project)
    # a SQL database named only in strings while the app installs another's driver is an alternative it offers
    driven = {n for n in SQL_SERVICES if {normalize(d.name) for d in deps} & {normalize(x) for x in DRIVERS[n]}}
    # drivers of both SQL servers (a freeze's leftover psycopg2-binary beside mysqlclient) while the settings' ENGINE
    # and the URLs name only one of them: that one is the app's
    named = {h.service for h in hints if h.service in SQL_SERVICES and not unread_env_hint(project, h, read)}
    unused = driven - named if len(driven) > 1 and len(named & driven) == 1 else set()
    if len(driven) == 1 and not named & driven and freeze_leftover(project, driven):
        unused = set(driven)
    # an engine only SQLite can back (connect_args check_same_thread), and no server's driver the code imports: the
    # SQL server a freeze's driver or a commented-out URL names is not the app's database, and its URL breaks the app
    sqlite_only = set(SQL_SERVICES) if (driven or named & set(SQL_SERVICES)) and sqlite_only_engine(project) \
        and not _imported_distributions(project) & {normalize(d) for s in SQL_SERVICES for d in DRIVERS[s]} else set()
    out = []
    for name in SERVICE_ORDER:
        if name in sqlite_only:
            continue
        drivers = {normalize(d) for d in DRIVERS[name]}
        # the driver itself, or an extra that installs it (`piccolo[postgres]`: asyncpg)
        by_dep = next((d for d in deps if normalize(d.name) in drivers
                       or drivers & {normalize(x) for x in extra_drivers(d.name, d.spec)}), None)
        scheme = driver_scheme(name, hints, deps)
        if name == "postgres" and converted_scheme(project):
            # the code adds the driver to the plain URL it reads: it is given that one
            scheme = converted_scheme(project)
        elif name == "postgres" and libpq_url_variables(project):
            # the code hands the URL it reads to psycopg2/asyncpg itself, which refuse a driver's scheme
            scheme = "postgresql"
        elif name == "postgres" and not any(h.scheme for h in hints if h.service == name and not h.built):
            # the app writes no URL of its database (a README says what to set): an async engine needs the async
            # driver it declares
            scheme = async_postgres_scheme(project, {d.name for d in deps})
        extra = {"variables": pointing.get(name, ())} | ({"parts": uses.parts} if name == "redis" else
                                                         {"parts": db_parts} if name in SQL_SERVICES else {})
        if by_dep is not None and name not in unused:
            label = by_dep.name if normalize(by_dep.name) in drivers else by_dep.requirement  # piccolo[postgres]
            out.append(Service(name, f"{label} ({by_dep.source})", scheme=scheme, **extra))
            continue
        if name in SQL_SERVICES and driven - unused - {name}:
            continue
        by_hint = next((h for h in hints if h.service == name and not unread_env_hint(project, h, read)), None)
        if by_hint is not None:
            out.append(Service(name, by_hint.reason, scheme=scheme, **extra))
        elif name == "redis" and (required := _required_redis_read(project)) is not None:
            out.append(Service(name, required, scheme=scheme, **extra))
    return tuple(out)


def _required_redis_read(project: Project) -> str | None:
    """Why the app needs a Redis when nothing installs a client of it: its code requires a Redis variable
    (REDIS_HOST, REDIS_URL...) with no default, at import (a settings class's required `redis_host: str`), the
    Redis its compose file or README runs beside it. Without one the import fails on the unset name."""
    from ..redis_vars import is_redis_name
    for r in env_reads(project):
        if r.required and not r.default and is_redis_name(r.name):
            return f"{r.name} required in {r.path}"
    return None


def freeze_leftover(project: Project, driven: set[str]) -> bool:
    """Whether the one SQL server whose driver the app declares (`driven`) is a leftover of a pip freeze: nothing
    names it (no URL, engine), its code imports no driver of it, and it connects with a URL of the other one it
    writes itself (Friendzy's create_engine('postgresql://{}:{}@{}/{}'.format("user", "pwd", "localhost", "db"))
    beside an Ubuntu freeze's mysql-connector-python); or Django's settings write the default database's ENGINE
    as the other one's backend, which Django connects with."""
    from .imports import imported_distributions
    from .written_urls import logins                       # it builds on env_reads, here
    (service,) = driven
    # Django connects with the other one, whatever it imports: its settings write the default database's ENGINE as
    # that one's backend (a portfolio's DATABASES of MySQL at its host's server, beside psycopg2 in its requirements
    # and, oddly, in INSTALLED_APPS)
    if written_default_engines(project) - {service}:
        return True
    imported = {normalize(d) for d in imported_distributions(project)}
    if imported & {normalize(d) for d in DRIVERS[service]}:
        return False
    return [other for other in SQL_SERVICES if other != service and logins(project, other)] != []


def written_default_engines(project: Project) -> set[str]:
    """The services of the ENGINE a module-level `DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", ...}}`
    writes as a literal: what Django connects with, whatever host it names (not an engine read from a variable)."""
    from .implied import DJANGO_BACKENDS
    out = set()
    for tree in parsed(project).values():
        for node in tree.body:
            if not (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "DATABASES"
                                                         for t in node.targets) and isinstance(node.value, ast.Dict)):
                continue
            for key, value in zip(node.value.keys, node.value.values):
                if not (isinstance(key, ast.Constant) and key.value == "default" and isinstance(value, ast.Dict)):
                    continue
                for inner, engine in zip(value.keys, value.values):
                    if isinstance(inner, ast.Constant) and inner.value == "ENGINE" and isinstance(engine, ast.Constant) \
                            and engine.value in DJANGO_BACKENDS and DJANGO_BACKENDS[engine.value][0]:
                        out.add(DJANGO_BACKENDS[engine.value][0])
    return out


# Services `serve` runs itself and hands to the app as a URL (DATABASE_URL, REDIS_URL), which dj-database-url
# and the like turn into a driver: a driver of theirs may be chosen by that URL alone.
SERVED_BY_URL = frozenset({"postgres", "redis"})
SERVICE_NAMES = {"mysql": "MySQL"}


def unselected_drivers(project: Project, deps: Iterable[Dependency],
                       environ: Mapping[str, str]) -> dict[str, str]:
    """Declared drivers (normalized name -> the database, "MySQL") of a database `serve` does not run and
    nothing selects: no URL, Django engine or dialect of it in the app's code or configuration files (the
    string hints services() reads), and no URL of it in `environ`. An app that declares mysqlclient beside
    SQLite settings (a tutorial's requirements.txt kept "for later") never imports it; one whose own code imports the
    driver (`import MySQLdb`, a DB-API wrapper connecting with values of its own variables) selects it so."""
    hinted = {h.service for h in string_hints(project)}
    pointed = {URL_SCHEMES[scheme][0] for value in environ.values()
               if (scheme := value.partition("://")[0].lower()) in URL_SCHEMES and "://" in value}
    imported = _imported_distributions(project)
    out = {}
    for dep in deps:
        if normalize(dep.name) in imported:
            continue
        for service, drivers in DRIVERS.items():
            if service in SERVED_BY_URL or service in hinted or service in pointed:
                continue
            if normalize(dep.name) in {normalize(d) for d in drivers}:
                out[normalize(dep.name)] = SERVICE_NAMES.get(service, service)
    return out


def _imported_distributions(project: Project) -> set[str]:
    """Normalized names of the distributions the app's own modules import by name (`import MySQLdb`: mysqlclient)."""
    from .imports import known_distribution
    tops = {alias.name.split(".")[0] for tree in parsed(project).values() for node in ast_nodes(tree)
            if isinstance(node, ast.Import) for alias in node.names}
    tops |= {node.module.split(".")[0] for tree in parsed(project).values() for node in ast_nodes(tree)
             if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module}
    return {normalize(dist) for top in tops if (dist := known_distribution(top))}


def driver_scheme(service: str, hints: Iterable[StringHint], deps: Iterable[Dependency]) -> str:
    """The one `dialect+driver` scheme the app's own URLs write for `service` (alembic.ini's sqlalchemy.url,
    an example env file, a default in its settings) whose driver the app declares; "" when they write none,
    or several it declares (which one the code opens is not known from here). A scheme whose driver is not
    declared cannot be the one it opens (`alembic init`'s postgresql+psycopg2 left in alembic.ini beside an
    asyncpg app's settings, which makes psycopg2 an inferred dependency): the drivers its files declare decide
    first, then those inferred (an app with no dependency files)."""
    deps = tuple(deps)
    schemes = {h.scheme.lower() for h in hints if h.service == service and "+" in h.scheme}
    for among in ([d for d in deps if not d.inferred], deps):
        declared = {normalize(d.name) for d in among}
        found = [s for s in schemes if {normalize(URL_SCHEMES[s][1]), normalize(URL_SCHEMES[s][1]) + "-binary"}
                 & declared]
        if found:
            return found[0] if len(found) == 1 else ""
    return ""


# the service a default URL's scheme names: Redis, whose URLs carry no driver to keep (a PostgreSQL default
# such as postgresql+asyncpg://... would need its scheme kept when aimed at serve's database)
_SCHEMES = {"redis": "redis", "rediss": "redis"}


def service_variables(project: Project, uses: RedisUses) -> dict[str, tuple[str, ...]]:
    """Service -> the variables the app's code uses as that service's URL, whatever their names: read with a
    default URL of it (`os.environ.get("CELERY_BROKER", "redis://redis:6379/0")` points CELERY_BROKER at
    Redis, so the Redis `serve` brings goes there too: the default names a compose service this machine
    cannot reach), or, for Redis, used where the code wants a Redis URL or set to one in the app's env files
    (`uses`, from redis_uses.py: CACHELOCATION in a django-redis cache's LOCATION)."""
    out: dict[str, list[str]] = {}
    for read in env_reads(project):
        scheme, sep, _ = (read.default_text or "").partition("://")
        service = _SCHEMES.get(scheme.split("+")[0].lower()) if sep else None
        if service and read.name not in out.setdefault(service, []):
            out[service].append(read.name)
    out.setdefault("redis", []).extend(n for n in uses.urls if n not in out["redis"])
    return {k: tuple(sorted(v)) for k, v in out.items() if v}


# ---------------------------------------------------------------------------------------------- env vars

_ENV_FUNCS = {"getenv"}                          # os.getenv / getenv
_DECOUPLE = {"config"}                           # python-decouple's config("NAME")
_ENVIRON_CASTS = {"str", "bool", "int", "float", "list", "tuple", "dict", "url", "db", "db_url", "cache",
                  "cache_url", "email", "email_url", "json", "path", "search_url"}
# django-environ's URL readers without a name read these: `"default": env.db()` is DATABASE_URL
_ENVIRON_DEFAULT_NAMES = {"db": "DATABASE_URL", "db_url": "DATABASE_URL", "cache": "CACHE_URL",
                          "cache_url": "CACHE_URL", "email": "EMAIL_URL", "email_url": "EMAIL_URL",
                          "search_url": "SEARCH_URL"}


def env_vars(project: Project) -> tuple[str, ...]:
    """Names of environment variables the app's code reads, sorted."""
    return tuple(sorted({r.name for r in env_reads(project)}))


@dataclass(frozen=True)
class EnvRead:
    """One place the app's code reads an environment variable."""

    name: str
    path: str                  # the file, relative to the project root
    line: int                  # first and last line of the expression that reads it
    end_line: int
    default: bool              # a default is given: os.environ.get("X", "d"), config("X", default=...)
    separator: str | None      # the value is split into a list on this ("," for env.list / Csv, " " for .split())
    required: bool = False     # the read raises when it is unset: os.environ["X"], env.str("X"), config("X")
    default_text: str | None = None   # the default when it is a string written in the code ("redis://redis:6379")
    col: int = 0               # where the expression starts and ends on its lines (0, 0: the whole lines)
    end_col: int = 0
    tested: bool = False       # read to decide something: `"X" in os.environ`, `if os.getenv("X"):`, `a if env("X") else b`
    numeric: bool = False      # the value must parse as a number (a settings class's field typed int)
    # read only for its truth (`if config("X"):`), or inside the block such a test guards (env_switches.py)
    switch: bool = False


# env_reads per Project, as parsed() keeps its trees: the planner, the run configuration and the detectors that
# build on it (hosts, secret keys, config loaders, services) each ask, and one scan of a large app (ephios) takes
# seconds
_READS: "weakref.WeakKeyDictionary[Project, tuple[EnvRead, ...]]" = weakref.WeakKeyDictionary()


def env_reads(project: Project) -> tuple[EnvRead, ...]:
    """Every read of an environment variable by the app's code (os.environ[...], os.getenv, environ.get,
    django-environ's env.str/env.list, python-decouple's config, a pydantic BaseSettings class's fields),
    in file and line order. Scanned once per Project."""
    cached = _READS.get(project)
    if cached is None:
        cached = _READS[project] = _scan_env_reads(project)
    return cached


def _scan_env_reads(project: Project) -> tuple[EnvRead, ...]:
    out: list[EnvRead] = []
    trees = parsed(project)
    wrappers = {path: env_wrappers(tree, imported_modules(tree) | imported_names(tree), _is_environ)
                for path, tree in trees.items()}
    readers = _readers_by_module(trees, wrappers)
    by_name = {name: w for found in wrappers.values() for name, w in found.items()}
    schemes = _scheme_defaults(trees)
    for path, tree in trees.items():
        imported = imported_names(tree)
        env_objects = readers.get(path, set())
        split_on: dict[int, str] = {}
        or_default: dict[int, ast.AST] = {}
        tested = {id(inner) for node in ast_nodes(tree) if isinstance(node, (ast.If, ast.IfExp, ast.While))
                  for inner in ast_nodes(node.test)}
        truth = env_switches.truth_tested(tree)
        read_nodes: dict[int, int] = {}    # id of a read's node -> its index in out
        assigned = env_spans.assignments(tree)
        # int(os.environ.get("X")): None, unset, makes int() raise as os.environ["X"] would; a number when set
        converted = {id(node.args[0]) for node in ast_nodes(tree)
                     if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                     and node.func.id in ("int", "float") and len(node.args) == 1 and not node.keywords}
        # os.environ.get("PROJECT_NAME").title(), os.getenv("HOSTS").split(" "): a method of the value called on the
        # read itself, which None (unset) does not have: an AttributeError at import, as os.environ["X"] would raise
        dereferenced = {id(node.func.value) for node in ast_nodes(tree)
                        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and isinstance(node.func.value, ast.Call)}
        for node in ast_nodes(tree):      # X.split(sep) on a value read from the environment; X or "default"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
                sep = _split_separator(node)
                split = _unwrapped(node.func.value)
                if isinstance(split, ast.Name) and split.id in assigned:
                    # HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", ""), then ALLOWED_HOSTS = HOSTS.split(" ")
                    split_on.setdefault(id(_unwrapped(assigned[split.id].value)), sep)
                split_on[id(split)] = sep
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) > 1:
                or_default[id(node.values[0])] = node.values[1]
        for node in ast_nodes(tree):
            wrapper = _wrapper_called(node, env_objects, by_name)
            if wrapper is not None:
                # the app's own helper, get_env_var("PG_HOST"): a read of PG_HOST
                name, given = _string(key_node(node, wrapper)), default_node(node, wrapper)
                if name and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                    default = given is not None or id(node) in or_default
                    out.append(EnvRead(name, path, node.lineno, getattr(node, "end_lineno", None) or node.lineno,
                                       default, split_on.get(id(node)), not default and wrapper.raises,
                                       _string(or_default.get(id(node)) or given), node.col_offset,
                                       getattr(node, "end_col_offset", None) or 0, id(node) in tested,
                                       switch=id(node) in truth))
                read_nodes[id(node)] = len(out) - 1
                continue
            name = _env_read(node, imported, env_objects)
            if not name or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                continue
            separator = split_on.get(id(node))
            if separator is None and isinstance(node, ast.Call) and (
                    getattr(node.func, "attr", "") == "list" or any(
                        k.arg == "cast" and "Csv" in ast.dump(k.value) for k in node.keywords)):
                separator = ","
            # django-environ's `env = environ.Env(DEBUG=(bool, False))`: env("DEBUG") has that default
            schemed = name in schemes and _env_read(node, imported, set()) is None and not _default_node(node)
            default = _has_default(node) or id(node) in or_default or schemed
            # os.environ.get("X", None) gives what os.environ.get("X") gives: a default of nothing, and no raise
            given_none = isinstance(passed := _default_node(node), ast.Constant) and passed.value is None \
                and id(node) not in or_default
            out.append(EnvRead(name, path, node.lineno, getattr(node, "end_lineno", None) or node.lineno,
                               default and not given_none, separator,
                               not default and (_raises_when_unset(node) or id(node) in converted
                                                or id(node) in dereferenced),
                               _string(or_default.get(id(node)) or _default_node(node)
                                       or (schemes[name] if schemed else None)),
                               node.col_offset, getattr(node, "end_col_offset", None) or 0,
                               id(node) in tested or isinstance(node, ast.Compare), numeric=id(node) in converted,
                               switch=id(node) in truth))
            read_nodes[id(node)] = len(out) - 1
        for node_id in env_switches.guarded(tree, {n: out[i].name for n, i in read_nodes.items()}):
            out[read_nodes[node_id]] = replace(out[read_nodes[node_id]], switch=True)
        for name, node in _format_fields_from_environ(tree, imported):
            # "postgresql+asyncpg://{POSTGRES_USER}:...".format(**os.environ): a KeyError when one is unset
            out.append(EnvRead(name, path, node.lineno, getattr(node, "end_lineno", None) or node.lineno, False,
                               None, True, None, node.col_offset, getattr(node, "end_col_offset", None) or 0))
        for field in settings_fields(tree, imported, imported_modules(tree)):
            # pydantic raises a ValidationError for a field without a default that is not set
            out.append(EnvRead(field.name, path, field.line, field.end_line, field.default, None, not field.default,
                               field.default_text, numeric=field.numeric))
        for value in (*value_reads(tree, imported, imported_modules(tree)),
                      *environ_config_reads(tree, imported, imported_modules(tree))):
            # django-configurations: DJANGO_DB_HOST for values.Value(..., environ_name="DB_HOST"); environ-config:
            # SNIKKET_WEB_SECRET_KEY for `secret_key = environ.var()` in an @environ.config(prefix="SNIKKET_WEB")
            out.append(EnvRead(value.name, path, value.line, value.end_line, value.default, None, value.required,
                               value.default_text))
    guarded = raise_guards.guarded_names(trees)
    for i, read in enumerate(out):
        # EMAIL_HOST = os.environ.get("EMAIL_HOST"), then `if not EMAIL_HOST: raise ...`: unset stops the import
        if not (read.required or read.default) and read.path in guarded \
                and raise_guards.top_level_binding(trees[read.path], read.line, read.col) in guarded[read.path]:
            out[i] = replace(read, required=True)
    for key in dynaconf_keys(project, trees):
        # Dynaconf: every key of its settings file, which the variable overrides (the file is its default)
        out.append(EnvRead(key.name, key.path, key.line, key.line, True, None))
    return tuple(sorted(out, key=lambda r: (r.path, r.line, r.name)))


def settings_variables(project: Project) -> dict[str, str]:
    """Fields of the app's pydantic settings classes read under another name than their own, as pydantic's
    errors name them (capitals) -> the variable read: `redis_uri = Field(..., env="BACKEND_REDIS_DSN")`,
    an env_prefix's `APP_NAME`."""
    out: dict[str, str] = {}
    for tree in parsed(project).values():
        for field in settings_fields(tree, imported_names(tree), imported_modules(tree)):
            if field.attribute.upper() != field.name.upper():
                out.setdefault(field.attribute.upper(), field.name)
    return out


def _unwrapped(node: ast.AST) -> ast.AST:
    """`(os.environ.get("X") or "")`, `str(os.getenv("X"))`, `os.getenv("X", "").strip()` -> the read itself,
    so `.split` on it is found: none of them changes where the value splits."""
    while True:
        if isinstance(node, ast.BoolOp) and node.values:
            node = node.values[0]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "str" \
                and len(node.args) == 1:
            node = node.args[0]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not node.args \
                and node.func.attr in _KEEPS_SPLIT:
            node = node.func.value
        else:
            return node


_KEEPS_SPLIT = frozenset({"strip", "lstrip", "rstrip", "lower", "upper"})


def _split_separator(call: ast.Call) -> str:
    """What `.split(...)` splits on: its first argument or `sep=`; " " (any whitespace) without one."""
    given = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "sep"), None)
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return given.value
    return " "


def _scheme_defaults(trees: dict[str, ast.AST]) -> dict[str, ast.AST]:
    """The variables django-environ's `Env(...)` is given a default for, each by its default's node: `environ.Env(
    DEBUG=(bool, False), ENVIRONMENT=(str, 'dev'))` makes env("ENVIRONMENT") 'dev' when it is unset, not an
    ImproperlyConfigured (a scheme of a bare cast, `DEBUG=bool`, gives none)."""
    out: dict[str, ast.AST] = {}
    for tree in trees.values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and _makes_reader(node, {}) and not node.args:
                for k in node.keywords:
                    if k.arg and isinstance(k.value, ast.Tuple) and len(k.value.elts) == 2:
                        out.setdefault(k.arg, k.value.elts[1])
    return out


def _has_default(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return isinstance(node, ast.Compare)          # "X" in os.environ: a test, not a read that fails
    return len(node.args) >= 2 or any(k.arg == "default" for k in node.keywords)


def _raises_when_unset(node: ast.AST) -> bool:
    """os.environ["X"], os.environ.pop("X"), django-environ's env("X") and python-decouple's config("X") raise
    on a variable that is not set; os.getenv("X") and os.environ.get("X") give None."""
    if isinstance(node, ast.Subscript):
        return True
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute):
        return func.attr not in ("get", "getenv")
    return isinstance(func, ast.Name) and func.id not in _ENV_FUNCS


def _default_node(node: ast.AST) -> ast.AST | None:
    """The default argument of a read: os.environ.get("X", d), os.getenv("X", d), config("X", default=d)."""
    if not isinstance(node, ast.Call):
        return None
    given = [k.value for k in node.keywords if k.arg == "default"]
    return given[0] if given else node.args[1] if len(node.args) >= 2 else None


def default_of(node: ast.AST) -> ast.AST | None:
    """The default a read found by env_reads passes, if any (the app's own helper's second argument too)."""
    return _default_node(node)


def _string(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# settings readers whose instance is then called with the variable's name: config = Config(".env");
# config("SECRET_KEY", cast=str) (Starlette's starlette.config, python-decouple's Config/AutoConfig)
_CONFIG_CLASSES = {"starlette.config.Config", "decouple.Config", "decouple.AutoConfig"}


def _reader_objects(tree: ast.AST, imported: dict[str, str]) -> set[str]:
    """Names bound to `environ.Env(...)` (django-environ), or to a settings reader that is called with the
    variable's name (`Config(...)` of starlette.config, python-decouple's `Config`/`AutoConfig`), or to what a
    function of the module returns when every return is one of those or python-decouple's own `config`: the
    Coding for Entrepreneurs courses' env.py, `config = get_config()` with a get_config() that returns
    `Config(RepositoryEnv(".env"))` when the file exists and decouple's `config` otherwise."""
    makers = {f.name for f in getattr(tree, "body", ()) if isinstance(f, ast.FunctionDef) and _returns_reader(f, imported)}
    out = set()
    for node in ast_nodes(tree):
        if isinstance(node, ast.Assign) and (_makes_reader(node.value, imported) or (
                isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name)
                and node.value.func.id in makers and not node.value.args)):
            out.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return out


def _makes_reader(value: ast.AST, imported: dict[str, str]) -> bool:
    """`Env(...)`, `Config(...)`/`AutoConfig(...)` of a known reader class."""
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    return (isinstance(func, ast.Attribute) and func.attr == "Env" and isinstance(func.value, ast.Name)) \
        or (isinstance(func, ast.Name) and func.id == "Env") \
        or (isinstance(func, ast.Name) and imported.get(func.id) in _CONFIG_CLASSES) \
        or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and f"{imported.get(func.value.id, func.value.id)}.{func.attr}" in _CONFIG_CLASSES)


def _returns_reader(func: ast.FunctionDef, imported: dict[str, str]) -> bool:
    """Every `return` of `func` gives a reader: a new one, or python-decouple's `config` (under any alias)."""
    returns = [n.value for n in ast_nodes(func) if isinstance(n, ast.Return)]
    return bool(returns) and all(
        v is not None and (_makes_reader(v, imported)
                           or (isinstance(v, ast.Name) and imported.get(v.id) == "decouple.config"))
        for v in returns)


def _wrapper_called(node: ast.AST, env_objects: set[str], wrappers: dict[str, EnvWrapper]) -> EnvWrapper | None:
    """The app's own helper this node calls by name (defined or imported in its module), if it is one."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in env_objects:
        return wrappers.get(node.func.id)
    return None


def _readers_by_module(trees: dict[str, ast.AST], wrappers: dict[str, dict[str, EnvWrapper]] | None = None
                       ) -> dict[str, set[str]]:
    """File -> the reader objects it can call: those it binds itself (and its own helpers that read a variable by
    name, `wrappers`), and those it imports from another module of the project that binds them.
    cookiecutter-django's production.py reads `env("DJANGO_SECRET_KEY")` with `from .base import env`, the
    `env = environ.Env()` of base.py."""
    out = {path: _reader_objects(tree, imported_modules(tree) | imported_names(tree))
           | set((wrappers or {}).get(path, ())) for path, tree in trees.items()}
    for _ in range(3):                    # a reader passed along a chain of settings modules (base -> prod -> local)
        grew = False
        for path, tree in trees.items():
            for source, name, local in _project_imports(path, tree, trees):
                # `from .base import *` brings every reader base.py has
                given = set(out.get(source, ())) if name == "*" else {local} if name in out.get(source, ()) else set()
                if given - out[path]:
                    out[path] |= given
                    grew = True
        if not grew:
            break
    return out


def _project_imports(path: str, tree: ast.AST, trees: dict[str, ast.AST]) -> Iterable[tuple[str, str, str]]:
    """(file of the project it comes from, name there, local name) for each `from X import name [as local]`
    (name "*" for `import *`) whose module is a file of the project: relative (`from .base import env`), or
    absolute and matched by its path's end (`from config.settings.base import env`)."""
    for node in ast_nodes(tree):
        if not isinstance(node, ast.ImportFrom):
            continue
        parts = node.module.split(".") if node.module else []
        if node.level:
            base = PurePosixPath(path).parent.parts
            base = base[:len(base) - (node.level - 1)] if node.level - 1 <= len(base) else None
            if base is None:
                continue
            wanted = ["/".join((*base, *parts)) + ".py", "/".join((*base, *parts, "__init__.py"))]
            sources = [w.lstrip("/") for w in wanted if w.lstrip("/") in trees]
        elif parts:
            ends = ("/".join(parts) + ".py", "/".join((*parts, "__init__.py")))
            sources = [rel for rel in trees if any(rel == e or rel.endswith("/" + e) for e in ends)]
        else:
            continue
        for source in sources[:1]:
            for alias in node.names:
                yield source, alias.name, alias.asname or alias.name


def _format_fields_from_environ(tree: ast.Module, imported: dict[str, str]) -> Iterator[tuple[str, ast.Call]]:
    """(name, call) for each field a string literal formats from the environment: `"{DB_HOST}:{DB_PORT}".format(
    **os.environ)`, `"...".format_map(os.environ)`; each field is a variable it reads."""
    for node in ast_nodes(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
            continue
        if node.func.attr == "format":
            environ = any(k.arg is None and _is_environ(k.value, imported) for k in node.keywords)
        elif node.func.attr == "format_map":
            environ = len(node.args) == 1 and _is_environ(node.args[0], imported)
        else:
            continue
        if not environ:
            continue
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(node.func.value.value) if f]
        except ValueError:
            continue
        for field in dict.fromkeys(re.split(r"[.\[!:]", f, maxsplit=1)[0] for f in fields):
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", field):
                yield field, node


def _is_environ(node: ast.AST, imported: dict[str, str]) -> bool:
    """`os.environ`, or `environ` imported from os."""
    if isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", "") == "os":
        return True
    return isinstance(node, ast.Name) and imported.get(node.id) == "os.environ"


def _keyword_str(call: ast.Call, name: str) -> str | None:
    value = next((k.value for k in call.keywords if k.arg == name), None)
    return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _first_str(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _env_read(node: ast.AST, imported: dict[str, str], env_objects: set[str]) -> str | None:
    if isinstance(node, ast.Subscript) and _is_environ(node.value, imported):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn)) \
            and _is_environ(node.comparators[0], imported) and isinstance(node.left, ast.Constant):
        return node.left.value if isinstance(node.left.value, str) else None
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute):
        if func.attr in ("get", "pop") and _is_environ(func.value, imported):
            return _first_str(node)
        if func.attr == "getenv" and getattr(func.value, "id", "") == "os":
            return _first_str(node)
        if func.attr in _ENVIRON_CASTS and getattr(func.value, "id", "") in env_objects:
            return _first_str(node) or _keyword_str(node, "var") or (
                None if node.args else _ENVIRON_DEFAULT_NAMES.get(func.attr))
    if isinstance(func, ast.Name):
        if func.id in _ENV_FUNCS and imported.get(func.id) == "os.getenv":
            return _first_str(node)
        if func.id in _DECOUPLE and imported.get(func.id, "").startswith("decouple."):
            return _first_str(node)
        if func.id in env_objects:
            return _first_str(node)
    return None


# ---------------------------------------------------------------------------------------------- static

def static_dirs(project: Project, finding: EntryFinding | None) -> tuple[StaticDir, ...]:
    """Folders nginx can serve directly, with the URL prefix the app serves them under."""
    workdir = finding.workdir if finding else "."
    found: dict[str, StaticDir] = {}
    for rel, tree in sorted(parsed(project).items()):
        values = _module_values(tree, rel, workdir)
        for node in ast_nodes(tree):
            for item in (_flask_static(node, rel, values), _mounted_static(node, rel, values, workdir),
                         _falcon_static(node, rel, values, workdir), *_bottle_static(node, rel, values, workdir)):
                if item and project.path(item.path).is_dir():
                    found.setdefault(item.url, item)
    settings = _django_settings_file(project, finding)
    if settings:
        item = _django_static(project, settings, workdir)
        if item:
            found[item.url] = item
    convention = _CONVENTIONAL_STATIC.get(finding.framework) if finding else None
    if convention and project.path(folder := _join(workdir, convention[1]) or ".").is_dir():
        found.setdefault(convention[0], StaticDir(convention[0], folder))
    # a route of the app's own under a static prefix (`@app.route('/static/js/socket.io.js')`, a redirect to a CDN)
    # would be shadowed by nginx's folder there (404 for a file the folder lacks): the app keeps serving that prefix
    routed = _routed_paths(project)
    return tuple(sorted((d for d in found.values() if d.url == "/" or not any(p.startswith(d.url) for p in routed)),
                        key=lambda s: s.url))


# decorators and calls that register a route at a literal path: Flask/Quart/Bottle/FastAPI/Starlette style
_ROUTE_CALLS = frozenset({"route", "get", "post", "put", "delete", "patch", "api_route", "add_url_rule"})


def _routed_paths(project: Project) -> set[str]:
    """The fixed paths the app's code registers routes at (`@app.route("/x")`, `app.add_url_rule("/x", ...)`)."""
    paths: set[str] = set()
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _ROUTE_CALLS \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                    and node.args[0].value.startswith("/") and not set("<{:") & set(node.args[0].value):
                # (a route with a parameter, `/static/<filepath:path>`, is how an app serves the folder itself:
                # Bottle's static_file; nginx then serves it instead)
                paths.add(node.args[0].value)
    return paths


def absent_static_folders(project: Project, workdir: str) -> tuple[str, ...]:
    """Folders, relative to the project root, that Starlette's StaticFiles is mounted on (app.mount / Mount) and
    the checkout lacks. StaticFiles refuses a missing folder when the app is built ("RuntimeError: Directory
    'static' does not exist", unless check_dir=False), and git keeps no empty folder: an app whose static/ held
    nothing committed (only ignored or no files) fails at import on a fresh clone, where its author's folder was
    there. Only folders inside the project, under a path this reader can follow."""
    found: dict[str, None] = {}
    for rel, tree in sorted(parsed(project).items()):
        values = _module_values(tree, rel, workdir)
        for node in ast_nodes(tree):
            item = _mounted_static(node, rel, values, workdir)
            if item is None or _unchecked(node) or project.path(item.path).exists():
                continue
            path = posixpath.normpath(item.path)
            if path not in (".", "") and not path.startswith("../"):
                found.setdefault(path)
    return tuple(found)


def _unchecked(mount: ast.Call) -> bool:
    """StaticFiles(..., check_dir=False): a missing folder is the app's choice (made later, or optional)."""
    files = mount.args[1] if len(mount.args) >= 2 else next((kw.value for kw in mount.keywords if kw.arg == "app"))
    assert isinstance(files, ast.Call)
    return any(kw.arg == "check_dir" and not (isinstance(kw.value, ast.Constant) and kw.value.value is True)
               for kw in files.keywords)


# Frameworks whose own development server serves a folder of the working directory that the app itself does not
# (web.py's StaticMiddleware: ./static/ at /static/): under a production server only nginx serves it
_CONVENTIONAL_STATIC = {"webpy": ("/static/", "static")}


def _url(prefix: str) -> str:
    return "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"


class _Path:
    """A path computed in the app's source, relative to the project root (None when unknown)."""

    def __init__(self, rel: str | None) -> None:
        self.rel = rel


def _parent(rel: str | None) -> str | None:
    if rel is None or rel in ("", "."):
        return None  # above the project root: not ours to serve
    parent = str(PurePosixPath(rel).parent)
    return parent


def _join(base: str | None, *parts: str) -> str | None:
    if base is None:
        return None
    out = PurePosixPath(base)
    for part in parts:
        if part.startswith("/"):
            return None  # an absolute path in the image is not a project folder
        out = out / part
    text = str(out)
    return "." if text in ("", ".") else text


def _evaluate(node: ast.AST, rel: str, workdir: str, values: dict[str, object]) -> object:
    """Strings and paths, as far as they can be known without running the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, type(None))):
        return node.value
    if isinstance(node, ast.Name):
        if node.id == "__file__":
            return _Path(rel)
        return values.get(node.id)
    if isinstance(node, ast.Call):
        func = node.func
        fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        args = [_evaluate(a, rel, workdir, values) for a in node.args]
        if fname in ("Path", "PurePath", "PosixPath") and len(args) == 1:
            return args[0] if isinstance(args[0], _Path) else (_Path(_join(workdir, args[0])) if isinstance(args[0], str) else None)
        if fname in ("resolve", "absolute") and isinstance(func, ast.Attribute):
            return _evaluate(func.value, rel, workdir, values)
        if fname in ("abspath", "realpath", "normpath", "str", "fspath") and len(args) == 1:
            return args[0]
        if fname == "dirname" and len(args) == 1 and isinstance(args[0], _Path):
            return _Path(_parent(args[0].rel))
        if fname in ("join", "joinpath"):
            base = _evaluate(func.value, rel, workdir, values) if fname == "joinpath" else (args.pop(0) if args else None)
            if isinstance(base, str):
                base = _Path(_join(workdir, base))
            if isinstance(base, _Path) and all(isinstance(a, str) for a in args):
                return _Path(_join(base.rel, *args))  # type: ignore[arg-type]
        return None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        base = _evaluate(node.value, rel, workdir, values)
        return _Path(_parent(base.rel)) if isinstance(base, _Path) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        left = _evaluate(node.left, rel, workdir, values)
        right = _evaluate(node.right, rel, workdir, values)
        if isinstance(left, _Path) and isinstance(right, str):
            return _Path(_join(left.rel, right))
    return None


def _module_values(tree: ast.Module, rel: str, workdir: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _evaluate(node.value, rel, workdir, values)
            if value is not None:
                values[node.targets[0].id] = value
    return values


def _as_path(value: object, base: str | None) -> str | None:
    if isinstance(value, _Path):
        return value.rel
    if isinstance(value, str):
        return _join(base, value)
    return None


def _flask_static(node: ast.AST, rel: str, values: dict[str, object]) -> StaticDir | None:
    """Flask(__name__, static_folder=..., static_url_path=...): relative to the module's folder."""
    if not (isinstance(node, ast.Call) and called_name(node) in ("Flask", "Quart")):
        return None
    kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    folder_value: object = "static"
    if "static_folder" in kwargs:
        folder_value = _evaluate(kwargs["static_folder"], rel, ".", values)
        if folder_value is None:
            return None  # static_folder=None turns static files off (or is computed)
    module_dir = str(PurePosixPath(rel).parent)
    path = _as_path(folder_value, module_dir)
    if path is None:
        return None
    url_path = None
    if "static_url_path" in kwargs:
        url_path = _evaluate(kwargs["static_url_path"], rel, ".", values)
        if not isinstance(url_path, str):
            return None
    if url_path is None:
        url_path = "/" + PurePosixPath(path).name
    return StaticDir(_url(url_path), path)


def _mounted_static(node: ast.AST, rel: str, values: dict[str, object], workdir: str) -> StaticDir | None:
    """Starlette/FastAPI: app.mount("/static", StaticFiles(directory="static")), or the route
    Mount("/static", StaticFiles(directory="static")) / Mount("/static", app=StaticFiles(...)) in a routes list."""
    if not (isinstance(node, ast.Call) and called_name(node) in ("mount", "Mount") and node.args):
        return None
    prefix = node.args[0]
    files = node.args[1] if len(node.args) >= 2 else next((kw.value for kw in node.keywords if kw.arg == "app"), None)
    if not (isinstance(prefix, ast.Constant) and isinstance(prefix.value, str) and isinstance(files, ast.Call)
            and called_name(files) == "StaticFiles"):
        return None
    directory = next((kw.value for kw in files.keywords if kw.arg == "directory"), None)
    if directory is None:
        return None
    path = _as_path(_evaluate(directory, rel, workdir, values), workdir)
    return StaticDir(_url(prefix.value), path) if path else None


def _falcon_static(node: ast.AST, rel: str, values: dict[str, object], workdir: str) -> StaticDir | None:
    if not (isinstance(node, ast.Call) and called_name(node) == "add_static_route" and len(node.args) >= 2):
        return None
    prefix = node.args[0]
    if not (isinstance(prefix, ast.Constant) and isinstance(prefix.value, str)):
        return None
    path = _as_path(_evaluate(node.args[1], rel, workdir, values), workdir)
    return StaticDir(_url(prefix.value), path) if path else None


def _bottle_static(node: ast.AST, rel: str, values: dict[str, object], workdir: str) -> list[StaticDir]:
    """@route('/static/<filepath:path>') returning static_file(filepath, root='static')."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    routes = [d.args[0].value for d in node.decorator_list
              if isinstance(d, ast.Call) and d.args and isinstance(d.args[0], ast.Constant)
              and isinstance(d.args[0].value, str) and "<" in d.args[0].value]
    if not routes:
        return []
    out = []
    for inner in ast_nodes(node):
        if isinstance(inner, ast.Call) and called_name(inner) == "static_file":
            root = next((kw.value for kw in inner.keywords if kw.arg == "root"), None)
            path = _as_path(_evaluate(root, rel, workdir, values), workdir) if root is not None else None
            if path:
                out.extend(StaticDir(_url(r.split("<")[0]), path) for r in routes)
    return out


def _django_settings_file(project: Project, finding: EntryFinding | None) -> str | None:
    if finding and finding.entry.settings_module:
        rel = _join(finding.workdir, finding.entry.settings_module.replace(".", "/") + ".py")
        if rel and project.is_file(rel):
            return rel
    if finding and finding.framework != "django":
        return None
    for rel, tree in sorted(parsed(project).items()):
        if any(isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "INSTALLED_APPS" for t in n.targets)
               for n in tree.body):
            return rel
    return None


def _django_static(project: Project, rel: str, workdir: str) -> StaticDir | None:
    """STATIC_URL and STATIC_ROOT, the folder `manage.py collectstatic` fills and nginx serves."""
    tree = parsed(project).get(rel)
    if tree is None:
        return None
    values = _module_values(tree, rel, workdir)
    url = values.get("STATIC_URL", "static/")
    root = values.get("STATIC_ROOT")
    if root is None:
        return _unnamed_static_root(project, url, workdir)
    # an absolute STATIC_ROOT ("/vol/web/static", Docker tutorials' volume) is where collectstatic writes in the
    # image and here alike: nginx serves it from there
    path = root.rstrip("/") if isinstance(root, str) and root.startswith("/") and root != "/" \
        else _as_path(root, workdir)
    if not isinstance(url, str) or "://" in url or not path or path == ".":
        return None
    return StaticDir(_url(url), path)


def _unnamed_static_root(project: Project, url: object, workdir: str) -> StaticDir | None:
    """Settings that name no STATIC_ROOT, or one reading them cannot follow (startproject's default; runserver
    serves every app's static files itself while DEBUG is on): under a real server the admin's CSS answered 404.
    The image collects into a folder of its own for nginx (the runtime gives collectstatic that folder, or links
    it to the STATIC_ROOT the settings do compute)."""
    if not isinstance(url, str) or "://" in url or not _uses_staticfiles(project):
        return None
    folder = next(f for f in ("staticfiles", "staticfiles-collected", "shipyard-static")
                  if not project.path(_join(workdir, f) or f).exists())
    return StaticDir(_url(url), _join(workdir, folder) or folder, shipyard_root=True)


def _uses_staticfiles(project: Project) -> bool:
    """An INSTALLED_APPS somewhere names django.contrib.staticfiles (the app collectstatic comes from)."""
    return any(isinstance(n, ast.Constant) and n.value == "django.contrib.staticfiles"
               for tree in parsed(project).values() for n in ast_nodes(tree))


# ---------------------------------------------------------------------------------------------- system

@lru_cache(maxsize=1)
def _system_table() -> dict[str, dict]:
    text = resources.files("shipyard").joinpath("data/system_packages.json").read_text(encoding="utf-8")
    return json.loads(text)["packages"]


def system_packages(deps: Iterable[Dependency]) -> SystemPackages:
    """Debian packages that installing `deps` needs: build-only, and at run time."""
    table = _system_table()
    build: set[str] = set()
    runtime: set[str] = set()
    reasons: list[str] = []
    for dep in sorted(deps, key=lambda d: normalize(d.name)):
        entry = table.get(normalize(dep.name))
        if entry is None:
            continue
        extras = set(re.findall(r"[\w-]+", dep.spec.split("]")[0])) if dep.spec.startswith("[") else set()
        if extras & set(entry.get("extras_without", ())):
            continue
        build.update(entry["build"])
        runtime.update(entry["runtime"])
        reasons.append(f"{dep.name}: {entry['reason']} (build: {' '.join(entry['build']) or '-'}; "
                       f"runtime: {' '.join(entry['runtime']) or '-'})")
    return SystemPackages(build=tuple(sorted(build)), runtime=tuple(sorted(runtime)), reasons=tuple(reasons))
