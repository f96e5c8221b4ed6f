"""A fresh clone of an app on SQLite has no database file yet: `serve` creates it with the app's schema.

Without it every page that reads a table answers 500 ("no such table"), and the user has to know to run
`manage.py migrate` (or `flask db upgrade`, or the app's own `flask initdb`) first. Only a database file that
does not exist is created this way: an existing one is the user's data and is left alone (`serve --migrate`
updates it). Where the file is comes from the app itself, read with the app's interpreter: Django's settings
(settings packages, BASE_DIR / "db.sqlite3"), or the engine of a Flask-SQLAlchemy app (its own config, its
instance folder). Django gets its migrations; an app with its own init command (`flask init-db`, a project
script `init_db`) gets that, once (run/first_run.py); Flask gets Flask-Migrate's upgrade when it has
migrations/, else the models' tables (db.create_all(), what such apps' init commands do); an app migrated by
Alembic gets `alembic upgrade head` onto the file its env.py names, then its own init command if it has one.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path, PurePosixPath
from typing import Callable, Mapping

from ..errors import ShipyardError
from ..plan import Plan
from ..sqlite_probes import FLASK_SQLITE
from .alembic_cli import is_alembic, sqlite_files as alembic_sqlite_files
from .appenv import AppEnv, server_env
from .database import app_folder
from .first_run import config_sqlite_files, run_first_run
from .host_aliases import opened_sqlite
from .migrate import run_migrations, said_above

# prints the file of every SQLite database in the settings, as the app resolves it (relative to its folder)
_SQLITE_FILES = """\
import json, os
if os.environ.get("DJANGO_CONFIGURATION"):
    from configurations import importer      # django-configurations: its settings classes load through it
    importer.install()
