"""Implied dependencies: packages a framework or a string imports on the app's behalf.

The app's own imports do not name them: `from fastapi.templating import Jinja2Templates` needs jinja2,
a `postgresql://` URL needs the driver SQLAlchemy loads for it, Django's DATABASES ENGINE names its
driver. One table per kind of trigger, each row with the reason that `inspect --json` and
`reqs --json` report as the dependency's source.
"""

from __future__ import annotations

import ast
import re

from packaging.utils import canonicalize_name

from . import config_names
from .ast_nodes import ast_nodes

# Imported module (or module.name) -> (distribution, why). Matched on the dotted import or any of its
# prefixes, so `from fastapi.templating import Jinja2Templates` matches "fastapi.templating".
IMPORTS: dict[str, tuple[str, str]] = {
    "starlette.templating": ("Jinja2", "Starlette's Jinja2Templates imports jinja2"),
    "fastapi.templating": ("Jinja2", "FastAPI's Jinja2Templates imports jinja2"),
    "starlette.middleware.sessions": ("itsdangerous", "Starlette's SessionMiddleware signs with itsdangerous"),
    "fastapi.Form": ("python-multipart", "FastAPI parses form data with python-multipart"),
    "fastapi.File": ("python-multipart", "FastAPI parses uploads with python-multipart"),
    "fastapi.UploadFile": ("python-multipart", "FastAPI parses uploads with python-multipart"),
    "fastapi.security.OAuth2PasswordRequestForm": ("python-multipart",
                                                   "OAuth2PasswordRequestForm is form data (python-multipart)"),
    "fastapi.responses.ORJSONResponse": ("orjson", "ORJSONResponse serializes with orjson"),
    "fastapi.responses.UJSONResponse": ("ujson", "UJSONResponse serializes with ujson"),
    "pydantic.EmailStr": ("email-validator", "pydantic's EmailStr validates with email-validator"),
    "pydantic.networks.EmailStr": ("email-validator", "pydantic's EmailStr validates with email-validator"),
    "wtforms.validators.Email": ("email-validator", "WTForms' Email validator needs email-validator"),
    "wtforms.validators.email": ("email-validator", "WTForms' Email validator needs email-validator"),
    "django.contrib.postgres": ("psycopg2", "django.contrib.postgres works only with a PostgreSQL driver"),
    "aiohttp_session.cookie_storage.EncryptedCookieStorage": (
        "cryptography", "aiohttp-session's EncryptedCookieStorage encrypts with cryptography"),
    "flask_marshmallow.sqla": ("marshmallow-sqlalchemy", "flask-marshmallow's sqla module imports marshmallow_sqlalchemy"),
    # Flask-Admin's peewee views refuse to import without wtfpeewee, which no import of the app's names
    "flask_admin.contrib.peewee": ("wtf-peewee", "Flask-Admin's peewee views build their forms with wtf-peewee"),
    # bottle's template adapters import their engine on first render (every such page 500 without it)
    "bottle.jinja2_template": ("Jinja2", "Bottle's jinja2_template renders with jinja2"),
    "bottle.jinja2_view": ("Jinja2", "Bottle's jinja2_view renders with jinja2"),
    "bottle.mako_template": ("Mako", "Bottle's mako_template renders with mako"),
    "bottle.mako_view": ("Mako", "Bottle's mako_view renders with mako"),
    # huey's Redis storages import redis when the queue is made (at import: "redis" python module not found)
    "huey.RedisHuey": ("redis", "huey's RedisHuey stores its queue with the redis package"),
    "huey.PriorityRedisHuey": ("redis", "huey's PriorityRedisHuey stores its queue with the redis package"),
    "huey.RedisExpireHuey": ("redis", "huey's RedisExpireHuey stores its queue with the redis package"),
}

