"""The Open Referral UK API over HTTP: records, paging, filters, errors, CORS, rate limit."""

from __future__ import annotations

from datetime import datetime

import pytest

from signpost.directory.models import Location, ServiceAtLocation
from signpost.extensions import db
from signpost.interop.record_schema import validator_for
from signpost.search.contract import SearchRequest
from signpost.search.service_search import search_services
from tests.conftest import make_test_app

API = "/api/v1"


def _errors(entity: str, record: dict) -> list[str]:
    return [error.message for error in validator_for(entity).iter_errors(record)]


def test_meta_names_version_profile_and_openapi(client):
    body = client.get(f"{API}/").get_json()
    assert body["version"] == "HSDS-UK-3.0"
    assert body["profile"] == "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
    assert body["openapi_url"].endswith("/api/v1/openapi.json")


def test_service_is_fully_nested_and_valid(client, directory):
    walk = directory["walk"]
    body = client.get(f"{API}/services/{walk.id}").get_json()
    assert _errors("service", body) == []
    assert body["name"] == "Walking for health"
    assert body["organization"]["name"] == "Walking for health organisation"
    assert {a["taxonomy_term"]["code"] for a in body["attributes"]} == {
        "physical-activity",
        "loneliness",
    }
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "E15 4HT"
    assert {s["byday"] for s in body["schedules"]} == {"TU", "TH"}
    assert body["minimum_age"] == 18


def test_optional_fields_are_omitted_not_null(client, directory):
    body = client.get(f"{API}/services/{directory['phone'].id}").get_json()
    assert "url" not in body and "minimum_age" not in body
    assert body["service_at_locations"] == []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is not None

    walk(body)


def test_every_listed_record_is_valid(client, directory):
    for path, entity in [
        ("/services?full=true", "service"),
        ("/services", "service"),
        ("/service_at_locations", "service_at_location"),
        ("/taxonomies", "taxonomy"),
        ("/taxonomy_terms", "taxonomy_term"),
        ("/organizations?full=true", "organization"),
    ]:
        page = client.get(API + path).get_json()
        assert page["contents"], path
        for record in page["contents"]:
            assert _errors(entity, record) == [], path


def test_unpublished_services_are_not_served(client, directory):
    draft = directory["draft"]
    listed = {s["id"] for s in client.get(f"{API}/services").get_json()["contents"]}
    assert draft.id not in listed and len(listed) == 3
    assert client.get(f"{API}/services/{draft.id}").status_code == 404
    link = draft.service_at_locations[0]
    assert client.get(f"{API}/service_at_locations/{link.id}").status_code == 404
    organizations = client.get(f"{API}/organizations").get_json()["contents"]
    assert draft.organization_id not in {o["id"] for o in organizations}


def test_page_envelope_first_middle_last_and_past_the_end(client, directory):
    first = client.get(f"{API}/services?per_page=2").get_json()
    assert first["total_items"] == 3 and first["total_pages"] == 2
    assert (first["page_number"], first["size"], first["first_page"], first["last_page"]) == (
        1,
        2,
        True,
        False,
    )
    assert first["empty"] is False
    last = client.get(f"{API}/services?per_page=2&page=2").get_json()
    assert (last["size"], last["first_page"], last["last_page"]) == (1, False, True)
    past = client.get(f"{API}/services?per_page=2&page=9").get_json()
    assert past["contents"] == [] and past["empty"] is True and past["last_page"] is True
    ids = [s["id"] for s in first["contents"] + last["contents"]]
    assert len(set(ids)) == 3


