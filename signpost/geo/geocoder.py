"""Geocoders behind geopy's interface, so a deployment can swap the offline table for a
geopy service (``SIGNPOST_GEOCODER=nominatim``) without touching any caller."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from geopy.geocoders import get_geocoder_for_service
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from signpost.geo.codepoint import CodePointTable, open_table
from signpost.geo.postcode_format import is_outcode, normalise_postcode

OFFLINE_GEOCODER = "codepoint"


class CodePointGeocoder(Geocoder):
    """geopy-style geocoder answering from the Code-Point Open table; never uses the network.

    ``geocode`` takes a postcode or district and returns a ``geopy.Location`` or None.
    """

    def __init__(self, table: CodePointTable) -> None:
        super().__init__()
        self.table = table

    def geocode(self, query: str, *, exactly_one: bool = True, **_: object) -> Location | None:
        postcode = normalise_postcode(query)
        found = (
            self.table.locate_outcode(postcode)
            if is_outcode(postcode)
            else self.table.locate(postcode)
        )
        if found is None:
            return None
        latitude, longitude = found
        location = Location(postcode, (latitude, longitude), {"postcode": postcode})
        return location if exactly_one else [location]


def geocoder_from_config(config: Mapping) -> Geocoder:
    """The geocoder the app is configured for: the offline table unless told otherwise."""
    name = config.get("SIGNPOST_GEOCODER", OFFLINE_GEOCODER)
    if name == OFFLINE_GEOCODER:
        return _offline_geocoder(str(config["SIGNPOST_POSTCODE_DB"]))
    return _online_geocoder(name, config.get("SIGNPOST_GEOCODER_USER_AGENT", "signpost"))


@lru_cache(maxsize=8)
def _offline_geocoder(path: str) -> CodePointGeocoder:
    """One per table: building a geopy Geocoder costs ~35 ms (it sets up an HTTP adapter)."""
    return CodePointGeocoder(open_table(path))


@lru_cache(maxsize=4)
def _online_geocoder(name: str, user_agent: str) -> Geocoder:
    return get_geocoder_for_service(name)(user_agent=user_agent)
