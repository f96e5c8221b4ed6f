"""Django's static files under `serve`: `collectstatic` into STATIC_ROOT before the app starts, as the image does
at build time (Dockerfile) and as every Django deployment's release does; then, for django-compressor with
COMPRESS_OFFLINE (and compression on), `manage.py compress`, which such an app's README and image run.

nginx's /static/ location (and WhiteNoise, without nginx) serve the collected folder, which a fresh clone does not
have: without this step every static file answers 404, the admin's own CSS included. It runs with the app's
interpreter and configuration (its settings, the database variables serve gives it), and only when the app's
files or its installed packages changed since the last collection that succeeded (collecting a big app takes
seconds: django CMS's 2,800 files take 8s). A failure is a warning, not the end of the run: the app itself may
still answer, and the line says why its static files will not.

Settings that name no STATIC_ROOT (startproject's default, most tutorial and book code: runserver serves every
app's static files itself while DEBUG is on) are collected into a folder of serve's own for the app, which nginx
serves at STATIC_URL: under a real server the admin's CSS and a committed front-end bundle
(`frontend/static/frontend/main.js`) answered 404 otherwise. So are settings whose STATIC_ROOT is a container's
path: absolute, outside the project, in a folder that does not exist here or that this user cannot write
(`/vol/web/static`, which a Docker tutorial's Dockerfile makes and its compose file mounts). collectstatic failed
there with "Permission denied: '/vol'" for anyone but root, and wrote into the machine's / for root, a folder
every app written that way shares. The image still collects into the settings' STATIC_ROOT, where it belongs.

A STATICFILES_DIRS folder the checkout lacks (the author's empty static/, which git does not keep) is left out of
the collection, as Django 4 leaves it out: Django 2 and 3 stopped collectstatic with FileNotFoundError there.

A name the app's own templates give `{% static %}` that a strict manifest storage (ManifestStaticFilesStorage,
WhiteNoise's) does not list after the collection (a stylesheet its front-end build makes, never committed; a typo)
is one warning naming the template's line: runserver under DEBUG served those pages, serve's DEBUG off makes each
one a 500, and the log's traceback names neither the template nor the fix.
"""

from __future__ import annotations

import hashlib
import os
import json
import subprocess
from pathlib import Path
from typing import Callable, Mapping

from ..plan import Plan, StaticDir
from ..project import Project
from .appenv import AppEnv
from .database import app_folder
from .django_script import last_json, run_with_settings

