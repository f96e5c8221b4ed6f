"""The environment variables an app uses as its Redis address, whatever their names: known by where the code
puts them, or by the redis:// value the app's env files give them.

  * where: a Django cache's LOCATION in a settings module that names a Redis cache backend (django-redis's
    `CACHES['default']['LOCATION'] = os.environ.get('CACHELOCATION')`); a setting named for Redis (django-cacheops'
    `CACHEOPS_REDIS = {"host": os.environ["REDIS_HOST"], ...}`, or its URL); the URL of `redis.from_url(...)`
    (`Redis.from_url`, `aioredis.from_url`...); the host, port or db of `Redis(host=..., port=...)`; a Celery
    broker or result backend (`Celery(broker=...)`, `CELERY_BROKER_URL = ...`, `app.conf.broker_url = ...`);
  * value: a variable the code reads that an env file of the app (`.env`, `.env.example`...) or its compose
    file sets to a redis:// URL (`CACHELOCATION=redis://redis:6379/0`, the compose service's host).

A variable whose env-file value or default names another scheme (a Celery broker on amqp://) is not Redis's.
serve and dev give these variables their own Redis (run/redis.py), the stacks their `redis` service (render/).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Iterable

from ..project import Project
from . import compose_env, env_spans, envfile
from .ast_nodes import ast_nodes
from .source import is_app_file

REDIS_SCHEMES = ("redis", "rediss", "unix")
_CELERY_SETTINGS = frozenset({"CELERY_BROKER_URL", "BROKER_URL", "CELERY_RESULT_BACKEND", "broker_url",
                              "result_backend", "CELERY_BROKER", "CELERY_BACKEND"})
_CELERY_KEYWORDS = frozenset({"broker", "backend", "broker_url", "result_backend"})
_CLIENT_PARTS = {"host": "HOST", "port": "PORT", "db": "DB", "unix_socket_path": "SOCKET"}
_CLIENTS = frozenset({"Redis", "StrictRedis", "ConnectionPool"})
_REDIS_SETTING = re.compile(r"^[A-Z0-9_]*_REDIS$")
_REDIS_URL_SETTINGS = frozenset({"CACHEOPS_REDIS", "SESSION_REDIS"})


@dataclass(frozen=True)
class RedisUses:
    urls: tuple[str, ...] = ()                       # variables that get the Redis URL
    parts: tuple[tuple[str, str], ...] = field(default=())   # (variable, HOST | PORT | DB | SOCKET)


def redis_uses(project: Project, trees: dict[str, ast.Module], reads: Iterable) -> RedisUses:
    """The variables the code reads (services.EnvRead) that are its Redis address, by where it uses them or by
    the value its env files give them (rules in the module docstring)."""
    reads = tuple(reads)
    values = env_file_values(project)
    urls: set[str] = set()
    parts: dict[str, str] = {}

    def other_scheme(read) -> bool:
        # the app says elsewhere it is not Redis: its env file's value or its default names another scheme
        return any(scheme and scheme not in REDIS_SCHEMES
                   for scheme in (_scheme(values.get(read.name, "")), _scheme(read.default_text or "")))

    for rel, tree in sorted(trees.items()):
        url_spans, part_spans = _positions(tree)
        assigned = env_spans.assignments(tree)
        url_spans = env_spans.spans(url_spans, assigned)
        part_spans = [(part, env_spans.spans([node], assigned)) for part, node in part_spans]
        for read in reads:
            if read.path != rel or other_scheme(read):
                continue
            if any(s.holds(read) for s in url_spans):
                urls.add(read.name)
            for part, found in part_spans:
                if any(s.holds(read) for s in found):
                    parts.setdefault(read.name, part)
    for read in reads:
        if _scheme(values.get(read.name, "")) in ("redis", "rediss"):
            urls.add(read.name)
    return RedisUses(tuple(sorted(urls - set(parts))), tuple(sorted(parts.items())))


def unread_env_hint(project: Project, hint, read: frozenset[str]) -> bool:
    """A Redis URL (source.StringHint) found in an env file, where no variable the code reads (`read`) is set to a
    Redis URL: a REDIS_URL a template left in .env, read by nothing, is no sign the app uses Redis (no Redis
    for serve, no redis package inferred)."""
    if hint.service != "redis" or not hint.path or not is_dotenv(PurePosixPath(hint.path).name):
        return False
    values = envfile.parse(project.scan_text(hint.path) or "")
    return not any(name in read and _scheme(value) in ("redis", "rediss") for name, value in values.items())


def env_file_values(project: Project) -> dict[str, str]:
    """Variable -> value, from the app's dotenv files (its own `.env`, the examples) and its compose file's
    service, the first file (by name) that sets it winning."""
    return {key: value for key, (value, _) in env_file_sources(project).items()}


def env_file_sources(project: Project) -> dict[str, tuple[str, str]]:
    """Variable -> (value, the file that sets it), as env_file_values reads them."""
    out: dict[str, tuple[str, str]] = {}
    for rel in sorted(project.files):
        name = PurePosixPath(rel).name
        if is_app_file(rel) and is_dotenv(name):
            text = project.scan_text(rel)
            for key, value in envfile.parse(text or "").items():
                out.setdefault(key, (value, rel))
    found = compose_env.find(project)
    for key, value in (found.values if found else ()):
        out.setdefault(key, (value, found.path))
    return out


def is_dotenv(name: str) -> bool:
    """`.env`, `.flaskenv`, or an env file under another name (`.env.example`, `.env-local`, `prod.env`)."""
    return name in (".env", ".flaskenv") or envfile.rank(name) is not None or name.endswith(".env")


def _scheme(value: str) -> str:
    scheme, sep, _ = value.partition("://")
    return scheme.lower() if sep and scheme.isidentifier() else ""


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _positions(tree: ast.Module) -> tuple[list[ast.AST], list[tuple[str, ast.AST]]]:
    """(expressions that are a Redis URL, (part, expression) for a client's host/port/db)."""
    urls: list[ast.AST] = []
    parts: list[tuple[str, ast.AST]] = []
    redis_cache = any(isinstance(n, ast.Constant) and isinstance(n.value, str) and "redis" in n.value.lower()
                      and "cache" in n.value.lower() for n in ast_nodes(tree))
    for node in ast_nodes(tree):
        if isinstance(node, ast.Dict) and redis_cache:
            urls.extend(v for k, v in zip(node.keys, node.values)
                        if isinstance(k, ast.Constant) and k.value == "LOCATION")
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if redis_cache and isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
                        and target.slice.value == "LOCATION":
                    urls.append(node.value)        # CACHES['default']['LOCATION'] = ...
                name = target.id if isinstance(target, ast.Name) else target.attr \
                    if isinstance(target, ast.Attribute) else None
                if name in _CELERY_SETTINGS:
                    urls.append(node.value)
                elif isinstance(target, ast.Name) and _REDIS_SETTING.search(target.id):
                    # a setting named for Redis (django-cacheops' CACHEOPS_REDIS, SESSION_REDIS): a dict of the
                    # client's host/port/db, or (those two packages') the URL itself
                    if isinstance(node.value, ast.Dict):
                        parts.extend((_CLIENT_PARTS[k.value.lower()], v) for k, v in zip(node.value.keys,
                                                                                          node.value.values)
                                     if isinstance(k, ast.Constant) and str(k.value).lower() in _CLIENT_PARTS)
                    elif target.id in _REDIS_URL_SETTINGS:
                        urls.append(node.value)
        elif isinstance(node, ast.Call):
            func = _dotted(node.func)
            last = func.rsplit(".", 1)[-1]
            if last == "from_url" and "redis" in func.lower():
                urls.extend(node.args[:1])
                urls.extend(k.value for k in node.keywords if k.arg == "url")
            elif last in _CLIENTS:
                parts.extend((_CLIENT_PARTS[k.arg], k.value) for k in node.keywords if k.arg in _CLIENT_PARTS)
            elif last == "Celery" or (last == "update" and func.endswith("conf.update")):
                urls.extend(k.value for k in node.keywords if k.arg in _CELERY_KEYWORDS)
    return urls, parts
