"""What `serve` and `dev` share: the --install flag, the progress line printer, and getting the app's
environment and plan ready (optionally installing the environment first)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from ..appconfig import RunConfig, config_class_notes, run_config, said_origins, served_host_note
from ..detect.pyversion import official_image
from .. import python_moves
from ..environments import Environment, app_environment, cache_root, new_venv_folder
from ..errors import AppConfigError, AppLoadError, ShipyardError
from ..plan import Plan
from ..planner import MOVED, PRODUCTION_DROPPED, make_plan
from ..detect import foreign_sqlite
from ..detect.log_files import served_log_paths
from ..project import Project
from ..run import database, host_aliases, ports
from ..run.appenv import AppEnv, install_app_env
from ..run.config_copies import copy_config_examples
from ..run.static_folders import make_absent_log_folders, make_absent_sqlite_folders, make_absent_static_folders
from ..run.database import AppDatabase, app_database, app_folder
from ..run.django_database import with_own_database
from ..run.first_run import files_before, run_first_run
from ..run.dev import HOST as LOOPBACK
from ..run.redis import app_redis
from ..run.signals import StopRequest
from ..run.unrun_services import unrun_services
from .options import setting_flags


def add_install_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--install", action="store_true",
                        help="first make the app's environment ready: create PATH/.venv when the app has no "
                             "environment of its own, and install the app's dependencies (and the app itself when "
                             "it is a package) into it, with uv. Without it, an app with no environment runs from "
                             "a cached one built from its dependencies")


def say(line: str) -> None:
    print(f"shipyard: {line}", file=sys.stderr, flush=True)


def warn_unproven(plan: Plan) -> None:
    """inspect, init and build go on with the static answer when no environment could prove it, or the import
    failed on the app's run-time configuration (one line says so, and which variable to set) or in its own code."""
    proof = plan.proof
    if proof is not None and not proof.proven:
        todo = f"set {' and '.join(proof.variables)} to prove it; " if proof.variables else ""
        say(f"warning: the entry {plan.entry.target} is not proven by importing it ({proof.reason}); "
            f"{todo}going on with the static answer (`shipyard build` verifies it inside the image)")
        if note := served_host_note(proof.variables):
            say(f"note: {note}")


def say_image_notes(plan: Plan, root: str | Path) -> None:
    """inspect, init and build: what the image needs in its environment that the proof gave the app here."""
    for note in config_class_notes(root, plan.workdir, plan.entry.django_env.get("DJANGO_SETTINGS_MODULE")):
        say(f"note: {note}")
    moved = next((n for n in plan.notes if n.startswith(f"{MOVED} {plan.python.version}:")), None)
    if moved is not None:
        # the base image is a build argument: one given with another Python would not install the pins
        why = moved.split(": ", 1)[1].rsplit(";", 1)[0]
        say(f"note: the image needs Python {plan.python.version} ({why}): its Dockerfile's BASE is "
            f"{official_image(plan.python.version)}; a base you give (--base, --build-arg BASE=...) must hold Python "
            f"{plan.python.version} too")
    if plan.hosts_variables:
        names = [n for n, _ in plan.hosts_variables]
        say(f"note: the code reads {' and '.join(names)} into ALLOWED_HOSTS (Django answers 400 to other hosts): give "
            f"the image the host it is served under (docker run -e {names[0]}=example.com); serve, dev, build's "
            f"check and the compose stack set it to this machine's, Kubernetes to --ingress-host")


