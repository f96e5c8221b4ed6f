"""Declared dependencies: what the project's own files say it needs, and the merge with inferred ones.

Read, never executed: requirements files (with -r/-c includes), pyproject.toml (PEP 621 and Poetry),
Pipfile, setup.py (by ast) and setup.cfg. Lock files (uv.lock, poetry.lock, pdm.lock, Pipfile.lock) pin the
versions of the direct dependencies that a manifest names.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from urllib.parse import unquote
from typing import Any, Iterable

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..plan import Dependency
from ..errors import UsageError
from ..project import Project, check_pyproject, is_decoy_dir
from ..servers import GUNICORN_WORKERS, LEGACY_GUNICORN_WORKERS, PACKAGE_PYTHON
from .ast_nodes import ast_nodes
from . import holds
from .system_freeze import is_system, unused_system_packages
from .findings import DeclaredDependencies, EntryFinding
from .generated import untouched_output
from . import (conda_list, dockerfile_pip, enclosing_deps, foreign_freeze, heroku_pipfile, npm_names,
               plain_requirements, repeated_requirements, uv_workspace)

# Requirement files whose name says they are for development, tests, docs or linting.
_DEV_WORDS = re.compile(r"(^|[-_./])(dev|develop|development|test|tests|testing|lint|linting|docs?|ci|local|"
                        r"debug|style|typing|mypy|tox|coverage|bench|benchmarks?)([-_.]|$)", re.I)
# Poetry group names beyond those: the tools authors check and format code with, notebooks, profiling.
_DEV_GROUP_WORDS = re.compile(r"(^|[-_.])(linters?|format(ting|ters?)?|types|type-?check(ing)?|stubs|qa|"
                              r"pre-?commit|checks?|static-?analysis|security|notebooks?|jupyter|profil(e|ing)|"
                              r"release|publish|build)([-_.]|$)", re.I)
# Preferred production requirement files, best first, relative to the folder that holds them.
_PREFERRED = ("requirements/production.txt", "requirements/prod.txt", "requirements-production.txt",
              "requirements-prod.txt", "requirements_prod.txt", "requirements.prod.txt", "requirements.txt",
              "requirements", "requirements/base.txt", "requirements/common.txt", "requirements/main.txt", "requirements.in")
_MAX_INCLUDE_DEPTH = 10

# The production server the plan needs, by server and interface (servers.py says which server serves what).
ASGI_WORKER_CLASS = GUNICORN_WORKERS["asgi"]
SERVER_SOURCE = "production server"
SAME_PROGRAM = {"pyuwsgi": "uwsgi"}   # a declared uWSGI already provides the `uwsgi` program
GRANIAN_FLOOR = ">=2.6"
# The oldest release each server package's generated configuration works with (gunicorn 20.1: the
# `wsgi_app` setting), which a Python older than SERVER_REQUIREMENTS' releases support falls back to:
# an app's own older pin (gunicorn==19.7 on Python 3.6) must be upgraded to it, not kept.
# (granian has none: below its floor's Python the planner picks gunicorn, servers.OLDEST_PYTHON.)
CONFIG_FLOORS: dict[str, str] = {"gunicorn": ">=20.1"}
# What a server needs of a package an app may pin older, beyond what the server's releases declare: granian
# 2.6.1 declares click>=8.0.0, yet its command line fails on click 8.0 (TypeError: 'NoneType' object is not
# callable), and a 2021 freeze pinning click==8.0.3 makes the resolver settle on that granian; a click the app's
# dependencies brought (uvicorn's, resolved as of a date before click 8.1) is upgraded too (run/server_fit.py)
SERVER_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {"granian": (("click", ">=8.1"),)}
SERVER_REQUIREMENTS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("gunicorn", "wsgi"): (("gunicorn", ">=23.0"),),
    # uvicorn 0.23.0 imports typing_extensions.NotRequired (Python < 3.11) without declaring typing_extensions
    # (0.23.1 does, >=4.0): beside an app pinning typing-extensions 3.x the resolver settles on exactly that
    # release, and every worker dies at import
    ("gunicorn", "asgi"): (("gunicorn", ">=23.0"), ("uvicorn-worker", ">=0.2"), ("uvicorn", "!=0.23.0")),
    # pyuwsgi: uWSGI as a wheel (same `uwsgi` program), so images need no compiler for it
    ("uwsgi", "wsgi"): (("pyuwsgi", ">=2.0.28"),),
    ("uwsgi", "asgi"): (("pyuwsgi", ">=2.0.28"),),
    # 2.6: the first with every flag shipyard_runtime.py passes (--uds-permissions; 2.x for --backlog,
    # --workers-kill-timeout, --respawn-failed-workers); servers.OLDEST_PYTHON follows its Python floor
    ("granian", "wsgi"): (("granian", GRANIAN_FLOOR),),
    ("granian", "asgi"): (("granian", GRANIAN_FLOOR),),
    # aiohttp's GunicornWebWorker ships with aiohttp, the app's own dependency
    ("gunicorn", "aiohttp"): (("gunicorn", ">=23.0"),),
    # Sanic's GunicornWorker (sanic.worker, up to Sanic 21.x) ships with sanic, the app's own dependency
    ("gunicorn", "sanic"): (("gunicorn", ">=23.0"),),
    # tornado's own HTTPServer, started by shipyard_runtime.py: nothing beyond the app's tornado
    ("tornado", "tornado"): (),
    # aiohttp's own server, which a script entry starts with web.run_app: nothing beyond the app's aiohttp
    ("aiohttp", "aiohttp"): (),
}


# distributions that install on Windows only (wheels for win32/win_amd64 alone, or a dependency on pywin32): a
# pip freeze made on Windows lists them beside the app's packages (planner._leave_out_windows_only)
WINDOWS_ONLY = frozenset({"pywin32", "pypiwin32", "pywinpty", "windows-curses", "winkerberos", "wmi"})


def normalize(name: str) -> str:
    """PEP 503 name, for comparing distributions ("Flask_RESTful" == "flask-restful")."""
    return canonicalize_name(name)


def squashed(name: str) -> str:
    """The name without its separators, lowercased: how a module may spell its distribution's name
    (`peeweedbevolve` for peewee-db-evolve)."""
    return re.sub(r"[-_.]+", "", name).lower()


# ---------------------------------------------------------------------------------------------- declared

def declared(project: Project, app_folder: str | None = None, *, own_first: bool = False,
             enclosing: bool = True) -> DeclaredDependencies:
    """Every dependency the project declares, from the folder that holds its dependency files (`app_folder`: the
    folder the app runs from, whose own files win over another project's in a monorepo). `own_first`: the files
    nearest the app's folder win over the root's too (apps side by side, each in a folder with its own).
    `enclosing`: a project that declares nothing at all takes the files of the repository it is a folder of
    (enclosing_deps)."""
    base = _dependency_folder(project, app_folder, own_first=own_first)
    found: dict[str, Dependency] = {}
    files: list[str] = []
    notes: list[str] = []
    declares = False  # a manifest was found, even one listing nothing (an app with no dependencies)

    def add(deps: Iterable[Dependency]) -> None:
        for dep in deps:
            key = normalize(dep.name)
            if key not in found:
                found[key] = dep
                continue
            # the first declaration wins, but a repeat's extras are installed too (pip installs both lines)
            found[key], note = repeated_requirements.joined(found[key], dep)
            if note and note not in notes:
                notes.append(note)

    req_files, skipped = _requirement_files(project, base)
    for rel in list(req_files):
        differ = _stale_pipenv_export(project, rel, _join(base, "Pipfile.lock"))
        if differ:
            req_files.remove(rel)
            notes.append(f"{rel} is an export of Pipfile.lock (`pipenv lock -r`: an index line, then every package "
                         f"pinned) that the lock has moved on from ({differ}): the lock is what "
                         "`pipenv install` installs, so it is read instead")
    unread = _unread_beside_pipfile(project, base, req_files)
    if unread:
        notes.append(unread)
        req_files = []
    conda_pins: dict[str, tuple[str, str]] = {}
    for rel in req_files:
        text = project.read_text(rel)
        if conda_list.is_conda_list(text):
            # `flask=1.1.1=py_0` lines (conda list --export): no pip line to read, but the versions the
            # environment ran pin the packages the code imports (detect/conda_list.py)
            listed = conda_list.pins(text)
            for key, version in listed.items():
                conda_pins.setdefault(key, (version, rel))
            notes.append(f"{rel} is a conda package list (name=version=build lines, for conda create --file): "
                         f"not installable by pip; its versions pin the packages the code imports")
            files.append(rel)
            declares = True
            continue
        deps, included = _read_requirements(project, rel, notes)
        add(deps)
        files.extend(f for f in included if f not in files)
        declares = True
    if skipped:
        notes.append(f"not production dependencies, ignored: {', '.join(skipped)}")
    dev_pins = _exact_pins(project, skipped)
    for key, pin in conda_pins.items():
        dev_pins.setdefault(key, pin)

    pyproject_rel = _join(base, "pyproject.toml")
    if project.is_file(pyproject_rel):
        data = project.read_toml(pyproject_rel)
        check_pyproject(data, pyproject_rel)   # a string where a list belongs would become one letter per dependency
        table = data.get("project", {})
        if "dependencies" in table:
            add(_parse_list(table.get("dependencies") or [], pyproject_rel, notes))
            files.append(pyproject_rel)
            declares = True
        poetry = data.get("tool", {}).get("poetry", {})
        if "dependencies" in poetry:
            add(_poetry_dependencies(poetry["dependencies"], pyproject_rel, notes))
            if pyproject_rel not in files:
                files.append(pyproject_rel)
            declares = True
        groups, skipped_groups = poetry_groups(poetry)
        for group in groups:
            add(_poetry_dependencies(poetry["group"][group]["dependencies"], f"{pyproject_rel} (group {group})",
                                     notes))
            if pyproject_rel not in files:
                files.append(pyproject_rel)
            declares = True
        if skipped_groups:
            notes.append(f"Poetry groups not for production, ignored: {', '.join(skipped_groups)}")

    pipfile = _join(base, "Pipfile")
    if project.is_file(pipfile):
        packages = project.read_toml(pipfile).get("packages", {})
        if not isinstance(packages, dict):
            raise UsageError(f"{pipfile}: packages = {packages!r} is not a table",
                             'write it as a [packages] section with flask = "*"')
        add(_pipfile_dependencies(packages, pipfile, notes))
        files.append(pipfile)
        declares = True

    for name, reader in (("setup.py", _setup_py), ("setup.cfg", _setup_cfg)):
        rel = _join(base, name)
        if project.is_file(rel):
            deps = reader(project, rel, notes)
            if deps is not None:
                add(deps)
                files.append(rel)
                declares = True

    # what the app's own Dockerfile installs by name (`RUN pip install flasgger jarudaDB==0.0.3` before its -r
    # requirements.txt) is how its image runs: declared too, after the files; alone it does not make the
    # declaration complete (imports are still inferred)
    by_name = [d for d in dockerfile_pip.installed_by_name(project, base) if normalize(d.name) not in found]
    if by_name:
        add(by_name)
        # its date counts in the resolution date: jarudaDB==0.0.3 came out the day the Dockerfile named it, months
        # after the freeze beside it last changed
        files.append(by_name[0].source)
        notes.append(f"installed by name in {by_name[0].source} (RUN pip install), beside the dependency files: "
                     f"{', '.join(d.requirement for d in by_name)}")

    # Lock files: pin what the manifests name; a lone Pipfile.lock is a manifest of its own.
    pins: dict[str, tuple[str, str]] = {}
    for name, reader in (("uv.lock", _uv_lock), ("poetry.lock", _poetry_lock), ("pdm.lock", _pdm_lock),
                         ("Pipfile.lock", _pipfile_lock)):
        rel = _join(base, name)
        if project.is_file(rel):
            locked = reader(project, rel)
            if not locked:
                continue
            files.append(rel)
            for key, version in locked.items():
                pins.setdefault(key, (version, rel))
            if name == "Pipfile.lock" and not declares:
                add(Dependency(n, f"=={v}", rel) for n, v in sorted(_pipfile_lock_names(project, rel).items()))
                declares = True
    workspace = uv_workspace.find(project)
    if workspace is not None:
        _workspace_members(project, workspace, found, notes)
        lock = _join(workspace.root, "uv.lock")
        if not project.is_file(_join(base, "uv.lock")) and project.is_file(lock) and (locked := _uv_lock(project, lock)):
            # a member app: the workspace's one lock, at its root, pins what the member's file names
            files.append(lock)
            for key, version in locked.items():
                pins.setdefault(key, (version, lock))
    commits = _poetry_lock_commits(project, _join(base, "poetry.lock"))
    deps = tuple(_apply_commit(_apply_pin(dep, pins.get(normalize(dep.name))), commits.get(normalize(dep.name)))
                 for dep in over_https(found.values(), notes))
    if enclosing and not declares and not files:
        around = enclosing_deps.enclosing(project, app_folder, declared)
        if around is not None:
            return around
    system = unused_system_packages(project, deps)
    if system:
        deps = tuple(d for d in deps if d.name not in system)
        notes.append(f"skipped, packages of the system Python the requirements were frozen from (the app's code "
                     f"imports none of them; not on the package index or not installable here): {', '.join(system)}"
                     " (remove them from your requirements)")
    front_end = npm_names.front_end_lines(project, deps)
    if front_end:
        deps = tuple(d for d in deps if d.name not in front_end)
        notes.append(npm_names.note(front_end))
    for rel, unused in foreign_freeze.unused_pins(project, deps):
        # a freeze of the author's whole Python (Jupyter, PyQt5, Django beside a five-package Flask app): only the
        # pins the app uses are installed (detect/foreign_freeze.py)
        total = sum(1 for d in deps if d.source == rel and d.spec.startswith("=="))
        deps = tuple(d for d in deps if not (d.source == rel and d.name in unused))
        notes.append(foreign_freeze.note(rel, total, unused))
    return holds.held(DeclaredDependencies(
        dependencies=deps, files=tuple(files), complete=declares, notes=tuple(notes),
        dev_pins=tuple(sorted(dev_pins.items())),
        own_project=base if _holds(base, app_folder) and _other_projects(project, base) else "", folder=base),
        project)


def _unread_beside_pipfile(project: Project, base: str, req_files: list[str]) -> str:
    """The note when Heroku, the app's platform, installs the Pipfile beside `req_files` and they are no record of
    it (heroku_pipfile.py says when); "" when the requirement files are read."""
    pipfile = _join(base, "Pipfile")
    if not req_files or not project.is_file(pipfile):
        return ""
    packages = project.read_toml(pipfile).get("packages", {})
    if not isinstance(packages, dict):
        return ""
    listed = [dep.name for rel in req_files for dep in _read_requirements(project, rel, [])[0]]
    return heroku_pipfile.unread_requirements(project, base, req_files, list(packages), listed)


def _workspace_members(project: Project, workspace: uv_workspace.Workspace, found: dict[str, Dependency],
                       notes: list[str]) -> None:
    """Replace in `found` each dependency on another member of the uv workspace (which no package index has) by
    that member's own dependencies, members of theirs in turn, said in a note."""
    members = dict(workspace.members)
    seen: set[str] = set()
    while pending := [key for key in found if key in members and key not in seen]:
        for key in pending:
            seen.add(key)
            dep = found.pop(key)
            folder = members[key]
            pyproject = _join(folder, "pyproject.toml")
            brought = _parse_list(uv_workspace.member_dependencies(project, folder), pyproject, notes)
            for more in brought:
                if normalize(more.name) not in seen:
                    found.setdefault(normalize(more.name), more)
            notes.append(f"{dep.source}: {dep.name} is a member of the uv workspace ({folder}/), not a package "
                         f"on an index: its dependencies are read in its place"
                         + (f" ({', '.join(d.name for d in brought)})" if brought else " (it lists none)"))


def _exact_pins(project: Project, files: Iterable[str]) -> dict[str, tuple[str, str]]:
    """name -> (version, file) of the `name==version` lines of requirement files that are not read as
    dependencies (dev, test): the versions the app's authors run it with."""
    pins: dict[str, tuple[str, str]] = {}
    for rel in files:
        for dep in _read_requirements(project, rel, [])[0]:
            match = re.fullmatch(r"(?:\[[^\]]*\])?==([\w.+!-]+)", dep.spec.split(";")[0].strip())
            if match:
                pins.setdefault(normalize(dep.name), (match.group(1), dep.source))
    return pins


def _join(base: str, name: str) -> str:
    return name if base in ("", ".") else f"{base}/{name}"


_MARKER_FILES = ("requirements.txt", "requirements.in", "pyproject.toml", "Pipfile", "setup.py", "setup.cfg",
                 "uv.lock", "poetry.lock", "pdm.lock", "Pipfile.lock", "requirements")


def _dependency_folder(project: Project, app_folder: str | None = None, *, own_first: bool = False) -> str:
    """The project root, or else the nearest folder at or above the app's (`app_folder`) that holds a dependency
    file, or else the shallowest non-decoy folder that holds one. In a monorepo of several projects, each with its
    own Pipfile (hokuto_data/, hokuto_flask/, hokuto_scraping/), the web app's packages are those beside it, not
    the alphabetically first folder's."""
    def declares_here(folder: str) -> bool:
        for name in _MARKER_FILES:
            rel = _join(folder, name)
            if name == "requirements" and _requirements_dir(project, folder):
                return True
            if name == "pyproject.toml" and project.is_file(rel):
                data = project.read_toml(rel)
                check_pyproject(data, rel)
                if "dependencies" in data.get("project", {}) or "poetry" in data.get("tool", {}):
                    return True
            elif name == "setup.py" and project.is_file(rel):
                if _packaging_script(project, rel):
                    return True
            elif name != "requirements" and project.is_file(rel):
                return True
        return any(_is_requirements_file(project, _join(folder, f)) for f in _children(project, folder))

    def nearest() -> str | None:
        folder = PurePosixPath(app_folder or ".")
        while str(folder) not in (".", ""):
            if not any(is_decoy_dir(p) for p in folder.parts) and declares_here(str(folder)):
                return str(folder)
            folder = folder.parent
        return None

    own = nearest()
    if own is not None and (own_first or _apps_side_by_side(project, own)):
        return own
    if declares_here(".") and not uv_workspace.declares_nothing(project, "."):
        return "."
    if own is not None:
        return own
    folders = sorted({str(PurePosixPath(f).parent) for f in project.files if f.count("/") in (1, 2)},
                     key=lambda d: (d.count("/"), d))
    for folder in folders:
        if folder != "." and not any(is_decoy_dir(p) for p in PurePosixPath(folder).parts) \
                and declares_here(folder):
            return folder
    return "."


def _holds(base: str, app_folder: str | None) -> bool:
    """The app runs from `base` or a folder inside it (its code is that project's)."""
    if app_folder is None or base in ("", "."):
        return False
    return PurePosixPath(base) == PurePosixPath(app_folder) or PurePosixPath(base) in PurePosixPath(app_folder).parents


def _apps_side_by_side(project: Project, own: str) -> bool:
    """`own`, the app's folder with its own dependency files, is one of several projects side by side under a root
    that holds no code of its own (flask_demo/ beside django_demo/, each with its requirements.txt, under a root
    requirements.txt frozen from one of them): the app's own files are its dependencies, not the root's."""
    return not any("/" not in f and f.endswith(".py") for f in project.files) and _other_projects(project, own)


def _other_projects(project: Project, base: str) -> bool:
    """`base`, a subfolder, is one project among others: another folder that is neither inside nor above it
    declares dependencies of its own (a scraper's Pipfile beside the web app's)."""
    if base in ("", "."):
        return False
    own = PurePosixPath(base)
    folders = {PurePosixPath(f).parent for f in project.files
               if PurePosixPath(f).name in _MARKER_FILES or _is_requirements_file(project, f)}
    return any(str(f) != "." and f != own and own not in f.parents and f not in own.parents
               and not any(is_decoy_dir(p) for p in f.parts) for f in folders)


def _children(project: Project, folder: str) -> list[str]:
    prefix = "" if folder in ("", ".") else folder + "/"
    return [f[len(prefix):] for f in project.files if f.startswith(prefix) and "/" not in f[len(prefix):]]


def _is_requirements_name(name: str) -> bool:
    # `requirements`, no suffix (`pip install -r requirements` in a 2018 README): unread, the app's packages were
    # guessed from its imports and its pins lost
    if plain_requirements.is_plain(name):
        return True
    # requirement.txt, singular, as tutorials of 2019 write it (pip install -r requirement.txt): missing it,
    # Shipyard guessed packages from imports (rest_auth -> `rest-auth`, not on the index)
    if re.fullmatch(r"requirements?[-_.\w]*\.(txt|in)", name, re.I):
        return True
    # requirements.pip (a 2019 DRF starter's, installed with `pip install -r requirements.pip`): the same format
    # under the other suffix older projects gave it; unread, its django-redis (named only in a CACHES string) was
    # never installed
    if re.fullmatch(r"requirements[-_.\w]*\.pip", name, re.I):
        return True
    # a misspelt one (requrements.txt, requirments.txt: a 2024 course's freeze): its pins are the app's all the
    # same; read, they keep what the imports alone would not (SQLAlchemy 2.0 with greenlet, not 2.1 without)
    # misspelt from the singular as well (requerment.txt: a 2024 hotel API's only requirements file, two edits
    # from requirement, three from requirements; unread, its debug_toolbar and drf_writable_nested went missing)
    typed = re.fullmatch(r"(req[a-z]*)([-_.][-_.\w]*)?\.(txt|in)", name, re.I)
    return typed is not None and any(_within_two_edits(typed.group(1).lower(), word)
                                     for word in ("requirements", "requirement")) or \
        bool(_ABBREVIATED.fullmatch(name))


# req.txt, reqs.txt: the abbreviation READMEs name (`pip install -r req.txt`); a 2025 FastAPI recipe catalogue's,
# unread, left its passlib[argon2] to the imports (passlib, no extra: argon2-cffi, its hasher, never installed)
_ABBREVIATED = re.compile(r"reqs?(?:[-_.][-_.\w]*)?\.(?:txt|in)", re.I)


def _is_requirements_file(project: Project, rel: str) -> bool:
    """A file of the project named as a requirements file; `requirements` with no suffix, or abbreviated (req.txt),
    only when it reads as one (not a note saying what to install, which `pip install -r` would refuse)."""
    name = PurePosixPath(rel).name
    loose = plain_requirements.is_plain(name) or _ABBREVIATED.fullmatch(name) is not None
    return _is_requirements_name(name) and (not loose or
                                            plain_requirements.reads_as_requirements(project.scan_text(rel) or ""))


def _within_two_edits(word: str, target: str) -> bool:
    """`word` is `target` with at most two letters left out, added or changed (Levenshtein distance <= 2)."""
    if abs(len(word) - len(target)) > 2:
        return False
    row = list(range(len(target) + 1))
    for i, a in enumerate(word, 1):
        prev, row[0] = row[0], i
        for j, b in enumerate(target, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (a != b))
    return row[-1] <= 2


# a folder of requirement files: requirements/, or one named for them otherwise (py-requirements/, reqs/)
_REQUIREMENTS_DIR = re.compile(r"(?:[\w.]+[-_])?(?:requirements|reqs)", re.I)


def _requirements_dir(project: Project, base: str) -> str | None:
    """The folder of requirement files directly in `base` (relative to it): requirements/ first, else one named
    like it (Seedstars' py-requirements/, whose prod.txt includes base.txt) that holds .txt files."""
    prefix = "" if base in ("", ".") else base + "/"
    folders = sorted({f[len(prefix):].split("/", 1)[0] for f in project.files
                      if f.startswith(prefix) and f[len(prefix):].count("/") == 1 and f.endswith((".txt", ".in"))})
    named = [d for d in folders if _REQUIREMENTS_DIR.fullmatch(d) and not _DEV_WORDS.search(d)]
    return "requirements" if "requirements" in named else (named[0] if named else None)


def _requirement_files(project: Project, base: str) -> tuple[list[str], list[str]]:
    """(the production requirement file(s) to read, the dev/test ones ignored)."""
    candidates = [f for f in _children(project, base)
                  if _is_requirements_file(project, _join(base, f)) and not _shipyards_own(project, _join(base, f))]
    folder = _requirements_dir(project, base)
    if folder is not None:
        candidates += [f"{folder}/{f}" for f in _children(project, _join(base, folder)) if f.endswith((".txt", ".in"))]
    skipped = sorted(_join(base, f) for f in candidates if _DEV_WORDS.search(PurePosixPath(f).stem))
    production = [f for f in candidates if not _DEV_WORDS.search(PurePosixPath(f).stem)]
    # the preferred names in requirements/ hold in a folder named otherwise (py-requirements/prod.txt)
    preferred = [name for name in _PREFERRED
                 if name.replace("requirements/", f"{folder}/", 1) in production] if folder else \
        [name for name in _PREFERRED if name in production]
    preferred = [name.replace("requirements/", f"{folder}/", 1) if folder else name for name in preferred]
    # a placeholder that lists nothing (an empty requirements/prod.txt beside the base.txt a Dockerfile installs)
    # gives way to the next preferred file that lists something; all empty: the first (an app with no packages)
    listing = [name for name in preferred if _lists_anything(project, _join(base, name))]
    if listing or preferred:
        # requirements.in is pip-tools' source; prefer its compiled .txt when both exist.
        return [_join(base, (listing or preferred)[0])], skipped
    # Unusual names (requirements-web.txt, requirements/app.txt): read all that are not dev/test.
    return sorted(_join(base, f) for f in production if not f.endswith(".in")) or \
        sorted(_join(base, f) for f in production), skipped


_EXPORT_PIN = re.compile(r"^([A-Za-z0-9][\w.-]*)(\[[^\]]*\])?==([\w.+!-]+)\s*(;.*)?$")


def _stale_pipenv_export(project: Project, rel: str, lock: str) -> str:
    """The pins that differ ("flask 1.1.2, lock 3.1.2; ...") when `rel` is what `pipenv lock -r` (`pipenv
    requirements`) wrote from a Pipfile.lock that has changed since: it starts with the lock's index (`-i URL`)
    and pins every package. A template's requirements.txt exported in 2021 beside the Pipfile.lock its deploy
    script installs today (Flask 1.1.2 there, Flask 3 in the lock) is not what the app runs with. "" otherwise."""
    if not project.is_file(lock):
        return ""
    lines = [line.strip() for line in (project.scan_text(rel) or "").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines or not re.match(r"(-i|--index-url)\s+\S+$", lines[0]):
        return ""
    pins = {}
    for line in lines[1:]:
        if line.startswith("-"):          # --extra-index-url, -e ...: options pipenv also writes
            continue
        m = _EXPORT_PIN.match(line)
        if not m:
            return ""
        pins[normalize(m.group(1))] = m.group(3)
    locked = _pipfile_lock(project, lock)
    differ = [f"{name} {version}, lock {locked[name]}" for name, version in sorted(pins.items())
              if name in locked and locked[name] != version]
    return "; ".join(differ[:3]) + (f" and {len(differ) - 3} more" if len(differ) > 3 else "")


def _shipyards_own(project: Project, rel: str) -> bool:
    """The file is the requirements.txt `shipyard init` wrote from the app's imports, untouched since: not the
    app's declaration. Its packages are inferred again, and dated by the code, not by the file's fresh time (which
    made the packages of an old app resolve as of today after init); once the user edits it, it is theirs."""
    return untouched_output(project.scan_text(rel) or "")


def _lists_anything(project: Project, rel: str) -> bool:
    """The requirements file has a line other than blanks and comments (a requirement, an option, an include)."""
    text = project.scan_text(rel) or ""
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


def _read_requirements(project: Project, rel: str, notes: list[str], depth: int = 0,
                       seen: set[str] | None = None) -> tuple[list[Dependency], list[str]]:
    """Requirements of one file and the files it includes with -r (constraints files add nothing)."""
    seen = set() if seen is None else seen
    if rel in seen or depth > _MAX_INCLUDE_DEPTH:
        return [], []
    seen.add(rel)
    deps: list[Dependency] = []
    files = [rel]
    folder = str(PurePosixPath(rel).parent)
    for line in _logical_lines(project.read_text(rel)):
        option = re.match(r"(-r|--requirement|-c|--constraint)(\s*=?\s*)(\S+)", line)
        if option:
            target = _normpath(_join(folder, option.group(3)))
            if not project.is_file(target):
                notes.append(f"{rel} includes {option.group(3)}, which does not exist")
            elif option.group(1) in ("-r", "--requirement"):
                more, more_files = _read_requirements(project, target, notes, depth + 1, seen)
                deps.extend(more)
                files.extend(more_files)
            continue
        editable = re.match(r"(-e|--editable)\s*=?\s*(\S+)", line)
        if editable:
            egg = re.search(r"#egg=([\w.\-\[\]]+)", editable.group(2))
            if egg and "://" in editable.group(2):
                deps.append(Dependency(egg.group(1), f" @ {editable.group(2).split('#')[0]}", rel))
            else:
                notes.append(f"{rel}: editable install {editable.group(2)} skipped (a local folder)")
            continue
        if line.startswith("-"):
            continue  # --index-url, --hash on its own, --find-links, --pre, --no-binary ...
        if re.fullmatch(r"\.{1,2}(/\S*)?", line):
            notes.append(f"{rel}: {line} skipped (a local folder)")     # `.`: the app itself, as `-e .` is
            continue
        line = re.sub(r"\s--hash[=\s]\S+", "", line).strip()
        if _BARE_URL.fullmatch(line):
            dep = _url_requirement(line, rel, notes)
            if dep:
                deps.append(dep)
            continue
        dep = _parse_requirement(line, rel, notes)
        if dep:
            deps.append(dep)
    return deps, files


# a line that is only a VCS or archive URL, as pip installs it (`git+https://github.com/o/django-rest-logger.git`)
_BARE_URL = re.compile(r"(?:git|hg|svn|bzr)\+[a-z]+://\S+|https?://\S+\.(?:zip|tar\.gz|tgz|whl)(?:#\S*)?", re.I)


def _url_requirement(url: str, source: str, notes: list[str]) -> Dependency | None:
    """A bare URL line as a named requirement (`NAME @ URL`, which uv and the image install): the name its
    `#egg=` gives, else its repository's (or archive's) name, said in a note; pip reads it from what it builds."""
    egg = re.search(r"#egg=([\w.\-]+)", url)
    if egg:
        name = egg.group(1)
    else:
        last = url.split("#")[0].rstrip("/").rsplit("/", 1)[-1].split("@")[0]
        name = re.sub(r"(\.git|\.zip|\.tar\.gz|\.tgz|\.whl)$", "", last)
        if not url.lower().startswith(("git+", "hg+", "svn+", "bzr+")):
            name = re.split(r"-(?=\d)", name, maxsplit=1)[0]      # an archive's NAME-VERSION
        notes.append(f"{source}: {url} installs under the name of its repository, {name}")
    if not re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?", name):
        notes.append(f"{source}: {url!r} skipped (no package name can be read from it: add #egg=NAME)")
        return None
    return Dependency(name, f" @ {url.split('#')[0]}", source)


# git's own protocol (`git+git://github.com/o/r`): GitHub stopped serving it in March 2022 and uv does not read it
# ("Unsupported Git URL scheme `git:`"), so such a line installs nowhere now; the same address over https:// names
# the same repository, as a person mending the line writes it. The source keeps the app's spelling, for the image
_GIT_PROTOCOL = re.compile(r"(\s@\s*git\+)git://", re.I)
GIT_OVER_HTTPS = "git:// read as https://"


def over_https(dependencies: Iterable[Dependency], notes: list[str]) -> list[Dependency]:
    """The dependencies as read from the app's files, each from a repository named with git's own protocol as the
    same address over https://, with a note: the one pass that rewrites them, where the declarations are gathered
    (declared, dev_declared); the readers keep the address as written. The mark goes before a widened marker's,
    which widened_markers reads at the end of the source."""
    out = []
    for dep in dependencies:
        spec = _GIT_PROTOCOL.sub(r"\1https://", dep.spec)
        if spec != dep.spec:
            written, widened, rest = dep.source.partition(f" ({WIDENED_FROM} ")
            notes.append(f"{written}: {dep.name} is named with git's own protocol (git://), which GitHub no longer "
                         f"serves and uv does not read: installed over https:// (write git+https:// in the line)")
            dep = replace(dep, spec=spec, source=f"{written} ({GIT_OVER_HTTPS}){widened}{rest}")
        out.append(dep)
    return out


def git_over_https(dependencies: Iterable[Dependency]) -> bool:
    """Some requirement of the app's files names its repository with git's own protocol, read over https://."""
    return any(f"({GIT_OVER_HTTPS})" in d.source for d in dependencies)


def read_requirements(project: Project, rel: str) -> tuple[list[Dependency], list[str], list[str]]:
    """One requirements file and those it includes with -r: (requirements, files read, notes)."""
    notes: list[str] = []
    found, files = _read_requirements(project, rel, notes)
    return found, files, notes


def _normpath(rel: str) -> str:
    parts: list[str] = []
    for part in PurePosixPath(rel).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _logical_lines(text: str) -> Iterable[str]:
    """Lines with comments removed and backslash continuations joined."""
    buffer = ""
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        line = (buffer + line).strip()
        buffer = ""
        if line:
            yield line
    if buffer.strip():
        yield buffer.strip()


# `pip freeze` with Debian's and Ubuntu's pip lists their patched setuptools as this line; no index has it, so
# installing a requirements.txt frozen there fails on it (setuptools, in every virtualenv, is what it stands for)
_DEBIAN_FREEZE_ARTIFACT = "pkg-resources==0.0.0"
# distributions that only ever stood for another and whose index entry now refuses to install, by design: the
# `sklearn` package (a name people guessed from `import sklearn`) fails every install since December 2023 with
# "use scikit-learn"; its 2015 release 0.0 only required scikit-learn, so that is what the line always meant
RENAMED = {"sklearn": ("scikit-learn", "its package on the index is a placeholder that refuses to install since "
                                       "December 2023, and always stood for scikit-learn")}


def _is_freeze_artifact(req: Requirement) -> bool:
    return f"{normalize(req.name)}{req.specifier}" == _DEBIAN_FREEZE_ARTIFACT


def freeze_artifacts(project: Project, files: Iterable[str]) -> tuple[str, ...]:
    """Names of the lines in the requirements files among `files` that no index has (Debian's pip freeze
    artifact), or that are a system Python's packages the code does not use (system_freeze.py): installs from the
    parsed dependencies skip them; the image, which installs the files as written, overrides them away."""
    found: set[str] = set()
    system: list[Dependency] = []
    for rel in files:
        if PurePosixPath(rel).suffix not in (".txt", ".pip") or not project.is_file(rel):
            continue
        for line in _logical_lines(project.read_text(rel)):
            try:
                req = Requirement(re.sub(r"\s--hash[=\s]\S+", "", line).strip())
            except InvalidRequirement:
                continue
            if _is_freeze_artifact(req):
                found.add(req.name)
            elif is_system(line):
                system.append(Dependency(req.name, str(req.specifier), rel))
    # a system Python's packages the code does not use: the image drops them as the installs do (declared)
    found.update(unused_system_packages(project, system))
    return tuple(sorted(found))


_SINGLE_EQUALS = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[\w,\s-]*\])?)\s*=\s*(\d[\w.+!*-]*)")


