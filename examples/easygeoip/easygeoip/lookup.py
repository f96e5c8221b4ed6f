"""One address in, one answer out: the City record plus the time zone and where it came from."""

from __future__ import annotations

import datetime
import zoneinfo

from .geodb import GeoDatabase
from .timezones import DatabaseUnavailable, TimezoneStore


def _name(record: dict | None) -> str | None:
    return ((record or {}).get("names") or {}).get("en")


def _local_time(zone: str | None) -> dict | None:
    if not zone:
        return None
    try:
        now = datetime.datetime.now(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return {"iso": now.isoformat(timespec="seconds"), "utc_offset": now.strftime("%z"),
            "abbreviation": now.tzname()}


def describe(address: str, record: dict, store: TimezoneStore) -> dict:
    location = record.get("location") or {}
    country = record.get("country") or record.get("registered_country") or {}
    subdivisions = record.get("subdivisions") or []
    region = subdivisions[0] if subdivisions else {}
    answer = {
        "address": address,
        "city": _name(record.get("city")),
        "region": {"code": region.get("iso_code"), "name": _name(region)} if region else None,
        "country": {"code": country.get("iso_code"), "name": _name(country)} if country else None,
        "continent": {"code": (record.get("continent") or {}).get("code"), "name": _name(record.get("continent"))}
                     if record.get("continent") else None,
        "postal_code": (record.get("postal") or {}).get("code"),
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "accuracy_radius_km": location.get("accuracy_radius"),
        "time_zone": location.get("time_zone"),
        "time_zone_source": "city" if location.get("time_zone") else None,
    }
    if answer["time_zone"] is None and answer["latitude"] is not None:
        try:
            match = store.nearest_zone(answer["latitude"], answer["longitude"], (country or {}).get("iso_code"))
        except DatabaseUnavailable as exc:
            answer["time_zone_source"] = "unavailable"
            answer["time_zone_error"] = f"time zone database unavailable: {exc}"
        else:
            if match:
                answer["time_zone"] = match.zone
                answer["time_zone_source"] = "database"
                answer["time_zone_reference"] = {
                    "zone": match.zone, "country_code": match.country_code,
                    "distance_km": match.distance_km, "within_country": match.within_country}
            else:
                answer["time_zone_source"] = "unavailable"
                answer["time_zone_error"] = "the time zone table is empty: run load-timezones"
    answer["local_time"] = _local_time(answer["time_zone"])
    return answer


def look_up(addresses: list[str], geo: GeoDatabase, store: TimezoneStore) -> tuple[list[dict], list[dict]]:
    """Answers for the addresses the database knows, and the ones it does not."""
    found, unknown = [], []
    for address in addresses:
        record = geo.get(address)
        if record is None or not (record.get("country") or record.get("location") or record.get("city")):
            unknown.append({"address": address, "reason": "not in the GeoLite2 City database"})
        else:
            found.append(describe(address, record, store))
    return found, unknown
