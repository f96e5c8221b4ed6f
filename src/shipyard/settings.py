"""Every user setting, declared once: name, type, default, allowed values, CLI flag, env var, doc.

Precedence (stated once, applied by `resolve`): command-line flag > [tool.shipyard] > detected > default.
The CLI flags and docs/settings.md are generated from SETTINGS; nothing else declares a setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .errors import SettingError


@dataclass(frozen=True)
class Setting:
    name: str                      # key in [tool.shipyard] and in plan.settings
    type: type                     # int, str, bool or tuple (list of str)
    default: Any
    doc: str
    flag: str | None = None        # command-line flag, where one exists
    env: str | None = None         # variable read at run time by the generated files
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None     # beyond it the value is a typo, not a setting (--workers 100000)
    check: Callable[[Any], str | None] | None = None   # returns an error text, or None when valid


def _size(value: str) -> str | None:
    return None if re.fullmatch(r"\d+[kKmMgG]?", value) else "a size such as 10m, 512k or 1g"


def _url_path(value: str) -> str | None:
    return None if value.startswith("/") and " " not in value else "a URL path starting with /"


def _cpus(value: str) -> str | None:
    match = re.fullmatch(r"(\d+)m|\d+(\.\d+)?", value)
    ok = match is not None and (int(match.group(1)) >= 100 if match.group(1) else float(value) >= 0.1)
    return None if ok else "a CPU amount such as 1, 0.5 or 500m (at least 100m)"


def _host(value: str) -> str | None:
    labels = value.split(".")
    ok = len(value) <= 253 and all(re.fullmatch(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?", p) for p in labels)
    return None if ok else "a lowercase DNS name such as app.example.com"


def _entry(value: str) -> str | None:
    # module:attr, module:factory(), or a paste ini file
    if value.endswith(".ini") or re.fullmatch(r"[\w.]+:[\w.]+(\(.*\))?", value):
        return None
    return "module:attr, module:create_app() or a paste .ini file"


SETTINGS: tuple[Setting, ...] = (
    Setting("entry", str, None, "The app to serve, in the form gunicorn takes (`module:app`, "
            "`module:create_app()`), or a Pyramid paste .ini file. Detected when unset.",
            flag="--entry", check=_entry),
    Setting("python", str, None, "Python version for the image (`3.12`). Detected when unset.",
            flag="--python", check=lambda v: None if re.fullmatch(r"3\.\d+", v) else "a version such as 3.12"),
    Setting("server", str, "granian", "The application server: `granian` (default: the fastest behind nginx, "
            "docs/performance.md), `gunicorn` or `uwsgi`. aiohttp apps default to `gunicorn` (aiohttp's worker), "
            "Tornado apps to `tornado` (its own HTTP server); a script that starts aiohttp's own server "
            "(web.run_app) runs it as `aiohttp`.", flag="--server",
            choices=("gunicorn", "uwsgi", "granian", "tornado", "aiohttp")),
    Setting("topology", str, "bundle", "`bundle`: nginx and the app server under supervisord in one image; "
            "`app`: the app server alone (platforms with their own load balancer); `compose`: separate services.",
            flag="--topology", choices=("bundle", "app", "compose")),
    Setting("db", str, "auto", "Database service for compose, `serve` and `dev`: `auto` follows the detected "
            "drivers; `none` runs without one. Without DATABASE_URL, `serve` and `dev` run a PostgreSQL of the "
            "app's own (a MySQL app, or `mysql`: a MariaDB from this machine's mariadb-server; `serve` and `dev` "
            "only), kept in the user's data folder.", flag="--db", choices=("auto", "postgres", "mysql", "none")),
    Setting("redis", str, "auto", "Redis for `serve`, `dev` and the stacks: `auto` runs a Redis of the app's own "
            "when the app uses one (a Redis client in its dependencies): under `serve`/`dev` this machine's "
            "redis-server, data kept in the user's data folder, unless REDIS_URL is set; in compose.yaml and the "
            "Swarm stack a `redis` service with a named volume. `none` runs without one.", flag="--redis", choices=("auto", "none")),
    Setting("postgres_bin", str, None, "Folder of the PostgreSQL server programs (initdb, pg_ctl, postgres, psql) "
            "that `serve`, `dev` and `migrate` run the app's own database with. Default: `initdb` on PATH, else the newest "
            "/usr/lib/postgresql/*/bin.", flag="--postgres-bin"),
    Setting("port", int, 8000, "Port the container (or `serve`) listens on.", flag="--port", env="PORT",
            minimum=1, check=lambda v: None if v <= 65535 else "a port number up to 65535"),
    Setting("workers", int, 0, "Worker processes; 0 sizes them from the container's CPU quota and memory limit.",
            flag="--workers", env="WEB_CONCURRENCY", minimum=0, maximum=512),
    Setting("threads", int, 0, "Threads per worker; 0 picks the server's best default.", flag="--threads",
            env="PYTHON_THREADS", minimum=0, maximum=1024),
    Setting("timeout", int, 30, "Seconds a request may run before its worker is restarted.",
            env="SHIPYARD_TIMEOUT", minimum=1, maximum=86400),
    Setting("graceful_timeout", int, 30, "Seconds requests in flight get to finish on stop.",
            env="SHIPYARD_GRACEFUL_TIMEOUT", minimum=1, maximum=86400),
    Setting("keepalive", int, 5, "Seconds an idle keep-alive connection is held.", env="SHIPYARD_KEEPALIVE",
            minimum=0, maximum=3600),
    Setting("max_requests", int, 1000, "Requests after which a worker is recycled (0: never).",
            env="SHIPYARD_MAX_REQUESTS", minimum=0),
    Setting("max_requests_jitter", int, 100, "Random spread added to max_requests so workers do not restart together.",
            minimum=0),
    Setting("max_body_size", str, "10m", "Largest request body nginx accepts.", env="SHIPYARD_MAX_BODY_SIZE",
            check=_size),
    Setting("health_path", str, "/", "Path of the app that the health checks request.", check=_url_path),
    Setting("smoke_paths", tuple, ("/",), "Paths `verify` requests and expects to answer below 400.",
            flag="--path", check=lambda v: next((f"{p!r}: a URL path starting with /" for p in v
                                                  if not p.startswith("/")), None)),
    Setting("release", str, None, "Command run once after the database is ready and before the app serves "
            "(migrations, data loaders): a one-off service in compose, `shipyard migrate` here. Detected: Django "
            "migrate, Flask-Migrate, Alembic, aerich (Tortoise ORM), Piccolo.", flag="--release"),
    Setting("base_image", str, None, "Base image for the Dockerfile (the BASE build argument). "
            "Default: the official slim image of the plan's Python.", flag="--base"),
    Setting("proof_timeout", int, 120, "Seconds Shipyard may spend building the cached environment that proves "
            "the entry by importing it (when the app has no environment of its own); past it the plan keeps the "
            "static answer, marked not proven.", minimum=1),
    Setting("user_uid", int, 10001, "Fixed UID of the non-root user in the image.", minimum=1000,
            maximum=2**31 - 2),
    Setting("replicas", int, 2, "App replicas on an orchestrator: `shipyard swarm up`, Kubernetes (the autoscaler "
            "never goes below it). Two or more keep serving while one is replaced.",
            flag="--replicas", minimum=1, maximum=100),
    Setting("cpu_limit", str, "1", "CPUs one app container may use on Kubernetes (`1`, `500m`): its requests, "
            "limits and worker count derive from it.", flag="--cpu-limit", check=_cpus),
    Setting("ingress_host", str, None, "Host name of the Kubernetes Ingress; no Ingress is written without it.",
            flag="--ingress-host", check=_host),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
# [tool.shipyard.<name>] tables that belong to one command, which validates them itself (lint/config.py).
SUBTABLES = frozenset({"lint"})


def validate(name: str, value: Any, origin: str) -> Any:
    """Coerce and check one value; `origin` names where it came from, for the error."""
    setting = BY_NAME.get(name)
    if setting is None:
        raise SettingError(f"unknown setting {name!r} in {origin}",
                           f"known settings: {', '.join(sorted(BY_NAME))}")
    where = f"{origin}: {name} = {value!r}"
    if value is None:
        return None
    if setting.type is tuple:
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise SettingError(f"{where} is not a list of strings", f"set {name} = [\"/\", ...]")
        value = tuple(value)
    elif setting.type is int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise SettingError(f"{where} is not a whole number", f"set {name} to a number")
        try:
            value = int(value)
        except ValueError:
            raise SettingError(f"{where} is not a whole number", f"set {name} to a number") from None
        if setting.minimum is not None and value < setting.minimum:
            raise SettingError(f"{where} is below {setting.minimum}", f"set {name} to {setting.minimum} or more")
        if setting.maximum is not None and value > setting.maximum:
            raise SettingError(f"{where} is above {setting.maximum}", f"set {name} to {setting.maximum} or less")
    elif setting.type is str:
        if not isinstance(value, str):
            raise SettingError(f"{where} is not a string", f"quote it: {name} = \"...\"")
    if setting.choices and value not in setting.choices:
        raise SettingError(f"{where} is not allowed", f"choose one of: {', '.join(setting.choices)}")
    if setting.check is not None:
        problem = setting.check(value)
        if problem:
            raise SettingError(f"{where} is invalid", f"expected {problem}")
    return value


def resolve(flags: Mapping[str, Any], project_table: Mapping[str, Any],
            detected: Mapping[str, Any]) -> dict[str, Any]:
    """Merge the layers by precedence: flag > [tool.shipyard] > detected > default."""
    project_table = {k: v for k, v in project_table.items() if k not in SUBTABLES}
    for key in project_table:
        validate(key.replace("-", "_"), project_table[key], "[tool.shipyard] in pyproject.toml")
    table = {k.replace("-", "_"): v for k, v in project_table.items()}
    merged: dict[str, Any] = {}
    for s in SETTINGS:
        if flags.get(s.name) is not None:
            merged[s.name] = validate(s.name, flags[s.name], f"option {s.flag or s.name}")
        elif table.get(s.name) is not None:
            merged[s.name] = validate(s.name, table[s.name], "[tool.shipyard] in pyproject.toml")
        elif detected.get(s.name) is not None:
            merged[s.name] = detected[s.name]
        else:
            merged[s.name] = s.default
    return merged


def reference_markdown() -> str:
    """docs/settings.md, generated from SETTINGS."""
    lines = ["# Settings reference", "",
             "Generated from `src/shipyard/settings.py` by `shipyard settings --markdown`; do not edit by hand.", "",
             "Precedence: command-line flag > `[tool.shipyard]` in pyproject.toml > detected > default. "
             "Settings with an environment variable can also be changed at run time, without regenerating files.", "",
             "| setting | default | flag | env at run time | allowed | meaning |",
             "|---|---|---|---|---|---|"]
    for s in SETTINGS:
        default = "detected" if s.default is None else repr(s.default) if s.type is tuple else f"`{s.default}`"
        allowed = ", ".join(f"`{c}`" for c in s.choices) or (
            f"{s.minimum}..{s.maximum}" if s.minimum is not None and s.maximum is not None
            else f">= {s.minimum}" if s.minimum is not None else "")
        lines.append(f"| `{s.name}` | {default} | {f'`{s.flag}`' if s.flag else ''} | "
                     f"{f'`{s.env}`' if s.env else ''} | {allowed} | {s.doc} |")
    return "\n".join(lines) + "\n"
