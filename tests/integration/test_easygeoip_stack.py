"""EasyGeoIP run by Shipyard's own commands against a real PostgreSQL: `shipyard migrate` runs its release
command (the time zone loader), `shipyard serve` runs nginx + the app server, `shipyard dev` live reload."""

from __future__ import annotations

import json
import signal

import pytest

from conftest import EXAMPLES, free_port, require_tool
from serveutil import Running, get, wait_status
from throwaway_pg import start_postgres

APP = EXAMPLES / "easygeoip"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def database_url():
    pg = start_postgres()
    try:
        yield pg.url()
    finally:
        pg.close()


def test_serve_needs_database_url_or_postgresql_installed(monkeypatch, tmp_path):
    # without DATABASE_URL serve starts the app's own PostgreSQL (tests/integration/test_serve_database.py);
    # with no PostgreSQL programs either, it refuses and says what to do
    monkeypatch.delenv("DATABASE_URL", raising=False)
    run = Running("serve", str(APP), "--port", str(free_port()), "--postgres-bin", str(tmp_path),
                  env={"DATABASE_URL": "", "XDG_DATA_HOME": str(tmp_path)})
    assert run.proc.wait(timeout=60) != 0
    assert "needs PostgreSQL" in run.output and "DATABASE_URL" in run.output and "--db none" in run.output, \
        run.output


def test_migrate_then_serve_through_nginx(database_url):
    require_tool("nginx")
    migrate = Running("migrate", str(APP), env={"DATABASE_URL": database_url})
    assert migrate.proc.wait(timeout=180) == 0, migrate.output
    assert "the release command from [tool.shipyard]" in migrate.output

    port = free_port()
    run = Running("serve", str(APP), "--port", str(port), env={"DATABASE_URL": database_url})
    try:
        assert run.wait_for(r"serving .* at http://127\.0\.0\.1:%d/" % port, 120), run.output
        base = f"http://127.0.0.1:{port}"
        status, headers, body = get(base + "/health")
        assert status == 200 and headers.get("Server", "").startswith("nginx"), body
        status, _, body = get(base + "/api/8.8.8.8")
        assert status == 200, body
        answer = json.loads(body)
        first = answer["results"][0] if "results" in answer else answer
        assert first["country"]["code"] == "US"
        assert first["time_zone_source"] == "database" and first["time_zone"], first
        status, headers, _ = get(base + "/static/app.css")
        assert status == 200 and "ETag" in headers
        status, _, body = get(base + "/api/10.0.0.1")
        assert status == 422, body
    finally:
        code = run.stop(signal.SIGTERM, timeout=90)
    assert code == 0, run.output


def test_dev_serves_the_api(database_url):
    port = free_port()
    run = Running("dev", str(APP), "--port", str(port), env={"DATABASE_URL": database_url})
    try:
        found = wait_status(f"http://127.0.0.1:{port}/api/81.2.69.160", 90)
        assert found and found[0] == 200, run.output
        assert "GB" in found[2]
    finally:
        code = run.stop(signal.SIGINT, timeout=60)
    assert code == 0, run.output
