"""The env files the flask CLI loads for the app: `.env`, then `.flaskenv` for the names `.env` leaves unset.

`flask run`, `flask db upgrade` and every other `flask` command read them (through python-dotenv, when it is
installed), from the folder the command runs in or the nearest parent that has them, before importing the
app. A production server does not: an app that reads `os.environ['DBUSER']` at import and keeps the values
in a committed `.env` (Azure's Flask sample) works with `flask run` and fails under gunicorn or granian.
Shipyard gives the app what the CLI would, read in place, for a Flask app that declares python-dotenv and
does not load its env files itself (`load_dotenv()` in its code does that under any server).

Variables the CLI reads only for its own development server (FLASK_DEBUG, FLASK_ENV, FLASK_RUN_*) are left
out except for `dev`: `Flask()` turns debug mode on from FLASK_DEBUG, which `serve` must not.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from .ast_nodes import ast_nodes
from .deps import declared, normalize
from .envfile import parse
from .source import imports_top, parsed

FILES = (".env", ".flaskenv")           # in the CLI's precedence: .env wins over .flaskenv
DEVELOPMENT_ONLY = frozenset({"FLASK_DEBUG", "FLASK_ENV"})
_LOADERS = frozenset({"load_dotenv", "dotenv_values", "find_dotenv"})


@dataclass(frozen=True)
class CliEnv:
    path: str                             # "…/.env and .flaskenv", for the note
    values: tuple[tuple[str, str], ...]   # .env's, then .flaskenv's unset ones

    def note(self) -> str:
        return f"{self.path}, which the flask CLI loads (python-dotenv) and a production server does not"


def find(project: Project, workdir: str, *, development: bool = False) -> CliEnv | None:
    """The env files `flask` would load running in `workdir`, read; None when the app is not a Flask app that
    relies on the CLI for them."""
    if not _flask_cli_loads_them(project, workdir):
        return None
    values: dict[str, str] = {}
    read: list[str] = []
    for name in FILES:
        rel = _nearest(project, workdir, name)
        if rel is None:
            continue
        read.append(rel)
        for key, value in parse(project.read_text(rel)).items():
            if key in values or (not development and (key in DEVELOPMENT_ONLY or key.startswith("FLASK_RUN_"))):
                continue
            values[key] = value
    if not read:
        return None
    return CliEnv(" and ".join(read), tuple(values.items()))


def values_of(project: Project, workdir: str, name: str) -> list[tuple[str, str]]:
    """(file, value) for each env file, of those the flask CLI or python-dotenv's `load_dotenv()` would find
    from `workdir`, that sets `name`, whoever loads it (the CLI, or the app's own code)."""
    found = []
    for each in FILES:
        rel = _nearest(project, workdir, each)
        if rel is not None and (value := parse(project.read_text(rel)).get(name)):
            found.append((rel, value))
    return found


def _nearest(project: Project, workdir: str, name: str) -> str | None:
    """`name` in `workdir` or the nearest parent folder inside the project that has it (python-dotenv's
    find_dotenv walks up from the working directory)."""
    folder = PurePosixPath(workdir)
    while True:
        rel = str(folder / name) if str(folder) != "." else name
        if project.is_file(rel):
            return rel
        if str(folder) in (".", ""):
            return None
        folder = folder.parent


def _flask_cli_loads_them(project: Project, workdir: str) -> bool:
    """A Flask app with python-dotenv declared (the CLI loads env files only with it) whose own code loads
    none."""
    deps = {normalize(d.name) for d in declared(project, workdir).dependencies}
    if "python-dotenv" not in deps or not ({"flask"} & deps or imports_top(project, "flask")):
        return False
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if name in _LOADERS:
                    return False
    return True


