"""The Plan: the single, frozen contract between detection and everything downstream.

It serializes to JSON (`shipyard inspect --json`) and back; the same input gives the same plan.
Paths inside a plan are POSIX and relative to the project root, so plans are portable and stable.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Mapping

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Entry:
    """How a server loads the app."""

    module: str                    # dotted module, importable from the plan's workdir ("app.app")
    attr: str                      # attribute ("app"), or a factory call ("create_app()")
    kind: str                      # "attribute" | "factory" | "django" | "paste" | "script" | "default_app"
    interface: str                 # "wsgi" | "asgi" | "aiohttp" | "sanic" | "tornado" (servers.py: who serves which)
    settings_module: str | None = None   # Django's DJANGO_SETTINGS_MODULE
    # django-configurations' DJANGO_CONFIGURATION (the settings class, "Dev"), which its wsgi.py defaults to: the
    # project's settings import only through configurations (`python -m configurations migrate`, configurations.setup())
    django_configuration: str | None = None
    paste_ini: str | None = None         # Pyramid paste ini, relative to workdir
    # names the paste ini interpolates without defining them (`sqlalchemy.url = %(DATABASE_URL)s`), which its
    # deployment passes as variables (`pserve production.ini DATABASE_URL=...`): given from the environment
    paste_vars: tuple[str, ...] = ()
    # development add-ons a development paste ini includes (pyramid_debugtoolbar, its debugger): left out in
    # production, the ini loaded through a derived one that uses it without them (paste_drop.py)
    paste_drops: tuple[str, ...] = ()
    starts_server_on_import: bool = False  # module calls app.run()/serve_forever() at top level
    async_factory: bool = False          # the factory is `async def`: the server awaits it (aiohttp's worker)
    # kind "script" (the module runs its own server in `attr`, e.g. main()): how it is told its port,
    # "--port" (a tornado.options `port`, given as --port=N), "PORT" (an environment variable it reads) or
    # "listen" (a port of its own: run through shipyard_entry.py, which binds its listen call to PORT)
    port_from: str | None = None
    # kind "script": its tornado.options that name database parts ("db_host", "db_port"...: script_options.py),
    # given the database serve or dev brings on its command line
    db_options: tuple[str, ...] = ()
    # kind "script" run as a console script of the project (setup.py's `serve_app = pkg:main`, [project.scripts]):
    # its name; the server runs it as that script does, calling `attr` of `module` (through shipyard_entry.py)
    console_script: str | None = None
    # development tools the factory imports (a debug toolbar, detect/probe.py DEV_TOOLS): where one is not
    # installed, as in production, the served entry (shipyard_entry.py) gives it a stand-in that does nothing
    dev_tools: tuple[str, ...] = ()
    # the folder (relative to the workdir) the module is imported from when it is not the workdir: a script run
    # as `python app/main.py` from the project's root imports its siblings from app/ (Python puts the script's
    # folder first on sys.path) while its framework finds files in the working directory (bottle's views/)
    import_folder: str | None = None
    # an ASGI 2 app ("double callable", as Channels 2's routers: app(scope) returns the instance to await with
    # receive and send), found by the import proof: servers speak ASGI 3, so it is served through shipyard_entry.py
    asgi2: bool = False
    # a Django entry that imports only once Django is set up (an asgi.py importing its consumers' models before
    # get_asgi_application()), found by the import proof: served through shipyard_entry.py, which sets it up first
    django_setup: bool = False
    # an ASGI entry that imports only inside a running event loop (a module starts an asyncio task at import), found
    # by the import proof: served through shipyard_entry.py, which imports it at the server's first call, in its loop
    loop_import: bool = False
    # the app finds a file beside sys.argv[0], the script Python runs (`os.path.dirname(sys.argv[0])`, Eve's
    # settings.py), as `python run.py` has it: under a server sys.argv[0] is the server's, so it is served through
    # shipyard_entry.py, which sets sys.argv[0] to the entry module's file first (detect/entry/script_folder.py)
    script_folder: bool = False
    # the entry module is a mod_wsgi script file (`api.wsgi`, relative to the folder the server runs from), which
    # Python cannot import by name: the import check and shipyard_entry.py load it by its path as the module first
    wsgi_file: str = ""
    # "gevent": importing the app monkey-patches the process with that library (frameworks.py
    # COOPERATIVE_PATCHES), so only gunicorn's worker of that library serves it (servers.py)
    cooperative: str | None = None
    # the module's `__main__` block sets the framework's own state before it starts its server (bottle's
    # TEMPLATE_PATH): the served entry (shipyard_entry.py) runs the module as __main__, as `python run.py`
    # does, with that start made a no-op, and serves the app it leaves
    main_setup: bool = False
    # the variable a module-level app passes to its factory (`create_app(os.getenv("FLASK_CONFIG") or "default")`)
    # and the production value the project offers for it (detect/entry/factory_env.py): given to the proof,
    # `serve` and the image, where nothing else sets it
    production_env: tuple[tuple[str, str], ...] = ()
    # the workdir is itself a package whose modules import each other relatively (`from .crud import router` in a
    # root main.py, run by its author as `uvicorn todoapp.main:app` from the folder above): the name it is imported
    # under, the workdir registered as that package first (detect/entry/root_package.py; the proof and
    # shipyard_entry.py), the module then imported as its submodule
    root_package: str | None = None

    @property
    def target(self) -> str:
        """The `module:attr` string gunicorn takes (paste apps: `paste:<ini>` is not used here)."""
        return f"{self.module}:{self.attr}"

    @property
    def django_env(self) -> dict[str, str]:
        """The variables Django's tools need to load the project's settings outside its wsgi.py."""
        named = {"DJANGO_SETTINGS_MODULE": self.settings_module, "DJANGO_CONFIGURATION": self.django_configuration}
        return {name: value for name, value in named.items() if value}


@dataclass(frozen=True)
class PythonVersion:
    version: str                   # "3.12"
    source: str                    # ".python-version", "requires-python in pyproject.toml", "default", ...


@dataclass(frozen=True)
class Dependency:
    name: str                      # distribution name, as on PyPI ("PyYAML")
    spec: str                      # requirement specifier without the name ("==6.0.1", ">=2", "")
    source: str                    # where it came from ("requirements.txt", "import yaml in app.py", ...)
    inferred: bool = False         # True when found from imports or strings, not declared

    @property
    def requirement(self) -> str:
        return f"{self.name}{self.spec}"


@dataclass(frozen=True)
class Service:
    name: str                      # "postgres" | "mysql" | "redis"
    reason: str                    # "psycopg2 in requirements.txt", "DATABASES ENGINE in mysite/settings.py"
    # the URL scheme the app's own files write for it, naming a driver it declares ("postgresql+asyncpg"):
    # the URL `serve` gives it carries the same (SQLAlchemy picks the driver from the scheme)
    scheme: str = ""
    # Redis: variables the code uses as its URL, whatever their names (CELERY_BROKER with a Redis URL for
    # default, CACHELOCATION in a django-redis LOCATION), and those it passes as a part of the address
    # (("CACHE_HOST", "HOST") from Redis(host=...))
    variables: tuple[str, ...] = ()
    parts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StaticDir:
    url: str                       # "/static/"
    path: str                      # folder relative to the project root ("app/static")
    # Django settings that name no STATIC_ROOT (startproject's): the image's collectstatic is given this folder of
    # its own (shipyard_runtime.py collectstatic); serve collects into a folder outside the app instead
    shipyard_root: bool = False


@dataclass(frozen=True)
class SystemPackages:
    """Debian packages: `build` only in the builder stage, `runtime` in the final image."""

    build: tuple[str, ...] = ()
    runtime: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # one line per package group, for the report


@dataclass(frozen=True)
class Release:
    """A command run once before the app serves (migrations, loaders)."""

    argv: tuple[str, ...]          # a leading "python" means the app's interpreter
    workdir: str                   # folder to run it from, relative to the project root
    what: str                      # for reports: "Django migrate", "the release command from [tool.shipyard]"
    declared: bool = False         # set by the user (always run), rather than detected (run when a database is used)
    env: tuple[tuple[str, str], ...] = ()   # variables the command needs wherever it runs: FLASK_APP for `flask`
    hint: str = ""                 # what to do when it fails, when more is known than "its own error is above"
    # the SQLite files the command itself opens by name (initdb.py's sqlite3.connect("todo.db")), relative to workdir:
    # where the database is when the app's config does not say (run/first_run.py)
    files: tuple[str, ...] = ()

    @property
    def shell(self) -> str:
        """The command as a user types it in a shell: `FLASK_APP=app:app python -m flask init-db`."""
        import shlex
        return " ".join([f"{k}={shlex.quote(v)}" for k, v in self.env] + [shlex.quote(a) for a in self.argv])


@dataclass(frozen=True)
class Proof:
    """Whether the entry was proven by importing it, in which environment, or why not."""

    proven: bool
    environment: str = ""          # "the app's .venv", "proof environment (12 packages, Python 3.11.2)"
    python: str = ""               # the interpreter that imported it
    reason: str = ""               # why it is not proven (offline, a package that does not build, --no-import)
    notes: tuple[str, ...] = ()    # how the environment was chosen (the Python asked for, resolution date)
    kind: str = ""                 # "app" (the user's own), "proof" (Shipyard's cache)
    # environment variables to set for the import to pass (it failed on the app's run-time configuration)
    variables: tuple[str, ...] = ()
    hint: str = ""                 # what to do about that configuration when it is not variables (copy a file)
    timed_out: bool = False        # the import did not finish within the limit (blocks, or a slow machine)
    needs_python: str = ""         # the Python the code is written for, not installed here: "3.14"
    code_error: bool = False       # the import raised in the app's own code (the entry is the static answer)
    asgi2: bool = False            # the imported app speaks ASGI 2 (its call takes only the scope)
    django_setup: bool = False     # the entry imports only once django.setup() has run
    loop_import: bool = False      # the entry imports only inside a running event loop
    # the import started a development server the static scan did not see (`socketio.run(app)` at a module's top
    # level), held by the probe: what it said; the entry is served through the shim that holds it likewise
    server_at_import: str = ""
    interface: str = ""            # the protocol the imported app speaks when the code read as another ("asgi")
    # the Python the pins installed or imported on, when not the one asked for ("3.7"), and why: the plan moves
    # to it (proving.py)
    moved_python: str = ""
    moved_because: str = ""
    # an older Python installed here to make the app's own environment again with, for an import that failed there
    # the way old code fails on a newer Python ("3.6"), and why: serve --install remakes a .venv it made itself
    older_python: str = ""
    older_because: str = ""
    # requirements the import needed beyond the app's ("setuptools<81": an installed package imports pkg_resources)
    seeded: tuple[str, ...] = ()
    # bounds the import needed on packages the app leaves open ("Django<3.0": a pinned release imports a module
    # the newer Django removed; proving.py), added to the app's requirement for them
    held: tuple[str, ...] = ()
    # releases the import proof moved forward ("flask-login==0.6.3"): a release the app's lock (or the resolver)
    # chose imports a name its exact pin of another package removed, and the first later release of it imports;
    # replaces the app's requirement for that package (proving.py)
    moved: tuple[str, ...] = ()
    # what to do about a failed import that names no variable to set (write the .gitignore'd file it needs)
    hint: str = ""


@dataclass(frozen=True)
class BuildHold:
    """A release the app pins whose source build needs older build tools than today's (build_holds.py): the
    image's builder builds it with `constraints` (uv --build-constraint), as installs here did."""

    release: str                   # "django-allauth==0.42.0"
    uses: str                      # what its setup.py uses: "setuptools.convert_path (removed in setuptools 70)"
    constraints: tuple[str, ...]   # ("setuptools<70",)


