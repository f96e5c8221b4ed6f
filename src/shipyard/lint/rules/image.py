"""Rules over the Dockerfile: who runs, in which form, what the final image carries."""

from __future__ import annotations

import json
import re

from .. import reference
from ..model import Example, Rule
from ..setup import Setup

_COMPILERS = re.compile(r"^(build-essential|gcc(-\d+)?|g\+\+(-\d+)?|clang|make|cmake|python3?-dev|"
                        r"python3\.\d+-dev|[\w.+-]+-dev)$")
_PIP_REQUIREMENTS = re.compile(r"\bpip[\d.]*\s+install\b.*(-r\s*\S+|--requirement|\s\.(\s|$)|-e\s)")


def _server_of(s: Setup, path: str) -> str | None:
    for p in s.processes:
        if p.path == path and p.cmd.program in ("gunicorn", "uwsgi", "granian"):
            return p.cmd.program
    return None


def shell_form(s: Setup):
    for p in s.processes:
        if p.shell_form and p.pid1 is False and p.cmd.program != "other":
            exec_form = json.dumps([a for a in p.cmd.argv[2:3] for a in _words(a)])
            init = reference.line(s.plan, "Dockerfile", "CMD", server=_server_of(s, p.path) or p.cmd.program,
                                  topology="app")
            yield (p.path, p.line, f"{p.origin} in shell form: /bin/sh holds PID 1 and {p.cmd.program} never "
                   "receives SIGTERM" + (" (and CMD is ignored)" if p.origin == "ENTRYPOINT" else ""),
                   f"{p.origin} {exec_form}" + (f"   (shipyard init writes: {init})" if init else ""))


def _words(text: str) -> list[str]:
    import shlex
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


SHELL_FORM = Rule(
    "SY101", "shell-form-command", "error",
    "CMD or ENTRYPOINT in shell form starts the server under /bin/sh",
    "docker stop sends SIGTERM to PID 1, here /bin/sh, which does not pass it on: the server never shuts down "
    "gracefully, requests in flight are cut when the engine kills everything after its timeout (10 s).",
    shell_form,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             "ENTRYPOINT gunicorn -w 4 manager:app -b 0.0.0.0:8123\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nUSER 1000\n"
             'ENTRYPOINT ["gunicorn", "manager:app", "-b", "0.0.0.0:8123"]\n'}, at=("Dockerfile", 4)),
    seeds=("001",), overlaps=("DL3025",), files="Dockerfile")


# Images whose own entrypoint starts as root on purpose and drops privileges itself (nginx's workers, the
# databases' gosu): a Dockerfile that only adds configuration to one of them is not reported.
_DROPS_ITSELF = re.compile(r"^(docker\.io/)?(library/)?(nginx|httpd|caddy|traefik|haproxy|postgres|mysql|mariadb|"
                           r"redis|valkey|mongo|memcached|rabbitmq)([:@]|$)")


def runs_as_root(s: Setup):
    for d in s.dockerfiles.values():
        base = d.final("FROM")
        image = next((w for w in base[0].args.split() if not w.startswith("--")), "") if base else ""
        if _DROPS_ITSELF.match(image):
            continue
        user = d.last("USER")
        if user is not None and user.args.split(":")[0].strip() not in ("root", "0"):
            continue
        drops = any(p.cmd.program == "supervisord" and p.cmd.opt("user") for p in s.processes if p.path == d.path)
        drops = drops or any(sec.value("user") not in ("", "root") for conf in s.supervisord.values()
                             for sec in conf.sections if sec.name == "supervisord")
        if drops or not d.final():
            continue
        init = reference.line(s.plan, "Dockerfile", "USER")
        line = user.line if user else (d.last("CMD") or d.last("ENTRYPOINT") or d.final()[-1]).line
        yield (d.path, line, "the container runs as root" + (f" (USER {user.args})" if user else ": no USER in the "
               "final stage"), "create a user and switch to it before CMD" + (f": {init}" if init else ""))


RUNS_AS_ROOT = Rule(
    "SY102", "runs-as-root", "error",
    "the container's processes run as root",
    "a bug or a vulnerable dependency in the app then runs with root's rights over everything in the container "
    "(and over mounted volumes); platforms with runAsNonRoot refuse the image.",
    runs_as_root,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nCMD [\"gunicorn\", \"app:app\"]\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN useradd --system app\nUSER app\n"
             "CMD [\"gunicorn\", \"app:app\"]\n"}, at=("Dockerfile", 3)),
    seeds=("000", "001", "003"), files="Dockerfile, supervisord")