def test_empty_directory_gives_an_empty_page(client):
    page = client.get(f"{API}/services").get_json()
    assert page["total_items"] == 0 and page["empty"] is True and page["contents"] == []
    assert page["first_page"] is True and page["last_page"] is True


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=-1", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=1.5", "page"),
        ("postcode=NOT-A-POSTCODE", "postcode"),
        ("postcode=ZZ99 9ZZ", "postcode"),
        ("day=Funday", "day"),
        ("start_time=25:00", "start_time"),
        ("minimal=yes", "minimal"),
        ("modified_after=yesterday", "modified_after"),
        ("modified_after=2025-02-30", "modified_after"),
        ("modified_after=0001-01-01T00:00%2B01:00", "modified_after"),
        ("proximity=1000", "proximity"),
        ("minimum_age=40&maximum_age=20", "minimum_age"),
        ("start_time=15:00&end_time=09:00", "start_time"),
    ],
)
def test_bad_parameters_get_400_json(client, query, parameter):
    response = client.get(f"{API}/services?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == 400 and body["parameter"] == parameter and body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_per_page_bounds_accepted(client, directory):
    assert client.get(f"{API}/services?per_page=1").get_json()["size"] == 1
    assert client.get(f"{API}/services?per_page=100").get_json()["size"] == 3


@pytest.mark.parametrize(
    "path", ["services", "service_at_locations", "taxonomies", "taxonomy_terms", "organizations"]
)
def test_unknown_ids_get_404_json(client, path):
    response = client.get(f"{API}/{path}/no-such-id")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_api_path_and_method_answer_in_json(client):
    assert client.get(f"{API}/nothing-here").get_json()["code"] == 404
    response = client.post(f"{API}/services")
    assert response.status_code == 405 and response.get_json()["code"] == 405


def test_cors_header_on_every_api_response_only(client, directory):
    assert client.get(f"{API}/services").headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(f"{API}/openapi.json").headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/").headers


def test_postcode_order_is_the_web_search_order_with_distances(client, directory):
    body = client.get(f"{API}/services?postcode=E15 4HT&search=lonely").get_json()
    expected = search_services(
        SearchRequest(text="lonely", postcode="E15 4HT", per_page=100), source="test"
    )
    assert [s["id"] for s in body["contents"]] == [i.service.id for i in expected.items]
    distances = {s["name"]: s.get("distance") for s in body["contents"]}
    assert distances["Walking for health"] < distances["Community choir"]
    assert "distance" not in [s for s in body["contents"] if s["name"].startswith("Tele")][0]


def test_postcode_without_words_is_ranked_by_search_services(client, directory):
    body = client.get(f"{API}/services?postcode=E1 6AN").get_json()
    expected = search_services(SearchRequest(postcode="E1 6AN", per_page=100), source="test")
    assert [s["id"] for s in body["contents"]] == [i.service.id for i in expected.items]


def test_proximity_in_metres_keeps_only_services_with_a_building_that_near(client, directory):
    """The UK profile: only results within that distance, so no building, no result."""
    body = client.get(f"{API}/services?postcode=E15 4HT&proximity=1500").get_json()
    assert [s["name"] for s in body["contents"]] == ["Walking for health"]
    assert body["contents"][0]["distance"] <= 1500
    wider = client.get(f"{API}/services?postcode=E15 4HT&proximity=20000").get_json()
    assert {s["name"] for s in wider["contents"]} == {"Walking for health", "Community choir"}
    without = client.get(f"{API}/services?postcode=E15 4HT").get_json()
    assert "Telephone befriending" in {s["name"] for s in without["contents"]}


def test_proximity_leaves_out_buildings_further_away(client, directory):
    walk = directory["walk"]
    far = Location(name="Penzance hall", address_1="1 Quay", city="Penzance")
    far.postal_code, far.latitude, far.longitude = "TR18 2AB", 50.118, -5.537
    walk.service_at_locations.append(ServiceAtLocation(location=far))
    db.session.commit()
    near = client.get(f"{API}/service_at_locations?postcode=E15 4HT&proximity=1500").get_json()
    assert [link["location"]["name"] for link in near["contents"]] == [
        walk.service_at_locations[0].location.name
    ]
    everywhere = client.get(f"{API}/service_at_locations?postcode=E15 4HT").get_json()
    assert everywhere["total_items"] == 3


def test_minimal_is_just_id_and_last_modified(client, directory):
    page = client.get(f"{API}/services?minimal=true&postcode=E15 4HT").get_json()
    assert len(page["contents"]) == 3
    for item in page["contents"]:
        assert set(item) == {"id", "last_modified"}
        assert item["last_modified"].endswith("Z")


def test_filters(client, directory):
    def names(query):
        page = client.get(f"{API}/services?{query}").get_json()
        return {s["name"] for s in page["contents"]}

    walk = directory["walk"]
    arts = [a.taxonomy_term for a in directory["choir"].attributes if a.taxonomy_term.code][0]
    assert names(f"taxonomy_term_id={arts.id}") == {"Community choir"}
    assert names(f"taxonomy_id={arts.taxonomy_id}") == {
        "Walking for health",
        "Community choir",
        "Telephone befriending",
    }
    assert names(f"organization_id={walk.organization_id}") == {"Walking for health"}
    assert names("day=WE") == {"Community choir"}
    assert names("day=TU&start_time=15:00&end_time=17:00") == {"Walking for health"}
    assert names("day=TU&start_time=16:30") == set()
    # The UK profile: the service's minimum age at least, its maximum age at most, the value.
    assert names("minimum_age=18") == {"Walking for health"}
    assert names("minimum_age=19") == set()
    assert names("minimum_age=0") == names("")
    assert names("maximum_age=25") == {"Telephone befriending"}
    assert names("maximum_age=24") == set()
    assert names("minimum_age=0&maximum_age=30") == {"Telephone befriending"}
    assert names("modified_after=2000-01-01") == names("")
    assert names("modified_after=2999-01-01T00:00:00Z") == set()
    walk.last_modified = datetime(2025, 3, 1, 12, 0)
    db.session.commit()
    assert "Walking for health" in names("modified_after=2025-03-01T12:00:00Z"), "on or after"
    assert "Walking for health" not in names("modified_after=2025-03-01T12:00:01Z")
    assert names("search=choir") == {"Community choir"}


def test_service_at_locations_carry_the_service_and_distance(client, directory):
    page = client.get(f"{API}/service_at_locations?postcode=E15 4HT").get_json()
    assert page["total_items"] == 2
    first = page["contents"][0]
    assert first["service"]["name"] == "Walking for health"
    assert first["distance"] < page["contents"][1]["distance"]


def test_taxonomy_and_organization_detail(client, directory):
    term = directory["walk"].attributes[0].taxonomy_term
    body = client.get(f"{API}/taxonomy_terms/{term.id}").get_json()
    assert body["code"] == term.code and body["taxonomy_detail"]["id"] == term.taxonomy_id
    assert client.get(f"{API}/taxonomies/{term.taxonomy_id}").get_json()["name"]
    terms = client.get(f"{API}/taxonomy_terms?taxonomy_id={term.taxonomy_id}").get_json()
    assert terms["total_items"] == 3
    organization = directory["walk"].organization_id
    full = client.get(f"{API}/organizations/{organization}?full=true").get_json()
    assert [s["name"] for s in full["services"]] == ["Walking for health"]
    assert "services" not in client.get(f"{API}/organizations/{organization}").get_json()


def test_api_is_rate_limited_per_client(tmp_path):
    app = make_test_app(tmp_path, SIGNPOST_API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [client.get(f"{API}/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/")
    assert response.get_json()["code"] == 429
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    other = client.get(f"{API}/", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


@pytest.mark.parametrize("endpoint", ["taxonomies", "taxonomy_terms", "organizations", "services"])
def test_control_characters_in_search_are_harmless(client, directory, endpoint):
    response = client.get(f"{API}/{endpoint}", query_string={"search": "walk\x07\x1bing"})
    assert response.status_code == 200
    assert response.get_json()["page_number"] == 1
    refused = client.get(f"{API}/{endpoint}", query_string={"search": "walk\x00"})
    assert refused.status_code == 400 and "search" in refused.get_json()["message"]
