"""Folders of the SQLite files the code names by a relative path, which the checkout lacks.

A 2022 Flask job board configures `SQLALCHEMY_DATABASE_URI = 'sqlite:///data/database.db'` and runs
`db.create_all()` and a query at import, calling exit(1) when they fail; `*.db` and nothing else lived in data/, so
git kept no data/ (only `python app.py`'s __main__ makes it, after that import). SQLite creates the file, not its
folder ("unable to open database file"): the Procfile's `gunicorn app:app` stopped at import in every fresh clone,
and the proof took that for a broken launcher. A relative SQLite URL literal (`sqlite:///dir/file.db`, any driver)
or `sqlite3.connect('dir/file.db')` names such a folder, relative to where the app runs, when the project has no
folder of that name: serve and dev make it, empty, and say so (run/static_folders.py); the image makes it too,
owned by the app's user (made_folders); the proof says it is a setup step, not the code's fault.

Found by reading the source (ast), never by running it. Paths are relative to the project root."""

from __future__ import annotations

import ast
import posixpath
import re

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

# sqlite:///data/app.db, sqlite+pysqlite:///./db/app.db: three slashes, then no fourth (an absolute path) nor a drive
_RELATIVE_URL = re.compile(r"sqlite(?:\+\w+)?:///(?![/\\]|[A-Za-z]:)(?P<path>[^\s?]+)")
# what SQLite says when the file's folder is missing
UNOPENED = "unable to open database file"


def absent_sqlite_folders(project: Project, workdir: str) -> tuple[str, ...]:
    """The folders, relative to the project root, of the SQLite files the code names by a relative path in a folder
    (relative to `workdir`, where the app runs) that the project lacks; parents before children."""
    found: set[str] = set()
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            for path in _named_files(node):
                folder = posixpath.dirname(posixpath.normpath(path))
                if not folder or folder.startswith(".."):
                    continue
                folder = posixpath.normpath(posixpath.join(workdir or ".", folder))
                if folder != "." and not folder.startswith("..") and not (project.root / folder).is_dir():
                    found.add(folder)
    return tuple(sorted(found, key=lambda p: (p.count("/"), p)))


def _named_files(node: ast.AST):
    """The relative SQLite file paths `node` names: a URL literal, or sqlite3.connect's string argument."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        url = _RELATIVE_URL.fullmatch(node.value.strip())
        if url is not None:
            yield url["path"]
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "sqlite3" and node.args \
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
            and not node.args[0].value.startswith(("/", ":", "file:")):
        yield node.args[0].value
