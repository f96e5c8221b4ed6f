"""The app's own database-initialisation command (plan.first_run, detect/first_run.py), run by `serve` and
`dev` once, on a fresh copy: when the SQLite database its configuration names does not exist yet.

Where the database is comes from the app itself, loaded with the app's interpreter in its folder: the
values of its config (Flask, Quart: `app.config`) under a database-ish key (DATABASE, SQLITE_PATH,
SQLALCHEMY_DATABASE_URI...) that are a SQLite file or a sqlite:/// URL, and the entry module's own SQLite
database objects, and those of the app's modules it imports (peewee's `db = SqliteDatabase("app.db")`, a
SQLAlchemy engine on sqlite:/// in models.py); a Pyramid
app's paste ini
(`sqlalchemy.url`), read as text. When no such file is named,
nothing runs (the command may clear data, and Shipyard cannot tell whether there is any): one line names
the command to run by hand. A command that fails leaves no half-made database behind, so the next run
tries again, and is a warning, not the end of the run: the command is Shipyard's guess from the source.
"""

from __future__ import annotations

import configparser
import dataclasses
import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path
from typing import Callable, Mapping

from ..detect.first_run import is_create_all
from ..detect.sqlite_cli import _SQLITE_SUFFIXES
from ..errors import ShipyardError
from ..plan import Plan
from ..project import SKIP_DIRS
from ..sqlite_probes import CONFIG_SQLITE
from .appenv import AppEnv, server_env
from .host_aliases import opened_sqlite
from .migrate import run_migrations, said_above



def config_sqlite_files(plan: Plan, root: Path, env: AppEnv, environ: Mapping[str, str] | None = None,
                        timeout: float = 60) -> list[Path] | None:
    """The SQLite files the app's config names; None when the app does not load (its own start says why)."""
    if plan.entry.paste_ini:
        return paste_sqlite_files(plan, root)
    variables = {**server_env(plan, environ), "SHIPYARD_ENTRY": plan.entry.target,
                 "SHIPYARD_IMPORT_FOLDER": plan.entry.import_folder or ""}
    try:
        done = subprocess.run([env.python, "-c", CONFIG_SQLITE], cwd=(root / plan.workdir).resolve(),
                              env=variables, capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        names = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError):
        return None
    return [Path(n) for n in names] if isinstance(names, list) else None


def paste_sqlite_files(plan: Plan, root: Path) -> list[Path] | None:
    """The SQLite files a paste ini names (`sqlalchemy.url = sqlite:///%(here)s/app.sqlite`), read without
    running anything; relative ones are relative to the folder the app runs in."""
    cwd = (root / plan.workdir).resolve()
    ini = cwd / plan.entry.paste_ini
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read(ini, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError):
        return None
    names = []
    for section in parser.sections():
        for key, value in parser.items(section):
            value = value.replace("%(here)s", str(ini.parent))
            if re.search(r"url|database|sqlite", key, re.I) and value.startswith("sqlite:///"):
                path = value.split(":///", 1)[1].split("?", 1)[0]
                if path and path != ":memory:":
                    names.append(cwd / path)
    return sorted(set(names))


_MAX_FILES = 50_000     # a folder holding more (a data set beside the app) is not listed: nothing is judged new


def files_before(root: Path) -> frozenset[Path] | None:
    """The files under the app's folder (its tools' and virtualenvs' folders aside) before its import check: a
    SQLite file that is not among them afterwards was made by that import, and holds no data of the user's
    (Flask-AppBuilder's security manager creates its ab_* tables when the app is made, before the app's own models
    are imported: theirs are still to be made)."""
    found = set()
    for folder, dirs, names in os.walk(root.resolve()):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        found.update(Path(folder, name) for name in names)
        if len(found) > _MAX_FILES:
            return None
    return frozenset(found)


def made_sqlite_files(root: Path, before: frozenset[Path] | None) -> list[Path]:
    """The SQLite files under `root` made since `before` (files_before) with no table yet: what the import check
    opened (sqlite3.connect creates the file) before it stopped on a table it lacks."""
    after = files_before(root)
    if before is None or after is None:
        return []
    return sorted(f for f in after - before if f.suffix in _SQLITE_SUFFIXES and not _tables(f))


def run_first_run(plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None],
                  environ: Mapping[str, str] | None = None, files: list[Path] | None = None,
                  before: frozenset[Path] | None = None) -> bool:
    """Run plan.first_run when none of the app's SQLite files exists yet; True when it ran. `files`: the
    database files when the caller knows them already (else read from the app's config). `before`: the files
    under `root` before the app's import check (files_before); one of `files` under `root` made since is new."""
    command = plan.first_run
    if command is None:
        return False
    if files is None:
        # the files the command itself opens by name (initdb.py's sqlite3.connect("todo.db")) are the database;
        # else the app's config says where it is
        files = [root / command.workdir / f for f in command.files] or config_sqlite_files(plan, root, env, environ)
    if files is None:
        return False
    # a path of its author's machine (/db/example.db) is opened where serve aims it: that file is the database
    files = list(dict.fromkeys(opened_sqlite(f, environ) for f in files))
    if not files and is_create_all(command):
        return False        # no SQLite file to create: the tables are made where serve made the database
    if not files:
        say(f"{command.what} initialises the app's database; Shipyard cannot tell where that database is, "
            f"so it did not run it (it may clear data): run `{command.shell}` in "
            f"{_shown(root / command.workdir, root)} once if the app's pages answer 500")
        return False
    made_now = [f for f in files if before is not None and f.exists() and _made_since(f, root, before)]
    if any(f.exists() and f not in made_now for f in files):
        return False
    shown = ", ".join(_shown(f, root) for f in files)
    if made_now:
        say(f"the app's database {shown} was made by its import check just now (no data yet): making its tables "
            f"with {command.what}, once (an existing database is never initialised again)")
    else:
        say(f"the app's database {shown} does not exist yet (a fresh copy): creating it with {command.what}, "
            f"once (an existing database is never initialised again)")
    try:
        run_migrations(dataclasses.replace(plan, release=command), root, env, environ=environ)
    except BaseException as exc:
        # what a failed run left is no database to keep: the next run tries again
        for f in files:
            f.unlink(missing_ok=True)
        if not isinstance(exc, ShipyardError):
            raise
        # a command Shipyard chose, not the user: say so and serve anyway (the pages that need no table work)
        say(f"warning: {exc.message}{said_above(exc)}; the app starts without its database "
            f"(pages that read it answer 500); fix it, or run `{command.shell}` yourself")
        return False
    empty = [f for f in files if f.exists() and not _tables(f)]
    if empty or not any(f.exists() for f in files):
        # it ran, but made no table where the app looks (it needs another step first, or another database)
        for f in empty:
            f.unlink(missing_ok=True)
        say(f"warning: {command.what} ran but created no table in {shown}; the app's pages that read it "
            f"answer 500 until its README's steps are done")
        return False
    say(f"created {shown} with {command.what}")
    return True


def _made_since(path: Path, root: Path, before: frozenset[Path]) -> bool:
    """`path`, under `root`, was not among the files there before (a file elsewhere is never judged new)."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return path not in before and path.resolve() not in before


def _tables(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    except sqlite3.Error:
        return 1         # not a database we can read: not ours to judge or remove


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve())) or "."
    except ValueError:
        return str(path)
