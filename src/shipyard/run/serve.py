"""`serve`: the production process tree here, as in the image: supervisord running the app server and nginx.

Order matters: everything that can be refused (port in use, server or database missing) is checked before a
single process starts; once started, every way out (ready + signal, boot failure, crash loop) goes through
one stop that leaves no process behind and removes the private run folder.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Collection, Mapping

from ..plan import Plan
from . import ports
from ..detect import unfetched_submodule
from ..detect.deps import server_requirements
from .appenv import AppEnv, image_env, overlay, server_env
from .configs import Layout, write_layout
from .django_hosts import SERVED, AcceptedHosts, say_hosts
from .signals import StopRequest
from .unrun_services import unanswered_boot, unrun_clients
from .tree import BootFailed, ProcessTree, TreeSpec

NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")
NGINX_HOW = "install it for the production setup here: `sudo apt-get install nginx` (Debian/Ubuntu), " \
            "`brew install nginx` (macOS)"
BOOT_TIMEOUT = 60.0
PROBE_WAIT = 5.0      # how long the first GET of the health path waits for its answer
STARTING_STOP = 3.0   # how long a tree that never answered may take to stop before it is killed


def find_nginx() -> str | None:
    return shutil.which("nginx") or next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def server_packages(plan: Plan) -> tuple[str, ...]:
    """The requirements of the plan's server (gunicorn with uvicorn-worker for ASGI, pyuwsgi, granian)."""
    return tuple(f"{name}{spec}" for name, spec in server_requirements(plan.settings["server"], plan.interface,
                                                                               plan.entry.cooperative,
                                                                               plan.dependencies))


def run_env(plan: Plan, environ: dict[str, str] | None = None, *, keep: Collection[str] = ()) -> dict[str, str]:
    """The environment the tree runs in: the settings the generated files read at run time. `keep`: variables
    serve's database gave the app that a setting also names (a DATABASES "PORT": env("PORT")), left as they are:
    behind nginx no generated file reads them (nginx.conf holds the port, the app listens on a socket)."""
    env = server_env(plan, environ)
    from ..settings import SETTINGS
    for s in SETTINGS:
        value = plan.settings.get(s.name)
        if s.env in keep and s.env in env:
            continue
        if s.env and value is not None and not (s.name in ("workers", "threads") and value == 0):
            env[s.env] = str(value)
    return env


ALL_INTERFACES = "0.0.0.0"


def reach_host(host: str) -> str:
    """The address serve's own requests (and the URL it prints) reach a server listening on `host` at: the
    loopback for every interface."""
    return "127.0.0.1" if host == ALL_INTERFACES else host


