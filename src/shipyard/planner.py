"""Findings + settings -> Plan. The only place that combines detectors."""

from __future__ import annotations

import os
import posixpath
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable, Mapping

from packaging.version import InvalidVersion, Version

from . import (appconfig, build_holds, build_needs, built_here, dropped_pins, environments, later_releases, module_clashes,
               module_requirements, moved_pins, pin_conflicts, pip_built, python_moves, servers)
from . import settings as settings_mod
from .detect import database_switch, deps, django_unmigrated, engine_vars, entry, first_run, hosts_vars, imports, \
    locale_names, pyversion, release, secret_vars, services, sql_dump
from .detect import conda_list, geodjango, models_fallback
from .detect.entry import broken_launcher, circular_entry
from .detect.entry.local_distribution import (editable_lines, editable_target, index_names, installed_from_folders,
                                               needed_local_distributions)
from .detect.committed_db import committed_databases
from .detect.mounted_code import mounted_code as compose_mounted_code
from .detect.outside_paths import outside_code
from .detect.source import parsed
from .detect.postgres_fields import postgres_fields_use
from .detect.findings import EntryFinding
from .detect.log_files import absent_log_folders, foreign_log_files, foreign_log_folders, log_files
from .detect.sqlite_folders import absent_sqlite_folders
from .detect.foreign_sqlite import foreign_sqlite_notes, image_paths as foreign_sqlite_paths
from .detect.log_vars import log_file_variables
from .detect.data_volumes import data_folders
from .detect.made_folders import made_folders
from .detect.example_settings import example_settings
from .detect.sqlite_use import sqlite_use
from .proving import older, prove
from .plan import BuildHold, Dependency, Plan, Proof, PythonVersion, needs_postgres
from .project import Project


MOVED = "the app runs on Python"     # the note of a plan moved to the Python its pins install on


# how the note of a production choice given up after the import failed under it begins (serve says it)
PRODUCTION_DROPPED = "(the production configuration the app's factory offers) fails at import"


def _production_choice_given(found, environ: Mapping[str, str]) -> tuple[str, ...]:
    """The variables of the entry's production choice (FLASK_CONFIG=prod, detect/entry/factory_env.py) that
    Shipyard put in `environ`: the ones the user sets themselves stay theirs."""
    return tuple(name for name, value in found.entry.production_env
                 if environ.get(name) == value and name not in os.environ)


def _without_production_choice(project: Project, found, proof: Proof, names: tuple[str, ...],
                               prove_with: Callable, environ: Mapping[str, str]):
    """(finding, proof) once the import failed in the app's code under the production configuration Shipyard
    chose for its factory (a ProductionConfig.init_app reading an attribute the class lacks): proven again with
    the variable unset, the app's own default (what its Procfile's `gunicorn run:app` runs). When that imports,
    the entry keeps no production choice (serve and the image run the default) and a note says why; else the
    first failure stands."""
    again = prove_with(found, {k: v for k, v in environ.items() if k not in names})
    if not again.proven:
        return found, proof
    chosen = ", ".join(f"{name}={value}" for name, value in found.entry.production_env if name in names)
    note = (f"{chosen} {PRODUCTION_DROPPED} ({proof.reason}); "
            f"unset, the app imports with its own default configuration, which serve and the image run: fix that "
            f"configuration in the app and set {chosen} to run it")
    kept = tuple(pair for pair in found.entry.production_env if pair[0] not in names)
    kept_notes = tuple(n for n in found.notes if not any(f"{name}=" in n and "the production one the project "
                                                         "offers" in n for name in names))
    found = replace(found, entry=replace(found.entry, production_env=kept), notes=kept_notes + (note,))
    return found, again


