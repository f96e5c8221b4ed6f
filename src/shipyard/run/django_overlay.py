"""serve's own Django settings module (serve_settings.py), for what the app's settings would get wrong here and
serve must change: each step of serve adds its change to that one module through a variable (SHIPYARD_LOCAL_HOSTS,
SHIPYARD_DATABASE). It is written into Shipyard's folder for the app (never the app's folder) and found through
PYTHONPATH. The image and the stacks keep the app's own settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..plan import Plan
from .database import app_folder
from ..serve_settings import APP_SETTINGS, DATABASE, LOCAL_HOSTS, MODULE, SETTINGS, settings_environ, write_module

__all__ = ["APP_SETTINGS", "DATABASE", "LOCAL_HOSTS", "MODULE", "SETTINGS", "app_settings", "overlaid"]


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
    path = write_module(folder)
    given = dict(environ)
    if environ.get(SETTINGS) != MODULE:
        given.update(settings_environ(folder, app_settings(plan, environ) or "", environ))
    given.update(changes)
    return given, path