COMPRESS_FAILED = "shipyard: compress failed: "      # the script's stderr line when `compress` raised
REMOTE_STORAGE = "shipyard: static storage: "         # ...and the storage's class when collectstatic raised with one
MISSING_DIRS = "shipyard: missing static dirs: "     # ...and the STATICFILES_DIRS folders it left out (a JSON list)
UNLISTED = "shipyard: unlisted static: "             # ...and [storage, [template, line, name]...] (a JSON list)
# prints [STATIC_ROOT, STATIC_URL, the settings' STATIC_ROOT when it was a container's path] once collected; null
# when there is nothing to collect (no staticfiles app). argv[2]: the folder to collect into when the settings name
# no STATIC_ROOT or a container's path; argv[3]: the project's folder. Run after django_script.SETUP
_COLLECT = """\
def container_path(path, project):
    # absolute, outside the project, in a folder that does not exist here or that this user cannot write
    path = str(path)
    if not os.path.isabs(path):
        return False
    path, project = os.path.abspath(path), os.path.abspath(project)
    if path == project or path.startswith(project.rstrip(os.sep) + os.sep):
        return False
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        return True
    return not os.access(path if os.path.exists(path) else folder, os.W_OK | os.X_OK)
COMPRESS_FAILED = "@COMPRESS_FAILED@"
def remote_storage():
    # the static files storage the settings name (STORAGES since Django 4.2), when it keeps no files on this disk
    from django.core.files.storage import FileSystemStorage
    from django.utils.module_loading import import_string
    storages = getattr(settings, "STORAGES", None) or {}
    backend = (storages.get("staticfiles") or {}).get("BACKEND") or getattr(settings, "STATICFILES_STORAGE", "")
    try:
        return backend if backend and not issubclass(import_string(backend), FileSystemStorage) else None
    except Exception:
        return None
from django.apps import apps
from django.conf import settings
if not apps.is_installed("django.contrib.staticfiles"):
    print(json.dumps(None))
    sys.exit(0)
root = getattr(settings, "STATIC_ROOT", None)
moved = str(root) if root and container_path(root, sys.argv[3]) else None
if not root or moved:
    # startproject's default: no STATIC_ROOT, runserver serves the apps' static files itself in DEBUG; or a
    # container's path. Set before the static files storage is first made, which reads it then
    root = settings.STATIC_ROOT = sys.argv[2]
def _location(entry):
    return str(entry[1] if isinstance(entry, (list, tuple)) else entry)
# a STATICFILES_DIRS folder the clone lacks (an empty static/: git keeps no empty folder): Django 4 skips it, older
# releases stopped collectstatic with FileNotFoundError, and no static file was served
gone = [_location(e) for e in (getattr(settings, "STATICFILES_DIRS", None) or ()) if not os.path.isdir(_location(e))]
if gone:
    settings.STATICFILES_DIRS = [e for e in settings.STATICFILES_DIRS if _location(e) not in gone]
    print("@MISSING_DIRS@" + json.dumps(gone), file=sys.stderr)
from django.core.management import call_command
try:
    call_command("collectstatic", interactive=False, verbosity=0)
except Exception:
    # S3, Spaces, Cloudinary...: it uploads there, with settings (a bucket, credentials) a clone does not carry
    remote = remote_storage()
    if remote:
        print("@REMOTE_STORAGE@" + remote, file=sys.stderr)
    raise
def unlisted_static(project, most=20):
    # names the project's own templates give {% static %} literally that a strict manifest storage does not list:
    # with DEBUG off it raises ValueError (Missing staticfiles manifest entry), a 500, on each page rendering one;
    # runserver under DEBUG serves those pages (the name unhashed), so the author never saw it
    import re
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
    from django.template import engines
    storage = staticfiles_storage          # a lazy object, which isinstance() sees through
    if not isinstance(storage, ManifestFilesMixin) or not getattr(storage, "manifest_strict", True):
        return None
    listed = storage.load_manifest()
    listed = listed[0] if isinstance(listed, tuple) else listed          # (paths, hash) since Django 4.2
    tag = re.compile(r"{%\\s*static\\s+('|\\")([^'\\"{}]+)\\1")
    project = os.path.abspath(project).rstrip(os.sep) + os.sep
    found, seen = [], set()
    for engine in engines.all():
        for folder in getattr(engine, "template_dirs", ()):
            folder = os.path.abspath(str(folder))
            if not folder.startswith(project) or "site-packages" in folder or folder in seen:
                continue
            seen.add(folder)
            for base, dirs, files in os.walk(folder):
                for file in sorted(files):
                    path = os.path.join(base, file)
                    try:
                        text = open(path, encoding="utf-8").read()
                    except (OSError, ValueError):
                        continue
                    for match in tag.finditer(text):
                        name = match.group(2).split("?")[0].split("#")[0].strip()
                        if name and storage.hash_key(storage.clean_name(name)) not in listed:
                            found.append([path[len(project):], text.count("\\n", 0, match.start()) + 1, name])
                            if len(found) >= most:
                                return [storage.__class__.__name__, found]
    return [storage.__class__.__name__, found] if found else None
try:
    unlisted = unlisted_static(sys.argv[3])
except Exception:
    unlisted = None
if unlisted:
    print("@UNLISTED@" + json.dumps(unlisted), file=sys.stderr)
if apps.is_installed("compressor"):
    # django-compressor with COMPRESS_OFFLINE renders {% compress %} blocks only from the manifest that
    # `manage.py compress` writes (OfflineGenerationError, a 500, otherwise): the app's README and image run it
    from compressor.conf import settings as compress_settings
    if compress_settings.COMPRESS_ENABLED and compress_settings.COMPRESS_OFFLINE:
        try:
            call_command("compress", force=True, verbosity=0)
        except Exception as exc:
            print(COMPRESS_FAILED + ("%s: %s" % (type(exc).__name__, exc)).splitlines()[0], file=sys.stderr)
print(json.dumps([str(root), str(getattr(settings, "STATIC_URL", "") or ""), moved]))
""".replace("@COMPRESS_FAILED@", COMPRESS_FAILED).replace("@REMOTE_STORAGE@", REMOTE_STORAGE) \
    .replace("@MISSING_DIRS@", MISSING_DIRS).replace("@UNLISTED@", UNLISTED)