def make_plan(root: str | Path, flags: Mapping[str, Any] | None = None, *,
              confirm: bool = True, python_exe: str | None = None, timeout: float = 40.0,
              installed: bool = True, progress: Callable[[str], None] | None = None,
              environ: Mapping[str, str] | None = None, check_pins: bool = False) -> Plan:
    """Detect the app in `root` and build its plan.

    `confirm` imports the chosen candidate in a separate process and checks it is a WSGI/ASGI callable:
    with `python_exe` when given, else in the environment `environments.environment_for_proof` picks (the
    app's own, or a cached proof environment built from the plan's dependencies). When no environment can
    be had, the plan keeps the static answer, marked not proven with the reason. `progress` gets lines
    while an environment builds. `installed=False` also skips reading the interpreter's installed packages
    (no pins): `lint` reads plans this way, to stay fast on a fresh clone. `environ`: the environment the
    import runs in, as the caller prepared it (`serve` passes the one with the app's configuration and own
    database); by default ours, with the app's configuration added (appconfig.py: its example env file, a
    throwaway SECRET_KEY...), each variable added said in the proof's notes. `check_pins` (commands that write
    the image's files): when no proof environment was built from the requirements here, uv resolves them without
    installing, so the plan relaxes contradicting pins and holds build tools back as an install would
    (environments.check_pins).
    """
    project = Project(root)
    flags = dict(flags or {})
    table = project.tool_shipyard
    # Validate [tool.shipyard] and flags before detecting, so a bad key fails fast and by name.
    chosen = settings_mod.resolve(flags, table, {})

    found = entry.find(project, override=chosen["entry"])
    declared = deps.declared(project, found.workdir)
    python = pyversion.detect(project, override=chosen["python"], folder=declared.folder,
                              workdir=found.workdir)
    python = _python_of_its_time(project, python, declared,
                                 pyversion.declared_range(project, chosen["python"], declared.folder))
    python = _python_the_code_needs(project, found, python)
    # an app with its own protocol (aiohttp, tornado), a paste .ini, or on a Python granian does not support,
    # gets another server unless the user chose one
    default_server = servers.default_for(found.entry.interface, python.version, found.entry.kind,
                                         found.entry.cooperative, _in_package(project, found))
    chosen = settings_mod.resolve(flags, table, {"server": default_server})
    server_note = servers.too_old_note(found.entry.interface, python.version, found.entry.kind) \
        if chosen["server"] == default_server else None
    own = environments.app_environment(project.root)
    # say so: silently running the app with another Python is how "works here, fails there" starts
    env_notes = tuple(f"{broken}; the import check does not use it" for broken in environments.broken_venvs(project.root))
    metadata_python = python_exe or (own.python if own else None)

    inferred = imports.infer(project, found, declared, python_exe=metadata_python, installed=installed)
    all_deps = deps.merge(declared, inferred.dependencies, found, server=chosen["server"])
    proof = None
    if confirm:
        config_notes: tuple[str, ...] = ()
        origins: dict[str, str] = {}
        if environ is None:
            config = appconfig.run_config(project, found.workdir, os.environ, mode="proof",
                                         entry_module=found.entry.module, production_env=found.entry.production_env,
                                         django_settings=found.entry.django_env.get("DJANGO_SETTINGS_MODULE"))
            environ, config_notes, origins = config.under(os.environ), config.notes, dict(config.origins)
        proof = prove(project, found, all_deps, declared.files + deps.pin_files(all_deps), python.version, python_exe,
                       float(chosen["proof_timeout"]), timeout, progress, environ)
        if proof.code_error and (given := _production_choice_given(found, environ)):
            found, proof = _without_production_choice(
                project, found, proof, given, lambda f, env: prove(
                    project, f, all_deps, declared.files + deps.pin_files(all_deps), python.version, python_exe,
                    float(chosen["proof_timeout"]), timeout, progress, env), environ)
            if config_notes and proof.proven:
                # the notes of the configuration the proof ran with, without the dropped choice
                config = appconfig.run_config(project, found.workdir, os.environ, mode="proof",
                                             entry_module=found.entry.module, production_env=found.entry.production_env,
                                             django_settings=found.entry.django_env.get("DJANGO_SETTINGS_MODULE"))
                config_notes, origins = config.notes, dict(config.origins)
        if proof.code_error and (origin := broken_launcher.origin_of(project, found, proof.reason)):
            # a launcher (run.py: `from app import app`) failing in its own lines after that import: the module it
            # imports the app from is the entry when that imports (detect/entry/broken_launcher.py)
            again = prove(project, origin, all_deps, declared.files + deps.pin_files(all_deps), python.version,
                          python_exe, float(chosen["proof_timeout"]), timeout, progress, environ)
            if again.proven:
                found, proof = origin, again
        if proof.code_error and (script := circular_entry.run_as_script(project, found, proof.reason)):
            # the entry module imported back by a module it imports (a circular import): run as __main__, as
            # `python server.py` runs it, when that imports (detect/entry/circular_entry.py)
            again = prove(project, script, all_deps, declared.files + deps.pin_files(all_deps), python.version,
                          python_exe, float(chosen["proof_timeout"]), timeout, progress, environ)
            if again.proven or not again.code_error:
                # run so, it imports, or fails on its configuration (a database not answering): what is left to do
                found, proof = script, again
        if proof.variables:
            proof = replace(proof, reason=proof.reason + appconfig.said_origins(proof.variables, origins))
        if config_notes:
            proof = replace(proof, notes=proof.notes + config_notes)
        if proof.asgi2 or proof.django_setup:
            found = replace(found, entry=replace(found.entry, asgi2=proof.asgi2, django_setup=proof.django_setup))
        if proof.loop_import:
            found = replace(found, entry=replace(found.entry, loop_import=True))
        if proof.server_at_import:
            found = replace(found, entry=replace(found.entry, starts_server_on_import=True))
        if proof.interface and proof.interface != found.entry.interface:
            # the imported app speaks another protocol than the code read as (Connexion 3's App is ASGI): serve
            # that one, with the server (and its requirements) for it
            found = replace(found, entry=replace(found.entry, interface=proof.interface))
            chosen = {**chosen, "server": settings_mod.resolve(flags, table, {"server": servers.default_for(
                found.entry.interface, python.version, found.entry.kind, found.entry.cooperative,
                _in_package(project, found))})["server"]}
            all_deps = deps.merge(declared, inferred.dependencies, found, server=chosen["server"])
    all_deps = _with_proof(all_deps, declared, inferred, found, chosen["server"], proof)
    moved_notes: tuple[str, ...] = ()
    moved_to, by = None, "the import proof"
    if proof is not None and proof.moved_python and proof.moved_python != python.version:
        moved_to = (proof.moved_python, proof.moved_because)
        # kept: once serve's .venv exists on that Python, plans prove the app there and meet the move no more
        python_moves.remember(environments.cache_root(), project.root, declared.files, python.version, *moved_to)
    elif proof is None or proof.kind != "proof":
        # no proof environment built here (the app's own, --no-import): the Python an install here moved it to
        moved_to = python_moves.moved(environments.cache_root(), project.root, declared.files, python.version)
        by = "an install here (shipyard serve --install)"
    if moved_to is not None:
        # the pins install or import only on another Python: the plan (serve's .venv, the image) takes that one,
        # and the server default for it
        python = PythonVersion(moved_to[0], f"{python.source} named {python.version}; moved to {moved_to[0]} by {by}")
        default_server = servers.default_for(found.entry.interface, python.version, found.entry.kind,
                                             found.entry.cooperative, _in_package(project, found))
        if not _server_chosen(flags, table):
            chosen = {**chosen, "server": settings_mod.resolve(flags, table, {"server": default_server})["server"]}
            server_note = servers.too_old_note(found.entry.interface, python.version, found.entry.kind)
            all_deps = _merged_with_proof(declared, inferred, found, chosen["server"], proof)
        moved_notes = (f"{MOVED} {python.version}: {moved_to[1]}; {chosen['server']} serves it there",)
    # the Python the app runs with here (its own environment's, or the proof's after a retry on an older
    # one) can be older than the one it asks for, and than the default server supports
    runs_on = _running_python(proof, python_exe or (own.python if own else None)) if installed else None
    default_here = servers.default_for(found.entry.interface, runs_on, found.entry.kind,
                                       found.entry.cooperative, _in_package(project, found)) if runs_on else None
    if default_here == "gunicorn" and chosen["server"] != default_here and not _server_chosen(flags, table):
        chosen = {**chosen, "server": "gunicorn"}
        server_note = servers.too_old_note(found.entry.interface, runs_on, found.entry.kind)
        all_deps = _merged_with_proof(declared, inferred, found, chosen["server"], proof)
    if chosen["server"] == "gunicorn" and not _server_chosen(flags, table) \
            and (why := _egg_holds_server_pin(project, found, all_deps)):
        chosen = {**chosen, "server": "uwsgi"}
        server_note = why
        all_deps = _merged_with_proof(declared, inferred, found, chosen["server"], proof)
    pin_notes: tuple[str, ...] = ()
    if check_pins and (proof is None or proof.kind != "proof"):
        # no install of these requirements ran here (--no-import, the app's own environment, a proof environment
        # that did not build): uv's resolver meets what an install would, and the cache learns it the same way
        own_requirements = tuple(d.requirement for d in all_deps if not d.source.startswith(deps.SERVER_SOURCE))
        pin_notes = environments.check_pins(project.root, own_requirements, declared.files + deps.pin_files(all_deps),
                                            python.version, say=progress)
    # a line naming the project's own distribution that is installed from its folder (greeter-lib==0.1, a freeze's
    # greeter-lib @ file:///home/author/greeter-lib): no index nor path here has it, serve and the image go without
    # (and, for a packaged app, a line naming the app itself: `-e git+https://.../app.git#egg=app`); first, so that
    # no lesson of an install (a leftover "the code does not import") speaks for it
    app_is_package = environments.is_package(project.root)
    all_deps, own_folders = installed_from_folders(project, found.workdir, all_deps, app_is_package)
    # two of the app's pins that an install here found contradicting each other: the plan (and the image) relaxes
    # the one the install did, said in a note; an old sdist it built with older build tools: the image does too
    all_deps, relaxed_notes = _relax_conflicting_pins(project, all_deps)
    # a pin an install here left out as a leftover (unused, contradicting the app's other pins): the image too
    all_deps, left_out = _leave_out_leftovers(project, all_deps, declared.files)
    # pins an install here loosened for a package the requirements leave unpinned, none of which fits them: the image too
    all_deps, loosened_notes = _loosen_for_unpinned(project, all_deps)
    relaxed_notes += loosened_notes
    # a pinned release installs here moved to another (the index no longer has it, it does not build): the image too
    all_deps, moved_pin_notes = _move_pins(all_deps, python.version)
    # a pin that builds on no Python 3 and that installs here went without (wsgiref 0.1.2, distribute): the image too
    all_deps, dropped = _leave_out_dropped(all_deps, python.version)
    left_out += dropped
    # a module's name declared as a requirement (a Pipfile's cv2) that installs here left out: the image too
    all_deps, modules = _leave_out_module_names(all_deps)
    left_out += modules
    # a Windows-only package of a pip freeze made on Windows (pywin32), which the code never imports: the image too
    all_deps, windows = _leave_out_windows_only(project, all_deps)
    left_out += windows
    # an import read as a distribution whose module a declared one installs too (jarudaDB's `databases`), as an
    # install here found (module_clashes.py): not added, so the image and serve do not install both
    all_deps, clash_notes = module_clashes.leave_out_losers(all_deps, environments.cache_root())
    # a gunicorn worker's package only the app's own way to run names (a Procfile's -k gevent), which the code never
    # imports and the server Shipyard runs does not use: the .venv and the image go without it
    all_deps, workers = _leave_out_unused_workers(project, found, all_deps, chosen["server"])
    left_out += workers
    # and `-e ./greeter-lib` (or the author's `-e file:///...` path) lines, which serve skips: the image's install
    # of the requirement files drops them (render: the line deleted from its copy of the file)
    editable = editable_lines(project, declared.files, needed_local_distributions(project, found.workdir,
                                                                                   index_names(all_deps)),
                              app_is_package=app_is_package)
    targets = {t.split("#", 1)[0] for line, _ in editable if (t := editable_target(line))}
    left_out += tuple(o for o in own_folders if o[0].split(" @ ", 1)[-1].strip() not in targets) + editable
    # the versions the app's lock file pins for what its requirements leave open: constraints of the image's installs
    locked = environments.lock_constraints(project.root, declared.files, tuple(d.requirement for d in all_deps))
    # and the releases the proven environment installed that the app does not pin (pycryptodome 3.3.1 under
    # python-jose-cryptodome's <3.4.0, its Python 2 source built again with 2to3 there: python2_sources.py)
    resolved = built_here.installed(proof.python) if proof is not None and proof.python else ()
    holds, hold_notes = _held_back_build_tools(tuple(d.requirement for d in all_deps)
                                               + _installed_locks(locked, resolved) + resolved)
    found_services = services.services(project, all_deps)

    # (a freeze's line for a folder of the author's machine is not "installed from the package index" when the
    # project's own folder of it is installed)
    declared_notes = tuple(n for n in declared.notes if not any(f"'{line}' names " in n for line, _ in own_folders))
    notes = project.notes + env_notes + found.notes + declared_notes + inferred.notes + moved_notes \
        + ((server_note,) if server_note else ()) + pin_notes + relaxed_notes + hold_notes + clash_notes \
        + tuple(f"{why}; the generated image leaves it out too" if editable_target(line) else
                f"{why} (remove it from the app's requirements); the generated image leaves it out too"
                for line, why in left_out) + moved_pin_notes \
        + deps.worker_fallback_notes(all_deps, chosen["server"], found.entry.interface, found.entry.cooperative) \
        + foreign_sqlite_notes(project)
    static = services.static_dirs(project, found)
    if chosen["topology"] == "app" and found.framework == "django" and static:
        notes += ("topology app has no nginx, so nothing serves Django's collected static files: add WhiteNoise "
                  "to the app, or use --topology bundle or compose",)
    the_release, release_notes = release.detect(project, found, all_deps, chosen["release"])
    notes += release_notes
    # migrations (or the user's own release) say how the schema is made: an init command is for apps without
    init = first_run.detect(project, found) if the_release is None else None
    seeds = None
    if the_release is not None and found.entry.paste_ini and "-c" in the_release.argv:
        # Pyramid's cookiecutter: `alembic -c production.ini upgrade head`, then `initialize_<project>_db
        # production.ini` adds the first rows to the tables the migration made (its README's two steps)
        seeds = first_run.detect(project, found)
        if seeds is not None:
            notes += (f"{seeds.release.what} adds the first data after the migrations: `serve` and `dev` run it "
                      "once, after migrating a database that did not exist yet",)
    if init is not None and init.idempotent:
        # creating only what is missing is safe on every deploy: it is the release (compose, `migrate`)
        the_release = init.release
    elif init is not None:
        stack = ("; the PostgreSQL stack's release job runs it only while the database holds no table"
                 if needs_postgres(chosen, found_services) else "")
        notes += (f"{init.release.what} initialises the database and is not safe to repeat ({init.why}): `serve` "
                  f"and `dev` run it once, on a database that does not exist yet, and it is never the release run on "
                  f"every deploy{stack} (run it yourself once against any other new production database)",)
    dump = (sql_dump.readme_dump(project, found.workdir) or sql_dump.initdb_dump(project)) \
        if the_release is None and init is None and needs_postgres(chosen, found_services) else None
    tables = first_run.create_all(project, found, all_deps) if the_release is None and init is None else None
    if dump is None and tables is None and the_release is None and init is None \
            and needs_postgres(chosen, found_services):
        dump = sql_dump.lone_schema(project)     # a schema file pasted into a console by hand
    sqlite = sqlite_use(project)
    unmigrated = django_unmigrated.unmigrated_model_folders(project) \
        if the_release is not None and the_release.argv == django_unmigrated.MIGRATE else ()
    if unmigrated:
        notes += (f"models with no migrations in the repository ({', '.join(unmigrated)}): the release (`serve`, "
                  "`shipyard migrate`, the image's) makes them with makemigrations outside the app's folders, then "
                  "migrates; commit your own (python manage.py makemigrations) to choose them",)
    if dump is not None:
        # the README's data, tables included: loaded instead of creating empty tables
        tables = sql_dump.release(dump, found.workdir)
        notes += (f"{dump.said} `serve` and `dev` "
                  "load it once, into a database they created, and compose's PostgreSQL when its volume is new; "
                  "load it yourself into any other production database",)
    elif tables is not None:
        how, migrations = first_run.CREATE_ALL_HOW[tables.what]
        image = ("the image does too, on its SQLite file at each start; on a database server, migrations are the "
                 "way" if sqlite and not needs_postgres(chosen, found_services)
                 else "the PostgreSQL stack's release job does too, on every deploy, until migrations are the way"
                 if needs_postgres(chosen, found_services)
                 else "the production files do not, as migrations are the way there")
        notes += (f"no migrations and no init command found: `serve` and `dev` create the models' tables with "
                  f"{how} on a new database (it only creates what is missing); {image} ({migrations}), and "
                  f"`shipyard migrate` (the release) applies them",)
    examples = example_settings(project, found.workdir, found.entry.module)
    if examples:
        pairs = " ".join(f"{name}={value}" for name, value, _ in examples)
        notes += (f"the code requires {', '.join(n for n, _, _ in examples)} (read with no default), which only "
                  f"{examples[0][2]} gives: build's check and the compose stack's secrets file take {pairs}; the "
                  f"image does not hold them: run it with your own (docker run -e {examples[0][0]}=...)",)
    kept_folders = data_folders(project, found.workdir)
    absent_logs = absent_log_folders(project, found.workdir)
    # a relative SQLite URL of Flask-SQLAlchemy opens where the installed release puts it (3.0 on: the instance folder)
    absent_sqlite = absent_sqlite_folders(project, found.workdir, found.entry.import_folder,
                                          resolved + tuple(d.requirement for d in all_deps))
    foreign_logs = foreign_log_files(project)
    plan = Plan(
        name=project.name,
        framework=found.framework,
        entry=found.entry,
        workdir=found.workdir,
        python=python,
        dependencies=all_deps,
        dependency_files=declared.files,
        dependencies_inferred=not declared.complete,
        services=found_services,
        env_vars=services.env_vars(project),
        static=static,
        # and a compiler when the environment it was proven in built a package from source (built_here.py);
        # GeoDjango's GDAL and GEOS, which no package brings (detect/geodjango.py)
        system_packages=built_here.with_compiler(
            geodjango.system_packages(project, services.system_packages(all_deps)),
            built_here.compiled_here(proof.python) if proof is not None and proof.python else ()),
        settings=chosen,
        notes=notes,
        release=the_release,
        proof=proof,
        package=app_is_package,
        local_distributions=tuple(d.folder for d in needed_local_distributions(project, found.workdir,
                                                                               index_names(all_deps))),
        first_run=init.release if init is not None else seeds.release if seeds is not None else tables,
        hosts_variables=tuple((h.name, h.separator or "") for h in hosts_vars.hosts_variables(project)),
        config_env=_config_env(project, found.entry.production_env, tuple(s.name for s in found_services)),
        build_holds=holds,
        left_out=left_out,
        sqlite=sqlite,
        sql_dump=dump.paths if dump is not None else (),
        locked=locked,
        unavailable=deps.freeze_artifacts(project, declared.files),
        unmigrated_models=unmigrated,
        secret_key_variables=tuple(sorted(secret_vars.secret_key_variables(project))),
        log_file_variables=tuple(sorted(log_file_variables(project))),
        foreign_sqlite=foreign_sqlite_paths(project),
        engine_variables=engine_vars.engine_variables(project) if found.framework == "django" else (),
        database_switches=database_switch.for_stack(project, ("postgres", *(s.name for s in found_services)))
        if found.framework == "django" else (),
        models_fallback=models_fallback.for_image(models_fallback.models_fallback(project, the_release)),
        locales=locale_names.set_locales(project),
        example_settings=examples,
        data_folders=kept_folders,
        committed_databases=committed_databases(project),
        log_files=log_files(project, found.workdir),
        pip_built=pip_built.for_requirements(tuple(d.requirement for d in all_deps)
                                             + _installed_locks(locked, resolved) + resolved,
                                             environments.cache_root()),
        build_needs=build_needs.for_requirements(tuple(d.requirement for d in all_deps)
                                                 + _installed_locks(locked, resolved) + resolved,
                                                 environments.cache_root()),
        # those the compose file keeps already are made with them
        made_folders=tuple(dict.fromkeys(
            f for f in (*made_folders(project, found.workdir), *absent_logs, *absent_sqlite)
            if f not in {posixpath.normpath(posixpath.join(found.workdir, k)) for k in kept_folders})),
        absent_static_folders=services.absent_static_folders(project, found.workdir),
        absent_log_folders=absent_logs,
        absent_sqlite_folders=absent_sqlite,
        foreign_log_folders=foreign_log_folders(foreign_logs),
        foreign_log_files=foreign_logs,
        conda_lists=conda_list.lists_among(project, declared.files),
        postgres_fields=postgres_fields_use(project) if found.framework == "django" else "",
        mounted_code=_mounted_code(project, found.workdir),
        outside_code=outside_code(project, parsed(project)),
    )
    # what serve --install and the image resolve the packages the app leaves open as of (an old app's day)
    date, _ = environments.app_resolution_date(project.root, plan.dependency_files, plan.dependencies,
                                               plan.server_dependencies)
    # an open package whose release of that day an install here found not to install on this Python: the later
    # release the install took instead, in the image too
    later = later_releases.for_requirements((d.requirement for d in plan.dependencies
                                             if d not in plan.server_dependencies),
                                            later_releases.known(environments.cache_root()), python.version,
                                            date or "")
    from .run.database import scheme_parts
    return replace(plan, resolution_date=date or "", later_releases=later,
                   notes=plan.notes + tuple(f"{m.note}, as installs here did (pin it in the app's requirements)"
                                            for m in later),
                   scheme_variables=scheme_parts(plan, project.root, {}) if plan.needs_postgres else ())


