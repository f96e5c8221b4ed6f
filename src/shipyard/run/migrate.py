"""The release command (migrations, loaders), run only when asked (`shipyard migrate`, `serve --migrate`).

Which command is the plan's decision (detect/release.py: [tool.shipyard] release, else Django migrate,
Flask-Migrate, Alembic, aerich, Piccolo); here it runs with the app's interpreter and environment.
"""

from __future__ import annotations

import os
import posixpath
import shlex
import subprocess
from pathlib import Path
from typing import Mapping

from .. import spawn
from ..errors import ShipyardError, UsageError
from ..plan import Plan
from ..project import Project
from ..detect.django_unmigrated import start_makes_migrations, unmigrated_model_folders
from ..detect.first_run import CREATE_ALL_HELPER, CREATE_ALL_HOW, is_create_all
from ..detect.models_fallback import ModelsFallback, models_fallback
from ..detect.moved_tables import moved_tables
from ..detect.recreated_tables import assumed_tables, readded_columns, recreated_tables
from ..detect.unreachable_db import failed_on_connection, remote_host
from .alembic_cli import MODELS_THEN_STAMP, command_argv, is_alembic
from . import traceback_text
from .appenv import AppEnv, server_env

class PrintedNothing(ShipyardError):
    """A release step failed without a word on stdout or stderr: nothing is above to read."""


def said_above(exc: ShipyardError) -> str:
    """": its own error is above" for a step's failure that printed its error, "" for one that printed nothing."""
    return "" if isinstance(exc, PrintedNothing) else ": its own error is above"


# the module a release command's `python -m X` needs, and why, for a clear missing-package error
_NEEDS = {"django": "migrations run with Django's migrate command",
          "flask": "the release command runs through the flask CLI",
          "alembic": "alembic.ini asks for Alembic migrations",
          "aerich.cli": "pyproject.toml's [tool.aerich] asks for aerich migrations",
          "piccolo.main": "piccolo_conf.py's APP_REGISTRY asks for Piccolo migrations"}


