"""A throwaway PostgreSQL server for tests and benches (EasyGeoIP's tests, the serve/dev stack tests,
bench/geoip.py): Shipyard's own driver (shipyard.run.postgres, the one `serve` runs an app's database with),
initdb'd into a temporary folder and listening on a free 127.0.0.1 port."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import IN_CI, free_port
from shipyard.run import postgres


def postgres_binaries() -> postgres.Binaries:
    """PostgreSQL's server programs as `serve` finds them; fails in CI when absent."""
    found, looked = postgres.find_binaries()
    if found is not None:
        return found
    where = ", ".join(str(p) for p in looked) or "PATH"
    if IN_CI:
        pytest.fail(f"PostgreSQL's server programs are required in CI but were not found in {where} "
                    f"(scripts/setup-dev.sh installs them)")
    pytest.skip(f"PostgreSQL's server programs not installed (looked in {where})")


class ThrowawayPostgres:
    """A private PostgreSQL server in a temporary folder (as root, it runs as the `postgres` account, see
    shipyard.run.postgres). Trust authentication: it only listens on 127.0.0.1 and a socket in its own
    folder, and lives as long as the test."""

    APP_ROLE = "easygeoip"

    def __init__(self, binaries: postgres.Binaries):
        self.dir = Path(tempfile.mkdtemp(prefix="easygeoip-pg-"))
        self.port = free_port()
        self.server = postgres.PostgresServer(binaries, self.dir / "data", self.dir, self.port,
                                              self.dir / "server.log", options={"fsync": "off"})
        postgres.give(self.dir, self.server.account)
        self.server.init()
        self.start()
        self.admin_sql(f"CREATE ROLE {self.APP_ROLE} LOGIN",
                       f"CREATE DATABASE {self.APP_ROLE} OWNER {self.APP_ROLE}",
                       f"CREATE DATABASE {self.APP_ROLE}_empty OWNER {self.APP_ROLE}")

    @property
    def log(self) -> Path:
        return self.server.log

    def url(self, database: str | None = None) -> str:
        return f"postgresql://{self.APP_ROLE}@127.0.0.1:{self.port}/{database or self.APP_ROLE}"

    def start(self) -> None:
        self.server.start(timeout=30)

    def stop(self) -> None:
        self.server.stop(timeout=30)

    def admin_sql(self, *statements: str, database: str = "postgres") -> list:
        import psycopg2
        conn = psycopg2.connect(f"postgresql://{self.server.superuser}@127.0.0.1:{self.port}/{database}")
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
        if self.server.pid() is not None:
            self.server.stop(immediate=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def start_postgres() -> ThrowawayPostgres:
    return ThrowawayPostgres(postgres_binaries())
