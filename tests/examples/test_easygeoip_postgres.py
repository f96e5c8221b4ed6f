"""EasyGeoIP against a real, throwaway PostgreSQL: the loader, the time zone fill-in, index use, outages.

The server is Debian's PostgreSQL 15, initdb'd into a temporary folder and listening on a free
127.0.0.1 port; `ThrowawayPostgres` is also used by the browser test and bench/geoip.py.
"""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import EXAMPLES, free_port
from throwaway_pg import start_postgres

APP_DIR = EXAMPLES / "easygeoip"
VENV_BIN = Path(sys.executable).parent

sys.path.insert(0, str(APP_DIR))
from easygeoip import create_app                          # noqa: E402
from easygeoip.load_timezones import packaged_zone_tab, parse_zone_tab   # noqa: E402
from easygeoip.timezones import TimezoneStore             # noqa: E402


def load_timezones(url: str) -> subprocess.CompletedProcess:
    """The release command, exactly as a deploy would run it (the app folder as working directory)."""
    return subprocess.run([str(VENV_BIN / "flask"), "--app", "easygeoip", "load-timezones"], cwd=APP_DIR,
                          env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def pg():
    server = start_postgres()
    try:
        done = load_timezones(server.url())
        assert done.returncode == 0, done.stderr
        yield server
    finally:
        server.close()


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


ZONES = parse_zone_tab(packaged_zone_tab()[0])


def brute_force_nearest(lat: float, lon: float, country: str | None):
    """The answer computed in Python from zone.tab, independently of PostgreSQL and its index."""
    rows = [z for z in ZONES if z.country_code == country] or ZONES
    return min(rows, key=lambda z: haversine_km(lat, lon, z.latitude, z.longitude))


# -- the loader ----------------------------------------------------------------------------------

def test_loader_fills_the_table_with_every_zone_tab_row_and_is_idempotent(pg):
    again = load_timezones(pg.url())
    assert again.returncode == 0, again.stderr
    assert f"loaded {len(ZONES)} time zones from tzdata" in again.stdout
    count, countries = pg.admin_sql("SELECT count(*), count(DISTINCT country_code) FROM timezone_zones",
                                    database=pg.APP_ROLE)[0]
    assert count == len(ZONES) > 400 and countries > 240


def test_loader_runs_as_a_module_and_removes_rows_no_longer_in_zone_tab(pg):
    pg.admin_sql("INSERT INTO timezone_zones VALUES ('ZZ', 'Mars/Olympus', 0, 0, cube(ARRAY[1,0,0]::float8[]), '')",
                 database=pg.APP_ROLE)
    done = subprocess.run([sys.executable, "-m", "easygeoip.load_timezones"], cwd=APP_DIR,
                          env={**os.environ, "DATABASE_URL": pg.url()}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "(1 removed)" in done.stdout
    assert pg.admin_sql("SELECT count(*) FROM timezone_zones WHERE country_code = 'ZZ'", database=pg.APP_ROLE) == [(0,)]


def test_loader_runs_as_the_database_owner_without_superuser(pg):
    # cube and btree_gist are trusted extensions: the app's own role created them in the fixture.
    assert pg.admin_sql(f"SELECT rolsuper FROM pg_roles WHERE rolname = '{pg.APP_ROLE}'") == [(False,)]
    names = {row[0] for row in pg.admin_sql("SELECT extname FROM pg_extension", database=pg.APP_ROLE)}
    assert {"cube", "btree_gist"} <= names


def test_loader_says_what_is_missing_when_database_url_is_unset():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "easygeoip", "load-timezones"], cwd=APP_DIR,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "DATABASE_URL is not set" in done.stderr and "Traceback" not in done.stderr


def test_loader_reports_an_unreachable_database_in_one_line():
    done = load_timezones(f"postgresql://nobody@127.0.0.1:{free_port()}/none")
    assert done.returncode != 0
    assert "cannot connect to PostgreSQL" in done.stderr and "Traceback" not in done.stderr


# -- the fill-in ---------------------------------------------------------------------------------

def test_address_without_a_city_time_zone_gets_the_nearest_zone_in_its_country(pg):
    client = create_app({"DATABASE_URL": pg.url()}).test_client()
    result = client.get("/api/8.8.8.8").get_json()["results"][0]
    expected = brute_force_nearest(result["latitude"], result["longitude"], "US")
    assert result["time_zone"] == expected.zone
    assert result["time_zone_source"] == "database"
    reference = result["time_zone_reference"]
    assert reference["within_country"] is True and reference["country_code"] == "US"
    assert reference["distance_km"] == pytest.approx(
        haversine_km(result["latitude"], result["longitude"], expected.latitude, expected.longitude), abs=1)
    assert result["local_time"]["iso"]


def test_city_time_zone_is_kept_when_the_record_has_one(pg):
    client = create_app({"DATABASE_URL": pg.url()}).test_client()
    result = client.get("/api/81.2.69.160").get_json()["results"][0]
    assert (result["time_zone"], result["time_zone_source"]) == ("Europe/London", "city")
    assert "time_zone_reference" not in result


def test_nearest_zone_matches_a_brute_force_search_everywhere_on_the_globe(pg):
    store = TimezoneStore(pg.url())
    rng = random.Random(6)
    countries = sorted({z.country_code for z in ZONES})
    # Random points, plus the places a flat (longitude, latitude) distance gets wrong.
    points = [(rng.uniform(-89, 89), rng.uniform(-180, 180), rng.choice(countries + [None, "ZZ"]))
              for _ in range(150)]
    points += [(-17.8, 179.9, "FJ"), (-17.8, -179.9, None), (65.0, -179.5, "RU"), (78.2, 15.6, None)]
    for lat, lon, country in points:
        match = store.nearest_zone(lat, lon, country)
        expected = brute_force_nearest(lat, lon, country)
        expected_km = haversine_km(lat, lon, expected.latitude, expected.longitude)
        # Ties between reference points a few metres apart may pick either: compare distances.
        assert match.distance_km == pytest.approx(expected_km, abs=0.5), (lat, lon, country, match, expected)
        assert match.within_country == (country in countries)


def test_both_queries_are_answered_from_the_gist_index(pg):
    """EXPLAIN, with the planner's default settings (enable_seqscan left on).

    The table is small (about 420 rows), so this proves less than it seems: for a KNN `ORDER BY ... <->
    LIMIT 1` the only alternative to the index is a full scan plus a top-1 sort, and the planner prefers
    the index already at this size. The check that matters is that an index *can* answer the query, so
    it keeps doing so as the table grows; the last block shows the same plan, with statistics, for a
    table 100 times bigger. Nothing here sets enable_seqscan=off, which would prove only that the
    planner *can* be forced.
    """
    from easygeoip.timezones import NEAREST_ANYWHERE, NEAREST_IN_COUNTRY
    from easygeoip.geometry import unit_vector
    import psycopg2

    x, y, z = unit_vector(37.751, -97.822)
    params = {"x": x, "y": y, "z": z, "country": "US"}
    conn = psycopg2.connect(pg.url())
    try:
        with conn.cursor() as cur:
            for sql in (NEAREST_IN_COUNTRY, NEAREST_ANYWHERE):
                cur.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cur.fetchall())
                assert "Index Scan using timezone_zones_country_position" in plan, plan
                assert "Seq Scan" not in plan and "Sort" not in plan, plan
            # In-country: the country is an index condition, not a filter applied row by row.
            cur.execute("EXPLAIN " + NEAREST_IN_COUNTRY, params)
            plan = "\n".join(row[0] for row in cur.fetchall())
            assert "Index Cond: (country_code = 'US'" in plan, plan
            # A table 100 times bigger, planned with fresh statistics, in a transaction rolled back.
            cur.execute("""INSERT INTO timezone_zones
                           SELECT country_code, zone || '/' || n, latitude, longitude, position, comment
                           FROM timezone_zones, generate_series(1, 100) n""")
            cur.execute("ANALYZE timezone_zones")
            cur.execute("EXPLAIN ANALYZE " + NEAREST_IN_COUNTRY, params)
            plan = "\n".join(row[0] for row in cur.fetchall())
            assert "Index Scan using timezone_zones_country_position" in plan, plan
    finally:
        conn.rollback()
        conn.close()