def ready_app(args: argparse.Namespace, environ: Mapping[str, str] | None = None,
              origins: Mapping[str, str] | None = None) -> tuple[Path, AppEnv, Plan]:
    """(app root, its environment, its plan proven with that environment's interpreter). `environ`: the
    environment the import proof runs in (default ours); `origins`: where the variables Shipyard added to it
    come from, for the line that says the import failed on one."""
    root = Path(args.path).resolve()
    flags = setting_flags(args)
    made = False            # the .venv is this run's own (made by --install now), not the user's
    fresh = root / ".venv"  # the folder this run's .venv goes to (venv/ beside a committed .venv that cannot run)
    if getattr(args, "install", False):
        made = app_environment(root, environ) is None
        if made:
            try:
                fresh = new_venv_folder(root)
            except ShipyardError:
                made = False    # install_app_env says why no virtualenv can be made, and stops
        to_install = _plan_to_install(root, flags, environ)
        if to_install.proof is not None and to_install.proof.code_error and not to_install.proof.python:
            # the app's code stops the import before any environment (Python 2 syntax on its import path,
            # proving.py): installing its packages first would only take time
            raise AppLoadError(to_install.proof.reason, to_install.proof.hint or "fix it in the app's code")
        install_app_env(root, to_install, say, replan=lambda: make_plan(root, flags, confirm=False))
    plan = make_plan(root, flags, progress=say, environ=environ)
    tried: set[str] = set()
    for _ in range(REMAKES if made else 0):
        if plan.proof is None or plan.proof.proven or plan.proof.older_python in ("", *tried):
            break           # a Python tried once: its install moved back up (mako 1.2.2 needs 3.7 beside 3.6)
        tried.add(plan.proof.older_python)
        plan = _remade_older(root, flags, plan, environ, fresh)
    proof = plan.proof
    if proof is not None and not proof.proven and proof.needs_python:
        wanted = proof.needs_python
        again = f"recreate {proof.environment} with it (remove it, then run with --install)" \
            if proof.kind == "app" else "run again"
        raise ShipyardError(proof.reason, f"install Python {wanted} (pyenv install {wanted}, or uv python install "
                                          f"{wanted}), then {again}")
    if proof is not None and not proof.proven and proof.code_error and not proof.python:
        raise AppLoadError(proof.reason, proof.hint or "fix it in the app's code, and run again")
    if proof is not None and not proof.proven and proof.python:
        # an environment was had, and the import failed on the app's configuration: the server would too
        names = " and ".join(proof.variables)
        if proof.timed_out:
            raise AppLoadError(proof.reason, "guard server starts with if __name__ == '__main__': and connect "
                                             "lazily; on a slow machine, run again")
        if proof.code_error:
            # its own hint where the error knows more (the Python its code needs: --python)
            raise AppLoadError(proof.reason, proof.hint or "run the import yourself to see the full error, fix it "
                                             "in the app's code (or the version of the package it calls), and run again")
        raise AppConfigError(proof.reason + said_origins(proof.variables, origins or {}),
                             f"set {names} (export {proof.variables[0]}=...) and run again" if names
                             else proof.hint or "start what it connects to, or make the app connect on first use",
                             proof.variables)
    if proof is None or not proof.proven:
        reason = proof.reason if proof else "the import check was skipped"
        raise ShipyardError(f"no environment to run the app in: {reason}",
                            "create the app's own with --install, or activate its virtualenv")
    return root, Environment(proof.python, proof.environment, proof.kind or "app"), plan


def _ready_with_schemas(args: argparse.Namespace, db: AppDatabase, origins: Mapping[str, str]
                        ) -> tuple[Path, AppEnv, Plan]:
    """ready_app against the app's database; an import that failed writing into a PostgreSQL schema the new
    database lacks (create_all at import into models of schema "flaskdb", which the author's initdb script or
    compose service makes first) gets that schema made, owned by the app's role, and is checked again."""
    made: list[str] = []
    initialised = False
    while True:
        try:
            return ready_app(args, environ=db.environ, origins=origins)
        except ShipyardError as exc:
            schema = db.made_missing_schema(exc, made)
            if schema is None and not initialised and _first_run_for_import(args, db, exc):
                # installed once: the check again only
                initialised, args = True, argparse.Namespace(**{**vars(args), "install": False})
                continue
            if schema is None:
                raise
            say(f"importing the app writes into schema {schema}, which the app's new {db.label} lacks (its author's "
                f"setup makes it before the app starts): created it, owned by the app's role, and imported again")
            made.append(schema)
            # installed once: the check again only
            args = argparse.Namespace(**{**vars(args), "install": False})


def _first_run_for_import(args: argparse.Namespace, db: AppDatabase, exc: ShipyardError) -> bool:
    """An import that failed reading a table of the app's SQLite file, which a fresh copy does not have (a
    controller querying it at import, `python models.py` being its README's step before `python app.py`): the
    app's first-run step that opens that file by name runs now, once, before the import is checked again.
    True when it ran."""
    if "no such table" not in f"{exc.message} {exc.hint}":
        return False
    root = Path(args.path).resolve()
    env = app_environment(root, db.environ)
    if env is None:
        return False
    plan = make_plan(root, setting_flags(args), confirm=False, installed=False, environ=db.environ)
    if plan.first_run is None or not plan.first_run.files:
        return False
    say(f"importing the app reads a table its SQLite database does not have yet: its first-run step "
        f"({plan.first_run.what}) runs before the import is checked again")
    # an empty file of those it makes is what an import check's sqlite3.connect left (inspect's, before serve), no data
    empty = {f for f in (root / plan.first_run.workdir / n for n in plan.first_run.files)
             if f.is_file() and f.stat().st_size == 0}
    before = None if db.files_before is None else db.files_before - empty - {f.resolve() for f in empty}
    if not run_first_run(plan, root, env, say, environ=db.environ, before=before):
        return False
    db.files_before = files_before(root)     # what it made is the app's database now, never initialised again
    return True


REMAKES = 2      # times serve --install makes its own .venv again on an older Python for an import that failed


