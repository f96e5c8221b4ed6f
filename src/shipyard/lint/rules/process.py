"""Rules over the processes the files start: PID 1, dev servers, installs at start, workers, signals."""

from __future__ import annotations

import json
import math
from pathlib import PurePosixPath

from .. import reference
from ..model import Example, Rule
from ..setup import Process, Setup

_SERVERS = ("gunicorn", "uwsgi", "granian", "uvicorn", "hypercorn", "daphne", "waitress")


def _starts_dev_server(s: Setup, p: Process) -> str:
    """Why this python-script process is a development server ("" when it is not)."""
    rel = s.find_file(p.cmd.script) if p.cmd.script else None
    module = s.python_modules.get(rel) if rel else None
    if module is None:
        return ""
    if s.plan is not None and s.plan.entry.kind == "script" and rel == str(
            PurePosixPath(s.plan.workdir, s.plan.entry.module.replace(".", "/") + ".py")):
        return ""    # the app's own production server (tornado's app.listen), which the script starts by design
    start = next((st for st in module.starts), None)
    return f"{rel}:{start.line} starts {start.text}" if start else ""


def _init_cmd(s: Setup, server: str = "gunicorn") -> str:
    return reference.line(s.plan, "Dockerfile", "CMD", server=server, topology="app")


def not_pid1(s: Setup):
    for p in s.processes:
        if p.shell_form or p.pid1 is not False or p.origin == "ENTRYPOINT":
            continue
        if p.cmd.program in _SERVERS + ("supervisord", "flask-run", "runserver", "python-script", "nginx"):
            how = "runs it without exec" if p.origin in ("script", "CMD", "compose command") else "wraps it"
            yield (p.path, p.line, f"{p.cmd.program} is not PID 1: the shell that {how} receives SIGTERM "
                   "and does not pass it on", f"exec {p.cmd.text}" if p.origin == "script" else
                   f"{json.dumps(p.cmd.argv[2:] if p.cmd.argv[:1] != ['/bin/sh'] else p.cmd.argv)}")


NOT_PID1 = Rule(
    "SY201", "server-not-pid1", "error",
    "the server runs under a shell that keeps PID 1 (a script or `sh -c` without `exec`)",
    "the shell stays PID 1 and ignores SIGTERM: docker stop waits its 10 s and kills the whole container, "
    "cutting every request in flight; crashed children are not reaped.",
    not_pid1,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nENTRYPOINT [\"/bin/bash\", \"/app/entry-point.sh\"]\n",
             "entry-point.sh": "#!/bin/bash\necho starting\nuwsgi --ini /app/app.ini\n",
             "app.ini": "[uwsgi]\nmodule = app:app\nsocket = /run/app.sock\ndie-on-term = true\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nENTRYPOINT [\"/bin/bash\", \"/app/entry-point.sh\"]\n",
             "entry-point.sh": "#!/bin/bash\necho starting\nexec uwsgi --ini /app/app.ini\n",
             "app.ini": "[uwsgi]\nmodule = app:app\nsocket = /run/app.sock\ndie-on-term = true\n"},
            at=("entry-point.sh", 3)),
    seeds=("003",), files="shell scripts, Dockerfile, compose")


def dev_server(s: Setup):
    for p in s.processes:
        why = ""
        if p.cmd.is_dev_server:
            why = f"`{p.cmd.text}` is the framework's development server"
        elif p.cmd.program == "python-script":
            started = _starts_dev_server(s, p)
            why = f"`{p.cmd.text}` runs a development server ({started})" if started else ""
        if why:
            init = _init_cmd(s, "granian")
            yield (p.path, p.line, why, "serve the app with a production server (gunicorn, uWSGI, granian)" +
                   (f"; shipyard init writes: {init}" if init and p.path.lower().endswith("file") else ""))


DEV_SERVER = Rule(
    "SY202", "dev-server", "error",
    "the production command runs the framework's development server",
    "Flask's and Django's development servers handle one request at a time, are not hardened, and log a "
    "warning saying so; with debug on they let anyone who reaches them run code.",
    dev_server,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "CMD [\"python\", \"-m\", \"flask\", \"run\", \"--host=0.0.0.0\"]\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "CMD [\"gunicorn\", \"--bind\", \"0.0.0.0:5000\", \"app:app\"]\n"}, at=("Dockerfile", 4)),
    seeds=("002", "003", "004"), files="Dockerfile, compose, Procfile, supervisord, shell scripts")


def install_at_start(s: Setup):
    for p in s.processes:
        if p.cmd.program == "installer":
            yield (p.path, p.line, f"`{p.cmd.text}` installs packages every time the container starts",
                   "install in the image (RUN pip install -r requirements.txt in the Dockerfile) and rebuild "
                   "when requirements change")


