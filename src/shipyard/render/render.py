"""render(plan, target) -> {path: text}: the production files of one app, with no side effects.

One Jinja2 template per output (templates/*.j2), rendered with StrictUndefined so a missing value is an
error. Everything the templates need is computed here, from the plan and the target only.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import posixpath
import pprint
import re
import shlex
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import jinja2
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from .. import __version__, build_needs, locales, paste_drop, serve_settings, servers, sizing
from ..environments import exempt_from_date
from ..errors import UsageError
from ..detect import deps, dockerfile_pip, holds, plain_requirements, probe
from ..detect.pyversion import official_image
from ..detect.entry.local_distribution import editable_target
from ..detect.written_db import WrittenDatabase
from ..detect.generated import SECRETS_FILE
from ..plan import Dependency, Entry, Plan
from ..project import compose_project_name
from ..dburl import url_scheme
from ..redis_vars import redis_env
from ..served_hosts import local_hosts_env
from ..venv_seed import SEED, is_seeded
from . import mysql_service
from .database_setup import database_setup, probe_sources, server_first_run
from .listen_port import listen_variable
from .release_argv import MADE_MIGRATIONS, MAKE_AND_MIGRATE, falls_back_to_models, makes_migrations, release_argv
from ..run import host_aliases
from ..run.alembic_cli import UPGRADE_ELSE_MODELS
from .db_login import PORT as POSTGRES_PORT, libpq_local_host, login_env, stack_login, written_note
from .stamp import stamp
from .target import Target

# the image's sitecustomize (run/host_aliases.py's, as serve's) that opens a SQLite file the code names by a path
# of its author's machine (detect/foreign_sqlite.py) where the image has it instead (image_sqlite_env)
SQLITE_BOOT = "shipyard_boot/sitecustomize.py"
# the image's copy of serve's settings module (serve_settings.py), beside it: models of django.contrib.postgres's
# fields on committed settings of SQLite run on the stack's PostgreSQL (image_settings_env)
BOOT_SETTINGS = f"shipyard_boot/{serve_settings.MODULE}.py"
# in the build context of Shipyard's own builds (build, verify, swarm): the folders outside the project that the
# code puts on sys.path (plan.outside_code), each at its place in the image under it (.shipyard-outside/scripts)
OUTSIDE_DIR = ".shipyard-outside"
# the image's own top-level folders: code outside the project that would land in one of them is left out (said)
_SYSTEM_DIRS = frozenset({"bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "media", "mnt",
                          "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp", "usr", "var"})
# output path -> template; the order is the order init reports files in
TEMPLATES = {
    "Dockerfile": "Dockerfile.j2",
    ".dockerignore": "dockerignore.j2",
    "requirements.txt": "requirements.txt.j2",
    "gunicorn.conf.py": "gunicorn.conf.py.j2",
    "uwsgi.ini": "uwsgi.ini.j2",
    "shipyard_runtime.py": "shipyard_runtime.py.j2",
    "shipyard_entry.py": "shipyard_entry.py.j2",
    "nginx.conf": "nginx.conf.j2",
    "supervisord.conf": "supervisord.conf.j2",
    "compose.yaml": "compose.yaml.j2",
    "compose.dev.yaml": "compose.dev.yaml.j2",
    "shipyard-initdb.sh": "initdb.sh.j2",
    SQLITE_BOOT: "sitecustomize.py.j2",
    BOOT_SETTINGS: "boot_settings.py.j2",
}
SERVER_CONFIG = {"gunicorn": ("gunicorn.conf.py",), "uwsgi": ("uwsgi.ini",), "granian": (), "tornado": (), "aiohttp": ()}
TOPOLOGY_FILES = {"app": (), "bundle": ("nginx.conf", "supervisord.conf"),
                  "compose": ("nginx.conf", "compose.yaml", "compose.dev.yaml")}
SUPERVISOR_PACKAGE = "supervisor>=4.2,<5"
LOCALE_DIR = "/opt/locales"     # the locales the app sets by name, compiled in the builder (LOCPATH)
# The health check's start period: failed checks in it do not count, a passing one ends it. An image that asks
# the app where its SQLite files are before its server starts (render/database_setup.py) runs each finder, an
# import of the app, for up to SQLITE_PROBE_TIMEOUT seconds: its start period covers them all, or a loaded host's
# slow probes read as a dead app (verify's "unhealthy", `up`'s "dependency failed to start").
# Each step it runs there (a migrate, create_all) has no time limit of its own: SETUP_STEP_ALLOWANCE is added for
# each (a Django 4.2 blog's migrate on a new SQLite file, at load 20, left the image "unhealthy" at 55 s).
HEALTH_START_PERIOD = 30
SQLITE_PROBE_TIMEOUT = 25
SETUP_STEP_ALLOWANCE = 30
POSTGRES_IMAGE = "postgres:17"
NGINX_IMAGE = "nginx:1.27"
REDIS_IMAGE = "redis:7.4"
POSTGRES_HOST = "db"                # the compose/Swarm service name the app reaches its PostgreSQL (or MariaDB) by
REDIS_HOST = "redis"                # the compose/Swarm service name the app reaches its Redis by
REDIS_PORT = 6379
NGINX_COMPOSE_PORT = 8080           # unprivileged, so the nginx container runs as its non-root user
STATIC_VOLUME = "/srv/static"       # compose: the volume nginx serves static files from, filled from the image
DUMP_FOLDER = "/shipyard-dump"      # compose: where the db service sees the SQL files it loads (loads_sql_dump)
# generated only for an app that starts a dev server when imported, or whose factory granian cannot call
ENTRY_SHIM = "shipyard_entry.py"
# Connections the kernel queues for nginx and the app server (uWSGI's default, 100, makes nginx answer
# 502 at a few hundred clients). Linux caps it at net.core.somaxconn (4096 since 5.4).
LISTEN_BACKLOG = 1024
# granian's blocking threads per WSGI worker when `threads` is 0: as fast as 1 on a hello-world app and
# twice the concurrency for apps that wait on a database (docs/performance.md).
GRANIAN_WSGI_THREADS = 2
# CPUs per granian worker when `workers` is 0: each worker keeps a Python thread and its Rust I/O thread
# busy, and nginx shares the CPUs. On 2 CPUs one worker gave 13.6k req/s, p99 11 ms; two gave 12.0k, 14 ms
# (docs/performance.md).
GRANIAN_CPUS_PER_WORKER = 2


def files_for_topology(topology: str, server: str, dependencies_inferred: bool = False) -> tuple[str, ...]:
    """The files a topology and server produce, in report order."""
    wanted = {"Dockerfile", ".dockerignore", "shipyard_runtime.py", *SERVER_CONFIG[server],
              *TOPOLOGY_FILES[topology]}
    if dependencies_inferred:
        wanted.add("requirements.txt")
    return tuple(name for name in TEMPLATES if name in wanted)


def files_for(plan: Plan) -> tuple[str, ...]:
    names = files_for_topology(plan.settings["topology"], plan.settings["server"], _generated_requirements(plan))
    if needs_shim(plan):
        names += ("shipyard_entry.py",)
    if loads_sql_dump(plan) or (md5_logins(plan) and plan.settings["topology"] == "compose"):
        names += ("shipyard-initdb.sh",)
    if plan.foreign_sqlite:
        names += (SQLITE_BOOT,)
    if postgres_models_on_sqlite(plan):
        names += (BOOT_SETTINGS,)
    return names


# psycopg2's wheels of 2.7.0-2.7.3.2 bundle libpq 9.6 (2.7.4 moved to libpq 10), for Pythons up to 3.6: a client
# older than SCRAM logins, PostgreSQL's default since 14 ("authentication method 10 not supported")
_PRE_SCRAM_PSYCOPG2 = (SpecifierSet(">=2.7,<2.7.4"), "3.6")


def md5_logins(plan: Plan) -> str:
    """Why the stack's PostgreSQL stores its role's password as md5 and asks md5 logins ("" when it does not): the
    app pins a psycopg2 whose wheel for the image's Python bundles a libpq older than SCRAM, as `serve` finds
    by asking the installed one (run/database.py's fit_client)."""
    if not plan.needs_postgres:
        return ""
    minor = tuple(int(p) for p in plan.python.version.split(".")[:2] if p.isdigit())
    if minor > tuple(int(p) for p in _PRE_SCRAM_PSYCOPG2[1].split(".")):
        return ""
    for dep in plan.dependencies:
        pin = dep.requirement.partition(";")[0].replace(" ", "")
        name, _, version = pin.partition("==")
        if name.lower() in ("psycopg2", "psycopg2-binary") and version:
            try:
                if Version(version) in _PRE_SCRAM_PSYCOPG2[0]:
                    return (f"the app's {name}=={version} wheel bundles libpq 9.6, older than SCRAM logins "
                            f"(PostgreSQL 10)")
            except InvalidVersion:
                return ""
    return ""


def loads_sql_dump(plan: Plan) -> bool:
    """compose's PostgreSQL loads the SQL dump the app's README loads by hand, through the official image's
    /docker-entrypoint-initdb.d (run once, when the data volume is new), as `serve` does into its own."""
    return bool(plan.sql_dump) and plan.needs_postgres and plan.settings["topology"] == "compose"


def dump_mounts(paths: tuple[str, ...]) -> list[tuple[str, str]]:
    """(the host file, where shipyard-initdb.sh reads it) of each file it loads, in order: its own name in
    DUMP_FOLDER, or numbered when two files share a name."""
    names = [PurePosixPath(path).name for path in paths]
    unique = len(set(names)) == len(names)
    return [(f"./{path}", f"{DUMP_FOLDER}/{name if unique else f'{i:02d}-{name}'}")
            for i, (path, name) in enumerate(zip(paths, names), 1)]


def needs_shim(plan: Plan) -> bool:
    """The server imports shipyard_entry.py instead of the entry: the app starts a dev server when imported,
    it is bottle's default app (no name to load), it is imported from another folder than the one it runs
    from (import_folder), granian (whose --factory calls with no arguments and does not await) must load a
    factory that takes arguments or is async, the app's folder is a package it is imported as (root_package),
    the app object gives its WSGI callable by a method or an attribute (web.py's
    app.wsgifunc(), Dash's app.server), the app speaks ASGI 2 (servers speak ASGI 3), a Django entry
    imports only once Django is set up, it finds files beside sys.argv[0] (script_folder: the shim sets it to the
    entry's file, as `python app.py` has it), its module sets the framework up under `__main__` (the shim runs it as
    __main__), a script listens on a port of its own (the shim runs it with that port rebound), or a console
    script's function starts the server (the shim calls it, as the installed script does)."""
    e = plan.entry
    if e.kind == "script":
        return e.port_from == "listen" or bool(e.console_script)
    awkward_factory = e.kind == "factory" and (e.async_factory or not e.attr.endswith("()"))
    # no server calls an async factory with arguments (aiohttp's worker awaits it without any)
    async_with_args = e.async_factory and not e.attr.endswith("()")
    # `app.wsgifunc()` (web.py), `app.server` (Dash): servers load a name or a top-level function's call, not a
    # method's call or an attribute (gunicorn takes neither)
    method_call = "." in e.attr.split("(")[0]
    return e.starts_server_on_import or e.kind == "default_app" or bool(e.import_folder) or async_with_args or \
        bool(e.root_package) or \
        method_call or \
        bool(e.dev_tools) or e.asgi2 or e.django_setup or e.main_setup or e.loop_import or e.script_folder or \
        bool(e.wsgi_file) or \
        (plan.settings["server"] == "granian" and awkward_factory)


def output_path(plan: Plan, name: str) -> str:
    """Where a rendered file goes, relative to the project root: the entry shim sits in the folder the
    server runs from, so it imports like the app's own modules; everything else at the root."""
    if name == ENTRY_SHIM and plan.workdir not in ("", "."):
        return f"{plan.workdir.strip('/')}/{name}"
    return name


def served_entry(plan: Plan) -> Entry:
    """What the server imports: the plan's entry, or the shim that neutralizes a dev server started at
    import (shipyard_entry.py); a script entry stays one (the shim runs it as a script)."""
    if not needs_shim(plan) or plan.entry.kind == "script":
        return plan.entry
    return dataclasses.replace(plan.entry, module=ENTRY_SHIM[:-3], attr="app", kind="attribute")


def render(plan: Plan, target: Target | None = None, *, only: tuple[str, ...] | None = None,
           cache_mount: bool = False, written: WrittenDatabase | None = None,
           aliases: dict[str, tuple[str, ...]] | None = None, redis_password: str = "") -> dict[str, str]:
    """Every file of the plan's topology (or just `only`), each stamped with the generated-file header.

    `cache_mount` gives the Dockerfile a pip cache mount, for builders that have one (BuildKit, buildah);
    without it the Dockerfile also builds with Docker's legacy builder. `written`: the database login the app
    writes (init's), whose local host the stack's processes take to the database's (db_login.libpq_local_host).
    `aliases`: the host names the code writes that the stack's db and redis services answer to as well
    (stack_aliases.py; init's). `redis_password`: the one the code sends the Redis it writes
    (stack_aliases.stack_redis_password; init's): the stack's Redis asks for it, and its Redis variables carry it."""
    target = target or Target.image()
    ctx = {**context(plan, target), "cache_mount": cache_mount, "service_aliases": aliases or {},
           "redis_password": redis_password,
           # every topology's image: compose's and Swarm's db service, the cluster's {name}-db (PGHOST names them)
           "pghostaddr_from_pghost": libpq_local_host(plan, written),
           "pip_cache": "--mount=type=cache,target=/root/.cache/pip " if cache_mount else "",
           "uv_cache": "--mount=type=cache,target=/root/.cache/uv " if cache_mount else ""}
    if ctx["pghostaddr_from_pghost"] and ctx["release"] and "shipyard_runtime.py" not in " ".join(
            ctx["release"]["command"]):
        # the release (create_db.py, alembic) connects the way the app does: through the runtime, which sets
        # PGHOSTADDR first
        ctx["release"] = {**ctx["release"], "command": [target.python, f"{target.config_dir}/shipyard_runtime.py",
                                                        "exec", *ctx["release"]["command"]]}
    if redis_password and plan.needs_redis:
        ctx["redis_env"] = redis_env(plan, REDIS_HOST, REDIS_PORT, password=redis_password)
    names = only if only is not None else files_for(plan)
    return {output_path(plan, name): stamp(_env().get_template(TEMPLATES[name]).render(ctx)) for name in names}


def render_template(template: str, ctx: dict[str, Any]) -> str:
    """One template with a context built from `context()` (deployment targets add their own keys)."""
    return stamp(_env().get_template(template).render(ctx))


def check_supported(plan: Plan) -> None:
    servers.check(plan.settings["server"], plan.interface, plan.entry.target, plan.entry.kind)
    if plan.entry.kind == "paste" and plan.settings["server"] == "granian":
        raise UsageError("granian cannot load a Pyramid paste .ini", "use --server gunicorn or --server uwsgi")
    if plan.entry.paste_drops and plan.settings["server"] == "uwsgi":
        raise UsageError(f"uWSGI loads {plan.entry.paste_ini} as written, with {', '.join(plan.entry.paste_drops)} "
                         "(a development debugger)", "use --server gunicorn, which leaves it out, or write a "
                         "production.ini without it")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("shipyard.render", "templates"),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, autoescape=False)
    env.filters["json"] = lambda value: json.dumps(value)
    env.filters["shquote"] = lambda value: shlex.quote(str(value))
    env.filters["nginxquote"] = nginx_quote
    return env


