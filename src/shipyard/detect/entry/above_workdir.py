"""A module the app imports that the project has, but in a folder above the one the app runs from: exam/tasks.py
in core/ (a Django project run from core/) imports cassandra_orm, a package at the repository's root that
docker-compose.yml mounts into the service's code folder (./cassandra_orm:/app/cassandra_orm beside ./core:/app).
The entry is right (the app's own modules import from core/); that package reaches it only through the
deployment's mount or a PYTHONPATH: a setup step to say, not a folder to run from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ...project import Project

COMPOSE_FILES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")


@dataclass(frozen=True)
class AboveWorkdir:
    path: str       # the module, or package folder, relative to the project root ("cassandra_orm/")
    folder: str     # the folder that holds it, which would go on PYTHONPATH (".")
    volume: str     # the compose volume that mounts it ("./cassandra_orm:/app/cassandra_orm"), or ""
    compose: str    # the compose file that has that volume, or ""


def above_workdir(project: Project, workdir: str, top: str) -> AboveWorkdir | None:
    """Where the top-level module `top` is in a folder above `workdir` (the nearest first); None when none is."""
    parts = PurePosixPath(workdir).parts
    if not parts or workdir == "." or not top.isidentifier():
        return None
    files = set(project.python_files)
    for depth in range(len(parts) - 1, -1, -1):
        folder = PurePosixPath(*parts[:depth]) if depth else PurePosixPath(".")
        package = str(folder / top)
        if str(folder / f"{top}.py") in files:
            path = str(folder / f"{top}.py")
        elif any(f.startswith(f"{package}/") for f in files):
            path = f"{package}/"
        else:
            continue
        volume, compose = _mounted(project, path)
        return AboveWorkdir(path, str(folder), volume, compose)
    return None


def _mounted(project: Project, path: str) -> tuple[str, str]:
    """(the volume line's `source:target`, its compose file) of a compose volume whose source is `path`."""
    pattern = re.compile(r"^\s*-\s*[\"']?((?:\./)?" + re.escape(path.rstrip("/")) + r"/?:[^\s\"':]+)", re.MULTILINE)
    for name in COMPOSE_FILES:
        try:
            text = (project.root / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if (found := pattern.search(text)) is not None:
            return found.group(1), name
    return "", ""