INSTALL_AT_START = Rule(
    "SY203", "install-at-start", "error",
    "packages are installed when the container starts",
    "every start (and every restart after a crash) depends on the package index and the network, takes "
    "longer, and may install different versions than the ones tested: the image no longer fixes what runs.",
    install_at_start,
    Example({"entrypoint.sh": "#!/bin/sh\npip3 install -r requirements.txt\nexec gunicorn app:app\n"},
            {"entrypoint.sh": "#!/bin/sh\nexec gunicorn app:app\n"}, at=("entrypoint.sh", 2)),
    seeds=("003",), files="shell scripts, Dockerfile, compose, supervisord, Procfile")


def fixed_workers(s: Setup):
    for p in s.processes:
        if p.cmd.program not in _SERVERS:
            continue
        w = s.workers(p)
        if w is None or not ((w.fixed is not None and w.fixed >= 2) or w.host_cpus):
            continue
        if _over_limit(s, p, w):
            continue                                       # SY205 reports it, with the limit
        fix = reference.line(s.plan, "gunicorn.conf.py", "workers =", server="gunicorn") \
            if p.cmd.program == "gunicorn" else \
            reference.line(s.plan, "uwsgi.ini", "processes =", server="uwsgi") if p.cmd.program == "uwsgi" else ""
        what = "counts the host's CPUs, not the container's quota" if w.host_cpus else "is fixed"
        on_command_line = p.cmd.opt("workers") is not None
        yield (w.path, w.line, f"{p.cmd.program}'s worker count ({w.text}) {what}",
               (f"remove the worker count from the command line ({p.cmd.program} then reads WEB_CONCURRENCY) and "
                "size workers in its config from the quota" if on_command_line else
                "size workers from the CPU quota, overridable with WEB_CONCURRENCY")
               + (f"; shipyard init writes: {fix}" if fix else ""))


def _over_limit(s: Setup, p: Process, w) -> bool:
    return p.cpus is not None and w.fixed is not None and w.fixed > 2 * max(1, math.ceil(p.cpus)) + 1


FIXED_WORKERS = Rule(
    "SY204", "fixed-workers", "warning",
    "the worker count is fixed (or counts the host's CPUs) instead of following the container's CPU quota",
    "`-w 4` is too many on a 1-CPU container (workers fight for the CPU and memory, latency grows) and too "
    "few on a 16-CPU one; cpu_count() sees the host's cores, not the container's limit.",
    fixed_workers,
    Example({"Procfile": "web: gunicorn -b 0.0.0.0:$PORT -w 4 run:app\n"},
            {"Procfile": "web: gunicorn -b 0.0.0.0:$PORT run:app\n"}, at=("Procfile", 1)),
    seeds=("000", "001", "003", "004"), files="gunicorn, uWSGI, command lines")


def over_cpu_limit(s: Setup):
    for p in s.processes:
        w = s.workers(p) if p.cmd.program in _SERVERS else None
        if w is not None and _over_limit(s, p, w):
            yield (w.path, w.line, f"{w.fixed} {p.cmd.program} workers in a container limited to {p.cpus:g} CPUs "
                   f"(at most {2 * max(1, math.ceil(p.cpus or 1)) + 1} pay off)",
                   "let the server size workers from the quota (WEB_CONCURRENCY unset), or lower the count")


OVER_CPU_LIMIT = Rule(
    "SY205", "workers-above-cpu-limit", "error",
    "more workers than the container's CPU limit can run",
    "the workers are throttled by the CPU quota: each request waits for CPU time, latency and timeouts "
    "grow, and every extra worker costs its memory for nothing.",
    over_cpu_limit,
    Example({"compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -w 8 -b 0.0.0.0:8000 app:app\n"
             "    cpus: 1\n"},
            {"compose.yaml": "services:\n  web:\n    build: .\n    command: gunicorn -w 3 -b 0.0.0.0:8000 app:app\n"
             "    cpus: 1\n"}, at=("compose.yaml", 4)),
    files="compose, gunicorn, uWSGI, Dockerfile")