def _parse_requirement(text: str, source: str, notes: list[str]) -> Dependency | None:
    try:
        req = Requirement(text)
    except InvalidRequirement:
        if m := _SINGLE_EQUALS.fullmatch(text.strip()):
            # `Django=4.1.1`, a pin written with one '=': pip and uv refuse the whole file, so the image cannot
            # install it either; the line says what to write
            notes.append(f"{source}: {text!r} skipped: a pin is written with '==' ({m.group(1)}=={m.group(2)}); "
                         f"pip and uv refuse the file as it is, so the image's install fails until it is fixed")
        else:
            notes.append(f"{source}: {text!r} skipped (not a requirement Shipyard can read)")
        return None
    if _is_freeze_artifact(req):
        notes.append(f"{source}: {text!r} skipped (Debian's pip freeze writes it for setuptools; no package index "
                     f"has it: remove the line)")
        return None
    if normalize(req.name) in RENAMED and not req.url:
        # the version of the placeholder says nothing of scikit-learn's: the app's date picks that one
        instead, why = RENAMED[normalize(req.name)]
        notes.append(f"{source}: {text.strip()!r} installs {instead} instead: {why} (the generated image too, "
                     f"through uv --override; write {instead} in it)")
        marker = f"; {req.marker}" if req.marker else ""
        return Dependency(instead, marker, f"{source} ({RENAMED_FROM} {text.strip()})")
    spec = ""
    if req.extras:
        spec += "[" + ",".join(sorted(req.extras)) + "]"
    if req.url and (elsewhere := _frozen_elsewhere(req.url)):
        # `PyJWT @ file:///C:/ci/pyjwt_1619682721924/work`: pip freeze in a conda environment writes the folder
        # conda built the package in, on the machine that froze it; no install anywhere else finds it
        notes.append(f"{source}: {text.strip()!r} names {elsewhere}, a folder on the machine that froze it (a pip "
                     f"freeze in a conda environment writes these): installed from the package index instead")
        return Dependency(req.name, spec, f"{source} ({FROZEN_ELSEWHERE} {text.strip()})")
    if req.url:
        spec += f" @ {req.url}"
    else:
        spec += _as_written(text, req.specifier)
    if req.marker:
        marker = str(req.marker)
        if (widened := widen_marker(marker)) != marker:
            exact = _EXACT_FULL_VERSION.search(marker)[0]
            note = (f"{source}: its markers name one patch release of Python ({exact}, as poetry export writes an "
                    f"exact python constraint): read as its minor version ({widen_marker(exact)}), so another patch "
                    "release installs the packages too")
            if note not in notes:
                notes.append(note)
            source = f"{source} ({WIDENED_FROM} {marker})"
            marker = widened
        spec += f"{' ' if req.url else ''}; {marker}"  # after a URL, PEP 508 needs a space before ';'
    return Dependency(req.name, spec, source)


