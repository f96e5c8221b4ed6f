"""Everything lint read from one folder, assembled: the files by kind, the processes they start (in which
container, as PID 1 or not, under which stop signal), where each server listens, and the app's plan."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import PurePosixPath

from ..plan import Plan
from ..project import Project
from .readers import command as command_reader
from .readers import compose as compose_reader
from .readers import dockerfile as dockerfile_reader
from .readers import gunicorn as gunicorn_reader
from .readers import ini as ini_reader
from .readers import nginx as nginx_reader
from .readers import procfile as procfile_reader
from .readers import python as python_reader
from .readers import shell as shell_reader
from .readers.command import Command

# Images that are not the app (a compose service using one of these does not run the project's Dockerfile)
_OFFICIAL = re.compile(r"^(docker\.io/)?(library/)?(nginx|postgres|postgis/postgis|mysql|mariadb|redis|valkey|"
                       r"mongo|memcached|rabbitmq|traefik|caddy|haproxy|httpd|elasticsearch|minio|adminer|"
                       r"bitnami/\S+|celery|busybox|alpine|python|node)([:@].*)?$")
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_ANY = {"", "0.0.0.0", "::", "[::]", "*"}


@dataclass
class Listener:
    address: str                    # "unix:/run/app.sock" or "host:port" (port may be "?" when unknown)
    protocol: str                   # "http" | "uwsgi"
    path: str                       # where it is set
    line: int
    implicit: bool = False          # the server's default, nothing set
    port_from_env: bool = False     # the port comes from $PORT (a platform's router assigns it)

    @property
    def unix(self) -> str | None:
        return self.address[5:] if self.address.startswith("unix:") else None

    @property
    def host(self) -> str:
        return "" if self.unix is not None else self.address.rpartition(":")[0]

    @property
    def port(self) -> str:
        return "" if self.unix is not None else self.address.rpartition(":")[2]


@dataclass
class Workers:
    text: str                       # as written: "4", "multiprocessing.cpu_count() * 2 + 1"
    fixed: int | None               # the literal count, when it is one
    path: str
    line: int
    host_cpus: bool = False         # counts the host's CPUs


@dataclass
class Process:
    cmd: Command
    path: str                       # the file that starts it
    line: int
    origin: str                     # "CMD", "ENTRYPOINT", "compose command", "[program:app]", "Procfile web", "script"
    container: str                  # "image:Dockerfile", "service:app", "host"
    pid1: bool | None               # True: gets the stop signal itself; False: a shell holds PID 1; None: n/a
    stop_signal: tuple[str, str, int] = ("SIGTERM", "", 0)   # (signal, where set, line)
    env: dict[str, str] = field(default_factory=dict)
    shell_form: bool = False
    published: bool = False         # clients reach its port directly (compose ports, docker run -p)
    cpus: float | None = None       # the container's CPU limit, when the compose file sets one


@dataclass
class PassTarget:
    """An nginx proxy_pass / uwsgi_pass, resolved through upstream blocks."""

    protocol: str                   # "http" | "uwsgi"
    address: str                    # "unix:/x.sock" or "host:port"
    path: str
    line: int
    directive: str                  # "proxy_pass http://app_server"
    buffering_off: tuple[str, int] | None = None   # (path, line) of proxy_buffering/uwsgi_buffering off


class Setup:
    def __init__(self, project: Project, files: dict[str, str], plan: Plan | None) -> None:
        self.project = project
        self.files = files
        self.plan = plan
        self.texts = {rel: project.read_text(rel) for rel in files}
        self.dockerfiles = {r: dockerfile_reader.read(r, t) for r, t in self._of("dockerfile")}
        self.composes = {r: compose_reader.read(r, t) for r, t in self._of("compose")}
        self.nginx = {r: nginx_reader.read(r, t) for r, t in self._of("nginx")}
        self.uwsgi = {r: ini_reader.read(r, t) for r, t in self._of("uwsgi")}
        self.supervisord = {r: ini_reader.read(r, t) for r, t in self._of("supervisord")}
        self.gunicorn = {r: gunicorn_reader.read(r, t) for r, t in self._of("gunicorn")}
        self.procfiles = {r: procfile_reader.read(t) for r, t in self._of("procfile")}
        self.scripts = {r: shell_reader.read(t) for r, t in self._of("shell")}
        self.processes: list[Process] = []
        self.nginx_contexts: dict[str, list[str]] = {r: [] for r in self.nginx}
        self._assemble()

    def _of(self, kind: str):
        return [(r, self.texts[r]) for r, k in self.files.items() if k == kind]

    # ------------------------------------------------------------------------------------ lookups
    def find_file(self, name: str, kind: str | None = None) -> str | None:
        """A project file named like `name` (a path inside the image, or relative): exact path first,
        then by file name."""
        name = name.strip().strip("\"'")
        if not name or "$" in name:
            return None
        rel = name.lstrip("./") if name.startswith("./") else name.lstrip("/")
        if self.project.is_file(rel) and (kind is None or self.files.get(rel) == kind):
            return rel
        base = PurePosixPath(name).name
        matches = [r for r in (self.files if kind else self.project.files)
                   if PurePosixPath(r).name == base and (kind is None or self.files.get(r) == kind)]
        return matches[0] if len(matches) == 1 else (matches[0] if matches and kind else None)

    def dockerfile_for(self, service: compose_reader.Service) -> dockerfile_reader.Dockerfile | None:
        if service.builds:
            return self.dockerfiles.get(service.dockerfile) or (
                next(iter(self.dockerfiles.values())) if len(self.dockerfiles) == 1 else None)
        if service.image and not _OFFICIAL.match(service.image) and len(self.dockerfiles) == 1:
            return next(iter(self.dockerfiles.values()))       # `docker build -t` that image, then compose
        return None

    @cached_property
    def python_modules(self) -> dict[str, python_reader.Module]:
        out = {}
        for rel in self.project.python_files:
            if self.project.is_decoy(rel) or PurePosixPath(rel).name.startswith(("gunicorn", "shipyard_")):
                continue
            out[rel] = python_reader.read(rel, self.project.read_text(rel))
        return out

    def module_file(self, dotted: str) -> str | None:
        workdir = self.plan.workdir if self.plan else "."
        base = dotted.replace(".", "/")
        for rel in (f"{base}.py", f"{base}/__init__.py"):
            full = rel if workdir in ("", ".") else f"{workdir.strip('/')}/{rel}"
            if self.project.is_file(full):
                return full
        return None

    # ------------------------------------------------------------------------------------ assembly
    def _assemble(self) -> None:
        composed: set[str] = set()
        for compose in self.composes.values():
            for service in compose.services.values():
                docker = self.dockerfile_for(service)
                if docker is not None:
                    composed.add(docker.path)
                self._service(compose, service, docker)
        for docker in self.dockerfiles.values():
            self._image(docker, f"image:{docker.path}", published=docker.path not in composed, env={})
        for rel, entries in self.procfiles.items():
            for line, name, text in entries:
                for seg in command_reader.split_shell(text)[-1:]:
                    self._add(Process(command_reader.parse(seg.argv), rel, line, f"Procfile {name}",
                                      f"procfile:{name}", None, env={"PORT": "$PORT"}, published=name == "web"))
        for rel in self.supervisord:
            if not any(p.cmd.program == "supervisord" for p in self.processes):
                self._supervisor(rel, "host", {})
        for rel in self.scripts:
            if not any(p.path == rel for p in self.processes):
                self._script(rel, "host", {}, pid1_possible=False, args=None)
        self._unreferenced_configs()
        self._place_nginx()

    def _unreferenced_configs(self) -> None:
        """Server configs no command line points at are still production files: lint them as if started."""
        used = {self.server_config(p)[0] for p in self.processes if p.cmd.program in ("gunicorn", "uwsgi")}
        for rel, conf in self.uwsgi.items():
            section = conf.section("uwsgi")
            if rel not in used and section is not None:
                cmd = Command(["uwsgi", "--ini", rel], "uwsgi", options={"ini": [rel]})
                self._add(Process(cmd, rel, section.line, rel, "host", None))
        for rel in self.gunicorn:
            if rel not in used:
                cmd = Command(["gunicorn", "-c", rel], "gunicorn", options={"config": [rel]})
                self._add(Process(cmd, rel, 1, rel, "host", None))

    def _add(self, process: Process) -> None:
        self.processes.append(process)

    def _image(self, docker, container: str, *, published: bool, env: dict[str, str],
               command: tuple[list[str] | None, str | None, int] | None = None, path: str = "",
               service: compose_reader.Service | None = None) -> None:
        env = {**{k: v for k, (v, _) in docker.env().items()}, **env}
        stop = docker.last("STOPSIGNAL")
        stop_signal = (_signal(stop.args), docker.path, stop.line) if stop else ("SIGTERM", "", 0)
        if service is not None and service.data.get("stop_signal"):
            stop_signal = (_signal(str(service.data["stop_signal"])), path, service.at("stop_signal"))
        cpus = service.cpus() if service is not None else None
        common = dict(container=container, stop_signal=stop_signal, env=env, published=published, cpus=cpus)
        entry, cmd = docker.last("ENTRYPOINT"), docker.last("CMD")
        cmd_argv: list[str] | None
        cmd_where = (docker.path, cmd.line if cmd else 0, "CMD", False)
        if command is not None and (command[0] is not None or command[1] is not None):
            cmd_argv = command[0] if command[0] is not None else _split(command[1] or "")
            cmd_where = (path, command[2], "compose command", False)
        elif cmd is None:
            cmd_argv = None
        elif cmd.exec_form is not None:
            cmd_argv = cmd.exec_form
        else:
            cmd_argv, cmd_where = ["/bin/sh", "-c", cmd.args], (docker.path, cmd.line, "CMD", True)
        if entry is not None and entry.exec_form is None:
            # shell form: /bin/sh -c holds PID 1 and CMD is ignored
            self._add(Process(command_reader.parse(["/bin/sh", "-c", entry.args]), docker.path, entry.line,
                              "ENTRYPOINT", pid1=False, shell_form=True, **common))
            return
        if entry is not None:
            parsed = command_reader.parse(entry.exec_form or [])
            if parsed.program == "shell-script":
                script = self.find_file(parsed.script, "shell") or self.find_file(parsed.script)
                if script and script in self.scripts:
                    self._add(Process(parsed, docker.path, entry.line, "ENTRYPOINT", pid1=True, **common))
                    self._script(script, container, env, pid1_possible=True, args=(cmd_argv, cmd_where),
                                 common=common)
                    return
            if parsed.program not in ("other", "shell-script"):
                argv = (entry.exec_form or []) + (cmd_argv or [])
                self._add(Process(command_reader.parse(argv), docker.path, entry.line, "ENTRYPOINT", pid1=True,
                                  **common))
                return
        if cmd_argv is not None:
            self._command(cmd_argv, cmd_where, common)

    def _command(self, argv: list[str], where: tuple[str, int, str, bool], common: dict) -> None:
        path, line, origin, shell_form = where
        parsed = command_reader.parse(argv)
        self._add(Process(parsed, path, line, origin, pid1=not parsed.wrapped_by_shell, shell_form=shell_form,
                          **common))
        if parsed.program == "supervisord":
            conf = self.find_file(parsed.opt("config") or "supervisord.conf", "supervisord")
            if conf is None and len(self.supervisord) == 1:
                conf = next(iter(self.supervisord))
            if conf:
                self._supervisor(conf, common["container"], common["env"], common)
        elif parsed.program == "shell-script":
            script = self.find_file(parsed.script, "shell")
            if script:
                self._script(script, common["container"], common["env"], pid1_possible=not parsed.wrapped_by_shell,
                             args=None, common=common)

    def _script(self, rel: str, container: str, env: dict[str, str], *, pid1_possible: bool,
                args: tuple | None, common: dict | None = None) -> None:
        common = dict(common or {"container": container, "env": env})
        steps = self.scripts[rel]
        foreground = [s for s in steps if not s.segment.background]
        last = foreground[-1] if foreground else None
        for step in steps:
            seg = step.segment
            if seg.argv[:1] == ["$@"] or seg.argv[:1] == ["${@}"]:
                if args and args[0]:
                    cmd_path, cmd_line, origin, shell_form = args[1]
                    parsed = command_reader.parse(args[0])
                    self._add(Process(parsed, cmd_path, cmd_line, origin,
                                      pid1=pid1_possible and seg.exec_ and not parsed.wrapped_by_shell,
                                      shell_form=shell_form, **common))
                continue
            parsed = command_reader.parse(seg.argv)
            if parsed.program == "other":
                continue
            pid1 = (pid1_possible and seg.exec_) if step is last else None
            if pid1_possible and step is last and not seg.exec_:
                pid1 = False
            self._add(Process(parsed, rel, step.line, "script", pid1=pid1, **common))

    def _supervisor(self, rel: str, container: str, env: dict[str, str], common: dict | None = None) -> None:
        conf = self.supervisord[rel]
        for section in conf.programs():
            found = section.get("command")
            if not found:
                continue
            text, line = found
            stop = section.get("stopsignal")
            signal = (_signal(stop[0]), rel, stop[1]) if stop else ("SIGTERM", rel, section.line)
            seg = command_reader.split_shell(text)
            argv = seg[-1].argv if len(seg) == 1 else ["/bin/sh", "-c", text]
            extra = {k: v for k, v in re.findall(r'(\w+)="?([^",]*)"?', section.value("environment"))}
            self._add(Process(command_reader.parse(argv), rel, line, f"[{section.name}]", container, None,
                              stop_signal=signal, env={**env, **extra},
                              published=(common or {}).get("published", False),
                              cpus=(common or {}).get("cpus")))

    def _service(self, compose, service, docker) -> None:
        container = f"service:{service.name}"
        env = {k: v for k, (v, _) in service.environment().items() if v is not None}
        published = bool(service.ports())
        if docker is not None:
            self._image(docker, container, published=published, env=env, command=service.command(),
                        path=compose.path, service=service)
            return
        argv, text, line = service.command()
        if argv is None and text is None:
            return
        stop = (_signal(str(service.data["stop_signal"])), compose.path, service.at("stop_signal")) \
            if service.data.get("stop_signal") else ("SIGTERM", "", 0)
        parsed = command_reader.parse(argv if argv is not None else _split(text or ""))
        self._add(Process(parsed, compose.path, line, "compose command", container, True, stop_signal=stop,
                          env=env, published=published, cpus=service.cpus()))

    def _place_nginx(self) -> None:
        """Which containers each nginx config runs in: a compose service that mounts it, an image that
        copies it, else this machine."""
        for rel in self.nginx:
            name = PurePosixPath(rel).name
            folder = str(PurePosixPath(rel).parent)
            for compose in self.composes.values():
                for service in compose.services.values():
                    for volume in service.data.get("volumes") or []:
                        source = str(volume.get("source", "") if isinstance(volume, dict) else volume).split(":")[0]
                        source = source.rstrip("/").removeprefix("./")
                        if source and (PurePosixPath(source).name == name or source == folder):
                            self.nginx_contexts[rel].append(f"service:{service.name}")
            for docker in self.dockerfiles.values():
                for ins in docker.final():
                    if ins.cmd in ("COPY", "ADD") and not ins.flags.get("from"):
                        sources = ins.words()[:-1]
                        if any(PurePosixPath(s).name == name or s.rstrip("/").removeprefix("./") == folder
                               for s in sources):
                            self.nginx_contexts[rel].append(f"image:{docker.path}")
                            for compose in self.composes.values():
                                for service in compose.services.values():
                                    if self.dockerfile_for(service) is docker:
                                        self.nginx_contexts[rel].append(f"service:{service.name}")
            if not self.nginx_contexts[rel]:
                self.nginx_contexts[rel].append("host")

    # ------------------------------------------------------------------------------------ servers
    def server_config(self, process: Process) -> tuple[str | None, object]:
        """(path, parsed config) the server reads: gunicorn -c / ./gunicorn.conf.py, uWSGI --ini."""
        cmd = process.cmd
        if cmd.program == "gunicorn":
            rel = self.find_file(cmd.opt("config") or "", "gunicorn") if cmd.opt("config") else None
            if rel is None and not cmd.opt("config"):
                rel = next((r for r in self.gunicorn if PurePosixPath(r).name == "gunicorn.conf.py"), None)
            return rel, self.gunicorn.get(rel) if rel else None
        if cmd.program == "uwsgi":
            ini = cmd.opt("ini")
            rel = self.find_file(ini, "uwsgi") if ini else None
            return rel, self.uwsgi.get(rel) if rel else None
        return None, None

    def listeners(self, process: Process) -> list[Listener]:
        cmd, env = process.cmd, process.env
        where = (process.path, process.line)
        out: list[Listener] = []
        if cmd.program == "gunicorn":
            rel, conf = self.server_config(process)
            binds = cmd.options.get("bind") or []
            if binds:
                out = [Listener(_expand(b, env), "http", *where, port_from_env="PORT" in b) for b in binds]
            elif conf is not None and "bind" in conf.settings:
                value = conf.settings["bind"]
                out = [Listener(_expand(a, env), "http", rel, value.line, port_from_env='"PORT"' in value.source)
                       for a in _addresses(value, env)]
            if not out:
                default = f"0.0.0.0:{env['PORT']}" if env.get("PORT") else "127.0.0.1:8000"
                out = [Listener(_expand(default, env), "http", *where, implicit=True, port_from_env=bool(env.get("PORT")))]
        elif cmd.program == "uwsgi":
            rel, conf = self.server_config(process)
            section = conf.section("uwsgi") if conf else None
            protocol_http = (cmd.opt("protocol") or (section.value("protocol") if section else "")) == "http"
            for key, proto in (("socket", "http" if protocol_http else "uwsgi"), ("uwsgi-socket", "uwsgi"),
                               ("http-socket", "http"), ("http", "http")):
                values = cmd.options.get(key.replace("-", "_"), []) if key != "uwsgi-socket" else []
                out += [Listener(_uwsgi_address(v, env), proto, *where) for v in values]
                if section:
                    out += [Listener(_uwsgi_address(v, env), proto, rel, n)
                            for k, v, n in section.items if k == key and "%(" not in v]
        elif cmd.program == "granian":
            if cmd.script:
                out = self._runtime_listeners(process)
            elif cmd.opt("uds"):
                out = [Listener("unix:" + _expand(cmd.opt("uds") or "", env), "http", *where)]
            else:
                out = [Listener(f"{_expand(cmd.opt('host') or '127.0.0.1', env)}:{_expand(cmd.opt('port') or '8000', env)}",
                                "http", *where, implicit=not cmd.opt("host"))]
        elif cmd.program in ("uvicorn", "daphne", "flask-run"):
            if cmd.opt("uds"):
                out = [Listener("unix:" + cmd.opt("uds"), "http", *where)]  # type: ignore[operator]
            else:
                port = {"uvicorn": "8000", "daphne": "8000", "flask-run": "5000"}[cmd.program]
                out = [Listener(f"{_expand(cmd.opt('host') or '127.0.0.1', env)}:{_expand(cmd.opt('port') or port, env)}",
                                "http", *where, implicit=not cmd.opt("host"))]
        elif cmd.program in ("hypercorn", "waitress"):
            for b in cmd.options.get("bind") or []:
                out.append(Listener(_expand(b, env), "http", *where))
        return out

    def _runtime_listeners(self, process: Process) -> list[Listener]:
        """shipyard_runtime.py granian: the socket or host:port the generated launcher passes."""
        rel = self.find_file(process.cmd.script)
        text = self.project.read_text(rel) if rel else ""
        uds = re.search(r'"--uds", os\.environ\.get\("SHIPYARD_SOCKET", "([^"]+)"\)', text)
        if uds:
            return [Listener("unix:" + uds.group(1), "http", rel or process.path, _line_of(text, uds.start()))]
        host = re.search(r'"--host", "([^"]+)", "--port", str\(_env_int\("PORT", (\d+)\)\)', text)
        if host:
            port = _expand(process.env.get("PORT") or host.group(2), process.env)
            return [Listener(f"{host.group(1)}:{port}", "http", rel or process.path, _line_of(text, host.start()),
                             port_from_env=True)]
        return []

    def workers(self, process: Process) -> Workers | None:
        cmd = process.cmd
        value = cmd.opt("workers")
        if value is not None:
            return Workers(value, _int(value), process.path, process.line)
        rel, conf = self.server_config(process)
        if cmd.program == "gunicorn" and conf is not None and "workers" in conf.settings:
            v = conf.settings["workers"]
            fixed = v.constant if isinstance(v.constant, int) and not isinstance(v.constant, bool) else None
            return Workers(v.source, fixed, rel or "", v.line, v.host_cpus)
        if cmd.program == "uwsgi" and conf is not None and conf.section("uwsgi"):
            section = conf.section("uwsgi")
            for key in ("processes", "workers"):
                found = section.get(key)
                if found and "%(" not in found[0]:
                    return Workers(found[0], _int(found[0]), rel or "", found[1])
        return None

    def pass_targets(self, rel: str) -> list[PassTarget]:
        conf = self.nginx[rel]
        upstreams: dict[str, list[tuple[str, int]]] = {}
        for other in self.nginx.values():
            for block in other.find("upstream"):
                if block.args:
                    upstreams[block.args[0]] = [(d.args[0], d.line) for d in block.children
                                                if d.name == "server" and d.args]
        out = []
        for location in [conf.root, *[d for d in conf.walk() if d.block]]:
            buffering = {d.name: d for d in location.children if d.name in ("proxy_buffering", "uwsgi_buffering")}
            for d in location.children:
                if d.name not in ("proxy_pass", "uwsgi_pass") or not d.args or "$" in d.args[0]:
                    continue
                protocol = "uwsgi" if d.name == "uwsgi_pass" else "http"
                target = re.sub(r"^(https?|uwsgi|suwsgi)://", "", d.args[0]).split("/")[0] \
                    if not d.args[0].startswith("unix:") else d.args[0]
                target = re.sub(r"^(https?://)?(unix:[^:]+):.*$", r"\2", target)
                off = buffering.get("proxy_buffering" if protocol == "http" else "uwsgi_buffering")
                off_at = (rel, off.line) if off is not None and off.args[:1] == ["off"] else None
                servers = upstreams.get(target, [(target, d.line)])
                for address, _ in servers:
                    if not address.startswith("unix:") and ":" not in address:
                        address += ":80"
                    out.append(PassTarget(protocol, address, rel, d.line, f"{d.name} {' '.join(d.args)}", off_at))
        return out


def _signal(text: str) -> str:
    text = text.strip().upper()
    names = {"15": "SIGTERM", "2": "SIGINT", "3": "SIGQUIT", "9": "SIGKILL", "1": "SIGHUP"}
    return names.get(text, text if text.startswith("SIG") else "SIG" + text)


def _split(text: str) -> list[str]:
    segs = command_reader.split_shell(text)
    return segs[0].argv if len(segs) == 1 else ["/bin/sh", "-c", text]


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _expand(text: str, env: dict[str, str]) -> str:
    """$VAR, ${VAR} and ${VAR:-default} with the process's environment; unknown -> "?"."""
    def repl(m: re.Match) -> str:
        name, default = m.group(1) or m.group(3), m.group(2)
        value = env.get(name)
        if value and not value.startswith("$"):
            return value
        return default if default is not None else "?"
    return re.sub(r"\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)", repl, text).strip()


def _addresses(value, env: dict[str, str]) -> list[str]:
    """Addresses in a gunicorn.conf.py `bind` value: a literal, or the strings of an expression."""
    if isinstance(value.constant, str):
        return [value.constant]
    if isinstance(value.constant, (list, tuple)):
        return [str(v) for v in value.constant]
    port = re.search(r'"([^"%]*):%d"\s*%\s*_env_int\("PORT",\s*(\d+)\)', value.source)
    if port:
        return [f"{port.group(1)}:{env.get('PORT') or port.group(2)}"]
    found = re.findall(r'"(unix:[^"]+|[\w.\[\]:]*:\d+)"', value.source)
    return found[-1:] if found else []


def _uwsgi_address(text: str, env: dict[str, str]) -> str:
    text = _expand(text, env).split(",")[0]
    if text.startswith("/") or text.startswith("@") or text.endswith(".sock"):
        return "unix:" + text
    return text if ":" in text else f"{text}:?"


def host_kind(host: str) -> str:
    return "loopback" if host in _LOOPBACK else "any" if host in _ANY else "name"