# Django's migrate, with the installed apps of the project that have models and no migration (no migrations
# module, or an empty one) given migrations made by makemigrations into SHIPYARD_MADE_MIGRATIONS
# (MIGRATION_MODULES, for this process only) first
MAKE_AND_MIGRATE = """\
import importlib, os, sys
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
root = os.path.realpath(os.getcwd())
made = os.environ["SHIPYARD_MADE_MIGRATIONS"]
loader = MigrationLoader(None, load=False)
loader.load_disk()
migrated = {app for app, _ in loader.disk_migrations}
own = [c for c in apps.get_app_configs() if list(c.get_models())
       and os.path.realpath(c.path).startswith(root + os.sep) and "site-packages" not in c.path.split(os.sep)]
labels = [c.label for c in own if c.label not in migrated]
package = os.path.join(made, "shipyard_made_migrations")
# makemigrations (and the comparison below) asks its questions of every app's changes before it keeps only those of
# the apps it was given: a non-nullable field with no default (or an auto_now_add one) that another app's models
# added past its committed migrations made the non-interactive questioner exit with status 3 (silently before
# Django 4.1; Django 4.1+ raised inside the comparison, its questioner having no log), though that answer is thrown
# away. Asked of such an app, the questioner answers None; asked of an app being made,
# it says what only a person can give before it stops as before.
from django.db.migrations import questioner as _questioner
_wanted = set()    # the apps makemigrations is asked to make; none while their changes are only compared
def _apps_with_model(model_name):
    return {m._meta.app_label for m in apps.get_models(include_auto_created=True)
            if m._meta.model_name == str(model_name).lower()}
def _answering_outside(ask, what):
    def answer(self, field_name, model_name):
        if _apps_with_model(model_name).isdisjoint(_wanted):
            return None
        print("shipyard: makemigrations for %s needs a one-off default for %s.%s (%s), which only a person can "
              "give: make the migration (python manage.py makemigrations) and commit it"
              % (", ".join(sorted(_wanted)), model_name, field_name, what), file=sys.stderr, flush=True)
        return ask(self, field_name, model_name)
    return answer
for _name, _what in (("ask_not_null_addition", "a non-nullable field with no default"),
                     ("ask_auto_now_add_addition", "an auto_now_add field added to existing rows")):
    if hasattr(_questioner.NonInteractiveMigrationQuestioner, _name):
        setattr(_questioner.NonInteractiveMigrationQuestioner, _name,
                _answering_outside(getattr(_questioner.NonInteractiveMigrationQuestioner, _name), _what))
stale = []
if os.environ.get("SHIPYARD_STALE_MIGRATIONS"):
    # the app's start runs makemigrations (its models are ahead of the migrations committed): the apps whose models
    # have changes no migration holds get a copy of their migrations in Shipyard's folder, where makemigrations
    # adds the rest (the files made in an earlier run stay, so the next run finds nothing new to make)
    import shutil
    from django.db.migrations.autodetector import MigrationAutodetector
    from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
    from django.db.migrations.state import ProjectState
    try:
        full = MigrationLoader(None, ignore_no_migrations=True)
        changes = MigrationAutodetector(full.project_state(), ProjectState.from_apps(apps),
                                        NonInteractiveMigrationQuestioner(specified_apps=set(), dry_run=True)
                                        ).changes(graph=full.graph)
    except Exception as error:
        changes = {}
        print("shipyard: warning: could not compare the models with their migrations (%s)" % error,
              file=sys.stderr, flush=True)
    for config in own:
        if config.label in migrated and changes.get(config.label):
            source = importlib.import_module(MigrationLoader.migrations_module(config.label)[0]).__path__[0]
            copy = os.path.join(package, config.label)
            os.makedirs(copy, exist_ok=True)
            for name in os.listdir(source):
                if name.endswith(".py"):
                    shutil.copyfile(os.path.join(source, name), os.path.join(copy, name))
            stale.append(config.label)
if labels or stale:
    os.makedirs(package, exist_ok=True)
    open(os.path.join(package, "__init__.py"), "a").close()
    sys.path.insert(0, made)
    modules = dict(getattr(settings, "MIGRATION_MODULES", None) or {})
    modules.update((label, "shipyard_made_migrations." + label) for label in labels + stale)
    settings.MIGRATION_MODULES = modules
if labels:
    print("shipyard: " + ", ".join(labels) + ": models with no migrations in the repository: made with "
          "makemigrations into " + made + " (not the app's folders), then migrated; commit your own "
          "(python manage.py makemigrations) to choose them", file=sys.stderr, flush=True)
if stale:
    print("shipyard: " + ", ".join(stale) + ": models with changes the repository's migrations do not hold (its "
          "start runs makemigrations, " + os.environ["SHIPYARD_STALE_MIGRATIONS"] + "): the rest made with "
          "makemigrations into " + made + " beside a copy of them (not the app's folders), then migrated; commit "
          "them (python manage.py makemigrations) to choose them", file=sys.stderr, flush=True)
if labels or stale:
    _wanted.update(labels + stale)
    call_command("makemigrations", *(labels + stale), interactive=False)
    importlib.invalidate_caches()       # the folders it just wrote, for migrate's imports
call_command("migrate", interactive=False)
"""