# -- health and outages --------------------------------------------------------------------------

def test_health_is_ok_with_a_loaded_database(pg):
    response = create_app({"DATABASE_URL": pg.url()}).test_client().get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["checks"]["database"]["zones"] == len(ZONES)


def test_health_fails_until_the_loader_has_run(pg):
    response = create_app({"DATABASE_URL": pg.url(f"{pg.APP_ROLE}_empty")}).test_client().get("/health")
    assert response.status_code == 503
    database = response.get_json()["checks"]["database"]
    assert database["ok"] is False and "timezone_zones" in database["error"]
    assert "load-timezones" in database["hint"]


def test_database_down_the_api_still_answers_and_health_says_why(pg):
    app = create_app({"DATABASE_URL": pg.url(), "DATABASE_RETRY_AFTER": 0.5})
    client = app.test_client()
    assert client.get("/api/8.8.8.8").get_json()["results"][0]["time_zone_source"] == "database"
    pg.stop()
    try:
        started = time.monotonic()
        response = client.get("/api/8.8.8.8")
        assert response.status_code == 200
        result = response.get_json()["results"][0]
        assert result["country"]["code"] == "US" and result["latitude"] == 37.751
        assert result["time_zone"] is None and result["time_zone_source"] == "unavailable"
        assert result["time_zone_error"].startswith("time zone database unavailable")
        assert client.get("/api/81.2.69.160").get_json()["results"][0]["time_zone"] == "Europe/London"
        page = client.get("/?q=8.8.8.8")
        assert page.status_code == 200 and "unavailable" in page.get_data(as_text=True)
        health = client.get("/health")
        assert health.status_code == 503
        assert health.get_json()["checks"]["database"]["ok"] is False
        assert health.get_json()["checks"]["geoip"]["ok"] is True
        assert time.monotonic() - started < 10
    finally:
        pg.start()
    assert client.get("/health").status_code == 200
    time.sleep(0.6)   # past DATABASE_RETRY_AFTER: the API tries the database again
    assert client.get("/api/8.8.8.8").get_json()["results"][0]["time_zone_source"] == "database"