def _frozen_elsewhere(url: str) -> str | None:
    """The folder a `file://` requirement URL names when it cannot be on this machine: a Windows drive
    (file:///C:/ci/...), or an absolute path that does not exist here (conda's /tmp/build/80754af9/..., 
    /home/conda/feedstock_root/...). None for other URLs, relative ones, and folders that exist."""
    if not url.lower().startswith("file:"):
        return None
    path = unquote(re.sub(r"^file:(//[^/]*)?", "", url, flags=re.I))
    if re.match(r"/?[A-Za-z]:[/\\]", path):
        return path.lstrip("/")
    if path.startswith("/") and not Path(path).exists():
        return path
    return None


# `python_full_version == "3.9.16"` on every line of a poetry export whose pyproject says python = "3.9.16": true on
# that one patch release only, so any other 3.9 (the image's, the one installed here) would install none of them
_EXACT_FULL_VERSION = re.compile(r"""python_full_version\s*===?\s*(["'])(\d+)\.(\d+)\.\d+\1""")
# a source's "(widened from MARKER)": a requirement whose marker named one patch release, read as its minor
WIDENED_FROM = "marker widened from"


def _minor_marker(match: re.Match) -> str:
    return f'python_version == "{match[2]}.{match[3]}"'


def widen_marker(marker: str) -> str:
    """The marker with each python_full_version equality read as its minor version ("3.9.16" as python_version
    "3.9"): a requirement of a project made on one patch release holds on every patch release of that minor."""
    return _EXACT_FULL_VERSION.sub(_minor_marker, marker)