# Django's migrate, with each of the project's own migrations that depends on a migration its installed app does
# not have (auth.0013_auto_20191007_1216: made by makemigrations into the developer's own site-packages, never
# published) depending on that app's latest migration instead (Django's "__latest__"), for this process only
LATEST_FOR_MISSING = """\
import os, sys
import django
django.setup()
from django.apps import apps
from django.db.migrations import loader as _loader
_root = os.path.realpath(os.getcwd())
_own = {c.label for c in apps.get_app_configs()
        if os.path.realpath(c.path).startswith(_root + os.sep) and "site-packages" not in c.path.split(os.sep)}
_load_disk = _loader.MigrationLoader.load_disk
_said = set()
def _load_with_latest(self):
    _load_disk(self)
    apps_on_disk = {app for app, _ in self.disk_migrations}
    for key, migration in self.disk_migrations.items():
        if key[0] not in _own:
            continue
        deps = []
        for dep in migration.dependencies:
            if dep[0] not in _own and dep[0] in apps_on_disk and dep[1] not in ("__first__", "__latest__") \\
                    and tuple(dep) not in self.disk_migrations:
                if tuple(dep) not in _said:
                    _said.add(tuple(dep))
                    print("shipyard: warning: %s.%s depends on %s.%s, which the installed %s does not have (made by "
                          "makemigrations into the developer's own copy of it?): migrated after %s's latest "
                          "migration instead; make it depend on one that exists" % (key + tuple(dep) + (dep[0],
                          dep[0])), file=sys.stderr, flush=True)
                dep = (dep[0], "__latest__")
            deps.append(dep)
        migration.dependencies = deps
_loader.MigrationLoader.load_disk = _load_with_latest
"""


def migration_command(plan: Plan, root: Path, env: AppEnv | None) -> tuple[list[str], Path, str]:
    """(argv, cwd, description) of the plan's release command, with the app's interpreter."""
    release = plan.release
    if release is None and is_create_all(plan.first_run):
        how, migrations = CREATE_ALL_HOW[plan.first_run.what]
        raise UsageError(f"no release command or database migrations found in {root}; `serve` and `dev` create the "
                         f"models' tables with {how} on a new database, which is no way to change a "
                         f"production schema", f"add migrations ({migrations}), then `shipyard migrate` runs them")
    if release is None and plan.first_run is not None:
        raise UsageError(f"no release command or database migrations found in {root}; {plan.first_run.what} "
                         f"initialises a new database, and it is not safe to run on one that has data",
                         f"`serve` and `dev` run it once, when the database does not exist yet; to start over, "
                         f"run it yourself: {plan.first_run.shell} (in {plan.first_run.workdir})")
    if release is None:
        raise UsageError(f"no release command or database migrations found in {root}",
                         "Shipyard runs Django migrations, Flask-Migrate (migrations/env.py), Alembic "
                         "(alembic.ini, or the one ALEMBIC_CONFIG names), aerich ([tool.aerich]) and Piccolo "
                         "(piccolo_conf.py's APP_REGISTRY); for anything else set release = \"...\" "
                         "under [tool.shipyard]")
    argv = list(release.argv)
    if argv[0] == "python":
        argv[0] = env.python
        if len(argv) > 2 and argv[1] == "-m" and argv[2] in _NEEDS:
            env.require(argv[2], _NEEDS[argv[2]])
        if release.what.startswith("Flask-Migrate"):
            env.require("flask_migrate", "the migrations/ folder is Flask-Migrate's")
    return argv, (root / release.workdir).resolve(), release.what