@dataclass(frozen=True)
class LaterRelease:
    """A package the app leaves open whose release of the app's day does not install or load here
    (later_releases.py): no wheel for its Python and no build (the first later release with a wheel is taken, else
    its newest release built once), or a wheel whose bundled library does not load (the next later release whose
    libraries load). Installs here took `instead`, and the image does too."""

    unbuilt: str                   # "greenlet==0.4.15", normalized name
    instead: str                   # "greenlet==1.1.3"
    python: str                    # "3.11"
    date: str                      # "2020-01-16": the day the app's open packages resolve as of

    @property
    def name(self) -> str:
        return self.unbuilt.partition("==")[0]

    @property
    def note(self) -> str:
        return (f"{self.unbuilt}, the release of {self.name} as of {self.date[:10]} (the app leaves it unpinned), "
                f"has no wheel for Python {self.python} and does not build on it: {self.instead}, the first later "
                f"one with a wheel for it, is installed instead")


@dataclass(frozen=True)
class Plan:
    name: str                      # project name, used for image tags and labels
    framework: str                 # a name in detect/frameworks.py FRAMEWORKS ("flask", "django", ...),
                                   # or "wsgi" | "asgi" for a plain callable
    entry: Entry
    workdir: str                   # folder to run from, relative to the project root ("." or "src")
    python: PythonVersion
    dependencies: tuple[Dependency, ...]
    dependency_files: tuple[str, ...]     # declared sources found (relative paths)
    dependencies_inferred: bool           # True when requirements.txt must be generated
    services: tuple[Service, ...]
    env_vars: tuple[str, ...]             # environment variables the code reads
    static: tuple[StaticDir, ...]
    system_packages: SystemPackages
    settings: Mapping[str, Any]           # resolved settings (see settings.py), by name
    notes: tuple[str, ...] = ()           # things the user should know (e.g. app.run() at import)
    release: Release | None = None        # run once before serving (compose one-off service, `shipyard migrate`)
    proof: Proof | None = None            # the import proof (None: not attempted, e.g. static detection)
    package: bool = False                 # the app is itself a package (setup.py, or [project] + [build-system])
    # the project's own distributions the app imports, folders under the root with their own packaging file
    # (greeter-lib/setup.py, installed by hand in its README: `pip install -e ./greeter-lib`): installed too
    local_distributions: tuple[str, ...] = ()
    # the app's own database-initialisation command (its `init-db`): run once, on a database that does not
    # exist yet; never on every deploy unless it is also the release (only when it is idempotent)
    first_run: Release | None = None
    # variables the code puts into Django's ALLOWED_HOSTS (detect/hosts_vars.py): (name, how it splits them:
    # "," or " ", "" for one host): serve, dev and the stacks give them the host names they answer at
    hosts_variables: tuple[tuple[str, str], ...] = ()
    # (variable, value) of each variable whose value picks the app's production configuration from its own
    # choices (detect/config_choice.py: `if os.environ['myproject'] == 'production': from .production import *`),
    # beyond the entry's production_env: serve sets them (appconfig.py), and the image's ENV does too
    config_env: tuple[tuple[str, str], ...] = ()
    build_holds: tuple[BuildHold, ...] = ()   # old sdists among the pins, built with older build tools
    # (the app's requirement, why) of the exact pins an install here left out as leftovers of a pip freeze
    # (pin_conflicts.LeftOut): installs skip them, the image's uv --override drops them
    left_out: tuple[tuple[str, str], ...] = ()
    # packages the app leaves open whose release of its day did not install on its Python here (later_releases.py):
    # the image takes the same later release (uv -c, exempt from the resolution date), as serve's install did
    later_releases: tuple[LaterRelease, ...] = ()
    # why the app writes a SQLite file where it runs ("sqlite:// URL in app/config.py"; detect/sqlite_use.py)
    sqlite: str = ""
    # the SQL dump the app's README loads by hand, or the files its own PostgreSQL container's initdb folder runs,
    # in their order (detect/sql_dump.py), relative to the project root: `serve` loads them as the first run,
    # compose's PostgreSQL when its volume is new (shipyard-initdb.sh)
    sql_dump: tuple[str, ...] = ()
    # the day the packages the app leaves open resolve as of (uv --exclude-newer, "2019-05-02T00:00:00Z"): its
    # dependency files' last change, for an old app (environments.resolution_date); "" resolves as of today
    resolution_date: str = ""
    # NAME==VERSION of the packages the app's lock file pins that its requirements do not name
    # (environments.lock_constraints): the image's installs take them as constraints, as serve's do
    locked: tuple[str, ...] = ()
    # names of lines in the app's requirements files that no index has (the pkg-resources==0.0.0 Debian's pip
    # freeze writes; deps.freeze_artifacts): installs skip them, the image's uv --override drops them
    unavailable: tuple[str, ...] = ()
    # folders of Django models the repository has no migrations for (detect/django_unmigrated.py), when the release
    # is Django's migrate: it makes theirs first, outside the app's code (run/migrate.py MAKE_AND_MIGRATE)
    unmigrated_models: tuple[str, ...] = ()
    # variables the code reads, with no default, into its framework's secret key (detect/secret_vars.py): serve
    # gives them a throwaway; build's check does too, and the compose stack's secrets file a random one
    secret_key_variables: tuple[str, ...] = ()
    # variables a Django project reads as its DATABASES ENGINE (detect/engine_vars.py): serve names its
    # PostgreSQL's backend there, so do the stacks beside their PostgreSQL
    engine_variables: tuple[str, ...] = ()
    # variables the code reads, with no default, only as a logging handler's file (detect/log_vars.py): serve, dev
    # and the proof give each a file of their own; the image's ENV one in its writable run folder
    log_file_variables: tuple[str, ...] = ()
    # SQLite files the code names by a path of its author's machine (detect/foreign_sqlite.py): (that path, the
    # project's file of that name or ""): serve and dev open that file instead, and so does the image
    foreign_sqlite: tuple[tuple[str, str], ...] = ()
    # (variable, value) of a switch between SQLite and PostgreSQL in a Django project's settings (`if USE_SQLITE:`,
    # detect/database_switch.py): the value that takes PostgreSQL's branch, which the stacks give beside theirs
    database_switches: tuple[tuple[str, str], ...] = ()
    # an Alembic history that may give way to the models' tables on a new database (detect/models_fallback.py): why
    # (for the warning), then the tables one of which the upgrade's error must name (none: any error); the image's
    # release runs the upgrade through the runtime's `alembic-upgrade`, which falls back as serve does
    models_fallback: tuple[str, ...] = ()
    # locales the code sets by name (`locale.setlocale(locale.LC_ALL, "en_US.UTF-8")`; detect/locale_names.py),
    # which a slim image lacks as much as a machine that never generated them: the image compiles them (LOCPATH)
    locales: tuple[str, ...] = ()
    # (name, value, where) of the settings the code requires that only the app's example env file or README's .env
    # gives (detect/example_settings.py): build's check and the compose stack's secrets file start from them
    example_settings: tuple[tuple[str, str, str], ...] = ()
    # folders, relative to where the app runs, that its own compose file gives a named volume (detect/data_volumes.py):
    # the app writes there, so the image makes them, owned by its user
    data_folders: tuple[str, ...] = ()
    # folders, relative to the project root, that the code makes where it runs (os.makedirs(...'log'),
    # detect/made_folders.py): the image makes them too, owned by its user
    made_folders: tuple[str, ...] = ()
    # folders, relative to the project root, that Starlette's StaticFiles is mounted on and the checkout lacks (git
    # keeps no empty folder; detect/services.py absent_static_folders): StaticFiles refuses a missing one at import,
    # so serve, dev and the image make them, empty
    absent_static_folders: tuple[str, ...] = ()
    # folders, relative to the project root, of the log files the code opens in a folder the checkout lacks
    # (detect/log_files.py absent_log_folders: a .gitignore'd runtime/log/): serve and dev make them, the image too
    # (they are in made_folders as well)
    absent_log_folders: tuple[str, ...] = ()
    # folders, relative to the project root, of the SQLite files the code names by a relative path in a folder the
    # checkout lacks (detect/sqlite_folders.py: sqlite:///data/app.db, no data/ committed): serve and dev make them,
    # the image too (they are in made_folders as well)
    absent_sqlite_folders: tuple[str, ...] = ()
    # absolute folders of the log files the code names on its author's server, which this machine lacks
    # (detect/log_files.py foreign_log_folders: LOGGING's /home/ubuntu/.../log/debug.log): serve and dev open the
    # files in Shipyard's folder for the app, the image makes the folders, owned by the app's user
    foreign_log_folders: tuple[str, ...] = ()
    # the log files themselves (foreign_log_files), in those folders: what serve and dev open in their place, read
    # from the plan at each start (a plan written before this field reads as none)
    foreign_log_files: tuple[str, ...] = ()
    # variables named like a database part whose value in the app's code is a URL scheme (POSTGRES_NAME =
    # "postgresql", read into `f"{POSTGRES_NAME}://..."`): serve leaves them to the app, and so do the stacks
    scheme_variables: tuple[str, ...] = ()
    # root-level SQLite databases the app's git repository tracks (detect/committed_db.py): its data, which the
    # image holds (the .dockerignore's local-database patterns get an exception for each)
    committed_databases: tuple[str, ...] = ()
    # log files the code opens by a relative name where it runs (detect/log_files.py), relative to the project root:
    # the image makes them, owned by the app's user
    log_files: tuple[str, ...] = ()
    # exact pins whose source archive uv cannot unpack (pip_built.py): the image's builder has pip make their wheels
    pip_built: tuple[str, ...] = ()
    # ((release, requirement lines), ...): exact pins whose sdist's build imports packages the app requires
    # (build_needs.py: peewee-db-evolve 3.7.0 and the app's peewee==3.8.2): the image's builder gives uv them as
    # extra build dependencies, as installs here did
    build_needs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # dependency files that are conda package lists (`conda list --export`: flask=1.1.1=py_0 lines,
    # detect/conda_list.py), which pip cannot read: their versions pin the dependencies, and the image installs
    # those (as serve does), never the list itself
    conda_lists: tuple[str, ...] = ()
    # where a Django app's code imports django.contrib.postgres's fields ("rooms/models.py:1",
    # detect/postgres_fields.py): on committed settings of SQLite, the image runs them on the stack's PostgreSQL
    # (render.image_settings_env), as serve does on its own
    postgres_fields: str = ""
    # code the app's compose service bind-mounts into its code folder from elsewhere in the project
    # (detect/mounted_code.py: `./cassandra_orm:/app/cassandra_orm` beside `./core:/app`): (the project's path, the
    # path in the app's folder it is mounted at), both relative to the project root; the image links each there
    mounted_code: tuple[tuple[str, str], ...] = ()
    # folders outside the project the app's code puts on sys.path (detect/outside_paths.py: `sys.path.append(
    # "../scripts/")` in a subfolder served on its own), relative to the project root: Shipyard's builds copy them
    # into the image at the same place relative to its app folder, compose mounts them there
    outside_code: tuple[str, ...] = ()
    schema: int = SCHEMA_VERSION

    @property
    def interface(self) -> str:
        return self.entry.interface

    @property
    def build_constraints(self) -> tuple[str, ...]:
        """Every build constraint of the plan's holds, once each (uv takes every line: the strictest wins)."""
        return tuple(dict.fromkeys(c for h in self.build_holds for c in h.constraints))

    @property
    def server_dependencies(self) -> tuple[Dependency, ...]:
        """The production server's packages, which the planner adds to the app's own dependencies."""
        return tuple(d for d in self.dependencies if d.source.startswith("production server"))

    @property
    def needs_postgres(self) -> bool:
        return needs_postgres(self.settings, self.services)

    @property
    def needs_mysql(self) -> bool:
        """`serve`/`dev` bring a MariaDB of the app's own (run/mysql_database.py)."""
        return needs_mysql(self.settings, self.services)

    @property
    def needs_database_server(self) -> bool:
        """The generated stacks bring a database server for the app: PostgreSQL, or MariaDB for a MySQL app."""
        return self.needs_postgres or self.needs_mysql

    @property
    def needs_redis(self) -> bool:
        """`serve`/`dev` bring a Redis of the app's own (run/redis.py)."""
        return self.settings.get("redis", "auto") != "none" and any(s.name == "redis" for s in self.services)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["settings"] = {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(self.settings.items())}
        data["entry"]["target"] = self.entry.target
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Plan":
        entry = {k: tuple(v) if isinstance(v, list) else v for k, v in data["entry"].items() if k != "target"}
        entry["production_env"] = tuple(tuple(pair) for pair in entry.get("production_env", ()))
        settings = {k: tuple(v) if isinstance(v, list) else v for k, v in data["settings"].items()}
        return cls(
            name=data["name"],
            framework=data["framework"],
            entry=Entry(**entry),
            workdir=data["workdir"],
            python=PythonVersion(**data["python"]),
            dependencies=tuple(Dependency(**d) for d in data["dependencies"]),
            dependency_files=tuple(data["dependency_files"]),
            dependencies_inferred=data["dependencies_inferred"],
            services=tuple(Service(**{**s, "variables": tuple(s.get("variables", ())),
                                         "parts": tuple(tuple(p) for p in s.get("parts", ()))})
                           for s in data["services"]),
            env_vars=tuple(data["env_vars"]),
            static=tuple(StaticDir(**s) for s in data["static"]),
            system_packages=SystemPackages(**{k: tuple(v) for k, v in data["system_packages"].items()}),
            settings=settings,
            notes=tuple(data.get("notes", ())),
            release=_release(data.get("release")),
            proof=Proof(**{**data["proof"], **{key: tuple(data["proof"].get(key, ()))
                                               for key in ("notes", "variables", "seeded", "held", "moved")}})
            if data.get("proof") else None,
            package=data.get("package", False),
            local_distributions=tuple(data.get("local_distributions", ())),
            first_run=_release(data.get("first_run")),
            hosts_variables=tuple(tuple(h) for h in data.get("hosts_variables", ())),
            config_env=tuple(tuple(c) for c in data.get("config_env", ())),
            build_holds=tuple(BuildHold(**{**h, "constraints": tuple(h["constraints"])})
                              for h in data.get("build_holds", ())),
            left_out=tuple(tuple(x) for x in data.get("left_out", ())),
            later_releases=tuple(LaterRelease(**m) for m in data.get("later_releases", ())),
            sqlite=data.get("sqlite", ""),
            sql_dump=_paths(data.get("sql_dump", ())),
            resolution_date=data.get("resolution_date", ""),
            locked=tuple(data.get("locked", ())),
            unavailable=tuple(data.get("unavailable", ())),
            unmigrated_models=tuple(data.get("unmigrated_models", ())),
            secret_key_variables=tuple(data.get("secret_key_variables", ())),
            engine_variables=tuple(data.get("engine_variables", ())),
            log_file_variables=tuple(data.get("log_file_variables", ())),
            foreign_sqlite=tuple(tuple(p) for p in data.get("foreign_sqlite", ())),
            database_switches=tuple(tuple(s) for s in data.get("database_switches", ())),
            models_fallback=tuple(data.get("models_fallback", ())),
            locales=tuple(data.get("locales", ())),
            committed_databases=tuple(data.get("committed_databases", ())),
            log_files=tuple(data.get("log_files", ())),
            pip_built=tuple(data.get("pip_built", ())),
            build_needs=tuple((r, tuple(lines)) for r, lines in data.get("build_needs", ())),
            conda_lists=tuple(data.get("conda_lists", ())),
            example_settings=tuple(tuple(x) for x in data.get("example_settings", ())),
            data_folders=tuple(data.get("data_folders", ())),
            made_folders=tuple(data.get("made_folders", ())),
            absent_static_folders=tuple(data.get("absent_static_folders", ())),
            absent_log_folders=tuple(data.get("absent_log_folders", ())),
            absent_sqlite_folders=tuple(data.get("absent_sqlite_folders", ())),
            foreign_log_folders=tuple(data.get("foreign_log_folders", ())),
            foreign_log_files=tuple(data.get("foreign_log_files", ())),
            scheme_variables=tuple(data.get("scheme_variables", ())),
            postgres_fields=data.get("postgres_fields", ""),
            mounted_code=tuple(tuple(m) for m in data.get("mounted_code", ())),
            outside_code=tuple(data.get("outside_code", ())),
            schema=data.get("schema", SCHEMA_VERSION),
        )

    @classmethod
    def from_json(cls, text: str) -> "Plan":
        return cls.from_dict(json.loads(text))

    def with_settings(self, **changes: Any) -> "Plan":
        return dataclasses.replace(self, settings={**self.settings, **changes})


