"""Kubernetes manifests of a plan: a kustomize base, optional PostgreSQL and Redis components, an example overlay,
and the release script that runs the migration Job before the rollout.

`files(plan)` returns {path: text} under deploy/kubernetes/, with no side effects, like render(). The
manifests run the same image the Dockerfile builds (the bundle: nginx + the app server; or the app server
alone), so what `shipyard verify` proved of that image holds in the cluster. Pod-level numbers (probes,
grace period, resources) are derived from the plan's settings here, once, so they agree with the image.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from .. import sizing
from ..detect.written_db import WrittenDatabase
from ..errors import UsageError
from ..plan import Plan
from ..redis_vars import redis_env, redis_names
from ..served_hosts import hosts_value
from .render import (GRANIAN_CPUS_PER_WORKER, NGINX_COMPOSE_PORT, POSTGRES_IMAGE, REDIS_IMAGE, REDIS_PORT, _env, _release,
                     _server_command, context, example_setting_lines, md5_logins, secret_key_lines)
from . import mysql_service
from .db_login import PORT as POSTGRES_PORT, app_names, login_env, stack_login, written_note
from .stamp import stamp
from .target import Target
from .translation import Row

ROOT = "deploy/kubernetes"
OVERLAY = "example"
SECRETS_ENV = "secrets.env"            # created once by init (random password), never rendered, gitignored
POSTGRES_SECRET_ENV = {"PGUSER": "POSTGRES_USER", "PGPASSWORD": "POSTGRES_PASSWORD", "PGDATABASE": "POSTGRES_DB"}
PRESTOP_SECONDS = 5                    # endpoints and Ingress controllers stop routing to the pod meanwhile
REDIS_STORAGE = "1Gi"                  # the append-only file of queues, sessions, caches
# the Secret's key of the password the component's Redis asks for (the one the app's code sends it)
REDIS_PASSWORD_KEY = "SHIPYARD_REDIS_PASSWORD"

# template -> output path (relative to ROOT); {overlay} is the example overlay's folder
TEMPLATES = {
    "kubernetes/base-kustomization.yaml.j2": "base/kustomization.yaml",
    "kubernetes/serviceaccount.yaml.j2": "base/serviceaccount.yaml",
    "kubernetes/deployment.yaml.j2": "base/deployment.yaml",
    "kubernetes/service.yaml.j2": "base/service.yaml",
    "kubernetes/hpa.yaml.j2": "base/hpa.yaml",
    "kubernetes/pdb.yaml.j2": "base/pdb.yaml",
    "kubernetes/networkpolicy.yaml.j2": "base/networkpolicy.yaml",
    "kubernetes/ingress.yaml.j2": "base/ingress.yaml",
    "kubernetes/job-migrate.yaml.j2": "base/job-migrate.yaml",
    # the database server's component: components/postgres, or components/mysql for a MySQL app (DATABASES)
    "kubernetes/db-kustomization.yaml.j2": "components/{db}/kustomization.yaml",
    "kubernetes/db-statefulset.yaml.j2": "components/{db}/statefulset.yaml",
    "kubernetes/db-service.yaml.j2": "components/{db}/service.yaml",
    "kubernetes/db-networkpolicy.yaml.j2": "components/{db}/networkpolicy.yaml",
    # an old psycopg2's md5 login: the script the official image runs once, when its volume is new (compose's)
    "initdb.sh.j2": "components/{db}/shipyard-initdb.sh",
    "kubernetes/redis-kustomization.yaml.j2": "components/redis/kustomization.yaml",
    "kubernetes/redis-statefulset.yaml.j2": "components/redis/statefulset.yaml",
    "kubernetes/redis-service.yaml.j2": "components/redis/service.yaml",
    "kubernetes/redis-networkpolicy.yaml.j2": "components/redis/networkpolicy.yaml",
    "kubernetes/overlay-kustomization.yaml.j2": f"overlays/{OVERLAY}/kustomization.yaml",
    "kubernetes/namespace.yaml.j2": f"overlays/{OVERLAY}/namespace.yaml",
    "kubernetes/gitignore.j2": f"overlays/{OVERLAY}/.gitignore",
    "kubernetes/deploy.sh.j2": "deploy.sh",
}


# what differs between the database servers' StatefulSets (templates/kubernetes/db-*.yaml.j2); both official
# images run as their own user, UID 999, which owns the data folder
DATABASES = {
    "postgres": {
        "component": "postgres", "label": "PostgreSQL", "port_name": "postgres", "port": POSTGRES_PORT,
        "image": POSTGRES_IMAGE, "user": "postgres", "uid": 999,
        "skips": ["CKV_K8S_35=the official postgres image reads POSTGRES_* from its environment",
                  "CKV_K8S_40=the official postgres image runs as its postgres user, UID 999, which owns its files"],
        "env": {"PGDATA": "/var/lib/postgresql/data/pgdata"},
        "initdb": "",          # the ConfigMap of shipyard-initdb.sh, for an old psycopg2's md5 logins (database())
        "probe": ["sh", "-c", 'pg_isready -U "$POSTGRES_USER" -d "$POSTGRES_DB"'],
        "mounts": [("data", "/var/lib/postgresql/data"), ("run", "/var/run/postgresql"), ("tmp", "/tmp")],
    },
    "mysql": {
        "component": "mysql", "label": "MariaDB", "port_name": "mysql", "port": mysql_service.PORT,
        "image": mysql_service.IMAGE, "user": "mysql", "uid": 999,
        "skips": ["CKV_K8S_35=the official mariadb image reads MARIADB_* from its environment",
                  "CKV_K8S_40=the official mariadb image runs as its mysql user, UID 999, which owns its files"],
        "env": {},
        "initdb": "",
        "probe": list(mysql_service.HEALTHCHECK),
        # the server's socket (/run/mysqld) and the first start's temporary files
        "mounts": [("data", mysql_service.VOLUME_PATH), ("run", "/run/mysqld"), ("tmp", "/tmp")],
    },
}


def database(plan: Plan) -> dict[str, Any] | None:
    """The database server's component of the plan, or None."""
    if plan.needs_mysql:
        # the Secret's MYSQL_USER... of the app reach the server too: empty for it (mysql_service.server_blanks)
        return {**DATABASES["mysql"], "env": {name: '""' for name in mysql_service.server_blanks(plan)}}
    if plan.needs_postgres and md5_logins(plan):
        # the app's psycopg2 bundles a libpq older than SCRAM: md5 logins from other pods, and the role's password
        # stored as md5 by shipyard-initdb.sh (a ConfigMap in /docker-entrypoint-initdb.d) when the volume is new
        return {**DATABASES["postgres"], "env": {**DATABASES["postgres"]["env"], "POSTGRES_HOST_AUTH_METHOD": "md5"},
                "initdb": f"{k8s_name(plan.name)}-db-initdb"}
    return DATABASES["postgres"] if plan.needs_postgres else None