def _python_of_its_time(project: Project, python: PythonVersion, declared, within: str | None = None
                        ) -> PythonVersion:
    """An app that names no Python, with dependency files from years ago, gets the Python current then (its
    pins installed and imported there); one with no dependency file, the Python current when its code last
    changed (its inferred packages resolve as of then); a recent one keeps the default. So does an app whose
    Python is a range (`within`: Poetry's `python = "^3.9.5"`, requires-python), inside that range: a range
    is a limit, and the packages its lock leaves unpinned resolve as of the files' date, when a newer Python
    may not have existed (typing_extensions of March 2023 does not import on 3.12).

    A Dockerfile's `FROM python:3.7` is the weakest declaration and can be left behind by the code: an app that
    bounds none of its packages gets them as of its last change (resolution_date), and when that Python had
    reached its end of life by then, those releases no longer support it (uv falls back to the last ones that
    did, older than the code: tornado 6.2 for code that needs 6.3). Such an app gets the Python current on that
    day instead, with a note naming both."""
    from_dockerfile = python.source.startswith(pyversion.DOCKERFILE)
    if within is not None:
        return _of_its_time_within(project, python, declared, within)
    if not python.source.startswith("default") and not from_dockerfile:
        return python
    requirements = tuple(d.requirement for d in declared.dependencies)
    date, _ = environments.resolution_date(project.root, declared.files, requirements)
    if from_dockerfile:
        day = date or time.strftime("%Y-%m-%d", time.gmtime())     # no date: they resolve as of today
        if not requirements or not environments.bounds_nothing(requirements) \
                or not pyversion.outlived(python.version, day):
            return python
        then = pyversion.current_on(day)
        return PythonVersion(then, f"{python.source} names {python.version}, which had reached its end of life "
                                   f"by {day[:10]}, when its unbounded packages resolve: the Python current then")
    when = "its dependency files last changed"
    if not declared.files:
        # no dependency file: the packages its code imports resolve as of the code's last change, on its Python
        date, when = environments.code_date(project.root), "its code last changed (it has no dependency file)"
    elif not requirements:
        # a dependency file that declares nothing (an empty requirements.txt): the same, its packages are its imports'
        date, when = environments.code_date(project.root), "its code last changed (its dependency files declare none)"
    then = pyversion.current_on(date) if date else None
    if then is None or then == python.version:
        return python
    return PythonVersion(then, f"none declared: the Python current when {when} ({date[:10]})")


