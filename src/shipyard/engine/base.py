"""The narrow interface every container engine offers, and the records it returns.

Implementations call the engines' command-line programs (docker.py, podman.py); compose.py does the
same for Compose. Nothing above this package knows which engine it talks to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Protocol, Sequence

from ..errors import EngineError

ProgressCallback = Callable[[str], None]


class BuildFailed(EngineError):
    """A build step failed; `step` is the instruction that failed, `tail` the engine's last lines."""

    def __init__(self, message: str, hint: str = "", *, step: str = "", tail: Sequence[str] = (),
                 output: str = "") -> None:
        super().__init__(message, hint)
        self.step = step
        self.tail = tuple(tail)
        self.output = output           # the engine's whole output (cleaned), for reading why an install failed


@dataclass(frozen=True)
class BuildResult:
    tag: str
    image_id: str
    seconds: float
    size: int                      # bytes, as the engine reports it
    layers: int
    builder: str                   # "buildkit" | "legacy" | "buildah"
    cached_steps: int = 0          # steps the engine reused from its cache
    total_steps: int = 0


@dataclass(frozen=True)
class ImageInfo:
    id: str
    size: int
    layers: int
    user: str                      # the config's User ("" = root)
    env: Mapping[str, str]
    exposed_ports: tuple[int, ...]
    healthcheck: tuple[str, ...]   # the HEALTHCHECK test, () when the image has none
    stop_signal: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ContainerState:
    status: str                    # "created" | "running" | "exited" | ...
    running: bool
    exit_code: int
    health: str | None             # "starting" | "healthy" | "unhealthy" | None without a health check
    oom_killed: bool = False


@dataclass(frozen=True)
class Process:
    uid: str                       # numeric uid (or user name where the engine only gives names)
    pid: str
    command: str


@dataclass(frozen=True)
class EngineInfo:
    name: str                      # "docker" | "podman"
    binary: str
    client_version: str
    server_version: str
    builder: str                   # "buildkit" | "legacy" | "buildah"

    def describe(self) -> str:
        return f"{self.name} {self.server_version} ({self.builder} builder, client {self.binary})"


class Engine(Protocol):
    info: EngineInfo

    def build(self, context: Path, dockerfile: Path, tag: str, build_args: Mapping[str, str], *,
              target: str | None = None, progress: ProgressCallback | None = None,
              network: str | None = None, timeout: float = 1800, no_cache: bool = False) -> BuildResult: ...

    def run(self, image: str, *, ports: Sequence[int] = (), env: Mapping[str, str] | None = None,
            name: str | None = None, labels: Mapping[str, str] | None = None,
            health_interval: float | None = None, network: str | None = None) -> str: ...

    def published_port(self, container: str, port: int) -> int: ...

    def state(self, container: str) -> ContainerState: ...

    def signal(self, container: str, signal: str) -> None: ...

    def wait(self, container: str, timeout: float) -> int | None: ...

    def remove(self, container: str) -> None: ...

    def logs(self, container: str, lines: int = 40) -> list[str]: ...

    def processes(self, container: str) -> list[Process]: ...

    def exec(self, container: str, argv: Sequence[str], timeout: float = 30) -> tuple[int, str]: ...

    def export_paths(self, container: str, timeout: float = 300) -> list[str]: ...

    def export_files(self, container: str, want: Callable[[str, int], bool],
                     timeout: float = 300) -> tuple[list[str], dict[str, bytes]]: ...

    def history(self, image: str) -> list[str]: ...

    def image(self, image: str) -> ImageInfo: ...

    def remove_image(self, image: str) -> None: ...


@dataclass
class ComposeService:
    service: str
    container: str
    state: str                     # "running", "exited", ...
    health: str | None
    ports: dict[int, int] = field(default_factory=dict)   # container port -> published port on 127.0.0.1
    exit_code: int = 0
    addresses: dict[int, str] = field(default_factory=dict)  # container port -> "host ip:port" as bound


class Compose(Protocol):
    command: tuple[str, ...]       # e.g. ("docker", "compose") or ("docker-compose",)

    def up(self, files: Sequence[Path], project: str, *, build: bool = True,
           env: Mapping[str, str] | None = None, progress: ProgressCallback | None = None,
           timeout: float = 1800) -> None: ...

    def down(self, files: Sequence[Path], project: str, *, volumes: bool = False) -> None: ...

    def services(self, files: Sequence[Path], project: str) -> list[ComposeService]: ...

    def logs(self, files: Sequence[Path], project: str, *, lines: int = 100,
             follow: bool = False) -> int: ...

    def config(self, files: Sequence[Path], project: str) -> str: ...