def stop_signal(s: Setup):
    for p in s.processes:
        sig, where, line = p.stop_signal
        program = p.cmd.program
        if program == "uwsgi" and sig == "SIGTERM":
            rel, conf = s.server_config(p)
            section = conf.section("uwsgi") if conf else None
            on = "die-on-term" in p.cmd.flags or (section and section.value("die-on-term").lower() in
                                                  ("true", "1", "yes", "on"))
            if not on:
                fix = reference.line(s.plan, "uwsgi.ini", "die-on-term", server="uwsgi")
                yield (rel or p.path, section.line if section else p.line,
                       "uWSGI without die-on-term reloads on SIGTERM instead of stopping",
                       f"add `{fix or 'die-on-term = true'}` to [uwsgi]")
        elif program == "gunicorn" and sig in ("SIGINT", "SIGQUIT", "SIGKILL"):
            yield (where or p.path, line or p.line, f"{sig} makes gunicorn stop at once, dropping requests in flight",
                   "stop gunicorn with SIGTERM (remove STOPSIGNAL / stop_signal / stopsignal)")
        elif program == "nginx" and sig in ("SIGTERM", "SIGINT") and p.origin.startswith("[program"):
            fix = reference.line(s.plan, "supervisord.conf", "stopsignal = QUIT", topology="bundle")
            yield (where or p.path, line or p.line, f"{sig} makes nginx exit at once, closing open connections",
                   fix or "stopsignal = QUIT")


STOP_SIGNAL = Rule(
    "SY206", "stop-signal-ignored", "error",
    "the server does not stop gracefully on the signal it is sent",
    "on every deploy and scale-down the engine sends this signal, waits, then kills: uWSGI without "
    "die-on-term reloads instead of exiting; gunicorn on SIGINT/SIGQUIT and nginx on SIGTERM drop what is in "
    "flight.",
    stop_signal,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"uwsgi\", \"--ini\", \"app.ini\"]\n",
             "app.ini": "[uwsgi]\nmodule = app:app\nhttp-socket = :8000\nprocesses = 4\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"uwsgi\", \"--ini\", \"app.ini\"]\n",
             "app.ini": "[uwsgi]\nmodule = app:app\nhttp-socket = :8000\nprocesses = 4\ndie-on-term = true\n"},
            at=("app.ini", 1)),
    seeds=("003",), files="uWSGI, Dockerfile STOPSIGNAL, compose stop_signal, supervisord stopsignal")

RULES = (NOT_PID1, DEV_SERVER, INSTALL_AT_START, FIXED_WORKERS, OVER_CPU_LIMIT, STOP_SIGNAL)


_STREAMS = {"/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2", "/proc/self/fd/1", "/proc/self/fd/2", "-",
            "none", "syslog"}


def logs_to_files(s: Setup):
    for rel, conf in s.supervisord.items():
        in_container = any(p.path == rel and not p.container.startswith(("host", "procfile")) for p in s.processes)
        if not in_container:
            continue
        for section in conf.programs():
            for key in ("stdout_logfile", "stderr_logfile"):
                found = section.get(key)
                if found and found[0].lower() not in _STREAMS:
                    fix = reference.line(s.plan, "supervisord.conf", f"{key} = ", topology="bundle")
                    yield (rel, found[1], f"[{section.name}] writes its output to {found[0]} inside the container",
                           fix or f"{key} = /dev/stdout")
    for p in s.processes:
        if p.container.startswith(("host", "procfile")):
            continue
        if p.cmd.program == "gunicorn":
            for value in p.cmd.options.get("log", []):
                if value.lower() not in _STREAMS:
                    yield (p.path, p.line, f"gunicorn writes a log to {value} inside the container",
                           "log to stdout/stderr: --access-logfile - --error-logfile -")
        if p.cmd.program == "uwsgi":
            rel, conf = s.server_config(p)
            section = conf.section("uwsgi") if conf else None
            for key in ("logto", "daemonize", "logto2"):
                found = section.get(key) if section else None
                if found and found[0].lower() not in _STREAMS:
                    yield (rel, found[1], f"uWSGI writes its log to {found[0]} inside the container ({key})",
                           f"remove {key}: uWSGI logs to stderr, which the engine collects")


LOGS_TO_FILES = Rule(
    "SY207", "logs-to-files", "warning",
    "the processes log to files inside the container instead of stdout/stderr",
    "`docker logs`, the orchestrator and every log collector read the container's stdout and stderr: a log "
    "file inside the container is invisible to them, grows until the disk is full, and disappears with the "
    "container, often right when it is needed to understand a crash.",
    logs_to_files,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"supervisord\", \"-c\", \"/app/supervisord.conf\"]\n",
             "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:app]\ncommand = gunicorn -b 0.0.0.0:$PORT app:app\n"
             "stdout_logfile = /app/logs/supervisor.log\nredirect_stderr = true\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\nCMD [\"supervisord\", \"-c\", \"/app/supervisord.conf\"]\n",
             "supervisord.conf": "[supervisord]\nnodaemon = true\n\n[program:app]\ncommand = gunicorn -b 0.0.0.0:$PORT app:app\n"
             "stdout_logfile = /dev/stdout\nstdout_logfile_maxbytes = 0\nredirect_stderr = true\n"},
            at=("supervisord.conf", 6)),
    seeds=("000",), files="supervisord, gunicorn, uWSGI")

RULES = RULES + (LOGS_TO_FILES,)
