"""The configuration an app runs with here (the import proof, `serve`, `dev`) where its environment does not
give it: the env files the flask CLI loads for a Flask app (detect/cli_dotenv.py), the variables of its
example env file (detect/envfile.py; or of the .env its README shows, detect/readme_env.py), of its own compose
file's service (detect/compose_env.py) and of its own Dockerfile's ENV, for the names its code reads
(detect/dockerfile_env.py), and the few framework variables whose local value is known: a throwaway SECRET_KEY
(and any variable the code puts into it under a name of its own: detect/secret_vars.py),
ALLOWED_HOSTS for this machine (and any variable the code puts into it under a name of its own:
detect/hosts_vars.py, values from served_hosts.py), DEBUG off (on for `dev`; off is the app's own default when it has one, else the spelling its read takes as
off: detect/debug_reads.py), and in
`serve` and `dev` the address they answer at for a variable that names the host the app is served under
(SERVED_HOST_NAMES) when the app requires it or defaults it to another address, and PORT, read with no default, the port they answer at (the proof: the one an image
is given). A variable whose value the app passes to `config.from_object` (APP_SETTINGS) gets
the dotted path of the app's own production config class (development for `dev`; detect/configclass.py); one
the entry passes to its factory (FLASK_CONFIG), the production value the project offers for it (not in `dev`).

Variables already set always win. Known variables are set only when the app's code reads them (the names
found by detect/services.env_reads), and each one set is said. In `serve` and `dev`, an example value that
names a host this machine cannot resolve (a compose service such as `db`) is dropped, so the app's own
database (run/database.py) or the app's default takes its place. Nothing here goes into the image or the
generated files: secrets stay out of them.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from .detect import app_json, cli_dotenv, code_hosts, compose_env, config_choice, config_path, configclass, dockerfile_env, \
    envfile, key_choices, locale_names, run_script_env, server_name, settings_default, stub_production
from .detect.debug_reads import assigned_as_text, debug_off
from .detect.mode_reads import mode_value
from .detect.django_secret import unset_secret_key
from .detect.engine_urls import unset_engine_urls
from .detect.engine_vars import STRICT_MODE, init_command_variables, memcached_location_variables
from .detect.json_settings import json_settings, unparsable
from .detect.mounted_code import mounted_code
from .detect.hosts_vars import HOSTS_NAMES, SETTING, hosts_variables
from .detect import lifetime_unit, sample_slots
from .detect.log_vars import log_file_variables
from .detect.mail_vars import mail_setting_variables
from .detect.secret_vars import secret_key_variables
from .detect.services import EnvRead, env_reads
from . import cache_store, locales, serve_settings
from .environments import cache_root
from .conventional_values import conventional_value
from .framework_defaults import DEFAULTS
from .project import Project
from .served_hosts import hosts_value
from .settings import BY_NAME

MODES = ("proof", "serve", "dev")
CSRF_ORIGINS = "CSRF_TRUSTED_ORIGINS"
MEMCACHED_ADDRESS = "127.0.0.1:11211"
SECRET_NAMES = frozenset({"SECRET_KEY", "DJANGO_SECRET_KEY", "FLASK_SECRET_KEY"})
# the app's own signing keys under other names (JWT_SECRET_KEY, SESSION_SECRET, MYAPP_AUTH_SECRET): any random
# value works, as for SECRET_KEY; a third party's credential (STRIPE_SECRET_KEY, GOOGLE_CLIENT_SECRET) does not
SIGNING_SECRET = re.compile(r"(?:[A-Z0-9]+_)?(?:JWT|SESSION|COOKIE|CSRF|AUTH|TOKEN|SIGNING)_SECRET(?:_KEY)?")
DEBUG_NAMES = frozenset({"DEBUG", "DJANGO_DEBUG", "FLASK_DEBUG"})
# the host (and port) the app is served under, as the framework matches it against the request's Host:
# Flask's and Quart's SERVER_NAME config key ("host:port"), Sanic's too, each read from the variable of the
# same name by the apps that take it from the environment (flasky's `os.environ['SERVER_NAME']`). Django has
# no such setting (ALLOWED_HOSTS, above, is a list of hosts to accept, not the one to build URLs with).
SERVED_HOST_NAMES = frozenset({"SERVER_NAME"})
# the app's own address as a URL, which it puts before the paths it hands out (a URL shortener's
# f"{settings.base_url}/{short_id}", a reset link): read with no default, `serve` and `dev` give theirs
SERVED_URL_NAMES = frozenset({"BASE_URL", "SITE_URL", "PUBLIC_URL", "APP_URL", "APP_BASE_URL", "ROOT_URL"})
# Flask's environment switch: before Flask 2.3 FLASK_ENV=development turns debug mode on, and apps choose their
# configuration by it. A developer's .flaskenv or .env sets it; serve runs the production tree, `dev` takes it.
FLASK_ENV = "FLASK_ENV"
_DEVELOPMENT_VALUES = frozenset({"development", "dev", "develop", "local"})
# the port the app is served on, as platforms give it (Heroku, Cloud Run; the image's ENV PORT): an app that reads
# it with no default (`port = int(os.getenv("PORT"))` for its own `uvicorn.run` under `__main__`) fails at import
# without it, though a server that imports the app never opens that port
SERVED_PORT_NAMES = frozenset({"PORT"})
# the host that port is on, read beside it with no default (`HOST = config("HOST")`, `PORT = int(config("PORT"))`
# for `uvicorn.run("app.app:app", host=HOST, port=PORT)` under `__main__`): serve's address, an image's 0.0.0.0
SERVED_BIND_NAMES = frozenset({"HOST"})
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
# what serve and dev give a third party's credential only the app's author has (rule in run_config), and a
# numeric one (a chat or account id read with int()); the value says what it is in any error that shows it
PLACEHOLDER = "shipyard-placeholder"
PLACEHOLDER_NUMBER = "0"
# names of credentials and account ids (a numeric one may be given 0): API keys, secrets, tokens, passwords
_CREDENTIAL = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|(?:^|_)(?:KEY|PASS|PWD|ID|SID)(?:_|$)")
# values that choose or address something, which a placeholder would make wrong rather than unused: addresses,
# paths, the app's mode and configuration, sizes and durations
_NOT_PLACEHELD = re.compile(r"(?:^|_)(?:URL|URI|DSN|HOST|HOSTS|PORT|ENDPOINT|PATH|FILE|DIR|DOMAIN|DEBUG|ENV|"
                            r"ENVIRONMENT|MODE|SETTINGS|MODULE|CONFIG|LEVEL|TIMEOUT|EXPIRES|LIFETIME|TTL|SIZE|"
                            r"COUNT|LIMIT|WORKERS)$")


@dataclass(frozen=True)
class RunConfig:
    variables: tuple[tuple[str, str], ...]    # to add under the environment (names not set there)
    notes: tuple[str, ...]                    # one line per source, values of secrets never shown
    origins: tuple[tuple[str, str], ...] = ()  # variable -> the file it is taken from, or "Shipyard"
    prepend: tuple[tuple[str, str], ...] = ()  # path variables (PYTHONPATH) whose entries go before the environment's

    @property
    def environ(self) -> dict[str, str]:
        return dict(self.variables)

    def under(self, environ: Mapping[str, str]) -> dict[str, str]:
        """`environ` with these variables added where it does not set them, and the path entries in front."""
        merged = {**self.environ, **environ}
        for name, value in self.prepend:
            merged[name] = os.pathsep.join(filter(None, (value, environ.get(name))))
        return merged


def _switch_only(reads: Iterable[EnvRead], name: str) -> EnvRead | None:
    """The first read of `name` when a read of it raises unset and every read with no default only tests whether it
    is set, or runs inside the block such a test guards (detect/env_switches.py); None otherwise."""
    mine = [r for r in reads if r.name == name]
    if not all(r.switch for r in mine if not r.default):
        return None
    # the test itself raises (a read it guards runs only once the test passed, so set: `if config("EMAIL_HOST",
    # default=None):` needs nothing)
    return next((r for r in mine if r.switch and r.tested and r.required), None)


def run_config(root: str | Path | Project, workdir: str, environ: Mapping[str, str], *, mode: str,
               secret_file: Path | None = None, served_at: str | None = None,
               entry_module: str | None = None, data_folder: Path | None = None,
               production_env: tuple[tuple[str, str], ...] = (), django_settings: str | None = None,
               databases: tuple[str, ...] = ()) -> RunConfig:
    """What to add to `environ` for the app in `root` to run (`mode`: proof, serve or dev). `secret_file`
    keeps a generated SECRET_KEY between runs (serve, dev); without it a fresh one is made (the proof).
    `served_at`: the host:port serve or dev answers at, never given for the proof (an image's host is the
    user's to set). `entry_module`: the entry's module, whose folder may hold the example env file.
    `data_folder` (serve, dev): Shipyard's folder for the app, where a SQLite file the example places in a
    folder that does not exist here goes instead. `production_env`: the entry's variable that chooses its
    factory's configuration, with the production value (Entry.production_env), over an example file's value
    (not in `dev`, where the app's own default is the development one). `django_settings`: the Django entry's
    settings module; when they never set SECRET_KEY, serve's settings module gives one (detect/django_secret.py).
    `databases`: the plan's services (postgres, mysql), for a variable that picks a database from a dict by key.
    `root` may be the planner's Project, whose scans of the code (env_reads) are kept."""
    if mode not in MODES:
        raise ValueError(mode)
    if data_folder is not None and mode == "proof":
        raise ValueError("the proof keeps no data")
    if served_at is not None and mode == "proof":
        raise ValueError("the proof has no address")
    project = root if isinstance(root, Project) else Project(root)
    out: dict[str, str] = {}
    origins: dict[str, str] = {}
    notes: list[str] = []
    # the variables the code puts into ALLOWED_HOSTS (DJANGO_ALLOWED_HOSTS, or DOMAIN in `[os.environ.get('DOMAIN')]`)
    host_vars = hosts_variables(project)
    hosts = {h.name: h.separator for h in host_vars}
    accepting = {h.name: h.setting for h in host_vars}

    # the env files the flask CLI would load for the app (its own .env, .flaskenv), else the example env file
    # (what the README says to copy to .env), then the environment the app's own compose file gives its
    # service, for the names the first left unset
    example_file = envfile.for_app(project, workdir, entry_module)
    # then the other env files beside it, for the names the code requires and the example leaves out
    required = {r.name for r in env_reads(project) if not r.default and not r.tested and not r.switch}
    sources = [found for found in (cli_dotenv.find(project, workdir, development=mode == "dev"), example_file,
                                   *envfile.siblings(project, example_file, required),
                                   compose_env.find(project, (".", workdir)),
                                   dockerfile_env.find(project, {r.name for r in env_reads(project)},
                                                       development=mode == "dev"),
                                   # last: the values the app's run script starts it with (`KEY=... python app.py`);
                                   # the app's signing keys keep their throwaway below
                                   run_script_env.find(project, _run_script_names(project), (".", workdir or ".")))
               if found is not None]
    development: list[str] = []           # FLASK_ENV=development where a file gives it
    reads = env_reads(project)
    json_typed = json_settings(project)   # pydantic fields that parse their variable as JSON
    # names other code reads too (os.getenv("ALLOWED_HOSTS").split(",")): theirs to have as the file gives them
    read_elsewhere = {r.name.upper() for r in reads}
    # DJANGO_ENV=production in .env.example where that value imports a prod.py no Python 3 imports
    unusable = {u.variable: u for u in config_choice.unusable_values(project)}
    for found in sources:
        taken, dropped, debug_on, placeholders, production, unreached, not_json = [], [], [], [], [], [], []
        not_urls: list[str] = []
        # a development compose service (it builds Dockerfile-dev): the production Dockerfile's ENV wins for the
        # names both set, except in `dev`
        image = compose_env.production_env(project, found) \
            if mode != "dev" and isinstance(found, compose_env.ComposeEnv) else None
        for name, value in found.values:
            if name in environ or name in out or not value:
                continue                  # set already (yours wins), or left empty for you to fill
            if image is not None and image[1].get(name) and image[1][name] != value:
                production.append(f"{name}={image[1][name]} (not {value})")
                value = image[1][name]
            if served_at and name in SERVED_HOST_NAMES:
                continue                  # the example's production domain: here it is served elsewhere
            if served_at and name in hosts and not _accepts_local(value):
                continue                  # the same, for a host Django accepts: the local ones below instead
            if mode == "serve" and name in DEBUG_NAMES and _turns_on(value):
                # a developer's file turns debug on; the production tree never runs with it (tracebacks,
                # settings and code shown to whoever asks): off as below, `dev` keeps it
                debug_on.append(f"{name}={value}")
                continue
            if (bad := unusable.get(name)) is not None and value.strip().strip("'\"") == bad.value:
                # the value picks a configuration the app cannot run with; unset, its default branch runs
                notes.append(f"not taken from {found.path}: {name}={bad.value} (it picks {bad.module}, which "
                             f"{bad.why}; the default the code takes without it serves)")
                continue
            if name.upper() not in read_elsewhere and unparsable(json_typed, name, value) is not None:
                not_json.append(f"{name}={value}")     # the field's default serves instead of a SettingsError
                continue
            if _placeholder_url(name, value):
                # DATABASE_URL=your database url here, <your-db-url>, changeme: no scheme, so no URL a database's
                # library parses ("Could not parse SQLAlchemy URL"): unset, the code's own default or error serves
                # (and serve's database, where it gives one)
                not_urls.append(f"{name}={value}")
                continue
            if mode == "serve" and name == FLASK_ENV and value.strip().lower() in _DEVELOPMENT_VALUES:
                development.append(f"{found.path}'s {name}={value}")     # set to production below
                continue
            # a compose service's environment is the container's: its hosts (db, redis) and absolute paths
            # (/srv/db/app.db) exist only there, so the proof drops them too
            inside = isinstance(found, (compose_env.ComposeEnv, dockerfile_env.DockerfileEnv))
            if (mode != "proof" or inside) and (host := _unreachable_host(name, value)):
                if not (_web_url(value) and _read_without_default(reads, name)):
                    dropped.append(f"{name} (host {host})")
                    continue
                # the URL of a web service serve does not run (InfluxDB, an auth server) that the code reads with
                # no default, to build a client at import (`InfluxDBClient(url=os.getenv("INFLUXDB_URL"))`):
                # unset it is None and the import fails; as given, only the requests that use it fail
                unreached.append(f"{name} (host {host})")
            if inside and (path := _missing_path(value)):
                dropped.append(f"{name} (path {path})")
                continue
            if data_folder is not None and (path := _missing_path(value)) and _is_sqlite(value):
                # the example's placeholder (sqlite:////path/to/app/app.db, "replace with an absolute path"):
                # the same file name in Shipyard's data folder for the app, kept between runs
                value = _in_folder(value, path, data_folder)
                placeholders.append(f"{name} names {path}, whose folder does not exist here (a placeholder to "
                                    f"replace?): {mode} uses {data_folder / PurePosixPath(path).name} instead")
            if config_path.is_placeholder(value) and config_path.names_config_file(name) \
                    and (example := config_path.example_config(project)) is not None:
                # BASE_CONFIG="<YOUR_PATH_TO_CONFIG>": the one example config file the project ships
                placeholders.append(f"{name}={value} is a placeholder for the app's config file: {mode} gives it "
                                    f"the example the app ships, {example}")
                value = str(project.root / example)
            out[name] = value
            origins[name] = image[0] if image is not None and value == image[1].get(name) else found.path
            taken.append(name)
        if taken:
            notes.append(f"variables from {found.note()} (read in place; ones already set win): {', '.join(taken)}")
        if production:
            notes.append(f"{found.path}'s service {found.service!r} builds {found.dockerfile}, a development image: "
                         f"the production {image[0]}'s ENV gives {', '.join(production)}")
        if debug_on:
            notes.append(f"not taken from {found.path}: {', '.join(debug_on)} (debug mode shows tracebacks and "
                         f"settings to anyone; serve runs the production tree with it off, `shipyard dev` has it on)")
        notes.extend(f"{found.path}: {line}" for line in placeholders)
        if not_json:
            notes.append(f"not taken from {found.path}: {', '.join(not_json)} (pydantic reads a list or dict setting "
                         f"as JSON, and this is not JSON: the import would fail on it; the code's default serves)")
        if not_urls:
            notes.append(f"not taken from {found.path}: {', '.join(not_urls)} (a placeholder to fill in, not a URL: "
                         f"a database's or broker's library refuses it)")
        if unreached:
            notes.append(f"taken from {found.path} though their hosts do not resolve here (the code reads them with "
                         f"no default; a web service of the compose file, which serve does not run): "
                         f"{', '.join(unreached)}; what the app asks of it fails until you set them to a running one")
        if dropped:
            notes.append(f"not taken from {found.path}, as their hosts do not resolve or their folders do not "
                         f"exist here (a compose service's, a container's path?): "
                         f"{', '.join(dropped)}" + ("; serve gives the app its own database where it needs one"
                                                    if mode == "serve" else ""))

    unresolved = code_hosts.unresolved_hosts(project)
    if "redis" in databases and not environ.get("REDIS_URL"):
        # Redis(host="redis"), redis://redis:6379: the app's own Redis answers those names (run/redis.py)
        unresolved = [h for h in unresolved if h.service != "redis"]
    if mode != "proof" and (written := code_hosts.note(unresolved, mode)):
        notes.append(written)
    if served_at and (pinned := server_name.note(server_name.written(project), served_at, mode)):
        notes.append(pinned)
    read_names = {r.name for r in reads}
    known: list[str] = []
    left_empty = _left_to_fill(project, workdir, example_file)
    placeheld: list[str] = []
    secret_keys = secret_key_variables(project)     # SECRET_KEY = os.environ.get("MYAPP_SECRET_KEY")
    mail_vars = mail_setting_variables(project)     # EMAIL_HOST_USER = os.environ["DEFAULT_EMAIL"]
    log_vars = log_file_variables(project)          # LOGGING's 'filename': os.environ.get('LOGGING_PATH')
    init_commands = init_command_variables(project)   # "OPTIONS": {"init_command": config("DB_INIT_COMMAND")}
    memcached = memcached_location_variables(project)   # CACHES' 'LOCATION': os.environ.get('MEMCACHIER_SERVERS')
    engine_urls = unset_engine_urls(project) if data_folder is not None else {}   # create_engine(os.getenv("DB_URL"))
    choices = {c.name: c for c in key_choices.key_choices(project)}     # DB_CONNECTIONS[env('DEFAULT_DATABASE')]
    for name in sorted(read_names):
        if environ.get(name) or out.get(name):
            continue
        if name in SERVED_HOST_NAMES:
            # required, or given by an example file, or defaulting to the development address
            # (`os.getenv('SERVER_NAME', 'localhost:5000')`, under which Flask before 3.1 answers 404 to every
            # request made to another host and port, as nginx passes them)
            pinned = sorted({r.default_text for r in reads if r.name == name and r.default_text
                             and r.default_text != served_at})
            if served_at and (any(r.required for r in reads if r.name == name) or pinned
                              or any(name in dict(found.values) for found in sources)):
                out[name] = served_at
                instead = f", not the app's default {pinned[0]!r}" if pinned else ""
                known.append(f"{name}={served_at} (the address {mode} answers at{instead}; the app builds its URLs "
                             f"with it and may answer only requests to it: open http://{served_at}/)")
            continue
        if name in SERVED_URL_NAMES and served_at and all(r.required and not r.default for r in reads
                                                           if r.name == name):
            out[name] = f"http://{served_at}"
            known.append(f"{name}={out[name]} (the app's own address, which {mode} answers at; the app reads it with "
                         "no default)")
            continue
        if name == "DATABASE_URL" and data_folder is not None \
                and all(r.required and not r.default for r in reads if r.name == name):
            # read with no default (decouple's config("DATABASE_URL"), env.db()): a SQLite file in Shipyard's
            # folder for the app; the PostgreSQL serve starts for an app that needs one wins over it
            out[name] = _sqlite_file("sqlite", data_folder)
            known.append(f"{name}={out[name]} (the app's code requires it; a database of its own where it needs "
                         "PostgreSQL)")
            continue
        if name in engine_urls and data_folder is not None:
            # `create_async_engine(os.getenv("DB_URL"))` with the .env that sets it left out, and no database named
            # anywhere: a SQLite file in Shipyard's folder for the app (aiosqlite for an async engine)
            scheme = "sqlite+aiosqlite" if engine_urls[name] else "sqlite"
            out[name] = _sqlite_file(scheme, data_folder)
            known.append(f"{name}={out[name]} (the app opens it with SQLAlchemy and reads it with no default; "
                         "it names no database of its own)")
            continue
        if name in SERVED_PORT_NAMES:
            if all(not r.default for r in reads if r.name == name):
                # serve and dev: the port they answer at; the proof: the one an image is given (ENV PORT)
                out[name] = served_at.rsplit(":", 1)[1] if served_at else str(BY_NAME["port"].default)
                known.append(f"{name}={out[name]} (the port " + (f"{mode} answers at)" if served_at else
                                                                 "the image is given, for this import)"))
            continue
        if name in SERVED_BIND_NAMES and all(not r.default for r in reads if r.name == name) \
                and {r.path for r in reads if r.name == name} & {r.path for r in reads if r.name in SERVED_PORT_NAMES}:
            out[name] = served_at.rsplit(":", 1)[0] if served_at else "0.0.0.0"
            known.append(f"{name}={out[name]} (the host " + (f"{mode} answers at, read beside the port)" if served_at
                                                             else "an image listens on, read beside the port)"))
            continue
        if name in choices and all(r.required and not r.default for r in reads if r.name == name):
            # DB_CONNECTIONS[env('DEFAULT_DATABASE')]: only a key of that dict imports (a placeholder is a
            # KeyError): the one whose database serve runs for the app, else SQLite's
            choice = choices[name]
            out[name] = key_choices.chosen_key(choice, databases)
            known.append(f"{name}={out[name]} (a key of the dict {choice.rel}:{choice.line} indexes with it: "
                         f"{', '.join(choice.keys)})")
            continue
        if name in SECRET_NAMES or name in secret_keys:
            out[name] = _secret(secret_file)
            known.append(f"{name} (a throwaway, {f'kept in {secret_file}' if secret_file else 'for this import'})")
        elif name in hosts:
            # as the code splits it ("a,b" or "a b"); one host where it takes one (the one serve prints)
            out[name] = hosts_value(hosts[name] or "", **({"one": served_at.rsplit(":", 1)[0]} if served_at else {}))
            known.append(f"{name}={out[name]}" + ("" if name in HOSTS_NAMES else " (the code puts it into "
                                                  "ALLOWED_HOSTS: Django answers only the hosts named there)"
                                                  if accepting[name] == SETTING else " (the code gives it as "
                                                  "allowed_hosts=: the app answers only the hosts named there)"))
        elif SIGNING_SECRET.fullmatch(name) and all(not r.default for r in reads if r.name == name):
            # one key per name, beside SECRET_KEY's: tokens signed with it survive a restart
            kept = secret_file.with_name(f"{secret_file.name}.{name.lower()}") if secret_file else None
            out[name] = _secret(kept)
            known.append(f"{name} (a throwaway signing key, {f'kept in {kept}' if kept else 'for this import'})")
        elif name in DEBUG_NAMES and mode != "dev" and (off := debug_off(project, name)) is not None:
            # a read that defaults debug on, or compares it with the one spelling it takes as off
            # (`!= "FALSE"`): off as that read understands it
            out[name] = off.value
            known.append(f"{name}={off.value} (off as {off.why} reads it)")
        elif name in init_commands and all(r.required and not r.default for r in reads if r.name == name):
            # the MySQL session statement a .env gives DATABASES' OPTIONS: the one Django's notes recommend
            out[name] = STRICT_MODE
            known.append(f"{name}={STRICT_MODE} (the init_command Django's MySQL notes give)")
        elif name in memcached and all(not r.default for r in reads if r.name == name):
            # a Heroku add-on's address (MEMCACHEDCLOUD_SERVERS, MEMCACHIER_SERVERS), split at import: memcached's
            # own, so the app imports; where none runs, django-bmemcached and python-memcached miss (pages answer
            # uncached), pymemcache raises (the pages using the cache fail until one runs)
            out[name] = MEMCACHED_ADDRESS
            known.append(f"{name}={MEMCACHED_ADDRESS} (memcached's own address, for the cache the code gives it as "
                         f"LOCATION; Shipyard runs no memcached: start one there (apt install memcached), or the "
                         f"cache's client misses or fails on each use)")
        elif name == CSRF_ORIGINS and (named := [r for r in reads if r.name == name]) \
                and all(r.required and not r.default and assigned_as_text(project, r, CSRF_ORIGINS) for r in named):
            # CSRF_TRUSTED_ORIGINS = config("CSRF_TRUSTED_ORIGINS"): the text goes to Django as it is, which reads
            # its letters; empty is Django's own default, no trusted origins (any other text fails its checks)
            out[name] = ""
            known.append(f"{name}= (Django's default, no trusted origins: {named[0].path}:{named[0].line} gives "
                         "Django the text itself)")
        elif name in DEFAULTS and name not in environ and all(r.required and not r.default for r in reads
                                                               if r.name == name):
            # read with no default (os.environ["EMAIL_PORT"], config("EMAIL_PORT")): the framework's own
            out[name], whose = DEFAULTS[name]
            known.append(f"{name}={out[name]!r} ({whose} default)" if whose.endswith("'s")
                         else f"{name}={out[name]!r} ({whose})")
        elif name in mail_vars and name not in environ and all(r.required and not r.default for r in reads
                                                                if r.name == name):
            # read with no default only into a mail setting (EMAIL_HOST_USER = os.environ["DEFAULT_EMAIL"]):
            # that setting's own default, which matters only when the app sends mail
            out[name], setting = mail_vars[name]
            known.append(f"{name}={out[name]!r} (the code reads it only into {setting}: {DEFAULTS[setting][1]} "
                         "default, which matters only when the app sends mail)")
        elif name in log_vars:
            # read with no default only as a logging handler's file: a file of Shipyard's for the app (the proof's
            # in a temporary folder), where the app's log lines go instead of a path only its author had
            out[name] = _log_file(name, data_folder)
            known.append(f"{name}={out[name]} (the code reads it only as a logging handler's file)")
        elif name not in environ and all(r.required and not r.default for r in reads if r.name == name) \
                and (conventional := conventional_value(name, project.name,
                                                        lifetime_unit.computed_timedelta_unit(project))) is not None:
            # PROJECT_NAME, API_V1_STR, ALGORITHM... required by a FastAPI template's settings class: the value its
            # name says, as the template writes it
            out[name], why = conventional
            known.append(f"{name}={out[name]!r} ({why})")
        elif name in DEBUG_NAMES and (mode == "dev" or all(not r.default for r in reads if r.name == name)):
            # dev: debug on ("1" reads as true however it is parsed). Otherwise the app's own default is off in
            # almost every app, and "0" is true to bool(): set only when there is no default to fall back on
            out[name] = "1" if mode == "dev" else "0"
            known.append(f"{name}={out[name]}")
        elif (switch := _switch_only(reads, name)) is not None:
            # `if config("ROLLBAR_ACCESS_TOKEN"):` with no default raises unset; empty, the test is false and the
            # block it guards (the reads in it too) never runs: the code's own "not configured"
            out[name] = ""
            known.append(f"{name}= (empty: {switch.path}:{switch.line} reads it with no default only to test "
                         "whether it is set; what that guards stays off)")
        elif mode != "proof" and name in left_empty and _placeheld(name, reads) is not None:
            # a value only the app's author has (STRIPE_SECRET_KEY, SLACK_CLIENT_ID, SLACK_BOT_SCOPE) that the
            # example env file (or app.json) leaves for the user to fill and the code reads at import with no
            # default. serve and dev run the app with a marked placeholder, so the pages that do not use it answer;
            # the proof, the image and the generated files never get one (the image needs the real value, and its
            # check says so)
            out[name] = _placeheld(name, reads)
            placeheld.append(name)
    for name, value in production_env:
        if mode == "dev" or environ.get(name) or out.get(name) == value:
            continue
        instead = f", not {out[name]} as {origins.pop(name)} gives" if out.get(name) else ""
        out[name] = value
        known.append(f"{name}={value} (the production configuration the app's factory takes from it{instead})")
    if django_settings and (chosen := settings_default.chooser(project, django_settings)) is not None \
            and not environ.get(chosen.variable) and not out.get(chosen.variable):
        # wsgi.py reads it with no default only to pick the settings module (decouple's config("ENV") raises
        # unset), which DJANGO_SETTINGS_MODULE names already: the value that picks the same one
        out[chosen.variable] = chosen.value
        known.append(f"{chosen.variable}={chosen.value} (the value under which {chosen.rel}:{chosen.line} picks "
                     f"{django_settings}, the settings module {mode} runs with)")
    stubbed: set[str] = set()             # left unset below: a stub production class names no database
    for choice in config_choice.choices(project):
        name = choice.variable
        wanted = choice.development if mode == "dev" else choice.production
        if environ.get(name) or wanted is None or name in dict(production_env) or out.get(name) == wanted:
            continue
        given = out.get(name)
        if given and (mode == "dev" or given != choice.development):
            continue                      # the file's own choice, unless it is the development one serve never runs
        if mode != "dev" and not given and (stub := stub_production.stub_production(project)) is not None:
            # the production class is a stub naming no database its development class names (DATABASE_URL read by
            # DevelopmentConfig, ProductionConfig's URI commented out): the production value would run the app with
            # none. Left unset, the app takes its default; Flask's debug stays off (FLASK_DEBUG=0)
            if name == FLASK_ENV and not environ.get("FLASK_DEBUG") and "FLASK_DEBUG" not in out:
                out["FLASK_DEBUG"] = "0"
            notes.append(f"{name} left unset, not {wanted}: the app picks its config class by it at {choice.rel}:"
                         f"{choice.line}, and {stub.production} names no database ({stub.key} is set only by "
                         f"{stub.development}); the app takes its default")
            stubbed.add(name)
            continue
        instead = f", not {given} as {origins.pop(name)} gives" if given else ""
        out[name] = wanted
        known.append(f"{name}={wanted} (the value that picks the app's {'development' if mode == 'dev' else 'production'} "
                     f"config class at {choice.rel}:{choice.line}{instead})")
    for name in dict.fromkeys(r.name for r in reads):
        if environ.get(name) or name in out or (word := mode_value(project, name, mode)) is None:
            continue
        # ENVIRONMENT = os.environ["ENVIRONMENT"], then only `if ENVIRONMENT == "development":`: the run mode, the
        # production word (dev: the development one) the code compares it with (detect/mode_reads.py); after the
        # choices above, which know what the word picks
        out[name] = word.value
        known.append(f"{name}={word.value} ({word.why})")
    for name in configclass.loader_variables(project):
        if environ.get(name):
            continue
        given = out.get(name)
        if given and mode != "dev" and configclass.names_kind(given.rsplit(".", 1)[-1], "development") \
                and (chosen := configclass.config_class(project, workdir)) is not None:
            # an example file's `APP_SETTINGS=config.DevelopmentConfig` (what a developer copies to .env): the
            # production tree never runs the development class (debug on), as with DEBUG above
            out[name] = chosen
            known.append(f"{name}={chosen} (the app's production config class, which it loads with from_object; "
                         f"not {given} as {origins.pop(name)} gives)")
            continue
        if given:
            continue
        kind = "development" if mode == "dev" else "production"
        chosen = configclass.config_class(project, workdir, kind) or (
            configclass.config_class(project, workdir) if mode == "dev" else None)
        if chosen is None:
            continue                      # no class of its own to name: the app's error says what is missing
        out[name] = chosen
        known.append(f"{name}={chosen} (the app's {'' if mode == 'proof' else kind + ' '}config class, "
                     f"which it loads with from_object)")
    if mode == "serve" and not environ.get(FLASK_ENV) and FLASK_ENV not in out and FLASK_ENV not in stubbed:
        # the file's value, not taken above, or one the app loads itself (load_dotenv() does not override)
        development += [f"{rel}'s {FLASK_ENV}={value}" for rel, value in cli_dotenv.values_of(project, workdir, FLASK_ENV)
                        if value.strip().lower() in _DEVELOPMENT_VALUES and not any(rel in d for d in development)]
        stub = stub_production.stub_production(project) if development and any(r.name == FLASK_ENV for r in reads) \
            else None
        if stub is not None:
            # the app picks its config class by FLASK_ENV, and its production class is a stub naming no database
            # (its development one does): the production value would run it with none. Left unset, Flask's debug
            # stays off (FLASK_DEBUG=0 wins over a FLASK_ENV the app loads itself) and the app takes its default
            if not environ.get("FLASK_DEBUG") and "FLASK_DEBUG" not in out:
                out["FLASK_DEBUG"] = "0"
            notes.append(f"{FLASK_ENV} left unset: not {', '.join(development)} (Flask before 2.3 turns debug mode on "
                         f"with it; FLASK_DEBUG=0 keeps it off), nor production, as the app picks its config class by "
                         f"it and {stub.production} names no database ({stub.key} is set only by {stub.development}); "
                         "the app takes its default")
        elif development:
            out[FLASK_ENV] = "production"
            notes.append(f"{FLASK_ENV}=production: serve runs the production tree, not {', '.join(development)} "
                         f"(Flask before 2.3 turns debug mode on with it; `shipyard dev` takes it)")
    if "LOCPATH" not in environ and (names := locale_names.set_locales(project)):
        # `locale.setlocale(locale.LC_ALL, "en_US.UTF-8")` at import, on a machine that never generated it
        path, said = locales.locale_path(names, cache_root(environ))
        if path:
            out["LOCPATH"] = path
            cache_store.use(Path(path))       # the served app reads it while it runs: clean leaves it alone
        notes += said
    prepend: dict[str, str] = {}
    if django_settings and serve_settings.SETTINGS not in environ \
            and (rel := unset_secret_key(project, workdir, django_settings)) is not None:
        # the key was in a module kept out of git (local_settings.py): Django reads it only from the settings, so
        # serve's settings module, over the app's, gives it a throwaway one (never the image)
        folder = cache_root(environ) / f"django-settings-{serve_settings.VERSION}"
        serve_settings.write_module(folder)
        cache_store.use(folder)
        overlay = serve_settings.settings_environ(folder, django_settings, {})
        prepend["PYTHONPATH"] = overlay.pop("PYTHONPATH")
        out.update(overlay)
        out[serve_settings.SECRET_KEY] = _secret(secret_file)
        notes.append(f"{rel} sets no SECRET_KEY, or sets it empty (nor does a module of the project it imports: a "
                     f"local settings file kept out of git?): a throwaway one{f' kept in {secret_file}' if secret_file else ''}, "
                     f"given by Shipyard's settings module {serve_settings.MODULE} over {django_settings} "
                     "(the image keeps the app's settings: set SECRET_KEY in them)")
    if known:
        notes.append(f"set because the app reads them and they are not set: {', '.join(known)}")
    if placeheld:
        names, them = ", ".join(placeheld), "it" if len(placeheld) == 1 else "them"
        where = " and ".join(dict.fromkeys(left_empty[name] for name in placeheld))
        notes.append(f"PLACEHOLDERS, not real values: {names} ({where} {'leave' if ' and ' in where else 'leaves'} "
                     f"{them} for you to fill, "
                     f"and the code requires {them} at import) given {PLACEHOLDER!r} in {mode} only, so the pages "
                     f"that do not use {them} answer; what does fails until you set {them} (export "
                     f"{placeheld[0]}=...); the image never gets a placeholder")
    if (mounted := mounted_code(project, workdir)):
        # packages the app's compose service mounts into its code folder from elsewhere in the project: importable
        # from where the app runs, as in its container, through links in a folder of Shipyard's on PYTHONPATH
        links = _code_links(project, workdir, mounted, environ)
        prepend["PYTHONPATH"] = os.pathsep.join(filter(None, (prepend.get("PYTHONPATH"), str(links))))
        notes.append(f"{', '.join(m.source for m in mounted)}: the compose file mounts "
                     f"{'it' if len(mounted) == 1 else 'them'} into the app's code "
                     f"({', '.join(m.volume for m in mounted)}): importable from {workdir}/ here too, through "
                     f"{links} on PYTHONPATH")
    origins.update((name, "Shipyard") for name in out if name not in origins)
    return RunConfig(tuple(sorted(out.items())), tuple(notes), tuple(sorted(origins.items())),
                     tuple(sorted(prepend.items())))


def _code_links(project: Project, workdir: str, mounted: tuple, environ: Mapping[str, str]) -> Path:
    """A folder of Shipyard's holding a link named as each mounted package is imported, to it in the project."""
    key = hashlib.sha256(f"{project.root.resolve()}|{workdir}".encode()).hexdigest()[:16]
    folder = cache_root(environ) / "mounted-code" / key
    folder.mkdir(parents=True, exist_ok=True)
    for m in mounted:
        link, target = folder / (m.name + (".py" if m.source.endswith(".py") else "")), project.root.resolve() / m.source
        if link.is_symlink() and os.readlink(link) == str(target):
            continue
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
    cache_store.use(folder)
    return folder


def said_origins(names: tuple[str, ...], origins: Mapping[str, str]) -> str:
    """" (POSTGRES_PASSWORD from serve's own PostgreSQL)": where the values of the variables an import failed
    on came from, for its one line; "" when none of them was given by Shipyard."""
    said = [f"{name} from {origins[name]}" for name in names if name in origins]
    return f" ({', '.join(said)})" if said else ""


def served_host_note(names: tuple[str, ...]) -> str | None:
    """What to do about a variable naming the host the app is served under, where Shipyard does not set it
    (inspect, init, build: the image runs wherever the user puts it)."""
    named = [n for n in names if n in SERVED_HOST_NAMES]
    if not named:
        return None
    return (f"{named[0]} is the host name the app is served under (e.g. example.com, or host:port): give it to "
            f"the image where it runs (docker run -e {named[0]}=..., `shipyard build --env {named[0]}=...` for its check); "
            f"`serve` and `dev` set it to their own address")


def config_class_notes(root: str | Path, workdir: str, django_settings: str | None = None) -> tuple[str, ...]:
    """What to do about a variable naming the config class the app loads (inspect, init, build: the image
    runs with the environment the user gives it, and the proof's value is not in it)."""
    project = Project(root)
    out = []
    for name in configclass.loader_variables(project):
        chosen = configclass.config_class(project, workdir)
        example = chosen or "module.ConfigClass"
        out.append(f"{name} names the config class the app loads (config.from_object): give it to the image where "
                   f"it runs (docker run -e {name}={example}, `shipyard build --env {name}={example}` for its check)"
                   + ("; `serve` and `dev` set it to the app's production and development classes" if chosen else ""))
    if django_settings and (picker := settings_default.chooser(project, django_settings)) is not None:
        out.append(f"{picker.variable} picks the Django settings module at {picker.rel}:{picker.line}: give the "
                   f"image {picker.variable}={picker.value}, the value that picks {django_settings} (docker run -e "
                   f"{picker.variable}={picker.value}); `serve` sets it")
    for choice in config_choice.choices(project):
        if choice.production is not None:
            out.append(f"{choice.variable} picks the app's config class at {choice.rel}:{choice.line}: "
                       f"give the image its production key (docker run -e {choice.variable}={choice.production}, "
                       f"`shipyard build --env {choice.variable}={choice.production}` for its check); `serve` sets it")
    return tuple(out)


def _run_script_names(project: Project) -> set[str]:
    """The names a run script's values are taken for: those the code cannot start without (`os.environ["X"]`,
    read nowhere with a default), but the app's own signing keys (SECRET_KEY, JWT_SECRET), which get a throwaway
    as when nothing gives them. An optional setting (`os.environ.get("DATABASE_URL")`) keeps the code's answer."""
    reads = env_reads(project)
    keys = secret_key_variables(project)
    defaulted = {r.name for r in reads if r.default}
    return {r.name for r in reads if r.required and r.name not in defaulted
            and r.name not in SECRET_NAMES and r.name not in keys and not SIGNING_SECRET.fullmatch(r.name)}


def _secret(path: Path | None) -> str:
    """A random key, kept (0600) in `path` when given so sessions survive a restart; never in the app folder."""
    if path is None:
        return secrets.token_urlsafe(50)
    try:
        value = path.read_text().strip()
        if value:
            return value
    except OSError:
        pass
    value = secrets.token_urlsafe(50)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(value + "\n")
    return value


def placeheld_names(project: Project, workdir: str, entry_module: str | None, names: Iterable[str]) -> tuple[str, ...]:
    """Those of `names` that serve and dev give a marked placeholder (rule in run_config), for the line of a check
    that stops on them (the proof, whose run gets none)."""
    listed = _left_to_fill(project, workdir, envfile.for_app(project, workdir, entry_module))
    reads = env_reads(project)
    return tuple(name for name in names if name in listed and _placeheld(name, reads) is not None)


def _left_to_fill(project: Project, workdir: str, example) -> dict[str, str]:
    """{name: the file that says so} for the values the app's own files leave for the user to fill."""
    # the names the example env file (or the README's .env) lists with no value
    left = {name: example.described for name, value in example.values if not value} if example is not None else {}
    # and those Heroku's app.json asks the deployer for, with no value of its own
    left.update((name, app_json.NAME) for name in app_json.left_to_fill(project) if name not in left)
    # and those the app's compose files take from the shell with no value (`GEOCODING_KEY=$GEOCODING_KEY`)
    left.update((name, rel) for name, rel in compose_env.left_to_fill(project, (".", workdir)).items()
                if name not in left)
    # and those a committed sample of the module that reads them writes as placeholder text (settings-dist.py's
    # `API_KEY = "PLACE YOUR KEY HERE"` beside settings.py's os.environ["API_KEY"])
    left.update((name, f"{module}'s sample {sample}")
                for name, (module, sample) in sample_slots.left_to_fill(project).items() if name not in left)
    return left


def _placeheld(name: str, reads: Iterable[EnvRead]) -> str | None:
    """The placeholder for `name`, which the code reads only with no default (reads that raise unset, or a
    settings class's required field), when a placeholder only leaves it unused: not an address, path, mode or
    duration, and a number only for an id (0). None otherwise."""
    mine = [r for r in reads if r.name == name]
    upper = name.upper()
    # every read raises unset: one with a default of its own (base settings' `os.getenv("EMAIL_HOST_USER", "")`
    # beside prod.py's os.environ[...]) keeps it
    if not mine or not all(r.required and not r.default and not r.tested for r in mine) \
            or _NOT_PLACEHELD.search(upper):
        return None
    if any(r.numeric for r in mine):
        return PLACEHOLDER_NUMBER if _CREDENTIAL.search(upper) else None
    return PLACEHOLDER


def _accepts_local(value: str) -> bool:
    """A hosts value under which Django answers a request to this machine ("*", "localhost,.example.com")."""
    return any(h.strip().strip("'\"[]") in ("*", "localhost", "127.0.0.1", ".localhost", "::1")
               for h in re.split(r"[\s,]+", value))


def _turns_on(value: str) -> bool:
    """A debug variable's value that any of the usual readers (bool(), int(), distutils' strtobool, a
    comparison with "1" or "true") takes as on."""
    return value.strip().lower() not in ("", "0", "false", "no", "off", "n", "f")


def _unreachable_host(name: str, value: str) -> str | None:
    """The host a URL value (or a *_HOST value) names when this machine cannot resolve it, else None."""
    if _URL.match(value):
        try:
            host = urlsplit(value).hostname
        except ValueError:
            return None
    elif name.upper().endswith("_HOST") and re.fullmatch(r"[A-Za-z0-9.-]+", value):
        host = value
    else:
        return None
    return host if host and not code_hosts.resolves(host) else None


# settings whose value a database's or broker's library parses as a URL (SQLAlchemy, dj-database-url, redis's and
# pymongo's from_url, Celery): a value with no scheme is prose left to fill in, whatever it says
_SERVICE_URL_NAME = re.compile(r"(?:DATABASE|SQLALCHEMY|POSTGRES(?:QL)?|MYSQL|MARIADB|MONGO(?:DB)?|REDIS|BROKER|"
                               r"(?:^|_)(?:DB|PG|CACHE|AMQP|RABBIT(?:MQ)?))_(?:URL|URI)$")


def _placeholder_url(name: str, value: str) -> bool:
    """Whether `value`, given to a database's or broker's URL setting, is no URL at all (no scheme://): `url de base
    de datos`, `<your-db-url>`, `changeme`."""
    return bool(_SERVICE_URL_NAME.search(name.upper())) and not _URL.match(value.strip().strip("'\""))


def _web_url(value: str) -> bool:
    """An http(s) URL: a web service's, not a database or broker serve could give the app instead."""
    return value.lower().startswith(("http://", "https://"))


def _read_without_default(reads: Iterable[EnvRead], name: str) -> bool:
    """Whether the code reads `name` and every read has no default and decides nothing by it (not `if os.getenv(X):`)."""
    mine = [r for r in reads if r.name == name]
    return bool(mine) and all(not r.default and not r.tested and not r.switch for r in mine)


def _is_sqlite(value: str) -> bool:
    """A SQLite URL, or the path of a database file."""
    return value.startswith("sqlite:") or bool(re.search(r"[.](db|db3|sqlite|sqlite3)$", value, re.I))


def _sqlite_file(scheme: str, folder: Path) -> str:
    """The URL of the SQLite file serve and dev give the app in `folder`, made when missing (0700): SQLite
    creates the file, not its folder ("unable to open database file"), and an app with a secret key of its own
    has had nothing else make it."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"{scheme}:///{folder / 'db.sqlite3'}"


def _log_file(name: str, data_folder: Path | None) -> str:
    """The file serve and dev give a variable naming a log file (in `data_folder`), or the proof (a temporary
    folder of its own), its folder made when missing: the handler opens the file, not its folder."""
    folder = (data_folder or Path(tempfile.gettempdir()) / f"shipyard-proof-logs-{os.getuid()}") / "logs"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(folder / f"{name.lower()}.log")


def _in_folder(value: str, path: str, folder: Path) -> str:
    """`value` with the file `path` it names moved into `folder` (made when missing, 0700)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return value.replace(path, str(folder / PurePosixPath(path).name), 1)


def _missing_path(value: str) -> str | None:
    """The absolute path a value (or a sqlite:/// URL) names when neither it nor its folder exists here."""
    path = value[len("sqlite:///"):] if value.startswith("sqlite:////") else value
    if not re.fullmatch(r"/[^\s:;,]*", path):
        return None
    return None if os.path.exists(path) or os.path.isdir(os.path.dirname(path)) else path
