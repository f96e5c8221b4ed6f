"""`dev`: the framework's own debug server, reloading on code changes.

One command per app shape, always run with the app's interpreter:
  Flask            python -m flask --app ENTRY run --debug          (Flask's reloader and debugger)
  Django           python -m django runserver                        (Django's autoreloader)
  FastAPI / ASGI   python -m uvicorn ENTRY --reload                  (watchfiles)
  other WSGI       werkzeug's run_simple(use_reloader=True, use_debugger=True), else gunicorn --reload
  aiohttp          gunicorn --reload with aiohttp's GunicornWebWorker
  Tornado          the app on tornado's HTTPServer with tornado.autoreload
  Tornado script   python -m tornado.autoreload SCRIPT --port=N       (an app that starts its own server; one
                   that listens on a port of its own, or a console script's function, runs through
                   shipyard_entry.py, which rebinds it or calls the function)
  aiohttp script   python SCRIPT (through shipyard_entry.py when it rebinds web.run_app): no reloader, as
                   aiohttp has none of its own
Development tools the entry imports and the app does not install (aiohttp-devtools' get_app() sets up the
debug toolbar) come from the same cached overlay as uvicorn and debugpy.
A module that starts a dev server when imported, or bottle's default app, is loaded through the generated
shipyard_entry.py, as the production server loads it.
`--debugger` puts debugpy in front: python -m debugpy --listen 127.0.0.1:PORT <the same arguments>.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from .. import servers, spawn
from ..detect.imports import distribution_for
from ..errors import AppLoadError
from ..plan import Entry, Plan
from ..script_options import option_args
from . import ports, procs, watchdog
from .appenv import AppEnv, overlay, server_env
from .signals import StopRequest

HOST = "127.0.0.1"

# Serves any WSGI callable with werkzeug's reloader. Written to a file in the private run folder, because the
# reloader restarts the program by re-executing its script (a `python -c` program could not be re-run).
# An app loaded through shipyard_entry.py has socketserver's serve_forever made a no-op, which werkzeug's own
# server needs back.
_WERKZEUG = """\
import importlib, os, socketserver, sys
sys.path.insert(0, os.getcwd())
from werkzeug.serving import run_simple
serve_forever = socketserver.BaseServer.serve_forever
module, _, attr = sys.argv[1].partition(':')
obj = importlib.import_module(module)
app = eval(attr, vars(obj)) if attr.endswith(')') else getattr(obj, attr)
socketserver.BaseServer.serve_forever = serve_forever
run_simple(sys.argv[2], int(sys.argv[3]), app, use_reloader=True, use_debugger=True)
"""

# A tornado app with tornado's reloader (it re-executes this script when a module changes).
_TORNADO = """\
import asyncio, importlib, os, sys
sys.path.insert(0, os.getcwd())
import tornado.autoreload
module, _, attr = sys.argv[1].partition(':')
obj = importlib.import_module(module)
app = eval(attr, vars(obj)) if attr.endswith(')') else getattr(obj, attr)


async def main():
    app.listen(int(sys.argv[3]), sys.argv[2])
    tornado.autoreload.start()
    await asyncio.Event().wait()

asyncio.run(main())
"""

# gunicorn's settings for dev: only the generated gunicorn.conf.py's post_fork hook, so the app reads a bare command
# line here too (not gunicorn's --reload, --bind..., which an app's argparse would refuse or take for its own).
_GUNICORN = """\
import sys


def post_fork(server, worker):
    del sys.argv[1:]
