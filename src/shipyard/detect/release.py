"""The release command: what runs once, after the database is ready and before the app serves
(database migrations, data loaders). Declared with `release` in [tool.shipyard], else detected.

The command is argv; a leading "python" means the app's interpreter, whichever that is where it runs
(the image's virtualenv, or the app's own virtualenv under `serve`).
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from pathlib import PurePosixPath

from ..errors import SettingError, UsageError
from ..plan import Dependency, Release
from ..project import Project
from . import alembic_config, first_run, flyway, migrate_script, migration_heads, migration_refs, missing_settings, \
    piccolo_conf
from .deps import normalize
from .findings import EntryFinding


def detect(project: Project, finding: EntryFinding, dependencies: tuple[Dependency, ...],
           declared: str | None) -> tuple[Release | None, tuple[str, ...]]:
    """The release command and the notes that explain it."""
    release, notes = _detect(project, finding, dependencies, declared)
    if release is None or release.declared or release.workdir == finding.workdir:
        return release, notes
    # run from elsewhere (Alembic from the root, the app from src/), the migrations import the app's modules as
    # the app does (env.py's `from config import DB_URI`): its folder goes on the path, relative to where the
    # command runs, which holds in the image as here
    where = posixpath.relpath(finding.workdir, release.workdir)
    return dataclasses.replace(release, env=release.env + (("PYTHONPATH", where),)), notes


def _detect(project: Project, finding: EntryFinding, dependencies: tuple[Dependency, ...],
            declared: str | None) -> tuple[Release | None, tuple[str, ...]]:
    if declared:
        try:
            argv = tuple(shlex.split(declared))
        except ValueError as exc:
            raise SettingError(f"[tool.shipyard] release = {declared!r} is not a valid command: {exc}",
                               "write it as you would in a shell, e.g. release = \"flask --app app db upgrade\"")
        if argv and argv[0] in ("flask", "django-admin", "alembic"):
            argv = ("python", "-m", "django" if argv[0] == "django-admin" else argv[0], *argv[1:])
        argv, env = flask_app_as_variable(argv)
        return Release(argv, finding.workdir, "the release command from [tool.shipyard]", declared=True, env=env), ()
    # PEP 503 names: a pip freeze of its time writes Flask_Migrate==2.5.3
    names = {normalize(d.name) for d in dependencies}
    if finding.framework == "django" or finding.entry.kind == "django":
        # a django-configurations project's settings classes load only through its own command line
        tool = "configurations" if finding.entry.django_configuration else "django"
        missing = missing_settings.missing_databases_module(project, finding.workdir, finding.entry.settings_module)
        # a migration pointing at a model its app's migrations never create: migrate stops whoever runs it
        broken = None if missing else migration_refs.dangling(project)
        return Release(("python", "-m", tool, "migrate", "--noinput"), finding.workdir, "Django migrate",
                       hint=missing_settings.hint(missing) if missing else
                       migration_refs.hint(broken) if broken else ""), \
            (missing_settings.note(missing),) if missing else \
            (migration_refs.note(broken),) if broken else ()
    stray: list[str] = []
    for base in dict.fromkeys((finding.workdir, ".")):
        prefix = "" if base == "." else f"{base}/"
        if finding.framework == "flask" and project.is_file(f"{prefix}migrations/env.py") \
                and "flask-migrate" in names:
            # FLASK_APP rather than --app, which came with Flask 2.2: every Flask CLI since 1.0 reads it
            heads = migration_heads.from_ini(project, f"{prefix}migrations/alembic.ini", base, "migrations")
            # the app as the script that wires Flask-Migrate gives it (manage.py beside the served main:app)
            app = migrate_script.flask_app(project, finding.workdir, finding.entry.module) or finding.entry.target
            # from the folder that holds migrations/, which Flask-Migrate looks for in the current directory (a
            # src/ app with migrations/ at the root: FLASK_APP=src/app.py and `flask db upgrade` from the root);
            # the app's folder then goes on the path (detect() above)
            return _upgrade(("python", "-m", "flask", "db", "upgrade"), base, "Flask-Migrate",
                            "flask db", heads, env=(("FLASK_APP", app),))
        if finding.framework == "flask" and "flask-migrate" in names \
                and f"{prefix}migrations" in first_run.migrations_without_env(project):
            # revisions committed without the env.py Alembic loads them with: `flask db upgrade` cannot run them
            stray.append(f"{prefix}migrations/versions holds revision files but {prefix}migrations/env.py is "
                         "missing (kept out of git?): Flask-Migrate cannot run them, so no release runs "
                         "`flask db upgrade`; commit the env.py `flask db init` writes to migrate with them")
        if project.is_file(f"{prefix}alembic.ini"):
            if not _configures_alembic(project, f"{prefix}alembic.ini", base):
                # an empty alembic.ini (or one with no [alembic] section and no [tool.alembic] beside it) left
                # from a tutorial step: `alembic upgrade` stops on "No 'script_location' key found", so it names
                # no migrations to run, and the app's own create_all() (or none) makes the tables
                stray.append(f"{prefix}alembic.ini configures no Alembic script directory (no [alembic] "
                             "section): no Alembic migrations run")
                continue
            heads = migration_heads.from_ini(project, f"{prefix}alembic.ini", base)
            return _upgrade(("python", "-m", "alembic", "upgrade"), base, "Alembic", "alembic", heads)
        if (location := migration_heads.pyproject_location(project, base)) is not None \
                and project.is_file(f"{location}/env.py"):
            # Alembic 1.16 reads [tool.alembic] from the pyproject.toml where it runs, alembic.ini or not
            heads = migration_heads.from_pyproject(project, base)
            return _upgrade(("python", "-m", "alembic", "upgrade"), base, "Alembic", "alembic",
                            heads)
        if "peewee-migrate" in names and (folder := peewee_migrations(project, prefix)):
            # peewee-migrate's numbered migrate(migrator, database) files, which `pw_migrate migrate
            # --database=$DATABASE_URL` applies (its README's step): its CLI, with the URL the app reads
            return Release(("python", "-c", PEEWEE_MIGRATE, posixpath.relpath(folder, base)), base,
                           f"peewee-migrate (pw_migrate migrate, {folder}/)",
                           hint="peewee-migrate's own error is above; a migrations/conf.py naming DATABASE, or "
                                "DATABASE_URL, gives it the database"), \
                (f"the tables come from peewee-migrate's migrations in {folder}/: the release runs `pw_migrate "
                 "migrate` there with DATABASE_URL as --database when set",)
        if "aerich" in names and aerich_migrations(project, prefix):
            # aerich reads [tool.aerich] from the pyproject.toml of the folder it runs in; its `aerich` script is
            # aerich.cli's main(), which the module runs too
            return Release(("python", "-m", "aerich.cli", "upgrade"), base,
                           "aerich (Tortoise ORM: aerich upgrade)"), ()
    if finding.framework == "flask" and "flask-migrate" in names \
            and (package := _entry_package(finding)) and project.is_file(f"{package}/migrations/env.py"):
        # migrations/ in the app's own package (constructora/migrations beside constructora/app.py, its Migrate
        # given that directory; the README's `cd constructora` then `flask run`): `flask db upgrade` from there.
        # Flask's CLI takes a name there as a path below the package (FLASK_APP=app.py is constructora.app, the
        # folder above put on sys.path); a dotted constructora.app would be looked for as constructora.constructora
        app = migrate_script.flask_app(project, finding.workdir, finding.entry.module) or finding.entry.target
        module, _, attr = app.partition(":")
        top = finding.entry.module.split(".")[0]
        if module.startswith(f"{top}."):
            heads = migration_heads.from_ini(project, f"{package}/migrations/alembic.ini", package, "migrations")
            inside = module[len(top) + 1:].replace(".", "/") + ".py" + (f":{attr}" if attr else "")
            return _upgrade(("python", "-m", "flask", "db", "upgrade"), package, "Flask-Migrate", "flask db", heads,
                            env=(("FLASK_APP", inside),))
    piccolo = piccolo_conf.find(project, finding.workdir) if "piccolo" in names else None
    if piccolo is not None:
        return _piccolo(project, piccolo)
    alembic = alembic_config.find(project, finding.workdir)
    if alembic is not None and alembic.named_by:
        # a config file elsewhere (migrations/alembic.ini), named by ALEMBIC_CONFIG or the app's scripts
        ini_rel = posixpath.normpath(posixpath.join(alembic.cwd, alembic.ini))
        heads = migration_heads.from_ini(project, ini_rel, alembic.cwd)
        release, notes = _upgrade(("python", "-m", "alembic", *alembic.args, "upgrade"), alembic.cwd, "Alembic",
                                  shlex.join(("alembic", *alembic.args)), heads)
        if release is None:
            return release, notes
        where = f"{alembic.cwd}/" if alembic.cwd != "." else "the project's root"
        return release, notes + (f"Alembic's config is {ini_rel} ({alembic.named_by}): the release runs "
                                 f"`{shlex.join(release.argv[2:])}` from {where}, which its script_location is "
                                 "relative to",)
    ini = finding.entry.paste_ini
    ini_rel = posixpath.normpath(posixpath.join(finding.workdir, ini)) if ini else ""
    if ini and _has_alembic_section(project, ini_rel):
        # Pyramid's cookiecutter keeps Alembic's settings in the app's own ini: `alembic -c production.ini`
        heads = migration_heads.from_ini(project, ini_rel, finding.workdir)
        return _upgrade(("python", "-m", "alembic", "-c", ini, "upgrade"), finding.workdir, "Alembic",
                        f"alembic -c {ini}", heads)
    if "alembic" in names and (heads := migration_heads.only_script_folder(project, finding.workdir)) is not None \
            and not heads.empty:
        # a script directory (env.py, versions/) committed with no alembic.ini nor any config naming it (the ini
        # kept out of git, or Alembic's Config made in code): Alembic's API runs it with script_location given,
        # as `alembic upgrade` would with the ini; env.py takes the database URL from the app's settings, or
        # from DATABASE_URL where it reads the config's sqlalchemy.url
        location = posixpath.dirname(heads.folder) or "."
        cwd = finding.workdir if finding.workdir not in ("", ".") and \
            (location + "/").startswith(finding.workdir.rstrip("/") + "/") else "."
        rel = posixpath.relpath(location, cwd)
        target = "heads" if heads.several else "head"
        return Release(("python", "-c", ALEMBIC_WITHOUT_CONFIG, rel, target), cwd,
                       f"Alembic ({location}/ upgraded to {target}; no alembic.ini)",
                       hint=f"Alembic's own error is above; commit the alembic.ini that names {location}/ "
                            "(script_location, sqlalchemy.url) if env.py reads its settings from one"), \
            (f"{location}/ is an Alembic script directory with no alembic.ini nor any config naming it (kept out "
             f"of git?): the release runs its migrations with Alembic's API, script_location {rel}, and "
             "DATABASE_URL as sqlalchemy.url when set",)
    sql = flyway.folder(project)
    if sql is not None:
        # plain SQL files the flyway image applies (its compose service): applied as `flyway migrate` does
        return Release(("python", "-c", flyway.MIGRATE, sql[0]), ".",
                       f"Flyway's SQL migrations in {sql[0]}/ (applied as flyway migrate does)",
                       hint="a file's own SQL error is above; a migration Flyway alone can run (repeatable, Java, "
                            "placeholders) needs Flyway: run `flyway migrate` yourself"), \
            (f"the tables come from Flyway's SQL migrations in {sql[0]}/ ({sql[1]}): the release applies the "
             "versioned files in version order, recorded in flyway_schema_history as Flyway does",)
    return None, tuple(stray)


# `alembic upgrade` with no config file: a Config made in code naming the script directory (argv[1]) and the
# target (argv[2]); Alembic imported before the app's folder is back on sys.path, where a migrations folder named
# alembic/ would shadow it. `%` doubled: the config interpolates values.
ALEMBIC_WITHOUT_CONFIG = """\
import os, sys
_path = sys.path[:]
sys.path[:] = [p for p in sys.path if p not in ("", ".") and os.path.abspath(p) != os.getcwd()]
import alembic.command, alembic.config
sys.path[:] = _path
config = alembic.config.Config()
config.set_main_option("script_location", sys.argv[1])
if os.environ.get("DATABASE_URL"):
    config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"].replace("%", "%%"))