# Attributes a library's objects have only when another package is installed, which the app then never imports
# itself: flask-marshmallow's Marshmallow(app) gives ModelSchema, SQLAlchemyAutoSchema... only with
# marshmallow-sqlalchemy ("'Marshmallow' object has no attribute 'ModelSchema'" at import without it).
# Imported module -> (attribute names, distribution, why); counted where the module is imported anywhere.
ATTRIBUTES: dict[str, tuple[frozenset[str], str, str]] = {
    "flask_marshmallow": (frozenset({"ModelSchema", "TableSchema", "SQLAlchemySchema", "SQLAlchemyAutoSchema",
                                     "auto_field", "HyperlinkRelated"}), "marshmallow-sqlalchemy",
                          "flask-marshmallow gives its SQLAlchemy schemas only where marshmallow-sqlalchemy is installed"),
}

# Libraries that import without any of the packages they work with, installed only as extras of theirs
# (quart-schema >= 0.20: `quart-schema[pydantic]` or `[msgspec]`), and then fail on first use (its /openapi.json
# and every validated route: "Cannot create schema ... try installing msgspec or pydantic"). Imported module ->
# (the distributions that serve, the first one added when the app has none of them, why).
ONE_OF: dict[str, tuple[tuple[str, ...], str]] = {
    "quart_schema": (("pydantic", "msgspec"),
                     "quart-schema converts models with pydantic or msgspec, extras it does not install itself"),
}

# Database drivers by service: any of these in the dependency list means the app talks to that service.
DRIVERS: dict[str, tuple[str, ...]] = {
    "postgres": ("psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "psycopg-c", "psycopg2cffi",
                 "asyncpg", "pg8000", "aiopg"),
    "mysql": ("mysqlclient", "pymysql", "mysql-connector-python", "aiomysql", "asyncmy"),
    # arq (job queue), django-rq and flask-rq2 (rq) talk to Redis and nothing else: the app needs one running
    "redis": ("redis", "aioredis", "django-redis", "hiredis", "rq", "flask-redis", "django-cacheops", "tornado-redis",
              "arq", "django-rq", "flask-rq2"),
}

# Databases of which an app runs one: a driver declared for one makes the other's engine strings and URLs
# alternatives the app offers (selected by a variable), not a database it needs.
SQL_SERVICES = ("postgres", "mysql")

# Extras that install a database driver, by distribution (normalized names): declaring `piccolo[postgres]`
# declares asyncpg, so the app talks to PostgreSQL and the driver is not inferred again.
EXTRA_DRIVERS: dict[str, dict[str, str]] = {
    "piccolo": {"postgres": "asyncpg", "sqlite": "aiosqlite"},
    "quart-db": {"postgresql": "asyncpg", "sqlite": "aiosqlite"},
    "databases": {"postgresql": "asyncpg", "asyncpg": "asyncpg", "aiopg": "aiopg", "mysql": "aiomysql",
                  "aiomysql": "aiomysql", "asyncmy": "asyncmy", "sqlite": "aiosqlite", "aiosqlite": "aiosqlite"},
    "ormar": {"postgresql": "asyncpg", "postgres": "asyncpg", "mysql": "aiomysql", "sqlite": "aiosqlite"},
    "tortoise-orm": {"asyncpg": "asyncpg", "psycopg": "psycopg", "asyncmy": "asyncmy", "aiomysql": "aiomysql"},
    "sqlalchemy": {"postgresql": "psycopg2", "postgresql-psycopg2binary": "psycopg2-binary",
                   "postgresql-asyncpg": "asyncpg", "postgresql-psycopg": "psycopg",
                   "postgresql-psycopgbinary": "psycopg-binary", "postgresql-pg8000": "pg8000",
                   "mysql": "mysqlclient", "pymysql": "pymysql", "aiomysql": "aiomysql", "asyncmy": "asyncmy",
                   "aiosqlite": "aiosqlite"},
    "celery": {"redis": "redis"},
}

# Database engines an ORM builds in code, by the class's dotted name -> (service, the driver it connects
# with): Piccolo's `DB = PostgresEngine(config={...})` in piccolo_conf.py talks to PostgreSQL through asyncpg,
# which only the `piccolo[postgres]` extra installs.
ENGINE_CLASSES: dict[str, tuple[str, str]] = {
    "piccolo.engine.postgres.PostgresEngine": ("postgres", "asyncpg"),
    "piccolo.engine.PostgresEngine": ("postgres", "asyncpg"),
}

