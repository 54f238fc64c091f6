"""The OpenAPI document is sound and the API keeps to it under generated requests."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_test_app

API = "/api/v1"


def _refs(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref":
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_document_passes_the_openapi_validator(client):
    validate_openapi(client.get(f"{API}/openapi.json").get_json())


def _response_schema(document: dict, response: dict) -> dict:
    """The JSON Schema of one documented response, able to resolve the document's refs."""
    return {
        **response["content"]["application/json"]["schema"],
        "components": document["components"],
    }


def test_a_postcode_lookup_outage_is_a_documented_503(client, monkeypatch):
    from signpost.api import params
    from signpost.geo.errors import PostcodeLookupUnavailable

    def unavailable(text):
        raise PostcodeLookupUnavailable()

    monkeypatch.setattr(params, "locate_postcode", unavailable)
    document = client.get(f"{API}/openapi.json").get_json()
    for path, item in document["paths"].items():
        names = {p["name"] for p in item["get"]["parameters"]}
        assert ("503" in item["get"]["responses"]) == ("postcode" in names), path
        if "postcode" not in names:
            continue
        response = client.get(f"{API}{path}?postcode=E15 4HT")
        assert response.status_code == 503, path
        schema = _response_schema(document, item["get"]["responses"]["503"])
        Draft202012Validator(schema).validate(response.get_json())


def test_other_methods_get_the_documented_405(client):
    document = client.get(f"{API}/openapi.json").get_json()
    response_405 = document["components"]["responses"]["method_not_allowed"]
    schema = _response_schema(document, response_405)
    assert "405" in document["info"]["description"]
    for path in document["paths"]:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(API + path.replace("{id}", "x"))
            assert response.status_code == 405, (method, path)
            Draft202012Validator(schema).validate(response.get_json())
            assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_document_is_well_formed(client, app):
    document = client.get(f"{API}/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert document["info"]["title"] and document["info"]["version"]
    schemas = document["components"]["schemas"]
    for ref in set(_refs(document)):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref
    for name, schema in schemas.items():
        Draft202012Validator.check_schema(schema), name
    for path, item in document["paths"].items():
        operation = item["get"]
        assert "200" in operation["responses"] and operation["operationId"]
        for parameter in operation["parameters"]:
            assert parameter["in"] in {"query", "path"}
            Draft202012Validator.check_schema(parameter["schema"])
        assert ("{id}" in path) == any(p["in"] == "path" for p in operation["parameters"])
    operation_ids = [item["get"]["operationId"] for item in document["paths"].values()]
    assert len(operation_ids) == len(set(operation_ids))


def test_document_lists_every_api_route(client, app):
    document = client.get(f"{API}/openapi.json").get_json()
    served = {
        rule.rule.removeprefix(API).replace("<string:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.show_openapi"
    }
    described = {path.replace("{id}", "{x}") for path in document["paths"]}
    assert {_generic(path) for path in served} == described


def _generic(path: str) -> str:
    if "{" in path:
        return path.split("{")[0] + "{x}"
    return path


def test_document_is_json_serialisable_and_stable(client):
    first = client.get(f"{API}/openapi.json").get_data(as_text=True)
    assert json.loads(first) == client.get(f"{API}/openapi.json").get_json()


@pytest.fixture
def api_app(tmp_path):
    from signpost.extensions import db
    from signpost.search.indexer import rebuild_index
    from tests.directory_factories import make_service

    app = make_test_app(tmp_path, SIGNPOST_API_RATE_LIMIT="100000 per minute")
    with app.app_context():
        db.create_all()
        make_service(db.session, name="Walking group", categories=["loneliness"])
        make_service(db.session, name="Phone friends", postcode=None, categories=["carers"])
        rebuild_index()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def test_every_endpoint_conforms_under_generated_requests(api_app):
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    modes = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
    # Negative cases need a parameter that can be wrong: only the query parameters can.
    runs = [(op, mode) for op in operations for mode in modes if op.query or mode == modes[0]]
    assert len(runs) > len(operations)
    for operation, mode in runs:

        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()