alembic.command.upgrade(config, sys.argv[2])
"""


def _piccolo(project: Project, conf: piccolo_conf.PiccoloConf) -> tuple[Release, tuple[str, ...]]:
    """`piccolo migrations forwards all`, or first the apps the app's own script migrates, in its order."""
    env = ((piccolo_conf.VARIABLE, conf.module),) if conf.module else ()
    notes = (f"Piccolo's config is {conf.path}, below where the app runs: its migrations run with "
             f"{piccolo_conf.VARIABLE}={conf.module}",) if conf.module else ()
    ordered, script = piccolo_conf.script_order(project)
    if ordered:
        return Release(("python", "-c", piccolo_conf.SEQUENCE, *ordered, "all"), conf.cwd,
                       f"Piccolo (piccolo migrations forwards {', '.join(ordered)}, then all, as {script} orders "
                       "them)", env=env), \
            notes + (f"{script} migrates the Piccolo apps {', '.join(ordered)} in that order (forwards all would "
                     "order them by the migration_dependencies they declare): the release does too, then "
                     "`forwards all` for the rest",)
    # Piccolo's CLI is piccolo.main's main(), which the module runs too
    return Release(("python", "-m", "piccolo.main", "migrations", "forwards", "all"), conf.cwd,
                   "Piccolo (piccolo migrations forwards all)", env=env,
                   hint="its own error is above; an app whose tables point at another app's (\"relation ... does "
                        "not exist\") names that app in its AppConfig's migration_dependencies, which is how "
                        "forwards all orders them"), notes


