"""Docker through its command-line client. BuildKit when the client can use it, the legacy builder otherwise."""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from .. import spawn
from ..errors import EngineError
from . import cli
from .base import BuildFailed, BuildResult, ContainerState, EngineInfo, ImageInfo, Process, ProgressCallback

NOT_RUNNING_HINT = "start the Docker daemon (for example: sudo systemctl start docker) and try again"

# Progress lines of the two builders: the step being run, and reuse of a cached step.
LEGACY_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)$")
LEGACY_CACHED = re.compile(r"^ ---> Using cache$")
BUILDKIT_STEP = re.compile(r"^#(\d+) \[([^\]]+)\] (.*)$")
BUILDKIT_CACHED = re.compile(r"^#(\d+) CACHED$")
BUILDKIT_ERROR = re.compile(r"^#(\d+) ERROR: (.*)$")


def _major(version: str) -> int:
    m = re.match(r"(\d+)", version)
    return int(m.group(1)) if m else 0


class DockerEngine:
    """One Docker client binary talking to a running daemon."""

    name = "docker"
    not_running_hint = NOT_RUNNING_HINT

    def __init__(self, info: EngineInfo) -> None:
        self.info = info
        self.binary = info.binary

    # ----- discovery -------------------------------------------------------------------------
    @classmethod
    def probe(cls, binary: str) -> EngineInfo:
        """Ask the client and its daemon for their versions and pick the builder; EngineError when down."""
        done = cli.run([binary, "version", "--format", "{{json .}}"], timeout=30, check=False)
        try:
            data = json.loads(done.stdout.strip().splitlines()[0]) if done.stdout.strip() else {}
        except (json.JSONDecodeError, IndexError):
            data = {}
        client = (data.get("Client") or {}).get("Version", "")
        server = (data.get("Server") or {}).get("Version") or ""
        if not server:
            for comp in (data.get("Server") or {}).get("Components") or ():
                if comp.get("Name") == "Engine":
                    server = comp.get("Version", "")
        if done.returncode != 0 or not server:
            why = " ".join(cli.tail(done.stderr, 2)) or "no answer from the daemon"
            raise EngineError(f"the {cls.name} engine is not running ({why})", cls.not_running_hint)
        return EngineInfo(cls.name, binary, client, server, cls._builder(binary, client))

    @staticmethod
    def _builder(binary: str, client_version: str) -> str:
        # Clients from 23.0 on need the buildx plugin for BuildKit; older ones carry it built in.
        if cli.run([binary, "buildx", "version"], timeout=15, check=False).returncode == 0:
            return "buildkit"
        return "buildkit" if 18 <= _major(client_version) < 23 else "legacy"

    # ----- build -------------------------------------------------------------------------------
    def _build_env(self) -> dict[str, str]:
        return {"DOCKER_BUILDKIT": "1" if self.info.builder == "buildkit" else "0"}

    def build_argv(self, context: Path, dockerfile: Path, tag: str, build_args: Mapping[str, str],
                   target: str | None, network: str | None, no_cache: bool = False) -> list[str]:
        argv = [self.binary, "build", "-f", str(dockerfile), "-t", tag]
        if no_cache:
            argv.append("--no-cache")
        for key, value in sorted(build_args.items()):
            argv += ["--build-arg", f"{key}={value}"]
        if target:
            argv += ["--target", target]
        if network:
            argv += ["--network", network]
        argv += self._builder_flags()
        argv.append(str(context))
        return argv

    def _builder_flags(self) -> list[str]:
        if self.info.builder == "buildkit":
            return ["--progress=plain"]
        return ["--force-rm"]   # no intermediate containers left behind when a step fails

    def build(self, context: Path, dockerfile: Path, tag: str, build_args: Mapping[str, str], *,
              target: str | None = None, progress: ProgressCallback | None = None,
              network: str | None = None, timeout: float = 1800, no_cache: bool = False) -> BuildResult:
        if self.info.builder == "legacy" and "--mount=" in Path(dockerfile).read_text(errors="replace"):
            raise EngineError(f"{dockerfile.name} uses RUN --mount, which needs BuildKit, and this "
                              f"{self.name} client has only the legacy builder",
                              "install the docker buildx plugin (or use a client older than 23.0)")
        tracker = _StepTracker()

        def on_line(line: str) -> None:
            tracker.feed(line)
            if progress is not None:
                progress(line)

        started = time.monotonic()
        code, lines, timed_out = cli.stream(self.build_argv(context, dockerfile, tag, build_args, target, network,
                                                            no_cache),
                                            timeout=timeout, on_line=on_line, env=self._build_env())
        seconds = time.monotonic() - started
        if timed_out:
            raise BuildFailed(f"the build of {tag} did not finish within {timeout:.0f} s", "",
                              step=tracker.failed_step(), tail=cli.tail("\n".join(lines)))
        if code != 0:
            step = tracker.failed_step()
            clean = [c for c in (_clean(line) for line in lines) if c is not None]
            base = unpulled_base(clean)
            if base is not None:
                raise BuildFailed(f"the build of {tag} could not get its base image {base[0]}: {base[1]}",
                                  "the engine cannot fetch it from here: pull it where a registry is reachable "
                                  f"({self.name} pull {base[0]}), or build Shipyard's Dockerfile on an image you have "
                                  "(shipyard build --fresh --base IMAGE)",
                                  step=step or f"FROM {base[0]}", tail=cli.tail("\n".join(clean), 12),
                                  output="\n".join(clean))
            reason = _reason(clean)
            raise BuildFailed(f"the build of {tag} failed at step `{step or 'unknown'}`"
                              + (f": {reason}" if reason else ""),
                              "the engine's last lines are shown above", step=step, tail=cli.tail("\n".join(clean), 12),
                              output="\n".join(clean))
        info = self.image(tag)
        return BuildResult(tag=tag, image_id=info.id, seconds=seconds, size=info.size, layers=info.layers,
                           builder=self.info.builder, cached_steps=tracker.cached, total_steps=tracker.total)

    # ----- containers ---------------------------------------------------------------------------
    def run(self, image: str, *, ports: Sequence[int] = (), env: Mapping[str, str] | None = None,
            name: str | None = None, labels: Mapping[str, str] | None = None,
            health_interval: float | None = None, network: str | None = None) -> str:
        argv = [self.binary, "run", "-d"]
        if network:
            argv += ["--network", network]
        if health_interval:
            # Keeps the image's own health test, checked more often (a verify run must not wait 30 s).
            argv += ["--health-interval", f"{health_interval:g}s"]
        if name:
            argv += ["--name", name]
        for port in ports:
            argv += ["-p", f"127.0.0.1::{port}"]   # a random free port, on the loopback address only
        for key, value in (env or {}).items():
            argv += ["-e", f"{key}={value}"]
        for key, value in (labels or {}).items():
            argv += ["--label", f"{key}={value}"]
        argv.append(image)
        done = cli.run(argv, timeout=120, what=f"starting a container from {image}")
        return done.stdout.strip().splitlines()[-1]

    def published_port(self, container: str, port: int) -> int:
        done = cli.run([self.binary, "port", container, f"{port}/tcp"], timeout=30,
                       what=f"reading the published port {port}")
        for line in done.stdout.split():
            m = re.search(r":(\d+)$", line)
            if m:
                return int(m.group(1))
        raise EngineError(f"port {port} of the container is not published", "")

    def _inspect(self, obj: str, kind: str | None = None) -> dict[str, Any]:
        argv = [self.binary] + ([kind, "inspect"] if kind else ["inspect"]) + [obj]
        done = cli.run(argv, timeout=30, check=False)
        if done.returncode != 0:
            raise EngineError(f"{obj} not found in the {self.name} engine",
                              "check the name with `docker images` / `docker ps -a`")
        data = json.loads(done.stdout)
        return data[0] if isinstance(data, list) else data

    def state(self, container: str) -> ContainerState:
        s = self._inspect(container, "container")["State"]
        health = s.get("Health") or s.get("Healthcheck") or None
        return ContainerState(status=s.get("Status", ""), running=bool(s.get("Running")),
                              exit_code=int(s.get("ExitCode") or 0),
                              health=health.get("Status") if health else None,
                              oom_killed=bool(s.get("OOMKilled")))

    def signal(self, container: str, signal: str) -> None:
        cli.run([self.binary, "kill", "--signal", signal, container], timeout=30,
                what=f"sending {signal} to the container")

    def wait(self, container: str, timeout: float) -> int | None:
        """The container's exit code, or None when it still runs after `timeout` seconds."""
        try:
            done = spawn.run([self.binary, "wait", container], timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        out = done.stdout.strip().splitlines()
        return int(out[-1]) if done.returncode == 0 and out and out[-1].strip().lstrip("-").isdigit() else None

    def remove(self, container: str) -> None:
        cli.run([self.binary, "rm", "-f", "-v", container], timeout=60, check=False)

    def logs(self, container: str, lines: int = 40) -> list[str]:
        try:
            done = spawn.run([self.binary, "logs", "--tail", str(lines), container], merge_stderr=True,
                             timeout=30)
        except subprocess.TimeoutExpired:
            return ["(the engine did not return the logs within 30 s)"]
        return done.stdout.rstrip().splitlines()[-lines:]

    def processes(self, container: str) -> list[Process]:
        done = cli.run([self.binary, "top", container, "-o", "uid,pid,args"], timeout=30,
                       what="listing the container's processes")
        rows = done.stdout.strip().splitlines()[1:]
        out = []
        for row in rows:
            parts = row.split(None, 2)
            if len(parts) >= 2:
                out.append(Process(uid=parts[0], pid=parts[1], command=parts[2] if len(parts) > 2 else ""))
        return out

    def exec(self, container: str, argv: Sequence[str], timeout: float = 30) -> tuple[int, str]:
        done = cli.run([self.binary, "exec", container, *argv], timeout=timeout, check=False)
        return done.returncode, done.stdout + done.stderr

    def export_paths(self, container: str, timeout: float = 300) -> list[str]:
        """Every path in the container's file system (read from `export`, so no shell is needed inside)."""
        return self.export_files(container, lambda path, size: False, timeout)[0]

    def export_files(self, container: str, want: Callable[[str, int], bool],
                     timeout: float = 300) -> tuple[list[str], dict[str, bytes]]:
        """Every path in the container's file system, and the contents of the regular files `want(path,
        size)` picks, in one pass over `export`."""
        proc = spawn.start([self.binary, "export", container], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        names: list[str] = []
        contents: dict[str, bytes] = {}
        deadline = time.monotonic() + timeout
        try:
            assert proc.stdout is not None
            with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
                for member in tar:
                    names.append(member.name)
                    path = member.name[2:] if member.name.startswith("./") else member.name.lstrip("/")
                    if member.isreg() and want(path, member.size):
                        extracted = tar.extractfile(member)
                        if extracted is not None:
                            contents[path] = extracted.read()
                    if time.monotonic() > deadline:
                        raise EngineError(f"exporting the container took over {timeout:.0f} s", "")
        except tarfile.TarError as exc:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise EngineError(f"could not read the container's files: {exc} {err.strip()}", "") from None
        finally:
            spawn.kill_group(proc)
        return names, contents

    def history(self, image: str) -> list[str]:
        """The command that created each layer of `image`, untruncated (build arguments a RUN used show
        here as `|N NAME=value ...`)."""
        done = cli.run([self.binary, "history", "--no-trunc", "--format", "{{.CreatedBy}}", image], timeout=60,
                       what=f"reading the history of {image}")
        return done.stdout.splitlines()

    # ----- images --------------------------------------------------------------------------------
    def image(self, image: str) -> ImageInfo:
        data = self._inspect(image, "image")
        config = data.get("Config") or {}
        env = dict(item.split("=", 1) for item in (config.get("Env") or []) if "=" in item)
        ports = sorted(int(p.split("/")[0]) for p in (config.get("ExposedPorts") or {}))
        health = config.get("Healthcheck") or {}
        test = tuple(health.get("Test") or ())
        return ImageInfo(id=data.get("Id", ""), size=int(data.get("Size") or 0),
                         layers=len((data.get("RootFS") or {}).get("Layers") or ()),
                         user=config.get("User") or "", env=env, exposed_ports=tuple(ports),
                         healthcheck=() if test[:1] == ("NONE",) else test,
                         stop_signal=config.get("StopSignal") or "SIGTERM", labels=dict(config.get("Labels") or {}))

    def python_version(self, image: str) -> str | None:
        """The Python (X.Y) of an image on this machine: the official images' PYTHON_VERSION, else what its
        python3 says; None when the image is not here (nothing is pulled) or has no python3."""
        if not self.image_exists(image):
            return None
        info = self.image(image)
        version = info.env.get("PYTHON_VERSION", "")
        if not version:
            # asked of the image once (a container start), then kept by its id
            from .. import cachefile
            from ..environments import cache_root
            known_file = cache_root() / "base-pythons.json"
            known = cachefile.read(known_file) or {}
            version = known.get(info.id, "") if isinstance(known, dict) else ""
            if not version:
                done = cli.run([self.binary, "run", "--rm", "--network", "none", "--entrypoint", "python3", image,
                                "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], timeout=60, check=False)
                version = done.stdout.strip() if done.returncode == 0 else ""
                if version and info.id:
                    cachefile.write(known_file, {**(known if isinstance(known, dict) else {}), info.id: version})
        match = re.match(r"(\d+\.\d+)", version)
        return match.group(1) if match else None

    def image_exists(self, image: str) -> bool:
        return cli.run([self.binary, "image", "inspect", image], timeout=30, check=False).returncode == 0

    def remove_image(self, image: str) -> None:
        cli.run([self.binary, "rmi", "-f", image], timeout=60, check=False)


ANSI = re.compile(r"\x1b\[[0-9;]*m")
BUILDKIT_PREFIX = re.compile(r"^#\d+ \d+\.\d+ ")
NOISE = re.compile(r"^(#\d+ sha256:|-{6}$|#\d+ (DONE|CACHED)|Removing intermediate container| ---> )")
# Lines that say why a step failed, best first: a compiler error, a setup script's "Error:", pip's "ERROR:".
REASONS = (re.compile(r"(fatal error:|: error:)"), re.compile(r"^\s*Error: "), re.compile(r"^\s*ERROR: "),
           re.compile(r"^\s*error: (?!subprocess-exited-with-error)"))


def _clean(line: str) -> str | None:
    line = ANSI.sub("", line).rstrip()
    if not line.strip() or NOISE.match(line):
        return None
    return BUILDKIT_PREFIX.sub("", line)


# BuildKit: "#3 [internal] load metadata for docker.io/library/python:3.11.4-slim-buster", then "#3 ERROR: ...";
# the legacy builder: "Step 1/9 : FROM python:3.11" then the daemon's error
_METADATA = re.compile(r"^#(\d+) \[internal\] load metadata for (\S+)")
# the engine's words for a FROM image it could not fetch, the most telling first
_PULL_ERRORS = ("no such host", "pull access denied", "manifest unknown", "repository does not exist", "i/o timeout",
                "connection refused", "failed to resolve source metadata", "failed to do request")


def _pull_error(text: str) -> str | None:
    low = text.lower()
    return next((words for words in _PULL_ERRORS if words in low), None)


def unpulled_base(lines: list[str]) -> tuple[str, str] | None:
    """(the base image, the engine's reason) when the build stopped fetching a FROM image; None otherwise."""
    metadata = {m.group(1): m.group(2) for line in lines if (m := _METADATA.match(line.strip()))}
    for line in lines:
        m = re.match(r"^#(\d+) ERROR: (.*)$", line.strip())
        if m and m.group(1) in metadata and (why := _pull_error(m.group(2))):
            return re.sub(r"^docker\.io/library/", "", metadata[m.group(1)]), why
    for i, line in enumerate(lines):
        m = re.match(r"^Step \d+/\d+ : FROM (\S+)", line.strip())
        if m:
            after = " ".join(lines[i + 1:i + 4])
            if (why := _pull_error(after)) and not re.search(r"^ ---> ", after):
                return m.group(1), why
    return None


def _reason(lines: list[str]) -> str:
    """The engine's own line that best says why the failing step failed ("" when none stands out)."""
    body = [line for line in lines if not re.match(r"^(#\d+ ERROR:|executor failed|The command |failed to solve|"
                                                  r"ERROR: failed to solve| > \[|Step \d+/)", line)]
    for pattern in REASONS:
        hits = [line.strip() for line in body if pattern.search(line)]
        if hits:
            return (hits[0] if pattern is REASONS[0] or pattern is REASONS[1] else hits[-1])[:200]
    return ""


class _StepTracker:
    """Follows the build output: which step runs (to name it when it fails) and how many came from cache."""

    def __init__(self) -> None:
        self.current = ""
        self.steps: dict[str, str] = {}      # BuildKit: "#8" -> "[builder 4/6] RUN ..."
        self.error_id: str | None = None
        self.cached = 0
        self.total = 0
        self._seen: set[str] = set()

    def feed(self, line: str) -> None:
        m = LEGACY_STEP.match(line)
        if m:
            self.current = m.group(3)
            self.total += 1
            return
        if LEGACY_CACHED.match(line):
            self.cached += 1
            return
        m = BUILDKIT_STEP.match(line)
        if m and not m.group(2).startswith("internal"):
            key = m.group(1)
            self.steps.setdefault(key, f"[{m.group(2)}] {m.group(3)}")
            self.current = self.steps[key]
            if key not in self._seen and re.search(r"\d+/\d+", m.group(2)):
                self._seen.add(key)
                self.total += 1
            return
        m = BUILDKIT_CACHED.match(line)
        if m and m.group(1) in self._seen:
            self.cached += 1
            return
        m = BUILDKIT_ERROR.match(line)
        if m and self.error_id is None:
            self.error_id = m.group(1)

    def failed_step(self) -> str:
        if self.error_id and self.error_id in self.steps:
            return self.steps[self.error_id]
        return self.current
