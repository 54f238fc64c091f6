"""Postcodes: normalising, validating and locating them offline from Code-Point Open."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from signpost.geo.distance import bounding_box, distance_miles, distances_miles
from signpost.geo.errors import (
    InvalidPostcode,
    PostcodeError,
    PostcodeLookupUnavailable,
    PostcodeNotCovered,
    PostcodeNotFound,
)
from signpost.geo.postcode_format import normalise_postcode, postcode_district
from signpost.geo.postcodes import locate_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("e154ht", "E15 4HT"),
        ("  E15   4HT ", "E15 4HT"),
        ("sw1a1aa", "SW1A 1AA"),
        ("tr18", "TR18"),
        ("E15", "E15"),
    ],
)
def test_postcodes_are_normalised(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "hello", "E15 4H", "QQ1 1AA", "12345", "E15 4HT X"])
def test_malformed_postcodes_are_refused_with_a_message(typed):
    with pytest.raises(InvalidPostcode) as caught:
        normalise_postcode(typed)
    assert caught.value.message


@given(st.text(max_size=60))
def test_any_text_either_normalises_or_raises_invalid(text):
    try:
        result = normalise_postcode(text)
    except InvalidPostcode:
        return
    assert result == result.upper().strip()
    assert normalise_postcode(result) == result


def test_district_of_a_full_postcode():
    assert postcode_district("e15 4ht") == "E15"


def test_full_postcode_is_located(app):
    located = locate_postcode("e154ht")
    assert located.postcode == "E15 4HT"
    assert located.district == "E15"
    assert not located.is_district
    assert located.latitude == pytest.approx(51.5403, abs=1e-3)
    assert located.longitude == pytest.approx(0.0096, abs=1e-3)


def test_district_is_located_at_its_centre(app):
    located = locate_postcode("TR18")
    assert located.is_district
    assert located.latitude == pytest.approx(50.117, abs=0.01)


def test_well_formed_but_unknown_postcode_is_not_found(app):
    with pytest.raises(PostcodeNotFound) as caught:
        locate_postcode("E15 9ZZ")
    assert "couldn't find" in caught.value.message


@pytest.mark.parametrize("typed", ["BT7 1NN", "GY1 1AA", "JE2 3AB", "IM1 1AA"])
def test_postcodes_outside_great_britain_say_why(app, typed):
    with pytest.raises(PostcodeNotCovered) as caught:
        locate_postcode(typed)
    assert "Great Britain" in caught.value.message
    assert typed not in caught.value.message


def test_missing_table_is_reported_as_unavailable_not_as_the_users_fault(app, tmp_path):
    app.config["SIGNPOST_POSTCODE_DB"] = str(tmp_path / "absent.sqlite")
    with pytest.raises(PostcodeLookupUnavailable):
        locate_postcode("E15 4HT")


def test_every_error_is_a_postcode_error():
    for error in (InvalidPostcode, PostcodeNotFound, PostcodeLookupUnavailable):
        assert issubclass(error, PostcodeError)


def test_distance_between_known_postcodes(app):
    stratford = locate_postcode("E15 4HT")
    penzance = locate_postcode("TR18 4AA")
    miles = distance_miles(
        (stratford.latitude, stratford.longitude), (penzance.latitude, penzance.longitude)
    )
    # By hand (equirectangular, mean latitude 50.83): 5.542 deg E-W x cos(50.83) x 69.09
    # = 241.9 mi, 1.424 deg N-S x 69.09 = 98.4 mi, so sqrt(241.9^2 + 98.4^2) = 261.1 mi.
    assert miles == pytest.approx(261.1, abs=1.0)


def test_vectorised_distances_match_geopy():
    origin = (51.5403, 0.0096)
    points = [(51.5300, 0.0366), (50.1167, -5.5320), (51.5010, -0.1416)]
    fast = distances_miles(*origin, [p[0] for p in points], [p[1] for p in points])
    for point, miles in zip(points, fast, strict=True):
        assert miles == pytest.approx(distance_miles(origin, point), rel=1e-9)


@given(
    st.floats(min_value=49.8, max_value=60.9),
    st.floats(min_value=-8.0, max_value=1.8),
    st.floats(min_value=0.1, max_value=100),
    st.floats(min_value=0, max_value=2 * math.pi),
    st.floats(min_value=0, max_value=0.999),
)
def test_bounding_box_holds_every_point_within_the_radius(lat, lon, miles, bearing, fraction):
    # A point at fraction*miles on some bearing, by the destination-point formula.
    from geopy.distance import great_circle

    point = great_circle(miles=miles * fraction).destination((lat, lon), math.degrees(bearing))
    box = bounding_box(lat, lon, miles)
    assert box.min_latitude <= point.latitude <= box.max_latitude
    assert box.min_longitude <= point.longitude <= box.max_longitude
