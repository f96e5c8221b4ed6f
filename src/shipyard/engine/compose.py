"""Compose through its command-line program: v2 (`docker compose`), v1 (`docker-compose`) or `podman compose`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Mapping, Sequence

from .. import spawn
from ..errors import EngineError
from . import cli
from .base import BuildFailed, ComposeService, Engine, ProgressCallback

COMPOSE_HINT = ("install Docker Compose (the `docker compose` plugin, or `docker-compose`), "
                "or podman-compose for Podman")


def project_name(name: str) -> str:
    """A name every Compose version accepts: lower case letters, digits, `-` and `_`."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-_")
    return cleaned or "app"


class CliCompose:
    def __init__(self, command: Sequence[str], engine: Engine, version: str) -> None:
        self.command = tuple(command)
        self.engine = engine
        self.version = version

    @classmethod
    def find(cls, engine: Engine, *, path: str | None = None) -> "CliCompose":
        binary = engine.info.binary
        if engine.info.name == "docker":
            candidates = [[binary, "compose"], ["docker-compose"]]
        else:
            candidates = [[binary, "compose"], ["podman-compose"]]
        for command in candidates:
            exe = command[0] if os.path.isabs(command[0]) else shutil.which(command[0], path=path)
            if not exe:
                continue
            argv = [exe, *command[1:]]
            done = cli.run([*argv, "version"], timeout=30, check=False)
            if done.returncode == 0 and done.stdout.strip():
                return cls(argv, engine, done.stdout.strip().splitlines()[0])
        raise EngineError(f"no Compose found for {engine.info.name}", COMPOSE_HINT)

    @property
    def is_v1(self) -> bool:
        return Path(self.command[0]).name == "docker-compose"

    def describe(self) -> str:
        return f"{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(self.command))} ({self.version})"

    def _env(self, env: Mapping[str, str] | None) -> dict[str, str]:
        # Compose runs `docker` itself to build: give it the client the engine chose, with its builder.
        out = {"PATH": os.path.dirname(self.engine.info.binary) + os.pathsep + os.environ.get("PATH", "")}
        if self.engine.info.name == "docker":
            buildkit = self.engine.info.builder == "buildkit"
            out["DOCKER_BUILDKIT"] = "1" if buildkit else "0"
            out["COMPOSE_DOCKER_CLI_BUILD"] = "1"
        out.update(env or {})
        return out

    def _base(self, files: Sequence[Path], project: str) -> list[str]:
        argv = [*self.command, "-p", project]
        for f in files:
            argv += ["-f", str(f)]
        return argv

    def config(self, files: Sequence[Path], project: str, env: Mapping[str, str] | None = None) -> str:
        done = cli.run([*self._base(files, project), "config"], timeout=60, env=self._env(env), check=False)
        if done.returncode != 0:
            raise EngineError(f"the compose file is invalid: {' '.join(cli.tail(done.stderr, 3))}", "")
        return done.stdout

    def up(self, files: Sequence[Path], project: str, *, build: bool = True,
           env: Mapping[str, str] | None = None, progress: ProgressCallback | None = None,
           timeout: float = 1800, services: Sequence[str] = ()) -> None:
        argv = [*self._base(files, project), "up", "-d"]
        if not services:
            argv.append("--remove-orphans")
        if build:
            argv.append("--build")
        argv += list(services)
        self._stream(argv, "compose up", env, progress, timeout, str(Path(files[0]).parent))

    def build(self, files: Sequence[Path], project: str, *, build_args: Mapping[str, str] | None = None,
              env: Mapping[str, str] | None = None, progress: ProgressCallback | None = None,
              timeout: float = 1800) -> None:
        argv = [*self._base(files, project), "build"]
        for key, value in sorted((build_args or {}).items()):
            argv += ["--build-arg", f"{key}={value}"]
        self._stream(argv, "compose build", env, progress, timeout, str(Path(files[0]).parent))

    def _stream(self, argv: list[str], what: str, env, progress, timeout: float, cwd: str) -> None:
        code, lines, timed_out = cli.stream(argv, timeout=timeout, on_line=progress, env=self._env(env), cwd=cwd)
        if code != 0 or timed_out:
            last = cli.tail("\n".join(lines), 12)
            why = f"did not finish within {timeout:.0f} s" if timed_out else "failed"
            raise BuildFailed(f"`{what}` {why}: {last[-1] if last else ''}".strip(),
                              "the engine's last lines are shown above", step=what, tail=last)

    def run_once(self, files: Sequence[Path], project: str, service: str, argv: Sequence[str], *,
                 env: Mapping[str, str] | None = None, timeout: float = 600) -> tuple[int, str]:
        """A one-off command in a new container of `service` (e.g. a release step); (exit code, output)."""
        full = [*self._base(files, project), "run", "--rm", "-T", service, *argv]
        try:
            done = spawn.run(full, merge_stderr=True, timeout=timeout, env={**os.environ, **self._env(env)},
                             cwd=str(Path(files[0]).parent))
        except subprocess.TimeoutExpired:
            return -1, f"did not finish within {timeout:.0f} s"
        return done.returncode, done.stdout

    def down(self, files: Sequence[Path], project: str, *, volumes: bool = False,
             env: Mapping[str, str] | None = None) -> None:
        argv = [*self._base(files, project), "down", "--remove-orphans"]
        if volumes:
            argv.append("-v")
        cli.run(argv, timeout=180, env=self._env(env), what="compose down", cwd=str(Path(files[0]).parent))

    def container_ids(self, files: Sequence[Path], project: str,
                      env: Mapping[str, str] | None = None) -> list[str]:
        done = cli.run([*self._base(files, project), "ps", "-q"], timeout=60, env=self._env(env),
                       what="compose ps", cwd=str(Path(files[0]).parent))
        return [line.strip() for line in done.stdout.splitlines() if re.fullmatch(r"[0-9a-f]{12,64}", line.strip())]

    def services(self, files: Sequence[Path], project: str,
                 env: Mapping[str, str] | None = None) -> list[ComposeService]:
        ids = self.container_ids(files, project, env)
        if not ids:
            return []
        done = cli.run([self.engine.info.binary, "inspect", *ids], timeout=60, what="inspecting the stack")
        out = []
        for data in json.loads(done.stdout):
            labels = (data.get("Config") or {}).get("Labels") or {}
            state = data.get("State") or {}
            health = state.get("Health") or state.get("Healthcheck")
            ports: dict[int, int] = {}
            addresses: dict[int, str] = {}
            for key, bindings in ((data.get("NetworkSettings") or {}).get("Ports") or {}).items():
                for b in bindings or ():
                    if b.get("HostPort"):
                        inner = int(key.split("/")[0])
                        ports.setdefault(inner, int(b["HostPort"]))
                        addresses.setdefault(inner, f"{b.get('HostIp') or '0.0.0.0'}:{b['HostPort']}")
            out.append(ComposeService(service=labels.get("com.docker.compose.service", data.get("Name", "")),
                                      container=data.get("Id", "")[:12], state=state.get("Status", ""),
                                      health=health.get("Status") if health else None, ports=ports, addresses=addresses,
                                      exit_code=int(state.get("ExitCode") or 0)))
        return sorted(out, key=lambda s: s.service)

    def wait_healthy(self, files: Sequence[Path], project: str, *, timeout: float = 180,
                     env: Mapping[str, str] | None = None) -> list[ComposeService]:
        """Wait until every service runs and is healthy (or finished with exit code 0); bounded."""
        deadline = time.monotonic() + timeout
        services: list[ComposeService] = []
        while True:
            services = self.services(files, project, env)
            # A one-off service (release, migrate) that exited 0 is done, whatever health it last had.
            done = [s for s in services if s.state in ("exited", "dead") and s.exit_code == 0]
            failed = [s for s in services if s.state in ("exited", "dead") and s.exit_code != 0]
            live = [s for s in services if s not in done and s not in failed]
            unhealthy = [s for s in live if s.health == "unhealthy"]
            if failed or unhealthy:
                bad = (failed or unhealthy)[0]
                raise StackUnhealthy(bad, f"service {bad.service} is {bad.health if not failed else bad.state}"
                                          + (f" (exit code {bad.exit_code})" if failed else ""))
            if live and all(s.state == "running" and s.health in (None, "healthy") for s in live):
                return services
            if time.monotonic() > deadline:
                waiting = next((s for s in live if s.health not in (None, "healthy") or s.state != "running"),
                               None)
                if waiting is None:
                    raise EngineError(f"the stack did not start within {timeout:.0f} s", "")
                raise StackUnhealthy(waiting, f"service {waiting.service} is still "
                                              f"{waiting.health or waiting.state} after {timeout:.0f} s")
            time.sleep(1)

    def logs(self, files: Sequence[Path], project: str, *, lines: int = 100, follow: bool = False,
             services: Sequence[str] = (), env: Mapping[str, str] | None = None) -> int:
        """Show the logs on this process's own output (the caller is the `logs` command)."""
        argv = [*self._base(files, project), "logs", "--tail", str(lines)]
        if follow:
            argv.append("-f")
        argv += list(services)
        return subprocess.call(argv, env={**os.environ, **self._env(env)}, cwd=str(Path(files[0]).parent))

    def service_logs(self, files: Sequence[Path], project: str, service: str, lines: int = 30,
                     env: Mapping[str, str] | None = None) -> list[str]:
        argv = [*self._base(files, project), "logs", "--no-color", "--tail", str(lines), service]
        try:
            done = spawn.run(argv, merge_stderr=True, timeout=60, env={**os.environ, **self._env(env)},
                             cwd=str(Path(files[0]).parent))
        except subprocess.TimeoutExpired:
            return []
        return done.stdout.rstrip().splitlines()[-lines:]


class StackUnhealthy(EngineError):
    def __init__(self, service: ComposeService, message: str) -> None:
        super().__init__(message, "its last log lines are shown above")
        self.service = service
