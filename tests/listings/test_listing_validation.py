"""Bad input gets a clear message beside the field and in the summary; nothing is saved."""
# ruff: noqa: E501  (the table of cases reads best one per line)

from __future__ import annotations

import pytest
from sqlalchemy import select

from signpost.directory.models import WEEKDAYS
from signpost.extensions import db
from signpost.listings.models import ListingChange
from tests.listings.conftest import edit_path, open_form, save
from tests.pages import parse_page

CASES = [
    ({"locations__0__postal_code": "NOT A POSTCODE"}, "locations-0-postal_code", "Enter a real UK postcode"),
    ({"locations__0__postal_code": "E15 9ZZ"}, "locations-0-postal_code", "couldn't find that postcode"),
    ({"locations__0__postal_code": "BT1 1AA"}, "locations-0-postal_code", "Northern Ireland"),
    ({"locations__0__postal_code": "E15"}, "locations-0-postal_code", "Enter the building's full postcode"),
    ({"locations__0__address_1": ""}, "locations-0-address_1", "Enter the first line of the address."),
    ({"opening_times__0__closes_at": "09:00"}, "opening_times-0-closes_at", "The closing time must be after the opening time."),
    ({"opening_times__0__opens_at": "25:00"}, "opening_times-0-opens_at", "Enter the opening time as hours and minutes"),
    ({"opening_times__0__byday": "XX"}, "opening_times-0-byday", "Choose a day of the week."),
    ({"opening_times__1__opens_at": "10:00"}, "opening_times-1-byday", "Choose a day of the week."),
    ({"opening_times__0__closes_at": ""}, "opening_times-0-closes_at", "Enter the closing time as well"),
    ({"url": "javascript:alert(1)"}, "url", "Enter the full website address"),
    ({"url": "example"}, "url", "Enter the full website address"),
    ({"email": "not-an-email"}, "email", "Enter a real email address."),
    ({"minimum_age": "130"}, "minimum_age", "Enter an age from 0 to 120."),
    ({"minimum_age": "-1"}, "minimum_age", "Enter an age from 0 to 120."),
    ({"minimum_age": "65", "maximum_age": "18"}, "maximum_age", "same as or above the minimum age"),
    ({"name": ""}, "name", "Enter the service's name."),
    ({"categories": []}, "categories", "Choose at least one need"),
    ({"phones__0__number": "call us"}, "phones-0-number", "Enter a phone number"),
    ({"opening_times__1__byday": "MO", "opening_times__1__opens_at": "15:00", "opening_times__1__closes_at": "17:00"}, "opening_times", "Opening 2 overlaps opening 1: Mondays, 10am to 4pm and Mondays, 3pm to 5pm."),
    ({"opening_times__1__byday": "MO", "opening_times__1__opens_at": "10:00", "opening_times__1__closes_at": "16:00"}, "opening_times", "Opening 2 repeats opening 1 (Mondays, 10am to 4pm)."),
    ({"opening_times__1__byday": "MO", "opening_times__1__opens_at": "09:00", "opening_times__1__closes_at": "18:00"}, "opening_times", "Opening 2 overlaps opening 1"),
    (
        {"locations__0__name": "", "locations__0__address_1": "", "locations__0__city": "", "locations__0__postal_code": ""},
        "service_areas",
        "Add the address of a building, or the area",
    ),
]  # fmt: skip


@pytest.mark.parametrize("changes, field_id, message", CASES)
def test_each_mistake_is_explained(listing, changes, field_id, message):
    values = open_form(listing.editor, listing.service.id)
    response = save(listing.editor, edit_path(listing.service.id), values, **changes)
    assert response.status_code == 400
    page = parse_page(response)
    summary = page.select_one(".nhsuk-error-summary")
    assert message in summary.get_text()
    assert summary.find("a", href=f"#{field_id}") is not None
    assert page.find(id=field_id) is not None
    assert db.session.scalar(select(ListingChange)) is None


