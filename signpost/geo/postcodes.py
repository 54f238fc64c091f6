"""Locating a postcode or postcode district: the one function the rest of Signpost calls.

``locate_postcode`` normalises the text, refuses postcodes outside Great Britain with a
sentence that says why, and asks the configured geocoder for coordinates. By default that
is the offline Code-Point Open table, so no patient postcode ever leaves the machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from geopy.exc import GeopyError

from signpost.geo.errors import PostcodeLookupUnavailable, PostcodeNotFound
from signpost.geo.geocoder import geocoder_from_config
from signpost.geo.postcode_format import (
    check_covered,
    is_outcode,
    normalise_postcode,
    postcode_district,
)


@dataclass(frozen=True)
class LocatedPostcode:
    """A postcode (``"E15 4HT"``) or district (``"E15"``) with its position.

    For a district the position is the mean of its postcodes, so distances from it are
    approximate: ``is_district`` lets pages say so.
    """

    postcode: str
    latitude: float
    longitude: float

    @property
    def district(self) -> str:
        return postcode_district(self.postcode)

    @property
    def is_district(self) -> bool:
        return is_outcode(self.postcode)


def locate_postcode(text: str) -> LocatedPostcode:
    """Normalise ``text`` and find where it is.

    Raises InvalidPostcode, PostcodeNotCovered (Northern Ireland, Channel Islands, Isle
    of Man), PostcodeNotFound, or PostcodeLookupUnavailable; each has a ``.message``.
    """
    postcode = normalise_postcode(text)
    check_covered(postcode)
    try:
        location = geocoder_from_config(current_app.config).geocode(postcode)
    except GeopyError as error:
        current_app.logger.error("Postcode lookup unavailable: %s", type(error).__name__)
        raise PostcodeLookupUnavailable(postcode=postcode) from error
    if location is None:
        raise PostcodeNotFound(postcode=postcode)
    return LocatedPostcode(postcode, location.latitude, location.longitude)
