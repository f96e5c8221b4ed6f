"""Log files the app's code opens by a relative name, where it runs: made in the image, owned by the app's user.

A 2018 CherryPy school project sets `'log.access_file': 'access.log', 'log.error_file': 'error.log'` at import.
The image's code folder is root-owned, and the files an earlier run left in the folder (`shipyard init`'s import
proof, `serve`, the developer's own runs) were copied in root-owned too: the worker stopped at its import
(PermissionError: '/app/access.log') and the container never became healthy. A log file named by a string
literal in `logging.FileHandler("x.log")` (and its rotating kinds), `logging.basicConfig(filename="x.log")`, or as
the value of a key or keyword about logs (`'log.access_file': 'access.log'`, `log_file="app.log"`) is such a file,
relative to where the app runs. Absolute paths and names in folders are left alone (made_folders.py makes a
folder the code makes).

An absolute path is its author's server's (a 2020 Django project's LOGGING writes '/home/ubuntu/dev/ffl/log/debug.log'
for its EC2 machine): where that folder does not exist, dictConfig stops at start-up ("Unable to configure handler
'file'") before any page answers. foreign_log_files names them; serve and dev open each in Shipyard's data folder for
the app instead (run/host_aliases.py), as they do an author's absolute SQLite path (foreign_sqlite.py).

Found by reading the source (ast), never by running it. Paths are relative to the project root."""

from __future__ import annotations

import ast
import os
import posixpath
import re
from pathlib import Path
from typing import Iterable

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed
from .source_paths import assigned, imported_paths, project_path

_HANDLERS = {"FileHandler", "RotatingFileHandler", "TimedRotatingFileHandler", "WatchedFileHandler"}
_NAME = re.compile(r"[\w.-]+\.log")         # a plain file name in the working directory
_IN_FOLDER = re.compile(r"(?:\./)?[\w.-]+(?:/[\w.-]+)*/[\w.-]+\.log")   # runtime/log/app.log
_ABOUT_LOGS = re.compile(r"log", re.IGNORECASE)
_LOG_VARIABLE = re.compile(r"(?:^|_)log", re.IGNORECASE)     # LOG_FILE, APP_LOG_FILE, logfile; not CATALOG
_FILE = re.compile(r"[\w-][\w.-]*\.(?:log|txt|out|err)")   # a log file's name at the end of a computed path


def log_files(project: Project, workdir: str) -> tuple[str, ...]:
    """The log files the code opens by a plain relative name, relative to the project root, sorted."""
    found: set[str] = set()
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            for value in _named_logs(node):
                if isinstance(value, ast.Constant) and isinstance(value.value, str) and _NAME.fullmatch(value.value):
                    found.add(posixpath.normpath(posixpath.join(workdir or ".", value.value)))
    return tuple(sorted(found))


def absent_log_folders(project: Project, workdir: str) -> tuple[str, ...]:
    """The folders, relative to the project root, of log files the code opens by a relative path in a folder
    (`logging.FileHandler('runtime/log/app.log')` at import) that the checkout lacks: a .gitignore'd runtime/ keeps
    only its .gitkeep, and the handler's open fails (FileNotFoundError) before any page answers. serve and dev
    make them, and the image, owned by the app's user (made_folders)."""
    found: set[str] = set()
    trees = parsed(project)
    for rel, tree in trees.items():
        names: dict[str, ast.expr] | None = None
        known: dict[str, str] = {}
        for node in ast_nodes(tree):
            for value in _named_logs(node):
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    if not _IN_FOLDER.fullmatch(value.value):
                        continue
                    folder = posixpath.normpath(posixpath.join(workdir or ".", posixpath.dirname(value.value)))
                else:
                    # a path built at run time from the folder the code sits in: Django's
                    # os.path.join(BASE_DIR, 'logs', 'error.log'), BASE_DIR / 'logs' / 'debug.log',
                    # f"{ROOT}/logs/app.log", Path(__file__).resolve().parent / 'logs' / 'app.log'
                    if names is None:
                        names, known = assigned(tree), imported_paths(rel, tree, trees)
                    path = project_path(value, rel, names, literals=False, known=known)
                    if path is None or not _FILE.fullmatch(posixpath.basename(path)):
                        continue
                    folder = posixpath.dirname(path) or "."
                if folder.startswith("..") or folder == ".":
                    continue
                if not (project.root / folder).is_dir():
                    found.add(folder)
    return tuple(sorted(found, key=lambda p: (p.count("/"), p)))


