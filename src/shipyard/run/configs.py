"""The files a local production run uses, written into its private run folder.

The files come from the one renderer (shipyard.render: the image's templates), rendered for a local Target
(paths on this machine, the run folder for sockets, pids and nginx's temp files). What is local-only is
applied here as data, never as a second template:
  * the app's own gunicorn.conf.py (from `shipyard init`, maybe edited) replaces the rendered one, so what
    runs here is what runs in the image; it reads its bind address from SHIPYARD_BIND, and gets --chdir;
  * supervisord is told how Shipyard drives it: foreground and silent, socket and pid in the run folder,
    program output to its stdout (which Shipyard streams), and no FATAL listener (Shipyard watches states
    itself and reports which program failed and why);
  * without nginx, the [program:nginx] section is dropped and the app server listens on the port itself.
"""

from __future__ import annotations

import ast
import configparser
import io
import os
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import ShipyardError
from ..plan import Plan
from ..script_options import option_args
from .ports import free_port

OWN_SERVER_CONFIG = {"gunicorn": "gunicorn.conf.py"}


@dataclass(frozen=True)
class Layout:
    run_dir: Path
    conf: Path                     # supervisord.conf
    socket: Path                   # supervisord's control socket
    programs: tuple[str, ...]      # the [program:x] names
    server_config: str             # which server config runs, for the report
    nginx: bool
    env: dict[str, str]            # environment the programs need on top of the settings'
    app_socket: Path | None = None  # the app server's unix socket behind nginx


def venv_root(python: str) -> Path:
    """<venv>/bin/python -> <venv> (Target.local wants the environment's root). Not resolved: a venv's
    python is often a symlink to the base interpreter."""
    return Path(python).absolute().parent.parent


def local_supervisord(text: str, run_dir: Path, *, nginx: bool, stop_wait: int,
                      extra_args: dict[str, list[str]]) -> tuple[str, tuple[str, ...]]:
    """The rendered supervisord.conf, adjusted to be driven by Shipyard (see the module docstring)."""
    parser = configparser.RawConfigParser(interpolation=None, strict=False, inline_comment_prefixes=(";",))
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
                "logfile_maxbytes": "10MB", "pidfile": str(run_dir / "supervisord.pid"),
                "childlogdir": str(run_dir), "loglevel": "info"})
    sup.pop("user", None)
    section("rpcinterface:supervisor")["supervisor.rpcinterface_factory"] = \
        "supervisor.rpcinterface:make_main_rpcinterface"
    section("supervisorctl")["serverurl"] = f"unix://{sock}"
    for name in parser.sections():
        if name.startswith("eventlistener:"):
            parser.remove_section(name)
    if not nginx:
        parser.remove_section("program:nginx")
    programs = []
    for name in parser.sections():
        if not name.startswith("program:"):
            continue
        prog = parser[name]
        program = name.split(":", 1)[1]
        programs.append(program)
        prog.pop("user", None)   # everything runs as whoever runs shipyard
        if extra_args.get(program):
            # supervisord expands %(...)s in a command: a literal % (in a password) is written %%
            prog["command"] = prog["command"] + " " + shlex.join(extra_args[program]).replace("%", "%%")
        for key in ("stderr_logfile", "stderr_logfile_maxbytes"):
            prog.pop(key, None)
        prog.update({"stdout_logfile": "/dev/stdout", "stdout_logfile_maxbytes": "0", "redirect_stderr": "true",
                     "autostart": "true", "autorestart": "true", "stopasgroup": "true", "killasgroup": "true",
                     # a program that dies while starting is reported by Shipyard, not retried in silence
                     "startretries": "1"})
        if int(prog.get("stopwaitsecs", "10")) < stop_wait:
            prog["stopwaitsecs"] = str(stop_wait)
    if "app" not in programs:
        raise ShipyardError("the rendered supervisord.conf has no [program:app] section",
                            "this is a bug in Shipyard's templates; please report it")
    out = io.StringIO()
    parser.write(out)
    return out.getvalue(), tuple(programs)


# sun_path holds 108 bytes with the final NUL on Linux: a longer socket path fails deep inside supervisord
# or the app server with "AF_UNIX path too long"; say it here, with what to do.
MAX_SOCKET_PATH = 107


def check_own_chdir(config: Path) -> None:
    """A gunicorn.conf.py written by an older `shipyard init` says `chdir = "/app"`, which gunicorn checks while
    it loads the file, before the --chdir given here: say how to update it instead of gunicorn's error."""
    try:
        tree = ast.parse(config.read_text(errors="replace"))
    except SyntaxError:
        return  # gunicorn reports it, with its line
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "chdir" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            folder = Path(node.value.value)
            if folder.is_absolute() and not folder.is_dir():
                raise ShipyardError(
                    f"{config.name} sets chdir = {node.value.value!r}, the image's folder, which this machine does "
                    f"not have: re-run `shipyard init` to update the file (it then takes SHIPYARD_CHDIR), or "
                    f"remove that line")


def check_socket_paths(run_dir: Path) -> None:
    longest = max((run_dir / name for name in ("supervisor.sock", "app.sock", "uwsgi-stats.sock")),
                  key=lambda p: len(os.fsencode(p)))
    if len(os.fsencode(longest)) > MAX_SOCKET_PATH:
        raise ShipyardError(f"the run folder's socket path is too long for a unix socket "
                            f"({len(os.fsencode(longest))} bytes, at most {MAX_SOCKET_PATH}): {longest}",
                            "set TMPDIR to a short folder, e.g. TMPDIR=/tmp")