"""


@dataclass(frozen=True)
class DevCommand:
    argv: list[str]          # without the interpreter: ["-m", "flask", ...]
    cwd: Path
    env: dict[str, str]
    describe: str            # what runs, for the first line printed


def dev_command(plan: Plan, root: Path, env: AppEnv, port: int, run_dir: Path,
                database_url: str | None = None) -> DevCommand:
    workdir = (root / plan.workdir).resolve()
    entry = plan.entry
    extra: dict[str, str] = {}
    if plan.framework == "django" or entry.kind == "django":
        env.require("django", "dev runs Django's runserver")
        extra.update(entry.django_env)
        # a django-configurations project's settings load only through its own command line
        tool = "configurations" if entry.django_configuration else "django"
        return DevCommand(["-m", tool, "runserver", f"{HOST}:{port}"], workdir, extra,
                          "Django's runserver (autoreload)")
    if entry.kind == "default_app" or entry.import_folder or entry.main_setup or entry.root_package or \
            entry.wsgi_file or (entry.starts_server_on_import and plan.framework != "flask"
                                                              and entry.interface != "tornado"):
        # the module starts a development server of its own when imported (Flask's CLI makes app.run() a no-op
        # itself), it is bottle's default app, with no name to load, or its `__main__` block sets it up (or makes
        # it), or its folder is a package it is imported as (root_package), or it is a mod_wsgi script file no server
        # can import by name (wsgi_file): dev loads the app through the same
        # shipyard_entry.py as the production server, which makes that call a no-op
        entry = _through_entry_shim(plan, run_dir, extra)
    if entry.kind == "script":
        return _script_dev_command(plan, root, env, port, run_dir, workdir, extra, database_url)
    if entry.interface in ("aiohttp", "sanic"):
        # aiohttp, and Sanic before 19.6 (no ASGI): gunicorn with the framework's own worker
        own = "aiohttp" if entry.interface == "aiohttp" else "Sanic"
        env.require("gunicorn", f"dev serves {own} apps with gunicorn --reload and {own}'s worker")
        target = entry.target.split("(")[0] if entry.async_factory else entry.target
        return DevCommand(["-m", "gunicorn", *_gunicorn_config(run_dir, extra), "--reload", "--workers", "1",
                           "--worker-class", servers.GUNICORN_WORKERS[entry.interface], "--bind", f"{HOST}:{port}",
                           target], workdir, extra, f"gunicorn --reload with {own}'s worker")
    if entry.interface == "tornado":
        script = run_dir / "tornado_dev.py"
        script.write_text(_TORNADO)
        return DevCommand([str(script), entry.target, HOST, str(port)], workdir, extra, "tornado with autoreload")
    if entry.interface == "asgi":
        env.require("uvicorn", "dev runs ASGI apps with uvicorn --reload")
        target = entry.target
        argv = ["-m", "uvicorn", "--reload", "--host", HOST, "--port", str(port)]
        if entry.kind == "factory" or target.endswith(")"):
            target = target.split("(")[0]
            argv.append("--factory")
        return DevCommand([*argv, target], workdir, extra, "uvicorn --reload")
    if plan.framework == "flask":
        env.require("flask", "dev runs Flask's debug server")
        # the variables, not `--app`/`--debug`: Flask before 2.2 has neither option, and every Flask reads these
        extra.update(FLASK_APP=entry.target, FLASK_DEBUG="1")
        return DevCommand(["-m", "flask", "run", "--host", HOST, "--port", str(port)], workdir, extra,
                          "Flask's debug server (reloader on)")
    if env.has_module("werkzeug"):
        script = run_dir / "werkzeug_dev.py"
        script.write_text(_WERKZEUG)
        return DevCommand([str(script), entry.target, HOST, str(port)], workdir, extra,
                          "werkzeug's development server (reloader and debugger on)")
    env.require("gunicorn", "dev serves this WSGI app with gunicorn --reload when werkzeug is not installed")
    return DevCommand(["-m", "gunicorn", *_gunicorn_config(run_dir, extra), "--reload", "--workers", "1",
                       "--bind", f"{HOST}:{port}", entry.target], workdir, extra, "gunicorn --reload")


def _script_dev_command(plan: Plan, root: Path, env: AppEnv, port: int, run_dir: Path, workdir: Path,
                        extra: dict[str, str], database_url: str | None) -> DevCommand:
    """The app starts its own server: run the script (a tornado one under tornado's reloader), told its port."""
    from ..render.render import script_path
    entry = plan.entry
    run = ["-m", entry.module] if "." in entry.module else [script_path(entry)]
    if entry.port_from == "listen" or entry.console_script:
        # a port of its own (run through shipyard_entry.py, which binds its listen call or run_app to PORT), or a
        # console script's function (which shipyard_entry.py calls)
        run = [str(_script_shim(plan, root, run_dir))]
    if entry.port_from in ("PORT", "listen"):
        extra["PORT"] = str(port)
    flag = [f"--port={port}"] if entry.port_from == "--port" else []
    flag += option_args(entry.db_options, database_url)     # its database, as tornado.options
    what = f"the console script {entry.console_script}" if entry.console_script else f"{entry.module}.py"
    if entry.interface != "tornado":
        return DevCommand([*run, *flag], workdir, extra, f"{what} (its own {plan.framework} server; no reloader)")
    env.require("tornado", "dev runs a tornado script with tornado.autoreload")
    return DevCommand(["-m", "tornado.autoreload", *run, *flag], workdir, extra, f"{what} under tornado.autoreload")


def _gunicorn_config(run_dir: Path, extra: dict[str, str]) -> list[str]:
    conf = run_dir / "gunicorn_dev.conf.py"
    conf.write_text(_GUNICORN)
    # gunicorn >= 25 opens a control socket in $XDG_RUNTIME_DIR, else ~/.gunicorn, shared by every gunicorn of
    # the user: keep this one's in the run folder
    extra["XDG_RUNTIME_DIR"] = str(run_dir)
    return ["-c", str(conf)]


def dev_tools(plan: Plan) -> tuple[str, ...]:
    """The development tools the entry imports (a debug toolbar), as distributions: production leaves them out
    (shipyard_entry.py's stand-in), dev gives the app the real ones."""
    return tuple(distribution_for(tool) for tool in plan.entry.dev_tools)


def _script_shim(plan: Plan, root: Path, run_dir: Path) -> Path:
    """shipyard_entry.py for a script that listens on a port of its own, in the private run folder, listening
    on dev's host."""
    from ..render import Target, render
    from ..render.render import ENTRY_SHIM, output_path
    plan = plan.with_settings(topology="app")
    target = Target.local(root, run_dir, run_dir, listen_host=HOST)
    shim = run_dir / ENTRY_SHIM
    shim.write_text(render(plan, target, only=(ENTRY_SHIM,))[output_path(plan, ENTRY_SHIM)])
    return shim


def _through_entry_shim(plan: Plan, run_dir: Path, extra: dict[str, str]) -> Entry:
    """Write the generated shipyard_entry.py into the private run folder and put that folder on PYTHONPATH."""
    from ..render import render
    from ..render.render import ENTRY_SHIM, output_path, served_entry
    (run_dir / ENTRY_SHIM).write_text(render(plan, only=(ENTRY_SHIM,))[output_path(plan, ENTRY_SHIM)])
    extra["PYTHONPATH"] = str(run_dir)
    return served_entry(plan)


def with_debugger(cmd: DevCommand, env: AppEnv, debug_port: int) -> DevCommand:
    env.require("debugpy", "--debugger opens a debugpy port for an IDE to attach to")
    # frozen stdlib modules make debugpy miss breakpoints in them; it asks for this flag
    return DevCommand(["-Xfrozen_modules=off", "-m", "debugpy", "--listen", f"{HOST}:{debug_port}", *cmd.argv], cmd.cwd, cmd.env,
                      f"{cmd.describe}, under debugpy (attach your IDE to {HOST}:{debug_port})")


def run_dev(plan: Plan, root: Path, env: AppEnv, *, debug_port: int | None, stop: StopRequest,
            say: Callable[[str], None], environ: Mapping[str, str] | None = None) -> int:
    """Run the dev server until it exits or `stop` is set; its output goes straight to the terminal.
    `environ`: the environment to start from (default ours; with the app's own database's variables)."""
    port = int(plan.settings["port"])
    environ = server_env(plan, environ)       # raises when a needed database is not configured
    ports.ensure_free(port)
    if debug_port is not None:
        ports.ensure_free(debug_port)
    run_dir = Path(tempfile.mkdtemp(prefix="shipyard-dev-"))
    try:
        # uvicorn (ASGI reload), gunicorn (aiohttp's or Sanic's worker) and debugpy come from a cached overlay
        # when the app's environment lacks them
        needs = (("uvicorn",) if plan.interface == "asgi" and plan.framework != "django" else ()) + \
            (("gunicorn",) if plan.interface in ("aiohttp", "sanic") else ()) + \
            (("debugpy",) if debug_port is not None else ()) + dev_tools(plan)
        layered = overlay(env, needs, run_dir, say, environ)
        environ.update(layered)
        env = env.with_overlay(layered)
        cmd = dev_command(plan, root, env, port, run_dir, environ.get("DATABASE_URL"))
        if debug_port is not None:
            cmd = with_debugger(cmd, env, debug_port)
        for name, value in cmd.env.items():
            if name in plan.entry.django_env and environ.get(name):
                continue        # the settings module given (yours, or serve's settings module over the app's) wins
            # PYTHONPATH: the command's folder (the entry shim) in front of the overlay's
            environ[name] = os.pathsep.join(filter(None, (value, environ.get(name)))) if name == "PYTHONPATH" else value
        environ["PORT"] = str(port)
        say(f"{cmd.describe}: http://{HOST}:{port}/ (app Python: {env.python}, {env.origin}; Ctrl-C stops)")
        procs.become_subreaper()
        child = spawn.start([env.python, *cmd.argv], cwd=cmd.cwd, env=environ)   # its own session
        guard = watchdog.Watchdog(child.pid, run_dir)   # the server dies with us, even on SIGKILL
        try:
            while child.poll() is None:
                if stop.wait(0.2):
                    break
            if child.poll() is not None:
                code = child.returncode
                if code != 0:
                    raise AppLoadError(f"the dev server exited with status {code}",
                                       "its own error is above; fix it and run again")
                return 0
            # the reloader's parent and its child form one process group: stop them together
            _signal_group(child.pid, signal.SIGTERM)
            try:
                child.wait(10 if not stop.urgent else 0.1)
            except subprocess.TimeoutExpired:
                pass
            return 0
        finally:
            _signal_group(child.pid, signal.SIGKILL) if child.poll() is None else None
            procs.kill_all([p for p in procs.descendants(os.getpid()) if p != guard.pid], grace=2)
            if child.poll() is None:
                child.wait(5)
            guard.release()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
