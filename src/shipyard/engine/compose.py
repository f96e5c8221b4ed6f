"""Compose through its command-line program: v2 (`docker compose`), v1 (`docker-compose`) or `podman compose`."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Mapping, Sequence

import yaml

from .. import spawn
from ..project import compose_project_name as project_name  # noqa: F401 - re-exported
from ..errors import EngineError
from . import cli
from .base import BuildFailed, ComposeService, Engine, ProgressCallback

COMPOSE_HINT = ("install Docker Compose (the `docker compose` plugin, or `docker-compose`), "
                "or podman-compose for Podman")


class CliCompose:
    def __init__(self, command: Sequence[str], engine: Engine, version: str) -> None:
        self.command = tuple(command)
        self.engine = engine
        self.version = version

    @classmethod
    def find(cls, engine: Engine, *, path: str | None = None, command: str | None = None) -> "CliCompose":
        """Compose v2 first (the `compose` plugin, then a v2 `docker-compose`), then podman's, then v1
        (end-of-life since 2023). `command` (or SHIPYARD_COMPOSE) picks one, e.g. `docker-compose`."""
        binary = engine.info.binary
        chosen = command or os.environ.get("SHIPYARD_COMPOSE")
        if chosen:
            candidates = [chosen.split()]
        elif engine.info.name == "docker":
            candidates = [[binary, "compose"], *([exe] for exe in cli.all_on_path("docker-compose", path))]
        else:
            candidates = [[binary, "compose"], *([exe] for exe in cli.all_on_path("podman-compose", path))]
        found: list[CliCompose] = []
        for argv in candidates:
            exe = argv[0] if os.path.isabs(argv[0]) else shutil.which(argv[0], path=path)
            if not exe:
                continue
            argv = [exe, *argv[1:]]
            done = cli.run([*argv, "version"], timeout=30, check=False)
            if done.returncode == 0 and done.stdout.strip():
                found.append(cls(argv, engine, done.stdout.strip().splitlines()[0]))
        usable = sorted(found, key=lambda c: c.is_v1)          # stable: v2 before v1, in PATH order
        if usable:
            return usable[0]
        if chosen:
            raise EngineError(f"{chosen!r} (SHIPYARD_COMPOSE or --compose) does not answer `version`",
                              COMPOSE_HINT)
        raise EngineError(f"no Compose found for {engine.info.name}", COMPOSE_HINT)

    @property
    def is_v1(self) -> bool:
        """docker-compose 1.x, the Python implementation (it says `docker-compose version 1.29.2`)."""
        match = re.search(r"version v?(\d+)\.", self.version)
        return Path(self.command[0]).name == "docker-compose" and bool(match) and match.group(1) == "1"

    @property
    def is_podman_compose(self) -> bool:
        return Path(self.command[0]).name == "podman-compose"

    @property
    def note(self) -> str | None:
        if self.is_v1:
            return ("Compose v1 reached end of life in 2023: Shipyard runs it on a copy of the files without the "
                    "v2-only keys (name:, develop:); install Compose v2 (the docker compose plugin)")
        return None

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
        if self.is_v1:
            # v1 rejects the Compose specification's newer keys: it reads a copy without them, with paths
            # still relative to the app's folder
            argv += ["--project-directory", str(Path(files[0]).parent)]
            files = v1_copies(files, project)
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
        if self.is_podman_compose and not services and not self.engine_waits_for_health:
            self._staged_up(files, project, build=build, env=env, progress=progress, timeout=timeout)
            return
        argv = [*self._base(files, project), "up", "-d"]
        if not services:
            argv.append("--remove-orphans")
        if build:
            argv.append("--build")
        argv += list(services)
        self._stream(argv, "compose up", env, progress, timeout, str(Path(files[0]).parent))

    @property
    def engine_waits_for_health(self) -> bool:
        """podman-compose enforces `condition: service_healthy` only from Podman 4.6 (`podman wait
        --condition=healthy`); before, it starts dependents at once and links them with --requires."""
        if self.engine.info.name != "podman":
            return True
        match = re.match(r"(\d+)\.(\d+)", self.engine.info.server_version or "")
        return not match or (int(match.group(1)), int(match.group(2))) >= (4, 6)

    def _staged_up(self, files: Sequence[Path], project: str, *, build: bool, env, progress,
                   timeout: float) -> None:
        """Start the services one dependency level at a time, waiting for each `depends_on` condition
        here (health checks run by the engine's state(), one-offs that exit 0) before starting the next."""
        cwd = str(Path(files[0]).parent)
        if build:
            self._stream([*self._base(files, project), "build"], "compose build", env, progress, timeout, cwd)
        order = start_order(yaml.safe_load(self.config(files, project, env)) or {})
        deadline = time.monotonic() + timeout
        for service, needs in order:
            for dependency, condition in needs.items():
                self._wait_condition(files, project, dependency, condition, env, deadline)
            self._stream([*self._base(files, project), "up", "-d", "--no-deps", "--no-build", service],
                         f"compose up {service}", env, progress, max(1.0, deadline - time.monotonic()), cwd)

    def _wait_condition(self, files, project, service: str, condition: str, env, deadline: float) -> None:
        while True:
            current = [self._refreshed(s) for s in self.services(files, project, env) if s.service == service]
            if current:
                s = current[0]
                if condition == "service_completed_successfully" and s.state in ("exited", "dead"):
                    if s.exit_code == 0:
                        return
                    raise StackUnhealthy(s, f"service {service} exited with code {s.exit_code}")
                if condition == "service_healthy" and s.health == "healthy":
                    return
                if condition == "service_healthy" and s.health == "unhealthy":
                    raise StackUnhealthy(s, f"service {service} is unhealthy")
                if condition == "service_started" and s.state in ("running", "exited"):
                    return
            if time.monotonic() > deadline:
                if current:
                    raise StackUnhealthy(current[0], f"service {service} is still {current[0].health or current[0].state}")
                raise EngineError(f"service {service} did not start", "")
            time.sleep(1)

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
        # Compose v2 lists only running containers unless -a; v1 and podman-compose list all (and refuse -a)
        listing = ["ps", "-q"] if self.is_v1 or self.is_podman_compose else ["ps", "-a", "-q"]
        done = cli.run([*self._base(files, project), *listing], timeout=60, env=self._env(env),
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
            services = [self._refreshed(s) for s in self.services(files, project, env)]
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

    def _refreshed(self, service: ComposeService) -> ComposeService:
        """The service with its health as the engine sees it now (Podman runs a pending check here: it
        has no scheduler for them without systemd)."""
        if service.state != "running" or service.health != "starting":
            return service
        state = self.engine.state(service.container)
        return dataclasses.replace(service, health=state.health) if state.health != service.health else service

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


def start_order(config: Mapping) -> list[tuple[str, dict[str, str]]]:
    """Services in an order that starts every dependency first, each with {dependency: condition}
    (the short `depends_on: [db]` form means service_started)."""
    services = config.get("services") or {}
    needs: dict[str, dict[str, str]] = {}
    for name, spec in services.items():
        deps = (spec or {}).get("depends_on") or {}
        if isinstance(deps, list):
            deps = {d: {"condition": "service_started"} for d in deps}
        needs[name] = {d: (c or {}).get("condition", "service_started") for d, c in deps.items()}
    order: list[tuple[str, dict[str, str]]] = []
    placed: set[str] = set()
    while len(placed) < len(needs):
        ready = sorted(n for n in needs if n not in placed and set(needs[n]) <= placed)
        if not ready:
            raise EngineError("the compose file's depends_on has a cycle: "
                              + ", ".join(sorted(set(needs) - placed)), "")
        for name in ready:
            order.append((name, needs[name]))
            placed.add(name)
    return order


# Top-level and service keys of the Compose specification that Compose v1 refuses.
V1_UNKNOWN_TOP = ("name",)
V1_UNKNOWN_SERVICE = ("develop",)


def v1_compatible(text: str) -> str:
    """The compose file without the keys v1 refuses (top-level `name:`, a service's `develop:` block).
    Line-based, on block-style YAML as `shipyard init` writes it: a key's block ends at the next line
    indented no deeper than the key."""
    out: list[str] = []
    skip_deeper_than: int | None = None
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if skip_deeper_than is not None:
            if not stripped or stripped.startswith("#") or indent > skip_deeper_than:
                continue
            skip_deeper_than = None
        key = stripped.split(":", 1)[0] if ":" in stripped and not stripped.startswith(("#", "-")) else None
        if (indent == 0 and key in V1_UNKNOWN_TOP) or (indent == 4 and key in V1_UNKNOWN_SERVICE):
            skip_deeper_than = indent
            continue
        out.append(line)
    return "".join(out)


def v1_copies(files: Sequence[Path], project: str) -> list[Path]:
    """v1-compatible copies of the compose files, in a folder of their own per project (never in the
    app's folder); rewritten on every call so they follow the originals."""
    folder = Path(tempfile.gettempdir()) / "shipyard-compose-v1" / project
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for index, f in enumerate(files):
        copy = folder / f"{index}-{Path(f).name}"
        copy.write_text(v1_compatible(Path(f).read_text(encoding="utf-8")), encoding="utf-8")
        copies.append(copy)
    return copies


class StackUnhealthy(EngineError):
    def __init__(self, service: ComposeService, message: str) -> None:
        super().__init__(message, "its last log lines are shown above")
        self.service = service
