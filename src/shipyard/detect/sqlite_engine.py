"""Whether the app's SQLAlchemy engine can only be SQLite: `create_engine(url, connect_args={"check_same_thread":
False})` with that argument written unconditionally. check_same_thread is an option of Python's sqlite3 module;
any other database's driver refuses it (psycopg2: `invalid dsn: invalid connection option "check_same_thread"`),
so a PostgreSQL URL handed to that engine fails the import, whatever driver a pip freeze also lists.

A tutorial's `connect_args={"check_same_thread": False} if url.startswith("sqlite") else {}` is no such engine:
the code chooses by the URL, and a server database is one it takes.
"""

from __future__ import annotations

import ast

from ..project import Project
from .ast_nodes import ast_nodes
from .source import dotted_name, imported_modules, imported_names, parsed

ENGINE_MAKERS = ("sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlalchemy.ext.asyncio.create_async_engine",
                 "sqlmodel.create_engine")
SQLITE_ONLY_ARGS = ("check_same_thread",)


def sqlite_only_engine(project: Project) -> str:
    """Where the app makes an engine with SQLite-only connect_args ("create_engine(...) in todo/database/base.py
    line 31"), or "" when none does."""
    for rel, tree in parsed(project).items():
        imported, modules = imported_names(tree), imported_modules(tree)
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call):
                continue
            name = dotted_name(node.func, imported, modules)
            if name not in ENGINE_MAKERS:
                continue
            args = next((k.value for k in node.keywords if k.arg == "connect_args"), None)
            if isinstance(args, ast.Dict) and any(isinstance(key, ast.Constant) and key.value in SQLITE_ONLY_ARGS
                                                  for key in args.keys):
                return f"{name.rsplit('.', 1)[1]}(...) with connect_args check_same_thread in {rel} line {node.lineno}"
    return ""
