"""Folders of the SQLite files the code names by a relative path, which the checkout lacks.

A 2022 Flask job board configures `SQLALCHEMY_DATABASE_URI = 'sqlite:///data/database.db'` and runs
`db.create_all()` and a query at import, calling exit(1) when they fail; `*.db` and nothing else lived in data/, so
git kept no data/ (only `python app.py`'s __main__ makes it, after that import). SQLite creates the file, not its
folder ("unable to open database file"): the Procfile's `gunicorn app:app` stopped at import in every fresh clone,
and the proof took that for a broken launcher. A relative SQLite URL literal (`sqlite:///dir/file.db`, any driver)
or `sqlite3.connect('dir/file.db')` names such a folder, relative to where the app runs, when the project has no
folder of that name: serve and dev make it, empty, and say so (run/static_folders.py); the image makes it too,
owned by the app's user (made_folders); the proof says it is a setup step, not the code's fault.

Flask-SQLAlchemy opens a relative URL elsewhere (its own code, checked in each release): from 0.14 to 2.5 under
`app.root_path` (the folder of the module that makes `Flask(__name__)`), from 3.0 under `app.instance_path` (an
`instance/` beside the app's top-level module or package, in the folder it is imported from), which it makes
itself, though not a folder below it (`sqlite:///data/app.db` opens instance/data/app.db). A URL literal of an app
that imports flask_sqlalchemy, outside a create_engine call, is resolved by the major the app installs
(flask_sqlalchemy_major: the version the proven environment holds, else the app's requirement; 3, the newest,
when neither caps it). An instance folder elsewhere than the folder the app runs in (src/instance) is itself a
folder to make: the image makes <workdir>/instance only.

Found by reading the source (ast), never by running it. Paths are relative to the project root."""

from __future__ import annotations

import ast
import posixpath
import re

from packaging.utils import canonicalize_name

from ..project import Project
from .ast_nodes import ast_nodes
from .sqlalchemy_hold import caps_below
from .source import dotted_name, imported_modules, imported_names, parsed

# sqlite:///data/app.db, sqlite+pysqlite:///./db/app.db: three slashes, then no fourth (an absolute path) nor a drive
_RELATIVE_URL = re.compile(r"sqlite(?:\+\w+)?:///(?![/\\]|[A-Za-z]:)(?P<path>[^\s?]+)")
# what SQLite says when the file's folder is missing
UNOPENED = "unable to open database file"


ENGINE_MAKERS = ("sqlalchemy.create_engine", "sqlalchemy.engine.create_engine",
                 "sqlalchemy.ext.asyncio.create_async_engine", "sqlmodel.create_engine")


def flask_sqlalchemy_major(requirements) -> int:
    """The major of Flask-SQLAlchemy that `requirements` (NAME==VERSION lines of an environment, or the app's own
    requirement lines; the first naming it counts) install: 2 when that line caps it below 3.0, else 3."""
    for line in requirements:
        name = _NAME.match(line.strip())
        if name and canonicalize_name(name[0]) == "flask-sqlalchemy":
            return 2 if caps_below(line.strip()[name.end():].split(";", 1)[0].strip(), "3.0") else 3
    return 3


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def absent_sqlite_folders(project: Project, workdir: str, import_folder: str | None = None,
                          requirements=()) -> tuple[str, ...]:
    """The folders, relative to the project root, of the SQLite files the code names by a relative path in a folder
    that the project lacks; parents before children. Relative to `workdir`, where the app runs, or for an app on
    Flask-SQLAlchemy to the folder its installed major opens them in (`requirements`: flask_sqlalchemy_major;
    `import_folder`: where, below `workdir`, the app's top-level module is imported from)."""
    trees = parsed(project)
    flask_folder, instance = _flask_sqlalchemy_folder(trees, workdir or ".", import_folder, requirements)
    found: set[str] = set()
    for tree in trees.values():
        imported, modules = imported_names(tree), imported_modules(tree)
        engines = {id(node.args[0]) for node in ast_nodes(tree) if isinstance(node, ast.Call) and node.args
                   and dotted_name(node.func, imported, modules) in ENGINE_MAKERS}
        for node in ast_nodes(tree):
            for path, url in _named_files(node):
                folder = posixpath.dirname(posixpath.normpath(path))
                if folder.startswith(".."):
                    continue
                flask = url and flask_folder is not None and id(node) not in engines
                if flask and not flask_folder:
                    continue
                base = flask_folder if flask else workdir or "."
                made = [posixpath.join(base, folder)] if folder else []
                if flask and instance and base != posixpath.normpath(posixpath.join(workdir or ".", "instance")):
                    made.append(base)     # Flask-SQLAlchemy 3 makes it, but not in a folder the image keeps read-only
                for each in (posixpath.normpath(f) for f in made):
                    if each != "." and not each.startswith("..") and not (project.root / each).is_dir():
                        found.add(each)
    return tuple(sorted(found, key=lambda p: (p.count("/"), p)))


def _flask_sqlalchemy_folder(trees: dict[str, ast.Module], workdir: str, import_folder: str | None,
                             requirements) -> tuple[str | None, bool]:
    """The folder, relative to the project root, that the app's Flask-SQLAlchemy resolves a relative SQLite URL
    against, and whether it is the instance folder: app.root_path (before 3.0) or app.instance_path (3.0 on); None
    when the app does not import flask_sqlalchemy, and when it names its instance folder itself (Flask(__name__,
    instance_path=...)) with "": no folder to tell."""
    uses, roots, own_instance = False, set(), False
    for rel, tree in trees.items():
        imported, modules = imported_names(tree), imported_modules(tree)
        uses = uses or any(v.startswith("flask_sqlalchemy.") for v in imported.values()) or any(
            isinstance(node, ast.Import) and any(a.name == "flask_sqlalchemy" for a in node.names)
            for node in ast_nodes(tree))
        for node in ast_nodes(tree):
            if isinstance(node, ast.Call) and dotted_name(node.func, imported, modules) == "flask.Flask":
                roots.add(posixpath.dirname(rel) or ".")
                own_instance = own_instance or any(k.arg == "instance_path" for k in node.keywords)
    if not uses:
        return None, False
    if flask_sqlalchemy_major(requirements) < 3:
        # the folder of the module that makes the app; one the code makes in several folders says nothing
        return (roots.pop() if len(roots) == 1 else workdir), False
    if own_instance:
        return "", True
    return posixpath.normpath(posixpath.join(workdir, import_folder or ".", "instance")), True


def _named_files(node: ast.AST):
    """The relative SQLite file paths `node` names, each with whether it is a URL: a URL literal, or sqlite3.connect's
    string argument."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        url = _RELATIVE_URL.fullmatch(node.value.strip())
        if url is not None and url["path"] != ":memory:":
            yield url["path"], True
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "connect" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "sqlite3" and node.args \
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
            and not node.args[0].value.startswith(("/", ":", "file:")):
        yield node.args[0].value, False
