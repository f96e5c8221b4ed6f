"""`serve` and `dev` bring the app's Redis: when the plan's services include Redis (a redis client in its
dependencies) and REDIS_URL is not set, a Redis of the app's own runs next to it, from this machine's
`redis-server`, as run/database.py does for PostgreSQL.

  * Server: 127.0.0.1 on a free port, plus a unix socket in a private run folder; started (daemonized, so
    Ctrl-C in the terminal does not reach it and the tree's clean-up does not kill it before it saves)
    before the app is imported, stopped with SIGTERM after it, on every way out.
  * Data: one folder per app under the user's data folder ($XDG_DATA_HOME/shipyard/redis/<app>-<hash>),
    Redis's own snapshot (dump.rdb, written on stop and by Redis's default save points), so what an app
    keeps in Redis (short links, sessions) is still there on the next run, as with its PostgreSQL.
  * The app gets REDIS_URL, and the parts (REDIS_HOST, REDIS_PORT...) under the names its code reads, and
    any variable its code uses as its Redis address under a name of its own (detect/redis_uses.py: Celery's
    broker CELERY_BROKER defaulting to redis://redis:6379/0, a compose service this machine cannot reach;
    django-redis's LOCATION read from CACHELOCATION, which the app's .env sets to redis://redis:6379/0).
    An app that reads no Redis variable connects where its code says, almost always localhost:6379: its
    Redis then listens on 6379 when that port is free, and a note says so either way.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Mapping

from ..errors import ShipyardError
from ..plan import Plan
from ..redis_vars import port_settable, redis_env, redis_names
from . import procs
from .ports import free_port, port_free
from ..detect.written_redis import written_password, written_redis
from ..project import Project
from . import database, host_aliases
from .database import _Owner

HOST = "127.0.0.1"
DEFAULT_PORT = 6379
SOCKET_PREFIX = "shipyard-redis-"
INSTALL_HINT = "install it: `sudo apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS)"
CANDIDATES = ("/usr/bin/redis-server", "/usr/local/bin/redis-server", "/opt/homebrew/bin/redis-server")
START_TIMEOUT = 20.0
START_ATTEMPTS = 3
STOP_TIMEOUT = 30.0
LOG_LIMIT = 10 * 1024 * 1024


def find_redis_server() -> str | None:
    return shutil.which("redis-server") or next((p for p in CANDIDATES if os.access(p, os.X_OK)), None)


def connection_env(plan: Plan, port: int, sock: Path, password: str = "") -> dict[str, str]:
    """REDIS_URL, plus every Redis variable the app's code reads, pointing at our server."""
    return redis_env(plan, HOST, port, str(sock), password)


def externally_configured(plan: Plan, environ: Mapping[str, str]) -> bool:
    """The user points the app at a Redis: REDIS_URL, or a Redis variable the app reads, is set."""
    return any(environ.get(n) for n in ("REDIS_URL", *redis_names(plan)))


def app_folder(plan: Plan, root: Path, environ: Mapping[str, str]) -> Path:
    return database.app_folder(plan, root, environ, "redis")


def ping(sock: Path, timeout: float = 2.0, password: str = "") -> bool:
    """True when a Redis answers PING on the unix socket (after AUTH, for one started with a password)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        try:
            s.connect(str(sock))
            if password:
                s.sendall(_command("AUTH", password))
                if not s.recv(64).startswith(b"+OK"):
                    return False
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
        except OSError:
            return False


def _command(*words: str) -> bytes:
    """A command in Redis's protocol (RESP), whatever bytes its arguments hold."""
    parts = [w.encode() for w in words]
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


