"""Podman: the Docker command-line shape, with its own discovery, builder (Buildah) and `top` columns."""

from __future__ import annotations

import dataclasses
import json

from ..errors import EngineError
from . import cli
from .base import ContainerState, EngineInfo, ImageInfo, Process
from .docker import DockerEngine


class PodmanEngine(DockerEngine):
    name = "podman"
    not_running_hint = "check `podman info` (on macOS and Windows: podman machine start)"

    @classmethod
    def probe(cls, binary: str) -> EngineInfo:
        done = cli.run([binary, "version", "--format", "json"], timeout=30, check=False)
        try:
            data = json.loads(done.stdout) if done.stdout.strip() else {}
        except json.JSONDecodeError:
            data = {}
        client = (data.get("Client") or {}).get("Version", "")
        server = (data.get("Server") or {}).get("Version", "") or client
        if done.returncode != 0 or not client:
            why = " ".join(cli.tail(done.stderr, 2)) or "no answer"
            raise EngineError(f"podman is not working ({why})", cls.not_running_hint)
        return EngineInfo(cls.name, binary, client, server, "buildah")

    def _build_env(self) -> dict[str, str]:
        return {}

    def _builder_flags(self) -> list[str]:
        # Buildah's default OCI format drops HEALTHCHECK; the Docker format keeps it.
        return ["--format", "docker", "--force-rm"]

    def image(self, image: str) -> ImageInfo:
        info = super().image(image)
        if info.healthcheck:
            return info
        # Podman reports an image's HEALTHCHECK beside Config, not in it
        test = tuple((self._inspect(image, "image").get("Healthcheck") or {}).get("Test") or ())
        return dataclasses.replace(info, healthcheck=() if test[:1] == ("NONE",) else test)

    def state(self, container: str) -> ContainerState:
        state = super().state(container)
        if state.running and state.health == "starting":
            # Podman schedules health checks with systemd timers; where there is no systemd (containers, CI)
            # nothing runs them, so run one now: it updates the status as a scheduled run would.
            cli.run([self.binary, "healthcheck", "run", container], timeout=60, check=False)
            state = super().state(container)
        return state

    def processes(self, container: str) -> list[Process]:
        # Podman's `top` takes its own descriptors; `user` is the user inside the container.
        done = cli.run([self.binary, "top", container, "user", "pid", "args"], timeout=30,
                       what="listing the container's processes")
        out = []
        for row in done.stdout.strip().splitlines()[1:]:
            parts = row.split(None, 2)
            if len(parts) >= 2:
                uid = "0" if parts[0] == "root" else parts[0]
                out.append(Process(uid=uid, pid=parts[1], command=parts[2] if len(parts) > 2 else ""))
        return out