def foreign_log_files(project: Project) -> tuple[str, ...]:
    """The log files the code names by an absolute POSIX path (a string literal) whose folder does not exist on
    this machine, sorted: in a handler, a log key, or a variable named for logs (a config class's
    `APP_LOG_FILE = "/var/log/site/app.log"`, handed to a RotatingFileHandler at start-up)."""
    found: set[str] = set()
    for tree in parsed(project).values():
        for node in ast_nodes(tree):
            for value in (*_named_logs(node), *_log_variable_values(node)):
                if isinstance(value, ast.Constant) and isinstance(value.value, str) \
                        and value.value.startswith("/") and _FILE.fullmatch(posixpath.basename(value.value)) \
                        and not os.path.isdir(posixpath.dirname(value.value)):
                    found.add(value.value)
    return tuple(sorted(found))


def foreign_log_folders(written: Iterable[str]) -> tuple[str, ...]:
    """The folders of foreign_log_files (`written`): the image makes them, owned by the app's user, where the code
    writes."""
    return tuple(sorted({posixpath.dirname(path) for path in written}))


def served_log_paths(written: Iterable[str], folder: Path) -> dict[str, str]:
    """{log file written in the code: the file serve and dev open instead}: that name in `folder` (Shipyard's data
    folder for the app), made when there is one. `written`: the plan's foreign_log_files, found when inspect made
    it, so a serve start parses nothing again."""
    written = tuple(written)
    if written:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return {path: str(folder / posixpath.basename(path)) for path in written}


def _named_logs(node: ast.AST):
    """The expressions that name a log file at `node`: a handler's or basicConfig's file, a log key's value."""
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in _HANDLERS and node.args:
            yield node.args[0]
        for keyword in node.keywords:
            if keyword.arg and (keyword.arg == "filename" and name == "basicConfig"
                                or name in _HANDLERS and keyword.arg == "filename"
                                or _ABOUT_LOGS.search(keyword.arg)):
                yield keyword.value
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str) and _ABOUT_LOGS.search(key.value):
                yield value
        if (filename := _dict_config_file(node)) is not None:
            yield filename


def _log_variable_values(node: ast.AST):
    """The value assigned at `node` to a variable or attribute named for logs (LOG_FILE, APP_LOG_PATH, error_log;
    not CATALOG)."""
    if isinstance(node, ast.Assign):
        targets, value = node.targets, node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        targets, value = [node.target], node.value
    else:
        return
    for target in targets:
        name = target.id if isinstance(target, ast.Name) else target.attr if isinstance(target, ast.Attribute) else ""
        if _LOG_VARIABLE.search(name):
            yield value
            return


def _dict_config_file(node: ast.Dict) -> ast.expr | None:
    """The 'filename' of a dictConfig handler (Django's LOGGING: {'class': 'logging.FileHandler', 'filename':
    'logs/error.log'}), whose key names no log; None for any other dict."""
    entries = {key.value: value for key, value in zip(node.keys, node.values)
               if isinstance(key, ast.Constant) and isinstance(key.value, str)}
    kind = entries.get("class")
    if isinstance(kind, ast.Constant) and isinstance(kind.value, str) \
            and kind.value.rpartition(".")[2] in _HANDLERS and "filename" in entries:
        return entries["filename"]
    return None