MARKER = "collectstatic.json"
_DATA_SUFFIXES = (".sqlite3", ".sqlite", ".db", ".log", ".pyc")   # written by the app as it runs


def is_django(plan: Plan) -> bool:
    return plan.framework == "django" or plan.entry.kind == "django"


def collect_static(plan: Plan, root: Path, env: AppEnv, say: Callable[[str], None], *,
                   environ: Mapping[str, str] | None = None, timeout: float = 300) -> bool:
    """Run collectstatic for a Django app when its sources changed since the last success; True when it ran
    and succeeded. `environ`: the environment to start from (serve's, with the app's database)."""
    if not is_django(plan):
        return False
    marker = app_folder(plan, root, os.environ, "apps") / MARKER
    try:
        last = json.loads(marker.read_text())
    except (OSError, ValueError):
        last = {}
    collected = last.get("static_root") if isinstance(last, dict) else None
    if not collected and (shipped := _shipped_manifest(plan, root)):
        say(f"static files: {shipped.parent} already holds them with their manifest ({shipped.name}), as the project "
            f"ships them: not collected again (collectstatic would rewrite the manifest from the sources here)")
        return False
    if collected and _filled(Path(collected)) and last.get("fingerprint") == sources_fingerprint(root, env, collected):
        say(f"static files: unchanged since the last collectstatic into {collected}")
        if isinstance(last.get("unlisted"), str):
            say(last["unlisted"])
        return False
    cwd = (root / plan.workdir).resolve()
    try:
        # argv[1] is the command, as under `manage.py collectstatic`: settings may test it (DATABASE_URL needed
        # unless sys.argv[1] == 'collectstatic')
        done = run_with_settings(plan, root, env, _COLLECT, "collectstatic", str(own_static_folder(plan, root)),
                                 str(Path(root).resolve()), environ=environ, timeout=timeout)
    except subprocess.TimeoutExpired:
        say(f"warning: collectstatic did not finish within {timeout:g}s: the app's static files are not collected "
            f"and answer 404")
        return False
    try:
        found = last_json(done)
    except ValueError:
        found = ["", "", None]
    if found is None and done.returncode == 0 and done.stdout.strip():
        return False                      # no staticfiles app: nothing is served from there
    static_root, static_url, moved = found if isinstance(found, list) and len(found) == 3 else ("", "", None)
    for line in done.stderr.splitlines():
        if line.startswith(MISSING_DIRS):
            gone = ", ".join(_shown(p, root) for p in json.loads(line[len(MISSING_DIRS):]))
            say(f"static files: STATICFILES_DIRS names {gone}, which this checkout does not have (git keeps no empty "
                f"folder): collected without it, as Django 4 and later do (older releases stop collectstatic there)")
    if not static_root:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        remote = next((l[len(REMOTE_STORAGE):] for l in done.stderr.splitlines() if l.startswith(REMOTE_STORAGE)),
                      None)
        if remote:
            say(f"warning: collectstatic failed ({why}): the app keeps its static files in {remote}, not on this "
                f"machine's disk, and that storage's settings (its bucket, credentials) are not set: give them to "
                f"serve's environment, or pages that name a static file may answer 500")
        else:
            say(f"warning: collectstatic failed ({why}): the app's static files are not collected and answer 404 "
                f"(run `python manage.py collectstatic` to see the whole error)")
        return False
    for line in done.stderr.splitlines():
        if line.startswith(COMPRESS_FAILED):
            say(f"warning: `manage.py compress` failed ({line[len(COMPRESS_FAILED):]}): pages with {{% compress %}} "
                f"blocks answer 500 under COMPRESS_OFFLINE")
    static_root = str((cwd / static_root).resolve())
    unlisted = _unlisted_warning(done.stderr)
    marker.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    marker.write_text(json.dumps({"static_root": static_root, "static_url": static_url, "moved_from": moved,
                                  "fingerprint": sources_fingerprint(root, env, static_root),
                                  "unlisted": unlisted}) + "\n")
    say(f"collected the app's static files into {static_root} (collectstatic)")
    if unlisted:
        say(unlisted)
    return True


