"""Whether the app's Alembic migrations open a sync engine, and so need a sync PostgreSQL driver.

Alembic's generic env.py connects with `engine_from_config(...)` (or `create_engine(url)`): a sync engine, which
SQLAlchemy opens with psycopg2 (psycopg from SQLAlchemy 2.1) for the app's postgresql:// URL. An async app that
declares only asyncpg, converts the plain URL it reads to `postgresql+asyncpg://` for itself, and keeps that
generic env.py, migrates with the sync driver its README says to install beside it (often only in a dev group).
Its async template (`async_engine_from_config`) needs no other driver.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .async_engine import ASYNC_ENGINE_CALLS
from .source import called_name, parsed

_SYNC_ENGINE_CALLS = frozenset({"engine_from_config", "create_engine"})


def sync_migrations(project: Project) -> str | None:
    """The Alembic env.py (a module that imports `alembic.context`) that opens only a sync engine; None when
    there is none."""
    for rel, tree in sorted(parsed(project).items()):
        if rel.rsplit("/", 1)[-1] != "env.py" or not _imports_alembic_context(tree):
            continue
        calls = {called_name(node) for node in ast_nodes(tree) if isinstance(node, ast.Call)}
        if calls & _SYNC_ENGINE_CALLS and not calls & ASYNC_ENGINE_CALLS:
            return rel
    return None


def _imports_alembic_context(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.module == "alembic"
               and any(alias.name == "context" for alias in node.names) for node in ast_nodes(tree))