def _python_the_code_needs(project: Project, found: EntryFinding, python: PythonVersion) -> PythonVersion:
    """The Python the app's own code needs (detect/code_python.py: datetime.UTC, a match statement), when it is
    newer than `python` and `python` is no declaration of the app's own: a Dockerfile's FROM line (the weakest,
    often left behind by the code) or none at all. A Python the app declares itself stands (the import error then
    says which one its code needs)."""
    if not python.source.startswith((pyversion.DOCKERFILE, "default", "none declared")):
        return python
    from .detect import code_python, reach
    needs = code_python.floor(project, found, reach.unreached_files(project, found))
    if needs is None:
        return python
    wanted = f"{needs[0][0]}.{needs[0][1]}"
    if not older(python.version, wanted):
        return python
    return PythonVersion(wanted, f"{python.source} names {python.version}, but the app's code uses {needs[1]} "
                                 f"({needs[2]}), which needs Python {wanted}: that Python")


def _of_its_time_within(project: Project, python: PythonVersion, declared, spec: str) -> PythonVersion:
    """The newest Python the range `spec` allows that was out when the app's dependency files last changed (the
    oldest it allows when none was): `python` when that is not older."""
    requirements = tuple(d.requirement for d in declared.dependencies)
    date, _ = environments.resolution_date(project.root, declared.files, requirements)
    if not date:
        return python
    then = pyversion.current_on(date)
    allowed = [m for m, _ in pyversion.RELEASED if pyversion.admits(spec, m)]
    fits = [m for m in allowed if not older(then, m)] or allowed[:1]
    if not fits or not older(fits[-1], python.version):
        return python
    return PythonVersion(fits[-1], f"{python.source}, a range: the Python current when its dependency files last "
                                   f"changed ({date[:10]}) within it")


