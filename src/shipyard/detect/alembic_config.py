"""Where the app keeps Alembic's config file, and the folder `alembic` must run from to read it.

Most apps keep `alembic.ini` beside their code and run a bare `alembic upgrade head` there. Others keep it in a
subfolder (`migrations/alembic.ini`) and say so: ALEMBIC_CONFIG in an env file (Alembic reads it as the
default for `-c`), or `alembic -c PATH` in their own scripts (Makefile, shell scripts, Dockerfile, compose
file, README). Stated once (`find`): `alembic.ini` in the app's workdir, then in the project root; then the file
the app names, first in its env files, then in its scripts; then the project's only Alembic config file
(outside tests and docs). A file counts when it has an [alembic] section whose `script_location` names a
folder with env.py (Flask-Migrate's migrations/alembic.ini has none: Flask-Migrate gives it).

Alembic reads a relative `script_location` (and `prepend_sys_path`) from the folder it runs in, not the ini's
folder, unless the ini writes %(here)s: the folder is the first of the one the naming file is in, the app's
workdir, the project root and the ini's own folder where script_location leads to env.py.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from . import compose_env, envfile, migration_heads
from .source import is_app_file

NAME = "alembic.ini"
VARIABLE = "ALEMBIC_CONFIG"
# `alembic -c PATH` / `alembic --config PATH` / `--config=PATH`, anywhere on a command line
_COMMAND = re.compile(r"\balembic\b[^\n]*?\s(?:-c|--config)(?:\s+|=)[\"']?([^\s\"';&|)]+)")
_SCRIPT_NAMES = ("Makefile", "makefile", "GNUmakefile", "justfile", "Justfile", "Procfile", "Dockerfile",
                 "Containerfile", "pyproject.toml", "tox.ini", "README.md", "README.rst", "README.txt", "README")
_DOCKER_ENV = re.compile(rf"^\s*ENV\s+(?:.*\s)?{VARIABLE}(?:=|\s+)[\"']?([^\s\"']+)", re.M)


@dataclass(frozen=True)
class AlembicConfig:
    ini: str       # the config file, relative to `cwd`
    cwd: str       # the folder to run `alembic` from, relative to the project root
    named_by: str  # what says this is the file: "" for alembic.ini where alembic runs, else "ALEMBIC_CONFIG in .env"

    @property
    def args(self) -> tuple[str, ...]:
        """`-c INI` for alembic, or nothing when it finds the file by itself."""
        return () if self.ini == NAME else ("-c", self.ini)


def find(project: Project, workdir: str) -> AlembicConfig | None:
    """The app's Alembic config file and the folder to run alembic from (rule in the module docstring)."""
    for base in dict.fromkeys((workdir, ".")):
        if project.is_file(_join(base, NAME)):
            return AlembicConfig(NAME, base, "")
    for value, folder, named_by in _named(project, workdir):
        found = _usable(project, _resolve(project, value, folder), (folder, workdir, "."), named_by)
        if found is not None:
            return found
    inis = [f for f in project.files if PurePosixPath(f).name == NAME and is_app_file(f)]
    usable = [found for rel in inis if (found := _usable(project, rel, (workdir, "."), f"the project's only {NAME}"))]
    return usable[0] if len(usable) == 1 else None


def _named(project: Project, workdir: str):
    """(config file, folder it is relative to, what names it) for each file the app names, env files first."""
    for folder in dict.fromkeys((".", workdir)):
        for name in sorted(_children(project, folder)):
            if name in (".env", ".flaskenv") or envfile.rank(name) is not None:
                rel = _join(folder, name)
                value = envfile.parse(project.read_text(rel)).get(VARIABLE)
                if value:
                    yield value, folder, f"{VARIABLE} in {rel}"
    compose = compose_env.find(project, (".", workdir))
    if compose is not None and (value := dict(compose.values).get(VARIABLE)):
        yield value, str(PurePosixPath(compose.path).parent), f"{VARIABLE} in {compose.path}"
    for folder in dict.fromkeys((".", workdir)):
        names = sorted(_children(project, folder))
        scripts = [n for n in names if n in _SCRIPT_NAMES or n.endswith(".sh") or n in compose_env.NAMES]
        for name in scripts:
            rel = _join(folder, name)
            text = project.scan_text(rel) or ""
            for value in _DOCKER_ENV.findall(text):
                yield value, folder, f"{VARIABLE} in {rel}"
            for value in _COMMAND.findall(text):
                yield value, folder, f"`alembic -c {value}` in {rel}"


def _usable(project: Project, path: str | None, cwds: tuple[str, ...], named_by: str) -> AlembicConfig | None:
    """The config file `path` (relative to the project root) as Alembic can run it: from the first of `cwds`,
    then the file's own folder, where its script_location leads to env.py."""
    if not path:
        return None
    for cwd in dict.fromkeys((*cwds, posixpath.dirname(path) or ".")):
        folder = migration_heads.script_folder(project, path, cwd)
        if folder is None:
            return None                   # no script_location: not a config alembic runs by itself
        if not folder.startswith("../") and project.is_file(_join(folder, "env.py")):
            return AlembicConfig(posixpath.relpath(path, cwd), cwd, named_by)
    return None


def _resolve(project: Project, value: str, folder: str) -> str | None:
    """The file a path the app writes (relative to `folder`, where its naming file is) names in the project."""
    if PurePosixPath(value).is_absolute() or "$" in value:
        return None                       # a container's path, a variable: nothing here says where it is
    path = _join(folder, value)
    return path if not path.startswith("../") and project.is_file(path) else None


def _children(project: Project, folder: str) -> list[str]:
    try:
        return [p.name for p in (project.root / folder).iterdir() if p.is_file()]
    except OSError:
        return []


def _join(folder: str, rel: str) -> str:
    return posixpath.normpath(rel if folder in ("", ".") else f"{folder}/{rel}")