def _entry_package(finding: EntryFinding) -> str | None:
    """The folder of the package the entry module is in (relative to the project's root), if it is in one."""
    if "." not in finding.entry.module:
        return None
    top = finding.entry.module.split(".")[0]
    return top if finding.workdir in ("", ".") else posixpath.join(finding.workdir, top)


def _upgrade(argv: tuple[str, ...], workdir: str, tool: str, shown: str, heads: migration_heads.Heads | None,
             env: tuple[tuple[str, str], ...] = ()) -> tuple[Release | None, tuple[str, ...]]:
    """`upgrade head`, or `upgrade heads` when the script directory has several (Alembic's own advice in its
    "Multiple head revisions are present" error), with a note saying so; no release when it has no revision
    file (`alembic init` or `flask db init` run, no migration made yet): upgrading applies nothing, and the
    tables come from the app's own create_all or Shipyard's (detect/first_run.py)."""
    if heads is not None and heads.empty:
        first = "flask db migrate" if tool == "Flask-Migrate" else f"{shown} revision --autogenerate"
        return None, (f"{heads.folder} holds no revision file ({tool} set up, no migration made yet): no release "
                      f"runs `{shown} upgrade`, which would apply nothing; `{first}` makes the first",)
    target = "heads" if heads is not None and heads.several else "head"
    # Flask-Migrate's `db upgrade` upgrades to head by default, as its users write it
    args = argv + (target,) if tool != "Flask-Migrate" or target == "heads" else argv
    command = f"{shown} upgrade{' ' + target if args[-1] == target else ''}"
    several = heads if target == "heads" else None
    notes = (several.note(command, f"{shown} merge heads"),) if several else ()
    hint = several.failure_hint(f"{shown} merge heads") if several else ""
    return Release(args, workdir, f"{tool} ({command})", env=env, hint=hint), notes


