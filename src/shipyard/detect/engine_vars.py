"""Variables a Django project reads as its database ENGINE (and as its MySQL connection's init_command).

Docker tutorials and course projects take the whole DATABASES entry from the environment, the backend
included: `"ENGINE": os.environ.get("SQL_ENGINE", "django.db.backends.sqlite3")` (testdriven.io's
django-on-docker), `"ENGINE": get_env_value("POSTGRES_ENGINE")` through a helper of the app's own, with the
example env file leaving it for the reader to fill. When `serve` brings PostgreSQL and points the parts
(POSTGRES_HOST, POSTGRES_NAME...) at it, such a variable must name Django's PostgreSQL backend too, or the
import stops until it is set (or the app stays on its SQLite default beside the database it was given).
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .services import env_reads
from .source import parsed

POSTGRES_BACKEND = "django.db.backends.postgresql"


# the statement Django's MySQL notes give for OPTIONS' init_command (strict mode, which Django's mysql.W002 asks for)
STRICT_MODE = "SET sql_mode='STRICT_TRANS_TABLES'"


def engine_variables(project: Project) -> tuple[str, ...]:
    """Names of the environment variables the project's code puts into a DATABASES ENGINE: the value of an
    "ENGINE" key of a dict display, or of an assignment to `...["ENGINE"]`, that is a read of one."""
    return _read_into(project, "ENGINE")


def init_command_variables(project: Project) -> tuple[str, ...]:
    """Names of the environment variables the code puts into a MySQL connection's "init_command" (Django's
    DATABASES OPTIONS: `'init_command': config('DB_INIT_COMMAND')`), a statement the app's .env gives."""
    return _read_into(project, "init_command")


def memcached_location_variables(project: Project) -> tuple[str, ...]:
    """Names of the environment variables the code gives a memcached cache's LOCATION (Django's CACHES item whose
    BACKEND names memcached: `'LOCATION': os.environ.get('MEMCACHEDCLOUD_SERVERS').split(',')`, a Heroku
    add-on's address)."""
    return _read_into(project, "LOCATION", beside=("BACKEND", "memcache"))


def _read_into(project: Project, key: str, beside: tuple[str, str] | None = None) -> tuple[str, ...]:
    """The variables read as the value of a `key` item of a dict display, or of an assignment to `...[key]`;
    with `beside` (another key, a word its text value holds), only of dict displays that have that item."""
    places: set[tuple[str, int, int]] = set()
    for rel, tree in parsed(project).items():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Dict):
                items = {k.value: v for k, v in zip(node.keys, node.values)
                         if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                if beside is not None and not (isinstance(other := items.get(beside[0]), ast.Constant)
                                               and beside[1] in str(other.value).lower()):
                    continue
                places.update((rel, v.lineno, v.col_offset) for k, v in items.items() if k == key)
                continue
            if beside is not None:
                continue
            if isinstance(node, ast.Assign) and any(_item(t, key) for t in node.targets):
                places.add((rel, node.value.lineno, node.value.col_offset))
    return tuple(sorted({r.name for r in env_reads(project) if (r.path, r.line, r.col) in places}))


def _item(target: ast.AST, key: str) -> bool:
    """DATABASES["default"]["ENGINE"] = ..."""
    return isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
        and target.slice.value == key
