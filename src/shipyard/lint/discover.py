"""Which files of the folder lint reads, and as what."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..project import Project
from .readers.nginx import looks_like_nginx

MAX_BYTES = 512 * 1024      # larger files are not hand-written configuration

# compose files and Dockerfiles for development or tests: production rules do not apply to them
_DEV_COMPOSE = re.compile(r"(^|[._-])(dev|devel|development|local|override|test|tests|ci|debug)([._-]|$)", re.I)
_COMPOSE = re.compile(r"^(docker-)?compose([._-][\w.-]+)?\.ya?ml$", re.I)
_DOCKERFILE = re.compile(r"^((Docker|Container)file)([._-][\w.-]+)?$|^[\w.-]+\.(Docker|Container)file$", re.I)
_SCRIPT_NAMES = re.compile(r"(entry[-_]?point|docker[-_]entrypoint|start|run|boot|launch)[\w.-]*(\.sh)?$", re.I)


def kind_of(rel: str, head: str) -> str | None:
    """`head` is the start of the file's text."""
    name = PurePosixPath(rel).name
    if _DOCKERFILE.match(name):
        rest = re.sub(r"(?i)(docker|container)file", "", name)
        return "dockerfile-dev" if _DEV_COMPOSE.search(rest) else "dockerfile"
    if _COMPOSE.match(name):
        return "compose-dev" if _DEV_COMPOSE.search(name.split("compose", 1)[1]) else "compose"
    if name == "Procfile":
        return "procfile"
    if name.endswith(".ini") or name.endswith(".conf") or name.endswith(".cfg"):
        if re.search(r"^\s*\[uwsgi\]", head, re.M):
            return "uwsgi"
        if re.search(r"^\s*\[(supervisord|program:[^\]]+)\]", head, re.M):
            return "supervisord"
    if name.endswith(".conf") or name.endswith(".nginx") or "nginx" in rel.lower() and name.endswith(".template"):
        if looks_like_nginx(head):
            return "nginx"
    if name.endswith(".py") and re.match(r"gunicorn([._-]?conf(ig)?)?(\.\w+)?\.py$", name):
        return "gunicorn"
    if name.endswith(".sh") or (_SCRIPT_NAMES.fullmatch(name) and head.startswith("#!")):
        if head.startswith("#!") and not re.match(r"#!.*\b(ba|da|z|a)?sh\b", head):
            return None
        return "shell"
    return None


def discover(project: Project, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """{relative path: kind} of the production files lint reads (decoy folders such as tests/ skipped)."""
    found: dict[str, str] = {}
    for rel in project.files:
        if project.is_decoy(rel) or any(PurePosixPath(rel).match(p) for p in exclude):
            continue
        name = PurePosixPath(rel).name
        if not (name.endswith((".ini", ".conf", ".cfg", ".yaml", ".yml", ".sh", ".py", ".template", ".nginx"))
                or _DOCKERFILE.match(name) or name == "Procfile" or _SCRIPT_NAMES.fullmatch(name)):
            continue
        if name.endswith(".py") and not name.startswith("gunicorn"):
            continue
        path = project.path(rel)
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            with open(path, encoding="utf-8", errors="replace") as handle:
                head = handle.read(16384)
        except OSError:
            continue
        kind = kind_of(rel, head)
        if kind:
            found[rel] = kind
    return found
