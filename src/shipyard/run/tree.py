"""The production process tree: supervisord (from Shipyard's own environment) and the programs it runs.

Shipyard starts supervisord in the foreground in its own session (so a terminal's Ctrl-C reaches Shipyard
only), streams its output (the programs log to its stdout), asks it about program states over its unix
socket, and stops it with SIGTERM: supervisord then stops the programs in reverse priority order with each
program's own stop signal (nginx QUIT, the app server TERM), which lets requests in flight finish.

The tree is supervisord's session: whatever dies in it (a server master killed with SIGKILL, supervisord
itself, Shipyard itself), every process left is found by its session id and killed (procs.kill_session),
by Shipyard when it is alive, else by the watchdog (watchdog.py).
"""

from __future__ import annotations

import collections
import os
import re
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from supervisor.xmlrpc import SupervisorTransport

from .. import spawn
from ..detect import unfetched_submodule
from ..detect.entry import dotenv_file
from ..errors import AppCodeError, AppConfigError, AppLoadError, MissingDependency, ShipyardError
from ..project import Project
from . import procs, traceback_text, watchdog
from .unrun_services import unanswered_service, unanswered_under

FAILED_STATES = {"BACKOFF", "FATAL", "EXITED", "UNKNOWN"}
# A server restarted this many times within RESTART_WINDOW seconds is crash-looping: stop, do not hide it.
MAX_RESTARTS = 3
RESTART_WINDOW = 60.0
PROGRESS_EVERY = 10.0
# A boot past its deadline whose processes still work is loading (an app that computes its pages' data at import,
# on a busy machine), not hung (a hung one waits on a connection or a sleep): it is given PROGRESS_EVERY more at a
# time while they ran or waited to run (procs.session_demand) at least BUSY_SHARE of the last BUSY_WINDOW seconds,
# up to BUSY_STRETCH times the deadline in all.
BUSY_SHARE = 0.5
BUSY_WINDOW = 5.0
BUSY_STRETCH = 5
# nginx's access-log line for a readiness probe that found no app yet, and its error-log line for it
_PROBE_MISS = re.compile(r'" 50[24] \d+ "[^"]*" "shipyard-serve-probe"$|\[error\].* while connecting to upstream')


class BootFailed(AppLoadError):
    """A program of the tree exited while starting, or never became ready."""


class TreeFailed(ShipyardError):
    """supervisord itself went away while the tree ran."""


@dataclass
class TreeSpec:
    conf: Path                         # the supervisord.conf to run
    socket: Path                       # its [unix_http_server] file
    programs: tuple[str, ...]          # program names to watch ("app", "nginx")
    ready: Callable[[], bool]          # True once the tree answers requests
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    app_folders: tuple[Path, ...] = ()   # the app's workdir and root: where its own packages are


