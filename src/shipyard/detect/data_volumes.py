"""Folders the app writes into where it runs, as its own compose file gives them a volume.

litestar-books keeps its sessions in `FileStore(path=Path("session_data"))`, a folder relative to where it runs,
and its compose file mounts a named volume there (`session_data:/app/session_data`, WORKDIR /app). serve runs the
app in its own checkout, which it may write; the image's code is root-owned and read-only, so the first request
that saved a session failed after its response had started (500). A named volume the app's service mounts inside
the working directory of the image it builds is such a folder: the image makes it, owned by the app's user, at the
same place relative to where the app runs. Bind mounts (`.:/app`, `./data:/data`) are the developer's host
folders, not data the app makes; a volume outside the working directory (/var/lib/...) is left alone."""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath

from ..project import Project
from . import compose_env


def data_folders(project: Project, workdir: str) -> tuple[str, ...]:
    """Folders, relative to where the app runs, that the app's service in its own compose file mounts a named
    volume at inside the working directory its image runs in, in the file's order."""
    for services, service in compose_env.app_services(project, (".", workdir)):
        body = services[service]
        runs_in = body.get("working_dir") if isinstance(body.get("working_dir"), str) else _workdir(project, body)
        if not runs_in or runs_in == "/":
            return ()
        out = []
        for volume in compose_env._as_list(body.get("volumes")):
            source, target = _named_volume(volume)
            if not source or not target:
                continue
            rel = posixpath.relpath(posixpath.normpath(target), posixpath.normpath(runs_in))
            if rel != "." and not rel.startswith("..") and rel not in out:
                out.append(rel)
        return tuple(out)
    return ()


def _named_volume(volume: object) -> tuple[str, str]:
    """(source, container path) of a named volume (`data:/app/data`, or the long form with type volume);
    ("", "") for a bind mount, an anonymous volume or anything else."""
    if isinstance(volume, dict):
        if volume.get("type", "volume") != "volume":
            return "", ""
        source, target = volume.get("source"), volume.get("target")
    elif isinstance(volume, str):
        parts = volume.split(":")
        if len(parts) < 2:
            return "", ""
        source, target = parts[0], parts[1]
    else:
        return "", ""
    if not isinstance(source, str) or not isinstance(target, str) or not source or source.startswith((".", "/", "~", "$")):
        return "", ""
    return source, target


def _workdir(project: Project, service: dict) -> str:
    """The WORKDIR the service's image runs in: the last one its Dockerfile sets (a stage inherits its base's)."""
    build = service.get("build")
    context = compose_env.build_context(build, ".") or "."
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    rel = posixpath.normpath(str(PurePosixPath(context) / str(dockerfile)))
    if not project.is_file(rel):
        return ""
    from ..lint.readers import dockerfile as dockerfile_reader
    found = [i.args.strip() for i in dockerfile_reader.read(rel, project.read_text(rel)).instructions if i.cmd == "WORKDIR"]
    return found[-1] if found and found[-1].startswith("/") else ""
