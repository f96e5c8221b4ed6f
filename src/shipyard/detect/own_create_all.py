"""Where an app makes its SQLAlchemy tables itself: `Base.metadata.create_all(bind=engine)` at import (a 2025
FastAPI + Strawberry API's database.py), `await conn.run_sync(SQLModel.metadata.create_all)` in a lifespan, a
script's `metadata.create_all(engine)`.

An app that has Alembic revisions as well may never have run them on a new database: its author's tables came
from create_all, and a revision that cannot apply there (an `op.add_column` of a PostgreSQL Enum whose type no
revision creates) went unnoticed. serve falls back to the models' tables when that upgrade fails
(run/migrate.py), as the app's own run would have made them.
"""

from __future__ import annotations

import ast
import posixpath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed


def own_create_all(project: Project, skip: str = "") -> str | None:
    """"database.py, line 17" for the first `<...>metadata.create_all` the app's code calls or hands on (outside
    the folder `skip`, the migrations', and outside tests); None when it has none."""
    skip = posixpath.normpath(skip) if skip else ""
    for rel, tree in sorted(parsed(project).items()):
        if skip and (rel == skip or rel.startswith(skip + "/")) or _is_test(rel):
            continue
        for node in ast_nodes(tree):
            if isinstance(node, ast.Attribute) and node.attr == "create_all" and _is_metadata(node.value):
                return f"{rel}, line {node.lineno}"
    return None


def _is_metadata(node: ast.AST) -> bool:
    """`metadata`, `Base.metadata`, `models.Base.metadata`, `SQLModel.metadata`."""
    return isinstance(node, ast.Name) and node.id == "metadata" or \
        isinstance(node, ast.Attribute) and node.attr == "metadata"


def _is_test(rel: str) -> bool:
    parts = rel.split("/")
    return any(p in ("tests", "test") for p in parts[:-1]) or parts[-1].startswith("test_") \
        or parts[-1] in ("conftest.py", "tests.py")
