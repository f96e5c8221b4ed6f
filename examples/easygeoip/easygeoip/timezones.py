"""The time zone fill-in: the nearest zone reference point in PostgreSQL, within the country first.

Connections are opened lazily, per process (never in a gunicorn master before fork), and kept open
for the next request. After a failed connection the store stays "unavailable" for a while instead of making every
request wait for the connect timeout.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import psycopg2

from .geometry import chord_to_km, unit_vector

TABLE = "timezone_zones"

NEAREST_IN_COUNTRY = f"""
    SELECT zone, country_code, position <-> cube(ARRAY[%(x)s, %(y)s, %(z)s]::float8[]) AS chord
    FROM {TABLE}
    WHERE country_code = %(country)s
    ORDER BY position <-> cube(ARRAY[%(x)s, %(y)s, %(z)s]::float8[])
    LIMIT 1
"""

NEAREST_ANYWHERE = f"""
    SELECT zone, country_code, position <-> cube(ARRAY[%(x)s, %(y)s, %(z)s]::float8[]) AS chord
    FROM {TABLE}
    ORDER BY position <-> cube(ARRAY[%(x)s, %(y)s, %(z)s]::float8[])
    LIMIT 1
"""


class DatabaseUnavailable(Exception):
    """PostgreSQL could not answer; the message says why, without the password."""


@dataclass(frozen=True)
class ZoneMatch:
    zone: str
    country_code: str
    distance_km: float
    within_country: bool


class TimezoneStore:
    def __init__(self, url: str | None, timeout: float = 2.0, retry_after: float = 5.0, max_idle: int = 4):
        self.url = url
        self.timeout = timeout
        self.retry_after = retry_after
        self.max_idle = max_idle
        self._idle: list = []
        self._pid = None
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._last_error = ""

    # -- connections -----------------------------------------------------------------------------
    # A small pool of idle connections per process. (psycopg2.pool with minconn=0 closes every
    # connection it is given back, which made each request pay for a new connection: 20x slower.)
    def _acquire(self):
        with self._lock:
            if self._pid != os.getpid():
                # Connections inherited through fork belong to the parent: forget them, never close them
                # here (closing would end the parent's sessions).
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        try:
            return psycopg2.connect(self.url, connect_timeout=max(1, round(self.timeout)),
                                    options=f"-c statement_timeout={int(self.timeout * 1000)}",
                                    application_name="easygeoip")
        except psycopg2.Error as exc:
            raise DatabaseUnavailable(_first_line(exc)) from None

    def _release(self, conn, broken: bool) -> None:
        if not broken and not conn.closed:
            with self._lock:
                if self._pid == os.getpid() and len(self._idle) < self.max_idle:
                    self._idle.append(conn)
                    return
        conn.close()

    def _run(self, sql: str, params: dict | None = None) -> list[tuple]:
        if not self.url:
            raise DatabaseUnavailable("DATABASE_URL is not set")
        conn = self._acquire()
        broken = False
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params)
                rows = cur.fetchall()
            conn.rollback()          # read-only: end the transaction, keep the connection idle
            return rows
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
            broken = True
            raise DatabaseUnavailable(_first_line(exc)) from None
        except psycopg2.Error as exc:
            conn.rollback()
            raise DatabaseUnavailable(_first_line(exc)) from None
        finally:
            self._release(conn, broken)

    def _guarded(self, sql: str, params: dict | None = None) -> list[tuple]:
        """_run, but skipped while a recent failure says the database is down."""
        now = time.monotonic()
        if now < self._down_until:
            raise DatabaseUnavailable(self._last_error)
        try:
            return self._run(sql, params)
        except DatabaseUnavailable as exc:
            self._last_error = str(exc)
            self._down_until = time.monotonic() + self.retry_after
            raise

    # -- queries ---------------------------------------------------------------------------------
    def nearest_zone(self, latitude: float, longitude: float, country_code: str | None) -> ZoneMatch | None:
        x, y, z = unit_vector(latitude, longitude)
        params = {"x": x, "y": y, "z": z, "country": (country_code or "").upper()}
        if country_code:
            rows = self._guarded(NEAREST_IN_COUNTRY, params)
            if rows:
                zone, country, chord = rows[0]
                return ZoneMatch(zone, country, round(chord_to_km(chord), 1), True)
        rows = self._guarded(NEAREST_ANYWHERE, params)
        if not rows:
            return None
        zone, country, chord = rows[0]
        return ZoneMatch(zone, country, round(chord_to_km(chord), 1), False)

    def health(self) -> dict:
        """Always asks the database (no cool-down): the health check must see recovery at once."""
        count = self._run(f"SELECT count(*) FROM {TABLE}")[0][0]
        self._down_until = 0.0
        return {"zones": count}


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