@dataclass(frozen=True)
class Resources:
    """Container requests and limits, from the same sizing rule the servers apply inside the container."""

    cpu_limit: str
    cpu_request: str
    memory: str          # request = limit: a Python worker's memory is not compressible
    workers: int

    @classmethod
    def for_plan(cls, plan: Plan) -> "Resources":
        s = plan.settings
        cpus = _cpus(s.get("cpu_limit", "1"))
        configured = int(s.get("workers") or 0)
        if configured:
            workers = configured
        elif s["server"] == "granian" or plan.interface != "wsgi":   # one event loop per worker
            per = GRANIAN_CPUS_PER_WORKER if s["server"] == "granian" else 1
            workers = max(1, math.ceil(max(1, math.ceil(cpus)) / per))
        else:
            workers = 2 * max(1, math.ceil(cpus)) + 1
        memory_mib = (workers * sizing.MEMORY_PER_WORKER + sizing.RESERVED_MEMORY) // (1024 * 1024)
        millis = int(round(cpus * 1000))
        return cls(cpu_limit=f"{millis}m", cpu_request=f"{max(50, millis // 4)}m", memory=f"{memory_mib}Mi",
                   workers=workers)


def _cpus(text: str) -> float:
    text = str(text)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


def k8s_name(name: str) -> str:
    """A DNS-1123 label from the project name (Kubernetes object names)."""
    label = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")[:50].strip("-")
    return label or "app"


def check_translatable(plan: Plan) -> None:
    """Kubernetes runs the image the Dockerfile builds; the compose topology's image has no nginx and
    relies on a separate nginx service with a static volume, which would be lost."""
    if plan.settings["topology"] == "compose":
        raise UsageError("Kubernetes manifests run the bundle image (nginx + the app server) or the app image; "
                         "the compose topology's nginx service and static volume have no equivalent here",
                         "run init with --topology bundle (or app, behind your Ingress controller) and --kubernetes")


