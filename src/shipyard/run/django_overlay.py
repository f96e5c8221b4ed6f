"""serve's own Django settings module, for what the app's settings would get wrong here and serve must change.

The module imports the app's settings (SHIPYARD_APP_SETTINGS) whole, then sets over them only what a variable
asks for, so each step of serve adds its change to one module:
  * SHIPYARD_LOCAL_HOSTS: ALLOWED_HOSTS = the local names Django accepts under DEBUG (django_hosts.py)
  * SHIPYARD_DATABASE: a JSON object of HOST, PORT, NAME, USER, PASSWORD put over DATABASES['default']
    (django_database.py: settings that hard-code a compose service's host)
It is written into Shipyard's folder for the app (never the app's folder) and found through PYTHONPATH; its text
holds no value of the app's. The image and the stacks keep the app's own settings.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from ..plan import Plan
from .database import app_folder

MODULE = "shipyard_serve_settings"
SETTINGS = "DJANGO_SETTINGS_MODULE"
APP_SETTINGS = "SHIPYARD_APP_SETTINGS"
LOCAL_HOSTS = "SHIPYARD_LOCAL_HOSTS"
DATABASE = "SHIPYARD_DATABASE"

_SOURCE = f'''"""Written by `shipyard serve`: the app's own settings ({APP_SETTINGS}), with what serve changes to run it
here set over them, each when its variable is set (Shipyard's run/django_overlay.py). Not used by the image."""
import importlib
import json
import os

_app = importlib.import_module(os.environ["{APP_SETTINGS}"])
globals().update((name, value) for name, value in vars(_app).items() if name.isupper())
if os.environ.get("{LOCAL_HOSTS}"):
    ALLOWED_HOSTS = json.loads(os.environ["{LOCAL_HOSTS}"])
if os.environ.get("{DATABASE}"):
    DATABASES = dict(DATABASES)
    DATABASES["default"] = dict(DATABASES["default"], **json.loads(os.environ["{DATABASE}"]))
'''


def app_settings(plan: Plan, environ: Mapping[str, str]) -> str | None:
    """The app's own settings module, as the server would load it: the environment's, else the entry's."""
    if environ.get(SETTINGS) == MODULE:
        return environ.get(APP_SETTINGS)
    return environ.get(SETTINGS) or plan.entry.django_env.get(SETTINGS)


def overlaid(plan: Plan, root: Path, environ: Mapping[str, str], changes: Mapping[str, str]
             ) -> tuple[dict[str, str], Path]:
    """`environ` running the app with serve's settings module and `changes` (LOCAL_HOSTS, DATABASE) on top of what
    it already changes; and the module's file. The caller checks app_settings() first."""
    folder = app_folder(plan, root, environ, "settings")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{MODULE}.py"
    if not path.is_file() or path.read_text() != _SOURCE:
        path.write_text(_SOURCE)
    given = dict(environ)
    if environ.get(SETTINGS) != MODULE:
        given.update({SETTINGS: MODULE, APP_SETTINGS: app_settings(plan, environ) or "",
                      "PYTHONPATH": os.pathsep.join(filter(None, (str(folder), environ.get("PYTHONPATH"))))})
    given.update(changes)
    return given, path
