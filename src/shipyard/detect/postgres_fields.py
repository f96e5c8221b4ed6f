"""Whether a Django app's models need PostgreSQL whatever its committed settings say: a model or migration that
imports django.contrib.postgres's fields (JSONField of Django before 3.1, ArrayField, HStoreField, the range
fields). Those columns exist only on PostgreSQL: on the SQLite of settings an author left for others (the real
DATABASES in an uncommitted local.py), `migrate` fails at the first such field ("Cannot quote parameter value
<...JsonAdapter object>") and so does every page reading the table.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

FIELDS = "django.contrib.postgres.fields"


def postgres_fields_use(project: Project) -> str:
    """Where ("main/models.py:3") the app's code imports django.contrib.postgres's fields (a model before a
    migration), or ""."""
    # a model (main/models.py) says it better than the migration made from it
    for rel, tree in sorted(parsed(project).items(), key=lambda item: ("/migrations/" in f"/{item[0]}", item[0])):
        for node in ast_nodes(tree):
            if isinstance(node, ast.Import) and any(_is_fields(alias.name) for alias in node.names):
                return f"{rel}:{node.lineno}"
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                    _is_fields(node.module)
                    or node.module == "django.contrib.postgres" and any(a.name == "fields" for a in node.names)):
                return f"{rel}:{node.lineno}"
    return ""


def _is_fields(module: str) -> bool:
    return module == FIELDS or module.startswith(f"{FIELDS}.")