def _relax_conflicting_pins(project: Project, dependencies: tuple[Dependency, ...]
                            ) -> tuple[tuple[Dependency, ...], tuple[str, ...]]:
    """`dependencies` with the pins relaxed that the conflicts known here relax (pin_conflicts.py), and a note
    for each; the relaxed ones say so in their source ("requirements.txt (relaxed from MarkupSafe==2.0.1: Werkzeug==2.2.3
    requires markupsafe>=2.1.1)")."""
    known = pin_conflicts.known(environments.cache_root())
    lines = tuple(d.requirement for d in dependencies)
    if not known or pin_conflicts.relax(lines, known) is None:
        return dependencies, ()
    _, relaxed = pin_conflicts.relax_all(lines, known, environments.imported_by(project.root))
    instead = {r.line: r for r in relaxed}
    out = []
    for dep in dependencies:
        found = last = instead.get(dep.requirement)
        # a relaxed pin relaxed again by another conflict (botocore==1.4.93 to awscli's ==1.5.68, then to boto3's
        # >=1.4.1,<1.5.0): the last line is what installs, else each install meets the second conflict again
        seen = {dep.requirement}
        while last is not None and last.instead in instead and last.instead not in seen:
            seen.add(last.instead)
            last = instead[last.instead]
        if found is not None and last is not None:
            spec = last.instead[len(last.name):]
            dep = Dependency(dep.name, spec, f"{dep.source} ({deps.RELAXED_FROM} {found.line}: {last.because})",
                             dep.inferred)
        out.append(dep)
    return tuple(out), tuple(f"{r.note}; the generated image installs it relaxed too" for r in relaxed)


