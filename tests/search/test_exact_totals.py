"""Counts are exact and every page can be reached, on the search page, the widget and
the API (searches used to stop counting at 300)."""

from __future__ import annotations

import pytest

from signpost.extensions import db
from signpost.search.contract import SearchRequest
from signpost.search.service_search import search_services
from tests.directory_factories import make_service
from tests.pages import parse_page

MANY = 330


@pytest.fixture
def many_walking_groups(app):
    """330 walking groups in one commit (one batch of outbox jobs), and one choir."""
    for number in range(MANY):
        make_service(db.session, f"Walking group {number:03d}", "Gentle walks.", commit=False)
    make_service(db.session, "Choir", "Singing together.", commit=False)
    db.session.commit()


def page_ids(results) -> list[str]:
    return [item.service.id for item in results.items]


def test_every_match_is_counted_and_every_page_reached(many_walking_groups):
    first = search_services(SearchRequest("walking", postcode="E15 4HT", radius_miles=25))
    assert first.total == MANY
    assert first.pages == 17
    seen = []
    for page in range(1, first.pages + 1):
        results = search_services(
            SearchRequest("walking", postcode="E15 4HT", radius_miles=25, page=page)
        )
        assert results.total == MANY
        seen += page_ids(results)
    assert len(seen) == MANY == len(set(seen))
    assert search_services(SearchRequest(page=1)).total == MANY + 1  # nothing typed: all


def test_the_search_page_says_how_many_and_its_last_page_works(many_walking_groups, client):
    page = parse_page(client.get("/search?q=walking&postcode=E15+4HT"))
    assert f"{MANY} services found" in page.get_text()
    last = parse_page(client.get("/search?q=walking&postcode=E15+4HT&page=17"))
    assert len(last.select("#result-list > li")) == MANY - 16 * 20


def test_the_api_counts_and_pages_exactly(many_walking_groups, client):
    body = client.get("/api/v1/services?search=walking&per_page=50&page=7").get_json()
    assert body["total_items"] == MANY
    assert body["total_pages"] == 7
    assert body["size"] == MANY - 6 * 50
    assert body["last_page"] is True
    every = [
        item["id"]
        for number in range(1, 8)
        for item in client.get(
            f"/api/v1/services?search=walking&per_page=50&page={number}"
        ).get_json()["contents"]
    ]
    assert len(set(every)) == MANY


def test_the_api_buildings_list_counts_and_pages_exactly(many_walking_groups, client):
    query = "/api/v1/service_at_locations?search=walking&postcode=E15+4HT&per_page=50"
    body = client.get(f"{query}&page=7").get_json()
    assert body["total_items"] == MANY  # one building each
    assert body["size"] == MANY - 6 * 50


def test_the_widget_counts_exactly(many_walking_groups, client):
    from signpost.widget import actions

    actions.create_practice("stratford-village", "Stratford Village Surgery", "E15 4HT", "F84003")
    page = parse_page(client.get("/widget/stratford-village/search?q=walking"))
    assert f"{MANY} services found" in page.select_one("#results-heading").get_text()
