"""Load the IANA time zones and their reference points into PostgreSQL.

Idempotent: run it on every deploy (Shipyard's release step, or by hand):
    flask --app easygeoip load-timezones
    python -m easygeoip.load_timezones            # the same, without Flask's CLI
Both read DATABASE_URL. Runs in one transaction under an advisory lock, so two copies started at once
(two replicas) do not trip over each other, and the app never sees a half-loaded table.

The zones come from zone.tab in the `tzdata` package (the IANA database as a PyPI wheel), so the same
data is there in any image, with or without the operating system's /usr/share/zoneinfo. zone.tab has one
row per (country, zone) with the zone's reference point, which is what a per-country lookup needs.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from importlib import resources

import psycopg2
import psycopg2.extras

from .geometry import unit_vector
from .timezones import TABLE

LOCK_KEY = 0x45617379   # "Easy": arbitrary, constant advisory lock id for this loader

_COORDINATES = re.compile(r"^([+-])(\d{2})(\d{2})(\d{2})?([+-])(\d{3})(\d{2})(\d{2})?$")

SCHEMA = f"""
CREATE EXTENSION IF NOT EXISTS cube;        -- trusted extensions since PostgreSQL 13: the database
CREATE EXTENSION IF NOT EXISTS btree_gist;  -- owner can create them, no superuser needed
CREATE TABLE IF NOT EXISTS {TABLE} (
    country_code char(2) NOT NULL,
    zone         text    NOT NULL,
    latitude     double precision NOT NULL,
    longitude    double precision NOT NULL,
    position     cube    NOT NULL,          -- unit vector of (latitude, longitude): see geometry.py
    comment      text    NOT NULL DEFAULT '',
    PRIMARY KEY (country_code, zone)
);
-- (country_code, position) in one GiST index (btree_gist supplies the text column's operators):
-- "nearest within a country" is an index scan with the country as an index condition, and
-- "nearest anywhere" is an index scan ordered by the second column alone.
CREATE INDEX IF NOT EXISTS {TABLE}_country_position ON {TABLE} USING gist (country_code, position);
"""


class LoadError(Exception):
    pass


@dataclass(frozen=True)
class ZoneRow:
    country_code: str
    zone: str
    latitude: float
    longitude: float
    comment: str


def _degrees(sign: str, deg: str, minutes: str, seconds: str | None) -> float:
    value = int(deg) + int(minutes) / 60 + int(seconds or 0) / 3600
    return -value if sign == "-" else value


def parse_zone_tab(text: str) -> list[ZoneRow]:
    """zone.tab: country code, ISO 6709 coordinates (+DDMM+DDDMM or +DDMMSS+DDDMMSS), zone, comment."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3:
            raise LoadError(f"zone.tab line {number}: expected tab-separated code, coordinates, zone: {line!r}")
        match = _COORDINATES.match(fields[1])
        if not match:
            raise LoadError(f"zone.tab line {number}: unreadable coordinates {fields[1]!r}")
        g = match.groups()
        rows.append(ZoneRow(fields[0], fields[2], _degrees(*g[0:4]), _degrees(*g[4:8]),
                            fields[3] if len(fields) > 3 else ""))
    return rows


def packaged_zone_tab() -> tuple[str, str]:
    """zone.tab text and the tzdata version it comes from."""
    import tzdata
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    return text, getattr(tzdata, "IANA_VERSION", "unknown")


def load(url: str, rows: list[ZoneRow]) -> dict:
    """Create the schema if needed and make the table hold exactly `rows`; returns counts."""
    if not rows:
        raise LoadError("no time zones to load")
    try:
        conn = psycopg2.connect(url, connect_timeout=10, application_name="easygeoip-loader")
    except psycopg2.OperationalError as exc:
        raise LoadError(f"cannot connect to PostgreSQL: {str(exc).strip().splitlines()[0]}") from None
    try:
        with conn, conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            cur.execute(SCHEMA)
            cur.execute(f"CREATE TEMP TABLE incoming (LIKE {TABLE}) ON COMMIT DROP")
            values = []
            for r in rows:
                x, y, z = unit_vector(r.latitude, r.longitude)
                values.append((r.country_code, r.zone, r.latitude, r.longitude, [x, y, z], r.comment))
            psycopg2.extras.execute_values(
                cur, "INSERT INTO incoming VALUES %s", values,
                template="(%s, %s, %s, %s, cube(%s::float8[]), %s)")
            cur.execute(f"""
                INSERT INTO {TABLE} SELECT * FROM incoming
                ON CONFLICT (country_code, zone) DO UPDATE SET
                    latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude,
                    position = EXCLUDED.position, comment = EXCLUDED.comment""")
            cur.execute(f"""DELETE FROM {TABLE} t WHERE NOT EXISTS
                            (SELECT 1 FROM incoming i WHERE i.country_code = t.country_code AND i.zone = t.zone)""")
            removed = cur.rowcount
            cur.execute(f"ANALYZE {TABLE}")
            cur.execute(f"SELECT count(*) FROM {TABLE}")
            total = cur.fetchone()[0]
    except psycopg2.Error as exc:
        raise LoadError(f"loading time zones failed: {str(exc).strip().splitlines()[0]}") from None
    finally:
        conn.close()
    return {"zones": total, "removed": removed}


def run(url: str | None) -> str:
    """Load the packaged zone.tab into the database at `url`; returns a one-line summary."""
    if not url:
        raise LoadError("DATABASE_URL is not set: export DATABASE_URL=postgresql://user:password@host:5432/db")
    text, version = packaged_zone_tab()
    result = load(url, parse_zone_tab(text))
    return f"loaded {result['zones']} time zones from tzdata {version} zone.tab ({result['removed']} removed)"


def main() -> int:
    try:
        print(run(os.environ.get("DATABASE_URL")))
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
