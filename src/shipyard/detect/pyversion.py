"""Which Python minor version the image runs ("3.12"), and which file said so.

Order: the --python flag / [tool.shipyard] python, .python-version, runtime.txt, requires-python in
pyproject.toml, Poetry's python dependency, Pipfile's [requires], uv.lock's requires-python, the python= line of a
conda package list written as requirements.txt, an existing
Dockerfile's `FROM python:3.X` or an image tagged with its Python (`tiangolo/uwsgi-nginx-flask:python3.6`; the root's, else the one the app's compose service builds, else the one in the
app's own folder when it runs from a subfolder: server/Dockerfile beside client/, or in the nearest folder above it
that has one: services/backend/Dockerfile for services/backend/app); else the default.

A range (requires-python = ">=3.9") is not a choice of version, only a limit: Shipyard takes its default
when the range allows it (a current release, fast, with years of security fixes left), else the allowed
supported version nearest to the default ("<3.12" -> 3.11, ">=3.13" -> 3.13). The planner then moves an app
whose dependency files are older than that version to the Python of their time inside the range, as it does for
an app that names no Python (declared_range).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from ..plan import PythonVersion
from ..project import Project
from . import compose_env, conda_list
from .deps import poetry_to_pep440

DEFAULT = "3.12"
SUPPORTED = ("3.10", "3.11", "3.12", "3.13", "3.14")   # minors with official slim images and security support
_MINOR = re.compile(r"(?<![\d.])3\.(\d{1,2})(?:\.\d+)?")


# When each Python minor came out: an app that names no Python ran on the one current when its dependency
# files last changed (Django 1.10, pinned in 2017, installs on 3.12 but its vendored six does not import there).
RELEASED = (("3.6", "2016-12-23"), ("3.7", "2018-06-27"), ("3.8", "2019-10-14"), ("3.9", "2020-10-05"),
            ("3.10", "2021-10-04"), ("3.11", "2022-10-24"), ("3.12", "2023-10-02"))

# ...and the ones since, which current_on never goes past (it stops at the default): the import proof asks
# whether a pin was out before the Python it failed on (proving.py)
RELEASE_DATES = {**dict(RELEASED), "3.13": "2024-10-07", "3.14": "2025-10-07"}


# When each minor's security support ended (or ends): the packages released after that day stop supporting it.
END_OF_LIFE = {"3.6": "2021-12-23", "3.7": "2023-06-27", "3.8": "2024-10-07", "3.9": "2025-10-31",
               "3.10": "2026-10-31", "3.11": "2027-10-31", "3.12": "2028-10-31", "3.13": "2029-10-31"}
# The Debian release of the official python images of a minor: Debian 12 (bookworm) from its release in June 2023
# on; 3.6, at its end of life by then, was last built for Debian 11 (bullseye): python:3.6-slim-bookworm never was
OFFICIAL_DEBIAN = {"3.6": "bullseye"}


def official_image(minor: str, variant: str = "slim") -> str:
    """The official image of Python `minor` a generated Dockerfile starts from ("python:3.12-slim-bookworm"), or
    builds in (variant "": the full image, with compilers and -dev headers)."""
    return f"python:{minor}-{variant + '-' if variant else ''}{OFFICIAL_DEBIAN.get(minor, 'bookworm')}"


DOCKERFILE = "FROM line in"     # the source of a Python read from a Dockerfile (the weakest declaration)


def outlived(minor: str, day: str) -> bool:
    """Whether Python `minor` ("3.7") had reached its end of life by `day` ("2025-12-10")."""
    if minor in END_OF_LIFE:
        return END_OF_LIFE[minor] < day[:10]
    return int(minor.split(".")[1]) < 6       # older than the table: long gone; newer: still supported


def current_on(day: str) -> str:
    """The newest Python minor released by `day` ("2017-04-28"), up to the default; the oldest this table
    knows (3.6) for earlier days (an app from 2013 is far from 3.12 too)."""
    found = [minor for minor, released in RELEASED if released <= day[:10]]
    return found[-1] if found else RELEASED[0][0]


def detect(project: Project, override: str | None = None, folder: str = ".", workdir: str = ".") -> PythonVersion:
    """The Python the app asks for, in the project's root files, else in those of `folder` (the app's own
    project in a monorepo: hokuto_flask/.python-version beside its Pipfile), else in the Dockerfile of `workdir`
    (the folder the app runs from, relative to the root: its entry's)."""
    if override:
        return PythonVersion(_minor(override) or override, "--python / [tool.shipyard] python")
    for where, reader in _readers(project, folder):
        found = reader(where)
        if found:
            return found if where is project else PythonVersion(found.version, f"{found.source} in {folder}/")
    return _dockerfile_in(project, workdir) or PythonVersion(DEFAULT, "default (none declared)")


def _readers(project: Project, folder: str):
    """(project, reader) pairs, the root's readers first, then the same readers on `folder`."""
    yield from ((project, reader) for reader in _READERS)
    if folder not in ("", "."):
        sub = Project(project.root / folder)
        yield from ((sub, reader) for reader in _READERS)


def declared_range(project: Project, override: str | None = None, folder: str = ".") -> str | None:
    """The range detect() chose the app's Python within (requires-python, Poetry's python, uv.lock's
    requires-python), when it admits a supported version: a limit, not a choice of version (the planner then
    takes the Python of the app's time inside it). None when the Python comes from anything else."""
    if override:
        return None
    for where, reader in _readers(project, folder):
        if reader(where) is None:
            continue
        spec = _RANGES[reader](where) if reader in _RANGES else None
        return spec if spec is not None and from_specifier(spec) is not None else None
    return None


def admits(spec: str, minor: str) -> bool:
    """Whether the range `spec` allows some patch release of Python `minor` (">=3.11.4" allows 3.11)."""
    try:
        specs = SpecifierSet(spec.strip())
    except InvalidSpecifier:
        return False
    return any(specs.contains(f"{minor}.{patch}", prereleases=False) for patch in range(0, 30))


def _minor(text: str) -> str | None:
    match = _MINOR.search(text)
    return f"3.{match.group(1)}" if match else None


def from_specifier(spec: str) -> str | None:
    """The version to run for a requires-python range; None when no supported version satisfies it."""
    try:
        SpecifierSet(spec.strip())
    except InvalidSpecifier:
        return None

    def allowed(minor: str) -> bool:
        return admits(spec, minor)

    if allowed(DEFAULT):
        return DEFAULT
    ok = [m for m in SUPPORTED if allowed(m)]
    if not ok:
        return None
    default_index = SUPPORTED.index(DEFAULT)
    below = [m for m in ok if SUPPORTED.index(m) < default_index]
    return below[-1] if below else ok[0]


def _python_version_file(project: Project) -> PythonVersion | None:
    if not project.is_file(".python-version"):
        return None
    for line in project.read_text(".python-version").splitlines():
        line = line.split("#")[0].strip()
        if line and (minor := _minor(line)):
            return PythonVersion(minor, ".python-version")
    return None


def _runtime_txt(project: Project) -> PythonVersion | None:
    if project.is_file("runtime.txt"):
        match = re.search(r"python-(3\.\d+)", project.read_text("runtime.txt"))
        if match:
            return PythonVersion(_minor(match.group(1)) or match.group(1), "runtime.txt")
    return None


def _ranged(spec: str, source: str) -> PythonVersion | None:
    version = from_specifier(spec)
    if version:
        return PythonVersion(version, f"{source} ({spec.strip()})")
    # Nothing supported satisfies it (e.g. "==3.8.*"): take the version it names, the user asked for it.
    minor = _minor(spec)
    return PythonVersion(minor, f"{source} ({spec.strip()})") if minor else None


def _requires_python_spec(project: Project) -> str | None:
    spec = project.pyproject.get("project", {}).get("requires-python")
    return spec if isinstance(spec, str) else None


def _requires_python(project: Project) -> PythonVersion | None:
    spec = _requires_python_spec(project)
    return _ranged(spec, "requires-python in pyproject.toml") if spec is not None else None


def _poetry_spec(project: Project) -> str | None:
    value = project.pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    try:
        return (poetry_to_pep440(value) or None) if isinstance(value, str) else None
    except ValueError:
        return None


def _poetry_python(project: Project) -> PythonVersion | None:
    value = project.pyproject.get("tool", {}).get("poetry", {}).get("dependencies", {}).get("python")
    if not isinstance(value, str):
        return None
    try:
        spec = poetry_to_pep440(value)
    except ValueError:
        minor = _minor(value)
        return PythonVersion(minor, "python in [tool.poetry.dependencies]") if minor else None
    return _ranged(spec, "python in [tool.poetry.dependencies]") if spec else None


def _pipfile(project: Project) -> PythonVersion | None:
    if not project.is_file("Pipfile"):
        return None
    requires = project.read_toml("Pipfile").get("requires", {})
    for key in ("python_version", "python_full_version"):
        if isinstance(requires.get(key), str) and (minor := _minor(requires[key])):
            return PythonVersion(minor, f"[requires] {key} in Pipfile")
    if project.is_file("Pipfile.lock"):
        try:
            meta = json.loads(project.read_text("Pipfile.lock")).get("_meta", {}).get("requires", {})
        except json.JSONDecodeError:
            return None
        if isinstance(meta.get("python_version"), str) and (minor := _minor(meta["python_version"])):
            return PythonVersion(minor, "python_version in Pipfile.lock")
    return None


def _uv_lock_spec(project: Project) -> str | None:
    if project.is_file("uv.lock"):
        spec = project.read_toml("uv.lock").get("requires-python")
        if isinstance(spec, str):
            return spec
    return None


def _uv_lock(project: Project) -> PythonVersion | None:
    spec = _uv_lock_spec(project)
    return _ranged(spec, "requires-python in uv.lock") if spec is not None else None


def _conda_list(project: Project) -> PythonVersion | None:
    # a requirements.txt written by `conda list --export`: its python=3.7.6=h60c2a47_2 line is the environment's
    # Python (detect/conda_list.py)
    for rel in ("requirements.txt", "requirement.txt"):
        if project.is_file(rel) and conda_list.is_conda_list(text := project.read_text(rel)) \
                and (minor := conda_list.python_version(text)):
            return PythonVersion(minor, f"python= in {rel} (a conda package list)")
    return None


def _dockerfile(project: Project) -> PythonVersion | None:
    # the root's, else the one the app's compose service builds (docker/Dockerfile)
    return _from_line(project, ("Dockerfile", "dockerfile", "Containerfile", compose_env.app_dockerfile(project)))


def _dockerfile_in(project: Project, workdir: str) -> PythonVersion | None:
    """The Dockerfile in the app's own folder, when the root declares no Python: a project one folder down
    (server/ beside a React client/, which its compose file builds with `context: ./server`); else the nearest
    in a folder between it and the root (services/backend/Dockerfile, which copies app/ in, for an app run from
    services/backend/app)."""
    folder = PurePosixPath(workdir.strip("/") or ".")
    folders = [str(f) for f in (folder, *folder.parents) if str(f) != "."]
    return _from_line(project, tuple(f"{f}/{name}" for f in folders for name in ("Dockerfile", "dockerfile",
                                                                                  "Containerfile")))


# an image built on Python whose tag names it: tiangolo/uwsgi-nginx-flask:python3.6,
# tiangolo/meinheld-gunicorn-flask:python3.7-alpine3.8, nikolaik/python-nodejs:python3.9-nodejs16
_PYTHON_TAG = re.compile(r"\s*FROM\s+(?:--platform=\S+\s+)?\S+:(?:\S+-)?python-?(3\.\d+)(?![\d])", re.I)


def _from_line(project: Project, rels) -> PythonVersion | None:
    for rel in rels:
        if rel and project.is_file(rel):
            for line in project.read_text(rel).splitlines():
                match = re.match(r"\s*FROM\s+(?:--platform=\S+\s+)?(?:\S+/)?python:(3\.\d+)", line, re.I) \
                    or _PYTHON_TAG.match(line)
                if match:
                    return PythonVersion(_minor(match.group(1)) or match.group(1), f"{DOCKERFILE} {rel}")
    return None


_READERS = (_python_version_file, _runtime_txt, _requires_python, _poetry_python, _pipfile, _uv_lock, _conda_list,
            _dockerfile)
# the readers whose declaration is a range, and the range each reads
_RANGES = {_requires_python: _requires_python_spec, _poetry_python: _poetry_spec, _uv_lock: _uv_lock_spec}
