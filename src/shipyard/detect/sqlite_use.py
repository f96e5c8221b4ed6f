"""Whether the app keeps its data in a SQLite file: a sqlite:// URL in its code or config files (a default the
code falls back to included), Django's sqlite3 backend, `sqlite3.connect(...)` or peewee's `SqliteDatabase(...)`.

The image keeps the code root-owned and read-only to the app's user; an app like this creates its database file,
and SQLite its journal beside it, where it runs (render: its folder lets it create files)."""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .source import dotted_name, imported_modules, imported_names, parsed, string_constants, string_hints

DJANGO_SQLITE = "django.db.backends.sqlite3"
# calls that open (and create) a database file
OPENERS = ("sqlite3.connect", "aiosqlite.connect", "peewee.SqliteDatabase", "playhouse.sqlite_ext.SqliteExtDatabase",
           "playhouse.apsw_ext.APSWDatabase")


def sqlite_use(project: Project) -> str:
    """Why the app writes a SQLite file ("sqlite:// URL in app/config.py"), or "" when nothing says it does."""
    for hint in string_hints(project):
        if hint.service == "sqlite":
            return hint.reason
    for rel, tree in parsed(project).items():
        if any(text.strip() == DJANGO_SQLITE for text in string_constants(tree)):
            return f"Django's sqlite3 backend in {rel}"
        imported, modules = imported_names(tree), imported_modules(tree)
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and (name := dotted_name(node.func, imported, modules)) in OPENERS:
                return f"{name}(...) in {rel}"
    return ""
