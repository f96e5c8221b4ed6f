"""The Redis variables an app's code reads and what each one gets: one naming rule for the Redis that
`serve`/`dev` start (run/redis.py) and for the generated stacks' `redis` service (render/).

REDIS_URL always; then every variable the code reads whose name says Redis: a URL (CACHE_REDIS_URL,
REDIS_DSN...) gets the URL, a part (REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_SOCKET...) gets that part (REDIS_PASSWORD: none); and,
whatever its name, one the code uses as its Redis address (detect/redis_uses.py: read with a Redis URL for
default, a Celery broker, a django-redis LOCATION, set to a redis:// URL in its env files) gets the URL, one it
passes as a client's host, port or db (`Redis(host=os.environ["CACHE_HOST"])`) that part.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .plan import Plan

_URL_NAME = re.compile(r"(?:[A-Z0-9]+_)*REDIS(?:_[A-Z0-9]+)*_(?:URL|URI|DSN)|REDIS_?(?:URL|URI|DSN)?")
_PART_NAME = re.compile(r"(?:[A-Z0-9]+_)*REDIS_(HOST|HOSTNAME|SERVER|PORT|DB|DATABASE|SOCKET|SOCKET_PATH|UNIX_SOCKET|"
                        r"PASSWORD|PASS)")
_SOCKET_PARTS = ("SOCKET", "SOCKET_PATH", "UNIX_SOCKET")


def is_redis_name(name: str) -> bool:
    """Whether the variable's name says it is Redis's URL or a part of it (REDIS_URL, CACHE_REDIS_URL, REDIS_HOST)."""
    return bool(_URL_NAME.fullmatch(name) or _PART_NAME.fullmatch(name))


def redis_names(plan: Plan) -> tuple[str, ...]:
    """The Redis variables the app's code reads (REDIS_URL, CACHE_REDIS_URL, REDIS_HOST...), and those it
    uses as its Redis address under any name (CELERY_BROKER, CACHELOCATION, CACHE_HOST)."""
    by_use = {n for s in plan.services if s.name == "redis" for n in (*s.variables, *dict(s.parts))}
    return tuple(n for n in plan.env_vars if is_redis_name(n) or n in by_use)


def port_settable(plan: Plan) -> bool:
    """The app reads a Redis variable that carries the port (a URL, a PORT or socket part): its Redis may listen
    anywhere. Read only as a host (REDIS_HOST with `port=6379` written beside it), the app connects to the port
    its code writes, almost always 6379."""
    used_as = {n: p for s in plan.services if s.name == "redis" for n, p in s.parts}
    for name in redis_names(plan):
        named = _PART_NAME.fullmatch(name)
        part = used_as.get(name) or (named.group(1) if named else None)
        if part is None or part == "PORT" or part in _SOCKET_PARTS:
            return True
    return False


def redis_env(plan: Plan, host: str, port: int, sock: str | None = None, password: str = "") -> dict[str, str]:
    """REDIS_URL, plus every Redis variable the app's code reads, pointing at the Redis on host:port (database
    0). A socket variable gets `sock`; without one (a Redis in another container) it stays unset, so the app
    falls back to host and port. `password`: the one serve's Redis asks for (the code writes it)."""
    url = f"redis://{':' + quote(password, safe='') + '@' if password else ''}{host}:{port}/0"
    # the Redis serve and the stacks start has no password (unless the code writes one): an app's REDIS_PASSWORD
    # (an example env file's placeholder) would make its client send AUTH, which such a Redis refuses; empty,
    # redis-py sends none
    parts = {"HOST": host, "HOSTNAME": host, "SERVER": host, "PORT": str(port), "DB": "0", "DATABASE": "0",
             "PASSWORD": password, "PASS": password,
             **({p: sock for p in _SOCKET_PARTS} if sock else {})}
    env = {"REDIS_URL": url}
    used_as = {n: p for s in plan.services if s.name == "redis" for n, p in s.parts}
    for name in redis_names(plan):
        named = _PART_NAME.fullmatch(name)
        part = used_as.get(name) or (named.group(1) if named else None)
        if part is None:
            env[name] = url
        elif part in parts:
            env[name] = parts[part]
    return env