# Pony ORM names its database by a provider string, not a URL (`db.bind(provider='mysql', ...)`,
# `Database('postgres', ...)`, Flask-Pony's `PONY = {'provider': 'mysql', 'dbname': ...}`), and imports the driver
# only when it connects: MySQLdb, else PyMySQL ("No module named MySQLdb or pymysql found" at import without one),
# psycopg2 for PostgreSQL and CockroachDB. Provider -> (service, the driver added when the app has none).
PONY_PROVIDERS: dict[str, tuple[str, str]] = {
    "mysql": ("mysql", "PyMySQL"),
    "postgres": ("postgres", "psycopg2"),
    "cockroach": ("postgres", "psycopg2"),
}

# The modules that open a database URL with SQLAlchemy, and the drivers SQLAlchemy loads for a URL that
# names no driver: those alone serve it (an asyncpg beside them serves `postgresql+asyncpg://` only).
SQLALCHEMY_MODULES = frozenset({"sqlalchemy", "flask_sqlalchemy", "sqlmodel", "alembic"})
SQLALCHEMY_URL_DRIVERS: dict[str, tuple[str, ...]] = {
    "postgresql": ("psycopg2", "psycopg2-binary", "psycopg2cffi"),
    "postgres": ("psycopg2", "psycopg2-binary", "psycopg2cffi"),
    "mysql": ("mysqlclient",),
}

# PostgreSQL drivers a sync SQLAlchemy engine can open (aiopg brings psycopg2; psycopg 3 is both)
SYNC_POSTGRES: frozenset[str] = frozenset({"psycopg2", "psycopg2-binary", "psycopg2cffi", "psycopg", "psycopg-binary",
                                            "psycopg-c", "pg8000", "aiopg"})

# The builds of one driver: a URL that names the driver (postgresql+psycopg2://) is served by any of them.
DRIVER_BUILDS: dict[str, tuple[str, ...]] = {
    "psycopg2": ("psycopg2", "psycopg2-binary", "psycopg2cffi"),
    "psycopg": ("psycopg", "psycopg-binary", "psycopg-c"),
}

# Libraries that open a database URL with a driver of their own choosing, by the database its scheme names -> the
# drivers that serve it, the first one added when the app has none: `databases` opens postgresql:// with asyncpg, as
# its docs say; Quart-DB's sqlite:// needs aiosqlite, which only its `sqlite` extra installs (`pip install quart-db`
# alone fails at start: No module named 'aiosqlite'). Tortoise ORM opens postgres:// with asyncpg and mysql:// with
# asyncmy, which only its extras install (its sqlite:// driver, aiosqlite, it always installs). peewee (and its
# playhouse.db_url.connect) opens mysql:// with PyMySQL, or MySQLdb when PyMySQL is missing: the pure-Python driver,
# where mysqlclient, which SQLAlchemy would load, needs MySQL's headers to build.
URL_DRIVERS: dict[str, dict[str, tuple[str, ...]]] = {
    "databases": {"postgres": ("asyncpg",), "mysql": ("aiomysql",), "sqlite": ("aiosqlite",)},
    "quart_db": {"postgres": ("asyncpg",), "sqlite": ("aiosqlite",)},
    "tortoise": {"postgres": ("asyncpg",), "mysql": ("asyncmy",)},
    "peewee": {"mysql": ("PyMySQL", "mysqlclient")},
    "playhouse": {"mysql": ("PyMySQL", "mysqlclient")},
}

