"""The app's own Python source, parsed once, and the dependencies that only show up as strings.

Shared by the imports and services detectors. Files under tests/, docs/, examples/ and the like, test
modules and build scripts are not the app and are left out.
"""

from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project

# Files that run at build or test time, not in production.
_NOT_APP = re.compile(r"(^|/)(setup|conftest|noxfile|fabfile|tasks|test_[^/]*|[^/]*_test|tests?)\.py$")
_CONFIG_SUFFIXES = (".ini", ".cfg", ".conf", ".env", ".yaml", ".yml", ".toml", ".json")
_CONFIG_NAMES = ("Procfile", ".env", ".env.example", ".env.sample", ".flaskenv", "Dockerfile")
_MAX_CONFIG_BYTES = 200_000

# Database drivers by service: any of these in the dependency list means the app talks to that service.
DRIVERS: dict[str, tuple[str, ...]] = {
    "postgres": ("psycopg2", "psycopg2-binary", "psycopg", "psycopg-binary", "psycopg-c", "psycopg2cffi",
                 "asyncpg", "pg8000", "aiopg"),
    "mysql": ("mysqlclient", "pymysql", "mysql-connector-python", "aiomysql", "asyncmy"),
    "redis": ("redis", "aioredis", "django-redis", "hiredis", "rq", "flask-redis"),
}

# SQLAlchemy (and dj-database-url) URL scheme -> (service, driver distribution).
_URL_SCHEMES: dict[str, tuple[str, str]] = {
    "postgres": ("postgres", "psycopg2"), "postgresql": ("postgres", "psycopg2"),
    "postgresql+psycopg2": ("postgres", "psycopg2"), "postgresql+psycopg": ("postgres", "psycopg"),
    "postgresql+asyncpg": ("postgres", "asyncpg"), "postgresql+pg8000": ("postgres", "pg8000"),
    "postgresql+aiopg": ("postgres", "aiopg"),
    "mysql": ("mysql", "mysqlclient"), "mysql+mysqldb": ("mysql", "mysqlclient"),
    "mysql+pymysql": ("mysql", "PyMySQL"), "mysql+mysqlconnector": ("mysql", "mysql-connector-python"),
    "mysql+aiomysql": ("mysql", "aiomysql"), "mysql+asyncmy": ("mysql", "asyncmy"),
    "mariadb": ("mysql", "mysqlclient"), "mariadb+mariadbconnector": ("mysql", "mariadb"),
    "redis": ("redis", "redis"), "rediss": ("redis", "redis"),
}
_URL = re.compile(r"(?<![\w+])(" + "|".join(sorted((re.escape(s) for s in _URL_SCHEMES), key=len, reverse=True))
                  + r")://", re.I)
# Django settings strings naming a backend.
_DJANGO_BACKENDS: dict[str, tuple[str, str]] = {
    "django.db.backends.postgresql": ("postgres", "psycopg2"),
    "django.db.backends.postgresql_psycopg2": ("postgres", "psycopg2"),
    "django.contrib.gis.db.backends.postgis": ("postgres", "psycopg2"),
    "django.db.backends.mysql": ("mysql", "mysqlclient"),
    "django.contrib.gis.db.backends.mysql": ("mysql", "mysqlclient"),
    "django.core.cache.backends.redis.RedisCache": ("redis", "redis"),
}
# gunicorn worker classes that need a package of their own.
WORKER_CLASSES: dict[str, str] = {
    "gevent": "gevent", "eventlet": "eventlet", "tornado": "tornado",
    "uvicorn.workers.UvicornWorker": "uvicorn", "uvicorn.workers.UvicornH11Worker": "uvicorn",
    "uvicorn_worker.UvicornWorker": "uvicorn-worker", "uvicorn_worker.UvicornH11Worker": "uvicorn-worker",
    "gunicorn.workers.ggevent.GeventWorker": "gevent", "geventwebsocket.gunicorn.workers.GeventWebSocketWorker":
    "gevent-websocket",
}
_WORKER_FLAG = re.compile(r"(?:-k|--worker-class)[=\s]+['\"]?([\w.]+)")


