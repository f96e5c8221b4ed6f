"""The Redis a docker-compose app's code writes: `redis.Redis(host='redis', port=6379, password='password')`,
`redis.from_url("redis://:secret@cache:6379/0")`, a compose service's name this machine cannot resolve, and the
password its compose Redis is started with (`redis-server --requirepass password`). No variable changes either:
serve's Redis answers that name (run/host_aliases.py maps it, port included, in the app's process) and asks for
that password, as the compose one does."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..project import Project
from .ast_nodes import ast_nodes
from .code_hosts import _client_service, _connected_urls, _is_str, service_host
from .source import parsed


@dataclass(frozen=True)
class WrittenRedis:
    rel: str
    line: int
    host: str
    password: str = ""      # written beside the host (password=..., the URL's), "" for none


def written_redis(project: Project) -> list[WrittenRedis]:
    """Each Redis client call or redis:// URL in the app's files whose host is a compose service name written in
    the call, or in a constant of the module the call names (`REDIS_HOST = "redis"`, `Redis(host=REDIS_HOST)`)."""
    found = []
    for rel, tree in sorted(parsed(project).items()):
        constants = _module_constants(tree)
        for node in ast_nodes(tree):
            if not isinstance(node, ast.Call) or _client_service(node.func) != "redis":
                continue
            given = {kw.arg: kw.value.value for kw in node.keywords if kw.arg and _is_str(kw.value)}
            # the module's own constant (`REDIS_HOST = "redis"` at the top, `ConnectionPool(host=REDIS_HOST)`)
            given |= {kw.arg: constants[kw.value.id] for kw in node.keywords
                      if kw.arg and isinstance(kw.value, ast.Name) and kw.value.id in constants}
            host = given.get("host")
            if host is not None and service_host(host):
                found.append(WrittenRedis(rel, node.lineno, host, given.get("password", "")))
        for value in _connected_urls(tree):
            if not _is_str(value):
                continue      # an f-string's URL: its password, if any, is not written
            url = value.value
            if not url.lower().startswith(("redis://", "rediss://")):
                continue
            try:
                parts = urlsplit(url)
                host = parts.hostname
            except ValueError:
                continue
            if host is not None and service_host(host):
                found.append(WrittenRedis(rel, value.lineno, host, unquote(parts.password or "")))
    return found


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """{name: text} of the module's top-level names bound to a string written in the code (`REDIS_HOST =
    "redis"`) and bound nowhere else in the module (no other assignment, loop or `global` of that name)."""
    stores: dict[str, int] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            stores[node.id] = stores.get(node.id, 0) + 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                stores[name] = stores.get(name, 0) + 2
        elif isinstance(node, ast.arg):                         # a parameter of that name shadows it
            stores[node.arg] = stores.get(node.arg, 0) + 2
    found = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else \
            node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and node.value is not None and _is_str(node.value) \
                and stores.get(target.id) == 1:
            found[target.id] = node.value.value
    return found


def written_password(found: list[WrittenRedis]) -> str:
    """The password the code sends its written Redis (the first one written), "" for none."""
    return next((w.password for w in found if w.password), "")