def _leave_out_leftovers(project: Project, dependencies: tuple[Dependency, ...], files: tuple[str, ...]
                         ) -> tuple[tuple[Dependency, ...], tuple[tuple[str, str], ...]]:
    """(`dependencies` without the exact pins installs here left out as leftovers (pin_conflicts.LeftOut) that the
    app pins beside every release they contradicted and does not use, as of a day no later than the one its
    packages resolve as of (its dependency `files`' last change), (requirement, why) of each left out)."""
    known = pin_conflicts.known_left_out(environments.cache_root())
    lines = tuple(d.requirement for d in dependencies if not d.source.startswith(deps.SERVER_SOURCE))
    if not known or not pin_conflicts.left_out_of(lines, known, (), "0000"):   # the earliest day: any lesson here?
        return dependencies, ()
    as_of = environments.resolution_date(project.root, files, lines)[0] or ""
    found = dict(pin_conflicts.left_out_of(lines, known, environments.used_by(project.root), as_of))
    return (tuple(d for d in dependencies if d.requirement not in found),
            tuple((line, left.note) for line, left in found.items()))


def _loosen_for_unpinned(project: Project, dependencies: tuple[Dependency, ...]
                         ) -> tuple[tuple[Dependency, ...], tuple[str, ...]]:
    """`dependencies` with the exact pins loosened that an install here loosened for a package the app leaves
    unpinned (Shipyard infers it, or its line has no version) no release of which fits them (pin_conflicts.GaveWay),
    saying so in their source, and a note for each lesson applied."""
    known = pin_conflicts.known_gave_way(environments.cache_root())
    if not known:
        return dependencies, ()
    lines = tuple(d.requirement for d in dependencies if not d.source.startswith(deps.SERVER_SOURCE))
    unpinned = {d.name for d in dependencies if d.inferred or not d.spec.startswith("==")}
    found = pin_conflicts.gave_way_in(lines, known, unpinned, environments.used_by(project.root))
    if not found:
        return dependencies, ()
    out = tuple(Dependency(d.name, "", f"{d.source} (loosened from {d.requirement}: no release of "
                                       f"{found[d.requirement].to} fits it)", d.inferred)
                if d.requirement in found else d for d in dependencies)
    return out, tuple(f"{g.note}; the generated image installs them so too" for g in dict.fromkeys(found.values()))


def _move_pins(dependencies: tuple[Dependency, ...], python: str) -> tuple[tuple[Dependency, ...], tuple[str, ...]]:
    """`dependencies` with the exact pins installs on `python` moved to another release (moved_pins.py: the index
    no longer has theirs, or it does not build there) moved the same way, saying so in their source
    ("requirements.txt (moved from mysql-connector==2.1.4: it is no longer on the package index)"), and a note for
    each."""
    known = moved_pins.known(environments.cache_root())
    found = moved_pins.for_requirements((d.requirement for d in dependencies), known, python) if known else {}
    if not found:
        return dependencies, ()
    out, notes = [], []
    for dep in dependencies:
        move = found.get(dep.requirement)
        if move is not None:
            dep = Dependency(dep.name, "==" + move.instead.partition("==")[2],
                             f"{dep.source} ({deps.MOVED_FROM} {dep.requirement}: {move.why})", dep.inferred)
            notes.append(f"the app pins {move.release}, and {move.why}: installs here took {move.instead}, the "
                         f"nearest later release that installs, and the generated image does too (pin it in the "
                         f"app's requirements)")
        out.append(dep)
    return tuple(out), tuple(notes)


def _leave_out_dropped(dependencies: tuple[Dependency, ...], python: str
                       ) -> tuple[tuple[Dependency, ...], tuple[tuple[str, str], ...]]:
    """(`dependencies` without the exact pins installs on `python` left out for good (dropped_pins.py), (requirement,
    why) of each)."""
    known = dropped_pins.known(environments.cache_root())
    found = dict(dropped_pins.for_requirements((d.requirement for d in dependencies
                                                if not d.source.startswith(deps.SERVER_SOURCE)), known, python))
    if not found:
        return dependencies, ()
    return (tuple(d for d in dependencies if d.requirement not in found),
            tuple((line, dropped.note) for line, dropped in found.items()))


def _leave_out_module_names(dependencies: tuple[Dependency, ...]
                            ) -> tuple[tuple[Dependency, ...], tuple[tuple[str, str], ...]]:
    """(`dependencies` without the declared module names installs here left out (module_requirements.py), with the
    distribution providing the module when none of those that do is among them; (requirement, why) of each)."""
    known = module_requirements.known(environments.cache_root())
    found = module_requirements.for_requirements((d.name for d in dependencies if not d.inferred), known) \
        if known else {}
    if not found:
        return dependencies, ()
    kept = tuple(d for d in dependencies if d.inferred or d.name not in found)
    names = {module_requirements.normalized(d.name) for d in kept}
    added = []
    for declared, module in found.items():
        if not names & ({module_requirements.normalized(module.provider)} | set(module.provided_by)):
            added.append(Dependency(module.provider, "", f"in place of {declared} (the module it installs)", True))
            names.add(module_requirements.normalized(module.provider))
    lines = {d.name: d.requirement for d in dependencies}
    return kept + tuple(added), tuple((lines[declared], module.note(lines[declared])) for declared, module in found.items())


