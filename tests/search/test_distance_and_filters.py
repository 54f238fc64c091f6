"""Distance order and every filter, on services made for each test at real postcodes."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from signpost.extensions import db
from signpost.search.contract import SearchRequest
from signpost.search.indexer import rebuild_index
from signpost.search.search_log import UnmetNeedSearch
from signpost.search.service_search import search_services
from tests.directory_factories import make_service


def ids(results) -> list[str]:
    return [item.service.id for item in results.items]


@pytest.fixture
def three_debt_services(app):
    far = make_service(db.session, "Penzance Money Advice", "Debt advice.", postcode="TR18 4AA")
    near = make_service(db.session, "Plaistow Money Advice", "Debt advice.", postcode="E13 9PJ")
    nearest = make_service(db.session, "Stratford Money Advice", "Debt advice.", postcode="E15 4HT")
    rebuild_index()
    return nearest, near, far


def test_results_are_in_order_of_hand_computed_distance(three_debt_services):
    nearest, near, far = three_debt_services
    results = search_services(SearchRequest(text="debt advice", postcode="E15 4HT"))
    assert ids(results) == [nearest.id, near.id, far.id]
    miles = [item.distance_miles for item in results.items]
    # E15 4HT -> E13 9PJ by hand: 0.0103 deg N-S x 69.09 = 0.71 mi; 0.0271 deg E-W x
    # cos(51.535) x 69.09 = 1.16 mi; sqrt(0.71^2 + 1.16^2) = 1.36 mi. To TR18 4AA: 261.1 mi.
    assert miles[0] == pytest.approx(0.0, abs=0.01)
    assert miles[1] == pytest.approx(1.36, abs=0.02)
    assert miles[2] == pytest.approx(261.1, abs=1.0)


def test_radius_keeps_only_services_within_it(three_debt_services):
    nearest, near, _far = three_debt_services
    results = search_services(SearchRequest(text="debt", postcode="E15 4HT", radius_miles=5))
    assert ids(results) == [nearest.id, near.id]


def test_empty_query_with_postcode_lists_nearest_first(three_debt_services):
    nearest, near, far = three_debt_services
    results = search_services(SearchRequest(postcode="TR18 4AA"))
    # From Penzance, Stratford (E15) is nearer than Plaistow (E13), which lies further east.
    assert ids(results) == [far.id, nearest.id, near.id]


def test_outcode_searches_from_the_district_centre(three_debt_services):
    results = search_services(SearchRequest(text="debt", postcode="e15"))
    assert results.origin_postcode == "E15"
    assert results.items[0].service.name == "Stratford Money Advice"


def test_unknown_postcode_says_so_and_still_searches(three_debt_services):
    results = search_services(SearchRequest(text="debt", postcode="E15 9ZZ"))
    assert "couldn't find" in results.postcode_message
    assert len(results.items) == 3
    assert all(item.distance_miles is None for item in results.items)


def test_northern_ireland_postcode_is_explained(three_debt_services):
    results = search_services(SearchRequest(text="debt", postcode="BT7 1NN"))
    assert "Northern Ireland" in results.postcode_message
    assert len(results.items) == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"categories": ("food",)}, {"food bank"}),
        ({"categories": ("long-term-conditions",)}, {"diabetes group"}),  # child category
        ({"free_only": True}, {"food bank", "diabetes group", "phone line"}),
        ({"delivery_mode": "telephone"}, {"phone line"}),
        ({"day": "SA"}, {"saturday gym"}),
        ({"age": 70}, {"food bank", "diabetes group", "phone line"}),
        ({"age": 20}, {"food bank", "saturday gym", "phone line"}),
        ({"language": "bn"}, {"diabetes group"}),
        ({"wheelchair": True}, {"food bank", "phone line"}),
        ({"self_referral": True}, {"food bank", "saturday gym", "phone line"}),
    ],
)
def test_each_filter(app, filters, expected):
    make_service(db.session, "food bank", categories=["food"], wheelchair=True, access_route="self")
    make_service(
        db.session,
        "diabetes group",
        categories=["diabetes"],
        languages=["en", "bn"],
        minimum_age=50,
        access_route="professional",
    )
    make_service(db.session, "saturday gym", opening_days=["SA"], is_free=False, maximum_age=40)
    make_service(db.session, "phone line", postcode=None, access_route="either")
    _link_child_category()
    rebuild_index()
    found = {item.service.name for item in search_services(SearchRequest(**filters)).items}
    assert found == expected
    with_text = search_services(SearchRequest(text="group bank gym line", **filters))
    assert {item.service.name for item in with_text.items} <= expected
    # With a postcode and radius, buildings in the box and services with none are both found.
    nearby = search_services(SearchRequest(postcode="E13 9PJ", radius_miles=5, **filters))
    assert {item.service.name for item in nearby.items} == expected
    far_away = search_services(SearchRequest(postcode="TR18 4AA", radius_miles=5, **filters))
    assert {item.service.name for item in far_away.items} == expected & {"phone line"}
    words = "food bank diabetes group saturday gym phone line"
    nearby = search_services(SearchRequest(words, postcode="E13 9PJ", radius_miles=5, **filters))
    assert {item.service.name for item in nearby.items} == expected
    far_away = search_services(SearchRequest(words, postcode="TR18 4AA", radius_miles=5, **filters))
    assert {item.service.name for item in far_away.items} == expected & {"phone line"}


def test_a_text_search_near_a_postcode_keeps_services_without_a_building(app):
    make_service(db.session, "Debt line", "Debt advice by telephone.", postcode=None)
    make_service(db.session, "Penzance debt advice", "Debt advice.", postcode="TR18 4AA")
    make_service(db.session, "Stratford debt advice", "Debt advice.", postcode="E15 4HT")
    rebuild_index()
    results = search_services(SearchRequest("debt", postcode="E13 9PJ", radius_miles=10))
    assert [item.service.name for item in results.items] == [
        "Stratford debt advice",
        "Debt line",
    ]
    assert results.items[1].is_remote


class _FixedClock:
    """Stands in for ``datetime`` in the filters module: ``now`` is the given moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, zone=None):
        return self.moment.astimezone(zone) if zone else self.moment