def _redis_pid(pidfile: Path) -> int | None:
    """The pid in `pidfile` when that process is alive and is a redis-server."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"redis-server" in cmdline and procs.alive(pid) else None


def stop_server(pid: int, timeout: float = STOP_TIMEOUT, immediate: bool = False) -> None:
    """SIGTERM (Redis saves its snapshot and exits), SIGKILL past `timeout` or when `immediate`."""
    procs.terminate(pid, timeout, immediate)


def _start(program: str, port: int, sock: Path, pidfile: Path, log: Path, folder: Path, password: str = ""
           ) -> subprocess.CompletedProcess:
    """Start the daemon and wait until it answers PING on its socket, or exits, or START_TIMEOUT passes."""
    argv = [program, "--bind", HOST, "--port", str(port), "--unixsocket", str(sock), "--unixsocketperm", "700",
            "--daemonize", "yes", "--pidfile", str(pidfile), "--logfile", str(log), "--dir", str(folder),
            "--dbfilename", "dump.rdb", "--appendonly", "no", "--protected-mode", "yes",
            *(("--requirepass", password) if password else ())]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=START_TIMEOUT,
                          stdin=subprocess.DEVNULL, start_new_session=True)
    started = time.monotonic()
    while done.returncode == 0 and not ping(sock, password=password) and time.monotonic() < started + START_TIMEOUT:
        if time.monotonic() > started + 1 and _redis_pid(pidfile) is None:
            break           # the daemon exited: its log says why
        time.sleep(0.05)
    return done


def _log_size(log: Path) -> int:
    try:
        return log.stat().st_size
    except OSError:
        return 0


def _missing(plan: Plan) -> ShipyardError:
    reasons = "; ".join(s.reason for s in plan.services if s.name == "redis") or "redis = \"auto\""
    return ShipyardError(f"this app uses Redis ({reasons}); REDIS_URL is not set and redis-server is not installed",
                         f"{INSTALL_HINT}; or run without it: --redis none; or set REDIS_URL")


def _log_tail(log: Path, lines: int = 5, since: int = 0) -> str:
    """The last lines Redis logged after byte `since` (this start's, not an earlier run's)."""
    try:
        with log.open("rb") as f:
            f.seek(since)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    # "20079:M 02 Dec 2026 08:33:43.109 # Failed listening on port 51063 (TCP), aborting.": the warnings
    # ("#") without their prefix say why; else the last lines as they are
    warnings = [l.split(" # ", 1)[1].strip() for l in text.splitlines() if " # " in l]
    picked = warnings[-2:] if warnings else [l.strip() for l in text.splitlines()[-lines:] if l.strip()]
    return " | ".join(picked)


@contextmanager
def app_redis(plan: Plan, root: Path, *, say: Callable[[str], None], environ: Mapping[str, str] | None = None,
              urgent: Callable[[], bool] = lambda: False) -> Iterator[dict[str, str]]:
    """The environment to run the app with: `environ` plus our Redis's variables while it runs (unchanged
    when the app uses no Redis, `--redis none`, or the user set REDIS_URL)."""
    base = dict(os.environ if environ is None else environ)
    if not plan.needs_redis or externally_configured(plan, base):
        yield base
        return
    program = find_redis_server()
    if program is None:
        raise _missing(plan)
    folder = app_folder(plan, root, base)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    pidfile = folder / "redis.pid"
    left = _redis_pid(pidfile)
    if left is not None:
        other = _Owner(folder).other()
        if other is not None:
            raise ShipyardError(f"the app's Redis is in use by another Shipyard (pid {other})",
                                "stop that one first, or point this run at a Redis with REDIS_URL")
        say(f"stopping the Redis an earlier run left behind (pid {left})")
        stop_server(left)
    names = redis_names(plan)
    settable = port_settable(plan)
    # Redis(host="redis", password="password"): a compose service's name and its --requirepass, in the code
    written = written_redis(Project(root))
    password = written_password(written)
    if settable or not port_free(HOST, DEFAULT_PORT):
        port = free_port()
    else:
        port = DEFAULT_PORT
    log = folder / "redis.log"
    if log.is_file() and log.stat().st_size > LOG_LIMIT:
        log.unlink()
    run_dir = Path(tempfile.mkdtemp(prefix=SOCKET_PREFIX))
    sock = run_dir / "redis.sock"
    pid = None
    owner = _Owner(folder)
    try:
        owner.claim()
        for attempt in range(START_ATTEMPTS):
            log_start = _log_size(log)
            done = _start(program, port, sock, pidfile, log, folder, password)
            pid = _redis_pid(pidfile)
            if ping(sock, password=password):
                break
            said = _log_tail(log, since=log_start) or (done.stderr or done.stdout).strip() \
                or f"exit status {done.returncode}"
            # another program took the port between our check and Redis's bind: another free one
            if attempt == START_ATTEMPTS - 1 or "already in use" not in said.lower():
                raise ShipyardError(f"the app's Redis did not start: {said}", f"Redis's log: {log}")
            port = free_port()
        extra = "".join(f", {n}" for n in names if n != "REDIS_URL")
        say(f"Redis for {plan.name} on {HOST}:{port} (data in {folder}); REDIS_URL{extra} set for the app")
        if not settable and not written:
            said = "no Redis variable (REDIS_URL, REDIS_HOST...)" if not names else \
                f"no Redis URL or port variable ({', '.join(names)} gives the host only)"
            say(f"the app reads {said}: it connects to the port its code says, "
                + (f"usually {DEFAULT_PORT}, where its Redis listens" if port == DEFAULT_PORT else
                   f"usually {DEFAULT_PORT}, which another program holds: the app talks to that one, "
                   f"not to its own Redis on {port}"))
        aliases = {}
        if written:
            hosts = sorted({w.host for w in written})
            aliases = host_aliases.aliases_env(hosts, f"{HOST}:{port}", folder, base)
            say(f"{written[0].rel}:{written[0].line} connects to Redis at {', '.join(hosts)} (a compose service's "
                f"name): mapped to the app's Redis on {HOST}:{port} in the app's process"
                + (", which asks for the password the code writes" if password else ""))
        yield {**base, **connection_env(plan, port, sock, password), **aliases}
    finally:
        pid = pid or _redis_pid(pidfile)
        if pid is not None:
            stop_server(pid, immediate=urgent())
            say(f"stopped the app's Redis (data kept in {folder})")
        owner.release()
        shutil.rmtree(run_dir, ignore_errors=True)
