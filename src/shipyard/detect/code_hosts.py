"""Hosts written in the app's code that this machine cannot resolve. A docker-compose tutorial app connects to
its services by their compose names (Redis(host="redis"), Django's DATABASES "HOST": "db", a service URL such as
CELERY_BROKER_URL = "redis://redis:6379"), which resolve only on compose's network; `serve` and `dev` run the
app's PostgreSQL and Redis on 127.0.0.1 and hand them over as DATABASE_URL and REDIS_URL, which such code never
reads. Said before the app starts, where the app would otherwise answer 500 (or fail its migrations) with "Name or
service not known", or hang: a Celery `.delay()` retries an unknown broker host until the server's timeout."""

from __future__ import annotations

import ast
import re
import socket
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from ..project import Project
from .ast_nodes import ast_nodes
from .source import parsed

# a keyword argument (Redis(host=...), psycopg2.connect(host=...)) or a dict key (Django's DATABASES)
_HOST_KEYWORDS = frozenset({"host", "hostname"})
_HOST_KEYS = frozenset({"HOST", "host", "hostname"})
# one label, as compose service names are: a dotted name is a real domain, a number is an address
_SERVICE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# a whole string that is a service's URL (a broker's, a cache's, a database's), not text that mentions one
_SERVICE_URL = re.compile(r"(?:redis|rediss|amqp|amqps|postgres|postgresql|mysql|mongodb)(?:\+\w+)?://\S+", re.I)


@dataclass(frozen=True)
class CodeHost:
    rel: str
    line: int
    host: str
    django_database: bool = False     # a HOST in Django's DATABASES, which serve and dev point at their own
    # the server it names, where the code says: "postgres" (a PostgreSQL driver's connect, a postgresql:// URL),
    # "redis" (Redis(host=...), a redis:// URL), "mysql", "database" (Django's DATABASES: its ENGINE's), "" unknown
    service: str = ""


def unresolved_hosts(project: Project) -> list[CodeHost]:
    """Each host name written as a literal for a connection's host, in the app's files, that does not resolve."""
    found = []
    for rel, tree in sorted(parsed(project).items()):
        databases = {id(n) for node in ast_nodes(tree) if isinstance(node, ast.Assign)
                     and any(getattr(t, "id", None) == "DATABASES" for t in node.targets) for n in ast_nodes(node.value)}
        for node, value, service in _host_literals(tree):
            if _SERVICE_NAME.fullmatch(value) and value.lower() != "localhost" and not resolves(value):
                in_databases = id(node) in databases
                found.append(CodeHost(rel, node.lineno, value, in_databases,
                                      "database" if in_databases and not service else service))
    return found


def note(hosts: list[CodeHost], mode: str) -> str | None:
    if not hosts:
        return None
    where = ", ".join(f"{h.rel}:{h.line} ({h.host!r})" for h in hosts[:3]) + (" ..." if len(hosts) > 3 else "")
    django = ("; a HOST in Django's DATABASES is pointed at the app's own database when " + mode + " runs one"
              if any(h.django_database for h in hosts) else "")
    return (f"warning: the code connects to hosts written in it that do not resolve here (compose service "
            f"names?): {where}; {mode} runs the app's PostgreSQL and Redis on 127.0.0.1 and gives them as "
            f"DATABASE_URL and REDIS_URL: read the host from those for the app to reach them{django}")


def _host_literals(tree: ast.Module):
    """(the literal's node, the host, the server it is for: _client_service's, a URL's scheme's)."""
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in _HOST_KEYWORDS and _is_str(kw.value):
                    yield kw.value, kw.value.value, _client_service(node.func)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if key is not None and _is_str(key) and key.value in _HOST_KEYS and _is_str(value):
                    yield value, value.value, ""
    for value in _connected_urls(tree):
        if (host := _url_host(_template(value))) is not None:
            yield value, host, _scheme_service(_template(value))


# the client calls whose host= names a server of one kind: redis-py's clients, the drivers' connect()
_REDIS_CLIENTS = frozenset({"Redis", "StrictRedis", "ConnectionPool", "RedisCluster"})
_DRIVER_SERVICES = {"psycopg2": "postgres", "psycopg": "postgres", "pg8000": "postgres", "asyncpg": "postgres",
                    "aiopg": "postgres", "pymysql": "mysql", "MySQLdb": "mysql", "aiomysql": "mysql"}


def _client_service(func: ast.AST) -> str:
    """ "redis" for Redis(host=...), redis.StrictRedis(...); "postgres" or "mysql" for a driver's
    `psycopg2.connect(host=...)`, `asyncpg.create_pool(...)`; "" for any other call."""
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in _REDIS_CLIENTS:
        return "redis"
    owner = func.value if isinstance(func, ast.Attribute) else None
    while isinstance(owner, ast.Attribute):      # psycopg2.pool.SimpleConnectionPool: the package's name
        owner = owner.value
    return _DRIVER_SERVICES.get(getattr(owner, "id", ""), "")


def _scheme_service(url: str) -> str:
    scheme = url.partition("://")[0].partition("+")[0].lower()
    return {"redis": "redis", "rediss": "redis", "postgres": "postgres", "postgresql": "postgres",
            "mysql": "mysql"}.get(scheme, "")


def _connected_urls(tree: ast.Module):
    """Service URLs the code connects with: assigned (CELERY_BROKER_URL = "redis://redis:6379"), a dict's value
    (CACHES' LOCATION), a call's first argument (redis.from_url(...)) or keyword (Celery(broker=...)); not the
    default of a read from the environment (os.getenv("REDIS_URL", "redis://redis:6379"), default=...), which
    gives way to the REDIS_URL serve sets."""
    for node in ast_nodes(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            values = [node.value]
        elif isinstance(node, ast.Dict):
            values = list(node.values)
        elif isinstance(node, ast.Call):
            values = node.args[:1] + [kw.value for kw in node.keywords if kw.arg != "default"]
        else:
            continue
        for value in values:
            if (_is_str(value) or isinstance(value, ast.JoinedStr)) and _SERVICE_URL.fullmatch(_template(value)):
                yield value


def _template(node: ast.AST) -> str:
    """A string literal's text; an f-string's with each placeholder as {} (f"postgresql://{env('POSTGRES_USER')}:
    {env('POSTGRES_PASSWORD')}@postgres:5432/{env('POSTGRES_DB')}", a URL whose login comes from the environment
    and whose host is written: postgresql://{}:{}@postgres:5432/{}). A placeholder host ({}) is no service name."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                       for v in node.values)
    return node.value


def _url_host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


@lru_cache(maxsize=64)
def service_host(host: object) -> bool:
    """`host` reads as a compose service's name (one label, not localhost) that this machine cannot resolve."""
    return isinstance(host, str) and bool(_SERVICE_NAME.fullmatch(host)) and host.lower() != "localhost" \
        and not resolves(host)


@lru_cache(maxsize=256)
def resolves(host: str) -> bool:
    """This machine can resolve `host` (a compose service name resolves only on compose's network)."""
    try:
        socket.getaddrinfo(host, None)
        return True
    except (OSError, UnicodeError):
        return False
