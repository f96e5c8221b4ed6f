"""SQLite files the code names by an absolute path on its author's machine.

A 2024 URL shortener's create_app() writes `SQLALCHEMY_DATABASE_URI = 'sqlite:////mnt/c/Users/Home/Desktop/side/
flask-url-shortener/urls.db'`: its author's checkout of the repository, whose committed urls.db holds the table.
Anywhere else the folder does not exist, SQLite cannot create the file there ("unable to open database file"), and
every request that uses the database answers 500 while the others work: serve said nothing. The path is in code,
not in a variable serve could set: the note says which line, which file of the project has that name, and what to
write instead; serve and dev open that file (else the name in Shipyard's data folder for the app) in its place, in
the app's process (run/host_aliases.py's sitecustomize maps sqlite3.connect's argument)."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

# sqlite:////abs/path.db (POSIX), sqlite:///C:\\dir\\app.db or sqlite:///C:/dir/app.db (Windows)
_POSIX = re.compile(r"sqlite(?:\+\w+)?:////(?P<path>[^\s?]+)")
_WINDOWS = re.compile(r"sqlite(?:\+\w+)?:///(?P<path>[A-Za-z]:[\\/][^\s?]+)")
MARK = "names the SQLite file"      # serve says these notes as warnings (run/serve.py)


def foreign_sqlite_notes(project: Project) -> tuple[str, ...]:
    """One note per SQLite URL literal in the app's code whose absolute path's folder does not exist here."""
    notes = []
    for rel, line, path, name in foreign_paths(project):
        here = _same_name(project, name)
        has = f"; the project has {here}" if here else ""
        notes.append(f"{rel}:{line} {MARK} {path}, in a folder this machine does not have (its author's?): the "
                     f"requests that use the database fail (\"unable to open database file\"){has}. Write one that "
                     f"exists wherever the app runs: a relative sqlite:///{name}, or a URL read from an environment "
                     f"variable")
    return tuple(notes)


def served_paths(project: Project, folder: Path) -> dict[str, str]:
    """{path written in the code: the file serve and dev open instead}: the project's file of that name (the
    committed urls.db the author's path named), else that name in Shipyard's data folder for the app."""
    out = {}
    for _, _, path, name in foreign_paths(project):
        here = _same_name(project, name)
        if here is None:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        out[path] = str(project.root / here) if here else str(folder / name)
    return out


def image_paths(project: Project) -> tuple[tuple[str, str], ...]:
    """(path written in the code, the project's file of that name or "") for each foreign path: what the image
    maps, as serve and dev do (render.image_sqlite_env)."""
    return tuple((path, _same_name(project, name) or "") for _, _, path, name in foreign_paths(project))


def foreign_paths(project: Project) -> list[tuple[str, int, str, str]]:
    """(file, line, absolute path, file name) of each SQLite URL literal of the app's code (tests left out) whose
    folder does not exist here, once per path."""
    found: list[tuple[str, int, str, str]] = []
    seen: set[str] = set()
    for rel, tree in sorted(parsed(project).items()):
        for node in ast_nodes(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            value = node.value.strip()
            path = _foreign_path(value)
            if path is None or path in seen:
                continue
            seen.add(path)
            name = PureWindowsPath(path).name if _WINDOWS.fullmatch(value) else PurePosixPath(path).name
            found.append((rel, node.lineno, path, name))
    return found


def _same_name(project: Project, name: str) -> str | None:
    """The project's file of that name, the root's first."""
    here = sorted((f for f in project.files if PurePosixPath(f).name == name), key=lambda f: (f.count("/"), f))
    return here[0] if here else None


def _foreign_path(value: str) -> str | None:
    """The absolute path of a SQLite URL whose folder does not exist on this machine, else None."""
    if (windows := _WINDOWS.fullmatch(value)) is not None:
        return windows["path"]      # a drive letter: no such folder on the POSIX machines serve runs on
    posix = _POSIX.fullmatch(value)
    if posix is None:
        return None
    path = "/" + posix["path"]
    return None if os.path.isdir(os.path.dirname(path)) else path
