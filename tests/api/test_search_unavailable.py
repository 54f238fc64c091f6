"""A text search over the API when the index cannot be read: a documented 503 telling the
client when to try again, never an empty page of results."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from tests.api.test_openapi import _response_schema
from tests.broken_index import BREAK_INDEX, unmet_need_rows

API = "/api/v1"
UNAVAILABLE = "Search is unavailable at the moment, try again in a few minutes."


@pytest.mark.parametrize("damage", BREAK_INDEX)
def test_a_broken_index_is_a_503_with_retry_after(app, client, directory, damage):
    found = client.get(f"{API}/services", query_string={"search": "lonely"}).get_json()
    assert found["total_items"] > 0
    BREAK_INDEX[damage](app)
    document = client.get(f"{API}/openapi.json").get_json()

    for path, args in (
        ("/services", {"search": "lonely"}),
        ("/services", {"search": "lonely", "postcode": "E15 4HT", "proximity": "8000"}),
        ("/service_at_locations", {"search": "lonely"}),
    ):
        response = client.get(f"{API}{path}", query_string=args)
        assert response.status_code == 503, (path, args)
        assert response.get_json() == {"code": 503, "message": UNAVAILABLE}
        assert response.headers["Retry-After"] == "60"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        documented = document["paths"][path]["get"]["responses"]["503"]
        Draft202012Validator(_response_schema(document, documented)).validate(response.get_json())
    assert unmet_need_rows() == 0
    # What needs no words still answers.
    assert client.get(f"{API}/services/{directory['walk'].id}").status_code == 200
    assert client.get(f"{API}/taxonomies").status_code == 200
