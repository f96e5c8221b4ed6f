"""Settings from the environment, read when the app is created (never at import time)."""

from __future__ import annotations

import os
from typing import Mapping

# Longest query accepted: a domain name is at most 253 characters, an IPv6 address far less.
MAX_QUERY_LENGTH = 253


def from_environment(environ: Mapping[str, str] | None = None) -> dict:
    """Flask config keys taken from environment variables; unset variables keep the defaults."""
    env = os.environ if environ is None else environ
    return {
        # postgresql://user:password@host:port/dbname; no default, so no password lives in the code.
        "DATABASE_URL": env.get("DATABASE_URL") or None,
        # Path of a GeoLite2/GeoIP2 City .mmdb; default: the one in the maxminddb-geolite2 package.
        "GEOIP_DATABASE": env.get("GEOIP_DATABASE") or None,
        # Seconds to wait for PostgreSQL to accept a connection, and for one query.
        "DATABASE_TIMEOUT": float(env.get("DATABASE_TIMEOUT", "2")),
        # After a failed connection, answer "time zone unavailable" for this long before trying again,
        # so a database outage does not add a connect timeout to every request.
        "DATABASE_RETRY_AFTER": float(env.get("DATABASE_RETRY_AFTER", "5")),
        # Seconds a DNS lookup may take.
        "DNS_TIMEOUT": float(env.get("DNS_TIMEOUT", "3")),
    }
