"""Distances in miles: a bounding box for SQL, then vectorised great-circle distances.

geopy's ``great_circle`` costs ~17 us a point, fine for one pair but far too slow for a
hundred thousand candidates, so candidates are measured with numpy's haversine (the same
great-circle formula on the same mean Earth radius) and geopy is kept for single pairs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from geopy.distance import EARTH_RADIUS, great_circle

EARTH_RADIUS_MILES = EARTH_RADIUS * 0.621371192  # geopy's mean radius, in miles
MILES_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_MILES / 180


class BoundingBox(NamedTuple):
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(latitude: float, longitude: float, miles: float) -> BoundingBox:
    """The smallest latitude/longitude box holding every point within ``miles``.

    Used as a cheap indexed pre-filter in SQL; the exact distance is computed afterwards.
    """
    lat_delta = miles / MILES_PER_DEGREE_LATITUDE
    # Longitude degrees shrink towards the poles; widen by the box's most poleward edge.
    widest = min(abs(latitude) + lat_delta, 89.9)
    lon_delta = miles / (MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(widest)))
    return BoundingBox(
        latitude - lat_delta, latitude + lat_delta, longitude - lon_delta, longitude + lon_delta
    )


def distances_miles(
    latitude: float,
    longitude: float,
    latitudes: Sequence[float] | np.ndarray,
    longitudes: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """Great-circle (haversine) miles from one point to many, in one vectorised pass."""
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    lat2 = np.radians(np.asarray(latitudes, dtype=np.float64))
    lon2 = np.radians(np.asarray(longitudes, dtype=np.float64))
    half_chord = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(half_chord, 0.0, 1.0)))


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Miles between two (latitude, longitude) points, by geopy."""
    return great_circle(a, b).miles
