"""The search page through HTTP, as a browser (with or without htmx) would use it."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.pages import parse_fragment, parse_page

HTMX = {"HX-Request": "true"}


def result_ids(soup) -> list[str]:
    return [li["data-service-id"] for li in soup.select("li[data-service-id]")]


def test_search_page_has_the_form_working_without_javascript(seeded_client):
    soup = parse_page(seeded_client.get("/"))
    form = soup.find("form", id="search-form")
    assert form["method"] == "get" and form["action"] == "/search"
    assert form.find("button", type="submit")
    assert form["hx-push-url"] == "true"
    assert "delay:300ms" in form["hx-trigger"]


def test_full_page_and_htmx_fragment_show_the_same_results(seeded_client):
    url = "/search?q=lonely&postcode=E15+4HT"
    page = parse_page(seeded_client.get(url))
    fragment_response = seeded_client.get(url, headers=HTMX)
    fragment = parse_fragment(fragment_response)
    assert result_ids(page) and result_ids(page) == result_ids(fragment)
    assert fragment.find(id="results")["aria-labelledby"] == "results-heading"
    assert fragment.find(id="results-heading")["aria-live"] == "polite"


def test_history_restore_gets_the_whole_page(seeded_client):
    response = seeded_client.get(
        "/search?q=lonely", headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.get_data(as_text=True)


def test_results_carry_ids_and_distances(seeded_client):
    soup = parse_page(seeded_client.get("/search?q=debt&postcode=E13+9PJ"))
    items = soup.select("li[data-service-id]")
    located = [li for li in items if li.has_attr("data-distance-miles")]
    assert located
    assert all(float(li["data-distance-miles"]) >= 0 for li in located)
    assert "miles" in located[0].get_text()


def test_no_postcode_means_no_distances(seeded_client):
    soup = parse_page(seeded_client.get("/search?q=debt"))
    assert not soup.select("li[data-distance-miles]")


def test_pushed_url_round_trips_to_the_same_results_and_form(seeded_client):
    args = {
        "q": "walk",
        "postcode": "TR18 4AA",
        "category": "physical-activity",
        "free": "y",
        "day": "MO",
        "radius": "50",
    }
    url = "/search?" + urlencode(args)
    first = parse_page(seeded_client.get(url))
    again = parse_page(seeded_client.get(url))
    assert result_ids(first) == result_ids(again)
    assert first.find(id="q")["value"] == "walk"
    assert first.find(id="postcode")["value"] == "TR18 4AA"
    assert first.find(id="category-physical-activity").has_attr("checked")
    assert first.find(id="free").has_attr("checked")
    assert first.select_one("#day option[selected]")["value"] == "MO"
    assert first.select_one("#radius option[selected]")["value"] == "50"


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("NOT A POSTCODE", "Enter a real UK postcode"),
        ("E15 9ZZ", "couldn't find that postcode"),
        ("BT7 1NN", "Northern Ireland"),
    ],
)
def test_postcode_problems_are_shown_beside_the_field(seeded_client, postcode, message):
    soup = parse_page(
        seeded_client.get("/search?" + urlencode({"q": "debt", "postcode": postcode}))
    )
    error = soup.find(id="postcode-error")
    assert error and message in error.get_text()
    assert result_ids(soup), "the search still runs without the postcode"


@pytest.mark.parametrize(
    "query", ["age=abc", "age=500", "page=0", "page=x", "radius=9999", "mode=car"]
)
def test_bad_parameters_get_a_message_not_a_500(seeded_client, query):
    response = seeded_client.get("/search?" + query)
    assert response.status_code == 400
    soup = parse_page(response)
    assert soup.find(class_="nhsuk-error-summary")


@pytest.mark.parametrize(
    "text", ['"unbalanced', "AND OR NOT", "*", "name:x", "x" * 10_000, "😀", "مرحبا"]
)
def test_any_query_text_gets_a_page(seeded_client, text):
    response = seeded_client.get("/search?" + urlencode({"q": text}))
    assert response.status_code == 200


def test_zero_results_offer_to_widen(seeded_client):
    soup = parse_page(
        seeded_client.get("/search?q=zebra+crossing&postcode=E15+4HT&radius=1&free=y")
    )
    links = {a.get_text(strip=True): a["href"] for a in soup.select("#widen a")}
    assert "Remove free services only" in links
    assert "radius=3" in links["Search within 3 miles"]


def test_did_you_mean_for_misspellings(seeded_client):
    soup = parse_page(seeded_client.get("/search?q=dept+advice"))
    assert "debt advice" in soup.find(id="did-you-mean").get_text()


def test_next_page_link_works_without_javascript(seeded_client):
    soup = parse_page(seeded_client.get("/search?postcode=E15+4HT&radius=any"))
    more = soup.select_one("#pager a")
    assert "page=2" in more["href"] and more["hx-select"] == "#result-list > li"
    second = parse_page(seeded_client.get(more["href"]))
    assert set(result_ids(second)).isdisjoint(result_ids(soup))


def test_security_headers_forbid_framing(seeded_client):
    response = seeded_client.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_footer_credits_code_point_open(seeded_client):
    soup = parse_page(seeded_client.get("/"))
    assert "Crown copyright" in soup.find("footer").get_text()


def test_results_show_what_a_service_cannot_help_with_beside_eligibility(app, client):
    from signpost.extensions import db
    from signpost.search.indexer import rebuild_index
    from tests.directory_factories import make_service

    bounded = make_service(
        db.session,
        "Harbour Walks",
        "Coastal walks for people who feel lonely.",
        eligibility_description="Adults who can walk a mile",
        exclusions="Not a crisis service",
    )
    unbounded = make_service(db.session, "Harbour Lunch", "A lunch club for lonely people.")
    rebuild_index()
    soup = parse_page(client.get("/search?q=lonely"))
    item = soup.select_one(f"li[data-service-id='{bounded.id}']")
    (line,) = [p for p in item.find_all("p") if "Cannot help with:" in p.get_text()]
    words = line.get_text(" ", strip=True)
    assert "Adults who can walk a mile" in words, "shown beside eligibility"
    assert words.endswith("Cannot help with: Not a crisis service")
    other = soup.select_one(f"li[data-service-id='{unbounded.id}']")
    assert "Cannot help with" not in other.get_text()
