"""A throwaway PostgreSQL server for tests and benches: Debian's PostgreSQL 15, initdb'd into a temporary
folder and listening on a free 127.0.0.1 port (EasyGeoIP's tests, the serve/dev stack tests, bench/geoip.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import IN_CI, free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def postgres_program(name: str) -> str:
    """A PostgreSQL server program: Debian's versioned folder first, then PATH; fails in CI when absent."""
    if (PG_BIN / name).exists():
        return str(PG_BIN / name)
    found = shutil.which(name)
    if found:
        return found
    if IN_CI:
        pytest.fail(f"PostgreSQL's {name} is required in CI but was not found (scripts/setup-dev.sh installs it)")
    pytest.skip(f"PostgreSQL's {name} not installed")


class ThrowawayPostgres:
    """A private PostgreSQL server in a temporary folder. initdb refuses to run as root, so as root the
    server runs as the `postgres` system user. Trust authentication: it only listens on 127.0.0.1 and a
    socket in its own folder, and lives as long as the test session."""

    APP_ROLE = "easygeoip"

    def __init__(self, initdb: str, pg_ctl: str):
        self.pg_ctl = pg_ctl
        self.dir = Path(tempfile.mkdtemp(prefix="easygeoip-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run([initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                   "--locale=C", "--no-sync"])
        self.start()
        self.admin_sql(f"CREATE ROLE {self.APP_ROLE} LOGIN",
                       f"CREATE DATABASE {self.APP_ROLE} OWNER {self.APP_ROLE}",
                       f"CREATE DATABASE {self.APP_ROLE}_empty OWNER {self.APP_ROLE}")

    def _run(self, argv: list[str]) -> None:
        done = subprocess.run(self.as_user + argv, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}\n{log}")

    def url(self, database: str | None = None) -> str:
        return f"postgresql://{self.APP_ROLE}@127.0.0.1:{self.port}/{database or self.APP_ROLE}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run([self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "30", "start"])

    def stop(self) -> None:
        self._run([self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "-t", "30", "stop"])

    def admin_sql(self, *statements: str, database: str = "postgres") -> list:
        import psycopg2
        conn = psycopg2.connect(f"postgresql://postgres@127.0.0.1:{self.port}/{database}")
        conn.autocommit = True
        rows = []
        try:
            with conn.cursor() as cur:
                for statement in statements:
                    cur.execute(statement)
                    rows = cur.fetchall() if cur.description else []
        finally:
            conn.close()
        return rows

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


def start_postgres() -> ThrowawayPostgres:
    return ThrowawayPostgres(postgres_program("initdb"), postgres_program("pg_ctl"))
