"""The Swarm target: render(plan, SwarmOptions) -> the stack file, nginx's config and the Dockerfile of the
stack's nginx image, and translate(plan, SwarmOptions) -> what Swarm does with each part of the plan.

The app image is the compose topology's (the app server alone, listening on TCP); nginx runs as its own
service. No side effects: `engine/swarm.py` deploys, `commands/swarm.py` decides.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping

from ..plan import Plan
from ..redis_vars import redis_env
from . import mysql_service
from .render import REDIS_HOST, REDIS_PORT, SECRETS_FILE, context, render_template
from .target import Target
from .translation import Row, TranslationReport

STACK_FILE = "stack.yaml"
NGINX_CONF = "nginx.conf"
NGINX_DOCKERFILE = "Dockerfile.nginx"
# an old psycopg2's md5 logins: the script the db service's official image runs once, when its volume is new (a
# Swarm config read from beside the stack file, as compose mounts it)
INITDB_FILE = "shipyard-initdb.sh"
ENDPOINT_MODES = ("dnsrr", "vip")
# shipyard.env keys that are names, not secrets: PostgreSQL's user and database (MariaDB's too)
DB_NAME_KEYS = ("POSTGRES_USER", "POSTGRES_DB", *mysql_service.NAME_KEYS)
DB_PASSWORD_KEY = "POSTGRES_PASSWORD"
# the keys only the database server reads (its own login): never the app's secrets
_SERVER_PREFIXES = ("POSTGRES_", "MARIADB_")
# the password the stack's Redis asks for (the one the app's code sends it): only the redis service reads it
REDIS_PASSWORD_KEY = "SHIPYARD_REDIS_PASSWORD"
REDIS_SECRET_TARGET = "redis_password"


def server_key(key: str) -> bool:
    """A secret only a backing server reads, not the app (POSTGRES_PASSWORD, MARIADB_PASSWORD, Redis's password)."""
    return key.startswith(_SERVER_PREFIXES) or key == REDIS_PASSWORD_KEY


def redis_secret_values(plan: Plan, password: str) -> dict[str, str]:
    """The secrets of a Redis the app's code sends a password (stack_aliases.stack_redis_password, as compose's):
    the server's own (REDIS_PASSWORD_KEY: its --requirepass and its health check's REDISCLI_AUTH), and the app's
    Redis variables that carry it (REDIS_URL=redis://:PW@redis:6379/0, REDIS_PASSWORD), which the app and the
    release then get as NAME_FILE like shipyard.env's, never in the stack file. {} for none."""
    if not password or not swarm_plan(plan).needs_redis:
        return {}
    plain = redis_env(plan, REDIS_HOST, REDIS_PORT)
    carried = redis_env(plan, REDIS_HOST, REDIS_PORT, password=password)
    return {REDIS_PASSWORD_KEY: password, **{k: v for k, v in carried.items() if plain.get(k) != v}}


@dataclass(frozen=True)
class SwarmOptions:
    stack: str                                 # stack name (prefixes services, networks, secrets)
    app_image: str                             # the app image as the nodes pull it (registry/name:tag)
    nginx_image: str                           # the stack's nginx image (built from Dockerfile.nginx)
    replicas: int = 2
    port: int = 8000                           # published by nginx on the node
    bind: str = "127.0.0.1"                    # where the user wants it published (see translate)
    endpoint_mode: str = "dnsrr"               # "dnsrr" without IPVS, "vip" with it (engine/swarm.py)
    endpoint_reason: str = ""                  # why that mode: printed in the stack file and the report
    health_interval: int = 5                   # seconds between health checks
    health_start_period: int = 30              # seconds a starting replica's failed checks do not count
    secrets: Mapping[str, str] = field(default_factory=dict)   # shipyard.env key -> Swarm secret name
    db_env: Mapping[str, str] = field(default_factory=dict)    # POSTGRES_USER / POSTGRES_DB
    db_node: str = ""                          # node hostname PostgreSQL and Redis are pinned to (their volumes)
    db_only: bool = False                      # only the backing services (PostgreSQL, Redis) and the network,
                                               # before the release
    registry: str | None = None                # where images are pushed for other nodes
    engine_version: str = ""                   # the daemon's version, for the report
    jobs: bool = False                         # the engine and client know `mode: replicated-job`
    own_dockerfile: str = ""                   # "edited" / "foreign" when the app has a Dockerfile not ours
    fresh: bool = False                        # build the rendered image even so (--fresh)
    # the host names the app's code writes that the db and redis services answer to as well (network aliases:
    # render/stack_aliases.py, compose's and the cluster's one source)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def secret_name(stack: str, key: str, value: str) -> str:
    """The Swarm secret holding one value: named after its content, since a Swarm secret cannot change."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:10]
    return f"{stack}_{key.lower()}_{digest}"


def swarm_plan(plan: Plan) -> Plan:
    """The plan as Swarm runs it: the compose topology's image (app server on TCP, nginx separate)."""
    return plan.with_settings(topology="compose")


def monitor_seconds(options: SwarmOptions) -> int:
    """How long Swarm watches each updated replica: enough for three failed health checks."""
    return max(5, options.health_interval * 4)


def _context(plan: Plan, options: SwarmOptions) -> dict:
    plan = swarm_plan(plan)
    target = Target.image()
    ctx = context(plan, target)
    server_command = ctx["server_command"]
    secrets = [{"key": key.lower(), "name": name, "env": key, "target": key.lower()}
               for key, name in sorted(options.secrets.items())]
    app_secrets = [s for s in secrets if not server_key(s["env"])]
    password_keys = mysql_service.PASSWORD_KEYS if ctx["needs_mysql"] else (DB_PASSWORD_KEY,)
    db_secret = next((s for s in secrets if s["env"] in password_keys), None)
    redis_secret = next((s for s in secrets if s["env"] == REDIS_PASSWORD_KEY), None)
    initdb = render_template("initdb.sh.j2", {**ctx, "sql_dump": None}) if ctx["postgres_md5"] else ""
    return {
        **ctx, "o": options,
        "dns_upstream": f"{'tasks.app' if options.endpoint_mode == 'dnsrr' else 'app'}:{ctx['app_port']}",
        "endpoint_reason": options.endpoint_reason or f"endpoint mode {options.endpoint_mode}",
        # every server starts through the entry shim, which exports the *_FILE secrets first
        "app_command": [target.python, ctx["runtime"], "exec", *server_command],
        "secrets": secrets, "app_secrets": app_secrets, "db_secret": db_secret,
        "redis_secret": redis_secret, "redis_secret_target": REDIS_SECRET_TARGET,
        # a Redis variable that carries the password comes as a secret (NAME_FILE), not in the clear
        "redis_env": {k: v for k, v in ctx["redis_env"].items() if k not in options.secrets},
        "db_user": options.db_env.get("POSTGRES_USER", "app"), "db_name": options.db_env.get("POSTGRES_DB", "app"),
        # MariaDB's plain variables (MARIADB_USER, MARIADB_DATABASE...), as shipyard.env has them
        "mysql_server_env": {k: v for k, v in options.db_env.items() if k in mysql_service.NAME_KEYS},
        "monitor": monitor_seconds(options),
        # a Swarm config cannot change: named after its content
        "initdb_text": initdb,
        "initdb_config": f"{options.stack}_initdb_{hashlib.sha256(initdb.encode()).hexdigest()[:10]}" if initdb else "",
    }


def render(plan: Plan, options: SwarmOptions) -> dict[str, str]:
    """{file name: text}: stack.yaml, nginx.conf and Dockerfile.nginx for the stack's nginx image."""
    ctx = _context(plan, options)
    if ctx["needs_postgres"] and ctx["db_secret"] is None:
        raise ValueError(f"the stack needs PostgreSQL: options.secrets must hold {DB_PASSWORD_KEY}")
    if ctx["needs_mysql"] and ctx["db_secret"] is None:
        raise ValueError(f"the stack needs MariaDB: options.secrets must hold {' or '.join(mysql_service.PASSWORD_KEYS)}")
    return {STACK_FILE: render_template("swarm-stack.yaml.j2", ctx),
            NGINX_CONF: render_template("nginx.conf.j2", ctx),
            NGINX_DOCKERFILE: render_template("Dockerfile.nginx.j2", ctx),
            **({INITDB_FILE: ctx["initdb_text"]} if ctx["initdb_text"] else {})}


def stack_files(plan: Plan, options: "SwarmOptions") -> dict[str, str]:
    """The files `docker stack deploy` reads, to write side by side: the stack file and what it names (INITDB_FILE)."""
    files = render(plan, options)
    return {name: text for name, text in files.items() if name in (STACK_FILE, INITDB_FILE)}


def backing_services(plan: Plan) -> dict[str, str]:
    """The stack's stateful services the app and the release need first: stack key -> image."""
    ctx = context(swarm_plan(plan), Target.image())
    return {**({"db": ctx["postgres_image"]} if ctx["needs_postgres"] else {}),
            **({"db": ctx["mysql_image"]} if ctx["needs_mysql"] else {}),
            **({"redis": ctx["redis_image"]} if ctx["needs_redis"] else {})}


def release_environment(plan: Plan, environ: Mapping[str, str], secret_keys: tuple[str, ...] = ()) -> dict[str, str]:
    """The release one-off's plain variables (secrets come as *_FILE): the Redis ones and the hosts variables,
    as the app gets them (the stack file's `${DOMAIN:-...}`: `environ`'s value, else the default), and the
    command's own (FLASK_APP). A Redis variable among `secret_keys` (it carries Redis's password) is left to its
    secret: the entry shim exports NAME_FILE only where NAME is unset."""
    ctx = context(swarm_plan(plan), Target.image())
    hosts = {name: environ.get(name) or value for name, value in ctx["hosts_env"].items()}
    redis = {k: v for k, v in ctx["redis_env"].items() if k not in secret_keys}
    return {**ctx["postgres_env"], **ctx["mysql_env"], **redis, **hosts, **(ctx["release"]["environment"] if ctx["release"] else {})}


def release_command(plan: Plan) -> tuple[list[str], str] | None:
    """(argv through the entry shim, working folder) of the release one-off service, or None."""
    plan = swarm_plan(plan)
    target = Target.image()
    ctx = context(plan, target)
    release = ctx["release"]
    if release is None:
        return None
    return [target.python, ctx["runtime"], "exec", *release["command"]], release["workdir"]


def translate(plan: Plan, options: SwarmOptions) -> TranslationReport:
    """What Swarm does with each part of the plan and of the compose stack it replaces."""
    s = plan.settings
    ctx = _context(plan, options)
    rows = [
        Row("image (compose topology)", "honoured", f"the same image, {options.app_image}"
            + (f", pushed to {options.registry} so every node can pull it" if options.registry else
               " (local: single node only; --registry pushes it for more nodes)")),
        Row("replicas", "translated", f"deploy.replicas: {options.replicas} (compose runs one app container)"),
        Row("healthcheck", "honoured", f"the image's test, every {options.health_interval} s; a replica "
            "takes traffic only once healthy"),
        Row("restart: unless-stopped", "translated", "deploy.restart_policy condition any"),
        Row("rolling update", "translated", f"update_config order start-first, parallelism 1, failure_action "
            f"rollback, monitor {monitor_seconds(options)} s; rollback_config start-first"),
        Row("stop timing", "honoured", f"stop_grace_period {ctx['stop_wait']} s > graceful_timeout "
            f"{s['graceful_timeout']} s"),
        Row("app port (expose)", "translated", f"endpoint_mode {options.endpoint_mode}: "
            + (options.endpoint_reason or "nginx reaches the replicas by name")),
        Row("nginx upstream app:8000", "translated", f"resolver 127.0.0.11, {ctx['dns_upstream']} re-resolved "
            "every second, refused connections retried on the next replica"),
    ]
    if options.own_dockerfile:
        how = (f"your Dockerfile ({options.own_dockerfile}) is not used: the stack runs the compose topology's "
               "image, rendered from the plan into a temporary copy of the app")
        rows.append(Row(f"Dockerfile ({options.own_dockerfile})", "dropped" if options.fresh else "lost",
                        how + (" (--fresh)" if options.fresh else ""),
                        "add --fresh to deploy the image rendered from the plan without your Dockerfile's "
                        "changes, or move them into the plan's settings ([tool.shipyard])"))
    if options.bind in ("127.0.0.1", "localhost", "::1"):
        rows.append(Row(f"ports: {options.bind}:PORT (loopback only)", "lost",
                        "Swarm ports have no host address: host mode publishes on every interface of the node",
                        f"add --bind 0.0.0.0 to publish port {options.port} on every interface (and firewall it); "
                        "Swarm cannot keep a port on loopback only"))
    else:
        rows.append(Row(f"ports: {options.bind}:PORT", "translated",
                        f"nginx publishes {options.port} in host mode on every interface of its node"
                        + ("" if options.bind == "0.0.0.0" else f" (Swarm cannot bind {options.bind} alone)")))
    if ctx["static"]:
        rows.append(Row("static volume + one-off copy", "translated",
                        "the static files are copied into the stack's nginx image (a volume lives on one node)"))
    if ctx["needs_postgres"]:
        rows.append(Row("db (PostgreSQL)", "translated", f"one replica pinned to node {options.db_node} with the "
                        "named volume pgdata: it does not scale out"))
    if ctx["needs_mysql"]:
        rows.append(Row("db (MariaDB)", "translated", f"{ctx['mysql_image']}, one replica pinned to node "
                        f"{options.db_node} with the named volume mysqldata: it does not scale out; its password "
                        "comes as a Swarm secret (MARIADB_*_FILE)"))
    if ctx["needs_redis"]:
        rows.append(Row("redis (Redis)", "translated", f"one replica pinned to node {options.db_node} with the "
                        "named volume redisdata (append-only file): it does not scale out; the app and the release "
                        "get " + ", ".join(ctx["redis_env"]) + " pointing at it"
                        + ("; it asks for the password the app's code sends it, from a Swarm secret (the Redis "
                           "variables that carry it come as secrets too)" if ctx["redis_secret"] else "")))
    for service, names in sorted(options.aliases.items()):
        rows.append(Row(f"{service} network aliases", "honoured",
                        f"{service} also answers to {', '.join(names)} on the stack's overlay network (the hosts "
                        "the app's code connects to)"))
    if ctx["hosts_env"]:
        names = ", ".join(ctx["hosts_env"])
        rows.append(Row("allowed hosts", "translated",
                        f"{names} (read into ALLOWED_HOSTS) as `docker stack deploy` finds them in the environment, "
                        f"else {', '.join(dict.fromkeys(ctx['hosts_env'].values()))}: export the host names the "
                        "stack answers under before deploying, or Django answers other hosts 400"))
    if options.secrets:
        rows.append(Row(f"env_file: {SECRETS_FILE}", "translated",
                        f"{len(options.secrets)} Swarm secrets, named after their content; the app reads them "
                        "through NAME_FILE, exported by the entry shim (never in the stack file)"))
    if ctx["release"]:
        how = ("a one-off service (restart condition none) on the stack's attachable network, waited on before "
               "the app is updated; a failure stops the rollout")
        engine = f"engine {options.engine_version}: " if options.engine_version else ""
        rows.append(Row("release (depends_on: service_completed_successfully)", "translated",
                        how + ("" if options.jobs else f" ({engine}no replicated-job in stack files)")))
    rows.append(Row("depends_on conditions", "dropped", "Swarm starts services in any order: health checks gate "
                    "traffic, nginx retries, and the release runs before the deploy"))
    rows.append(Row("compose.dev.yaml (live reload)", "dropped", "development only: not deployed"))
    return TranslationReport.of("swarm", rows)


__all__ = ["ENDPOINT_MODES", "REDIS_PASSWORD_KEY", "STACK_FILE", "SwarmOptions", "backing_services", "redis_secret_values", "render",
           "release_command", "release_environment", "secret_name", "server_key", "swarm_plan", "translate"]
