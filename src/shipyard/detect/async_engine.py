"""Whether the app opens its SQLAlchemy engine with the asyncio API, and so which PostgreSQL URL scheme the URL
it reads must have.

`create_async_engine(url)` refuses a driver that is not async ("The asyncio extension requires an async
driver"), and a plain `postgresql://` makes SQLAlchemy load psycopg2. An app that reads its URL from the
environment and writes no URL of its database in its files (only its README says `DB_URI=postgresql+asyncpg://...`)
expects the URL it is given to name its async driver (services.py asks only then: a URL the app writes decides). One that converts a plain URL itself
(`url.replace("postgresql://", "postgresql+asyncpg://")`) is given the plain one it expects.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .deps import normalize
from .source import called_name, parsed, string_replacements

ASYNC_ENGINE_CALLS = frozenset({"create_async_engine", "async_engine_from_config"})
# async PostgreSQL drivers SQLAlchemy has a dialect for, in the order one is chosen when several are declared
ASYNC_POSTGRES = (("postgresql+asyncpg", frozenset({"asyncpg"})),
                  ("postgresql+psycopg", frozenset({"psycopg", "psycopg-binary", "psycopg-c"})))


def async_postgres_scheme(project: Project, declared: set[str]) -> str:
    """`postgresql+asyncpg` (or `+psycopg`) when the app's code opens an async engine, does not add a driver to
    a URL itself, and declares that driver (normalized names in `declared`); else ""."""
    trees = parsed(project).values()
    if not any(_opens_async_engine(tree) for tree in trees) or any(_driver_additions(tree) for tree in trees):
        return ""
    return next((scheme for scheme, drivers in ASYNC_POSTGRES if drivers & {normalize(d) for d in declared}), "")


def converted_scheme(project: Project) -> str:
    """"postgresql" when the app's code turns that plain scheme into its driver's itself (`.replace("postgresql://",
    "postgresql+asyncpg://")`): the URL to give it, which its other readers (a sync Alembic env.py) take as it is;
    the driver's scheme written there is the code's. "" otherwise: Heroku's `.replace("postgres://", ...)` leaves
    postgresql:// alone (and SQLAlchemy refuses postgres:// for a reader that does not convert it), so such an
    app keeps the driver's URL it writes."""
    for tree in parsed(project).values():
        for old, new in _driver_additions(tree):
            if new.split("+")[0].lower() == "postgresql" and old.split("://")[0].lower() in ("postgresql", ""):
                return "postgresql"
    return ""


def _opens_async_engine(tree: ast.Module) -> bool:
    return any(isinstance(node, ast.Call) and called_name(node) in ASYNC_ENGINE_CALLS for node in ast_nodes(tree))


def _driver_additions(tree: ast.Module) -> list[tuple[str, str]]:
    """The `.replace(old, new)` calls whose new text names a driver the old one does not: the code turns the plain
    URL it reads into its driver's ("postgresql://" -> "postgresql+asyncpg://")."""
    return [(old, new) for old, new in string_replacements(tree) if "+" in new and "+" not in old]