# -- under gunicorn, preloaded and forked --------------------------------------------------------

def _get(url: str, timeout: float = 5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_gunicorn_preload_opens_the_geoip_reader_in_each_worker_not_in_the_master(pg, tmp_path):
    gunicorn = str(VENV_BIN / "gunicorn")
    port = free_port()
    # gunicorn's own log goes to a file: a pipe nobody reads could fill and stall it on a slow machine
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen([gunicorn, "--preload", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "easygeoip:create_app()"], cwd=APP_DIR, start_new_session=True,
                              env={**os.environ, "DATABASE_URL": pg.url()},
                              stdout=subprocess.DEVNULL, stderr=log)
    why = lambda: (tmp_path / "gunicorn.log").read_text()[-2000:]  # noqa: E731 - the log, for failures
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"http://127.0.0.1:{port}/health", 5)[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, f"gunicorn did not answer /health\n{why()}"
            time.sleep(0.2)
        for _ in range(40):
            status, body = _get(f"http://127.0.0.1:{port}/api/8.8.8.8", 10)
            assert status == 200 and b'"time_zone_source":"database"' in body, (status, body[:300], why())
        # both workers up (bounded wait: a worker the master just replaced appears a moment later)
        children: list[str] = []
        for _ in range(50):
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            if len(children) == 2:
                break
            time.sleep(0.2)
        mapped = {pid: "GeoLite2-City.mmdb" in Path(f"/proc/{pid}/maps").read_text() for pid in children}
        assert len(mapped) == 2 and any(mapped.values()), (mapped, why())
        assert "GeoLite2-City.mmdb" not in Path(f"/proc/{server.pid}/maps").read_text()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