def _link_child_category():
    from tests.directory_factories import make_term

    parent = make_term(db.session, "long-term-conditions", "Long-term conditions")
    make_term(db.session, "diabetes").parent_id = parent.id
    db.session.commit()


def test_open_now_uses_uk_time(app, monkeypatch):
    make_service(
        db.session, "morning club", opening_days=["WE"], opens_at=time(9), closes_at=time(12)
    )
    rebuild_index()
    from signpost.search import filters

    wednesday_ten = datetime(2026, 11, 25, 10, 0, tzinfo=filters.UK_TIME)
    wednesday_two = datetime(2026, 11, 25, 14, 0, tzinfo=filters.UK_TIME)
    in_new_york = datetime(2026, 11, 25, 5, 0, tzinfo=ZoneInfo("America/New_York"))  # 10:00 UK
    request = SearchRequest(day="now")
    for now, expected in ((wednesday_ten, 1), (wednesday_two, 0), (in_new_york, 1)):
        monkeypatch.setattr(filters, "datetime", _FixedClock(now))
        assert search_services(request).total == expected


def test_zero_results_offer_widening_and_are_recorded_without_full_postcode(app):
    make_service(db.session, "food bank", categories=["food"])
    rebuild_index()
    results = search_services(
        SearchRequest(text="zebra", postcode="E15 4HT", free_only=True, radius_miles=1)
    )
    assert results.items == []
    labels = [option["label"] for option in results.widen_options]
    assert "Remove free services only" in labels
    assert "Search within 3 miles" in labels
    logged = db.session.query(UnmetNeedSearch).one()
    assert logged.words == "zebra"
    assert logged.postcode_district == "E15"
    assert "4HT" not in repr(vars(logged))
    assert logged.filters["free_only"] is True


def test_unpublished_services_are_never_found(app):
    make_service(db.session, "closed club", "A lunch club.", status="defunct")
    rebuild_index()
    assert search_services(SearchRequest(text="lunch club")).items == []
    assert search_services(SearchRequest()).items == []


def test_a_moved_building_is_searched_from_its_new_place(three_debt_services):
    """The places a text search starts from follow each listing change (``places``)."""
    nearest, near, far = three_debt_services
    nearby = SearchRequest(text="debt", postcode="E15 4HT", radius_miles=5)
    assert ids(search_services(nearby)) == [nearest.id, near.id]
    building = far.service_at_locations[0].location
    building.postal_code, building.latitude, building.longitude = "E15 4HT", 51.5413, 0.0001
    db.session.commit()  # the outbox re-indexes it, as for any listing change
    assert far.id in ids(search_services(nearby))