def write_layout(plan: Plan, root: Path, run_dir: Path, python: str, nginx_bin: str | None,
                 database_url: str | None = None, app_host: str | None = None, host: str = "127.0.0.1") -> Layout:
    """Render the plan for this machine into `run_dir` and return how to run it; `database_url`: the
    database a script entry that takes it as tornado.options is given on its command line; `app_host`: the
    Host nginx passes for a request under a name the app refuses (Target.app_host); `host`: the address nginx
    (or the app server alone) listens on."""
    from ..render import Target, render
    from ..render.render import ENTRY_SHIM, output_path, script_path
    check_socket_paths(run_dir)
    nginx = nginx_bin is not None
    # a script entry starts its own server on a TCP port (no unix socket): behind nginx, a free one
    script = plan.entry.kind == "script"
    app_port = free_port() if script and nginx else None
    target = Target.local(root, run_dir, venv_root(python), nginx_bin=nginx_bin or "/usr/sbin/nginx",
                          app_port=app_port, app_host=app_host, listen_host=host)
    plan = plan.with_settings(topology="bundle" if nginx else "app")
    server = plan.settings["server"]
    files = render(plan, target)
    # supervisord.conf is a bundle file; without nginx the same file runs the app server alone
    files.update(render(plan.with_settings(topology="bundle"), target, only=("supervisord.conf",)))
    for rel in ("gunicorn.conf.py", "uwsgi.ini", "shipyard_runtime.py", "nginx.conf"):
        if rel in files:
            (run_dir / rel).write_text(files[rel])

    env: dict[str, str] = {}
    shim = output_path(plan, ENTRY_SHIM)
    if shim in files:
        # the app starts a dev server when imported: the server imports the shim, kept in the run folder
        (run_dir / ENTRY_SHIM).write_text(files[shim])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(run_dir), os.environ.get("PYTHONPATH"))))
    extra: dict[str, list[str]] = {}
    server_config = {"gunicorn": "generated gunicorn.conf.py", "uwsgi": "generated uwsgi.ini",
                     "granian": "generated shipyard_runtime.py", "tornado": "generated shipyard_runtime.py",
                     "aiohttp": "generated shipyard_runtime.py"}[server]
    own_name = OWN_SERVER_CONFIG.get(server)
    if own_name and (root / own_name).is_file():
        # The app's own file runs unchanged; what differs here is only where: its folder and its socket.
        check_own_chdir(root / own_name)
        shutil.copyfile(root / own_name, run_dir / own_name)
        server_config = f"the app's {own_name}"
        extra["app"] = ["--chdir", str((root / plan.workdir).resolve())]
    if server == "gunicorn":
        # the app's gunicorn.conf.py from `shipyard init` takes its chdir from here (the image's is /app)
        env["SHIPYARD_CHDIR"] = str((root / plan.workdir).resolve())
        env["SHIPYARD_BIND"] = f"unix:{target.socket}" if nginx else f"{host}:{plan.settings['port']}"
        # gunicorn >= 25 opens a control socket in $XDG_RUNTIME_DIR (else ~/.gunicorn): keep it in this run
        env["XDG_RUNTIME_DIR"] = str(run_dir)
    if server in ("granian", "tornado") and nginx:
        env["SHIPYARD_SOCKET"] = target.socket
    if script and (db_args := option_args(plan.entry.db_options, database_url)):
        extra.setdefault("app", []).extend(db_args)
    if nginx and os.geteuid() == 0:
        # nginx run by root would switch its workers to `nobody`, who cannot read the app's files or its
        # socket; locally, nginx runs as whoever runs shipyard
        extra["nginx"] = ["-g", "user root;"]

    stop_wait = int(plan.settings.get("graceful_timeout", 30)) + 5
    supervisord_conf = files["supervisord.conf"]
    gunicorn_script = f"{target.venv}/bin/gunicorn"
    if server == "gunicorn" and not Path(gunicorn_script).exists():
        # an interpreter outside a virtualenv may have gunicorn importable without its console script
        supervisord_conf = supervisord_conf.replace(shlex.quote(gunicorn_script),
                                                    f"{shlex.quote(python)} -m gunicorn")
    uwsgi_script = f"{target.venv}/bin/uwsgi"
    if server == "uwsgi" and not Path(uwsgi_script).exists():
        # uWSGI from the overlay: pyuwsgi is the same program as an importable module
        boot = "import sys, pyuwsgi; sys.exit(pyuwsgi.run())"
        supervisord_conf = supervisord_conf.replace(shlex.quote(uwsgi_script), f"{shlex.quote(python)} -c {shlex.quote(boot)}")
    conf_text, programs = local_supervisord(supervisord_conf, run_dir, nginx=nginx,
                                            stop_wait=stop_wait, extra_args=extra)
    conf = run_dir / "supervisord.conf"
    conf.write_text(conf_text)
    if script:
        server_config = f"the app's own {plan.framework} server, started by {script_path(plan.entry)}"
    return Layout(run_dir, conf, run_dir / "supervisor.sock", programs, server_config, nginx, env,
                  app_socket=Path(target.socket) if nginx and not script else None)


