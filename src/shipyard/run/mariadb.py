"""A MariaDB server of our own, from the programs installed on this machine (Debian's mariadb-server: mariadbd,
mariadb-install-db, the mariadb client): find them, make a data folder, start, stop, run SQL.
run/mysql_database.py runs one per app under `serve`/`dev`, as run/postgres.py does for PostgreSQL.

MariaDB runs as the current user (as root with --user=root, which it otherwise refuses), so the data folder needs
no other owner. The administrator is the account mariadb-install-db makes for the current system user, which logs
in through the unix socket only (unix_socket authentication: no password anywhere); the socket's folder is ours
alone (0700), and TCP listens on 127.0.0.1. The server starts in a session of its own: Ctrl-C in the terminal does
not reach it (its owner stops it after the app, with SIGTERM: a clean shutdown).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import ShipyardError
from . import procs

INSTALL_HINT = "install it: `sudo apt-get install mariadb-server` (Debian/Ubuntu), `brew install mariadb` (macOS)"
SERVERS = ("mariadbd", "mysqld")
INSTALLERS = ("mariadb-install-db", "mysql_install_db")
CLIENTS = ("mariadb", "mysql")
SBIN = ("/usr/sbin", "/usr/local/sbin", "/usr/local/bin", "/opt/homebrew/bin", "/opt/homebrew/sbin")
START_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0
# the accounts and databases every data folder has, which an app's login may not take over
SYSTEM_USERS = frozenset({"mariadb.sys", "mysql.sys", "mysql.session", "mysql.infoschema"})
SYSTEM_DATABASES = frozenset({"mysql", "information_schema", "performance_schema", "sys"})


@dataclass(frozen=True)
class Programs:
    server: str
    installer: str
    client: str


def _which(names: tuple[str, ...], path: str | None) -> str | None:
    search = os.pathsep.join([path if path is not None else os.environ.get("PATH", os.defpath), *SBIN])
    return next((found for name in names if (found := shutil.which(name, path=search))), None)


def find_programs(path: str | None = None) -> Programs | None:
    """The server, the data folder's installer and the client; None when one of them is missing."""
    server, installer, client = (_which(names, path) for names in (SERVERS, INSTALLERS, CLIENTS))
    return Programs(server, installer, client) if server and installer and client else None


def system_user() -> str:
    """Our system account's name: the administrator mariadb-install-db makes (unix_socket, no password)."""
    return pwd.getpwuid(os.geteuid()).pw_name


