"""Docker Swarm through the docker client: the node, stacks, one-off services, secrets, waiting for rollouts.

Version quirks live here, found by asking the client and the daemon (EngineInfo):
  - `docker stack deploy --detach` exists from client 26 on (older clients reject the flag, newer ones warn
    without it); shipyard waits for the rollout itself either way;
  - stack files need `version:` for clients before 25 and must not carry `name:` or depends_on conditions
    (the template is written for the oldest: 20.10);
  - `mode: replicated-job` needs daemon and client 23 or later, so the release is a one-off service.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

from ..errors import EngineError, UsageError
from . import cli
from .base import Engine

STACK_LABEL = "com.docker.stack.namespace"
OWNER_LABEL = "dev.shipyard.stack"        # secrets shipyard creates outside the stack file
IPVS_PROC = Path("/proc/net/ip_vs")
# what `docker stack rm` prints when a network outlives the tasks being stopped on it
_NETWORK_BUSY = re.compile(r"network \S+ is in use by task|Failed to remove network")


def _major(version: str) -> int:
    m = re.match(r"(\d+)", version or "")
    return int(m.group(1)) if m else 0


class RolloutFailed(EngineError):
    """The new version did not become healthy: Swarm rolled back (or paused) the update."""


class ReleaseFailed(EngineError):
    """The release one-off (migrations) failed: the stack keeps its running version."""

    def __init__(self, message: str, hint: str = "", *, tail: Sequence[str] = ()) -> None:
        super().__init__(message, hint)
        self.tail = tuple(tail)


@dataclass(frozen=True)
class EndpointChoice:
    mode: str          # "dnsrr" | "vip"
    reason: str


@dataclass
class ServiceState:
    name: str                      # full name: <stack>_<service>
    service: str                   # the stack file's key: app, nginx, db
    image: str                     # the spec's image (digest dropped)
    replicas: int                  # desired
    running: int                   # tasks running (healthy, when there is a health check) with the spec's image
    update: str = ""               # UpdateStatus.State: updating, completed, rollback_completed, ...
    update_message: str = ""
    ports: list[int] = field(default_factory=list)   # published on the node


def routing_mesh(engine_env: Mapping[str, str] | None = None) -> EndpointChoice:
    """Virtual IPs and the routing mesh need IPVS in the kernel of the node: without it, service VIPs
    silently drop connections. Look for it; use DNS round robin when it is missing or unknowable."""
    env = engine_env if engine_env is not None else os.environ
    host = env.get("DOCKER_HOST", "")
    if host and not host.startswith("unix://"):
        return EndpointChoice("dnsrr", f"the engine is remote ({host}): its kernel cannot be checked from here, "
                                       "and DNS round robin works with or without IPVS")
    if IPVS_PROC.exists():
        return EndpointChoice("vip", "this kernel has IPVS (/proc/net/ip_vs): Swarm's virtual IPs work")
    modprobe = shutil.which("modprobe") or next((p for p in ("/usr/sbin/modprobe", "/sbin/modprobe")
                                                 if os.access(p, os.X_OK)), None)
    if modprobe and subprocess.run([modprobe, "-n", "-q", "ip_vs"], capture_output=True,
                                   timeout=15).returncode == 0:
        return EndpointChoice("vip", "the ip_vs module can be loaded: Swarm's virtual IPs work")
    return EndpointChoice("dnsrr", "no IPVS in this kernel (/proc/net/ip_vs missing, ip_vs module not loadable): "
                                   "the routing mesh and virtual IPs do not work, so the app's replicas are "
                                   "found by DNS (tasks.app) and nginx publishes in host mode")


class Swarm:
    """One Docker engine in swarm mode, through its client."""

    def __init__(self, engine: Engine) -> None:
        if engine.info.name != "docker":
            raise UsageError(f"{engine.info.name} has no Swarm mode", "use --engine docker")
        self.engine = engine
        self.binary = engine.info.binary

    # ----- versions -------------------------------------------------------------------------
    @property
    def client_major(self) -> int:
        return _major(self.engine.info.client_version)

    @property
    def server_major(self) -> int:
        return _major(self.engine.info.server_version)

    @property
    def has_jobs(self) -> bool:
        return self.client_major >= 23 and self.server_major >= 23

    def _run(self, *args: str, timeout: float = 60, check: bool = True, what: str | None = None,
             stdin: str | None = None) -> subprocess.CompletedProcess:
        if stdin is None:
            return cli.run([self.binary, *args], timeout=timeout, check=check, what=what)
        try:
            done = subprocess.run([self.binary, *args], input=stdin, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            raise EngineError(f"{what or args[0]} did not finish within {timeout:.0f} s", "") from None
        if check and done.returncode != 0:
            raise EngineError(f"{what or args[0]} failed: {' | '.join(cli.tail(done.stderr, 3))}", "")
        return done

    def _json_lines(self, *args: str, what: str) -> list[dict]:
        out = self._run(*args, "--format", "{{json .}}", what=what).stdout
        return [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]

    # ----- the node ---------------------------------------------------------------------------
    def node_state(self) -> tuple[str, bool]:
        """(LocalNodeState: inactive|active|pending|error|locked, whether this node is a manager)."""
        out = self._run("info", "--format", "{{json .Swarm}}", what="docker info").stdout.strip()
        data = json.loads(out or "{}")
        return data.get("LocalNodeState", "inactive"), bool(data.get("ControlAvailable"))

    def ensure_manager(self, advertise_addr: str) -> str | None:
        """Make this engine a swarm manager: `docker swarm init` when it is in no swarm yet (returns what
        was done), nothing when it already manages one; an error on a worker node."""
        state, manager = self.node_state()
        if state == "active" and manager:
            return None
        if state == "active":
            raise UsageError("this engine is a swarm worker: stacks are deployed from a manager",
                             "run shipyard on a manager node (docker node ls lists them)")
        if state != "inactive":
            raise EngineError(f"the engine's swarm state is {state}", "check `docker info` and `docker swarm`")
        self._run("swarm", "init", "--advertise-addr", advertise_addr, what="docker swarm init", timeout=120)
        return f"initialized a swarm on this engine (advertise address {advertise_addr}; it stays active)"

    def node_hostname(self) -> str:
        return self._run("node", "inspect", "self", "--format", "{{.Description.Hostname}}",
                         what="docker node inspect").stdout.strip()

    # ----- secrets ----------------------------------------------------------------------------
    def existing_secrets(self, stack: str) -> list[str]:
        rows = self._json_lines("secret", "ls", "--filter", f"label={OWNER_LABEL}={stack}", what="docker secret ls")
        return [r["Name"] for r in rows]

    def ensure_secret(self, stack: str, name: str, value: str) -> bool:
        """Create the secret unless it exists (its name carries its content's hash); True when created."""
        if self._run("secret", "inspect", name, check=False).returncode == 0:
            return False
        self._run("secret", "create", "--label", f"{OWNER_LABEL}={stack}", name, "-", stdin=value,
                  what=f"docker secret create {name}")
        return True

    def prune_secrets(self, stack: str, keep: Sequence[str]) -> list[str]:
        """Remove shipyard's secrets of the stack that the deployed version no longer names (an earlier
        value); Docker refuses to remove one still in use, which is then kept."""
        removed = []
        for name in self.existing_secrets(stack):
            if name not in keep and self._run("secret", "rm", name, check=False).returncode == 0:
                removed.append(name)
        return removed

    # ----- stacks -----------------------------------------------------------------------------
    def deploy(self, stack_file: Path, stack: str, *, registry: bool) -> list[str]:
        argv = ["stack", "deploy", "--compose-file", str(stack_file),
                "--resolve-image", "always" if registry else "never"]
        if self.client_major >= 26:
            argv.append("--detach=true")     # shipyard waits for the rollout itself
        if registry:
            argv.append("--with-registry-auth")
        done = self._run(*argv, stack, timeout=300, what="docker stack deploy")
        return cli.tail(done.stdout + "\n" + done.stderr, 40)

    def services(self, stack: str) -> list[ServiceState]:
        ids = [r["ID"] for r in self._json_lines("service", "ls", "--filter", f"label={STACK_LABEL}={stack}",
                                                 what="docker service ls")]
        if not ids:
            return []
        specs = json.loads(self._run("service", "inspect", *ids, what="docker service inspect").stdout)
        out = []
        for data in specs:
            spec = data["Spec"]
            name = spec["Name"]
            image = spec["TaskTemplate"]["ContainerSpec"]["Image"].split("@")[0]
            replicated = (spec.get("Mode") or {}).get("Replicated")
            desired = int(replicated.get("Replicas", 0)) if replicated else 0
            status = data.get("UpdateStatus") or {}
            ports = [int(p["PublishedPort"]) for p in (data.get("Endpoint") or {}).get("Ports") or ()
                     if p.get("PublishedPort")]
            ports += [int(p["PublishedPort"]) for p in ((spec.get("EndpointSpec") or {}).get("Ports") or ())
                      if p.get("PublishedPort") and int(p["PublishedPort"]) not in ports]
            out.append(ServiceState(name=name, service=name[len(stack) + 1:], image=image, replicas=desired,
                                    running=self._running(name, image), update=status.get("State", ""),
                                    update_message=status.get("Message", ""), ports=sorted(ports)))
        return sorted(out, key=lambda s: s.service)

    def _running(self, service: str, image: str) -> int:
        rows = self._json_lines("service", "ps", "--no-trunc", "--filter", "desired-state=running", service,
                                what="docker service ps")
        return sum(1 for r in rows if r.get("CurrentState", "").startswith("Running")
                   and r.get("Image", "").split("@")[0] == image)

    def wait_converged(self, stack: str, wanted: Mapping[str, str], *, timeout: float,
                       on_change: Callable[[str], None] | None = None) -> list[ServiceState]:
        """Wait until each service in `wanted` (stack key -> the image deployed) runs all its replicas with
        that image, healthy. RolloutFailed when Swarm rolled the update back or paused it."""
        deadline = time.monotonic() + timeout
        last, why = "", ""
        while True:
            states = self.services(stack)
            by_key = {s.service: s for s in states}
            for key, image in wanted.items():
                s = by_key.get(key)
                if s is None:
                    continue
                if s.update in ("rollback_started", "paused") and s.update_message and not why:
                    why = s.update_message     # why Swarm rolls back; "rollback completed" says no more
                if s.update in ("rollback_completed", "rollback_paused", "paused") or \
                        (s.image != image.split("@")[0] and s.update.startswith("rollback")):
                    if s.update == "rollback_started":
                        continue          # wait for the old version to be back
                    raise RolloutFailed(f"the update of {s.name} failed and Swarm {s.update.replace('_', ' ')}: "
                                        f"{why or s.update_message or 'a new replica did not become healthy'}",
                                        f"the previous version keeps serving; see: shipyard swarm logs --stack "
                                        f"{stack}")
            pending = [f"{k} {by_key[k].running}/{by_key[k].replicas}" if k in by_key else f"{k} (not created)"
                       for k, image in wanted.items()
                       if k not in by_key or by_key[k].image != image.split("@")[0]
                       or by_key[k].running != by_key[k].replicas or by_key[k].update in ("updating",
                                                                                           "rollback_started")]
            line = ", ".join(pending)
            if on_change is not None and line and line != last:
                on_change(f"waiting: {line}")
            last = line
            if not pending:
                return states
            if time.monotonic() > deadline:
                raise RolloutFailed(f"the stack did not converge within {timeout:.0f} s ({line})",
                                    f"see: docker stack ps {stack} --no-trunc")
            time.sleep(1)

    def scale(self, service: str, replicas: int) -> None:
        self._run("service", "scale", "--detach", f"{service}={replicas}", what="docker service scale")

    def remove(self, stack: str, *, volumes: bool, timeout: float = 180) -> list[str]:
        """`docker stack rm`, then wait until its services, containers, networks, configs and secrets are
        gone; shipyard's own secrets too; volumes only when asked. Returns what was removed."""
        removed: list[str] = []
        if self._json_lines("service", "ls", "--filter", f"label={STACK_LABEL}={stack}", what="docker service ls") \
                or self._json_lines("network", "ls", "--filter", f"label={STACK_LABEL}={stack}",
                                    what="docker network ls"):
            first = self._run("stack", "rm", stack, timeout=120, check=False)
            if first.returncode != 0 and not _NETWORK_BUSY.search(first.stderr):
                raise EngineError(f"docker stack rm failed: {' | '.join(cli.tail(first.stderr, 3))}", "")
            removed.append(f"stack {stack}")
        deadline = time.monotonic() + timeout
        while left := self.leftovers(stack, volumes=False):
            if time.monotonic() > deadline:
                raise EngineError(f"stack {stack} still has {', '.join(left)} after {timeout:.0f} s",
                                  f"check: docker stack ps {stack}")
            # `stack rm` returns while Swarm still stops the services' tasks, and refuses a network one
            # of them still uses ("in use by task"); once only networks are left, remove them again.
            if all(item.startswith("network ") for item in left):
                self._run("stack", "rm", stack, timeout=120, check=False)
            time.sleep(1)
        for name in self.existing_secrets(stack):
            self._run("secret", "rm", name, what="docker secret rm")
            removed.append(f"secret {name}")
        if volumes:
            for name in self._volumes(stack):
                self._run("volume", "rm", name, what="docker volume rm")
                removed.append(f"volume {name}")
        return removed

    def _volumes(self, stack: str) -> list[str]:
        return [r["Name"] for r in self._json_lines("volume", "ls", "--filter", f"label={STACK_LABEL}={stack}",
                                                    what="docker volume ls")]

    def leftovers(self, stack: str, *, volumes: bool) -> list[str]:
        """What of the stack still exists on this node (kind and name)."""
        found = []
        for kind in ("service", "network", "config", "secret"):
            for r in self._json_lines(kind, "ls", "--filter", f"label={STACK_LABEL}={stack}",
                                      what=f"docker {kind} ls"):
                found.append(f"{kind} {r.get('Name')}")
        for r in self._json_lines("ps", "-a", "--filter", f"label={STACK_LABEL}={stack}", what="docker ps"):
            found.append(f"container {r.get('Names')}")
        if volumes:
            found += [f"volume {v}" for v in self._volumes(stack)]
            found += [f"secret {s}" for s in self.existing_secrets(stack)]
        return found

    # ----- one-off services (the release) ------------------------------------------------------
    def run_once(self, stack: str, name: str, image: str, argv: Sequence[str], *, workdir: str,
                 network: str | None, secrets: Sequence[tuple[str, str]], env: Mapping[str, str],
                 uid: int, timeout: float, registry: bool) -> list[str]:
        """Run argv once as a service with no restarts; its log lines. ReleaseFailed when it fails."""
        full = f"{stack}_{name}"
        if self._run("service", "inspect", full, check=False).returncode == 0:
            self._run("service", "rm", full, what="removing an earlier one-off")
        create = ["service", "create", "--detach", "--name", full, "--restart-condition", "none",
                  "--no-healthcheck", "--label", f"{STACK_LABEL}={stack}", "--label", "dev.shipyard.role=release",
                  "--container-label", f"{STACK_LABEL}={stack}", "--workdir", workdir, "--with-registry-auth"
                  if registry else "--no-resolve-image"]
        if network:
            create += ["--network", network]
        for source, target in secrets:
            create += ["--secret", f"source={source},target={target},uid={uid},gid={uid},mode=0400"]
        for key, value in sorted(env.items()):
            create += ["--env", f"{key}={value}"]
        self._run(*create, image, *argv, what="docker service create (release)", timeout=120)
        deadline = time.monotonic() + timeout
        state, error = "", ""
        try:
            while time.monotonic() < deadline:
                rows = self._json_lines("service", "ps", "--no-trunc", full, what="docker service ps")
                if rows:
                    state = rows[0].get("CurrentState", "").split(" ")[0]
                    error = rows[0].get("Error", "")
                    if state in ("Complete", "Failed", "Rejected", "Shutdown", "Orphaned"):
                        break
                time.sleep(1)
            else:
                state = "timeout"
            logs = self._run("service", "logs", "--raw", "--no-trunc", full, check=False, timeout=60)
            lines = cli.tail(logs.stdout + "\n" + logs.stderr, 30)
        finally:
            self._run("service", "rm", full, check=False)
        if state != "Complete":
            why = f"did not finish within {timeout:.0f} s" if state == "timeout" else (error or state.lower())
            raise ReleaseFailed(f"the release ({' '.join(argv[-3:])}) failed: {why}",
                                "the stack keeps serving its previous version; its last lines are shown above",
                                tail=lines)
        return lines

    # ----- images -----------------------------------------------------------------------------
    def tag(self, source: str, target: str) -> None:
        self._run("tag", source, target, what="docker tag")

    def push(self, image: str, timeout: float = 900) -> None:
        self._run("push", image, timeout=timeout, what=f"docker push {image}")

    def logs(self, service: str, *, lines: int, follow: bool) -> int:
        argv = [self.binary, "service", "logs", "--tail", str(lines)]
        if follow:
            argv.append("--follow")
        return subprocess.call([*argv, service])
