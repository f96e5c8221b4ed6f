"""A PostgreSQL server of our own, from the programs installed on this machine: find them, initdb a data
folder, start, stop. `serve`/`dev` (run/database.py) and the tests' throwaway server share this one driver.

PostgreSQL refuses to run as root, so as root every server program runs as an unprivileged account: `postgres`
when the PostgreSQL package created it, else `nobody`. That account owns the data folder and must be able to
reach it. The server is started by pg_ctl, in a session of its own: Ctrl-C in the terminal does not reach it
(its owner stops it after the app), and the tree's clean-up of Shipyard's descendants does not take it down.

A data folder's superuser is `shipyard`, recorded in a file beside the folder (data.superuser): `postgres`, the
name tutorials log in as (postgresql://postgres:postgres@localhost/app), stays free for an app's own role.
Folders made before that record existed have the superuser `postgres`, which is what a missing record means.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import ShipyardError

PROGRAMS = ("initdb", "pg_ctl", "postgres", "psql")
CERTIFICATE, KEY = "server.crt", "server.key"          # PostgreSQL's default names, in the data folder
LOOPBACK_NAMES = "IP:127.0.0.1,DNS:localhost"         # the server certificate's subjectAltName
DEBIAN_ROOT = Path("/usr/lib/postgresql")           # Debian/Ubuntu: /usr/lib/postgresql/<major>/bin
INSTALL_HINT = "install it: `sudo apt-get install postgresql` (Debian/Ubuntu), `brew install postgresql` (macOS)"
SUPERUSER = "shipyard"            # new data folders' superuser
OLD_SUPERUSER = "postgres"        # that of data folders with no record (made by an older Shipyard)
ACCOUNT = "postgres"              # the system account the Debian/Ubuntu package creates
MAINTENANCE_DATABASE = "postgres"  # made by every initdb, whatever the superuser's name


@dataclass(frozen=True)
class Binaries:
    """A folder holding PostgreSQL's server programs, and their major version."""

    bin_dir: Path
    version: int

    def program(self, name: str) -> str:
        return str(self.bin_dir / name)


def _complete(folder: Path) -> bool:
    return all(os.access(folder / p, os.X_OK) and (folder / p).is_file() for p in PROGRAMS)


def _major(folder: Path) -> int | None:
    """The major version `postgres -V` reports (-V answers before the refusal to run as root)."""
    try:
        out = subprocess.run([str(folder / "postgres"), "-V"], capture_output=True, text=True, timeout=15).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(found.group(1)) if found else None


def candidates(configured: str | None = None, path: str | None = None) -> list[Path]:
    """Folders to look in, best first: the configured one alone; else the folder of `initdb` on PATH (its real
    folder: /usr/local/bin/initdb may be a link into Debian's versioned folder), then Debian's versioned
    folders, newest first."""
    if configured:
        return [Path(configured).expanduser()]
    found: list[Path] = []
    initdb = shutil.which("initdb", path=path if path is not None else os.environ.get("PATH", os.defpath))
    if initdb:
        found.append(Path(initdb).resolve().parent)
    if DEBIAN_ROOT.is_dir():
        versioned = [d / "bin" for d in DEBIAN_ROOT.iterdir() if d.name.isdigit()]
        found += sorted(versioned, key=lambda d: int(d.parent.name), reverse=True)
    return list(dict.fromkeys(found))


def find_binaries(configured: str | None = None, *, version: int | None = None,
                  path: str | None = None) -> tuple[Binaries | None, list[Path]]:
    """(the binaries to use, the folders looked in). With `version` (an existing data folder's), a folder of
    that major version wins, since a server only opens data folders of its own major version."""
    looked = candidates(configured, path)
    usable = [Binaries(folder, major) for folder in looked if _complete(folder)
              for major in [_major(folder)] if major is not None]
    if version is not None:
        same = [b for b in usable if b.version == version]
        if same:
            return same[0], looked
    return (usable[0] if usable else None), looked


@dataclass(frozen=True)
class Account:
    """The unprivileged account the server programs run as when we are root."""

    name: str
    uid: int
    gid: int