def test_a_service_with_no_building_needs_only_its_area(listing):
    values = open_form(listing.editor, listing.service.id)
    response = save(
        listing.editor,
        edit_path(listing.service.id),
        values,
        locations__0__name="",
        locations__0__address_1="",
        locations__0__city="",
        locations__0__postal_code="",
        service_areas__0__name="Newham",
        delivery_modes=["telephone"],
    )
    assert response.status_code == 303
    change = db.session.scalar(select(ListingChange))
    assert change.snapshot["locations"] == []
    assert change.snapshot["service_areas"] == [{"name": "Newham", "extent_type": "local"}]


def test_postcode_is_normalised_and_located(listing):
    values = open_form(listing.editor, listing.service.id)
    save(
        listing.editor, edit_path(listing.service.id), values, locations__0__postal_code="tr18 4ne"
    )
    location = db.session.scalar(select(ListingChange)).snapshot["locations"][0]
    assert location["postal_code"] == "TR18 4NE"
    assert 50 < location["latitude"] < 50.3 and -5.7 < location["longitude"] < -5.4


def test_sessions_that_touch_or_fall_on_other_days_are_fine(listing):
    values = open_form(listing.editor, listing.service.id)
    response = save(
        listing.editor,
        edit_path(listing.service.id),
        values,
        opening_times__1__byday="MO",
        opening_times__1__opens_at="16:00",
        opening_times__1__closes_at="18:00",
        opening_times__2__byday="TU",
        opening_times__2__opens_at="10:00",
        opening_times__2__closes_at="16:00",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    times = db.session.scalar(select(ListingChange)).snapshot["opening_times"]
    assert [(t["byday"], t["opens_at"]) for t in times] == [
        ("MO", "10:00"),
        ("MO", "16:00"),
        ("TU", "10:00"),
    ]


def _rows(prefix: str, count: int, row) -> dict[str, list[str]]:
    return {
        f"{prefix}-{index}-{name}": [value]
        for index in range(count)
        for name, value in row(index).items()
    }


def _without_rows(values: dict, prefix: str) -> dict:
    return {name: value for name, value in values.items() if not name.startswith(prefix + "-")}


def test_too_many_buildings_are_refused_before_any_is_looked_up(listing):
    values = _without_rows(open_form(listing.editor, listing.service.id), "locations")

    def building(index: int) -> dict[str, str]:
        postcode = "E15 4HT" if index < 24 else "NOT A POSTCODE"  # past the limit: never read
        return {"address_1": f"{index} High Street", "city": "Stratford", "postal_code": postcode}

    values.update(_rows("locations", 25, building))
    response = listing.editor.post(edit_path(listing.service.id), data=values)
    assert response.status_code == 400
    page = parse_page(response)
    summary = page.select_one(".nhsuk-error-summary")
    assert "A listing can have at most 20 buildings." in summary.get_text()
    assert summary.find("a", href="#locations") and page.find(id="locations")
    assert "Enter a real UK postcode" not in page.get_text()
    assert len(page.select("input[name$='-address_1'][name^='locations-']")) == 20
    assert db.session.scalar(select(ListingChange)) is None


@pytest.mark.parametrize(
    "prefix, count, row, message",
    [
        ("opening_times", 51, lambda i: {"byday": WEEKDAYS[i % 7], "opens_at": f"{6 + i // 7:02d}:00", "closes_at": f"{6 + i // 7:02d}:30"}, "at most 50 opening times"),
        ("contacts", 21, lambda i: {"name": f"Person {i}"}, "at most 20 named contacts"),
        ("phones", 21, lambda i: {"number": f"020 7946 {i:04d}"}, "at most 20 phone numbers"),
    ],
)  # fmt: skip
def test_too_many_rows_of_other_kinds_are_refused(listing, prefix, count, row, message):
    values = _without_rows(open_form(listing.editor, listing.service.id), prefix)
    values.update(_rows(prefix, count, row))
    response = listing.editor.post(edit_path(listing.service.id), data=values)
    assert response.status_code == 400
    assert message in parse_page(response).select_one(".nhsuk-error-summary").get_text()
    assert db.session.scalar(select(ListingChange)) is None