# SQLAlchemy (and dj-database-url) URL scheme -> (service, the driver SQLAlchemy loads for it).
URL_SCHEMES: dict[str, tuple[str, str]] = {
    "postgres": ("postgres", "psycopg2"), "postgresql": ("postgres", "psycopg2"),
    "postgresql+psycopg2": ("postgres", "psycopg2"), "postgresql+psycopg": ("postgres", "psycopg"),
    "postgresql+asyncpg": ("postgres", "asyncpg"), "postgresql+pg8000": ("postgres", "pg8000"),
    "postgresql+aiopg": ("postgres", "aiopg"),
    "mysql": ("mysql", "mysqlclient"), "mysql+mysqldb": ("mysql", "mysqlclient"),
    "mysql+pymysql": ("mysql", "PyMySQL"), "mysql+mysqlconnector": ("mysql", "mysql-connector-python"),
    "mysql+aiomysql": ("mysql", "aiomysql"), "mysql+asyncmy": ("mysql", "asyncmy"),
    "mariadb": ("mysql", "mysqlclient"), "mariadb+mariadbconnector": ("mysql", "mariadb"),
    "redis": ("redis", "redis"), "rediss": ("redis", "redis"),
    # SQLite's own driver is the standard library's; only an async one is a package (SQLAlchemy's
    # sqlite+aiosqlite://, or an async library's sqlite:// above). No service: nothing for serve to run.
    "sqlite": ("sqlite", ""), "sqlite+pysqlite": ("sqlite", ""), "sqlite+aiosqlite": ("sqlite", "aiosqlite"),
}

# Django settings strings naming a backend -> (service, the driver Django imports for it; None: no service serve
# runs for it).
DJANGO_BACKENDS: dict[str, tuple[str | None, str]] = {
    "django.db.backends.postgresql": ("postgres", "psycopg2"),
    "django.db.backends.postgresql_psycopg2": ("postgres", "psycopg2"),
    "django.contrib.gis.db.backends.postgis": ("postgres", "psycopg2"),
    "django.db.backends.mysql": ("mysql", "mysqlclient"),
    "django.contrib.gis.db.backends.mysql": ("mysql", "mysqlclient"),
    "django.core.cache.backends.redis.RedisCache": ("redis", "redis"),
    # Django before 4.1 (django_hold holds it there): the backend imports python-memcached's `memcache` when the
    # cache is first made (a URLconf's cache_page() at import, so migrate's checks), and a client with no server
    # answers each get with a miss, so the app runs with no memcached; no service
    "django.core.cache.backends.memcached.MemcachedCache": (None, "python-memcached"),
}

# gunicorn worker classes that need a package of their own.
WORKER_CLASSES: dict[str, str] = {
    "gevent": "gevent", "eventlet": "eventlet", "tornado": "tornado",
    "uvicorn.workers.UvicornWorker": "uvicorn", "uvicorn.workers.UvicornH11Worker": "uvicorn",
    "uvicorn_worker.UvicornWorker": "uvicorn-worker", "uvicorn_worker.UvicornH11Worker": "uvicorn-worker",
    "gunicorn.workers.ggevent.GeventWorker": "gevent", "geventwebsocket.gunicorn.workers.GeventWebSocketWorker":
    "gevent-websocket",
}


def _longest_prefix(dotted: str, table: dict) -> str | None:
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in table:
            return ".".join(parts[:n])
    return None


def implied_by_import(dotted: str) -> tuple[str, str, str] | None:
    """(trigger, distribution, why) for an import that implies a package, matching its longest prefix."""
    key = _longest_prefix(dotted, IMPORTS)
    return (key, *IMPORTS[key]) if key else None


def extra_drivers(name: str, spec: str) -> tuple[str, ...]:
    """The drivers the extras of a requirement install (`piccolo` with `[postgres]`: asyncpg)."""
    extras = re.match(r"\s*\[([^\]]*)\]", spec)
    table = EXTRA_DRIVERS.get(canonicalize_name(name), {})
    return tuple(driver for extra in (extras.group(1).split(",") if extras else ())
                 if (driver := table.get(canonicalize_name(extra.strip()))))


def implied_choice(dotted: str) -> tuple[str, tuple[str, ...], str] | None:
    """(trigger, the distributions any one of which serves, why) for an import of a ONE_OF library."""
    key = _longest_prefix(dotted, ONE_OF)
    return (key, *ONE_OF[key]) if key else None


_PASTE_INCLUDES = re.compile(r"^pyramid\.includes\s*=\s*(.*(?:\n[ \t]+.*)*)", re.M)