def _paths(data: str | list[str]) -> tuple[str, ...]:
    """A list of paths, or one (a plan of before several files: "" for none)."""
    return (data,) if isinstance(data, str) and data else tuple(data) if not isinstance(data, str) else ()


def _release(data: Mapping[str, Any] | None) -> Release | None:
    if not data:
        return None
    return Release(**{**data, "argv": tuple(data["argv"]), "env": tuple(tuple(pair) for pair in data.get("env", ())),
                      "files": tuple(data.get("files", ()))})


def needs_postgres(settings: Mapping[str, Any], services: tuple[Service, ...]) -> bool:
    """The app runs on PostgreSQL: the `db` setting says so, or, left to auto, a service found says so."""
    db = settings.get("db", "auto")
    if db == "auto":
        return any(s.name == "postgres" for s in services)
    return db == "postgres"


def needs_mysql(settings: Mapping[str, Any], services: tuple[Service, ...]) -> bool:
    """The app runs on MySQL: the `db` setting says so, or, left to auto, a MySQL service is found and no
    PostgreSQL one (an app with drivers of both runs on PostgreSQL, as its production files say)."""
    db = settings.get("db", "auto")
    if db == "auto":
        return any(s.name == "mysql" for s in services) and not needs_postgres(settings, services)
    return db == "mysql"