def _remade_older(root: Path, flags: Mapping[str, object], plan: Plan, environ: Mapping[str, str] | None,
                  fresh: Path) -> Plan:
    """The .venv this run made installs, but the app does not import on its Python the way old code fails on a
    newer one (python-jose-cryptodome 1.3.2's collections.Mapping on 3.10): made again with the older Python the
    proof names, as the proof environment moves, and the move kept for later plans (init, build). The plan proven
    in the new .venv."""
    proof = plan.proof
    python = plan.python.version
    say(f"the app's .venv (Python {python}, made by this run) does not import the app ({proof.older_because}): "
        f"making it again with Python {proof.older_python}")
    python_moves.remember(cache_root(environ), root, plan.dependency_files, python, proof.older_python,
                          proof.older_because)
    shutil.rmtree(fresh)
    install_app_env(root, make_plan(root, flags, confirm=False), say,
                    replan=lambda: make_plan(root, flags, confirm=False))
    return make_plan(root, flags, progress=say, environ=environ)


def _plan_to_install(root: Path, flags: Mapping[str, object], environ: Mapping[str, str] | None) -> Plan:
    """The plan `--install` makes the app's environment from. With no environment of its own, the proven one:
    its proof environment finds the Python the pins install and import on (Werkzeug 0.15.3 imports on 3.7, not
    on the 3.8 runtime.txt names), so the new .venv gets that Python. Else, or when proving stops, the static one
    (the import check then runs in the environment made from it)."""
    if app_environment(root, environ) is None:
        try:
            plan = make_plan(root, flags, progress=say, environ=environ)
            proof = plan.proof
            if proof is not None and not proof.proven and not proof.python and proof.moved_python \
                    and not flags.get("python"):
                # no proof environment (its build ran out of time), and the Python its pins' wheels move it to is
                # known (matplotlib==2.0.2: a source build on 3.7, a wheel on 3.6): the proof again on that one,
                # where the install is of wheels, so its import check and what it holds back (a Werkzeug too new
                # for a pinned Flask-WTF) come before the .venv's install, not after it
                say(f"no proof environment ({proof.reason}): proving the app on Python {proof.moved_python}, "
                    "where its pins have wheels")
                again = make_plan(root, {**flags, "python": proof.moved_python}, progress=say, environ=environ)
                if again.proof is not None and again.proof.python:
                    plan = again
            if plan.proof is not None and plan.proof.moved_python:
                # the move, and the server for that Python (granian needs 3.10)
                for note in plan.notes:
                    if f"Python {plan.python.version}" in note:
                        say(note)
            return plan
        except ShipyardError as exc:
            say(f"the import proof stopped before the install ({exc.message}): the app's environment is made from "
                "the plan read from its files")
    return make_plan(root, flags, confirm=False)


def app_config(plan: Plan, root: Path, mode: str) -> RunConfig:
    """The app's configuration for `serve`/`dev` (appconfig.py), each source said in one line; a generated
    SECRET_KEY is kept in Shipyard's data folder for the app, never in the app's folder."""
    folder = app_folder(plan, root, os.environ, "apps")
    # serve (nginx, or the server alone) and dev answer at http://127.0.0.1:PORT/
    config = run_config(root, plan.workdir, os.environ, mode=mode, secret_file=folder / "secret_key",
                        served_at=f"{LOOPBACK}:{plan.settings['port']}", entry_module=plan.entry.module,
                        data_folder=folder, production_env=plan.entry.production_env,
                        django_settings=plan.entry.django_env.get("DJANGO_SETTINGS_MODULE"),
                        databases=tuple(s.name for s in plan.services))
    for note in config.notes:
        say(note)
    return config