def run_migrations(plan: Plan, root: Path, env: AppEnv, timeout: float = 600,
                   environ: Mapping[str, str] | None = None, database_url: str | None = None,
                   fresh: bool = False) -> list[str]:
    """Run the migrations (their output goes to the terminal); return what ran, for the report. `environ`:
    the environment to start from (default ours; `serve` passes the one with its own database's URL).
    `database_url`: the database `serve` made, which Alembic migrates whatever URL its ini writes. `fresh`:
    that database was made by this run (serve and dev), so a history that cannot apply may fall back (below)."""
    argv, cwd, what = migration_command(plan, root, env)
    if plan.release is not None and is_alembic(plan.release.argv):
        argv = command_argv(argv[0], argv, database_url)
    environ = server_env(plan, environ)               # DATABASE_URL, DJANGO_SETTINGS_MODULE
    starts_making = start_makes_migrations(Project(root)) if argv[1:] == ["-m", "django", "migrate", "--noinput"] \
        else None
    if argv[1:] == ["-m", "django", "migrate", "--noinput"] and (unmigrated_model_folders(Project(root))
                                                                  or starts_making):
        # models the repository has no migrations for: made into Shipyard's folder for the app, never the app's
        from .database import app_folder
        made = app_folder(plan, root, environ, "apps") / "migrations"
        # the script says which, if Django counts any (the folders are every models module with a *Model class)
        argv, environ["SHIPYARD_MADE_MIGRATIONS"] = [argv[0], "-c", MAKE_AND_MIGRATE], str(made)
        if starts_making:
            environ["SHIPYARD_STALE_MIGRATIONS"] = starts_making
    for name, value in plan.release.env:              # FLASK_APP; PYTHONPATH in front of what is there
        environ[name] = os.pathsep.join(filter(None, (value, environ.get(name)))) if name == "PYTHONPATH" else value
    moved_first: list[str] = []
    if fresh and argv[1:] == ["-m", "django", "migrate", "--noinput"]:
        # models moved between apps keeping their tables: the deleting apps' migrations first, on a new database
        moved_first = _migrate_moved_first(Project(root), argv, cwd, environ, timeout, what)
    code, errors = done = _call(argv, cwd, environ, timeout, what)
    if code != 0 and fresh and (done := _recreated_fallback(plan, root, env, argv, cwd, environ, errors,
                                                                     timeout)
                                or _assumed_fallback(plan, root, argv, cwd, environ, errors, timeout, database_url)
                                or _recreated_alembic_fallback(plan, root, argv, cwd, environ, errors, timeout,
                                                               database_url)
                                or _own_tables_fallback(plan, root, argv, cwd, environ, errors, timeout,
                                                        database_url)):
        return done
    latest: list[str] = []
    if code != 0 and argv[0] == env.python and (unchecked := skipping_failed_checks(argv, errors)) is not None:
        # the app's own system checks fail (an admin's list_display naming a field its model no longer has): migrate
        # refuses to start, while the WSGI server runs no checks and serves every page but the one that hits it
        again, again_errors = _call(unchecked, cwd, environ, timeout, what)
        if again == 0 or "unrecognized arguments" not in again_errors:        # Django before 3.0 has no flag
            argv, code, errors = unchecked, again, again_errors
            latest = ["warning: the app's Django system checks fail (SystemCheckError, above): migrated with "
                      "--skip-checks, as its WSGI server runs none; fix what they name"]
    if code != 0 and argv[0] == env.python and "dependencies reference nonexistent parent node" in errors \
            and (argv[1:] == ["-m", "django", "migrate", "--noinput"] or argv[1:2] == ["-c"]):
        # a migration of the app's that depends on one its installed package never had: after that app's latest
        script = LATEST_FOR_MISSING + (argv[2] if argv[1:2] == ["-c"] else
                                       "from django.core.management import call_command\n"
                                       "call_command('migrate', interactive=False)\n")
        argv = [env.python, "-c", script]
        latest = ["warning: a migration of the app depends on one its installed package does not have: it ran after "
                  "that package's latest migration instead (said above)"]
        code, errors = done = _call(argv, cwd, environ, timeout, what)
    if code != 0 and not getattr(done, "printed", True):
        # nothing above to read (Django 2.1's questioner exits 3 in silence): say so, and what ran
        raise PrintedNothing(f"{what} failed with exit status {code} and printed nothing: `{plan.release.shell}` "
                            f"in {cwd}", "run that command there yourself to see why (with the app's environment "
                            "and its database URL), fix it and run again")
    if code != 0:
        # the file and line the traceback names (a migration's own mistake), so the one line says where
        where = traceback_text.origin(errors, root, cwd)
        fix = "fix it there (its whole traceback is above), then run again" if where and where.place \
            else "its own error is above; fix it and run again"
        if failed_on_connection(errors) and (remote := remote_host(Project(root))) is not None:
            fix = remote.hint()     # the settings' own server, on the author's network (detect/unreachable_db.py)
        raise ShipyardError(f"{what} failed (exit status {code})" + (f": {where}" if where else ""),
                            plan.release.hint or fix)
    return [f"migrations applied with {what}"] + moved_first + latest