def pyramid_includes(project, trees: dict[str, ast.Module]) -> list[tuple[str, str]]:
    """(package, file) for Pyramid add-ons the app includes by name: `config.include("pyramid_tm")` and
    `pyramid.includes = ...` in its paste .ini files. Pyramid imports them; the app's code may not."""
    found: list[tuple[str, str]] = []
    for rel, tree in sorted(trees.items()):
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "include" \
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                name = node.args[0].value
                if name and not name.startswith(".") and all(p.isidentifier() for p in name.split(".")):
                    found.append((name, rel))
    for rel in project.files:
        # development.ini and testing.ini include the debug toolbar and test add-ons, not production's
        if not rel.endswith(".ini") or project.is_decoy(rel) or config_names.for_development_or_tests(rel):
            continue
        found += [(name, rel) for name in ini_includes(project.scan_text(rel) or "")]
    return found


def ini_includes(text: str) -> list[str]:
    """The add-ons a paste .ini's `pyramid.includes = ...` names."""
    return [name for match in _PASTE_INCLUDES.finditer(text) for name in match.group(1).split()
            if all(p.isidentifier() for p in name.split("."))]


def tortoise_model_modules(trees: dict[str, ast.Module]) -> list[tuple[str, str]]:
    """(module, file) for the model modules Tortoise ORM imports by name: the `"models": [...]` lists of its
    config (TORTOISE_ORM's apps, `register_tortoise(modules={"models": [...]})`) in files that use it. Aerich's
    own table comes that way (`"aerich.models"`): without aerich installed, start-up fails `Module "aerich.models"
    not found`."""
    found: list[tuple[str, str]] = []
    for rel, tree in sorted(trees.items()):
        if not any(isinstance(n, (ast.Import, ast.ImportFrom)) and any(
                (getattr(n, "module", None) or a.name).split(".")[0] == "tortoise" for a in n.names)
                   for n in ast_nodes(tree)) and not _names_tortoise_config(tree):
            continue
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Dict):
                continue
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value == "models" and isinstance(value, (ast.List, ast.Tuple)):
                    found += [(e.value, rel) for e in value.elts if isinstance(e, ast.Constant)
                              and isinstance(e.value, str) and e.value and all(p.isidentifier() for p in e.value.split("."))]
    return found


def _names_tortoise_config(tree: ast.Module) -> bool:
    """The module assigns TORTOISE_ORM (aerich's `tortoise_orm = "config.TORTOISE_ORM"`), imported or not."""
    return any(isinstance(n, ast.Assign) and any(getattr(t, "id", None) == "TORTOISE_ORM" for t in n.targets)
               for n in tree.body)


_INCLUDE_CALL = re.compile(r"\.include\(\s*['\"]([A-Za-z_][\w.]*)['\"]")


def include_calls_in_text(text: str) -> list[str]:
    """`config.include("pyramid_tm")` in a file that does not parse (Python 2), by its text."""
    return _INCLUDE_CALL.findall(text)


# webassets filters (Flask-Assets, django-assets) that run a Python package of their own; filters that
# run a program (less, sass, uglifyjs) need no distribution.
# Django fields that need a package Django does not install: its system check stops `migrate` and the
# server without it (fields.E210 for ImageField). Matched on the call `models.ImageField(...)` or `ImageField(...)`.
DJANGO_FIELDS: dict[str, tuple[str, str]] = {
    "ImageField": ("Pillow", "Django's ImageField reads images with Pillow (system check fields.E210 without it)"),
}


def attribute_uses(trees: dict[str, ast.Module], imported: set[str]) -> list[tuple[str, str, str, str]]:
    """(distribution, attribute, file, why) for the ATTRIBUTES the code reads (`ma.ModelSchema`), of the libraries
    among the `imported` top-level modules."""
    wanted = {name: row for module, row in ATTRIBUTES.items() if module in imported for name in row[0]}
    found = []
    for rel, tree in sorted(trees.items()):
        for node in ast_nodes(tree):
            if isinstance(node, ast.Attribute) and node.attr in wanted:
                found.append((wanted[node.attr][1], node.attr, rel, wanted[node.attr][2]))
    return found


