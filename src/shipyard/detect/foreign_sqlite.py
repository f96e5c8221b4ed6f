"""SQLite files the code names by an absolute path on its author's machine.

A 2024 URL shortener's create_app() writes `SQLALCHEMY_DATABASE_URI = 'sqlite:////mnt/c/Users/Home/Desktop/side/
flask-url-shortener/urls.db'`: its author's checkout of the repository, whose committed urls.db holds the table.
Anywhere else the folder does not exist, SQLite cannot create the file there ("unable to open database file"), and
every request that uses the database answers 500 while the others work: serve said nothing. The path is in code,
not in a variable serve could set, so the fix is the app's: the note says which line, which file of the project
has that name, and what to write instead."""

from __future__ import annotations

import ast
import os
import re
from pathlib import PurePosixPath, PureWindowsPath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

# sqlite:////abs/path.db (POSIX), sqlite:///C:\\dir\\app.db or sqlite:///C:/dir/app.db (Windows)
_POSIX = re.compile(r"sqlite(?:\+\w+)?:////(?P<path>[^\s?]+)")
_WINDOWS = re.compile(r"sqlite(?:\+\w+)?:///(?P<path>[A-Za-z]:[\\/][^\s?]+)")
MARK = "names the SQLite file"      # serve says these notes as warnings (run/serve.py)


def foreign_sqlite_notes(project: Project) -> tuple[str, ...]:
    """One note per SQLite URL literal in the app's code whose absolute path's folder does not exist here."""
    notes: list[str] = []
    seen: set[str] = set()
    for rel, tree in sorted(parsed(project).items()):
        for node in ast_nodes(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            path = _foreign_path(node.value.strip())
            if path is None or path in seen:
                continue
            seen.add(path)
            name = PureWindowsPath(path).name if _WINDOWS.fullmatch(node.value.strip()) else PurePosixPath(path).name
            here = sorted(f for f in project.files if PurePosixPath(f).name == name)
            has = f"; the project has {here[0]}" if here else ""
            notes.append(f"{rel}:{node.lineno} {MARK} {path}, in a folder this machine does not have "
                         f"(its author's?): the requests that use the database fail (\"unable to open database "
                         f"file\"){has}. Write one that exists wherever the app runs: a relative sqlite:///{name}, or a "
                         f"URL read from an environment variable")
    return tuple(notes)


def _foreign_path(value: str) -> str | None:
    """The absolute path of a SQLite URL whose folder does not exist on this machine, else None."""
    if (windows := _WINDOWS.fullmatch(value)) is not None:
        return windows["path"]      # a drive letter: no such folder on the POSIX machines serve runs on
    posix = _POSIX.fullmatch(value)
    if posix is None:
        return None
    path = "/" + posix["path"]
    return None if os.path.isdir(os.path.dirname(path)) else path