def copy_before_install(s: Setup):
    for d in s.dockerfiles.values():
        copied = None
        for ins in d.instructions:
            if ins.cmd in ("COPY", "ADD") and not ins.flags.get("from"):
                words = ins.words()
                if len(words) >= 2 and any(w in (".", "./") for w in words[:-1]):
                    copied = copied or ins
            elif ins.cmd == "FROM":
                copied = None
            elif ins.cmd == "RUN" and copied and _PIP_REQUIREMENTS.search(ins.args) and not \
                    re.search(r"\s\.(\s|$)|-e\s", ins.args):
                init = [reference.line(s.plan, "Dockerfile", start, after="# Dependencies before the code")
                        for start in ("COPY ", "RUN ")]
                yield (d.path, copied.line, f"{copied.cmd} of the whole folder (line {copied.line}) before the "
                       f"requirements are installed (line {ins.line})",
                       "copy the requirement files, install them, then copy the code" +
                       (f"; shipyard init writes: {init[0]} / {init[1]} / ... / COPY . ." if all(init) else
                        ": COPY requirements.txt ., RUN pip install -r requirements.txt, then COPY . ."))
                break


COPY_BEFORE_INSTALL = Rule(
    "SY103", "copy-before-install", "warning",
    "the code is copied before the dependencies are installed",
    "any change to any file invalidates the layer cache at that COPY, so every build downloads and installs "
    "every dependency again: slow builds, and a fresh download of everything on each deploy.",
    copy_before_install,
    Example({"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nADD . /app\nRUN pip install -r requirements.txt\n"
             "USER 1000\nCMD [\"gunicorn\", \"app:app\"]\n"},
            {"Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
             "RUN pip install -r requirements.txt\nCOPY . .\nUSER 1000\nCMD [\"gunicorn\", \"app:app\"]\n"}, at=("Dockerfile", 3)),
    seeds=("000",), files="Dockerfile")


def compilers(s: Setup):
    for d in s.dockerfiles.values():
        for ins in d.final("RUN"):
            for m in re.finditer(r"\b(?:apt-get|apt|apk)\s+(?:-\S+\s+)*(?:install|add)\s+([^&;|]+)", ins.args):
                found = [w for w in m.group(1).split() if not w.startswith("-") and _COMPILERS.match(w)]
                if found:
                    yield (d.path, ins.line, f"{', '.join(found)} installed in the final image",
                           "install compilers and -dev headers in a builder stage (FROM ... AS builder), build "
                           "the virtualenv there, and COPY --from=builder only the virtualenv; the final stage "
                           "installs the runtime libraries (libpq5, not libpq-dev)")


COMPILERS = Rule(
    "SY104", "compilers-in-final-image", "warning",
    "compilers or -dev headers are left in the image that runs",
    "hundreds of MB pulled on every deploy and node start, and a compiler for whoever gets code execution "
    "in the container; nothing at run time needs them.",
    compilers,
    Example({"Dockerfile": "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y build-essential "
             "libpq-dev\nCOPY . /app\nUSER 1000\n"},
            {"Dockerfile": "FROM python:3.12-slim AS builder\nRUN apt-get update && apt-get install -y "
             "build-essential libpq-dev\nRUN python -m venv /opt/venv\nFROM python:3.12-slim\n"
             "RUN apt-get update && apt-get install -y libpq5\nCOPY --from=builder /opt/venv /opt/venv\nUSER 1000\n"},
            at=("Dockerfile", 2)),
    seeds=("002", "003", "004"), files="Dockerfile")

RULES = (SHELL_FORM, RUNS_AS_ROOT, COPY_BEFORE_INSTALL, COMPILERS)


_WORLD_WRITABLE = re.compile(r"\bchmod\s+(?:-\w+\s+)*(?:0?[0-7]?[0-7][0-7][2367]|[augo]*\+[rwxX]*w[rwxX]*)\b")


def world_writable(s: Setup):
    for d in s.dockerfiles.values():
        for ins in d.final("RUN"):
            m = _WORLD_WRITABLE.search(ins.args)
            if m and not re.search(r"\bchmod\s+(?:-\w+\s+)*[0-7]?[0-7]{3}\s+/tmp\b", ins.args):
                yield (d.path, ins.line, f"`{m.group(0)}` makes files writable by every user of the image",
                       "give the folders to the user that needs them: install -d -o app -g app -m 0750 DIR "
                       "(shipyard init: the code stays root-owned and read-only, only the runtime folder is the app's)")


WORLD_WRITABLE = Rule(
    "SY105", "world-writable", "warning",
    "folders or files are made writable by everyone (chmod 777, a+w)",
    "whatever runs in the container, a compromised dependency included, can then change the code, the "
    "configuration or the sockets of the others: a foothold becomes a takeover of the app.",
    world_writable,
    Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN chmod 777 -R /app /run\nUSER 1000\n"},
            {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\nRUN install -d -o 1000 -m 0750 /run/app\nUSER 1000\n"},
            at=("Dockerfile", 3)),
    seeds=("003",), files="Dockerfile")

RULES = RULES + (WORLD_WRITABLE,)