def _migrate_moved_first(project: Project, argv: list[str], cwd: Path, environ: Mapping[str, str], timeout: float,
                         what: str) -> list[str]:
    """On a database made in this run: each app whose migration deletes a table another app's migration creates
    again (detect/moved_tables.py) migrated up to that deletion first, the order the author's database took, so
    `migrate` does not run the creation before the old app's own CreateModel of the same table. Warnings, one per
    move; none when there is none or that step fails (`migrate` then says what it says)."""
    steps: dict[tuple[str, str], list] = {}
    for moved in moved_tables(project):
        steps.setdefault((moved.app, moved.migration), []).append(moved)
    notes = []
    for (app, migration), moves in steps.items():
        code, _ = _call([argv[0], "-m", "django", "migrate", app, migration, "--noinput"], cwd, environ, timeout, what)
        if code == 0:
            more = f" (and {len(moves) - 1} more)" if len(moves) > 1 else ""
            notes.append(f"warning: {moves[0]}{more}: migrated {app} to {migration} first on the new database (the "
                         f"order the author's database took); make that migration depend on it to make `migrate` "
                         f"apply as is")
    return notes


def skipping_failed_checks(argv: list[str], errors: str) -> list[str] | None:
    """`python -m django migrate --noinput` with --skip-checks (Django 3.0+) when it stopped on the app's own system
    checks ("SystemCheckError: System check identified some issues"); None for any other command or failure."""
    if argv[1:] != ["-m", "django", "migrate", "--noinput"] or "SystemCheckError" not in errors:
        return None
    return argv + ["--skip-checks"]


# `python -m django` needs django/__main__.py, which Django 1.9 added: an older Django (1.8, where the import proof
# moved a 2014 app, Python 3.5 having removed what 1.6 and 1.7 import) runs the same command line this way
_DJANGO_ADMIN = ("import sys\nfrom django.core.management import execute_from_command_line\n"
                 "execute_from_command_line(['django-admin'] + sys.argv[1:])\n")


