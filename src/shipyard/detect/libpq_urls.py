"""Whether the app's code hands a URL it reads from the environment to a PostgreSQL driver itself
(`psycopg2.connect(os.environ["DATABASE_URL"])`), and so must be given the plain `postgresql://` scheme.

libpq (psycopg2, psycopg) and asyncpg parse the URL themselves and know only postgresql:// and postgres://: given
SQLAlchemy's `postgresql+psycopg2://` they stop at import ("invalid dsn: missing "=" after ..."). An app that
writes raw SQL through psycopg2 while its freeze still lists Flask-SQLAlchemy (a course's requirements.txt) would
otherwise get the driver's scheme an SQLAlchemy app wants; the plain one is what SQLAlchemy before 2.1 opens with
psycopg2 anyway.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .services import EnvRead, env_reads
from .source import parsed

# the modules whose connect calls parse a URL with libpq's rules (asyncpg's own parser takes the same schemes)
LIBPQ_MODULES = frozenset({"psycopg2", "psycopg", "asyncpg", "aiopg"})
CONNECT_CALLS = frozenset({"connect", "create_pool"})
URL_KEYWORDS = frozenset({"dsn", "conninfo"})


def libpq_url_variables(project: Project) -> tuple[str, ...]:
    """The environment variables whose value the app's code passes as the URL of a libpq connect call, directly
    (`psycopg2.connect(os.environ["DATABASE_URL"])`) or through a module-level name bound to the read
    (`DATABASE_URL = os.getenv("DATABASE_URL")` ... `psycopg2.connect(DATABASE_URL)`), sorted."""
    reads = env_reads(project)
    found: set[str] = set()
    for path, tree in parsed(project).items():
        here = {(r.line, r.col): r for r in reads if r.path == path}
        bound = _names_bound_to_reads(tree, here)
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and _libpq_connect(node):
                url = _url_argument(node)
                if url is None:
                    continue
                if isinstance(url, ast.Name) and url.id in bound:
                    found.add(bound[url.id])
                elif (read := here.get((url.lineno, url.col_offset))) is not None:
                    found.add(read.name)
    return tuple(sorted(found))


def _libpq_connect(node: ast.Call) -> bool:
    """`psycopg2.connect(...)`, `asyncpg.create_pool(...)`: a connect call on a driver module written by name."""
    func = node.func
    return isinstance(func, ast.Attribute) and func.attr in CONNECT_CALLS \
        and isinstance(func.value, ast.Name) and func.value.id in LIBPQ_MODULES


def _url_argument(node: ast.Call) -> ast.AST | None:
    """The connect call's URL: its first positional argument, or its dsn=/conninfo= keyword."""
    if node.args:
        return node.args[0]
    return next((k.value for k in node.keywords if k.arg in URL_KEYWORDS), None)


def _names_bound_to_reads(tree: ast.Module, here: dict[tuple[int, int], EnvRead]) -> dict[str, str]:
    """Module-level names assigned an environment read (`DATABASE_URL = os.getenv("DATABASE_URL")`) -> the
    variable read."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            read = here.get((node.value.lineno, node.value.col_offset))
            if read is not None:
                out[node.targets[0].id] = read.name
    return out