def widened_markers(dependencies: Iterable[Dependency]) -> tuple[tuple[Dependency, str, str], ...]:
    """(dependency, the clause its requirements file wrote, the clause read instead) for the requirements whose marker
    widen_marker read as its minor version: the app's own file still holds the narrow marker, which its install
    skips."""
    found = []
    for d in dependencies:
        if (m := re.search(rf"\({WIDENED_FROM} (.+)\)$", d.source)) and (exact := _EXACT_FULL_VERSION.search(m[1])):
            found.append((d, exact[0], widen_marker(exact[0])))
    return tuple(found)


def _as_written(text: str, specifier: SpecifierSet) -> str:
    """The version specifier in the user's own order (packaging sorts it: ">=2.9,<3" would become "<3,>=2.9")."""
    head = re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?", text)
    rest = re.sub(r"[\s()]", "", text[head.end():].split(";")[0]) if head else ""
    try:
        if rest and SpecifierSet(rest) == specifier:
            return rest
    except InvalidSpecifier:
        pass
    return str(specifier)


def _parse_list(items: Iterable[Any], source: str, notes: list[str]) -> list[Dependency]:
    deps = []
    for item in items:
        if isinstance(item, str):
            dep = _parse_requirement(item, source, notes)
            if dep:
                deps.append(dep)
    return deps


