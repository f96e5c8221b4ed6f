"""An app's compose stack: which files, which project name, and its URL once it runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import UsageError
from ..project import Project
from .base import ComposeService
from .compose import project_name

COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
DEV_NAMES = ("compose.dev.yaml", "compose.dev.yml", "docker-compose.dev.yaml", "docker-compose.dev.yml")
FRONT_SERVICES = ("nginx", "web", "proxy", "app")   # whose published port is the stack's URL, in order


@dataclass(frozen=True)
class Stack:
    root: Path
    files: tuple[Path, ...]
    project: str

    @classmethod
    def of(cls, root: str | Path, *, dev: bool = False, extra: Sequence[str | Path] = (),
           project: str | None = None) -> "Stack":
        root = Path(root).resolve()
        if not root.is_dir():
            raise UsageError(f"{root} is not a folder", "give the app's folder as PATH")
        main = next((root / n for n in COMPOSE_NAMES if (root / n).is_file()), None)
        if main is None:
            raise UsageError(f"no compose.yaml in {root}",
                             f"write it with: shipyard init {root} --topology compose")
        files = [main]
        if dev:
            override = next((root / n for n in DEV_NAMES if (root / n).is_file()), None)
            if override is None:
                raise UsageError(f"no compose.dev.yaml in {root} for --dev",
                                 f"write it with: shipyard init {root} --topology compose")
            files.append(override)
        for f in extra:
            path = Path(f) if Path(f).is_absolute() else root / f
            if not path.is_file():
                raise UsageError(f"compose file {f} not found", "give a path relative to the app's folder")
            files.append(path)
        return cls(root, tuple(files), project or project_name(Project(root).name))


def stack_url(services: Sequence[ComposeService]) -> str | None:
    """http://127.0.0.1:PORT/ of the front service (nginx first), or None when nothing is published."""
    by_name = {s.service: s for s in services}
    ordered = [by_name[n] for n in FRONT_SERVICES if n in by_name] + list(services)
    for service in ordered:
        if service.ports:
            return f"http://127.0.0.1:{min(service.ports.values())}/"
    return None
