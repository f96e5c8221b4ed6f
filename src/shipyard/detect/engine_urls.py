"""Database URLs an app reads from the environment with no default and opens with SQLAlchemy, in an app that names
no database anywhere: `DB_URL = os.getenv('DB_URL')`, then `create_async_engine(DB_URL)` at start-up, or a Flask
config class's `SQLALCHEMY_DATABASE_URI = os.environ.get('DEV_URI')` (any name: Flask-SQLAlchemy opens the setting),
with the .env that sets it left out of the repository. Unset, the engine is made on None and the app does not start;
serve and dev give such a variable a SQLite file in Shipyard's folder for the app (appconfig), through aiosqlite for
an async engine, which the install then needs (imports)."""

from __future__ import annotations

import ast
import re

from ..project import Project
from .ast_nodes import ast_nodes
from .db_part_vars import database_part_variables
from .services import env_reads
from .source import parsed, string_hints

# DB_URL, DATABASE_URL, SQLALCHEMY_DATABASE_URI, MYAPP_DB_URI, DATABASE_URL_REMOTE...
_URL_NAME = re.compile(r"(?:^|_)(?:DB|DATABASE)_UR[LI](?:_[A-Z0-9]+)?$")
_ENGINES = ("create_engine", "create_async_engine")
_DRIVER_MODULES = frozenset({"psycopg2", "psycopg", "asyncpg", "aiopg", "pg8000", "pymysql", "MySQLdb", "aiomysql",
                             "asyncmy", "mysql"})
_DRIVER_DISTRIBUTIONS = ("psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "asyncpg", "aiopg", "pg8000",
                         "pymysql", "mysqlclient", "aiomysql", "asyncmy", "mysql-connector-python")
_DEPENDENCY_FILE = re.compile(r"requirements?[\w.-]*\.(txt|in)|pyproject\.toml|Pipfile|setup\.(py|cfg)|poetry\.lock|"
                              r"Pipfile\.lock|uv\.lock")


def unset_engine_urls(project: Project) -> dict[str, bool]:
    """{variable: whether the app's engine is async} for the database URLs the app reads only with no default, or
    an empty one (and never tests), when its code makes a SQLAlchemy engine and names no PostgreSQL or MySQL database."""
    calls = {name for tree in parsed(project).values() for node in ast_nodes(tree) if isinstance(node, ast.Call)
             for name in [_called(node.func)] if name in _ENGINES}
    # read as the value of SQLALCHEMY_DATABASE_URI or an engine's URL, whatever the name (db_part_vars)
    url_values = {name for name, part in database_part_variables(project) if part == "url"}
    if not (calls or url_values) or any(h.service in ("postgres", "mysql") for h in string_hints(project)) \
            or _server_driver(project):
        return {}
    reads = env_reads(project)
    names = {r.name for r in reads if _URL_NAME.search(r.name)} | url_values
    # an empty default is none (starlette Config's `config("FAPI_DATABASE_URL", default="")`: an engine on "" fails
    # as one on None does)
    unset = {n for n in names if all((not r.default or r.default_text == "") and not r.tested
                                     for r in reads if r.name == n)}
    return {n: "create_async_engine" in calls for n in sorted(unset)}


def _server_driver(project: Project) -> bool:
    """A PostgreSQL or MySQL driver the code imports or a dependency file names: the app has a database server."""
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n.split(".")[0] in _DRIVER_MODULES for n in names):
                return True
    for rel in project.files:
        if _DEPENDENCY_FILE.fullmatch(rel.rsplit("/", 1)[-1]):
            text = (project.scan_text(rel) or "").lower()
            if any(re.search(rf"(?<![\w-]){re.escape(d)}(?![\w-])", text) for d in _DRIVER_DISTRIBUTIONS):
                return True
    return False


def _called(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