def _leave_out_windows_only(project: Project, dependencies: tuple[Dependency, ...]
                            ) -> tuple[tuple[Dependency, ...], tuple[tuple[str, str], ...]]:
    """(`dependencies` without the packages that install on Windows only (deps.WINDOWS_ONLY) the app's code does
    not use, (requirement, why) of each): a freeze made on Windows lists pywin32, and no Linux install or image
    takes it. One the code imports (win32com) is kept: the install then says it has no wheel here."""
    found = [d for d in dependencies if deps.normalize(d.name) in deps.WINDOWS_ONLY and not d.inferred]
    if not found:
        return dependencies, ()
    used = set(environments.used_by(project.root))
    left = [d for d in found if deps.normalize(d.name) not in used]
    return (tuple(d for d in dependencies if d not in left),
            tuple((d.requirement, f"the app declares {d.requirement} ({d.source}), which installs on Windows only, "
                                  "and its code never imports it (a pip freeze made on Windows?): left out")
                  for d in left))


def _leave_out_unused_workers(project: Project, found, dependencies: tuple[Dependency, ...], server: str
                              ) -> tuple[tuple[Dependency, ...], tuple[tuple[str, str], ...]]:
    """(`dependencies` without the app's pins of gunicorn worker packages its code never imports and `server` does
    not use (detect/unneeded_servers.unneeded_workers), (requirement, why) of each): a 2016 ping service pins
    gevent==1.1b5 for its Procfile's `gunicorn -k gevent`, a beta with no wheel for its Python that builds from
    source for minutes; Shipyard's server runs its own worker."""
    from .detect.unneeded_servers import unneeded_workers
    serving = {name for name, _ in deps.server_requirements(server, found.entry.interface, found.entry.cooperative,
                                                            dependencies)}
    unused = unneeded_workers(project, found, dependencies, serving)
    left = [d for d in dependencies if deps.normalize(d.name) in unused and not d.inferred
            and not d.source.startswith(deps.SERVER_SOURCE)]
    if not left:
        return dependencies, ()
    return (tuple(d for d in dependencies if d not in left),
            tuple((d.requirement, f"the app declares {d.requirement} ({d.source}) for a gunicorn worker class of its "
                                  f"own way to run, which {server} as Shipyard runs it does not use, and its code never "
                                  "imports it: left out") for d in left))


def _installed_locks(locked: tuple[str, ...], resolved: tuple[str, ...]) -> tuple[str, ...]:
    """The lock's pins (constraints) that an install takes: those the proven environment installed, when one did
    (`resolved`), else all of them. A constraint installs nothing by itself, and a conda package list is a whole
    environment: its anyjson==0.3.3, which the app never imports, was built alone (a build hold) for nothing."""
    if not resolved:
        return locked
    installed = {key for line in resolved if (key := build_holds.release_of(line))}
    return tuple(c for c in locked if build_holds.release_of(c) in installed)


def _held_back_build_tools(requirements: tuple[str, ...]) -> tuple[tuple[BuildHold, ...], tuple[str, ...]]:
    """(the releases the app pins, or its lock file does, that installs here built only with older build tools or
    that are known to (build_holds.py), a note for each): the image's builder holds its build tools back the same
    way."""
    learned = build_holds.known(environments.cache_root())
    holds = build_holds.for_requirements(requirements, build_holds.for_plans(environments.cache_root()))
    return holds, tuple(f"{h.release} does not build with today's {build_holds.tools_named(h.constraints)} (its "
                        f"setup.py uses {h.uses}): the image "
                        f"builds it with {' and '.join(h.constraints)}, "
                        f"{'as installs here did' if h in learned else 'a known fact of that release'}" for h in holds)


def _egg_holds_server_pin(project: Project, found, dependencies) -> str | None:
    """Why gunicorn cannot serve this paste app: its ini loads the installed project (`use = egg:NAME`), and
    PasteDeploy's pkg_resources then checks the project's own requirements, among them a gunicorn pinned older
    than Shipyard's gunicorn configuration needs (gunicorn==19.8): the newer gunicorn serve installs fails that
    check (ContextualVersionConflict). uWSGI reads the ini too, and leaves the app's gunicorn as it pins it."""
    from .detect.entry.paste import paste_use
    if found.entry.kind != "paste" or not found.entry.paste_ini or not environments.is_package(project.root):
        return None
    folder = "" if found.workdir in ("", ".") else found.workdir.strip("/") + "/"
    use = paste_use(project.scan_text(folder + found.entry.paste_ini) or "")
    outdated = deps.outdated_server_pins(dependencies, "gunicorn", found.entry.interface, found.entry.cooperative)
    if not use or not use.startswith("egg:") or not outdated:
        return None
    pinned = outdated[0][0]
    # only a pin of the project's own requirements is checked: setup.py's install_requires (or the requirements
    # file setup.py reads into it), setup.cfg's, pyproject's; requirements.txt beside a literal list is not
    setup_py = project.scan_text(folder + "setup.py") or ""
    source = PurePosixPath(pinned.source.split(" ")[0])
    if source.name not in ("setup.py", "setup.cfg", "pyproject.toml") \
            and not ("install_requires" in setup_py and str(source) in setup_py):
        return None
    return (f"{found.entry.paste_ini} loads the installed project ({use}), whose requirements pkg_resources checks, "
            f"and the app pins {pinned.requirement} ({pinned.source}), older than Shipyard's gunicorn configuration "
            f"needs: uWSGI serves it, with the app's gunicorn left as pinned (--server to choose)")


def _in_package(project: Project, found: EntryFinding) -> bool:
    """The app runs from a package folder: imported as a root package, or its folder holds an __init__.py."""
    return bool(found.entry.root_package) or (project.path(found.workdir) / "__init__.py").is_file()


def _server_chosen(flags: Mapping[str, Any], table: Mapping[str, Any]) -> bool:
    return flags.get("server") is not None or table.get("server") is not None


def _running_python(proof: Proof | None, python_exe: str | None) -> str | None:
    """The version ("3.8") of the interpreter the app runs with here, when it is known."""
    exe = proof.python if proof is not None and proof.proven and proof.python else python_exe
    info = environments.interpreter_info(exe) if exe else None
    return info.minor if info else None


