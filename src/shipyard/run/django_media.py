"""Django's uploaded files under `serve`: nginx serves MEDIA_URL from MEDIA_ROOT, as the settings compute them.

runserver serves them only through `static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)`, which does
nothing when DEBUG is off: behind a production server a picture a user uploaded answered 404. Every deployment
guide has nginx alias MEDIA_URL to MEDIA_ROOT; serve does the same, with the values the app's own settings give
(read by importing them with the app's interpreter and environment, so a MEDIA_ROOT computed from BASE_DIR, an
environment variable or a settings package is the one the app writes to). MEDIA_ROOT is created when missing, so
the first upload has a folder and nginx a root. Files kept elsewhere (S3, Cloudinary: a default storage that is
not the file system), a MEDIA_URL on another host, or none set: nothing to serve here.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Callable, Mapping

from ..plan import Plan, StaticDir
from .appenv import AppEnv
from .django_script import last_json, run_with_settings
from .django_static import is_django

# prints [MEDIA_ROOT, MEDIA_URL] when the default storage writes to the file system, else null
_PROBE = """\
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string
backend = (getattr(settings, "STORAGES", None) or {}).get("default", {}).get("BACKEND") \\
    or getattr(settings, "DEFAULT_FILE_STORAGE", None) or "django.core.files.storage.FileSystemStorage"
try:
    on_disk = issubclass(import_string(backend), FileSystemStorage)
except Exception:
    on_disk = False
print(json.dumps([str(settings.MEDIA_ROOT or ""), str(settings.MEDIA_URL or "")] if on_disk else None))
"""


def media_location(plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None], *,
                   environ: Mapping[str, str] | None = None, timeout: float = 120) -> StaticDir | None:
    """MEDIA_URL -> MEDIA_ROOT for nginx (MEDIA_ROOT made when missing), or None when there is nothing to serve."""
    if not is_django(plan):
        return None
    try:
        done = run_with_settings(plan, root, env, _PROBE, environ=environ, timeout=timeout)
    except subprocess.TimeoutExpired:
        say(f"warning: reading MEDIA_ROOT from the settings took over {timeout:g}s: uploaded files are not "
            f"served by nginx")
        return None
    try:
        found = last_json(done)
    except ValueError:
        found = None
    if not (isinstance(found, list) and len(found) == 2):
        return None
    return _location(found[0], found[1], (Path(root) / plan.workdir).resolve(), say)


def _location(media_root: str, media_url: str, cwd: Path, say: Callable[[str], None]) -> StaticDir | None:
    url = media_url.strip()
    if not media_root or not url.strip("/") or "://" in url or url.startswith("//"):
        return None                 # Django's defaults (no media), or files on another host
    folder = (cwd / media_root).resolve()   # a relative MEDIA_ROOT is relative to the working folder, as for Django
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        say(f"warning: MEDIA_ROOT {folder} cannot be created here ({exc.strerror or exc}): uploads fail and "
            f"answer 500; set MEDIA_ROOT to a folder you can write")
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        say(f"warning: MEDIA_ROOT {folder} is not writable by you, who run the app: uploads fail")
    return StaticDir("/" + url.strip("/") + "/", str(folder))