def _unlisted_warning(stderr: str) -> str | None:
    """The warning for the names the app's templates give {% static %} that its manifest storage does not list
    (the script's UNLISTED line): each page rendering one answers 500 with DEBUG off."""
    line = next((l[len(UNLISTED):] for l in stderr.splitlines() if l.startswith(UNLISTED)), None)
    try:
        storage, found = json.loads(line) if line else (None, None)
        (template, number, name), more = found[0], len(found) - 1
    except (ValueError, TypeError, IndexError):
        return None
    others = f" (and {more} more such name{'s' if more > 1 else ''})" if more else ""
    return (f"warning: {template}:{number} names the static file {name}, which no static folder holds{others}: "
            f"with DEBUG off, {storage} answers 500 (Missing staticfiles manifest entry) on each page that renders "
            f"it; add the file (built by a front-end step?) or correct the name")


def _shown(path: str, root: Path) -> str:
    """`path` relative to the project when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return path


def _shipped_manifest(plan: Plan, root: Path) -> Path | None:
    """The manifest (staticfiles.json) of a STATIC_ROOT the project ships collected, before serve ever collected:
    Baby Buddy commits static/ with it (its front end is built by gulp, and its platform templates set
    DISABLE_COLLECTSTATIC); collecting from the sources a clone has rewrote the manifest without the built files,
    and every page naming one answered 500 (ValueError: Missing staticfiles manifest entry)."""
    for d in plan.static:
        manifest = Path(root) / d.path / "staticfiles.json"
        if not d.shipyard_root and manifest.is_file():
            return manifest
    return None


def own_static_folder(plan: Plan, root: Path) -> Path:
    """Where the static files of settings that name no STATIC_ROOT are collected: serve's folder for the app, not
    the app's own (whose files serve does not add to)."""
    return app_folder(plan, root, os.environ, "apps") / "static"


def collected_unserved(plan: Plan, root: Path) -> StaticDir | None:
    """STATIC_URL -> the folder collectstatic last filled, when the plan does not serve that URL from it: a
    STATIC_ROOT that reading the settings cannot follow, computed above the project's folder (`BASE_DIR.parent.parent
    / "static"`, a server's home layout: detect/services.py stops at the project root) or set where no module-level
    assignment says it (a django-configurations class attribute), none at all, or a container's path (serve's own
    folder for these two), so nginx had no location for it, or one on a folder collectstatic did not fill. The
    caller puts it in place of the plan's location for the same URL."""
    try:
        last = json.loads((app_folder(plan, root, os.environ, "apps") / MARKER).read_text())
    except (OSError, ValueError):
        return None
    folder, url = (last.get("static_root"), last.get("static_url")) if isinstance(last, dict) else (None, None)
    if not (isinstance(folder, str) and isinstance(url, str) and url and "://" not in url):
        return None
    url = "/" + url.strip("/") + "/"
    if any(same_url(d.url, url) and (Path(root) / d.path).resolve() == Path(folder).resolve() for d in plan.static):
        return None
    return StaticDir(url, folder)


def same_url(a: str, b: str) -> bool:
    return a.rstrip("/") + "/" == b.rstrip("/") + "/"


def moved_from(plan: Plan, root: Path) -> str | None:
    """The settings' STATIC_ROOT the last collection left because it was a container's path, if it did."""
    try:
        last = json.loads((app_folder(plan, root, os.environ, "apps") / MARKER).read_text())
    except (OSError, ValueError):
        return None
    moved = last.get("moved_from") if isinstance(last, dict) else None
    return moved if isinstance(moved, str) else None


def sources_fingerprint(root: Path, env: AppEnv, static_root: str) -> str:
    """Changes when a file collectstatic reads may have changed: the app's files (size, time) outside the
    collected folder and its data files, and the packages installed in its environment."""
    root = Path(root).resolve()
    collected = Path(static_root).resolve()
    digest = hashlib.sha256()
    for rel in Project(root).files:
        path = root / rel
        if rel.endswith(_DATA_SUFFIXES) or path.is_relative_to(collected):
            continue
        try:
            st = path.stat()
        except OSError:
            continue
        digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    # installing or removing a package (an app with its own static files: the admin's, django CMS's) changes
    # the site-packages folder's time
    for site in sorted(Path(env.python).parent.parent.glob("lib/python*/site-packages")):
        try:
            digest.update(f"{site}\0{site.stat().st_mtime_ns}\n".encode())
        except OSError:
            continue
    return digest.hexdigest()


def _filled(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError:
        return False