def flask_app_as_variable(argv: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """`python -m flask --app X CMD...` as `python -m flask CMD...` with FLASK_APP=X: the --app option came
    with Flask 2.2 (older CLIs stop at "No such option: --app"), and every Flask CLI since 1.0 reads FLASK_APP,
    so an app that pins an older Flask runs it too (Quart's CLI: QUART_APP). Other commands are unchanged."""
    if len(argv) < 4 or argv[1] != "-m" or argv[2] not in ("flask", "quart"):
        return argv, ()
    name = f"{argv[2].upper()}_APP"
    if argv[3] in ("--app", "-A") and len(argv) > 4:
        return argv[:3] + argv[5:], ((name, argv[4]),)
    if argv[3].startswith("--app="):
        return argv[:3] + argv[4:], ((name, argv[3].partition("=")[2]),)
    return argv, ()


# `pw_migrate migrate --directory argv[1] [--database $DATABASE_URL]`: peewee-migrate's CLI group (its pw_migrate
# script, and `python -m peewee_migrate`, are the same click group); a conf.py in the folder naming DATABASE wins
PEEWEE_MIGRATE = """\
import os, sys
from peewee_migrate.cli import cli
args = ["migrate", "--directory", sys.argv[1]]
if os.environ.get("DATABASE_URL"):
    args += ["--database", os.environ["DATABASE_URL"]]
cli(args)
"""


_MIGRATE_FUNCTION = re.compile(r"^def migrate\(\s*migrator\b", re.MULTILINE)


def peewee_migrations(project: Project, prefix: str) -> str:
    """The folder below `prefix` ("" or "app/") holding peewee-migrate's migrations: numbered files
    (001_initial.py) that define migrate(migrator, database, ...), as `pw_migrate create` writes them; "" when none."""
    for folder in (f"{prefix}migrations", f"{prefix}db/migrations"):
        for rel in project.files:
            name = PurePosixPath(rel).name
            if rel.startswith(f"{folder}/") and "/" not in rel[len(folder) + 1:] and name[:1].isdigit() \
                    and name.endswith(".py") and _MIGRATE_FUNCTION.search(project.scan_text(rel) or ""):
                return folder
    return ""


def aerich_migrations(project: Project, prefix: str) -> bool:
    """pyproject.toml's [tool.aerich] (written by `aerich init`) names a migrations folder that holds
    migrations (`aerich init-db` writes the first into LOCATION/APP/)."""
    rel = f"{prefix}pyproject.toml"
    if not project.is_file(rel):
        return False
    try:
        tool = project.read_toml(rel).get("tool", {}).get("aerich")
    except UsageError:
        return False
    location = tool.get("location") if isinstance(tool, dict) and tool.get("tortoise_orm") else None
    if not isinstance(location, str) or not location.strip():
        return False
    folder = posixpath.normpath(posixpath.join(prefix or ".", location))
    return any(f.startswith(f"{folder}/") and f.endswith(".py") and PurePosixPath(f).name != "__init__.py"
               for f in project.files)


def _configures_alembic(project: Project, ini: str, cwd: str) -> bool:
    """Whether the ini has Alembic's [alembic] section, or Alembic 1.16's [tool.alembic] sits in the
    pyproject.toml of the folder alembic runs from."""
    if _has_alembic_section(project, ini):
        return True
    rel = posixpath.normpath(posixpath.join(cwd, "pyproject.toml"))
    try:
        return project.is_file(rel) and isinstance(project.read_toml(rel).get("tool", {}).get("alembic"), dict)
    except UsageError:
        return False


def _has_alembic_section(project: Project, rel: str) -> bool:
    text = project.scan_text(rel) if project.is_file(rel) else None
    return text is not None and any(line.strip().lower() == "[alembic]" for line in text.splitlines())
