"""Where the indexed services are: every building's coordinates in numpy arrays.

A text search with a postcode and no other filter needs "which services have a building
within the radius, or no building at all" before the engine scores the words. Asked of
SQL, that is a box query returning tens of thousands of rows near a city at 100,000
listings (about 90 ms of a 150 ms search on SQLite); asked of these arrays, a millisecond.

The arrays are read once per version of the search index: every change to a published
listing (its buildings included) is re-indexed in the same request, so a new index
version is exactly when the places may have changed. Each process keeps its own copy.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select

from signpost.directory.models import Location, Service, ServiceAtLocation
from signpost.extensions import db
from signpost.geo.distance import bounding_box, distances_miles
from signpost.search.indexer import search_engine
from signpost.search.long_lived import exclude_from_collections


@dataclass(frozen=True)
class ServicePlaces:
    service_ids: np.ndarray  # one entry per building: the service it belongs to
    latitudes: np.ndarray
    longitudes: np.ndarray
    without_building: frozenset[str]

    def buildings_within(
        self, latitude: float, longitude: float, radius_miles: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """(service ids, miles) of the buildings within the radius."""
        box = bounding_box(latitude, longitude, radius_miles)
        in_box = np.flatnonzero(
            (self.latitudes >= box.min_latitude)
            & (self.latitudes <= box.max_latitude)
            & (self.longitudes >= box.min_longitude)
            & (self.longitudes <= box.max_longitude)
        )
        miles = distances_miles(
            latitude, longitude, self.latitudes[in_box], self.longitudes[in_box]
        )
        inside = miles <= radius_miles
        return self.service_ids[in_box[inside]], miles[inside]

    def within(self, latitude: float, longitude: float, radius_miles: float) -> set[str]:
        """Services with a building within the radius, and every service with none."""
        service_ids, _miles = self.buildings_within(latitude, longitude, radius_miles)
        return set(service_ids.tolist()) | self.without_building


_lock = threading.Lock()
_cached: dict[str, tuple[object, ServicePlaces]] = {}


def service_places() -> ServicePlaces:
    """The places for the current version of this app's search index."""
    directory = current_app.config["SIGNPOST_INDEX_DIR"]
    version = search_engine().version()
    with _lock:
        cached = _cached.get(directory)
        if cached is not None and cached[0] == version and version is not None:
            return cached[1]
    places = _load_places()
    with _lock:
        _cached[directory] = (version, places)
    exclude_from_collections(len(places.latitudes) + len(places.without_building))
    return places


def _load_places() -> ServicePlaces:
    rows = db.session.execute(
        select(ServiceAtLocation.service_id, Location.latitude, Location.longitude)
        .join(Location, ServiceAtLocation.location_id == Location.id)
        .where(Location.latitude.is_not(None), Location.longitude.is_not(None))
    ).all()
    bare = db.session.scalars(
        select(Service.id).where(Service.id.not_in(select(ServiceAtLocation.service_id)))
    )
    service_ids, latitudes, longitudes = zip(*rows, strict=True) if rows else ((), (), ())
    return ServicePlaces(
        service_ids=np.array(service_ids, dtype=object),
        latitudes=np.array(latitudes, dtype=np.float64),
        longitudes=np.array(longitudes, dtype=np.float64),
        without_building=frozenset(bare),
    )
