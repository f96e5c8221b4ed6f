"""The text of serve's own Django settings module and where it is written; run/django_overlay.py sets it up for
serve's steps, appconfig.py for an app whose settings never set SECRET_KEY (the proof, serve and dev alike).

The module imports the app's settings (SHIPYARD_APP_SETTINGS) whole, then sets over them only what a variable
asks for:
  * SHIPYARD_LOCAL_HOSTS: ALLOWED_HOSTS = the local names Django accepts under DEBUG (run/django_hosts.py); without
    it, an ALLOWED_HOSTS that is no list (Mezzanine's lazy fallback) becomes this machine's names
  * SHIPYARD_DATABASE: a JSON object of HOST, PORT, NAME, USER, PASSWORD put over DATABASES['default']
    (run/django_database.py: settings that hard-code a compose service's host), with ENGINE where the settings
    define none (their local settings module is not committed, only a sample of it) or give SQLite to models of
    django.contrib.postgres's fields
  * SHIPYARD_SECRET_KEY: SECRET_KEY, only where the app's settings leave it empty (a .gitignore'd
    local_settings.py held it: detect/django_secret.py)
  * SHIPYARD_DATABASE_URL_FROM: the image's (render/render.py image_settings_env), for models of
    django.contrib.postgres's fields on committed settings of SQLite: DATABASES['default'] becomes the PostgreSQL
    of the URL the named variable holds (DATABASE_URL: the stack's db service), as serve points them at its own
Its text holds no value of the app's, so one copy serves every app; it is never written into the app's folder.
The image keeps the app's own settings, but for that last case (its copy in shipyard_boot/, beside the
sitecustomize).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Mapping

MODULE = "shipyard_serve_settings"
SETTINGS = "DJANGO_SETTINGS_MODULE"
APP_SETTINGS = "SHIPYARD_APP_SETTINGS"
LOCAL_HOSTS = "SHIPYARD_LOCAL_HOSTS"
DATABASE = "SHIPYARD_DATABASE"
SECRET_KEY = "SHIPYARD_SECRET_KEY"
DATABASE_URL_FROM = "SHIPYARD_DATABASE_URL_FROM"

SOURCE = f'''"""Written by `shipyard serve`: the app's own settings ({APP_SETTINGS}), with what serve changes to run it
here set over them, each when its variable is set (Shipyard's serve_settings.py). The image uses it only for
models of django.contrib.postgres's fields on settings of SQLite ({DATABASE_URL_FROM})."""
import importlib
import json
import os

_app = importlib.import_module(os.environ["{APP_SETTINGS}"])
globals().update((name, value) for name, value in vars(_app).items() if name.isupper())
if os.environ.get("{LOCAL_HOSTS}"):
    ALLOWED_HOSTS = json.loads(os.environ["{LOCAL_HOSTS}"])
elif not isinstance(globals().get("ALLOWED_HOSTS", []), (list, tuple)):
    # a lazy stand-in (Mezzanine's SitesAllowedHosts, set when the settings set none), which Django 4.2 refuses
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
if os.environ.get("{DATABASE}"):
    DATABASES = dict(globals().get("DATABASES") or {{}})
    DATABASES["default"] = dict(DATABASES.get("default") or {{}}, **json.loads(os.environ["{DATABASE}"]))
_default = (globals().get("DATABASES") or {{}}).get("default") or {{}}
if os.environ.get("{DATABASE_URL_FROM}") and "sqlite3" in str(_default.get("ENGINE", "")):
    # models of django.contrib.postgres's fields, which SQLite lacks: the PostgreSQL of the URL the named variable
    # holds (the stack's DATABASE_URL), its parts taken apart as dj-database-url does
    from urllib.parse import unquote as _unquote, urlsplit as _urlsplit
    _url = _urlsplit(os.environ.get(os.environ["{DATABASE_URL_FROM}"], ""))
    if _url.scheme.startswith("postgres") and _url.path.strip("/"):
        DATABASES = dict(DATABASES)
        DATABASES["default"] = dict({{k: v for k, v in _default.items() if k not in ("OPTIONS", "TEST")}},
                                    ENGINE="django.db.backends.postgresql", NAME=_unquote(_url.path.lstrip("/")),
                                    USER=_unquote(_url.username or ""), PASSWORD=_unquote(_url.password or ""),
                                    HOST=_url.hostname or "", PORT=str(_url.port or ""))
if os.environ.get("{SECRET_KEY}") and not globals().get("SECRET_KEY"):
    SECRET_KEY = os.environ["{SECRET_KEY}"]
'''


# the module's text, in the name of the shared folder it is cached in: another Shipyard release (a second install,
# an upgrade while a serve runs) writes its own text to its own folder instead of over this one
VERSION = hashlib.sha256(SOURCE.encode()).hexdigest()[:12]


def write_module(folder: Path) -> Path:
    """The module's file in `folder`, written when missing or stale."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{MODULE}.py"
    if not path.is_file() or path.read_text() != SOURCE:
        path.write_text(SOURCE)
    return path


def settings_environ(folder: Path, app_settings: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The variables that make Django load the module in `folder` over `app_settings`, PYTHONPATH keeping
    `environ`'s own entries after the folder."""
    return {SETTINGS: MODULE, APP_SETTINGS: app_settings,
            "PYTHONPATH": os.pathsep.join(filter(None, (str(folder), environ.get("PYTHONPATH"))))}