@dataclass(frozen=True)
class DependencyList:
    """The app's dependencies when no plan can be made (no entry point found): requirements do not
    depend on the entry, so `reqs` still answers."""

    name: str
    dependencies: tuple[Dependency, ...]
    dependency_files: tuple[str, ...]
    notes: tuple[str, ...]


def dependencies_only(root: str | Path) -> DependencyList:
    """Declared and inferred dependencies of the app in `root`, without an entry point (so no server)."""
    project = Project(root)
    own = environments.app_environment(project.root)
    declared = deps.declared(project)
    inferred = imports.infer(project, None, declared, python_exe=own.python if own else None)
    return DependencyList(project.name, deps.merge(declared, inferred.dependencies, None), declared.files,
                          declared.notes + inferred.notes)


def moved_forward(dependencies: tuple[Dependency, ...], moved: tuple[str, ...]) -> tuple[Dependency, ...]:
    """`dependencies` with the requirement of each package of `moved` ("flask-login==0.6.3") replaced by that
    exact release, or added where the app names none (a release another package brought)."""
    out = list(dependencies)
    for pin in moved:
        name, _, version = pin.partition("==")
        at = next((i for i, d in enumerate(out) if imports.normalize(d.name) == imports.normalize(name)), None)
        if at is None:
            out.append(Dependency(name, f"=={version}", "the import proof (a later release that imports)",
                                  inferred=True))
        else:
            # said as planner._move_pins says its moves, so the image overrides the pin in the app's own file too
            extras = re.match(r"^\[[^\]]*\]", out[at].spec)
            out[at] = replace(out[at], spec=(extras.group(0) if extras else "") + f"=={version}",
                              source=f"{out[at].source} ({deps.MOVED_FROM} {out[at].requirement}: the import "
                                     f"proof needed a later release that imports)")
    return tuple(out)


def _merged_with_proof(declared, inferred, found, server: str, proof):
    """The app's dependencies merged anew for `server`, with what the import proof needed (_with_proof)."""
    return _with_proof(deps.merge(declared, inferred.dependencies, found, server=server), declared, inferred, found,
                       server, proof)


def _with_proof(all_deps, declared, inferred, found, server: str, proof):
    """`all_deps` with what the import proof needed, applied again whenever they are merged anew for another
    server (a Python the proof moved the app to has another default server): serve's .venv installs what the
    proof imported with (a 2016 Tornado chat's tornado<6.0 for tornado-redis, proven on Python 3.7, was lost there)."""
    if proof is None:
        return all_deps
    if proof.seeded:
        # what the import needed beyond the app's requirements: serve's .venv and the image install it too
        needed = tuple(Dependency(*re.match(r"([\w.-]+)(.*)", r).groups(),
                                  "an installed package imports pkg_resources (the import proof)"
                                  if r.startswith("setuptools") else
                                  "an installed package imports it (the import proof)", inferred=True)
                       for r in proof.seeded)
        all_deps = deps.merge(declared, (*inferred.dependencies, *needed), found, server=server)
    if proof.held:
        # bounds the import needed on packages the app leaves open (Django<3.0 under django>=2.2.10): added to the
        # app's own requirement, so serve's .venv installs what the proof imported
        all_deps = held_back(all_deps, proof.held)
    if proof.moved:
        # a later release of a package the app's lock pinned, which the import needed (proving._with_later_importer)
        all_deps = moved_forward(all_deps, proof.moved)
    return all_deps


def held_back(dependencies: tuple[Dependency, ...], held: tuple[str, ...]) -> tuple[Dependency, ...]:
    """`dependencies` with each bound of `held` ("Django<3.0") added to the requirement of the same package, or
    added as one where the app names none."""
    out = list(dependencies)
    for hold in held:
        name, _, bound = hold.partition("<")
        at = next((i for i, d in enumerate(out) if imports.normalize(d.name) == imports.normalize(name)), None)
        if at is None:
            out.append(Dependency(name, f"<{bound}", "the import proof (a pinned release needs it older)", inferred=True))
        else:
            dep = out[at]
            pinned = re.fullmatch(r"(\[[^\]]*\])?===?\s*([\w.+!-]+)", dep.spec.strip())
            if pinned and _at_least(pinned.group(2), bound):
                # the app's exact pin is newer than its own code (proving.py said so): the bound replaces it
                out[at] = replace(dep, spec=(pinned.group(1) or "") + f"<{bound}",
                                  source=f"{dep.source} ({deps.MOVED_FROM} {dep.requirement}: the import proof "
                                         f"needed it older, the pin being newer than the app's code)")
            else:
                out[at] = replace(dep, spec=",".join(filter(None, (dep.spec, f"<{bound}"))))
    return tuple(out)


def _at_least(version: str, bound: str) -> bool:
    try:
        return Version(version) >= Version(bound)
    except InvalidVersion:
        return False


def _config_env(project: Project, production_env: tuple[tuple[str, str], ...],
                databases: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """The production value of each variable that picks one of the app's configurations (config_choice), as serve
    gives it (appconfig.py): a settings package's `os.environ['myproject'] == 'production'` reads it with no
    default, so the image's collectstatic and the app stop on KeyError without it. And the key of each variable
    that picks a database from a dict (key_choices: `DB_CONNECTIONS[env('DEFAULT_DATABASE')]`): the one whose
    database the stack runs (`databases`, the plan's services), as serve gives it."""
    from .detect import config_choice, key_choices
    taken = {name for name, _ in production_env}
    chosen = tuple((c.variable, c.production) for c in config_choice.choices(project)
                   if c.production is not None and c.variable not in taken)
    taken |= {name for name, _ in chosen}
    return chosen + tuple((c.name, key_choices.chosen_key(c, databases)) for c in key_choices.key_choices(project)
                          if c.name not in taken)


def _mounted_code(project: Project, workdir: str) -> tuple[tuple[str, str], ...]:
    """(source, where the app's folder has it) of the code its compose service mounts into its code folder from
    elsewhere in the project (detect/mounted_code.py), where the project has nothing of that name already: serve
    and dev import it through links (appconfig.run_config), the image through the same links (Dockerfile)."""
    out = []
    for m in compose_mounted_code(project, workdir):
        at = posixpath.normpath(posixpath.join(workdir, PurePosixPath(m.source).name))
        if not (project.root / at).exists():
            out.append((m.source, at))
    return tuple(out)