def redis_secret_env(plan: Plan, password: str) -> dict[str, str]:
    """The Redis variables the app gets that carry the password its code sends Redis (REDIS_URL=redis://:PW@...,
    REDIS_PASSWORD), with their values: the Secret holds them (secrets.env), never the manifests. {} for none."""
    if not password or not plan.needs_redis:
        return {}
    host = f"{k8s_name(plan.name)}-redis"
    plain = redis_env(plan, host, REDIS_PORT)
    return {k: v for k, v in redis_env(plan, host, REDIS_PORT, password=password).items() if plain.get(k) != v}


def own_services(plan: Plan) -> frozenset[str]:
    """The Services the manifests name: the app's, its database's and its Redis's."""
    name = k8s_name(plan.name)
    return frozenset({name, f"{name}-db", f"{name}-redis"})


_SERVICE_NAME = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?")     # DNS-1035: a Service's name


def service_aliases(plan: Plan, aliases: dict[str, tuple[str, ...]] | None) -> dict[str, tuple[str, ...]]:
    """{"db": names, "redis": names}: the hosts the app's code writes for its database and its Redis
    (stack_aliases.cluster_aliases, init's) that a Service of that name makes resolve in the pods; names a
    Service cannot take (an underscore, a dot) are left out."""
    out = {}
    for service, names in (aliases or {}).items():
        if service == "db" and database(plan) is None or service == "redis" and not plan.needs_redis:
            continue
        kept = tuple(n.lower() for n in names if _SERVICE_NAME.fullmatch(n.lower())
                     and n.lower() not in own_services(plan))
        if kept:
            out[service] = kept
    return out