from django.conf import settings
names = [str(db.get("NAME") or "") for db in settings.DATABASES.values() if "sqlite3" in db.get("ENGINE", "")]
print(json.dumps(names))
"""


def is_django_migrate(plan: Plan) -> bool:
    return plan.release is not None and plan.release.argv[1:4] in (("-m", "django", "migrate"),
                                                                    ("-m", "configurations", "migrate"))


def sqlite_files(plan: Plan, root: Path, env: AppEnv, environ: Mapping[str, str] | None = None,
                 timeout: float = 60) -> list[Path]:
    """The SQLite database files the app's Django settings name; [] when the settings cannot be read
    (the app's own start then says why) or name none."""
    cwd = (root / plan.workdir).resolve()
    try:
        # argv[1] is the command, as under `manage.py migrate`: settings may test it
        done = subprocess.run([env.python, "-c", _SQLITE_FILES, "migrate"], cwd=cwd, env=server_env(plan, environ),
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    try:
        names = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return []
    # ":memory:" and "file:...?mode=memory" URIs are no file to create
    return [cwd / name for name in names if name and name != ":memory:" and not name.startswith("file:")]


def flask_sqlite_files(plan: Plan, root: Path, env: AppEnv, environ: Mapping[str, str] | None = None,
                       timeout: float = 60) -> list[Path]:
    """The SQLite file of a Flask-SQLAlchemy app's engine; [] when the app does not load or has none."""
    out = _run_app(FLASK_SQLITE, plan, root, env, environ, timeout)
    return [Path(name) for name in out] if isinstance(out, list) else []


def _run_app(code: str, plan: Plan, root: Path, env: AppEnv, environ: Mapping[str, str] | None,
             timeout: float, *args: str):
    """Run `code` with the app's interpreter in its folder, FLASK_APP set to the entry (and its import folder on
    sys.path, as the server has it); its last line as JSON (None when it fails: the app's own start says why)."""
    variables = {**server_env(plan, environ), "FLASK_APP": plan.entry.target,
                 "SHIPYARD_IMPORT_FOLDER": plan.entry.import_folder or ""}
    try:
        done = subprocess.run([env.python, "-c", code, *args], cwd=(root / plan.workdir).resolve(), env=variables,
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        return json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        return None


def create_missing_sqlite(plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None],
                          environ: Mapping[str, str] | None = None, before: frozenset[Path] | None = None) -> bool:
    """Create the app's SQLite database when it does not exist yet; True when it did. `before`: the files under
    `root` before the app's import check (run/first_run.files_before): a database file made since is new."""
    if plan.needs_postgres:
        return False
    if is_django_migrate(plan):
        files = sqlite_files(plan, root, env, environ)
        missing = [f for f in files if no_database(f)]
        if missing:
            _say_missing(missing, root, plan.release.what, say)
            for line in run_migrations(plan, root, env, environ=environ):
                say(line)
        for f in files:
            if f not in missing and (lacks := django_schema_behind(f, root / plan.workdir, plan.unmigrated_models)):
                say(f"warning: the app's SQLite database {_shown(f, root)} is there already and left as it is, but "
                    f"it lacks what the models need ({'; '.join(lacks)}): pages that read them answer 500. "
                    "`shipyard migrate` (or `serve --migrate`) applies them to it (copy the file first to keep it as "
                    "it is)")
        return bool(missing)
    if plan.release is not None and is_alembic(plan.release.argv):
        return _alembic_fresh(plan, root, env, say, environ)
    if plan.first_run is not None and plan.release in (None, plan.first_run):
        # the app's own init command (its README's first step) rather than Shipyard's guess of the schema
        # the files the command itself opens by name are the database; else the app's config says where it is
        files = [root / plan.first_run.workdir / f for f in plan.first_run.files] or \
            config_sqlite_files(plan, root, env, environ)
        if files is not None and plan.framework == "flask" and env.has_module("flask_sqlalchemy"):
            files += [f for f in flask_sqlite_files(plan, root, env, environ) if f not in files]
        return run_first_run(plan, root, env, say, environ, files, before) if files is not None else False
    if plan.framework != "flask" or not env.has_module("flask_sqlalchemy"):
        return False
    missing = [f for f in (opened_sqlite(f, environ) for f in flask_sqlite_files(plan, root, env, environ))
               if no_database(f)]
    if not missing:
        return False
    _say_missing(missing, root, "the app's schema", say)
    how = _run_app(FLASK_SQLITE, plan, root, env, environ, 300, "create")
    if how is None or no_database(missing[0]):
        say("creating it failed; the app's own error shows on its pages (create the database as its README says)")
        return False
    say(f"created {_shown(missing[0], root)} with {how}")
    return True


_MIGRATION_FILE = re.compile(r"\d{4}_\w+\.py")
_NOT_THE_APPS = {"venv", "env", "node_modules", "site-packages", "__pycache__"}


def django_schema_behind(database: Path, workdir: Path, unmigrated: tuple[str, ...] = ()) -> list[str]:
    """What an existing Django SQLite database lacks, as "label: why" (a database committed with the repository,
    made before its newest migrations): apps whose models have no migrations in the repository (`unmigrated`
    folders) that it never migrated and has no table of, and migrations under `workdir` that django_migrations does not list for an app it
    lists others of (so the label is the folder's name). Read only; [] when the file is no database."""
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
            applied = set(db.execute("select app, name from django_migrations")) \
                if "django_migrations" in tables else set()
    except sqlite3.Error:
        return []
    labels = {app for app, _ in applied}
    # an app the database never migrated (its author's migrations were not committed either) and with no table of
    # Django's default names; one its django_migrations lists was made, whatever its tables' names (Meta.db_table)
    out = [f"{label}: no tables (its models have no migrations in the repository)"
           for label in (PurePosixPath(folder).name for folder in unmigrated)
           if label and label not in labels and not any(t.startswith(label + "_") for t in tables)]
    pending: dict[str, int] = {}
    for folder, dirs, names in os.walk(workdir):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in _NOT_THE_APPS]
        label = Path(folder).parent.name
        if Path(folder).name != "migrations" or label not in labels:
            continue
        pending[label] = pending.get(label, 0) + sum(
            1 for name in names if _MIGRATION_FILE.fullmatch(name) and (label, name[:-3]) not in applied)
    pending = {label: n for label, n in pending.items() if n}
    out += [f"{label}: {n} migration{'s' if n > 1 else ''} not applied" for label, n in sorted(pending.items())]
    return out


def _alembic_fresh(plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None],
                   environ: Mapping[str, str] | None) -> bool:
    """An app migrated by Alembic onto a SQLite file that does not exist yet: `alembic upgrade head`, then the
    app's own init command once (Pyramid's `initialize_<project>_db`, which fills the tables Alembic made)."""
    cwd = (root / plan.release.workdir).resolve()
    placed = _placed_sqlite(plan, root, environ)
    files = [placed[1]] if placed else alembic_sqlite_files(env.python, plan.release.argv, cwd,
                                                              server_env(plan, environ))
    if not files or not all(no_database(f) for f in files):
        return False
    _say_missing(files, root, plan.release.what, say)
    if placed:
        say(f"Alembic migrates it there, whatever URL its ini writes (the app reads {placed[2]})")
    try:
        for line in run_migrations(plan, root, env, environ=environ, database_url=placed[0] if placed else None):
            say(line)
    except ShipyardError as exc:
        for f in files:                  # no half-made database: the next run tries again
            f.unlink(missing_ok=True)
        say(f"warning: {exc.message}{said_above(exc)}; the app starts without its database")
        return False
    if plan.first_run is not None and plan.first_run != plan.release:
        say(f"then {plan.first_run.what}, once, on the new database")
        try:
            run_migrations(dataclasses.replace(plan, release=plan.first_run), root, env, environ=environ)
        except ShipyardError as exc:
            say(f"warning: {exc.message}{said_above(exc)}; the tables are made, without its first data")
    return True


def _placed_sqlite(plan: Plan, root: Path, environ: Mapping[str, str] | None) -> tuple[str, Path, str] | None:
    """(URL, file, variable) of a SQLite database that serve placed in Shipyard's folder for the app, in place
    of the example env file's placeholder (appconfig.py): the app reads it, so Alembic must write it."""
    env = dict(os.environ if environ is None else environ)
    folder = app_folder(plan, root, env, "apps")
    for name, value in sorted(env.items()):
        if value.startswith("sqlite:///") and Path(value[len("sqlite:///"):]).parent == folder:
            return value, Path(value[len("sqlite:///"):]), name
    return None


def no_database(path: Path) -> bool:
    """No database in the file yet: it does not exist, or it is empty (0 bytes). Importing the app makes an empty
    one where it connects at import (Flask-AppBuilder's security manager reads its tables when the app is made, and
    SQLite creates the file it opens), before serve asks where the database is; SQLite reads such a file as a
    database with no tables, and no one's data is in it."""
    try:
        return path.stat().st_size == 0
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _say_missing(missing: list[Path], root: Path, what: str, say: Callable[[str], None]) -> None:
    shown = ", ".join(_shown(f, root) for f in missing)
    say(f"the app's SQLite database {shown} does not exist yet or is empty (a fresh copy): creating it with {what} "
        "(an existing database is left as it is; `--migrate` updates it)")


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
