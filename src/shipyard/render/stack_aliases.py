"""The host names the app's code writes for its PostgreSQL (or MySQL) and its Redis, which the compose stack's `db`
and `redis` services answer to as well (and the Kubernetes manifests' Services of those names).

A compose tutorial app connects to its services by the names its own compose file gives them
(`postgresql://postgres:postgres@database:5432/mydb`, `Redis(host="cache")`): in Shipyard's stack those services
are `db` and `redis`, so such a name resolves nowhere and the app stops on "could not translate host name" (or
answers 500 on every page that reads Redis). A network alias makes the stack's service answer to the written name
on compose's network, whatever the driver (libpq, asyncpg, redis-py resolve it alike), and nothing in the app
changes. Only names the code writes for that server (detect/code_hosts.py: a driver's connect, a URL's scheme,
Django's DATABASES, a Redis client), that this machine cannot resolve, and that are not the stack's own services'.
"""

from __future__ import annotations

from pathlib import Path

from ..detect.code_hosts import service_host, unresolved_hosts
from ..detect.written_redis import written_password, written_redis
from ..detect.written_db import WrittenDatabase
from ..plan import Plan
from ..project import Project

# the stack's own services: a written name that is one of them already reaches that service (or must stay its own)
STACK_SERVICES = frozenset({"app", "db", "redis", "nginx", "release", "static"})


def stack_aliases(plan: Plan, root: Path, written: WrittenDatabase | None = None) -> dict[str, tuple[str, ...]]:
    """{"db": names, "redis": names}: the written hosts each service of the compose stack answers to as well;
    {} for another topology or an app that writes none."""
    if plan.settings["topology"] != "compose":
        return {}
    return _aliases(plan, root, written, STACK_SERVICES)


def cluster_aliases(plan: Plan, root: Path, own: frozenset[str],
                    written: WrittenDatabase | None = None) -> dict[str, tuple[str, ...]]:
    """stack_aliases' names for the Kubernetes manifests, whatever the topology: the cluster's Services are
    `{app}-db` and `{app}-redis` (`own`: the Services the manifests name already), so a written `redis` or `db`
    resolved nowhere in the pods while compose and Swarm answered it. The manifests give each a Service of that
    name selecting the same pods (render/kubernetes.py)."""
    return _aliases(plan, root, written, own)


def _aliases(plan: Plan, root: Path, written: WrittenDatabase | None,
             services: frozenset[str]) -> dict[str, tuple[str, ...]]:
    if not (plan.needs_postgres or plan.needs_mysql or plan.needs_redis):
        return {}
    hosts = unresolved_hosts(Project(root))
    wanted: dict[str, set[str]] = {"db": set(), "redis": set()}
    # the stack's db service is the app's PostgreSQL, or its MariaDB for a MySQL app (`pymysql.connect(host='mysql')`)
    server = "postgres" if plan.needs_postgres else "mysql" if plan.needs_mysql else None
    if server is not None:
        wanted["db"] |= {h.host for h in hosts if h.service in (server, "database")}
        if written is not None and service_host(written.host):
            wanted["db"].add(written.host)
    if plan.needs_redis:
        wanted["redis"] |= {h.host for h in hosts if h.service == "redis"}
    taken = set(services)
    aliases = {}
    for service, names in wanted.items():
        kept = tuple(sorted(n for n in names if n.lower() not in taken))
        taken |= {n.lower() for n in kept}        # one name, one service: the first (the database) keeps it
        if kept:
            aliases[service] = kept
    return aliases


def alias_note(aliases: dict[str, tuple[str, ...]]) -> str | None:
    """init's line for them."""
    if not aliases:
        return None
    said = "; ".join(f"{service} also answers to {', '.join(names)}" for service, names in aliases.items())
    return (f"note: the code connects to hosts its own compose file names ({said} on the stack's network, "
            f"compose.yaml's aliases)")


def stack_redis_password(plan: Plan, root: Path) -> str:
    """The password the app's code sends the Redis it writes by a compose service's name
    (`Redis(host="redis", password="secret")`, `redis://:secret@cache:6379`; detect/written_redis.py), which
    the compose stack's Redis asks for, as serve's does: without it redis-py's AUTH meets a Redis with no password
    ("called without any password configured") and every page that reads Redis answered 500. "" for none."""
    if plan.settings["topology"] != "compose":
        return ""
    return written_redis_password(plan, root)


def written_redis_password(plan: Plan, root: Path) -> str:
    """stack_redis_password's, whatever the topology: the one the Kubernetes Redis component asks for too."""
    if not plan.needs_redis:
        return ""
    return written_password(written_redis(Project(root)))
