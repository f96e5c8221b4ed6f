"""A Django app whose settings hard-code a database host this machine cannot resolve, under serve and dev.

docker-compose tutorials write their compose service into the settings (`DATABASES = {"default": {"ENGINE":
"django.db.backends.postgresql", "HOST": "db", "PORT": 5432, "NAME": "postgres", "USER": "postgres", ...}}`),
and no variable serve sets reaches them: serve started the app's own PostgreSQL (run/database.py), and the app
dialed `db` and failed its migrations and every page with "could not translate host name". serve reads
DATABASES['default'] as the settings compute it, with the app's interpreter and environment (a settings package
may choose dev or prod by a variable), and when its HOST does not resolve here, points that entry at the app's
own database through serve's settings module (django_overlay.py), never the app's files. A host that resolves is
the user's (a database they run), and is left alone.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Callable

from ..detect.code_hosts import resolves
from ..plan import Plan
from .appenv import AppEnv
from .database import AppDatabase
from .django_overlay import DATABASE, app_settings, overlaid
from .django_script import last_json, run_with_settings
from .django_static import is_django

_LOCAL = frozenset({"", "localhost", "127.0.0.1", "::1"})
# the engines of each server serve runs for the app, by its label
_ENGINES = {"PostgreSQL": ("postgresql", "postgis"), "MariaDB": ("mysql",)}

_PROBE = """\
from django.conf import settings
default = (settings.DATABASES or {}).get("default") or {}
print(json.dumps({key: str(default.get(key) or "") for key in ("ENGINE", "HOST", "PORT")}))
"""


def unreachable_host(found: object, label: str, ours: str) -> str | None:
    """The host of the app's DATABASES['default'] (`found`: what the probe printed) when serve must point it at
    its own `label` server: an engine of that server, on a host that is not this machine's, not `ours` and not a
    socket folder, and that does not resolve here. None otherwise."""
    if not isinstance(found, dict):
        return None
    engine, host = str(found.get("ENGINE", "")), str(found.get("HOST", "")).strip()
    if not any(e in engine for e in _ENGINES.get(label, ())):
        return None
    if host.lower() in _LOCAL or host == ours or host.startswith("/") or resolves(host):
        return None
    return host


def with_own_database(plan: Plan, root: Path, env: AppEnv, db: AppDatabase, say: Callable[[str], None],
                      timeout: float = 120) -> None:
    """Point the app's DATABASES['default'] at its own database (db.environ gains serve's settings module) when its
    settings hard-code a host that does not resolve here; nothing for a database that is not serve's, another
    framework, django-configurations' classes, or settings that cannot be read (the release reports that)."""
    settings = app_settings(plan, db.environ)
    if not db.own or not is_django(plan) or not settings or plan.entry.django_configuration:
        return
    try:
        found = last_json(run_with_settings(plan, root, env, _PROBE, environ=db.environ, timeout=timeout))
    except (subprocess.TimeoutExpired, ValueError):
        return
    host = unreachable_host(found, db.label, db.parts.get("host", ""))
    if host is None:
        return
    parts = db.parts
    given, path = overlaid(plan, root, db.environ, {DATABASE: json.dumps({
        "HOST": parts["host"], "PORT": parts["port"], "NAME": parts["database"], "USER": parts["user"],
        "PASSWORD": parts["password"]})})
    db.environ = given
    db.given += (DATABASE,)
    say(f"the app's settings ({settings}) connect DATABASES['default'] to host {host!r}, which does not resolve "
        f"here (a compose service?): serve points it at the app's own {db.label} ({parts['host']}:{parts['port']}, "
        f"database {parts['database']}) through settings of its own that import the app's ({path}); the image "
        f"keeps the app's settings")
