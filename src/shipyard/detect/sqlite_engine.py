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
    """Where the app makes an engine with SQLite-only connect_args on a URL it does not write itself
    ("create_engine(...) with connect_args check_same_thread in todo/database/base.py line 31"), or "" when none
    does, or when another engine takes a URL from elsewhere without them (that one may be a server's). An engine on
    a written sqlite:// URL (a local cache beside the app's database) says nothing of the other."""
    found, other = "", False
    for rel, tree in parsed(project).items():
        imported, modules = imported_names(tree), imported_modules(tree)
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call):
                continue
            name = dotted_name(node.func, imported, modules)
            if name not in ENGINE_MAKERS or _written_sqlite(node):
                continue
            args = next((k.value for k in node.keywords if k.arg == "connect_args"), None)
            if isinstance(args, ast.Dict) and any(isinstance(key, ast.Constant) and key.value in SQLITE_ONLY_ARGS
                                                  for key in args.keys):
                found = found or (f"{name.rsplit('.', 1)[1]}(...) with connect_args check_same_thread in {rel} "
                                  f"line {node.lineno}")
            else:
                other = True
    return "" if other else found


def _written_sqlite(call: ast.Call) -> bool:
    url = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "url"), None)
    return isinstance(url, ast.Constant) and isinstance(url.value, str) and url.value.startswith("sqlite")