# ---------------------------------------------------------------------------------------------- Poetry

def poetry_to_pep440(constraint: str) -> str:
    """Poetry's version constraint as a PEP 440 specifier ("^1.2" -> ">=1.2,<2.0"); "" for any version.

    Raises ValueError for what PEP 440 cannot say ("1.0 || 2.0").
    """
    constraint = constraint.strip()
    if "||" in constraint or "|" in constraint:
        raise ValueError(f"alternatives cannot be written in PEP 440: {constraint}")
    parts = [p for p in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint) if p and p != "*"]
    out: list[str] = []
    for part in parts:
        part = part.replace(" ", "")
        if part.startswith("^"):
            out.extend(_caret(part[1:]))
        elif part.startswith("~") and not part.startswith("~="):
            out.extend(_tilde(part[1:]))
        elif re.fullmatch(r"[0-9][0-9a-zA-Z.*+!-]*", part):
            out.append(f"=={part}")
        else:
            out.append(part)
    spec = ",".join(out)
    try:
        SpecifierSet(spec)
    except InvalidSpecifier:
        raise ValueError(f"not a version constraint: {constraint}") from None
    return spec


def _release(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"\d+", text.split("-")[0])[:3]] or [0]


def _caret(version: str) -> list[str]:
    nums = _release(version)
    # The upper bound bumps the first non-zero component (or the last given one when all are zero).
    idx = next((i for i, n in enumerate(nums) if n != 0), len(nums) - 1)
    upper = nums[:idx] + [nums[idx] + 1] + [0] * (len(nums) - idx - 1)
    return [f">={version}", "<" + ".".join(map(str, upper))]


