"""Code the app's own compose file mounts into the app's code folder from elsewhere in the project.

An exam platform's Django project runs from core/ (`./core:/app` in its compose service) and its tasks import
cassandra_orm, a package at the repository's root that the same service mounts beside the code
(`./cassandra_orm:/app/cassandra_orm`): in the container it is importable from where the app runs, in the
checkout it is not. Such a mount is the deployment's own statement that the package belongs to the app, so serve,
dev and the proof make it importable the same way: a link to it, on PYTHONPATH (appconfig.py). The image copies
the whole project and links it where the mount puts it (plan.mounted_code, the Dockerfile's `RUN ln -s`)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..project import Project
from . import compose_env


@dataclass(frozen=True)
class MountedCode:
    source: str     # the mounted folder or module, relative to the project root ("cassandra_orm")
    name: str       # the name the app imports it by ("cassandra_orm")
    volume: str     # as the compose file writes it ("./cassandra_orm:/app/cassandra_orm")


def mounted_code(project: Project, workdir: str) -> tuple[MountedCode, ...]:
    """The project's Python packages and modules outside `workdir` that the app's compose service bind-mounts
    directly inside the folder it mounts `workdir` at, in the file's order; () when it mounts none or has no
    bind mount of `workdir`."""
    here = posixpath.normpath(workdir)
    for services, service in compose_env.app_services(project, (".", workdir)):
        binds = [b for b in (_bind(v) for v in compose_env._as_list(services[service].get("volumes"))) if b]
        code_at = [target for source, target, _ in binds if source == here]
        if not code_at:
            return ()
        out = []
        for source, target, text in binds:
            name = PurePosixPath(source).stem if source.endswith(".py") else PurePosixPath(source).name
            inside = posixpath.relpath(target, code_at[0])
            if source == here or PurePosixPath(source).is_relative_to(here) or source.startswith(".."):
                continue
            if inside != PurePosixPath(target).name or PurePosixPath(target).name != PurePosixPath(source).name:
                continue
            if name.isidentifier() and _python_code(project, source):
                out.append(MountedCode(source, name, text))
        return tuple(out)
    return ()


def _bind(volume: object) -> tuple[str, str, str] | None:
    """(source relative to the project root, container path, the volume as written) of a short-form bind mount
    of a project path (`./lib:/app/lib`, `./lib:/app/lib:ro`); None for anything else."""
    if not isinstance(volume, str):
        return None
    parts = volume.split(":")
    if len(parts) < 2 or not parts[0].startswith((".", "./")) or not parts[1].startswith("/"):
        return None
    return posixpath.normpath(parts[0]), posixpath.normpath(parts[1]), volume


def _python_code(project: Project, source: str) -> bool:
    if source.endswith(".py"):
        return source in project.python_files
    return any(f.startswith(f"{source}/") for f in project.python_files)