def service_account() -> Account | None:
    """None when we are not root (the programs run as us)."""
    if os.geteuid() != 0:
        return None
    for name in (ACCOUNT, "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return Account(name, entry.pw_uid, entry.pw_gid)
    raise ShipyardError("PostgreSQL cannot run as root and there is no `postgres` or `nobody` account to run it as",
                        "run Shipyard as a normal user, or create the postgres account: `useradd --system postgres`")


def reachable(path: Path, account: Account | None) -> Path | None:
    """The first folder on the way to `path` that `account` may not pass through, or None when it can."""
    if account is None:
        return None
    for folder in [*reversed(path.parents), path]:
        try:
            st = folder.stat()
        except FileNotFoundError:
            return None          # created later, by us, with the right owner
        bit = 0o100 if st.st_uid == account.uid else 0o010 if st.st_gid == account.gid else 0o001
        if not st.st_mode & bit:
            return folder
    return None


def give(path: Path, account: Account | None) -> None:
    if account is not None:
        os.chown(path, account.uid, account.gid)


class PostgresServer:
    """One server: a data folder, a socket folder, a 127.0.0.1 port and a log file."""

    def __init__(self, binaries: Binaries, data: Path, socket_dir: Path, port: int, log: Path,
                 options: dict[str, str] | None = None) -> None:
        self.binaries = binaries
        self.data = data
        self.socket_dir = socket_dir
        self.port = port
        self.log = log
        self.options = dict(options or {})
        self.ssl = False                  # the running server offers SSL (start())
        self.account = service_account()
        self.superuser = self.recorded_superuser() or OLD_SUPERUSER

    # -------------------------------------------------------------------------------------- running programs

    def _run(self, argv: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
        as_account = {} if self.account is None else \
            {"user": self.account.uid, "group": self.account.gid, "extra_groups": []}
        env = {**os.environ, "LC_ALL": "C", "PGTZ": "UTC"}
        env.pop("PGDATA", None)
        try:
            return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                                  start_new_session=True, env=env, **as_account)
        except subprocess.TimeoutExpired:
            raise ShipyardError(f"{Path(argv[0]).name} did not finish within {timeout:g}s",
                                f"PostgreSQL's log: {self.log}") from None

    def _failed(self, what: str, done: subprocess.CompletedProcess) -> ShipyardError:
        said = (done.stderr or done.stdout).strip().splitlines()
        logged = self.log_tail()
        reason = next((line for line in reversed(logged) if "FATAL" in line or "ERROR" in line), None) \
            or (said[-1] if said else f"exit status {done.returncode}")
        return ShipyardError(f"{what}: {reason.strip()}", f"PostgreSQL's log: {self.log}")

    def log_tail(self, lines: int = 20) -> list[str]:
        try:
            return self.log.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return []

    # -------------------------------------------------------------------------------------- the data folder

    @property
    def initialized(self) -> bool:
        return (self.data / "PG_VERSION").is_file()

    def data_version(self) -> int | None:
        try:
            return int((self.data / "PG_VERSION").read_text().strip())
        except (OSError, ValueError):
            return None

    @property
    def superuser_record(self) -> Path:
        return self.data.with_name(self.data.name + ".superuser")

    def recorded_superuser(self) -> str | None:
        try:
            return self.superuser_record.read_text().strip() or None
        except OSError:
            return None

    def init(self, superuser_password: str | None = None, superuser: str = SUPERUSER) -> None:
        """initdb: UTF-8, C locale (the same on every machine). The socket folder is the account's alone, so
        socket connections are trusted; TCP ones need a password when one is given (anyone on this machine
        can reach 127.0.0.1), else are trusted too (the tests' throwaway servers)."""
        self.data.mkdir(mode=0o700, exist_ok=True)
        give(self.data, self.account)
        argv = [self.binaries.program("initdb"), "-D", str(self.data), "-U", superuser, "-E", "UTF8",
                "--locale=C", "--no-sync", "--auth-local=trust"]
        pwfile = self.socket_dir / "initdb.pw"
        if superuser_password is not None:
            pwfile.write_text(superuser_password + "\n")
            pwfile.chmod(0o600)
            give(pwfile, self.account)
            # md5: SCRAM for a password stored as SCRAM (the default), md5 for one stored as md5, the only
            # method the libpq of an old psycopg2 wheel speaks (allow_md5)
            argv += ["--auth-host=md5", f"--pwfile={pwfile}"]
        else:
            argv += ["--auth-host=trust"]
        try:
            done = self._run(argv, timeout=120)
        finally:
            pwfile.unlink(missing_ok=True)
        if done.returncode != 0:
            raise self._failed(f"initdb {self.data} failed", done)
        self.superuser_record.write_text(superuser + "\n")
        self.superuser = superuser

    def allow_md5(self) -> None:
        """Let TCP logins use md5 for a role whose password is stored as md5: pg_hba.conf's scram-sha-256 (a
        data folder from before) becomes md5, which still does SCRAM for passwords stored as SCRAM."""
        hba = self.data / "pg_hba.conf"
        text = hba.read_text()
        lines = [re.sub(r"\bscram-sha-256\s*$", "md5", line) if line.lstrip().startswith("host") else line
                 for line in text.splitlines()]
        if "\n".join(lines) + "\n" != text:
            hba.write_text("\n".join(lines) + "\n")
            self.psql("SELECT pg_reload_conf()")

    # -------------------------------------------------------------------------------------- the server

    def running(self) -> bool:
        return self._run([self.binaries.program("pg_ctl"), "-D", str(self.data), "status"], timeout=30).returncode == 0

    def certificate(self) -> bool:
        """A self-signed certificate in the data folder (made once, kept with the data) so the server offers SSL,
        as hosted PostgreSQL does: apps that require it connect (Heroku's django_heroku.settings and
        dj_database_url's ssl_require=True set sslmode=require), the others too (libpq's default, prefer, takes
        SSL or not). False, plain connections only, when there is no openssl to make one."""
        crt, key = self.data / CERTIFICATE, self.data / KEY
        openssl = shutil.which("openssl")
        if crt.is_file() and key.is_file() and (openssl is None or _names_loopback(openssl, crt)):
            return True
        if openssl is None:
            return False
        # named for the loopback host the app connects to, so a client that verifies it (asyncpg's ssl=True,
        # sslmode=verify-full) accepts it once it trusts it (run/pg_trust.py); one from before is made again
        try:
            done = subprocess.run([openssl, "req", "-new", "-x509", "-nodes", "-days", "3650", "-newkey", "rsa:2048",
                                   "-subj", "/CN=127.0.0.1", "-addext", f"subjectAltName={LOOPBACK_NAMES}",
                                   "-keyout", str(key), "-out", str(crt)],
                                  capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            done = None
        if done is None or done.returncode != 0 or not (crt.is_file() and key.is_file()):
            crt.unlink(missing_ok=True)
            key.unlink(missing_ok=True)
            return False
        key.chmod(0o600)                  # the server refuses a key others may read
        for path in (crt, key):
            give(path, self.account)
        return True

    @property
    def certificate_file(self) -> Path | None:
        """The certificate the running server offers, None when it runs without SSL."""
        return self.data / CERTIFICATE if self.ssl else None

    def start(self, timeout: float = 60) -> None:
        """Start and wait until it accepts connections; raise with the log's reason when it does not. With SSL
        when it has a certificate (certificate()), else, or when this build has no SSL, without."""
        settings = {"listen_addresses": "127.0.0.1", "unix_socket_permissions": "0700", **self.options}
        ssl = self.initialized and "ssl" not in settings and self.certificate()
        done = self._pg_ctl_start({**settings, "ssl": "on"} if ssl else settings, timeout)
        if done.returncode != 0 and ssl and not self.running():
            ssl = False
            done = self._pg_ctl_start(settings, timeout)
        if done.returncode != 0:
            raise self._failed("PostgreSQL did not start", done)
        self.ssl = bool(ssl)

    def _pg_ctl_start(self, settings: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
        options = f"-p {self.port} -k {self.socket_dir} " + " ".join(f"-c {k}={v}" for k, v in settings.items())
        return self._run([self.binaries.program("pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                          "-o", options, "-w", "-t", str(int(timeout)), "start"], timeout=timeout + 15)

    def stop(self, *, immediate: bool = False, timeout: float = 30) -> None:
        """Fast shutdown (SIGINT: sessions end, data written cleanly); immediate when asked or when fast hangs."""
        pg_ctl = self.binaries.program("pg_ctl")
        done = self._run([pg_ctl, "-D", str(self.data), "-m", "immediate" if immediate else "fast", "-w",
                          "-t", str(int(timeout)), "stop"], timeout=timeout + 15)
        if done.returncode != 0 and not immediate and self.running():
            self._run([pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"], timeout=45)

    def pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def socket_dir_in_use(self) -> Path | None:
        """The socket folder the running server was started with (postmaster.pid's fifth line)."""
        try:
            return Path((self.data / "postmaster.pid").read_text().splitlines()[4].strip())
        except (OSError, IndexError):
            return None

    def psql(self, sql: str, database: str = MAINTENANCE_DATABASE) -> list[str]:
        """Run SQL as the superuser over the socket; the rows, one tab-separated line each."""
        done = subprocess.run([self.binaries.program("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                               "-h", str(self.socket_dir), "-p", str(self.port), "-U", self.superuser, "-d", database,
                               "-c", sql], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                              env={**os.environ, "LC_ALL": "C"})
        if done.returncode != 0:
            raise ShipyardError(f"PostgreSQL refused {sql.split()[0]} {sql.split()[1]}...: "
                                f"{done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}",
                                f"PostgreSQL's log: {self.log}")
        return [line for line in done.stdout.splitlines() if line]


def _names_loopback(openssl: str, crt: Path) -> bool:
    """Whether the certificate names 127.0.0.1 in its subjectAltName (made by a Shipyard that names it)."""
    try:
        done = subprocess.run([openssl, "x509", "-in", str(crt), "-noout", "-text"], capture_output=True, text=True,
                              timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return True                     # cannot tell: keep the one there
    return done.returncode != 0 or "IP Address:127.0.0.1" in done.stdout
