"""The PostgreSQL role, password and database a Django project writes into its settings.

Book and tutorial code hard-codes them (Django 4 by Example: `DATABASES = {"default": {"ENGINE":
"django.db.backends.postgresql", "NAME": "blog", "USER": "blog", "PASSWORD": "xxxxxx"}}`, after the reader
created that role and database by hand). No variable changes them, so `serve` and `dev` give their own
PostgreSQL that role, password and database (run/database.py); without them the app's migrations fail on
"password authentication failed for user". Logins written elsewhere (a URL literal, alembic.ini, a config
mapping) are read by detect/written_urls.py.

Only a module-level `DATABASES` whose "default" names PostgreSQL (or PostGIS) with USER and NAME written as
strings (in the dict, or through a module constant assigned once: `DB_USER = "django"`, then `"USER": DB_USER`,
as course code names them above the dict), on this machine's server: no HOST (libpq's PGHOST, which serve sets), "localhost" or a loopback
address. A value read from the environment is the app's to take from serve's variables, as before; where only
the database's NAME is written and the login read from the environment (`"USER": env("NEON_USER")`), serve's
PostgreSQL gets that database for its own role (a login with no user: serve's).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

_ENGINES = {"postgres": ("postgresql", "postgis"), "mysql": ("mysql",)}
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
# the databases every cluster has that an app's role may not own: templates of every CREATE DATABASE
RESERVED_DATABASES = frozenset({"template0", "template1"})


@dataclass(frozen=True)
class WrittenDatabase:
    user: str
    password: str            # "" when the settings give none (libpq then takes PGPASSWORD)
    database: str
    rel: str                 # the file that writes it, for the line serve says
    line: int
    port: int | None = None  # the port written (a URL's :5432), None when none is (libpq then takes PGPORT)
    via: str | None = None   # the variable whose default it is (os.environ.get("DB_URL", "postgresql://...")):
                             # it counts only when that variable is not set
    # the host written ("" when none is: libpq then takes PGHOST); said by init, not part of the login
    host: str = field(default="", compare=False)
    # the written URL's scheme (postgresql+asyncpg: the driver its reader expects), "" for parts
    scheme: str = field(default="", compare=False)


def written_database(project: Project, settings_rel: str | None = None, service: str = "postgres", *,
                     also: Callable[[str], bool] | None = None) -> WrittenDatabase | None:
    """The credentials the app's settings write for its default PostgreSQL database: those of `settings_rel` (the
    entry's settings module) when it writes them, else the one set all settings files agree on; None when none
    is written, or several differ. Only at this machine's hosts (serve's server), or also at a host `also`
    accepts (the compose stack's database service: `'HOST': 'db'`)."""
    found = {rel: w for rel, tree in sorted(parsed(project).items())
             if (w := _in_module(tree, rel, service, also)) is not None}
    if settings_rel in found:
        return found[settings_rel]
    distinct = {(w.user, w.password, w.database) for w in found.values()}
    return next(iter(found.values())) if len(distinct) == 1 else None


def _in_module(tree: ast.Module, rel: str, service: str, also: Callable[[str], bool] | None
               ) -> WrittenDatabase | None:
    constants = _module_constants(tree)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "DATABASES" for t in node.targets) \
                and isinstance(node.value, ast.Dict):
            default = _literal_dict(_value_of(node.value, "default"), constants)
            if default is not None:
                return _credentials(default, rel, node.lineno, service, also)
    return None


def _credentials(values: dict[str, object], rel: str, line: int, service: str,
                 also: Callable[[str], bool] | None = None) -> WrittenDatabase | None:
    engine, user, database = values.get("ENGINE"), values.get("USER"), values.get("NAME")
    password, host, port = values.get("PASSWORD", ""), values.get("HOST", ""), values.get("PORT")
    if not (isinstance(engine, str) and any(e in engine for e in _ENGINES[service])):
        return None
    if service == "postgres" and isinstance(database, str) and database and user is None and password is None \
            and (host is None or host in LOCAL_HOSTS) and "USER" in values:
        # only the database's name written ("NAME": "Databaes"), the login and host read from the environment
        # (`env("NEON_USER")`), which serve sets to its own: its PostgreSQL gets that database, for serve's role
        return WrittenDatabase("", "", database, rel, line, None, host=host or "")
    if not (isinstance(user, str) and user and isinstance(database, str) and database
            and isinstance(password, str) and isinstance(host, str)
            and (host in LOCAL_HOSTS or (also is not None and also(host)))):
        return None
    return WrittenDatabase(user, password, database, rel, line,
                           int(port) if isinstance(port, str) and port.isdigit() else None, host=host)


def _value_of(node: ast.Dict, key: str) -> ast.AST | None:
    for k, v in zip(node.keys, node.values):
        if isinstance(k, ast.Constant) and k.value == key:
            return v
    return None


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """Names the module assigns a string once, at its top level (`DB_NAME = "chat_dev"`); a name bound any other
    way as well (assigned twice, under an `if`, in a loop, imported) is not a constant."""
    values: dict[str, str] = {}
    bound_otherwise: set[str] = set()
    for node in tree.body:
        simple = isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        if simple and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str) \
                and node.targets[0].id not in values:
            values[node.targets[0].id] = node.value.value
            continue
        for sub in ast_nodes(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                bound_otherwise.add(sub.id)
            elif isinstance(sub, ast.alias):
                bound_otherwise.add((sub.asname or sub.name).split(".")[0])
    return {name: value for name, value in values.items() if name not in bound_otherwise}


def _literal_dict(node: ast.AST | None, constants: dict[str, str]) -> dict[str, object] | None:
    """The keys of a dict display with their values: a string (or a module constant's string) as itself,
    anything computed as None."""
    if not isinstance(node, ast.Dict):
        return None
    out: dict[str, object] = {}
    for k, v in zip(node.keys, node.values):
        if isinstance(k, ast.Constant) and isinstance(k.value, str):
            if isinstance(v, ast.Constant) and isinstance(v.value, str):
                out[k.value] = v.value
            else:
                out[k.value] = constants.get(v.id) if isinstance(v, ast.Name) else None
    return out
