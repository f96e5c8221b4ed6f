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
from typing import Callable, Mapping

from ..detect.code_hosts import resolves
from ..detect.missing_settings import missing_databases_module, sample_engine
from ..detect.postgres_fields import postgres_fields_use
from ..plan import Plan
from ..project import Project
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


def misdirected(found: object, label: str, ours: Mapping[str, str]) -> str | None:
    """Why serve points the app's DATABASES['default'] (`found`: what the probe printed) at its own `label` server
    (`ours`: its host and port), or None: an engine of that server, on a host that does not resolve here (a
    compose service), or on this machine at a port written in the settings where serve's server does not listen
    (another program holds 5432 here). A socket folder, serve's own address, and a host that resolves (a
    database the user runs) are left alone."""
    if not isinstance(found, dict):
        return None
    engine, host = str(found.get("ENGINE", "")), str(found.get("HOST", "")).strip()
    port = str(found.get("PORT", "")).strip()
    if not any(e in engine for e in _ENGINES.get(label, ())) or host.startswith("/"):
        return None
    if host.lower() in _LOCAL or host == ours.get("host"):
        # no HOST: libpq's PGHOST, serve's; a port written beside it is where another program listens
        if port and port != ours.get("port"):
            return (f"connect DATABASES['default'] to port {port} on this machine, where the app's own {label} "
                    f"does not listen (another program holds {port} here?)")
        return None
    if resolves(host):
        return None
    return (f"connect DATABASES['default'] to host {host!r}, which does not resolve here (a compose service, or a "
            f"database on another network)")


def sampled_engine(plan: Plan, root: Path, settings: str, found: object, label: str) -> tuple[str, str] | None:
    """(why, ENGINE) when the settings give no database (`found`: no ENGINE), define no DATABASES and star-import a
    local settings module the project lacks, of which a sample is committed naming an engine of serve's `label`
    server (blog/local_settings-sample.py, MySQL, which a Dockerfile copies into place); None otherwise."""
    if not isinstance(found, dict) or str(found.get("ENGINE", "")) not in ("", "django.db.backends.dummy"):
        return None
    project = Project(root)
    missing = missing_databases_module(project, plan.workdir, settings)
    sample = sample_engine(project, missing[2]) if missing else None
    if missing is None or sample is None or not any(e in sample[1] for e in _ENGINES.get(label, ())):
        return None
    return (f"define no DATABASES and take them from {missing[1]}, which is not in the project; its committed "
            f"sample {sample[0]} names {sample[1]}"), sample[1]


def postgres_models_on_sqlite(root: Path, found: object, label: str) -> tuple[str, str] | None:
    """(why, ENGINE) when the settings give SQLite (`found`) while the app's models import django.contrib.postgres's
    fields, which only PostgreSQL has, and serve's `label` server is a PostgreSQL (a 2019 conference app whose
    committed settings say SQLite and whose author's uncommitted local.py said PostgreSQL); None otherwise."""
    if label != "PostgreSQL" or not isinstance(found, dict) or "sqlite3" not in str(found.get("ENGINE", "")):
        return None
    where = postgres_fields_use(Project(root))
    if not where:
        return None
    return (f"use SQLite, while {where} imports django.contrib.postgres's fields, which only PostgreSQL has "
            "(migrate fails on SQLite)"), "django.db.backends.postgresql"


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
    why, engine = misdirected(found, db.label, db.parts), None
    if why is None and (sampled := sampled_engine(plan, root, settings, found, db.label)) is not None:
        why, engine = sampled
    if why is None and (needed := postgres_models_on_sqlite(root, found, db.label)) is not None:
        why, engine = needed
    if why is None:
        return
    parts = db.parts
    given, path = overlaid(plan, root, db.environ, {DATABASE: json.dumps({
        **({"ENGINE": engine} if engine else {}),
        "HOST": parts["host"], "PORT": parts["port"], "NAME": parts["database"], "USER": parts["user"],
        "PASSWORD": parts["password"]})})
    db.environ = given
    db.given += (DATABASE,)
    say(f"the app's settings ({settings}) {why}: serve points it at the app's own {db.label} "
        f"({parts['host']}:{parts['port']}, database {parts['database']}) through settings of its own that import "
        f"the app's ({path}); the image keeps the app's settings")