def _answer(host: str, port: int, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, str] | None:
    """(status, Location) of a GET, None when nothing answers."""
    conn = http.client.HTTPConnection(host, port, timeout=5)
    try:
        conn.request("GET", path, headers={"User-Agent": "shipyard-serve-probe", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.getheader("Location") or ""
    except (OSError, http.client.HTTPException):
        return None
    finally:
        conn.close()


class HealthProbe:
    """Whether the app answers its health path yet (anything but nginx's 502/504). A GET the app holds past its
    wait is a slow page (a dashboard that renders a 4 MB chart, a cold cache), not a server that is down: the
    next GET waits twice as long, up to the time left to boot. Asking again every few seconds instead would never
    see the answer, and would pile abandoned requests onto workers that still render each of them."""

    def __init__(self, port: int, path: str, deadline: float, say: Callable[[str], None],
                 host: str = "127.0.0.1") -> None:
        self.port, self.path, self.deadline, self.say, self.host = port, path, deadline, say, host
        self.wait = PROBE_WAIT
        self.status: int | None = None      # the last answer

    def __call__(self) -> bool:
        wait = max(1.0, min(self.wait, self.deadline - time.monotonic()))
        conn = http.client.HTTPConnection(self.host, self.port, timeout=wait)
        try:
            conn.request("GET", self.path, headers={"User-Agent": "shipyard-serve-probe"})
            status = self.status = conn.getresponse().status
        except TimeoutError:
            if self.wait == PROBE_WAIT:
                self.say(f"GET {self.path} has not answered within {wait:g}s: a slow page; waiting longer for an "
                         "answer rather than asking again")
            self.wait = self.wait * 2
            return False
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()
        return status not in (502, 504)


def missing_module_hint(cause: str, app_folders: tuple[Path, ...] = ()) -> str:
    """What to do about a module the app imports while answering that its environment lacks; when it is the app's
    own package, an empty folder (a git submodule not fetched), that and what to do instead."""
    if (empty := unfetched_submodule.explain(app_folders, cause)) is not None:
        return f": {empty[0]} ({empty[1]})"
    m = re.search(r"No module named '([\w.]+)'", cause)
    return f" (install the package that provides {m.group(1).split('.')[0]} in the app's environment and declare it " \
           "in its requirements; the package name can differ from the module's)" if m else ""


# what the env readers raise for a variable read with no default: django-environ's ImproperlyConfigured, python-
# decouple's UndefinedValueError, environs' EnvError
_UNSET = re.compile(r"Set the (\w+) environment variable|UndefinedValueError: (\w+) not found|"
                    r"Environment variable \W?(\w+)\W? not set")


def unset_variable_hint(cause: str) -> str:
    """What to do about a variable the app reads with no default while answering (a module its URLconf imports
    reads a third party's token), which serve had no value for."""
    m = _UNSET.search(cause)
    if m is None:
        return ""
    name = next(g for g in m.groups() if g)
    return (f" (the app reads {name} with no default while answering, and it is not set: give it the value the app "
            f"needs (export {name}=... or a line in the app's .env) and run again)")


def https_redirect(port: int, path: str, host: str = "127.0.0.1",
                   passed_host: str | None = None) -> tuple[str, bool] | None:
    """(where, answers) when the app answers a plain-HTTP request for `path` with a redirect to https on this
    same address (Django's SECURE_SSL_REDIRECT): `answers` tells whether it takes X-Forwarded-Proto: https, as
    a TLS-terminating proxy in front sends it, instead. None for any other answer. `passed_host`: the Host nginx
    gives the app when it accepts none of this machine's names (its production domain), which the redirect
    then names."""
    plain = _answer(host, port, path)
    names = (host, "localhost", *((passed_host,) if passed_host else ()))
    if plain is None or plain[0] not in (301, 302, 307, 308) \
            or not plain[1].startswith(tuple(f"https://{n}{end}" for n in names for end in (f":{port}", "/"))):
        return None
    behind_tls = _answer(host, port, path, {"X-Forwarded-Proto": "https"})
    return plain[1], behind_tls is not None and behind_tls != plain


def socket_accepts(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        try:
            sock.connect(str(path))
            return True
        except OSError:
            return False


@dataclass
class Serving:
    url: str
    layout: Layout
    tree: ProcessTree


def serve(plan: Plan, root: Path, env: AppEnv, *, nginx: bool, stop: StopRequest,
          say: Callable[[str], None], boot_timeout: float = BOOT_TIMEOUT,
          environ: Mapping[str, str] | None = None, hosts: AcceptedHosts | None = None,
          host: str = "127.0.0.1", database_vars: Collection[str] = ()) -> int:
    """Run the tree until `stop` is set; raise on a failure (after stopping everything). Returns 0, or
    128 + the signal number when a signal stopped the start (130 for Ctrl-C), as a shell reports it.
    `environ`: the environment to start from (default ours; with the app's own database's variables).
    `hosts`: the local names a Django app accepts (django_hosts.py), when it refuses 127.0.0.1. `host`: the address
    nginx (or the app server alone) listens on: the loopback by default, ALL_INTERFACES for other machines.
    `database_vars`: the variables serve's database gave the app (DATABASE_URL, the parts its code reads)."""
    port = int(plan.settings["port"])
    nginx_bin = find_nginx() if nginx else None
    if nginx and nginx_bin is None:
        say(f"nginx is not installed: serving with {plan.settings['server']} alone on port {port} ({NGINX_HOW})")
    # an app reading PORT as its database's port (DATABASES' "PORT": env("PORT")) keeps the database's behind nginx;
    # the server alone binds to PORT, which then cannot be both
    shared = sorted(set(database_vars) & {"PORT"})
    if shared and nginx_bin is None:
        say(f"warning: the app reads {shared[0]} as its database's port, and {plan.settings['server']} alone listens "
            f"on {shared[0]}: the app is given {port} and will not reach its database; serve with nginx "
            "(without --no-nginx) to keep both")
    # raises when a needed database is not configured
    environ = run_env(plan, environ, keep=shared if nginx_bin else ())
    ports.ensure_free(port, host)
    reach = reach_host(host)

    run_dir = Path(tempfile.mkdtemp(prefix="shipyard-serve-"))
    tree: ProcessTree | None = None
    started = False
    try:
        layout = write_layout(plan, root, run_dir, env.python, nginx_bin, environ.get("DATABASE_URL"),
                              app_host=hosts.pass_host if hosts else None, host=host)
        # the server comes from a cached overlay when the app's environment lacks it (never installed there)
        layered = {**image_env(plan, env.python), **environ, **layout.env}
        if "PYTHONPATH" in layout.env and environ.get("PYTHONPATH"):
            # the run folder's entry shim first, then what serve's environment puts there (its own settings)
            layered["PYTHONPATH"] = os.pathsep.join((layout.env["PYTHONPATH"], environ["PYTHONPATH"]))
        layered.update(overlay(env, server_packages(plan), run_dir, say, layered))
        health = str(plan.settings.get("health_path", "/"))
        answers = HealthProbe(port, health, time.monotonic() + boot_timeout, say, reach)

        def ready() -> bool:
            # behind nginx, ask through nginx only once the app's socket takes connections: before that,
            # every probe would be a 502 and two lines in nginx's logs
            if layout.app_socket is not None and not socket_accepts(layout.app_socket):
                return False
            answers.deadline = tree.deadline    # later than boot_timeout while the app still loads (tree.BUSY_SHARE)
            return answers()

        folders = (root / plan.workdir, root)
        tree = ProcessTree(TreeSpec(layout.conf, layout.socket, layout.programs, ready,
                                    layered,
                                    cwd=run_dir, app_folders=folders))
        say(f"starting {' + '.join(layout.programs)} under supervisord (run folder {run_dir}; "
            f"server config: {layout.server_config}; app Python: {env.python}, {env.origin})")
        tree.start()
        try:
            answered = tree.wait_ready(boot_timeout, cancelled=lambda: stop.requested, progress=say)
        except BootFailed as exc:
            # a first page that waits on a MongoDB serve does not run: said as that, not only as the hang
            if added := unanswered_boot(exc.message, unrun_clients(plan, root, environ)):
                labels = " / ".join(label for label, _ in unrun_clients(plan, root, environ))
                raise BootFailed(exc.message + added, f"start {labels} where the app connects (its settings, or "
                                 "the default its client uses), or point the app at one that answers, and run "
                                 "again") from exc
            raise
        if not answered:
            say(f"{stop.signame} received while starting: stopping (nothing is in flight: "
                f"at most {STARTING_STOP:g}s)")
            return 128 + stop.signum
        started = True
        say_hosts(hosts, port, layout.nginx, say)
        shown = hosts.url_host if hosts and reach == SERVED else reach
        everywhere = ", listening on every interface: other machines use this one's address" \
            if host == ALL_INTERFACES else ""
        say(f"serving {plan.name} at http://{shown}:{port}/ "
            f"({'nginx in front of ' if layout.nginx else ''}{plan.settings['server']}{everywhere}; Ctrl-C stops)")
        if answers.status is not None and answers.status >= 500:
            # up, yet its first page fails: say why here, not only in a traceback among the access lines
            say(f"warning: GET {health} answers {answers.status}" + (f": {cause}" if (cause := tree.request_error())
                                                                      else "") + missing_module_hint(cause, folders)
                + unset_variable_hint(cause))
        if (redirect := https_redirect(port, health, reach, hosts.pass_host if hosts and layout.nginx else None)) \
                is not None:
            # the production settings send every plain-HTTP request to https (SECURE_SSL_REDIRECT): serve has
            # no TLS, so a browser lands on an address nothing answers
            where, answers = redirect
            say(f"warning: the app redirects plain HTTP to https ({health} -> {where}; Django's "
                f"SECURE_SSL_REDIRECT), and serve speaks plain HTTP: in production a TLS proxy in front answers"
                + (f"; here, requests that say they came through one are served "
                   f"(curl -H 'X-Forwarded-Proto: https' http://{reach}:{port}{health})" if answers else ""))
        while not stop.wait(0.5):
            note = tree.check()
            if note:
                say(note)
        say(f"{stop.signame or 'stop'} received: letting requests in flight finish "
            f"(up to {plan.settings.get('graceful_timeout', 30)}s)")
        return 0
    finally:
        if tree is not None and not started:
            # a boot that failed, hung or was cancelled has no request in flight: no graceful wait
            tree.stop(STARTING_STOP, urgent=lambda: stop.urgent)
        elif tree is not None:
            if stop.urgent:
                tree.kill()
                say("second Ctrl-C: stopped everything immediately")
            else:
                killed = tree.stop(float(plan.settings.get("graceful_timeout", 30)) + 15,
                                   urgent=lambda: stop.urgent)
                if killed:
                    say(f"killed {len(killed)} process(es) that did not stop within the graceful timeout"
                        if not stop.urgent else "second Ctrl-C: stopped everything immediately")
        shutil.rmtree(run_dir, ignore_errors=True)