class LogPump(threading.Thread):
    """Copies supervisord's output to the terminal and keeps the last lines for error reports."""

    def __init__(self, stream, out: TextIO, keep: int = 400) -> None:
        super().__init__(daemon=True, name="shipyard-logs")
        self.stream = stream
        self.out = out
        self.lines: collections.deque[str] = collections.deque(maxlen=keep)

    def run(self) -> None:
        for raw in iter(self.stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if _PROBE_MISS.search(line):
                continue   # Shipyard's own readiness probe before the app answers: noise, not news
            self.lines.append(line)
            try:
                self.out.write(line + "\n")
                self.out.flush()
            except (OSError, ValueError):
                pass


class ProcessTree:
    def __init__(self, spec: TreeSpec, out: TextIO = sys.stdout) -> None:
        self.spec = spec
        self.out = out
        self.proc: subprocess.Popen | None = None
        self.pump: LogPump | None = None
        self._rpc: xmlrpc.client.ServerProxy | None = None
        self._pids: dict[str, int] = {}
        self._restarts: collections.deque[float] = collections.deque()
        self._watchdog: watchdog.Watchdog | None = None
        self.deadline = 0.0                    # when wait_ready gives up (monotonic), later while the boot works

    # --- start -----------------------------------------------------------------------------------------
    def start(self) -> None:
        procs.become_subreaper()
        cmd = [sys.executable, "-m", "supervisor.supervisord", "--nodaemon", "-c", str(self.spec.conf)]
        # a session of its own: the session is the tree (see the module docstring)
        self.proc = spawn.start(cmd, env=self.spec.env, cwd=self.spec.cwd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        self.pump = LogPump(self.proc.stdout, self.out)
        self.pump.start()
        # the tree dies with us, even when we are killed with SIGKILL (see watchdog.py)
        self._watchdog = watchdog.Watchdog(self.proc.pid, self.spec.cwd or self.spec.conf.parent)

    def _demand(self) -> float:
        """The seconds the tree's processes have run or waited to run (the session supervisord leads)."""
        return procs.session_demand(self.proc.pid) if self.proc is not None else 0.0

    def _release_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.release()

    def rpc(self):
        if self._rpc is None:
            transport = SupervisorTransport(None, None, f"unix://{self.spec.socket}")
            self._rpc = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)
        return self._rpc.supervisor

    def states(self) -> dict[str, dict] | None:
        """Program name -> supervisord's process info, or None while supervisord does not answer."""
        try:
            return {info["name"]: info for info in self.rpc().getAllProcessInfo()}
        except (OSError, xmlrpc.client.Error, ConnectionError):
            self._rpc = None
            return None

    def wait_ready(self, timeout: float, cancelled: Callable[[], bool] = lambda: False,
                   progress: Callable[[str], None] = lambda note: None) -> bool:
        """True once the tree answers, False when `cancelled`; raise BootFailed (tree still up: call stop).
        Every PROGRESS_EVERY seconds `progress` gets a note, so a slow boot does not look like a hang."""
        started = time.monotonic()
        self.deadline = started + timeout
        next_note = started + PROGRESS_EVERY
        samples = collections.deque([(started, self._demand())])   # (when, the tree's demand then), once a second
        while True:
            now = time.monotonic()
            if now - samples[-1][0] >= 1.0:
                samples.append((now, self._demand()))
                while len(samples) > 2 and samples[1][0] <= now - BUSY_WINDOW:
                    samples.popleft()
            if now >= self.deadline:
                (then, before), (last, used) = samples[0], samples[-1]
                if now - started >= timeout * BUSY_STRETCH or used - before < BUSY_SHARE * (last - then):
                    break
                if self.deadline == started + timeout:
                    progress(f"no answer after {timeout:g}s, but the app's processes are still working (they ran or "
                             f"waited to run {used - before:.1f}s in the last {last - then:.0f}s), not hung: waiting "
                             f"while they do, up to {timeout * BUSY_STRETCH:g}s in all")
                self.deadline = min(now + PROGRESS_EVERY, started + timeout * BUSY_STRETCH)
            if cancelled():
                return False
            if time.monotonic() >= next_note:
                next_note += PROGRESS_EVERY
                progress(f"still starting: no answer yet after {time.monotonic() - started:.0f}s "
                         + (f"(gives up once its processes stop working, at most {timeout * BUSY_STRETCH:g}s; "
                            if self.deadline > started + timeout else f"(gives up after {timeout:g}s; ") + "Ctrl-C stops)")
            if self.proc.poll() is not None:
                raise self._supervisord_gone("while starting")
            states = self.states()
            if states is not None:
                for name in self.spec.programs:
                    info = states.get(name)
                    if info is None:
                        continue
                    if info["statename"] in FAILED_STATES or (
                            name in self._pids and info["pid"] and info["pid"] != self._pids[name]):
                        raise self._failure(f"{name} exited while starting", info)
                    if info["pid"]:
                        self._pids[name] = info["pid"]
                if all(states.get(n, {}).get("statename") == "RUNNING" for n in self.spec.programs) \
                        and self.spec.ready():
                    return True
            time.sleep(0.1)
        waited = time.monotonic() - started - timeout
        raise self._failure(f"the server did not answer within {timeout:g}s"
                            + (f" (nor in {waited:.0f}s more while its processes worked)"
                               if self.deadline > started + timeout else ""), None,
                            "its output is above; an app that blocks while loading (a server started at "
                            "module level, a connection that never answers) hangs like this; or raise "
                            "--boot-timeout")

    # --- run -------------------------------------------------------------------------------------------
    def check(self) -> str | None:
        """One health look while serving: a note to print when a program was restarted; raise when the tree
        cannot recover (a program FATAL, a crash loop, supervisord gone)."""
        if self.proc.poll() is not None:
            raise self._supervisord_gone("")
        procs.reap(keep=self.proc.pid)   # orphans of a crashed server, re-parented to us
        states = self.states()
        if states is None:
            return None
        note = None
        for name in self.spec.programs:
            info = states.get(name)
            if info is None:
                continue
            if info["statename"] == "FATAL":
                raise self._failure(f"{name} could not be restarted", info)
            pid = info["pid"]
            if pid and self._pids.get(name) and pid != self._pids[name]:
                now = time.monotonic()
                self._restarts.append(now)
                while self._restarts and now - self._restarts[0] > RESTART_WINDOW:
                    self._restarts.popleft()
                if len(self._restarts) > MAX_RESTARTS:
                    raise self._failure(f"{name} keeps crashing ({len(self._restarts)} restarts in "
                                        f"{RESTART_WINDOW:g}s)", info)
                note = f"{name} died and was restarted by supervisord (new pid {pid})"
            if pid:
                self._pids[name] = pid
        return note

    # --- stop ------------------------------------------------------------------------------------------
    def stop(self, timeout: float, urgent: Callable[[], bool] = lambda: False) -> list[int]:
        """Graceful stop: SIGTERM to supervisord, wait up to `timeout` (or until `urgent`), then kill
        anything left. Returns the pids that had to be killed."""
        if self.proc is None:
            return []
        if self.proc.poll() is not None:   # supervisord died: what it left is expected, not "did not stop"
            self._kill_leftovers()
            self._release_watchdog()
            return []
        tree = procs.descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while self.proc.poll() is None and time.monotonic() < deadline and not urgent():
                tree = sorted(set(tree) | set(procs.descendants(self.proc.pid)))
                time.sleep(0.1)
        # the graceful time is over: SIGKILL the session (the whole tree), then anything outside it
        killed = self._kill_leftovers()
        killed += procs.kill_all([p for p in [self.proc.pid, *tree] if p not in killed])
        if self.proc.poll() is None:
            self.proc.wait(5)
        if self.pump is not None:
            self.pump.join(5)
        self._release_watchdog()
        return killed

    def kill(self) -> None:
        """Immediate stop (a second Ctrl-C, or a start that was cancelled)."""
        if self.proc is None:
            return
        procs.kill_session(self.proc.pid)
        procs.kill_all([self.proc.pid, *procs.descendants(self.proc.pid)])
        self._kill_leftovers()
        if self.pump is not None:
            self.pump.join(5)
        self._release_watchdog()

    def _kill_leftovers(self) -> list[int]:
        """Whatever of the tree outlived supervisord: its session, and orphans re-parented to us (we are
        their subreaper), except the watchdog."""
        keep = {self._watchdog.pid} if self._watchdog is not None else set()
        killed = procs.kill_session(self.proc.pid)
        return killed + procs.kill_all([p for p in procs.descendants(os.getpid()) if p not in keep])

    # --- reports ---------------------------------------------------------------------------------------
    def recent_output(self, n: int = 30) -> list[str]:
        if self.pump is None:
            return []
        time.sleep(0.3)   # let the pump copy the last lines the program wrote
        return list(self.pump.lines)[-n:]

    def request_error(self) -> str:
        """The exception line of the app's last traceback in its recent output ("ModuleNotFoundError: ..."), or
        ""."""
        return _cause([l for l in self.recent_output(200) if l.strip()])

    def _supervisord_gone(self, when: str) -> ShipyardError:
        code = self.proc.returncode
        if code >= 0:   # its own error (a bad config, a socket it cannot create) is in its output
            return self._failure(f"supervisord exited {when} (status {code})".replace("  ", " "), None)
        return TreeFailed(f"supervisord was killed ({signal.Signals(-code).name}): stopped the app server and "
                          f"nginx with it", "something outside Shipyard killed it (an OOM kill, a `kill`); run "
                          "`shipyard serve` again")

    def _failure(self, what: str, info: dict | None, hint: str = "") -> ShipyardError:
        lines = [l for l in self.recent_output(200) if l.strip()]
        if info is not None:
            detail = info.get("description") or ""
            if info.get("spawnerr"):
                detail = info["spawnerr"]
            what = f"{what} ({info['statename']}{': ' + detail if detail else ''})"
        cause = _cause(lines)
        if (killed := worker_timeout(lines)) is not None:
            # gunicorn's handle_abort raises SystemExit: 1 in the worker it kills: the cause is the timeout
            return BootFailed(f"{what}: {killed}", "raise the limit (`timeout = 120` under [tool.shipyard] in "
                                                   "pyproject.toml) if the app is slow to load, or find what blocks")
        if cause and (unrun := unanswered_service(cause)) is not None:
            # motor's ServerSelectionTimeoutError in the app's lifespan: a MongoDB serve never runs, not a hang
            short = cause if len(cause) <= 160 else cause[:157].rstrip() + "..."
            return BootFailed(f"{what}: {short}: the app connects to {unrun[0]} while it starts, which serve does "
                              f"not run ({unrun[1]})",
                              f"start {unrun[0]} where the app connects (the address in the error), or point the "
                              f"app's {unrun[0]} setting at one that answers, and run again")
        if cause and (under := unanswered_under(lines)) is not None:
            # that error raised while the app handled one reaching a service serve does not run (its own
            # exception handler failing on motor's timeout): the service is the cause to say
            earlier, label, why = under
            short = cause if len(cause) <= 120 else cause[:117].rstrip() + "..."
            first = earlier if len(earlier) <= 160 else earlier[:157].rstrip() + "..."
            return BootFailed(f"{what}: {short}, after {first}: the app connects to {label}, which serve does not "
                              f"run ({why})",
                              f"start {label} where the app connects (the address in the error), or point the "
                              f"app's {label} setting at one that answers, and run again")
        if cause.startswith("KeyError") and (dotenv := self._dotenv_read(lines)) is not None:
            # config["ATLAS_URI"] in a FastAPI start-up hook, config = dotenv_values(".env"), no .env: the step to
            # take, as the import check says it when the read is at import
            said, todo = dotenv_file.explained(dotenv)
            return AppConfigError(f"{what}: {cause}: {said}", todo)
        missing = re.search(r"ModuleNotFoundError: No module named '([\w.]+)'", "\n".join(lines))
        if cause and (empty := unfetched_submodule.explain(self.spec.app_folders, cause)):
            # its own package, an empty folder (a submodule not fetched): nothing to pip install
            return AppCodeError(f"{what}: {cause}: {empty[0]}", empty[1])
        if missing:
            top = missing.group(1).split(".")[0]
            return MissingDependency(f"{what}: {cause}",
                                     f"install it in the app's environment (`pip install {top}`; the package "
                                     f"name can differ from the module name), then run again")
        return BootFailed(f"{what}: {cause}" if cause else what,
                          hint or "the server's own output is above; fix the error and run again")

    def _dotenv_read(self, lines: list[str]) -> dotenv_file.DotenvFile | None:
        """The absent dotenv file whose value the traceback's KeyError was, read in the app's own code."""
        for folder in self.spec.app_folders:
            found = traceback_text.origin("\n".join(lines), folder)
            if found is None or found.place is None:
                continue
            path, _, line = found.place.rpartition(", line ")
            if (dotenv := dotenv_file.dotenv_file_read(Project(folder), ".", f"{path}:{line}", found.error)):
                return dotenv
        return None


_WORKER_TIMEOUT = re.compile(r"\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)")


def worker_timeout(lines: list[str]) -> str | None:
    """What to say when gunicorn's arbiter killed a worker for outliving its timeout ("[CRITICAL] WORKER TIMEOUT
    (pid:N)"), else None. A worker has no heartbeat while it imports the app or answers: the first request of a
    Django app imports its URLconf and every view (WeasyPrint's cffi parsing cairo's declarations), which on a
    loaded machine outlived the 30s default, and the error said only "SystemExit: 1", gunicorn's own exit."""
    if not any(_WORKER_TIMEOUT.search(line) for line in lines):
        return None
    return ("gunicorn killed its worker at the request timeout (WORKER TIMEOUT) while it loaded the app or answered "
            "the first request: the app takes longer than that to import or to answer")


_ERROR_LINE = re.compile(r"^(?:\[.*?\]\s*)?([A-Za-z_][\w.]*(?:Error|Exception|Exit)\b.*)$")


# nginx's lines about requests (access log: '... "GET / HTTP/1.1" 502 ...'; error log: '[error] ... upstream')
_NGINX_LINE = re.compile(r'" \d{3} \d+ "[^"]*" "[^"]*"$|\[(?:error|warn)\] .*upstream')


# the line ending a traceback: an exception's name, with its message ("ImproperlyConfigured: Set the X environment
# variable", django-environ's, whose name says neither Error nor Exception)
_RAISED = re.compile(r"[A-Za-z_][\w.]*(?::\s.*)?")


def _raised(lines: list[str]) -> set[int]:
    """The indexes of the lines that end a Python traceback: the first unindented line after its frames."""
    out, inside = set(), False
    for i, line in enumerate(lines):
        if line.strip().endswith("Traceback (most recent call last):"):   # gunicorn prefixes its own
            inside = True
        elif inside and line[:1] not in (" ", "\t"):
            if _RAISED.fullmatch(line.strip()):
                out.add(i)
            inside = False
    return out


def _cause(lines: list[str]) -> str:
    """The last line that looks like a Python exception ("ImportError: ..." or a traceback's last line), else
    the last error line that is about a request (nginx's "upstream" errors are a consequence, never the cause)."""
    lines = [line for line in lines if not _NGINX_LINE.search(line.strip())] or lines
    raised = _raised(lines)
    for i, line in reversed(list(enumerate(lines))):
        text = line.strip()
        if i in raised:
            return text
        m = _ERROR_LINE.match(text)
        if m and "Worker failed to boot" not in text:
            return m.group(1)
    for line in reversed(lines):
        if "error" in line.lower() or "emerg" in line.lower():
            return line.strip()
    return ""