@contextmanager
def ready_app_and_database(args: argparse.Namespace, stop: StopRequest, mode: str = "serve"
                           ) -> Iterator[tuple[Path, AppEnv, Plan, AppDatabase]]:
    """ready_app, with the app's own PostgreSQL running when it needs one and has no DATABASE_URL
    (run/database.py), and its own Redis when it uses one and has no REDIS_URL (run/redis.py), and the app's
    configuration (its example env file, its compose service's environment, known framework variables) under
    the environment. Both services start first, so the import proof sees DATABASE_URL and REDIS_URL as the app
    will; its release (migrations) runs once the app's environment is ready (`--migrate`: whatever changed)."""
    root = Path(args.path).resolve()
    needs = make_plan(root, setting_flags(args), confirm=False, installed=False)
    # a PostgreSQL driver nothing selects beside SQLite settings (a freeze's psycopg2-binary): run as `--db none`
    if (unselected := database.without_unselected(needs, root, os.environ, say)) is not needs:
        needs, args.db = unselected, "none"
    ports.ensure_free(int(needs.settings["port"]))            # refused before the database starts
    # config.example.ini copied to the config.ini the code opens, before the app is imported (its README's step)
    copy_config_examples(root, needs.workdir, say)
    # static/ that StaticFiles is mounted on, which the clone lacks (git keeps no empty folder)
    make_absent_static_folders(needs, root, say)
    # runtime/log/ that a logging.FileHandler opens in at import, which the clone lacks
    make_absent_log_folders(needs, root, say)
    # data/ of a sqlite:///data/app.db the code opens, which the clone lacks
    make_absent_sqlite_folders(needs, root, say)
    config = app_config(needs, root, mode)
    # the example file's database and Redis settings never count as the user's: the app's own replace them
    with app_redis(needs, root, say=say, urgent=lambda: stop.urgent) as environ, \
            app_database(needs, root, say=say, environ=environ, urgent=lambda: stop.urgent,
                         app_values=config.environ) as db:
        db.environ = config.under(db.environ)
        # SQLite files the code names on its author's machine: the project's file of that name opened instead
        served = foreign_sqlite.served_paths(Project(root), app_folder(needs, root, os.environ, "apps") / "sqlite") \
            if any(foreign_sqlite.MARK in note for note in needs.notes) else {}
        db.environ.update(host_aliases.sqlite_paths_env(served, app_folder(needs, root, os.environ, "apps"),
                                                        db.environ))
        for written, here in sorted(served.items()):
            say(f"the code names the SQLite file {written}, whose folder this machine does not have: {mode} opens "
                f"{here} in its place (write a path that exists wherever the app runs)")
        # log files the code names on its author's server (LOGGING's /home/ubuntu/.../debug.log): one of the same
        # name in Shipyard's data folder for the app opened instead, or dictConfig stops the app at start-up
        logs = served_log_paths(needs.foreign_log_files, app_folder(needs, root, os.environ, "apps") / "logs")
        db.environ.update(host_aliases.log_paths_env(logs, app_folder(needs, root, os.environ, "apps"), db.environ))
        for written, here in sorted(logs.items()):
            say(f"the code writes its log file {written}, whose folder this machine does not have: {mode} writes "
                f"{here} in its place (write a path that exists wherever the app runs)")
        if db.own:
            # the example file's database URL under a name of the app's own (TOZO_QUART_DB_DATABASE_URL, read
            # through a prefix; SQLALCHEMY_URL of a pydantic settings class), not one Shipyard sets: aimed at our
            # database too, as DATABASE_URL is
            moved = {name: here for name, value in config.variables if name not in os.environ
                     and (here := database.pointed_here(value, db.url)) and db.environ.get(name) == value}
            # ...and its parts, under names of the app's own (CONDUIT_POSTGRES_HOST, DATABASE__HOSTNAME): the
            # example's 127.0.0.1:5455 is a compose service the user would have started, ours runs instead
            moved.update({name: db.parts[part] for name, value in config.variables if name not in os.environ
                          and name not in db.left
                          and (part := database.part_named(name, "mysql" if db.label == "MariaDB" else "postgres"))
                          and db.environ.get(name) == value})
            db.environ.update(moved)
            db.given += tuple(moved)
            if moved:
                say(f"pointed at the app's own {db.label}: {', '.join(sorted(moved))} (from its example env or "
                    "compose file)")
            # the driver the example file writes for a URL Shipyard gives under the same name, where Shipyard
            # could choose none (an async psycopg DATABASE_URL beside a sync psycopg2 DATABASE_URL_SYNC)
            drivers = database.example_drivers({n: db.environ[n] for n in db.given if n in db.environ
                                                and n not in os.environ}, config.variables)
            db.environ.update(drivers)
            for name, url in sorted(drivers.items()):
                say(f"{name} names the driver the app's example env or compose file writes for it "
                    f"({url.partition('://')[0]}://): the app declares several and that one is opened from it")
        origins = {**dict(config.origins), **{name: f"serve's own {db.label}" for name in db.given}}
        db.files_before = files_before(root)
        root, env, plan = _ready_with_schemas(args, db, origins)
        for line in unrun_services(plan, root, {**os.environ, **db.environ}):
            say(line)          # MongoDB, RabbitMQ: services serve brings none of
        dropped = [name for name, _ in needs.entry.production_env
                   if name not in dict(plan.entry.production_env) and name not in os.environ]
        for name in dropped:
            # the import proof found the app fails under that production choice and imports unset
            db.environ.pop(name, None)
        for note in plan.notes if dropped else ():
            if PRODUCTION_DROPPED in note:
                say(f"warning: {note}")
        # settings that hard-code a compose service's host (HOST 'db'): pointed at ours, before the release
        with_own_database(plan, root, env, db, say)
        db.fit_client(env, say)
        db.release(plan, root, env, say, force=bool(getattr(args, "migrate", False)))
        yield root, env, plan, db