def context_for(plan: Plan, redis_password: str = "", aliases: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """`redis_password`: the one the app's code sends the Redis it writes (stack_aliases.written_redis_password,
    init's): the component's Redis asks for it, from the Secret, and the app's Redis variables that carry it come
    from the Secret too. `aliases`: the hosts the code writes for them (service_aliases), each a Service too."""
    check_translatable(plan)
    target = Target.image()
    base = context(plan, target)
    s = plan.settings
    topology = s["topology"]
    name = k8s_name(plan.name)
    replicas = int(s.get("replicas") or 2)
    # the container's port: nginx's in the bundle, the server's in the app topology
    port = s["port"]
    redis_host = f"{name}-redis"     # the Service, prefixed like every object here ({name}-db for PostgreSQL)
    # REDIS_URL and the Redis variables the app reads, pointing at the component's Service; no socket variable
    app_redis_env = redis_env(plan, redis_host, REDIS_PORT) if plan.needs_redis else {}
    redis_secret = redis_secret_env(plan, redis_password)
    stop_wait = s["graceful_timeout"] + 5          # supervisord's stopwaitsecs (render.context's stop_wait)
    # the variables the code reads into ALLOWED_HOSTS: the Ingress's host, when one is given (else yours to set)
    ingress = s.get("ingress_host")
    hosts_env = {n: hosts_value(sep, (ingress,), ingress) for n, sep in plan.hosts_variables} if ingress else {}
    examples = example_names(plan)
    return {
        **base,
        "k8s_name": name, "overlay": OVERLAY, "secrets_env": SECRETS_ENV, "root": ROOT,
        "replicas": replicas,
        "max_replicas": max(replicas * 3, replicas + 2),
        "container_port": port,
        "liveness": ({"path": "/nginx-health"} if topology == "bundle" else {"tcp": True}),
        "resources": Resources.for_plan(plan),
        "prestop_seconds": PRESTOP_SECONDS,
        # preStop pause, then the server's graceful stop, then a margin before SIGKILL
        "termination_grace": PRESTOP_SECONDS + stop_wait + 5,
        "ingress_host": s.get("ingress_host"),
        "max_body_size": s["max_body_size"],
        "needs_postgres": plan.needs_postgres,
        # an old psycopg2's libpq logs in with md5 only (render.md5_logins), in the cluster as in compose
        "postgres_md5": md5_logins(plan),
        "sql_dump": None,
        "postgres_image": POSTGRES_IMAGE,
        "db": database(plan), "needs_db": database(plan) is not None,
        # the overlay's Secret (secrets.env): the database's login, and a secret key the code requires
        "needs_secret": database(plan) is not None or bool(plan.secret_key_variables) or bool(examples)
                        or bool(redis_secret),
        # and the settings the code requires that only the app's example env file gives (secrets.env holds them)
        "secret_key_names": plan.secret_key_variables + examples,
        "needs_redis": plan.needs_redis,
        "redis_image": REDIS_IMAGE, "redis_host": redis_host, "redis_port": REDIS_PORT,
        "redis_storage": REDIS_STORAGE,
        "redis_env": {k: v for k, v in app_redis_env.items() if k not in redis_secret},
        "redis_secret_names": tuple(redis_secret),
        "redis_password_key": REDIS_PASSWORD_KEY if redis_secret else "",
        "hosts_env": hosts_env,
        "service_aliases": service_aliases(plan, aliases),
        # the kubelet's probes ask for the pod's IP, a host the app then refuses: they ask for the Ingress's
        "probe_host": ingress if hosts_env else None,
        "nginx_unprivileged_port": NGINX_COMPOSE_PORT,
        "server_command": _server_command(plan, target),
        "uid": s["user_uid"],
        "writable_dirs": _writable_dirs(target),
        # libpq's defaults for what the app's connection leaves out: the component's Service, and the login
        # from the Secret's keys the PostgreSQL pod reads (an older secrets.env has no PG* of its own)
        "postgres_env": {"PGHOST": f"{name}-db", "PGPORT": str(POSTGRES_PORT)} if plan.needs_postgres else {},
        # the MySQL host and port variables the app reads, at the component's Service; the login parts it reads
        # come from the Secret under their own names
        "mysql_env": mysql_service.plain_env(plan, f"{name}-db") if plan.needs_mysql else {},
        # and the other database variables the app reads (DATABASE_URI, DB_USER...), under their own names
        "db_secret_env": {**POSTGRES_SECRET_ENV, **{n: n for n in app_names(plan)}} if plan.needs_postgres else
                         {n: n for n in mysql_service.secret_names(plan)} if plan.needs_mysql else {},
        "set_env": (base["port_env"], *(("DATABASE_URL", "PGHOST", "PGPORT", *POSTGRES_SECRET_ENV, *app_names(plan))
                              if plan.needs_postgres
                              else ()), *(("DATABASE_URL", *mysql_service.plain_env(plan, name),
                                           *mysql_service.secret_names(plan)) if plan.needs_mysql else ()),
                    *app_redis_env, *hosts_env, *plan.secret_key_variables, *examples),
    }


def example_names(plan: Plan) -> tuple[str, ...]:
    """The settings the code requires that only the app's example env file gives (plan.example_settings) that the
    Secret holds for the pod: those the database's, Redis's and the hosts' variables do not set already."""
    taken = {"PORT", *plan.secret_key_variables, *(n for n, _ in plan.hosts_variables)}
    if plan.needs_postgres:
        taken |= {"DATABASE_URL", "PGHOST", "PGPORT", *POSTGRES_SECRET_ENV, *app_names(plan)}
    elif plan.needs_mysql:
        taken |= {"DATABASE_URL", *mysql_service.plain_env(plan, "db"), *mysql_service.secret_names(plan)}
    return tuple(n for n, _, _ in plan.example_settings if n not in taken)


def _writable_dirs(target: Target) -> list[dict[str, str]]:
    """Folders the processes write to, as emptyDirs under a read-only root filesystem: the runtime folder
    (sockets, pid files, nginx temp files) and /tmp (Python's tempfile, uploads spooled to disk)."""
    dirs = [{"name": "run", "path": target.run_dir}]
    if target.run_dir != "/tmp":
        dirs.append({"name": "tmp", "path": "/tmp"})
    return dirs


def output_files(plan: Plan, redis_password: str = "") -> tuple[str, ...]:
    """The template names this plan produces."""
    names = []
    for template, path in TEMPLATES.items():
        if "/db-" in template and database(plan) is None:
            continue
        if template == "initdb.sh.j2" and not (database(plan) or {}).get("initdb"):
            continue
        if "redis-" in template and not plan.needs_redis:
            continue
        if template.endswith("ingress.yaml.j2") and not plan.settings.get("ingress_host"):
            continue
        if template.endswith("job-migrate.yaml.j2") and _release(plan, Target.image()) is None:
            continue
        if template.endswith("gitignore.j2") and database(plan) is None and not plan.secret_key_variables \
                and not example_names(plan) and not redis_secret_env(plan, redis_password):
            continue
        names.append(template)
    return tuple(names)


def files(plan: Plan, redis_password: str = "", aliases: dict[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """{path relative to the app folder: text} for every manifest of the plan. `redis_password`, `aliases`:
    context_for's."""
    ctx = context_for(plan, redis_password, aliases)
    names = output_files(plan, redis_password)
    ctx["manifests"] = {TEMPLATES[t].split("/", 1)[1] for t in names if TEMPLATES[t].startswith("base/")}
    out = {}
    for template in names:
        text = _env().get_template(template).render(ctx)
        path = f"{ROOT}/{TEMPLATES[template]}".format(db=(ctx["db"] or {}).get("component"))
        # the header line is a comment in YAML and shell alike (deploy.sh runs as `bash deploy.sh`)
        out[path] = text if template.endswith("gitignore.j2") else stamp(text)
    return out


def secrets_path() -> str:
    return f"{ROOT}/overlays/{OVERLAY}/{SECRETS_ENV}"


def secrets_env(plan: Plan, password: str, written: WrittenDatabase | None = None, redis_password: str = "") -> str:
    """The example overlay's secrets.env: the in-cluster PostgreSQL's credentials and the app's URL, with the
    login the app writes (`written`) when it writes one (render/db_login.py); and the password the app's code sends
    its Redis (`redis_password`), for the Redis component and the app's Redis variables that carry it."""
    name = k8s_name(plan.name)
    head = (f"# Secrets for the {OVERLAY} overlay, created once by shipyard init. Keep out of git (.gitignore "
            f"beside it).\n# With an external database, keep only DATABASE_URL and point it there.\n")
    if not plan.needs_database_server:
        text = head + secret_key_lines(plan)
    elif plan.needs_mysql:
        text = (head + mysql_service.written_note(written, "the cluster")
                + mysql_service.secret_lines(plan, stack_login(password, written), f"{name}-db") + secret_key_lines(plan))
    else:
        text = (head + written_note(written, "the cluster")
                + login_env(plan, stack_login(password, written), f"{name}-db") + secret_key_lines(plan))
    text += missing_redis_lines(plan, text, redis_password)
    return text + example_setting_lines(plan, text)


def missing_redis_lines(plan: Plan, text: str, redis_password: str) -> str:
    """The lines of secrets.env the Redis password needs (redis_secret_env) that `text` does not set yet."""
    carried = redis_secret_env(plan, redis_password)
    if not carried:
        return ""
    named = {line.partition("=")[0].strip() for line in text.splitlines() if "=" in line and not line.startswith("#")}
    wanted = {REDIS_PASSWORD_KEY: redis_password, **carried}
    lines = "".join(f"{k}={v}\n" for k, v in wanted.items() if k not in named)
    return "# the password the app's code sends its Redis: the Redis component asks for it\n" + lines if lines else ""


# One part of the plan and what the manifests make of it: the report rows every target shares
Translation = Row


def translation(plan: Plan, aliases: dict[str, tuple[str, ...]] | None = None) -> list[Translation]:
    """What the manifests honour, translate or leave to the user; compose's topology fails in
    check_translatable instead of being dropped silently. `aliases`: files()'s."""
    ctx = context_for(plan, aliases=aliases)
    s, res, name = plan.settings, ctx["resources"], ctx["k8s_name"]
    rows = [
        Translation("image", "honoured", "the image the Dockerfile builds, set per release in the overlay"),
        Translation(f"topology {s['topology']}", "honoured",
                    "nginx and the app server in one container, static files served by its nginx"
                    if s["topology"] == "bundle" else "the app server alone, behind the cluster's Ingress controller"),
        Translation("port", "translated", f"containerPort {ctx['container_port']}, Service {name}:80"),
        Translation("publishing on 127.0.0.1 (BIND_ADDRESS)", "translated",
                    f"ClusterIP Service; outside traffic only through the Ingress for {s['ingress_host']}"
                    if s.get("ingress_host") else "ClusterIP Service only: no Ingress without --ingress-host"),
        Translation("workers", "translated",
                    f"{res.workers} worker(s) from {s['workers']} workers" if s["workers"] else
                    f"{res.workers} worker(s) from the {res.cpu_limit} CPU limit (requests {res.cpu_request}, "
                    f"memory {res.memory})"),
        Translation("HEALTHCHECK", "translated",
                    f"startup and readiness probes GET {s['health_path']}; liveness "
                    + ("GET /nginx-health (never the database)" if s["topology"] == "bundle"
                       else "a TCP connect (never the database)")),
        Translation("graceful_timeout", "translated",
                    f"preStop {PRESTOP_SECONDS} s, then SIGTERM; terminationGracePeriodSeconds {ctx['termination_grace']}"),
        Translation("restart: unless-stopped", "translated", "the Deployment replaces failed pods"),
        Translation("replicas", "honoured",
                    f"{ctx['replicas']} replicas, HorizontalPodAutoscaler up to {ctx['max_replicas']}, "
                    "PodDisruptionBudget maxUnavailable 1"),
        Translation("non-root user", "honoured",
                    f"runAsUser {s['user_uid']}, read-only root filesystem with emptyDirs for "
                    + ", ".join(d["path"] for d in ctx["writable_dirs"]) + ", all capabilities dropped, "
                    "seccomp RuntimeDefault"),
    ]
    body = [f"the pod's nginx limits bodies to {s['max_body_size']}"] if s["topology"] == "bundle" else []
    if s.get("ingress_host"):
        body.append(f"ingress-nginx annotation proxy-body-size {s['max_body_size']} (other controllers ignore it)")
    rows.append(Translation("max_body_size", "honoured" if body else "left to you",
                            "; ".join(body) or "no nginx in the app image and no Ingress: set it where requests "
                            "enter the cluster"))
    if ctx["release"]:
        rows.append(Translation("release", "translated",
                                f"Job {name}-migrate ({ctx['release']['what']}), completed before the rollout by "
                                "deploy.sh; a failure stops the release"))
    if plan.needs_postgres:
        rows.append(Translation("database", "translated",
                                f"Secret {name}-secrets from the overlay's {SECRETS_ENV}; PostgreSQL as a one-pod "
                                "StatefulSet with a 5Gi PersistentVolumeClaim (components/postgres: does not scale "
                                "out; drop it for a managed database)"))
    if plan.needs_mysql:
        rows.append(Translation("database", "translated",
                                f"Secret {name}-secrets from the overlay's {SECRETS_ENV}; MariaDB ({mysql_service.IMAGE}) "
                                "as a one-pod StatefulSet with a 5Gi PersistentVolumeClaim (components/mysql: does not "
                                "scale out; drop it for a managed database)"))
    if plan.needs_redis:
        users = "the app and the migration Job get" if ctx["release"] else "the app gets"
        socket = [v for v in redis_names(plan) if v not in ctx["redis_env"]]
        rows.append(Translation("redis (Redis)", "translated",
                                f"Redis ({REDIS_IMAGE}) as a one-pod StatefulSet {ctx['redis_host']} with its "
                                f"append-only file on a {REDIS_STORAGE} PersistentVolumeClaim (components/redis: does "
                                f"not scale out; drop it for a managed Redis); {users} "
                                f"{', '.join(ctx['redis_env'])} pointing at it"
                                + (f"; {', '.join(socket)} stays unset (Redis is in another pod: the app uses host "
                                   "and port)" if socket else "")))
    if ctx["service_aliases"]:
        kept = ctx["service_aliases"]
        rows.append(Translation("hosts the code writes", "translated", "; ".join(
            f"Service{'s' if len(names) > 1 else ''} {', '.join(names)} for the "
            f"{'database' if service == 'db' else 'Redis'} pod" for service, names in kept.items())
            + " (the names compose's network aliases answer)"))
    if ctx["hosts_env"]:
        rows.append(Translation("allowed hosts", "translated",
                                f"{', '.join(ctx['hosts_env'])} (read into ALLOWED_HOSTS) set to the Ingress's host "
                                f"{s['ingress_host']}, which the startup and readiness probes ask for"))
    elif plan.hosts_variables:
        rows.append(Translation("allowed hosts", "left to you",
                                f"the code reads {', '.join(n for n, _ in plan.hosts_variables)} into ALLOWED_HOSTS: "
                                "give --ingress-host to have it set to the Ingress's host, or set it in the overlay "
                                "(the probes ask for the pod's IP: add it, or a Host header to them)"))
    redis_vars = redis_names(plan) if plan.needs_redis else ()
    unset = [v for v in plan.env_vars if v not in ctx["set_env"] and v not in redis_vars
             and v not in dict(plan.hosts_variables)]
    if unset:
        rows.append(Translation("environment variables", "left to you",
                                f"the code reads {', '.join(unset)}: set them in the overlay "
                                "(configMapGenerator for plain values, secretGenerator for secrets)"))
    return rows