_NGINX_PLAIN = re.compile(r"[^\s;{}\"'\\#]+")


def nginx_quote(value: object) -> str:
    """An nginx argument: as is when plain, else double-quoted (a folder with a space would otherwise
    split `alias /my app/static/;` into two arguments, and nginx refuses the file)."""
    text = str(value)
    if _NGINX_PLAIN.fullmatch(text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dev_server_patches() -> str:
    """The probe's dev-server patches (detect/probe.py, between its markers), for shipyard_entry.py."""
    source = inspect.getsource(probe)
    start = source.index("# --- dev-server patches")
    end = source.index("# --- end of dev-server patches ---")
    return source[source.index("\n", start) + 1:end].strip() + "\n"


SIZING_IMPORTS = ("import math", "import os")   # the templates that embed sizing.py import these at their top


def _sizing_source() -> str:
    """The body of shipyard/sizing.py (its constants and functions), embedded into generated Python files. Its
    imports are the host file's own, at its top: embedded, they read as a second `import os` mid-file."""
    source = inspect.getsource(sizing)
    body = source[source.index("import math"):]
    imports = tuple(line for line in body.splitlines() if line.startswith(("import ", "from ")))
    if imports != SIZING_IMPORTS:
        raise AssertionError(f"sizing.py imports {imports}: the templates embedding it import {SIZING_IMPORTS}")
    return "\n".join(line for line in body.splitlines() if line not in SIZING_IMPORTS).strip() + "\n"


def _paste_drop_source() -> str:
    """The body of shipyard/paste_drop.py (imports, the table and derived_ini), embedded into gunicorn.conf.py."""
    source = inspect.getsource(paste_drop)
    return source[source.index("import configparser"):].rstrip() + "\n"


def image_log_files(plan: Plan, target: Target) -> tuple[tuple[str, str], ...]:
    """(variable, file) for each variable the code reads with no default only as a logging handler's file
    (plan.log_file_variables): a file in the image's writable run folder, as serve gives one in its own folder
    for the app. Unset, Django stops at start-up ("Unable to configure handler 'file'"). `docker run -e` still
    names another."""
    if not target.in_image:
        return ()
    taken = {name for name, _ in (*plan.entry.production_env, *plan.config_env)}
    return tuple((name, f"{target.run_dir}/{name.lower()}.log") for name in plan.log_file_variables
                 if name not in taken)


def image_sqlite_env(plan: Plan, target: Target) -> tuple[tuple[str, str], ...]:
    """The image's variables for the SQLite files the code names by a path of its author's machine: each
    (SHIPYARD_SQLITE_PATHS_1...: the ENV holds no line break) maps that path to the project's file of that name (a
    committed urls.db, which keep-databases makes the app's to write), else to that name in the folder the app runs
    from (writable by the app when it keeps SQLite files), and PYTHONPATH puts the sitecustomize that does it
    (SQLITE_BOOT) first, as serve and dev do (run/host_aliases.py)."""
    if not target.in_image or not plan.foreign_sqlite:
        return ()
    out = []
    for n, (written, here) in enumerate(plan.foreign_sqlite, 1):
        # PureWindowsPath reads either kind of path (a backslash or a slash separates)
        opened = target.app_path(here or str(PurePosixPath(plan.workdir) / PureWindowsPath(written).name))
        out.append((f"{host_aliases.SQLITE_VARIABLE}_{n}", f"{written}={opened}"))
    boot = target.app_path(str(PurePosixPath(SQLITE_BOOT).parent))
    return (*out, ("PYTHONPATH", boot))


def postgres_models_on_sqlite(plan: Plan) -> bool:
    """A Django app whose models import django.contrib.postgres's fields (plan.postgres_fields) while its committed
    settings give SQLite (plan.sqlite), its PostgreSQL driver declared (the stack brings a PostgreSQL): the author's
    real DATABASES were in uncommitted local settings. On SQLite, migrate fails at the first such field."""
    return (plan.framework == "django" and bool(plan.postgres_fields) and bool(plan.sqlite) and plan.needs_postgres
            and bool(plan.entry.settings_module) and not plan.entry.django_configuration)


def image_settings_env(plan: Plan, target: Target) -> tuple[tuple[str, str], ...]:
    """The image's variables that load serve's settings module (BOOT_SETTINGS) over the app's, for
    postgres_models_on_sqlite: DATABASES['default'] becomes the stack's PostgreSQL, from DATABASE_URL (compose's and
    Swarm's shipyard.env, the cluster's Secret), as serve points such settings at its own PostgreSQL
    (run/django_database.py). Without a PostgreSQL URL there (a plain `docker run`) the settings stay the app's."""
    if not target.in_image or not postgres_models_on_sqlite(plan):
        return ()
    boot = target.app_path(str(PurePosixPath(BOOT_SETTINGS).parent))
    return ((serve_settings.APP_SETTINGS, plan.entry.settings_module),
            (serve_settings.DATABASE_URL_FROM, "DATABASE_URL"), ("PYTHONPATH", boot))


def outside_code(plan: Plan, target: Target | None = None) -> list[tuple[str, str]]:
    """(folder relative to the project root, where the image holds it) of the code outside the project that the app
    puts on sys.path (plan.outside_code: `sys.path.append("../scripts/")`): beside the image's app folder as beside
    the project in the checkout (/scripts for /app), so the same relative path reaches it. One that would land in a
    folder of the image's own (../lib: /lib) or in the app folder is left out."""
    target = target or Target.image()
    return outside_places(plan.outside_code, target) if target.in_image else []


def outside_places(rels: tuple[str, ...], target: Target) -> list[tuple[str, str]]:
    """outside_code's, for folders relative to the project root."""
    app = target.app_dir.rstrip("/")
    out = []
    for rel in rels:
        at = posixpath.normpath(posixpath.join(app, rel))
        if at == "/" or at.strip("/").split("/")[0] in _SYSTEM_DIRS or at == app or at.startswith(app + "/"):
            continue
        out.append((rel, at))
    return out


def outside_sources(plan: Plan, root: Path) -> dict[str, Path]:
    """{path in the build context: the folder on this machine} of outside_code, for Shipyard's own builds
    (engine/context.overlay copies them in)."""
    return outside_context(plan.outside_code, root)


def outside_context(rels: tuple[str, ...], root: Path) -> dict[str, Path]:
    """outside_sources', for folders relative to the project root (an app's own Dockerfile that has the line)."""
    return {f"{OUTSIDE_DIR}{at}": (root / rel).resolve() for rel, at in outside_places(rels, Target.image())}


def serial_imports(plan: Plan) -> str:
    """Why gunicorn's workers load the app one after another ("" when they need not): the app keeps its data in
    SQLite, whose writers take one lock for the whole file. An app that writes when it is imported (Django's wsgi.py
    saving rows, a create_all() with seed rows) has every worker write at once as they start, and a worker that
    waits past SQLite's busy timeout (5 s) dies with "database is locked"."""
    if plan.sqlite:
        return plan.sqlite
    if plan.committed_databases:
        return "the repository holds its database, " + ", ".join(plan.committed_databases)
    return ""


def keeps_databases(plan: Plan, target: Target) -> bool:
    """The image's build runs keep-databases: a SQLite database its context holds (one the repository commits, or
    the file of an app that writes SQLite) would stay root-owned among the code, which the app's user can read and
    not write ("attempt to write a readonly database"), whether or not the runtime can ask the app where its files
    are (database_setup's finders)."""
    return target.in_image and bool(plan.sqlite or plan.committed_databases or plan.foreign_sqlite)


def _generated_requirements(plan: Plan) -> bool:
    """The image installs from a requirements.txt written from the plan: the app declares none, or declares them
    only above its folder (its repository's root: enclosing_deps), outside the image's build context."""
    return plan.dependencies_inferred or any(f.startswith("../") for f in plan.dependency_files)


def _requirement_files(plan: Plan) -> tuple[str, ...]:
    if _generated_requirements(plan):
        return ("requirements.txt",)
    # a conda package list (`flask=1.1.1=py_0` lines) is no file pip or uv reads: the image installs the plan's
    # dependencies, which its versions pin, as serve does
    return tuple(f for f in plan.dependency_files
                 if (PurePosixPath(f).suffix in (".txt", ".pip") and "requirement" in PurePosixPath(f).name
                     or plain_requirements.is_plain(f)) and f not in plan.conda_lists)


def _editable_drop(line: str) -> str:
    """A sed expression (ERE) deleting the editable requirement `line` ("-e ./greeter-lib"), whatever its spacing,
    a comment after it or a CRLF ending; or the line `.` (the root folder installed as it is)."""
    target = re.sub(r"([.\[\]()*+?{}|^$\\/])", r"\\\1", editable_target(line) or "")
    flag = "(-e|--editable)[[:space:]=]+" if line.lstrip().startswith("-") else ""
    return f"/^[[:space:]]*{flag}{target}\\/?([[:space:]].*)?$/d"


# a sed expression (ERE) reading `git+git://` as `git+https://` in the copies of the requirement files
_GIT_OVER_HTTPS_SED = r"s#git\+git://#git+https://#g"


def _never(name: str) -> str:
    """A uv --override line that drops `name` from every requirement: its marker never holds."""
    return f'{name} ; sys_platform == "never"'


def _name_of(requirement: str) -> str:
    """The distribution name a requirement line starts with ("autopep8==2.0.4": "autopep8")."""
    return re.split(r"[\s=<>!~;@\[(]", requirement.strip(), maxsplit=1)[0]


def _older_python_servers(plan: Plan) -> dict[str, str]:
    """Server requirements (Shipyard's, not the app's own pins) whose floor does not install on the app's Python,
    each with what the image installs instead (servers.PACKAGE_PYTHON): "" to leave it out, its provider being
    among the server's requirements already."""
    python = tuple(int(p) for p in plan.python.version.split(".")[:2])
    names = {deps.normalize(d.name) for d in plan.server_dependencies}
    out = {}
    for d in plan.server_dependencies:
        name = deps.normalize(d.name)
        if not d.source.startswith(deps.SERVER_SOURCE) or python >= servers.PACKAGE_PYTHON.get(name, (0, 0)):
            continue
        provider = servers.LEGACY_WORKER_PACKAGES.get(name)
        out[d.requirement] = ("" if provider in names else provider) if provider \
            else f"{name}{deps.CONFIG_FLOORS.get(name, '')}"
    return out


def _server_packages(plan: Plan) -> list[str]:
    """What the image installs beside the requirement files: the plan's server packages (on an old Python, the
    ones that install there), and supervisor for the bundle (it runs nginx and the server in one container)."""
    instead = _older_python_servers(plan)
    packages = [instead.get(d.requirement, d.requirement) for d in plan.server_dependencies]
    packages = [p for p in packages if p]
    if plan.settings["topology"] == "bundle":
        packages.append(SUPERVISOR_PACKAGE)
    return packages


def _runtime_setuptools(plan: Plan) -> tuple[str | None, list[str]]:
    """(the constraint every install of the image takes, the seed it installs) for setuptools: below 81, which
    still has pkg_resources (venv_seed.py), for the packages that pull setuptools in (Pyramid declares it), and
    installed outright for a Python venv would have seeded it for. An app that pins setuptools itself decides."""
    if any(deps.normalize(d.name) == "setuptools" and d.spec for d in plan.dependencies):
        return None, []
    return SEED, [SEED] if is_seeded(plan.python.version) else []


def _static_copy(static: list[dict[str, Any]]) -> str:
    """Shell for the compose `static` one-off: replace the volume's files with the image's."""
    steps = [f"find {STATIC_VOLUME} -mindepth 1 -delete"]
    for d in static:
        dest = f"{STATIC_VOLUME}/{d['rel']}"
        steps.append(f"mkdir -p {shlex.quote(dest)} && cp -R {shlex.quote(d['path'])}/. {shlex.quote(dest)}/")
    return "; ".join(steps)


def _undated(plan: Plan) -> tuple[str, ...]:
    """What a dated install of the app's packages resolves as of today all the same: build tools and exact pins
    (environments.exempt_from_date), and the server with what it needs newer than an old app has (a generated
    requirements.txt lists the server too; the server's own step after it installs today's)."""
    server = [d.name.lower() for d in plan.server_dependencies]
    needs = [name for name, _ in deps.SERVER_NEEDS.get(plan.settings["server"], ())]
    floors = [own.name for own, _ in _dated_server_floors(plan)]
    return tuple(dict.fromkeys((*exempt_from_date(d.requirement for d in plan.dependencies
                                                  if d not in plan.server_dependencies), *server, *needs,
                                *(m.name for m in plan.later_releases), *floors)))


def _dated_server_floors(plan: Plan) -> tuple[tuple[Dependency, str], ...]:
    """The server packages the app declares open whose release of its day the dated install would take, each
    with the requirement the image's configuration needs instead (deps.dated_server_floors): only when its
    packages resolve as of a day."""
    if not plan.resolution_date:
        return ()
    return deps.dated_server_floors(plan.dependencies, plan.settings["server"], plan.interface,
                                    plan.entry.cooperative, plan.python.version)


def _release(plan: Plan, target: Target) -> dict[str, Any] | None:
    """The one-off release service (migrations, loaders): when the user declared one, or when a detected
    migration has a database service to migrate."""
    release = plan.release
    first = server_first_run(plan, target)
    if first is not None:
        # the runtime runs it: once, on a database with no table, unless it only creates what is missing
        return {"command": [target.python, f"{target.config_dir}/shipyard_runtime.py", "first-run"],
                "what": plan.first_run.what + ("" if first["repeatable"] else ", on a database with no table yet"),
                "workdir": first["cwd"], "environment": {}}
    if release is None or not (release.declared or plan.needs_database_server):
        return None
    argv = release_argv(plan, release, target)
    return {"command": argv, "what": release.what, "workdir": target.app_path(release.workdir),
            "environment": dict(release.env)}


def _data_volumes(plan: Plan, target: Target) -> list[tuple[str, str]]:
    """(volume, path in the container) for each folder the app's own compose file keeps on a named volume
    (plan.data_folders, relative to where it runs): the stack keeps them on volumes of its own; and the folder
    the image keeps the app's SQLite files in."""
    out: list[tuple[str, str]] = []
    for folder in plan.data_folders:
        name = "data-" + (re.sub(r"[^a-z0-9]+", "-", folder.lower()).strip("-") or "app")
        while name in (v for v, _ in out) or name in ("pgdata", "mysqldata", "redisdata", "static"):
            name += "-x"
        out.append((name, target.app_path(str(PurePosixPath(plan.workdir) / folder))))
    setup = database_setup(plan, target)
    if setup and setup["finders"]:
        # the SQLite files the runtime keeps there (database_setup.py): without it each `up` starts them afresh;
        # beside a database server too (an app may not use it), where it stays empty when the app does
        out.append(("sqlite", target.sqlite_dir))
    return out


def health_start_period(setup: dict[str, Any] | None) -> int:
    """Seconds of the image's (and the compose app's) health start period: the usual one, plus the SQLite
    finders' time limit for each finder and an allowance for each step the runtime runs before the server starts."""
    return HEALTH_START_PERIOD + SQLITE_PROBE_TIMEOUT * len((setup or {}).get("finders") or ()) \
        + SETUP_STEP_ALLOWANCE * setup_steps(setup)


def setup_steps(setup: dict[str, Any] | None) -> int:
    """How many steps (migrations, an init command) the runtime may run before the server starts."""
    return len((setup or {}).get("every_start") or ()) + (1 if (setup or {}).get("once") else 0)


def _dev_command(plan: Plan, target: Target) -> list[str]:
    """Live reload and debug on, for compose.dev.yaml (the code is bind-mounted)."""
    if plan.framework == "flask":
        # FLASK_APP and FLASK_DEBUG (compose.dev.yaml's environment) rather than --app/--debug: Flask before 2.2
        # has neither option, and every Flask CLI reads the variables
        return [target.python, "-m", "flask", "run", "--host", "0.0.0.0", "--port", "8000"]
    if plan.framework == "django":
        tool = "configurations" if plan.entry.django_configuration else "django"   # its settings classes load so
        return [target.python, "-m", tool, "runserver", "0.0.0.0:8000"]
    return [f"{target.venv}/bin/gunicorn", "-c", f"{target.config_dir}/gunicorn.conf.py", "--reload",
            "--workers", "1"] if plan.settings["server"] == "gunicorn" else _server_command(plan, target)


def script_path(entry: Entry) -> str:
    """The script of a script entry, relative to the workdir (a module of a package runs with -m); one run by its
    path from above its folder (`python app/service.py`) is that path."""
    return f"{entry.import_folder}/{entry.module}.py" if entry.import_folder else f"{entry.module}.py"


def script_port(plan: Plan, target: Target) -> int:
    """The TCP port a script entry listens on: the public one when nothing is in front of it, the compose
    network's app port, or, behind nginx in one container, the target's app port (else the next port)."""
    port = int(plan.settings["port"])
    topology = plan.settings["topology"]
    if topology == "app":
        return port
    if topology == "compose":
        return 8000
    return target.app_port or (port + 1 if port < 65535 else port - 1)


def script_host(plan: Plan, target: Target) -> str:
    """Where a script entry run through shipyard_entry.py listens: the loopback behind nginx in one container,
    else where the target's app server listens (every interface in an image, for the compose network)."""
    return "127.0.0.1" if plan.settings["topology"] == "bundle" else target.listen_host


def _script_command(plan: Plan, target: Target) -> list[str]:
    """`python chatdemo.py --port=N` (the app's own server), through the runtime's `start`, which first ends
    what a crashed run left behind; a script that reads PORT gets it from the environment instead, and one
    that listens on a port of its own, or a console script's function, runs through shipyard_entry.py (locally
    kept in the run folder)."""
    e = plan.entry
    if e.port_from == "listen" or e.console_script:
        shim = target.app_path(output_path(plan, ENTRY_SHIM)) if target.in_image else f"{target.config_dir}/{ENTRY_SHIM}"
        run = [shim]
    else:
        run = ["-m", e.module] if "." in e.module else [target.app_path(str(PurePosixPath(plan.workdir, script_path(e))))]
    flag = [f"--port={script_port(plan, target)}"] if e.port_from == "--port" else []
    return [*_runtime_start(plan, target), target.python, *run, *flag]


def _runtime_start(plan: Plan, target: Target) -> list[str]:
    """`shipyard_runtime.py start [--database] --`: what goes before a program the runtime starts (--database:
    the SQLite database a new container lacks is made first, render/database_setup.py)."""
    database = ["--database"] if database_setup(plan, target) else []
    return [target.python, f"{target.config_dir}/shipyard_runtime.py", "start", *database, "--"]


def _image_command(plan: Plan, target: Target) -> list[str]:
    """The image's CMD outside supervisord: the server, through the runtime's start when the app's database is
    made first (granian, tornado and script entries run through the runtime already)."""
    command = _server_command(plan, target)
    if database_setup(plan, target) and plan.settings["server"] in ("gunicorn", "uwsgi") \
            and plan.entry.kind != "script":
        return [*_runtime_start(plan, target), *command]
    return command


def _server_command(plan: Plan, target: Target) -> list[str]:
    server = plan.settings["server"]
    if plan.entry.kind == "script":
        return _script_command(plan, target)
    if server == "gunicorn":
        # the console script, not `python -m gunicorn` (as granian runs): -m puts the app's folder first on
        # sys.path, and a config file of the app's named gunicorn.py (`gunicorn -c gunicorn.py` is common) would
        # be run instead of gunicorn
        return [f"{target.venv}/bin/gunicorn", "-c", f"{target.config_dir}/gunicorn.conf.py"]
    if server == "uwsgi":
        return [f"{target.venv}/bin/uwsgi", "--ini", f"{target.config_dir}/uwsgi.ini"]
    # granian and tornado: started by shipyard_runtime.py with the plan's settings
    return [target.python, f"{target.config_dir}/shipyard_runtime.py", server]


def _gunicorn_app(entry: Entry) -> str:
    """What gunicorn loads: aiohttp's worker awaits an async factory itself, so it gets the function."""
    if entry.async_factory and entry.interface == "aiohttp":
        return f"{entry.module}:{entry.attr.split('(')[0]}"
    return entry.target


def _granian_args(plan: Plan, target: Target) -> list[str]:
    e = served_entry(plan)
    # Django's ASGI handler (and Channels' router) refuse the lifespan protocol: granian's asginl skips it
    # instead of logging an error at every worker start
    interface = "asginl" if e.interface == "asgi" and plan.framework == "django" else e.interface
    args = ["--interface", interface, "--working-dir", target.app_path(plan.workdir)]
    if e.interface == "wsgi":
        args.append("--no-ws")          # WSGI has no WebSocket; skips granian's notice at every start
    if plan.settings["topology"] != "app":
        args += ["--http", "1"]         # nginx speaks HTTP/1.1 to it: no protocol sniffing
    if e.kind == "factory":
        args += ["--factory", f"{e.module}:{e.attr.split('(')[0]}"]
    else:
        args.append(e.target)
    return args


def _builder_image(plan: Plan) -> str:
    """The builder stage's default image. With build packages and the official base, the full image of the same
    Python: it has the compilers and -dev headers, so the builder installs nothing. Otherwise the base itself
    (a base the user chose may hold another Python: the builder must match it)."""
    if plan.system_packages.build and not plan.settings.get("base_image"):
        return official_image(plan.python.version, "")
    return "${BASE}"


def context(plan: Plan, target: Target) -> dict[str, Any]:
    """Every value the templates read."""
    check_supported(plan)
    s = plan.settings
    topology, server = s["topology"], s["server"]
    python = plan.python.version
    static = [{"url": d.url if d.url.endswith("/") else d.url + "/", "path": target.app_path(d.path),
               "rel": d.path.strip("/"), "shipyard_root": d.shipyard_root} for d in plan.static]
    bind_socket = topology == "bundle"
    setuptools_constraint, setuptools_seed = _runtime_setuptools(plan)
    setup = database_setup(plan, target)
    first = server_first_run(plan, target)
    return {
        "plan": plan, "target": target, "s": s, "name": plan.name, "version": __version__,
        "topology": topology, "server": server, "asgi": plan.interface == "asgi",
        "interface": plan.interface,
        # one event loop per worker (ASGI, aiohttp, tornado): sized as async workers, WebSocket passed through
        "async_server": plan.interface != "wsgi", "websocket": plan.interface in servers.WEBSOCKET,
        "gunicorn_app": _gunicorn_app(served_entry(plan)),
        "gunicorn_worker_class": servers.gunicorn_worker(plan.interface, plan.entry.cooperative),
        "legacy_worker_class": servers.LEGACY_GUNICORN_WORKERS.get(servers.GUNICORN_WORKERS.get(plan.interface, ""),
                                                                   ("",))[0],
        "cooperative": plan.entry.cooperative,
        "serial_imports": serial_imports(plan),
        "framework": plan.framework, "entry": served_entry(plan),
        "dev_server_patches": _dev_server_patches() if needs_shim(plan) and plan.entry.kind != "script" else "",
        "python_version": python,
        # uv compiles bytecode with py_compile.PycInvalidationMode, which Python 3.6 lacks
        "uv_compiles": tuple(int(p) for p in python.split(".")[:2]) >= (3, 7),
        "base_image": s.get("base_image") or official_image(python),
        "official_base": official_image(python), "official_builder": official_image(python, ""),
        "workdir": target.app_path(plan.workdir), "workdir_rel": plan.workdir,
        "requirement_files": _requirement_files(plan),
        "declared_requirements": [d.requirement for d in plan.dependencies if d not in plan.server_dependencies],
        # packages the code imports that the requirement files leave out (python-dotenv for `from dotenv import
        # load_dotenv`): `serve --install` installs them beside the files' lines, so the image does too
        "imported_too": [d.requirement for d in plan.dependencies
                         if d.inferred and d not in plan.server_dependencies] if _requirement_files(plan)
                        and not _generated_requirements(plan) else [],
        # packages the app's own Dockerfile installs by name beside its requirement files (`RUN pip install
        # flasgger`: detect/dockerfile_pip.py), which serve installs too
        "dockerfile_named": [d.requirement for d in plan.dependencies
                             if not d.inferred and d not in plan.server_dependencies
                             and PurePosixPath(d.source).name in dockerfile_pip.DOCKERFILE_NAMES]
                            if _requirement_files(plan) and not _generated_requirements(plan) else [],
        "server_packages": _server_packages(plan),
        # uv -c lines of every install: setuptools below 81, and the app's lock file's pins
        "install_constraints": [c for c in (setuptools_constraint,) if c] + list(plan.locked)
                               # Shipyard's holds on packages the app's files leave open (django-crispy-forms<2)
                               + list(holds.constraints(plan.dependencies))
                               + [m.instead for m in plan.later_releases]
                               # bounds the import proof needed on open packages (Django<3.0: proving.py)
                               + list(plan.proof.held if plan.proof else ())
                               # later releases it moved a lock's pin to (Flask-Login 0.6.3 for Werkzeug 3)
                               + list(plan.proof.moved if plan.proof else ())
                               # the server the app declares open, at the floor its configuration needs (a dated
                               # install would take the app's day's gunicorn, older than `wsgi_app`)
                               + [needed for _, needed in _dated_server_floors(plan)],
        # open packages whose release of the app's day does not install on its Python: the later one installs here
        # found (later_releases.py), a constraint above, exempt from the date
        "later_releases": plan.later_releases,
        # an old app's packages resolve as of its day, as serve installs them (uv --exclude-newer), but for those
        # exempt; the server is installed after them, as of today
        "resolved_as_of": plan.resolution_date,
        "undated": _undated(plan) if plan.resolution_date else (),
        "setuptools_seed": setuptools_seed,
        # a worker package the app's own pins rule out (uvicorn==0.11.5): the configuration's fallback worker serves
        "worker_fallbacks": deps.worker_fallback_notes(plan.dependencies, plan.settings["server"], plan.interface,
                                                       plan.entry.cooperative)
        + tuple(f"{old} does not install on Python {python}: " + (f"{new}, the newest that does, as `shipyard serve` "
                f"installs it" if new else "gunicorn runs uvicorn's own worker (uvicorn.workers.UvicornWorker) instead")
                for old, new in _older_python_servers(plan).items()),
        # the server requirements above as the image installs them (a generated requirements.txt lists them)
        "image_requirement": _older_python_servers(plan),
        "dated_server_floors": [(own.requirement, needed) for own, needed in _dated_server_floors(plan)],
        "server_upgrades": [(own.requirement, needed) for own, needed in
                            deps.outdated_server_pins(plan.dependencies, plan.settings["server"], plan.interface,
                                                      plan.entry.cooperative, plan.python.version)],
        # pins another pin of the app contradicts, relaxed (planner._relax_conflicting_pins); the app's own
        # requirement files still hold them: uv --override replaces them there
        "relaxed_pins": deps.relaxed_pins(plan.dependencies),
        # exact pins installs here moved to another release (moved_pins.py), moved the same way (planner._move_pins)
        "moved_pins": deps.moved_pins(plan.dependencies),
        # `NAME @ file:///C:/ci/...` lines of a pip freeze in a conda environment, installed from the index instead
        "frozen_elsewhere": deps.frozen_elsewhere(plan.dependencies),
        # requirements whose marker named one patch release of Python, read as its minor (deps.widen_marker)
        "widened_markers": deps.widened_markers(plan.dependencies),
        "overridden_pins": [] if _generated_requirements(plan) or not _requirement_files(plan)
                           else [dep.requirement for dep, _, _ in deps.relaxed_pins(plan.dependencies)]
                           + [dep.requirement for dep, _, _ in deps.moved_pins(plan.dependencies)]
                           + [dep.requirement for dep, _ in deps.frozen_elsewhere(plan.dependencies)]
                           + [dep.requirement for dep, _, _ in deps.widened_markers(plan.dependencies)]
                           + [_never(name) for name in plan.unavailable]
                           + [_never(_name_of(line)) for line, _ in plan.left_out if not editable_target(line)]
                           + [_never(_name_of(line)) for _, line in deps.renamed(plan.dependencies)],
        # `sklearn` lines: the placeholder left out above, scikit-learn installed beside the files, as serve does
        "renamed": [] if _generated_requirements(plan) or not _requirement_files(plan)
                   else [(dep.requirement, line) for dep, line in deps.renamed(plan.dependencies)],
        "unavailable": [] if _generated_requirements(plan) else list(plan.unavailable),
        # the app's pins an install here left out as leftovers (pin_conflicts.LeftOut): not installed here either
        "left_out": [(line, why[:1].upper() + why[1:]) for line, why in plan.left_out],
        # `-e ./greeter-lib` lines of the project's own distributions (installed from their folders below): deleted
        # from the copies of the requirement files first, as serve skips them (no override drops a missing folder)
        # and git+git:// addresses (which uv does not read) rewritten over https://, as serve reads them (deps)
        "editable_drops": [_editable_drop(line) for line, _ in plan.left_out if editable_target(line)]
                          + ([_GIT_OVER_HTTPS_SED] if deps.git_over_https(plan.dependencies) else [])
                          if _requirement_files(plan) and not _generated_requirements(plan) else [],
        "git_over_https": deps.git_over_https(plan.dependencies) and bool(_requirement_files(plan))
                          and not _generated_requirements(plan),
        "editable_left_out": [line for line, _ in plan.left_out if editable_target(line)],
        "app_is_package": plan.package,
        "local_distributions": list(plan.local_distributions),
        # locales the code sets by name: compiled in the builder (localedef), read by the app from LOCPATH
        "locales": [(name, *made_of) for name in plan.locales if (made_of := locales.definition(name))],
        "locale_dir": LOCALE_DIR,
        # old sdists among the pins that installs here built only with older build tools (build_holds.py)
        "build_holds": plan.build_holds, "build_constraints": plan.build_constraints,
        # pins whose sdist's build imports packages the app requires (build_needs.py): uv's setting, line by line
        "build_needs_config": build_needs.uv_config(plan.build_needs).splitlines() if plan.build_needs else [],
        "build_packages": sorted(plan.system_packages.build),
        # python3-dev stands for Python's headers: looked for as a file, since the official images' own
        # Python carries them without the Debian package
        "build_debs": sorted(set(plan.system_packages.build) - {"python3-dev"}),
        "needs_python_headers": "python3-dev" in plan.system_packages.build,
        "builder_image": _builder_image(plan),
        "runtime_packages": sorted(set(plan.system_packages.runtime)
                                   | ({"nginx-light"} if topology == "bundle" else set())),
        "static": static,
        "root_static": next((d for d in static if d["url"] == "/"), None),
        "static_volume": STATIC_VOLUME,
        # the folder collectstatic is given when the Django settings name no STATIC_ROOT
        # verify GETs a file of each folder through the image's own nginx: "URL=FOLDER ..."
        "static_label": " ".join(f"{d['url']}={d['path']}" for d in static),
        "unnamed_static_root": next((d["path"] for d in static if d["shipyard_root"]), None),
        # Django's static files are collected at build time, through the runtime: it leaves out a STATICFILES_DIRS
        # folder the build context lacks (an empty static/ git does not keep), as serve's collectstatic does
        "collects_static": plan.framework == "django" and bool(static),
        "static_copy": _static_copy(static),
        "django_settings": serve_settings.MODULE if image_settings_env(plan, target) else plan.entry.settings_module,
        "django_configuration": plan.entry.django_configuration,
        # the configuration the entry's factory takes from a variable (FLASK_CONFIG=production): no secret
        "production_env": tuple(dict.fromkeys(plan.entry.production_env + plan.config_env
                                              + image_log_files(plan, target) + image_sqlite_env(plan, target)
                                              + image_settings_env(plan, target))),
        "boot_settings_source": serve_settings.SOURCE,
        # (the project's folder, where the app's folder has it) of the code its compose service mounts there
        "outside_code": outside_code(plan, target), "outside_dir": OUTSIDE_DIR,
        "mounted_code": [(target.app_path(s), target.app_path(a)) for s, a in plan.mounted_code] if target.in_image
        else [],
        "sqlite_sitecustomize": host_aliases.SITECUSTOMIZE,
        "needs_postgres": plan.needs_postgres,
        # the README's SQL dump, read-only in compose's PostgreSQL: (the host file, where shipyard-initdb.sh reads it)
        "sql_dump": dump_mounts(plan.sql_dump) if loads_sql_dump(plan) else None,
        "readme_dump": ", ".join(plan.sql_dump),
        # an old psycopg2's libpq logs in with md5 only: the stack's PostgreSQL stores the role's password so
        "postgres_md5": md5_logins(plan) if plan.settings["topology"] == "compose" else "",
        "needs_mysql": plan.needs_mysql,
        # either server: the app reads its login from the secrets file and waits for the `db` service
        "needs_db": plan.needs_database_server,
        "needs_redis": plan.needs_redis,
        # libpq's host and port for what the app's connection leaves out (Django's DATABASES with no HOST); its
        # user, password and database come with the secrets (render/db_login.py)
        "postgres_env": {"PGHOST": POSTGRES_HOST, "PGPORT": str(POSTGRES_PORT)} if plan.needs_postgres else {},
        # the MySQL host and port variables the app reads, pointing at the stack's MariaDB (render/mysql_service.py)
        "mysql_env": mysql_service.plain_env(plan, POSTGRES_HOST) if plan.needs_mysql else {},
        "mysql_image": mysql_service.IMAGE, "mysql_healthcheck": list(mysql_service.HEALTHCHECK),
        "mysql_data": mysql_service.VOLUME_PATH,
        "mysql_server_blanks": mysql_service.server_blanks(plan) if plan.needs_mysql else (),
        # REDIS_URL and the Redis variables the app reads, pointing at the stack's redis service
        "redis_env": redis_env(plan, REDIS_HOST, REDIS_PORT) if plan.needs_redis else {},
        # the variables the code reads into ALLOWED_HOSTS: the hosts the stack is published on (yours win)
        "hosts_env": local_hosts_env(plan),
        # the app writes localhost for its PostgreSQL (libpq): set by render() from init's written login
        "pghostaddr_from_pghost": False,
        # the hosts the code writes for the db and redis services (`@database:5432`): set by render() from init's
        "service_aliases": {},
        "collectstatic_env": _collectstatic_env(plan),
        "release": _release(plan, target),
        "data_volumes": _data_volumes(plan, target),
        "dev_command": _dev_command(plan, target),
        "flask_app": plan.entry.target if plan.framework == "flask" else None,
        "server_command": _server_command(plan, target),
        "image_command": _image_command(plan, target),
        # the steps that make the SQLite database a new container lacks, for the runtime (database_setup.py)
        "database_setup": setup,
        "health_start_period": health_start_period(setup),
        "sqlite_probe_timeout": SQLITE_PROBE_TIMEOUT,
        "setup_steps": setup_steps(setup),
        "setup_step_allowance": SETUP_STEP_ALLOWANCE,
        "database_setup_source": pprint.pformat(setup, width=110, sort_dicts=False) if setup else "",
        "sqlite_probes": probe_sources(setup),
        # the build moves the SQLite databases its context holds where the app's user may write them
        "keeps_databases": keeps_databases(plan, target),
        "keeps_databases_source": repr({"app_dir": target.app_dir, "sqlite_dir": target.sqlite_dir}),
        # the app's first run as the release job of its PostgreSQL stack (database_setup.server_first_run)
        "first_run_source": pprint.pformat(first, width=110, sort_dicts=False) if first else "",
        "granian_args": _granian_args(plan, target),
        "bind_socket": bind_socket,
        # nginx -> uWSGI over uwsgi's binary protocol where only nginx talks to it (the bundle's socket)
        "uwsgi_protocol": server == "uwsgi" and topology == "bundle",
        "uwsgi_params": str(PurePosixPath(target.mime_types).with_name("uwsgi_params")),
        "listen_backlog": LISTEN_BACKLOG,
        "granian_threads": GRANIAN_WSGI_THREADS,
        "granian_cpus_per_worker": GRANIAN_CPUS_PER_WORKER,
        "app_port": 8000 if topology == "compose" else s["port"],
        # the variable the server listens on: PORT, or SHIPYARD_PORT when the app reads PORT as its database's port
        "port_env": listen_variable(plan),
        "nginx_port": NGINX_COMPOSE_PORT if topology == "compose" else s["port"],
        # every interface in an image (its port is published); on this machine (serve) the address asked for
        "nginx_listen": (NGINX_COMPOSE_PORT if topology == "compose" else s["port"]) if target.in_image
        else f"{target.listen_host}:{s['port']}",
        "nginx_run_dir": "/tmp" if topology == "compose" else target.run_dir,
        "app_host": target.app_host,
        "nginx_image": NGINX_IMAGE, "postgres_image": POSTGRES_IMAGE, "redis_image": REDIS_IMAGE,
        "secrets_file": SECRETS_FILE,
        "compose_project": compose_project_name(plan.name),
        # compose.dev.yaml: what rebuilds the image under `up --watch` (the image installs from these)
        "watch_rebuild": sorted(set(_requirement_files(plan)) | set(plan.dependency_files)),
        "upstream": "app:8000" if topology == "compose" else
                    f"127.0.0.1:{script_port(plan, target)}" if plan.entry.kind == "script" else f"unix:{target.socket}",
        # a script entry that reads PORT (itself or through shipyard_entry.py), behind nginx in one container:
        # its own port, not nginx's
        "app_environment": {"PORT": str(script_port(plan, target))}
                           if plan.entry.kind == "script" and plan.entry.port_from in ("PORT", "listen") else {},
        "script_port": script_port(plan, target) if plan.entry.kind == "script" else None,
        "script_host": script_host(plan, target),
        "script_file": script_path(plan.entry),
        "dns_upstream": None,       # Swarm: host:port re-resolved through Docker's DNS (render/swarm.py)
        # who may set X-Forwarded-*: the unix socket peer (bundle), the compose network where only nginx
        # reaches the app, or the loopback (app topology: set FORWARDED_ALLOW_IPS to the platform's proxy)
        "forwarded_allow_ips": {"bundle": "127.0.0.1,::1", "compose": "*", "app": "127.0.0.1,::1"}[topology],
        "sizing_source": _sizing_source(),
        "paste_drop_source": _paste_drop_source(),
        # Django models with no migrations in the repository: the release runs the runtime's make-and-migrate
        # (release_argv.py), which runs serve's script
        "make_migrations": makes_migrations(plan),
        "make_and_migrate_source": MAKE_AND_MIGRATE if makes_migrations(plan) else "",
        # an Alembic history that may give way to the models' tables: the runtime's alembic-upgrade (release_argv.py)
        "models_fallback": list(plan.models_fallback) if falls_back_to_models(plan) else None,
        "upgrade_else_models_source": UPGRADE_ELSE_MODELS if falls_back_to_models(plan) else "",
        "made_migrations": MADE_MIGRATIONS,
        "runtime": f"{target.config_dir}/shipyard_runtime.py",
        "stop_wait": s["graceful_timeout"] + 5,
        "run_dir": target.run_dir,
    }


def _collectstatic_env(plan: Plan) -> dict[str, str]:
    """Placeholders for build-time collectstatic, which imports the settings and never connects: the hosts
    variables, an app on Redis its Redis variables, and for an app on PostgreSQL the database variables its
    settings read (django-environ's
    env("NEON_USER") fails the import when unset), as serve gives them (run/database.connection_env)."""
    env = dict(local_hosts_env(plan))
    if plan.needs_postgres:
        from ..run.database import LIBPQ_DEFAULTS, connection_env
        parts = {"host": "localhost", "port": str(POSTGRES_PORT), "user": "collectstatic",
                 "password": "collectstatic-only", "database": "collectstatic"}
        env.update((name, value) for name, value in connection_env(
            plan, parts, f"{url_scheme(plan)}://collectstatic@localhost:{POSTGRES_PORT}/collectstatic").items()
            if name not in LIBPQ_DEFAULTS and name not in env)
    if plan.needs_redis:
        # its Redis variables too: settings that build a broker URL from them ('redis://' + REDIS_HOST + ':' +
        # REDIS_PORT, whose default is the int 6379) stop the import without them; nothing connects here
        env.update((name, value) for name, value in redis_env(plan, "localhost", REDIS_PORT).items()
                   if name not in env)
    return env


def secrets_env(plan: Plan, password: str, written: WrittenDatabase | None = None) -> str:
    """shipyard.env for compose: database credentials and the app's DATABASE_URL, in the scheme the app's
    libraries read (Tortoise ORM refuses postgresql://); the login the app writes (`written`) when it writes one
    (render/db_login.py). Not stamped: it is created once with a random password and never regenerated."""
    head = "# Secrets for compose.yaml, created by shipyard init. Keep out of git (listed in .gitignore).\n"
    if not plan.needs_database_server:
        text = head
    elif plan.needs_mysql:
        text = (head + mysql_service.written_note(written, "the stack")
                + mysql_service.secret_lines(plan, stack_login(password, written), POSTGRES_HOST))
    else:
        text = head + written_note(written, "the stack") + login_env(plan, stack_login(password, written),
                                                                      POSTGRES_HOST)
    text += secret_key_lines(plan)
    return text + example_setting_lines(plan, text)


def example_setting_lines(plan: Plan, text: str) -> str:
    """The settings the code requires that only the app's example env file gives (plan.example_settings), as it
    gives them, but for those `text` (the lines above them) sets already."""
    named = {line.partition("=")[0] for line in text.splitlines() if "=" in line and not line.startswith("#")}
    taken = [(name, value, where) for name, value, where in plan.example_settings if name not in named]
    if not taken:
        return ""
    return (f"# settings the app requires (read with no default), as {taken[0][2]} gives them: edit to your own\n"
            + "".join(f"{name}={value}\n" for name, value, _ in taken))


def secret_key_lines(plan: Plan) -> str:
    """A random value for each variable the code reads, with no default, into its secret key (SECRET_KEY,
    TODOAPP_SECRET_KEY): without one the app does not start, or its sessions fail on every request."""
    if not plan.secret_key_variables:
        return ""
    import secrets
    return ("# the app's secret key (it signs its sessions): random, made once\n"
            + "".join(f"{name}={secrets.token_urlsafe(48)}\n" for name in plan.secret_key_variables))