def _without_django_main(argv: list[str], cwd: Path, environ: Mapping[str, str]) -> list[str]:
    """`argv` as is, or, when it runs `python -m django` with a Django that has no __main__ (before 1.9), the same
    command through django.core.management."""
    if argv[1:3] != ["-m", "django"]:
        return argv
    try:
        done = subprocess.run([argv[0], "-c", "import importlib.util, sys\n"
                               "sys.exit(0 if importlib.util.find_spec('django.__main__') else 3)"],
                              cwd=str(cwd), env=dict(environ), capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return argv
    return [argv[0], "-c", _DJANGO_ADMIN, *argv[3:]] if done.returncode == 3 else argv


def _call(argv: list[str], cwd: Path, environ: Mapping[str, str], timeout: float, what: str) -> tuple[int, str]:
    """(exit status, its stderr's end) of a release step; spawn.Kept's `printed` says whether it printed anything."""
    argv = _without_django_main(argv, cwd, environ)
    try:
        return spawn.call_keeping_errors(argv, cwd=str(cwd), env=environ, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ShipyardError(f"{what} did not finish within {timeout:g}s", "check that the database answers") from None


def _recreated_fallback(plan: Plan, root: Path, env: AppEnv, argv: list[str], cwd: Path, environ: Mapping[str, str],
                        errors: str, timeout: float) -> list[str] | None:
    """A Flask-Migrate history that no new database can take as written stopped `flask db upgrade` on a database
    serve made in this run: it creates a table twice ("already exists"), adds a column twice (readded_columns:
    "already exists", "duplicate column name"), or starts from tables it never creates (detect/recreated_tables.py:
    drops or alters them, "no such table"). The models' tables are made with
    Shipyard's create_all instead, and the history stamped as applied, so the next upgrade starts from its head.
    None when that is not the case, or the fallback fails too (the upgrade's error is then the one reported)."""
    if not plan.release.what.startswith("Flask-Migrate") or argv[-1:] != ["upgrade"]:
        return None
    versions = posixpath.normpath(posixpath.join(plan.release.workdir, "migrations", "versions"))
    project = Project(root)
    if "already exists" in errors and (twice := recreated_tables(project, versions)):
        more = f" (and {len(twice) - 1} more)" if len(twice) > 1 else ""
        why, fix = (f"{twice[0]}{more}: the history cannot be applied to a new database",
                    "delete the stale revision, or merge the two, to make it apply")
    elif any(m in errors.lower() for m in _DUPLICATE_COLUMN) and (again := [
            r for r in readded_columns(project, versions) if r.column in errors]):
        more = f" (and {len(again) - 1} more)" if len(again) > 1 else ""
        why, fix = (f"{again[0]}{more}: the history cannot be applied to a new database",
                    "delete the stale add_column, or the stale revision, to make it apply")
    elif any(m in errors for m in _MISSING_TABLE) and (assumed := [
            a for a in assumed_tables(project, versions)
            if a.table in errors or posixpath.basename(a.revision) in errors]):
        why, fix = (f"{assumed[0]}: the history starts from tables the app made otherwise (create_all)",
                    "add a first revision that creates them to make it apply")
    else:
        return None
    steps = [[env.python, "-c", CREATE_ALL_HELPER.read_text(encoding="utf-8"), plan.entry.target],
             argv[:-1] + ["stamp", "head"]]
    folders = ((root / plan.workdir).resolve(), cwd)
    if not all(_exits_0(step, where, environ, timeout) for step, where in zip(steps, folders)):
        return None
    return [f"warning: {why}; on the database made for the app, the models' tables were made with db.create_all() "
            f"instead and the history stamped as applied (`flask db stamp head`); {fix}"]


def _exits_0(step: list[str], cwd: Path, environ: Mapping[str, str], timeout: float) -> bool:
    """Whether a fallback's step ran to exit status 0 within `timeout`."""
    try:
        code, _ = spawn.call_keeping_errors(step, cwd=str(cwd), env=environ, timeout=timeout)
    except subprocess.TimeoutExpired:
        return False
    return code == 0


# what a database says of a column added again (PostgreSQL, MySQL and SQLite, lowered)
_DUPLICATE_COLUMN = ("already exists", "duplicate column name")
# what a database says of a table that is not there (PostgreSQL, SQLite, MySQL)
_MISSING_TABLE = ("does not exist", "no such table", "doesn't exist", "no such index")


def _models_fallback(plan: Plan, root: Path, database_url: str | None) -> ModelsFallback | None:
    """The Alembic history's fallback to the models' tables (detect/models_fallback.py), on a database URL serve
    has; else None."""
    return models_fallback(Project(root), plan.release) if database_url is not None else None


def _assumed_fallback(plan: Plan, root: Path, argv: list[str], cwd: Path, environ: Mapping[str, str], errors: str,
                      timeout: float, database_url: str | None) -> list[str] | None:
    """An Alembic history that alters tables no revision creates (detect/recreated_tables.assumed_tables: the
    app's create_all made them, Alembic came later) stopped `alembic upgrade` on a database serve made in this run
    ("relation users does not exist"). The models' tables are made through the app's own env.py and the history
    stamped as applied (alembic_cli.MODELS_THEN_STAMP), so the next upgrade starts from its head. None when that
    is not the case, or the fallback fails too (the upgrade's error is then the one reported)."""
    if not any(m in errors for m in _MISSING_TABLE) or (fallback := _models_fallback(plan, root, database_url)) \
            is None:
        return None
    assumed = [a for a in fallback.assumed if a.table in errors]
    if not assumed:
        return None
    step = [argv[0], "-c", MODELS_THEN_STAMP, database_url, *fallback.stamp]
    if not _exits_0(step, cwd, environ, timeout):
        return None
    stamp = shlex.join(["alembic", *fallback.stamp])
    return [f"warning: {assumed[0]}: the history starts from tables the app made otherwise (create_all); on the "
            f"database made for the app, the models' tables were made with SQLAlchemy's create_all() and the "
            f"history stamped as applied (`{stamp}`); add a first revision that creates them to make it apply"]


def _recreated_alembic_fallback(plan: Plan, root: Path, argv: list[str], cwd: Path, environ: Mapping[str, str],
                                errors: str, timeout: float, database_url: str | None) -> list[str] | None:
    """An Alembic history that creates a table twice along one chain (detect/recreated_tables.py: revisions
    autogenerated again and chained after the old ones) stopped `alembic upgrade` on a database serve made in this
    run ('relation "categories" already exists'), as Flask-Migrate's does in _recreated_fallback. The models' tables
    are made through the app's own env.py (alembic_cli.MODELS_THEN_STAMP; what the failed upgrade left dropped
    first) and the history stamped as applied, so the next upgrade starts from its head. None when that is not the
    case, or the fallback fails too (the upgrade's error is then the one reported)."""
    if "already exists" not in errors or (fallback := _models_fallback(plan, root, database_url)) is None:
        return None
    twice = [r for r in fallback.recreated if r.table in errors]
    if not twice:
        return None
    step = [argv[0], "-c", MODELS_THEN_STAMP, database_url, *fallback.stamp]
    if not _exits_0(step, cwd, {**environ, "SHIPYARD_DROP_LEFT_TABLES": "1"}, timeout):
        return None
    more = f" (and {len(fallback.recreated) - 1} more)" if len(fallback.recreated) > 1 else ""
    stamp = shlex.join(["alembic", *fallback.stamp])
    return [f"warning: {twice[0]}{more}: the history cannot be applied to a new database; on the database made for "
            f"the app, the models' tables were made with SQLAlchemy's create_all() and the history stamped as applied "
            f"(`{stamp}`); delete the stale revision, or merge the two, to make it apply"]


def _own_tables_fallback(plan: Plan, root: Path, argv: list[str], cwd: Path, environ: Mapping[str, str], errors: str,
                         timeout: float, database_url: str | None) -> list[str] | None:
    """An Alembic history that stopped `alembic upgrade` on a database serve made in this run, of an app that makes
    its tables itself with create_all (detect/own_create_all.py: at import, in its start-up, in a script): its
    author's tables came from create_all, and the revision that fails was never run on a new database (a 2025
    FastAPI + Strawberry API adds a PostgreSQL Enum column whose type no revision creates: `type "user_roles" does
    not exist`). As the app's own run would, the models' tables are made with create_all, through the app's
    env.py (alembic_cli.MODELS_THEN_STAMP), and the history stamped as applied, so the next upgrade starts from its
    head. None when that is not the case, or the fallback fails too (the upgrade's error is then the one
    reported)."""
    if (fallback := _models_fallback(plan, root, database_url)) is None or (own := fallback.own) is None:
        return None
    step = [argv[0], "-c", MODELS_THEN_STAMP, database_url, *fallback.stamp]
    if not _exits_0(step, cwd, {**environ, "SHIPYARD_DROP_LEFT_TABLES": "1"}, timeout):
        return None
    failed = traceback_text.origin(errors, root, cwd)
    stamp = shlex.join(["alembic", *fallback.stamp])
    return [f"warning: {failed or 'alembic upgrade'}: the Alembic history does not apply to a new database; the "
            f"app makes its tables itself (create_all, {own}), so on the database made for the app the models' "
            f"tables were made with SQLAlchemy's create_all() and the history stamped as applied (`{stamp}`); fix "
            f"that revision to make the history apply"]
