"""Points on the globe as 3-D unit vectors.

The straight-line (chord) distance between two unit vectors grows with the great-circle distance, so
"nearest by chord" is "nearest on the globe", with no distortion near the poles or across the 180th
meridian (which a plain (longitude, latitude) point would get wrong). PostgreSQL's cube type indexes
such vectors with GiST and answers ORDER BY ... <-> ... LIMIT 1 from the index.
"""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def unit_vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def chord_to_km(chord: float) -> float:
    """Great-circle distance for a chord between two unit vectors."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, chord / 2))
