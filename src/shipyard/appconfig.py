"""The configuration an app runs with here (the import proof, `serve`, `dev`) where its environment does not
give it: the env files the flask CLI loads for a Flask app (detect/cli_dotenv.py), the variables of its
example env file (detect/envfile.py) and of its own compose file's service
(detect/compose_env.py), and the few framework variables whose local value is known: a throwaway SECRET_KEY,
ALLOWED_HOSTS for this machine, DEBUG off (on for `dev`; off is the app's own default when it has one), and in
`serve` and `dev` the address they answer at for a variable the app requires that names the host it is served
under (SERVED_HOST_NAMES). A variable whose value the app passes to `config.from_object` (APP_SETTINGS) gets
the dotted path of the app's own production config class (development for `dev`; detect/configclass.py).

Variables already set always win. Known variables are set only when the app's code reads them (the names
found by detect/services.env_reads), and each one set is said. In `serve` and `dev`, an example value that
names a host this machine cannot resolve (a compose service such as `db`) is dropped, so the app's own
database (run/database.py) or the app's default takes its place. Nothing here goes into the image or the
generated files: secrets stay out of them.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit

from .detect import cli_dotenv, code_hosts, compose_env, configclass, envfile
from .detect.services import env_reads
from .project import Project

MODES = ("proof", "serve", "dev")
SECRET_NAMES = frozenset({"SECRET_KEY", "DJANGO_SECRET_KEY", "FLASK_SECRET_KEY"})
# the app's own signing keys under other names (JWT_SECRET_KEY, SESSION_SECRET, MYAPP_AUTH_SECRET): any random
# value works, as for SECRET_KEY; a third party's credential (STRIPE_SECRET_KEY, GOOGLE_CLIENT_SECRET) does not
SIGNING_SECRET = re.compile(r"(?:[A-Z0-9]+_)?(?:JWT|SESSION|COOKIE|CSRF|AUTH|TOKEN|SIGNING)_SECRET(?:_KEY)?")
HOSTS_NAMES = frozenset({"ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"})
DEBUG_NAMES = frozenset({"DEBUG", "DJANGO_DEBUG", "FLASK_DEBUG"})
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
# the host (and port) the app is served under, as the framework matches it against the request's Host:
# Flask's and Quart's SERVER_NAME config key ("host:port"), Sanic's too, each read from the variable of the
# same name by the apps that take it from the environment (flasky's `os.environ['SERVER_NAME']`). Django has
# no such setting (ALLOWED_HOSTS, above, is a list of hosts to accept, not the one to build URLs with).
SERVED_HOST_NAMES = frozenset({"SERVER_NAME"})
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class RunConfig:
    variables: tuple[tuple[str, str], ...]    # to add under the environment (names not set there)
    notes: tuple[str, ...]                    # one line per source, values of secrets never shown

    @property
    def environ(self) -> dict[str, str]:
        return dict(self.variables)

    def under(self, environ: Mapping[str, str]) -> dict[str, str]:
        """`environ` with these variables added where it does not set them."""
        return {**self.environ, **environ}


def run_config(root: str | Path, workdir: str, environ: Mapping[str, str], *, mode: str,
               secret_file: Path | None = None, served_at: str | None = None) -> RunConfig:
    """What to add to `environ` for the app in `root` to run (`mode`: proof, serve or dev). `secret_file`
    keeps a generated SECRET_KEY between runs (serve, dev); without it a fresh one is made (the proof).
    `served_at`: the host:port serve or dev answers at, never given for the proof (an image's host is the
    user's to set)."""
    if mode not in MODES:
        raise ValueError(mode)
    if served_at is not None and mode == "proof":
        raise ValueError("the proof has no address")
    project = Project(root)
    out: dict[str, str] = {}
    notes: list[str] = []

    # the env files the flask CLI would load for the app (its own .env, .flaskenv), else the example env file
    # (what the README says to copy to .env), then the environment the app's own compose file gives its
    # service, for the names the first left unset
    sources = [found for found in (cli_dotenv.find(project, workdir, development=mode == "dev"),
                                   envfile.find(project, (".", workdir)), compose_env.find(project, (".", workdir)))
               if found is not None]
    for found in sources:
        taken, dropped, debug_on = [], [], []
        for name, value in found.values:
            if name in environ or name in out or not value:
                continue                  # set already (yours wins), or left empty for you to fill
            if served_at and name in SERVED_HOST_NAMES:
                continue                  # the example's production domain: here it is served elsewhere
            if mode == "serve" and name in DEBUG_NAMES and _turns_on(value):
                # a developer's file turns debug on; the production tree never runs with it (tracebacks,
                # settings and code shown to whoever asks): off as below, `dev` keeps it
                debug_on.append(f"{name}={value}")
                continue
            # a compose service's environment is the container's: its hosts (db, redis) and absolute paths
            # (/srv/db/app.db) exist only there, so the proof drops them too
            inside = isinstance(found, compose_env.ComposeEnv)
            if (mode != "proof" or inside) and (host := _unreachable_host(name, value)):
                dropped.append(f"{name} (host {host})")
                continue
            if inside and (path := _missing_path(value)):
                dropped.append(f"{name} (path {path})")
                continue
            out[name] = value
            taken.append(name)
        if taken:
            notes.append(f"variables from {found.note()} (read in place; ones already set win): {', '.join(taken)}")
        if debug_on:
            notes.append(f"not taken from {found.path}: {', '.join(debug_on)} (debug mode shows tracebacks and "
                         f"settings to anyone; serve runs the production tree with it off, `shipyard dev` has it on)")
        if dropped:
            notes.append(f"not taken from {found.path}, as their hosts do not resolve or their folders do not "
                         f"exist here (a compose service's, a container's path?): "
                         f"{', '.join(dropped)}" + ("; serve gives the app its own database where it needs one"
                                                    if mode == "serve" else ""))

    if mode != "proof" and (written := code_hosts.note(code_hosts.unresolved_hosts(project), mode)):
        notes.append(written)
    reads = env_reads(project)
    read_names = {r.name for r in reads}
    known: list[str] = []
    for name in sorted(read_names):
        if environ.get(name) or out.get(name):
            continue
        if name in SERVED_HOST_NAMES:
            if served_at and (any(r.required for r in reads if r.name == name)
                              or any(name in dict(found.values) for found in sources)):
                out[name] = served_at
                known.append(f"{name}={served_at} (the address {mode} answers at; the app builds its URLs with "
                             f"it and may answer only requests to it: open http://{served_at}/)")
            continue
        if name in SECRET_NAMES:
            out[name] = _secret(secret_file)
            known.append(f"{name} (a throwaway, {f'kept in {secret_file}' if secret_file else 'for this import'})")
        elif SIGNING_SECRET.fullmatch(name) and all(not r.default for r in reads if r.name == name):
            # one key per name, beside SECRET_KEY's: tokens signed with it survive a restart
            kept = secret_file.with_name(f"{secret_file.name}.{name.lower()}") if secret_file else None
            out[name] = _secret(kept)
            known.append(f"{name} (a throwaway signing key, {f'kept in {kept}' if kept else 'for this import'})")
        elif name in HOSTS_NAMES:
            separator = next((r.separator for r in reads if r.name == name and r.separator is not None), ",")
            out[name] = separator.join(LOCAL_HOSTS)    # as the code splits it: "a,b" or "a b"
            known.append(f"{name}={out[name]}")
        elif name in DEBUG_NAMES and (mode == "dev" or all(not r.default for r in reads if r.name == name)):
            # dev: debug on ("1" reads as true however it is parsed). Otherwise the app's own default is off in
            # almost every app, and "0" is true to bool(): set only when there is no default to fall back on
            out[name] = "1" if mode == "dev" else "0"
            known.append(f"{name}={out[name]}")
    for name in configclass.loader_variables(project):
        if environ.get(name) or out.get(name):
            continue
        kind = "development" if mode == "dev" else "production"
        chosen = configclass.config_class(project, workdir, kind) or (
            configclass.config_class(project, workdir) if mode == "dev" else None)
        if chosen is None:
            continue                      # no class of its own to name: the app's error says what is missing
        out[name] = chosen
        known.append(f"{name}={chosen} (the app's {'' if mode == 'proof' else kind + ' '}config class, "
                     f"which it loads with from_object)")
    if known:
        notes.append(f"set because the app reads them and they are not set: {', '.join(known)}")
    return RunConfig(tuple(sorted(out.items())), tuple(notes))


def served_host_note(names: tuple[str, ...]) -> str | None:
    """What to do about a variable naming the host the app is served under, where Shipyard does not set it
    (inspect, init, build: the image runs wherever the user puts it)."""
    named = [n for n in names if n in SERVED_HOST_NAMES]
    if not named:
        return None
    return (f"{named[0]} is the host name the app is served under (e.g. example.com, or host:port): give it to "
            f"the image where it runs (docker run -e {named[0]}=..., `shipyard build --env {named[0]}=...` for its check); "
            f"`serve` and `dev` set it to their own address")


def config_class_notes(root: str | Path, workdir: str) -> tuple[str, ...]:
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
    return tuple(out)


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


def _missing_path(value: str) -> str | None:
    """The absolute path a value (or a sqlite:/// URL) names when neither it nor its folder exists here."""
    path = value[len("sqlite:///"):] if value.startswith("sqlite:////") else value
    if not re.fullmatch(r"/[^\s:;,]*", path):
        return None
    return None if os.path.exists(path) or os.path.isdir(os.path.dirname(path)) else path
