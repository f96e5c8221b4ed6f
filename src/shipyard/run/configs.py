"""The files a local production run uses, written into its private run folder.

The files come from the one renderer (shipyard.render, the same templates as the image), rendered for a
local Target. Two things are local-only and applied here as data, not templates:
  * the app's own server config (gunicorn.conf.py / uwsgi.ini written by `shipyard init`, maybe edited)
    replaces the rendered one, so what runs here is what runs in the image;
  * supervisord is told how Shipyard drives it: foreground, its socket and pid in the run folder, program
    output to its stdout (which Shipyard streams), process groups stopped and killed as a whole.
"""

from __future__ import annotations

import configparser
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import ShipyardError
from ..plan import Plan

SERVER_CONFIGS = {"gunicorn": "gunicorn.conf.py", "uwsgi": "uwsgi.ini", "granian": None}


@dataclass(frozen=True)
class Layout:
    run_dir: Path
    conf: Path                     # supervisord.conf
    socket: Path                   # supervisord's control socket
    programs: tuple[str, ...]      # the [program:x] names
    server_config: str | None      # which server config runs, for the report
    nginx: bool


def _venv_root(python: str) -> Path:
    # <venv>/bin/python -> <venv>; Target.local wants the environment's root, not the interpreter
    return Path(python).parent.parent


def render_local(plan: Plan, root: Path, run_dir: Path, python: str, nginx_bin: str | None) -> dict[str, str]:
    from ..render import Target, render
    target = Target.local(root, run_dir, _venv_root(python), nginx_bin=nginx_bin or "/usr/sbin/nginx")
    return render(plan, target)


def local_supervisord(text: str, run_dir: Path, stop_wait: int) -> tuple[str, tuple[str, ...]]:
    """Apply the local run's supervisord settings to the rendered supervisord.conf."""
    parser = configparser.RawConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # keep key case
    parser.read_string(text)
    sock = run_dir / "supervisor.sock"

    def section(name: str) -> configparser.SectionProxy:
        if not parser.has_section(name):
            parser.add_section(name)
        return parser[name]

    section("unix_http_server").update({"file": str(sock), "chmod": "0700"})
    parser.remove_section("inet_http_server")
    sup = section("supervisord")
    sup.update({"nodaemon": "true", "silent": "true", "logfile": str(run_dir / "supervisord.log"),
                "pidfile": str(run_dir / "supervisord.pid"), "childlogdir": str(run_dir)})
    sup.pop("user", None)
    section("rpcinterface:supervisor")["supervisor.rpcinterface_factory"] = \
        "supervisor.rpcinterface:make_main_rpcinterface"
    section("supervisorctl")["serverurl"] = f"unix://{sock}"
    programs = []
    for name in parser.sections():
        if not name.startswith("program:"):
            continue
        prog = parser[name]
        programs.append(name.split(":", 1)[1])
        prog.pop("user", None)   # we run as whoever runs shipyard
        prog.update({"stdout_logfile": "/dev/stdout", "stdout_logfile_maxbytes": "0",
                     "redirect_stderr": "true", "autostart": "true", "autorestart": "true",
                     "stopasgroup": "true", "killasgroup": "true"})
        for key in ("stderr_logfile", "stderr_logfile_maxbytes"):
            prog.pop(key, None)
        if int(prog.get("stopwaitsecs", "10")) < stop_wait:
            prog["stopwaitsecs"] = str(stop_wait)
        prog.setdefault("startsecs", "1")
        prog["startretries"] = "1"
    if not programs:
        raise ShipyardError("the rendered supervisord.conf has no [program:...] section",
                            "this is a bug in Shipyard's templates; please report it")
    out = io.StringIO()
    parser.write(out)
    return out.getvalue(), tuple(programs)


def write_layout(plan: Plan, root: Path, run_dir: Path, python: str, nginx_bin: str | None) -> Layout:
    files = render_local(plan, root, run_dir, python, nginx_bin)
    server = plan.settings.get("server", "gunicorn")
    wanted = {"supervisord.conf", "nginx.conf"} | ({SERVER_CONFIGS[server]} if SERVER_CONFIGS[server] else set())
    for rel, text in files.items():
        if rel in wanted:
            (run_dir / rel).write_text(text)
    server_config = None
    own_name = SERVER_CONFIGS.get(server)
    if own_name:
        own = root / own_name
        if own.is_file():
            # The app's own file (from `shipyard init`, maybe edited) reads its settings from the environment,
            # so it runs unchanged here: the same file the image runs.
            shutil.copyfile(own, run_dir / own_name)
            server_config = f"the app's {own_name}"
        else:
            server_config = f"a generated {own_name} (run `shipyard init` to keep one with the app)"
    if "supervisord.conf" not in files:
        raise ShipyardError("the renderer produced no supervisord.conf", "this is a bug in Shipyard's templates")
    stop_wait = int(plan.settings.get("graceful_timeout", 30)) + 5
    conf_text, programs = local_supervisord(files["supervisord.conf"], run_dir, stop_wait)
    conf = run_dir / "supervisord.conf"
    conf.write_text(conf_text)
    return Layout(run_dir, conf, run_dir / "supervisor.sock", programs, server_config,
                  nginx="nginx" in programs)
