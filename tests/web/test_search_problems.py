"""When a search cannot run, the page says so in words and with the right status: never
"no services found", which would tell a link worker that no help exists."""

from __future__ import annotations

import logging

import pytest

from signpost.accounts.roles import LINK_WORKER
from signpost.extensions import db
from signpost.search.indexer import rebuild_index
from tests.broken_index import BREAK_INDEX, unmet_need_rows
from tests.directory_factories import make_service
from tests.pages import parse_fragment, parse_page

HTMX = {"HX-Request": "true"}
UNAVAILABLE = "Search is unavailable at the moment, try again in a few minutes."
SEARCH = "/search?q=walking&postcode=E15+4HT"


@pytest.fixture
def walking_group(app):
    service = make_service(db.session, "Walking group", "Gentle walks in the park.")
    rebuild_index()
    return service


def _says_unavailable_and_not_nothing_found(soup) -> None:
    problem = soup.find(id="search-problem")
    assert problem is not None
    assert "Search is unavailable" in problem.find(id="results-heading").get_text()
    assert UNAVAILABLE in problem.get_text(" ", strip=True)
    text = soup.get_text(" ", strip=True)
    assert "found" not in soup.find(id="results").get_text(" ", strip=True)
    assert "No services matched" not in text and not soup.select("#result-list, #widen")


@pytest.mark.parametrize("damage", BREAK_INDEX)
def test_a_broken_index_is_search_unavailable_not_no_results(app, client, walking_group, damage):
    assert client.get(SEARCH).status_code == 200  # working, and its searcher kept open
    BREAK_INDEX[damage](app)

    page = client.get(SEARCH)
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "60"
    soup = parse_page(page)
    _says_unavailable_and_not_nothing_found(soup)
    assert soup.title.get_text().startswith("Search is unavailable")
    assert soup.find("input", id="q")["value"] == "walking"  # ready to try again

    fragment = client.get(SEARCH, headers=HTMX)
    assert fragment.status_code == 503
    _says_unavailable_and_not_nothing_found(parse_fragment(fragment))
    assert unmet_need_rows() == 0


def test_an_unreadable_index_is_logged_for_whoever_runs_the_site(
    app, client, walking_group, caplog
):
    BREAK_INDEX["overwritten with junk"](app)
    with caplog.at_level(logging.ERROR):
        assert client.get(SEARCH).status_code == 503
    assert any("search index" in record.getMessage() for record in caplog.records)


def test_the_rest_of_the_site_works_while_search_is_unavailable(app, client_as, walking_group):
    link_worker = client_as(LINK_WORKER)
    BREAK_INDEX["deleted"](app)
    unavailable = link_worker.get("/search?q=walking")
    assert unavailable.status_code == 503
    crisis_panel = parse_page(unavailable).select_one(".signpost-crisis-panel")
    assert crisis_panel is not None and "999" in crisis_panel.get_text(), "still on this page"
    for path in ("/", "/caseload", f"/services/{walking_group.id}", "/patients/new"):
        response = link_worker.get(path)
        assert response.status_code == 200, path
        parse_page(response)
    rebuild_index()  # the repair: search works again at once
    page = parse_page(link_worker.get("/search?q=walking"))
    assert [li["data-service-id"] for li in page.select("#result-list > li")] == [walking_group.id]
    assert unmet_need_rows() == 0


def test_a_search_that_finds_nothing_still_says_so(app, client, walking_group):
    """The other side of the line: a readable index with no match is "no services"."""
    soup = parse_page(client.get("/search?q=origami"))
    assert "0 services found" in soup.find(id="results-heading").get_text()
    assert soup.find(id="search-problem") is None
    assert unmet_need_rows() == 1


def _says_too_many_searches(soup) -> None:
    problem = soup.find(id="search-problem")
    assert "Too many searches" in problem.find(id="results-heading").get_text()
    words = problem.get_text(" ", strip=True)
    assert "too many searches from here in a short time" in words
    assert "Wait a minute, then try again." in words
    assert not soup.select("#result-list, #widen")


def test_search_is_rate_limited_per_client(app, client, walking_group):
    app.config["SIGNPOST_SEARCH_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get(SEARCH, headers=HTMX).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]

    fragment = client.get(SEARCH, headers=HTMX)
    assert fragment.status_code == 429
    _says_too_many_searches(parse_fragment(fragment))
    page = client.get("/search?q=walks")
    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) > 0
    soup = parse_page(page)
    _says_too_many_searches(soup)
    assert soup.title.get_text().startswith("Too many searches")
    assert soup.find("input", id="q")["value"] == "walks"
    assert unmet_need_rows() == 0

    # Another client is not affected, and pages that run no search are not limited.
    other = parse_page(client.get(SEARCH, environ_base={"REMOTE_ADDR": "10.0.0.9"}))
    assert [li["data-service-id"] for li in other.select("#result-list > li")] == [walking_group.id]
    assert client.get("/").status_code == 200
    assert client.get(f"/services/{walking_group.id}").status_code == 200


def test_signed_in_staff_are_limited_each_on_their_own_count(app, client, client_as, walking_group):
    """Colleagues in one practice often share a network address: each has their own count."""
    app.config["SIGNPOST_SEARCH_RATE_LIMIT"] = "2 per minute"
    first, second = client_as(LINK_WORKER), client_as(LINK_WORKER)
    assert [first.get(SEARCH, headers=HTMX).status_code for _ in range(3)] == [200, 200, 429]
    _says_too_many_searches(parse_fragment(first.get(SEARCH, headers=HTMX)))
    assert second.get(SEARCH, headers=HTMX).status_code == 200
    assert client.get(SEARCH, headers=HTMX).status_code == 200  # a visitor, same address
