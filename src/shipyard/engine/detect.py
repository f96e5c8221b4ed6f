"""Pick the container engine present on this machine (or the one asked for) and its Compose."""

from __future__ import annotations

import shutil
from typing import Callable

from ..errors import EngineError, UsageError
from . import cli
from .base import Engine, EngineInfo
from .compose import CliCompose
from .docker import DockerEngine
from .podman import PodmanEngine

ENGINES = ("docker", "podman")
INSTALL_HINT = "install Docker (https://docs.docker.com/engine/install/) or Podman, then start it"


def _docker(path: str | None) -> Engine | None:
    clients = cli.all_on_path("docker", path)
    if not clients:
        return None
    infos: list[EngineInfo] = []
    first_error: EngineError | None = None
    for binary in clients:
        try:
            infos.append(DockerEngine.probe(binary))
        except EngineError as exc:
            first_error = first_error or exc
    if not infos:
        assert first_error is not None
        raise first_error
    # The first client on PATH wins, unless it only has the legacy builder and another one has BuildKit
    # (for example a new static client without the buildx plugin next to the distribution's client).
    best = next((i for i in infos if i.builder == "buildkit"), infos[0])
    return DockerEngine(best)


def _podman(path: str | None) -> Engine | None:
    binary = shutil.which("podman", path=path)
    return PodmanEngine(PodmanEngine.probe(binary)) if binary else None


FINDERS: dict[str, Callable[[str | None], Engine | None]] = {"docker": _docker, "podman": _podman}


def find_engine(name: str | None = None, *, path: str | None = None) -> Engine:
    """The engine asked for, or the first present of Docker, Podman. EngineError when none works."""
    if name is not None and name not in FINDERS:
        raise UsageError(f"unknown engine {name!r}", f"choose one of: {', '.join(ENGINES)}")
    names = (name,) if name else ENGINES
    problems: list[EngineError] = []
    for candidate in names:
        try:
            engine = FINDERS[candidate](path)
        except EngineError as exc:
            # an installed engine that does not answer (Docker stopped) is reported, not silently replaced by
            # the next one: the user's images and stacks live in the engine they use
            if name is None and len(names) > 1:
                others = [n for n in names if n != candidate and cli.all_on_path(n, path)]
                if others:
                    raise EngineError(exc.message, "; ".join(filter(None, [exc.hint, f"or pass --engine {others[0]}"])))
            problems.append(exc)
            continue
        if engine is not None:
            return engine
    if problems:
        raise problems[0]
    wanted = name or "Docker or Podman"
    raise EngineError(f"no container engine found: {wanted} is not installed", INSTALL_HINT)


def find_compose(engine: Engine, *, path: str | None = None, command: str | None = None) -> CliCompose:
    """Compose v2 (`docker compose`, or a v2 `docker-compose`), `podman compose`/podman-compose, and v1
    (`docker-compose` 1.x) last; `command` picks one."""
    return CliCompose.find(engine, path=path, command=command)
