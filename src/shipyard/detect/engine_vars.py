"""Variables a Django project reads as its database ENGINE.

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
from .services import env_reads
from .source import parsed

POSTGRES_BACKEND = "django.db.backends.postgresql"


def engine_variables(project: Project) -> tuple[str, ...]:
    """Names of the environment variables the project's code puts into a DATABASES ENGINE: the value of an
    "ENGINE" key of a dict display, or of an assignment to `...["ENGINE"]`, that is a read of one."""
    places: set[tuple[str, int, int]] = set()
    for rel, tree in parsed(project).items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                places.update((rel, v.lineno, v.col_offset) for k, v in zip(node.keys, node.values)
                              if isinstance(k, ast.Constant) and k.value == "ENGINE")
            elif isinstance(node, ast.Assign) and any(_engine_item(t) for t in node.targets):
                places.add((rel, node.value.lineno, node.value.col_offset))
    return tuple(sorted({r.name for r in env_reads(project) if (r.path, r.line, r.col) in places}))


def _engine_item(target: ast.AST) -> bool:
    """DATABASES["default"]["ENGINE"] = ..."""
    return isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
        and target.slice.value == "ENGINE"
