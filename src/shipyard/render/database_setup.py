"""What an image of an app on SQLite runs before its server: the database tables a fresh container lacks.

`serve` creates a missing SQLite database on this machine (run/sqlite_release.py). In an image the file lives
in the container, where nothing made it, so every page that reads a table answered 500 ("no such table"). The
image's runtime (shipyard_runtime.py) runs these steps before the server, on every start of the container:
- the release (Django's migrate, Alembic's or Flask-Migrate's upgrade, the user's declared command) and
  Shipyard's create-the-missing-tables step (db.create_all()): each applies only what is missing, as on every
  deploy, so a database kept on a volume is brought up to date too;
- the app's own init command (its `init-db`, which may clear data): once, only when none of the SQLite files
  its config names exists yet, as `serve` does. Where the files are is asked of the app in the container
  (sqlite_probes.py); when it cannot be told, the command is not run and one line says to run it by hand.
Where the files are is also what keeps them: a file in the container is lost with it (each `up` makes a new
one), and the app opens it inside its code folder, where no volume can go without hiding the code. The image keeps
them under Target.sqlite_dir instead, at the same path relative to the app's folder, and the runtime links each one
where the app opens it (SQLite follows the link and keeps its journal beside the real file): a file the finders
name is moved there at the start, a file kept there from an earlier container is linked back. The compose stack
mounts a volume on that folder (render._data_volumes), so the data outlives `up`; also beside a database server,
which an app may not use (a pip freeze with psycopg2 and a hard-coded sqlite:// URL): the finders then name
nothing when it does.
An app on a database server (PostgreSQL, or MariaDB for a MySQL app) gets its release from the stack's release
job instead (render._release); when it falls back to its SQLite file without one (DATABASE_URL unset: the image
run alone, as `verify` does), the steps run as for an app on SQLite.

An app on PostgreSQL with no release of its own but a first run (its `init_db`, the tables its create_all makes,
Shipyard's create_all for Flask-SQLAlchemy models: what `serve` runs on the database it creates) gets that as
the stack's release job (server_first_run): a step that creates only what is missing on every deploy; an init
command (it may clear data) only while the database holds no table, which the runtime asks the database with the
app's own driver (psycopg2, psycopg or asyncpg). Without it the stack answered 500 on every page that reads a
table ("relation ... does not exist").
"""

from __future__ import annotations

import re
from typing import Any

from ..detect.first_run import is_create_all
from ..plan import Plan, Release
from .. import sqlite_probes
from .release_argv import release_argv
from .target import Target

# the probes the runtime may run, written into it as r'''...''' strings under these names
PROBES = {name: getattr(sqlite_probes, name) for name in ("CONFIG_SQLITE", "DJANGO_SQLITE", "FLASK_SQLITE")}
# the variable that points an app with a database server at it (compose's and Kubernetes' DATABASE_URL)
SERVER_URL = "DATABASE_URL"
assert not any("'''" in code for code in PROBES.values()), "a probe must fit in r'''...'''"


def database_setup(plan: Plan, target: Target) -> dict[str, Any] | None:
    """The steps for the image's runtime, or None: not an image, no SQLite file, or neither a step to run nor a
    way to tell where the files are (to keep them in sqlite_dir)."""
    if not target.in_image or not plan.sqlite:
        return None
    every_start = [r for r in (plan.release, plan.first_run) if r is not None and _repeatable(plan, r)]
    once = plan.first_run if plan.first_run is not None and plan.first_run not in every_start \
        and not is_create_all(plan.first_run) else None
    finders = _finders(plan, target)
    if not every_start and once is None and not finders:
        return None
    return {"unless_set": [SERVER_URL] if plan.needs_database_server else [],
            "every_start": [_step(plan, r, target) for r in dict.fromkeys(every_start)],
            "once": _step(plan, once, target) if once is not None else None,
            "finders": finders, "app_dir": target.app_dir, "sqlite_dir": target.sqlite_dir}


def _repeatable(plan: Plan, release: Release) -> bool:
    """Safe to run on every start: the release (what every deploy runs), or a step that creates only what is
    missing (for an app on SQLite alone: on a database server, migrations are the way); not an init command that
    is not the release (it may clear data)."""
    return release == plan.release or (is_create_all(release) and not plan.needs_database_server)


def _step(plan: Plan, release: Release, target: Target) -> dict[str, Any]:
    argv = release_argv(plan, release, target)
    return {"what": release.what, "argv": argv, "cwd": target.app_path(release.workdir), "env": dict(release.env),
            "shell": release.shell}


def _finders(plan: Plan, target: Target) -> list[dict[str, Any]]:
    """The programs that print where the app's SQLite files are, run in the container; none for a paste ini
    entry (serve reads its ini's URL as text: left to the user in the image)."""
    if plan.entry.paste_ini:
        return []
    cwd = target.app_path(plan.workdir)
    if plan.framework == "django":      # the settings name the files (the image's DJANGO_SETTINGS_MODULE)
        return [{"probe": "DJANGO_SQLITE", "cwd": cwd, "env": {}}]
    # an app that starts its dev server when imported (bottle's run() at module level) is asked through the shim
    # the server imports (shipyard_entry.py), which turns that start into a no-op: imported as it is, the probe
    # served forever and the runtime never started the server (the container never became healthy)
    entry, folder = plan.entry.target, plan.entry.import_folder or ""
    if plan.entry.starts_server_on_import and plan.entry.kind != "script":
        from .render import served_entry
        entry, folder = served_entry(plan).target, ""
    finders = [{"probe": "CONFIG_SQLITE", "cwd": cwd, "env": {"SHIPYARD_ENTRY": entry,
                                                         "SHIPYARD_IMPORT_FOLDER": folder}}]
    names = {re.sub(r"[-_.]+", "-", d.name.lower()) for d in plan.dependencies}
    if plan.framework == "flask" and "flask-sqlalchemy" in names:
        finders.append({"probe": "FLASK_SQLITE", "cwd": cwd, "env": {"FLASK_APP": plan.entry.target,
                                                                    "SHIPYARD_IMPORT_FOLDER": plan.entry.import_folder or ""}})
    return finders


def probe_sources(setup: dict[str, Any] | None) -> dict[str, str]:
    """The probes the setup's finders name, by name, for the runtime's source."""
    return {f["probe"]: PROBES[f["probe"]] for f in (setup or {}).get("finders", ())}


def server_first_run(plan: Plan, target: Target) -> dict[str, Any] | None:
    """The app's first run for the release job of a stack with PostgreSQL, or None: not an image, no PostgreSQL,
    a release of its own (serve runs that alone too), or no first run. `repeatable`: it creates only what is
    missing (a create_all), so it runs on every deploy; else only on a database with no table yet."""
    if not target.in_image or not plan.needs_postgres or plan.release is not None or plan.first_run is None:
        return None
    return {**_step(plan, plan.first_run, target), "repeatable": is_create_all(plan.first_run)}