class MariaDBServer:
    """One server: a data folder, a socket in a private run folder, a 127.0.0.1 port and a log file."""

    def __init__(self, programs: Programs, data: Path, socket_dir: Path, port: int, log: Path) -> None:
        self.programs = programs
        self.data = data
        self.socket = socket_dir / "mysqld.sock"
        self.port = port
        self.host = "127.0.0.1"          # another loopback address when the app's written port is held there
        self.log = log
        self.pidfile = data.with_name("mariadbd.pid")     # beside the data: a run killed outright is found
        self.admin = system_user()
        self._pid: int | None = None          # the server this object started

    # -------------------------------------------------------------------------------------- the data folder

    @property
    def initialized(self) -> bool:
        return (self.data / "mysql" / "global_priv.frm").is_file()

    def _as_user(self) -> list[str]:
        # mariadbd refuses to run as root unless told to
        return ["--user=root"] if os.geteuid() == 0 else []

    def init(self, attempts: int = 2) -> None:
        """mariadb-install-db: no test database, no anonymous accounts, the administrator through the socket.
        A failure is tried once more from an empty folder (one run of the corpus on a loaded machine failed
        where the next run of the same app passed), and said by its first error, the cause, not the last line
        ("[ERROR] Aborting"); the installer's whole output is kept beside the data folder."""
        argv = [self.programs.installer, "--no-defaults", f"--datadir={self.data}", "--skip-test-db",
                "--auth-root-authentication-method=socket", f"--auth-root-socket-user={self.admin}",
                f"--user={self.admin}"]
        output = self.data.with_name("install.log")
        for attempt in range(attempts):
            self.data.mkdir(mode=0o700, exist_ok=True)
            try:
                done = subprocess.run(argv, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
                                      start_new_session=True, env={**os.environ, "LC_ALL": "C"})
            except subprocess.TimeoutExpired:
                raise ShipyardError(f"{Path(argv[0]).name} did not finish within 180s",
                                    f"its data folder: {self.data}") from None
            if done.returncode == 0:
                return
            text = f"{done.stdout}\n{done.stderr}"
            output.write_text(text)
            shutil.rmtree(self.data, ignore_errors=True)       # half made: made again, now or next time
            if attempt + 1 < attempts:
                time.sleep(1)
        raise ShipyardError(f"{Path(argv[0]).name} {self.data} failed: "
                            f"{install_error(text) or f'exit status {done.returncode}'}",
                            f"its output: {output}")

    # -------------------------------------------------------------------------------------- the server

    def argv(self) -> list[str]:
        return [self.programs.server, "--no-defaults", f"--datadir={self.data}", f"--socket={self.socket}",
                f"--port={self.port}", f"--bind-address={self.host}", "--skip-networking=0", "--skip-name-resolve",
                f"--pid-file={self.pidfile}", f"--log-error={self.log}",
                # what MySQL 8 and Debian's own configuration default to, so Django and emoji work
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
                "--innodb-buffer-pool-size=64M", *self._as_user()]

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start and wait until it answers on its socket; raise with the log's reason when it does not.
        Detached through a shell that exits at once (mariadbd has no daemon mode of its own): not our child, so
        the tree's clean-up of Shipyard's descendants leaves it to its owner's clean stop."""
        since = self._log_size()
        done = subprocess.run(["/bin/sh", "-c", '"$@" </dev/null >/dev/null 2>&1 & echo $!', "sh", *self.argv()],
                              capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
                              start_new_session=True)
        self._pid = int(done.stdout.strip()) if done.stdout.strip().isdigit() else None
        deadline = time.monotonic() + timeout
        while self._pid is not None and time.monotonic() < deadline and procs.alive(self._pid):
            if self.answers():
                return
            time.sleep(0.05)
        if self._pid is not None and procs.alive(self._pid):
            self.stop(immediate=True)
            raise ShipyardError(f"MariaDB did not answer within {timeout:g}s", f"MariaDB's log: {self.log}")
        raise ShipyardError(f"MariaDB did not start: {self.reason(since)}", f"MariaDB's log: {self.log}")

    def answers(self) -> bool:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(2)
            try:
                s.connect(str(self.socket))
                return bool(s.recv(1))          # the server's greeting
            except OSError:
                return False

    def _log_size(self) -> int:
        try:
            return self.log.stat().st_size
        except OSError:
            return 0

    def reason(self, since: int = 0) -> str:
        """The last error MariaDB logged after byte `since` ("[ERROR] Can't start server: Bind on TCP/IP port...")."""
        try:
            with self.log.open("rb") as f:
                f.seek(since)
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            lines = []
        errors = [line.split("[ERROR]", 1)[1].strip() for line in lines if "[ERROR]" in line]
        return errors[0] if errors else (lines[-1].strip() if lines else "it exited at once")

    def pid(self) -> int | None:
        """The pid in the pid file when that process is alive and is a MariaDB server."""
        try:
            pid = int(self.pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            return None
        return pid if any(name.encode() in cmdline for name in SERVERS) and procs.alive(pid) else None

    def stop(self, *, immediate: bool = False, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM (MariaDB writes its data and exits); SIGKILL when `immediate` or past `timeout`."""
        pid = self._pid if self._pid is not None and procs.alive(self._pid) else self.pid()
        self._pid = None
        if pid is not None:
            procs.terminate(pid, timeout, immediate)

    def sql(self, statement: str, database: str | None = None) -> list[str]:
        """Run SQL as the administrator over the socket; the rows, one tab-separated line each."""
        argv = [self.programs.client, "--no-defaults", f"--socket={self.socket}", f"--user={self.admin}",
                "--batch", "--skip-column-names", "-e", statement, *([database] if database else [])]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                              env={**os.environ, "LC_ALL": "C"})
        if done.returncode != 0:
            said = done.stderr.strip().splitlines()
            raise ShipyardError(f"MariaDB refused {' '.join(statement.split()[:2])}...: "
                                f"{said[-1] if said else done.returncode}", f"MariaDB's log: {self.log}")
        return [line for line in done.stdout.splitlines() if line]


    def load(self, path: Path, database: str) -> list[str]:
        """Run the statements of a SQL file as the administrator into `database`, going on past a statement that
        fails (its `CREATE DATABASE` of a database that exists), as `mysql --force < FILE` does; the errors said."""
        with path.open("rb") as source:
            done = subprocess.run([self.programs.client, "--no-defaults", f"--socket={self.socket}",
                                   f"--user={self.admin}", "--batch", "--force", database], stdin=source,
                                  capture_output=True, timeout=300, env={**os.environ, "LC_ALL": "C"})
        return [line for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]


def install_error(text: str) -> str:
    """The first error MariaDB's installer printed (its cause: "InnoDB: File ./ib_logfile0 was not found"), not the
    "Aborting" the last line says; else its last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line.split("[ERROR]", 1)[1].strip() for line in lines if "[ERROR]" in line]
    return next((e for e in errors if e != "Aborting"), errors[0] if errors else (lines[-1] if lines else ""))


def literal(text: str) -> str:
    """A string literal for MariaDB's SQL."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
