"""Command lines (Dockerfile CMD, compose command, supervisord command, Procfile, shell scripts):
which program runs, with which options. Wrappers (`sh -c`, `exec`, `env`, `gosu`, `uv run`...) are seen through.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field

# Programs that run the command they are given (argv after their own options), keeping or not the PID.
_PASS_THROUGH = {"env", "gosu", "su-exec", "tini", "dumb-init", "chpst", "setpriv", "runuser", "nice",
                 "nohup", "time", "xargs", "catatonit", "s6-setuidgid"}
_RUNNERS = {("uv", "run"), ("poetry", "run"), ("pipenv", "run"), ("pdm", "run"), ("hatch", "run")}
_SHELLS = {"sh", "bash", "dash", "ash", "zsh"}

# option spellings -> canonical name; options not listed here take no value
_OPTIONS = {
    "gunicorn": {"-b": "bind", "--bind": "bind", "-w": "workers", "--workers": "workers",
                 "-k": "worker_class", "--worker-class": "worker_class", "--threads": "threads",
                 "-c": "config", "--config": "config", "--chdir": "chdir", "-t": "timeout",
                 "--timeout": "timeout", "--graceful-timeout": "graceful_timeout", "--log-level": "log",
                 "--access-logfile": "log", "--error-logfile": "log", "--name": "name", "-n": "name",
                 "-e": "env", "--env": "env", "--user": "user", "-u": "user", "--group": "group",
                 "-g": "group", "--max-requests": "max_requests", "--pythonpath": "pythonpath",
                 "--worker-tmp-dir": "tmp", "--forwarded-allow-ips": "forwarded", "--paste": "paste",
                 "--keep-alive": "keepalive", "--backlog": "backlog", "--worker-connections": "connections"},
    "uwsgi": {"--ini": "ini", "--socket": "socket", "-s": "socket", "--uwsgi-socket": "socket",
              "--http-socket": "http_socket", "--http": "http", "--https": "http",
              "--processes": "workers", "-p": "workers", "--workers": "workers", "--threads": "threads",
              "--protocol": "protocol", "--module": "module", "-w": "module", "--wsgi": "module",
              "--wsgi-file": "wsgi_file", "--callable": "callable", "--chdir": "chdir", "--uid": "uid",
              "--gid": "gid", "--plugins": "plugins", "--plugin": "plugins", "--master-fifo": "fifo",
              "--stats": "stats", "--home": "home", "-H": "home", "--virtualenv": "home",
              "--chmod-socket": "chmod", "--buffer-size": "buffer", "--harakiri": "timeout",
              "--max-requests": "max_requests", "--env": "env", "--listen": "listen", "--yaml": "ini",
              "--xml": "ini", "--json": "ini", "--mount": "mount"},
    "granian": {"--workers": "workers", "--host": "host", "--port": "port", "--uds": "uds",
                "--interface": "interface", "--blocking-threads": "threads", "--threads": "threads",
                "--working-dir": "chdir", "--backlog": "backlog", "--http": "http_version",
                "--workers-kill-timeout": "timeout", "--factory": "factory_target"},
    "uvicorn": {"--workers": "workers", "--host": "host", "--port": "port", "--uds": "uds",
                "--app-dir": "chdir", "--log-level": "log", "--env-file": "env", "--fd": "fd"},
    "hypercorn": {"-b": "bind", "--bind": "bind", "-w": "workers", "--workers": "workers",
                  "-k": "worker_class", "--worker-class": "worker_class", "-c": "config", "--config": "config"},
    "daphne": {"-b": "host", "--bind": "host", "-p": "port", "--port": "port", "-u": "uds"},
    "waitress": {"--listen": "bind", "--host": "host", "--port": "port", "--threads": "threads",
                 "--unix-socket": "uds", "--call": "call"},
    "flask": {"--app": "app", "-A": "app", "--host": "host", "-h": "host", "--port": "port", "-p": "port",
              "--cert": "cert", "--key": "key"},
    "supervisord": {"-c": "config", "--configuration": "config", "-u": "user", "--user": "user",
                    "-d": "directory", "-l": "logfile", "-e": "loglevel", "-j": "pidfile"},
    "nginx": {"-c": "config", "-g": "directives", "-p": "prefix", "-e": "errorlog"},
}
_FLAG_OPTIONS = {"--reload", "--debug", "--master", "--die-on-term", "--daemon", "-D", "--preload",
                 "-M", "--vacuum", "--enable-threads", "--lazy-apps", "--no-debug", "--help"}


@dataclass
class Command:
    """One program run with its options: `program` is a known kind or the file name run."""

    argv: list[str]
    program: str                    # gunicorn | uwsgi | granian | uvicorn | hypercorn | daphne | waitress |
                                    # flask-run | runserver | python-script | installer | supervisord | nginx |
                                    # shell-script | other
    options: dict[str, list[str]] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    positional: list[str] = field(default_factory=list)
    script: str = ""                # python-script / shell-script: the file run
    wrapped_by_shell: bool = False  # started by `sh -c` (the shell, not the program, gets the signals)

    def opt(self, name: str) -> str | None:
        values = self.options.get(name)
        return values[-1] if values else None

    @property
    def text(self) -> str:
        return " ".join(self.argv)

    @property
    def is_server(self) -> bool:
        return self.program in ("gunicorn", "uwsgi", "granian", "uvicorn", "hypercorn", "daphne", "waitress")

    @property
    def is_dev_server(self) -> bool:
        return self.program in ("flask-run", "runserver")


@dataclass
class Segment:
    """One simple command of a shell line: `exec`-ed or not, in the background or not."""

    argv: list[str]
    exec_: bool = False
    background: bool = False


def split_shell(text: str) -> list[Segment]:
    """Simple commands of a shell line, split at `&&`, `||`, `;`, `|` and `&` (not inside quotes)."""
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = list(lexer)
    except ValueError:
        tokens = text.split()
    segments: list[Segment] = []
    current: list[str] = []
    for token in tokens:
        if token and set(token) <= set(";&|"):
            if current:
                segments.append(Segment(current, background=token == "&"))
            current = []
        else:
            current.append(token)
    if current:
        segments.append(Segment(current))
    for seg in segments:
        while seg.argv and seg.argv[0] == "exec":
            seg.argv = seg.argv[1:]
            seg.exec_ = True
    return [s for s in segments if s.argv]


def _strip_wrappers(argv: list[str]) -> tuple[list[str], bool]:
    """argv without env/gosu/tini/`uv run`...; True when a `sh -c` wrapper was removed."""
    shell = False
    while argv:
        base = os.path.basename(argv[0])
        if base in _SHELLS and len(argv) >= 3 and argv[1] in ("-c", "-ec", "-ce", "-lc", "-xc", "-exc"):
            inner = split_shell(argv[2])
            main = next((s for s in reversed(inner) if not s.background), inner[-1] if inner else None)
            if main is None:
                return [], True
            # `sh -c "exec server"` hands the PID to the server; otherwise the shell keeps it
            argv, shell = main.argv, shell or not main.exec_
            continue
        if re.fullmatch(r"python[\d.]*", base) and len(argv) > 3 and os.path.basename(argv[1]) == \
                "shipyard_runtime.py" and argv[2] == "start" and "--" in argv:
            argv = argv[argv.index("--") + 1:]          # shipyard's launcher: ends leftovers, then execs
        elif base == "exec":
            argv = argv[1:]
        elif base == "env":
            argv = argv[1:]
            while argv and ("=" in argv[0] or argv[0].startswith("-")):
                argv = argv[1:]
        elif base in ("gosu", "su-exec", "chpst", "s6-setuidgid"):
            argv = argv[2:]
        elif base in _PASS_THROUGH:
            argv = argv[1:]
            while argv and argv[0].startswith("-"):
                argv = argv[1:]
        elif (base, argv[1] if len(argv) > 1 else "") in _RUNNERS:
            argv = argv[2:]
            while argv and argv[0].startswith("-"):
                argv = argv[1:]
        else:
            break
    return argv, shell


def parse(argv: list[str]) -> Command:
    argv = [a for a in argv if a is not None]
    inner, shell = _strip_wrappers(list(argv))
    cmd = _classify(inner)
    cmd.argv = list(argv)
    cmd.wrapped_by_shell = shell
    return cmd


def _classify(argv: list[str]) -> Command:
    if not argv:
        return Command([], "other")
    base = os.path.basename(argv[0])
    rest = argv[1:]
    if re.fullmatch(r"python[\d.]*", base):
        if rest[:2] == ["-m", "pip"] and "install" in rest:
            return Command(argv, "installer", positional=rest)
        while rest and rest[0].startswith("-") and rest[0] != "-m":
            rest = rest[1:]
        if rest[:1] == ["-m"] and len(rest) > 1:
            module = rest[1]
            if module in _OPTIONS or module in ("flask", "django"):
                return _classify([module] + rest[2:])
            return Command(argv, "other", positional=rest)
        if rest and os.path.basename(rest[0]) == "shipyard_runtime.py" and rest[1:2] == ["granian"]:
            return Command(argv, "granian", script=rest[0], positional=rest[1:])   # shipyard's launcher
        if rest and rest[0].endswith(".py"):
            if os.path.basename(rest[0]) in ("manage.py", "django-admin.py") and "runserver" in rest:
                return Command(argv, "runserver", script=rest[0])
            return Command(argv, "python-script", script=rest[0], positional=rest[1:])
        return Command(argv, "other")
    if base.endswith(".py") and base == "manage.py" and "runserver" in rest:
        return Command(argv, "runserver", script=argv[0])
    if base in ("django-admin", "django") and "runserver" in rest:
        return Command(argv, "runserver")
    if base in ("pip", "pip3") or re.fullmatch(r"pip3\.\d+", base):
        return Command(argv, "installer" if "install" in rest else "other", positional=rest)
    if base in ("apt-get", "apt", "apk", "yum", "dnf") and any(w in rest for w in ("install", "add")):
        return Command(argv, "installer", positional=rest)
    if base in ("uv", "poetry", "pipenv", "pdm") and rest[:1] in (["pip"], ["install"], ["sync"], ["add"]):
        return Command(argv, "installer", positional=rest)
    if base in _SHELLS and rest and not rest[0].startswith("-"):
        return Command(argv, "shell-script", script=rest[0], positional=rest[1:])
    if base.endswith(".sh") or base in ("docker-entrypoint", "entrypoint", "entry-point", "start", "run"):
        return Command(argv, "shell-script", script=argv[0], positional=rest)
    if base in ("waitress-serve",):
        base = "waitress"
    program = base
    if base == "flask":
        program = "flask-run" if "run" in rest else "other"
    elif base not in _OPTIONS:
        return Command(argv, "other", positional=rest)
    spec = _OPTIONS.get(base, {})
    cmd = Command(argv, program)
    i = 0
    while i < len(rest):
        word = rest[i]
        if word.startswith("-") and word != "-":
            name, eq, value = word.partition("=")
            if name in spec and not eq and i + 1 < len(rest):
                cmd.options.setdefault(spec[name], []).append(rest[i + 1])
                i += 2
                continue
            if name in spec:
                cmd.options.setdefault(spec[name], []).append(value)
            elif name.startswith("-") and not name.startswith("--") and len(name) > 2 and name[:2] in spec:
                cmd.options.setdefault(spec[name[:2]], []).append(name[2:])    # -w4, -b:8000
            else:
                cmd.flags.add(name.lstrip("-"))
            i += 1
            continue
        cmd.positional.append(word)
        i += 1
    if program == "uwsgi":
        cmd.options.setdefault("ini", []).extend(p for p in cmd.positional if p.endswith((".ini", ".yaml", ".yml")))
    return cmd