def _tilde(version: str) -> list[str]:
    nums = _release(version)
    upper = [nums[0] + 1] if len(nums) == 1 else [nums[0], nums[1] + 1]
    return [f">={version}", "<" + ".".join(map(str, upper))]


def poetry_groups(poetry: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(the production groups of [tool.poetry.group.NAME], the dev/test/docs-like or optional ones skipped).

    `poetry install` installs every group not marked `optional = true` (a `migrations` group with the
    database driver alembic's env.py needs is part of running the app); the ones named for development,
    tests, docs or linting are how their authors work, not what production runs."""
    table = poetry.get("group")
    production: list[str] = []
    skipped: list[str] = []
    for name, group in (table.items() if isinstance(table, dict) else ()):
        if not isinstance(group, dict) or not isinstance(group.get("dependencies"), dict):
            continue
        if group.get("optional") is True or _DEV_WORDS.search(str(name)) or _DEV_GROUP_WORDS.search(str(name)):
            skipped.append(str(name))
        else:
            production.append(str(name))
    return production, skipped


def _poetry_dependencies(table: dict[str, Any], source: str, notes: list[str]) -> list[Dependency]:
    deps = []
    for name, value in table.items():
        if name.lower() == "python":
            continue
        if isinstance(value, list):  # several constraints by Python version: the first one speaks for all
            value = value[0] if value else "*"
        extras = ""
        if isinstance(value, dict):
            if value.get("optional"):
                continue  # only installed with an extra
            extras = "[" + ",".join(sorted(value["extras"])) + "]" if value.get("extras") else ""
            if "git" in value:
                ref = value.get("rev") or value.get("tag") or value.get("branch")
                deps.append(Dependency(name, f"{extras} @ git+{value['git']}" + (f"@{ref}" if ref else ""), source))
                continue
            if "url" in value:
                deps.append(Dependency(name, f"{extras} @ {value['url']}", source))
                continue
            if "path" in value:
                notes.append(f"{source}: {name} is a local path dependency ({value['path']}); skipped")
                continue
            value = value.get("version", "*")
        try:
            deps.append(Dependency(name, extras + poetry_to_pep440(str(value)), source))
        except ValueError as exc:
            notes.append(f"{source}: {name}: {exc}; left unpinned")
            deps.append(Dependency(name, extras, source))
    return deps


# ---------------------------------------------------------------------------------------------- Pipfile

def _pipfile_dependencies(table: dict[str, Any], source: str, notes: list[str]) -> list[Dependency]:
    deps = []
    for name, value in table.items():
        extras, version = "", "*"
        if isinstance(value, dict):
            extras = "[" + ",".join(sorted(value["extras"])) + "]" if value.get("extras") else ""
            if "git" in value:
                ref = value.get("ref")
                deps.append(Dependency(name, f"{extras} @ git+{value['git']}" + (f"@{ref}" if ref else ""), source))
                continue
            if "path" in value or "file" in value:
                notes.append(f"{source}: {name} is a local path dependency; skipped")
                continue
            version = value.get("version", "*")
        elif isinstance(value, str):
            version = value
        spec = "" if version.strip() in ("*", "") else version.strip()
        if spec and spec[0].isdigit():
            spec = "==" + spec
        deps.append(Dependency(name, extras + spec, source))
    return deps


# ---------------------------------------------------------------------------------------------- setup.py / cfg

def _setup_py(project: Project, rel: str, notes: list[str]) -> list[Dependency] | None:
    """install_requires from setup(...), read with ast; the file is never executed."""
    try:
        tree = ast.parse(project.read_text(rel))
    except SyntaxError:
        notes.append(f"{rel} has a syntax error; its install_requires were not read")
        return None
    assigned: dict[str, ast.AST] = {}
    for node in ast_nodes(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assigned[node.targets[0].id] = node.value
    for node in ast_nodes(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "setup":
            for kw in node.keywords:
                if kw.arg == "install_requires":
                    value = assigned.get(kw.value.id, kw.value) if isinstance(kw.value, ast.Name) else kw.value
                    try:
                        items = ast.literal_eval(value)
                    except (ValueError, TypeError, SyntaxError):
                        notes.append(f"{rel}: install_requires is computed, not a literal list; not read")
                        return None
                    if isinstance(items, str):
                        items = items.splitlines()
                    return _parse_list([i for i in items if isinstance(i, str) and i.strip()], rel, notes)
            return []
    return None


def _packaging_script(project: Project, rel: str) -> bool:
    """setup.py calls setup() (setuptools' or distutils'), or cannot be read: a packaging script. A project's own
    "setup the project" script of that name (a 2025 Django ERP's setup.py makes a venv, runs pip install -r
    ../requirements.txt and migrate through subprocess) declares nothing and marks no folder as the dependencies'."""
    try:
        tree = ast.parse(project.read_text(rel))
    except SyntaxError:
        return True
    return any(isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "setup"
               for node in ast_nodes(tree))


def _setup_cfg(project: Project, rel: str, notes: list[str]) -> list[Dependency] | None:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(project.read_text(rel))
    except configparser.Error:
        notes.append(f"{rel} could not be parsed; its install_requires were not read")
        return None
    if not parser.has_option("options", "install_requires"):
        return None
    lines = [ln.strip() for ln in parser.get("options", "install_requires").splitlines()]
    return _parse_list([ln for ln in lines if ln and not ln.startswith("#")], rel, notes)


# ---------------------------------------------------------------------------------------------- lock files

def _uv_lock(project: Project, rel: str) -> dict[str, str]:
    data = project.read_toml(rel)
    return {normalize(p["name"]): str(p["version"]) for p in data.get("package", [])
            if "name" in p and "version" in p and not _is_virtual(p)}


def _is_virtual(package: dict[str, Any]) -> bool:
    source = package.get("source", {})
    return "virtual" in source or "editable" in source


def _poetry_lock(project: Project, rel: str) -> dict[str, str]:
    data = project.read_toml(rel)
    return {normalize(p["name"]): str(p["version"]) for p in data.get("package", []) if "name" in p}


def _pdm_lock(project: Project, rel: str) -> dict[str, str]:
    """PDM's lock: [[package]] tables as poetry.lock's (a package with extras is listed again, at the same
    version); one from git or a folder has no version an index serves."""
    data = project.read_toml(rel)
    return {normalize(p["name"]): str(p["version"]) for p in data.get("package", [])
            if "name" in p and "version" in p and not {"git", "path", "url", "editable"} & set(p)}


def _poetry_lock_commits(project: Project, rel: str) -> dict[str, tuple[str, str, str]]:
    """name -> (git URL, commit, lock) of the git dependencies poetry.lock resolved: the branch the manifest
    names (`branch = "main"`) moves on, the commit the lock took is what the app ran with."""
    if not project.is_file(rel):
        return {}
    out = {}
    for p in project.read_toml(rel).get("package", []):
        source = p.get("source") if isinstance(p, dict) else None
        if isinstance(source, dict) and source.get("type") == "git" and source.get("url") \
                and re.fullmatch(r"[0-9a-f]{7,40}", str(source.get("resolved_reference", ""))):
            out[normalize(str(p.get("name", "")))] = (str(source["url"]), str(source["resolved_reference"]), rel)
    return out


def _apply_commit(dep: Dependency, locked: tuple[str, str, str] | None) -> Dependency:
    """A git dependency at the commit its lock resolved (`lib @ git+URL@COMMIT`), the extras kept."""
    if locked is None or " @ git+" not in f" {dep.spec}":
        return dep
    url, commit, lock = locked
    extras = dep.spec.split("@", 1)[0].strip()
    return Dependency(dep.name, f"{extras} @ git+{url}@{commit}", f"{dep.source} (pinned by {lock})",
                      dep.inferred)


def _pipfile_lock_names(project: Project, rel: str) -> dict[str, str]:
    try:
        data = json.loads(project.read_text(rel))
    except json.JSONDecodeError:
        return {}
    out = {}
    for name, value in (data.get("default") or {}).items():
        version = str(value.get("version", "")) if isinstance(value, dict) else ""
        if version.startswith("=="):
            out[name] = version[2:]
    return out


def _pipfile_lock(project: Project, rel: str) -> dict[str, str]:
    return {normalize(n): v for n, v in _pipfile_lock_names(project, rel).items()}


PINNED_BY = re.compile(r"\(pinned by ([^)]+)\)")
# a source's "(relaxed from NAME==VERSION: why)": a pin that another pin of the app contradicts
RELAXED_FROM = "relaxed from"


def relaxed_pins(dependencies: Iterable[Dependency]) -> tuple[tuple[Dependency, str, str], ...]:
    """(dependency, the app's pin it relaxes, why) for the pins relaxed because another pin of the app contradicts
    them (planner._relax_conflicting_pins)."""
    return tuple((d, m.group(1), m.group(2)) for d in dependencies
                 if (m := re.search(rf"\({RELAXED_FROM} ([^:)]+): ([^)]+)\)$", d.source)))


FROZEN_ELSEWHERE = "frozen elsewhere as"
RENAMED_FROM = "renamed from"


def renamed(dependencies: Iterable[Dependency]) -> tuple[tuple[Dependency, str], ...]:
    """(dependency, the app's line) for the lines naming a distribution that only ever stood for another (RENAMED:
    `sklearn`), installed as that other one: by serve's installs and, through uv --override, by the image alike."""
    return tuple((d, m.group(1)) for d in dependencies if (m := re.search(rf"\({RENAMED_FROM} (.+)\)$", d.source)))


def frozen_elsewhere(dependencies: Iterable[Dependency]) -> tuple[tuple[Dependency, str], ...]:
    """(dependency, the app's line) for the `NAME @ file:///...` lines naming a folder of the machine that froze
    them (_frozen_elsewhere), installed from the index instead: the image's uv --override replaces them too."""
    return tuple((d, m.group(1)) for d in dependencies
                 if (m := re.search(rf"\({FROZEN_ELSEWHERE} (.+)\)$", d.source)))


MOVED_FROM = "moved from"


def moved_pins(dependencies: Iterable[Dependency]) -> tuple[tuple[Dependency, str, str], ...]:
    """(dependency, the app's pin it replaces, why) for the exact pins of releases the index no longer has, moved to
    the release installs here took (planner._move_pins)."""
    return tuple((d, m.group(1), m.group(2)) for d in dependencies
                 if (m := re.search(rf"\({MOVED_FROM} ([^:)]+): ([^)]+)\)$", d.source)))


def pin_files(dependencies: Iterable[Dependency]) -> tuple[str, ...]:
    """The files (a lock, dev requirements) that pinned some of `dependencies` (_apply_pin's "(pinned by F)"):
    their dates count in the resolution date, as what they pin is of their time."""
    return tuple(sorted({m.group(1) for d in dependencies if (m := PINNED_BY.search(d.source))}))


def _apply_pin(dep: Dependency, pin: tuple[str, str] | None) -> Dependency:
    """The lock's exact version, when the manifest allows it and does not pin already."""
    if pin is None or "@" in dep.spec or "==" in dep.spec:
        return dep
    version, lock = pin
    extras = re.match(r"^\[[^\]]*\]", dep.spec)
    extras_text = extras.group(0) if extras else ""
    rest = dep.spec[len(extras_text):]
    spec_text, _, marker = rest.partition(";")
    try:
        if spec_text and Version(version) not in SpecifierSet(spec_text):
            return dep
    except (InvalidSpecifier, InvalidVersion):
        return dep
    pinned = f"{extras_text}=={version}" + (f";{marker}" if marker else "")
    return Dependency(dep.name, pinned, f"{dep.source} (pinned by {lock})", dep.inferred)


# ---------------------------------------------------------------------------------------------- merge

# gunicorn for an app that gevent-patches itself (Entry.cooperative): its gevent worker refuses a gevent older
# than 24.10.1 from gunicorn 24 on (and imports packaging, which gunicorn 24 brings only with its `gevent`
# extra), where gunicorn 23 takes any gevent >= 1.4. The app's gevent is its own (an exact pin, or resolved
# as of the app's date): only one pinned at 24.10.1 or later gets today's gunicorn.
GEVENT_FOR_NEW_GUNICORN = Version("24.10.1")
COOPERATIVE_GUNICORN = (("gunicorn", ">=23.0,<24"),)
COOPERATIVE_GUNICORN_NEW = (("gunicorn", ">=23.0"), ("packaging", ""))


# A worker package's oldest release needs a package the app may pin older: uvicorn-worker 0.2.0 needs
# uvicorn>=0.14.0, so an app pinning uvicorn==0.11.5 (a 2020 freeze) cannot have it in one resolution. Such an app
# gets no worker package: gunicorn.conf.py takes uvicorn's own worker (servers.LEGACY_GUNICORN_WORKERS) when the
# worker's module is not installed, and the app's uvicorn provides it.
WORKER_NEEDS: dict[str, tuple[str, Version]] = {"uvicorn-worker": ("uvicorn", Version("0.14.0"))}


def server_requirements(server: str, interface: str, cooperative: str | None = None,
                        dependencies: Iterable[Dependency] = ()) -> tuple[tuple[str, str], ...]:
    """The server's packages for this app; `dependencies`: the app's own, whose gevent picks the gunicorn of
    a self-patching app, and whose exact pins may rule a worker package out (WORKER_NEEDS)."""
    dependencies = tuple(dependencies)
    if server == "gunicorn" and interface == "wsgi" and cooperative == "gevent":
        pinned = _own_pin(dependencies, "gevent")
        return COOPERATIVE_GUNICORN_NEW if pinned and pinned >= GEVENT_FOR_NEW_GUNICORN else COOPERATIVE_GUNICORN
    wanted = SERVER_REQUIREMENTS.get((server, interface), SERVER_REQUIREMENTS[("gunicorn", "wsgi")])
    return tuple((name, spec) for name, spec in wanted
                 if not (name in WORKER_NEEDS and (pinned := _own_pin(dependencies, WORKER_NEEDS[name][0]))
                         and pinned < WORKER_NEEDS[name][1]))


def worker_fallback_notes(dependencies: Iterable[Dependency], server: str, interface: str,
                          cooperative: str | None = None) -> tuple[str, ...]:
    """One line per worker package the app's own pin rules out (WORKER_NEEDS), naming the worker that serves."""
    dependencies = tuple(dependencies)
    kept = {name for name, _ in server_requirements(server, interface, cooperative, dependencies)}
    fallback = LEGACY_GUNICORN_WORKERS.get(GUNICORN_WORKERS.get(interface, ""), ("",))[0]
    return tuple(f"{name}{spec} needs {WORKER_NEEDS[name][0]}>={WORKER_NEEDS[name][1]}, newer than the app's "
                 f"{WORKER_NEEDS[name][0]}=={_own_pin(dependencies, WORKER_NEEDS[name][0])}: gunicorn runs "
                 f"{fallback} from it instead (the app's packages stay as it pins them)"
                 for name, spec in server_requirements(server, interface, cooperative)
                 if name in WORKER_NEEDS and name not in kept)


def _own_pin(dependencies: tuple[Dependency, ...], name: str) -> Version | None:
    """The version the app itself pins `name` at exactly (not the server's own requirement), or None."""
    own = next((d for d in dependencies if normalize(d.name) == normalize(name)
                and not d.source.startswith(SERVER_SOURCE)), None)
    pinned = own.spec.split(";")[0].partition("==")[2].strip() if own else ""
    try:
        return Version(pinned) if pinned else None
    except InvalidVersion:
        return None


def outdated_server_pins(dependencies: Iterable[Dependency], server: str, interface: str,
                         cooperative: str | None = None, python: str | None = None) -> tuple[tuple[Dependency, str], ...]:
    """The server packages the app pins older than Shipyard's configuration of that server needs (gunicorn==19.9.0
    has no `wsgi_app` setting, and imports pkg_resources, which a uv virtualenv lacks), and the packages the server
    needs newer than the app pins them (SERVER_NEEDS: click==8.0.3 under granian), each with the requirement that
    replaces it: `serve --install` and the image both install that one after the app's own. Given the app's
    `python`, a server whose usual floor does not install there (gunicorn 23 needs 3.7) is replaced by its
    configuration's floor (gunicorn>=20.1, whose 21.2 still installs on 3.6)."""
    dependencies = tuple(dependencies)
    declared = {normalize(d.name): d for d in dependencies if not d.source.startswith(SERVER_SOURCE)}
    out = []
    for name, spec in (*server_requirements(server, interface, cooperative, dependencies),
                       *SERVER_NEEDS.get(server, ())):
        if python and normalize(name) in CONFIG_FLOORS \
                and _minor(python) < PACKAGE_PYTHON.get(normalize(name), (0, 0)):
            spec = CONFIG_FLOORS[normalize(name)]
        pinned = _own_pin(dependencies, name)
        try:
            if pinned and pinned not in SpecifierSet(spec):
                out.append((declared[normalize(name)], f"{name}{spec}"))
        except InvalidSpecifier:
            continue
    return tuple(out)


def _minor(python: str) -> tuple[int, ...]:
    """"3.6.15" -> (3, 6)."""
    return tuple(int(p) for p in python.split(".")[:2] if p.isdigit())


def outdated_installed_servers(dependencies: Iterable[Dependency], installed: dict[str, str], server: str,
                               interface: str, cooperative: str | None = None) -> tuple[tuple[Dependency, str, str], ...]:
    """The server packages the app declares without an exact pin (`gunicorn`, `gunicorn>=19`) whose release
    installed in its environment (`installed`: normalized name -> version) is older than Shipyard's configuration
    of that server needs: an old app's packages resolve as of its date, so a 2019 `gunicorn` is 19.9.0, which has
    no `wsgi_app` setting. Each with the installed version and the requirement that replaces it, when the app's
    own range allows that requirement's floor (`gunicorn<20` is the app's word, kept). Exact pins:
    outdated_server_pins."""
    dependencies = tuple(dependencies)
    out = []
    for name, spec in (*server_requirements(server, interface, cooperative, dependencies),
                       *SERVER_NEEDS.get(server, ())):
        own = next((d for d in dependencies if normalize(d.name) == normalize(name)
                    and not d.source.startswith(SERVER_SOURCE)), None)
        version = installed.get(normalize(name))
        if own is None or version is None or _own_pin(dependencies, name) is not None:
            continue
        try:
            needed, allowed = SpecifierSet(spec), SpecifierSet(own.spec.split(";")[0].strip())
            floor = next((Version(s.version) for s in needed if s.operator == ">="), None)
            if Version(version) not in needed and floor is not None and allowed.contains(floor, prereleases=True):
                out.append((own, version, f"{name}{spec}"))
        except (InvalidSpecifier, InvalidVersion):
            continue
    return tuple(out)


def dated_server_floors(dependencies: Iterable[Dependency], server: str, interface: str,
                        cooperative: str | None = None, python: str | None = None) -> tuple[tuple[Dependency, str], ...]:
    """The server packages the app declares without an exact pin (`gunicorn`, `gunicorn>=19`), each with the
    requirement an install that resolves the app's packages as of its day (uv --exclude-newer) must take beside
    them: that day's release may be older than Shipyard's configuration of the server needs (a 2020 `gunicorn`
    is 20.0.4, which has no `wsgi_app` setting: "No application module specified"). What
    outdated_installed_servers finds after serve's install, known before it: the image takes it as a constraint,
    exempt from the date. Only where the app's own range allows that requirement's floor (`gunicorn<20` is the
    app's word, kept); on a Python older than the server's usual floor installs on, its configuration's floor."""
    dependencies = tuple(dependencies)
    out = []
    for name, spec in (*server_requirements(server, interface, cooperative, dependencies),
                       *SERVER_NEEDS.get(server, ())):
        if python and normalize(name) in CONFIG_FLOORS \
                and _minor(python) < PACKAGE_PYTHON.get(normalize(name), (0, 0)):
            spec = CONFIG_FLOORS[normalize(name)]
        own = next((d for d in dependencies if normalize(d.name) == normalize(name)
                    and not d.source.startswith(SERVER_SOURCE)), None)
        if own is None or _own_pin(dependencies, name) is not None:
            continue
        try:
            allowed = SpecifierSet(own.spec.split(";")[0].strip())
            floor = next((Version(s.version) for s in SpecifierSet(spec) if s.operator == ">="), None)
            if floor is not None and allowed.contains(floor, prereleases=True):
                out.append((own, f"{name}{spec}"))
        except (InvalidSpecifier, InvalidVersion):
            continue
    return tuple(out)


def merge(declared_deps: DeclaredDependencies, inferred: Iterable[Dependency], finding: EntryFinding | None,
          server: str = "gunicorn") -> tuple[Dependency, ...]:
    """Declared (in file order), then inferred ones that are missing (by name), then the server.

    `server` is the plan's application server setting (gunicorn, uwsgi, granian). Without a finding (no
    entry point found) the interface is unknown, so no server is added.
    """
    out: list[Dependency] = []
    seen: set[str] = set()
    for dep in declared_deps.dependencies:
        key = normalize(dep.name)
        if key not in seen:
            seen.add(key)
            out.append(dep)
    dev_pins = dict(declared_deps.dev_pins)
    for dep in sorted(inferred, key=lambda d: normalize(d.name)):
        key = normalize(dep.name)
        if key not in seen:
            seen.add(key)
            # an import the production files do not declare: the version the dev requirements pin, else any
            dep = _apply_pin(dep, dev_pins.get(key))
            out.append(dep if dep.inferred else Dependency(dep.name, dep.spec, dep.source, True))
    if finding is None:
        return tuple(out)
    interface = finding.entry.interface
    for name, spec in server_requirements(server, interface, finding.entry.cooperative, out):
        key = normalize(name)
        if key not in seen and SAME_PROGRAM.get(key) not in seen:
            seen.add(key)
            out.append(Dependency(name, spec, f"{SERVER_SOURCE} ({server}, {interface.upper()})", True))
    return tuple(out)