def django_fields(trees: dict[str, ast.Module]) -> list[tuple[str, str, str, str]]:
    """(distribution, field, file, why) for the DJANGO_FIELDS the code calls."""
    found = []
    for rel, tree in sorted(trees.items()):
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
                if name in DJANGO_FIELDS:
                    found.append((*DJANGO_FIELDS[name][:1], name, rel, DJANGO_FIELDS[name][1]))
    return found


def pydantic1_env_files(trees: dict[str, ast.Module]) -> list[tuple[str, str]]:
    """(class, file) for each pydantic v1 settings class (`from pydantic import BaseSettings`) whose Config names an
    `env_file`: pydantic v1 reads it with python-dotenv, which it does not install ("python-dotenv is not installed,
    run `pip install pydantic[dotenv]`" when the settings are made). pydantic-settings installs python-dotenv."""
    found = []
    for rel, tree in sorted(trees.items()):
        local = {a.asname or a.name for node in ast_nodes(tree) if isinstance(node, ast.ImportFrom)
                 and node.module == "pydantic" for a in node.names if a.name == "BaseSettings"}
        for node in ast_nodes(tree):
            if not (isinstance(node, ast.ClassDef) and any(
                    (isinstance(b, ast.Name) and b.id in local) or (isinstance(b, ast.Attribute)
                    and b.attr == "BaseSettings" and getattr(b.value, "id", None) == "pydantic") for b in node.bases)):
                continue
            if any(isinstance(inner, ast.ClassDef) and inner.name == "Config" and any(
                    isinstance(a, (ast.Assign, ast.AnnAssign)) and a.value is not None
                    and not (isinstance(a.value, ast.Constant) and a.value.value is None)
                    and any(getattr(t, "id", None) == "env_file" for t in (getattr(a, "targets", None) or [a.target]))
                    for a in inner.body) for inner in node.body):
                found.append((node.name, rel))
    return found


def sanic_ext_settings(trees: dict[str, ast.Module]) -> list[tuple[str, str]]:
    """(setting, file) for each sanic-ext setting (OAS_*) a module that imports sanic names: Sanic loads sanic-ext
    by itself when it is installed, so an app configuring its OpenAPI docs (`app.config.update(OAS_URL_PREFIX=...)`,
    `app.config.OAS_UI_DEFAULT = ...`) never imports it, and without it those pages are 404s."""
    found = []
    for rel, tree in sorted(trees.items()):
        if not any((isinstance(n, ast.Import) and any(a.name.split(".")[0] == "sanic" for a in n.names))
                   or (isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "sanic")
                   for n in ast_nodes(tree)):
            continue
        for node in ast_nodes(tree):
            name = node.arg if isinstance(node, ast.keyword) else node.attr if isinstance(node, ast.Attribute) \
                else node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None
            if name and re.fullmatch(r"OAS_[A-Z0-9_]+", name):
                found.append((name, rel))
                break
    return found


WEBASSETS_FILTERS: dict[str, str] = {
    "cssmin": "cssmin", "jsmin": "jsmin", "rjsmin": "rjsmin", "rcssmin": "rcssmin", "libsass": "libsass",
    "pyscss": "pyScss", "cssutils": "cssutils", "slimit": "slimit", "jinja2": "Jinja2",
}
WEBASSETS_MODULES = frozenset({"webassets", "flask_assets", "django_assets"})


def webassets_filters(trees: dict[str, ast.Module]) -> list[tuple[str, str, str]]:
    """(distribution, filter, file) for the filters named in `Bundle(..., filters=...)`."""
    found = []
    for rel, tree in sorted(trees.items()):
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg != "filters":
                    continue
                values = [keyword.value] if isinstance(keyword.value, ast.Constant) else \
                    list(getattr(keyword.value, "elts", []))
                for value in values:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        for name in (n.strip() for n in value.value.split(",")):
                            if name in WEBASSETS_FILTERS:
                                found.append((WEBASSETS_FILTERS[name], name, rel))
    return found