@dataclass(frozen=True)
class StringHint:
    """A dependency or service named only in a string: a database URL, a Django backend, a worker class."""

    service: str | None            # "postgres" | "mysql" | "redis" | None
    dependency: str                # distribution that serves it ("psycopg2")
    reason: str                    # "postgresql:// URL in app/config.py"


def is_app_file(rel: str) -> bool:
    return not Project.is_decoy(rel) and not _NOT_APP.search(rel)


_CACHE: "weakref.WeakKeyDictionary[Project, dict[str, ast.Module]]" = weakref.WeakKeyDictionary()


def parsed(project: Project) -> dict[str, ast.Module]:
    """Every app .py file that parses, by path; files with syntax errors are skipped."""
    cached = _CACHE.get(project)
    if cached is None:
        cached = {}
        for rel in project.python_files:
            if not is_app_file(rel):
                continue
            text = project.scan_text(rel)
            if text is None:
                continue
            try:
                cached[rel] = ast.parse(text, filename=rel)
            except (SyntaxError, ValueError):
                continue
        _CACHE[project] = cached
    return cached


def local_modules(project: Project) -> frozenset[str]:
    """Top-level names the project itself provides: its .py files and the folders that hold them.

    Any of them may be on sys.path (the root, the workdir, src/, or a script's own folder), so an import
    of one of these names is the project's own code, not a distribution.
    """
    names: set[str] = set()
    for rel in project.python_files:
        path = PurePosixPath(rel)
        names.add(path.stem)
        names.update(p for p in path.parts[:-1] if p.isidentifier())
    return frozenset(n for n in names if n.isidentifier())


def string_constants(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


def string_hints(project: Project) -> tuple[StringHint, ...]:
    hints: list[StringHint] = []
    for rel, tree in parsed(project).items():
        for text in string_constants(tree):
            hints.extend(_hints_in(text, rel, code=True))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "worker_class" for t in node.targets) \
                    and isinstance(node.value, ast.Constant) and node.value.value in WORKER_CLASSES:
                hints.append(StringHint(None, WORKER_CLASSES[node.value.value],
                                        f"gunicorn worker_class {node.value.value!r} in {rel}"))
    for rel in project.files:
        name = PurePosixPath(rel).name
        if Project.is_decoy(rel) or rel.endswith((".lock", "package-lock.json")) or name == "test.json":
            continue
        if not (name in _CONFIG_NAMES or name.endswith(_CONFIG_SUFFIXES) or name.endswith(".sh")):
            continue
        try:
            if project.path(rel).stat().st_size > _MAX_CONFIG_BYTES:
                continue
        except OSError:
            continue
        text = project.scan_text(rel)
        if text is None:
            continue
        hints.extend(_hints_in(text, rel, code=False))
        for match in _WORKER_FLAG.finditer(text):
            if match.group(1) in WORKER_CLASSES:
                hints.append(StringHint(None, WORKER_CLASSES[match.group(1)],
                                        f"gunicorn worker class {match.group(1)!r} in {rel}"))
    unique: dict[tuple[str | None, str, str], StringHint] = {}
    for hint in hints:
        unique.setdefault((hint.service, hint.dependency, hint.reason), hint)
    return tuple(unique.values())


def _hints_in(text: str, rel: str, *, code: bool) -> list[StringHint]:
    out = []
    stripped = text.strip()
    if code and stripped in _DJANGO_BACKENDS:
        service, driver = _DJANGO_BACKENDS[stripped]
        kind = "CACHES BACKEND" if "cache" in stripped else "DATABASES ENGINE"
        out.append(StringHint(service, driver, f"{kind} {stripped!r} in {rel}"))
    for match in _URL.finditer(text):
        scheme = match.group(1).lower()
        service, driver = _URL_SCHEMES[scheme]
        out.append(StringHint(service, driver, f"{scheme}:// URL in {rel}"))
    return out
